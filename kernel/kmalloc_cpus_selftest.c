/*
 * In-kernel test of the heap on every CPU (kernel/kmalloc_cpu.c): all online CPUs at once pass
 * blocks to each other through shared slots, so most blocks are freed on another CPU than the
 * one that allocated them. Every block keeps its contents while it is live, and once each CPU's
 * list is flushed the heap holds what it held before. With one CPU, the calling CPU's own path.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/cpu.h"
#include "kernel/kmalloc.h"
#include "kernel/phys.h"
#include "kernel/selftest.h"
#include "kernel/smp_call.h"

#define SLOTS  256
#define ROUNDS 20000

static const size_t sizes[] = {16, 64, 200, 1000};

/* A block's first bytes; the rest is a pattern from seq. */
struct tagged {
    uint32_t cpu; /* the CPU that allocated it */
    uint32_t size;
    uint64_t seq;
};

/* Written with atomic exchanges: whoever takes a block out of a slot frees it. */
static struct tagged *slots[SLOTS];
static uint64_t rounds_done, damaged, freed_elsewhere;

static uint8_t pattern(uint64_t seq, size_t i)
{
    return (uint8_t)(seq * 131 + i * 7);
}

static bool intact(const struct tagged *b)
{
    const uint8_t *bytes = (const uint8_t *)b;

    if (b->size < sizeof(*b))
        return false;
    for (size_t i = sizeof(*b); i < b->size; i++)
        if (bytes[i] != pattern(b->seq, i))
            return false;
    return true;
}

/* On each CPU at once: allocate, fill, swap into a slot, check and free what was there. */
static void swap_blocks(void *unused)
{
    unsigned cpu = this_cpu()->index;
    uint64_t rng = 0x9e3779b97f4a7c15ULL * (cpu + 1);

    (void)unused;
    for (unsigned n = 0; n < ROUNDS; n++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        size_t size = sizes[rng % (sizeof(sizes) / sizeof(sizes[0]))];
        struct tagged *b = kmalloc(size);
        if (b == NULL) {
            __atomic_fetch_add(&damaged, 1, __ATOMIC_RELAXED);
            continue;
        }
        *b = (struct tagged){.cpu = cpu, .size = (uint32_t)size, .seq = rng};
        for (size_t i = sizeof(*b); i < size; i++)
            ((uint8_t *)b)[i] = pattern(rng, i);
        struct tagged *old = __atomic_exchange_n(&slots[(rng >> 32) % SLOTS], b, __ATOMIC_ACQ_REL);
        if (old) {
            if (!intact(old))
                __atomic_fetch_add(&damaged, 1, __ATOMIC_RELAXED);
            if (old->cpu != cpu)
                __atomic_fetch_add(&freed_elsewhere, 1, __ATOMIC_RELAXED);
            kfree(old);
        }
        __atomic_fetch_add(&rounds_done, 1, __ATOMIC_RELAXED);
    }
}

static void flush_this_cpu(void *unused)
{
    (void)unused;
    heap_cpu_flush();
}

/*
 * The slabs the CPUs will need, made before they start, each with one block kept live (a pin):
 * no slab empties or is added while they share them, so no page is mapped or unmapped (which
 * would wait for CPUs busy in this test with interrupts off).
 */
#define PINS_MAX 256
static void *pins[PINS_MAX];

static size_t pin_slabs(void)
{
    const uintptr_t slab_size = KMALLOC_SLAB_PAGES * PAGE_SIZE;
    size_t pinned = 0;

    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        size_t enough =
            SLOTS + (size_t)cpus_online() * HEAP_CPU_CACHE_MAX_BLOCKS + 2 * (slab_size / sizes[k]);
        void *chain = NULL;
        uintptr_t last_slab = 0;
        for (size_t i = 0; i < enough; i++) {
            void **block = kmalloc(sizes[k]);
            if (block == NULL)
                break;
            uintptr_t slab = (uintptr_t)block & ~(slab_size - 1);
            if (slab != last_slab && pinned < PINS_MAX) {
                pins[pinned++] = block;
                last_slab = slab;
            } else {
                *block = chain;
                chain = block;
            }
        }
        while (chain) {
            void *next = *(void **)chain;
            kfree(chain);
            chain = next;
        }
    }
    heap_cpu_flush();
    return pinned;
}

static uint64_t live_small(void)
{
    struct heap_stats s = heap_stats();
    uint64_t blocks = 0;

    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++)
        blocks += s.classes[i].blocks;
    return blocks;
}

SELFTEST(kmalloc_blocks_pass_between_every_cpu)
{
    uint64_t live_before = live_small();
    size_t pinned = pin_slabs();
    struct heap_stats before = heap_stats();

    rounds_done = damaged = freed_elsewhere = 0;
    SELFTEST_ASSERT(smp_call_all(swap_blocks, NULL));
    struct heap_stats after = heap_stats();
    uint64_t occupied = 0;
    for (size_t k = 0; k < SLOTS; k++) {
        if (slots[k] && !intact(slots[k]))
            damaged++;
        occupied += slots[k] != NULL;
    }
    SELFTEST_ASSERT_EQ(live_small(), live_before + pinned + occupied);
    for (size_t k = 0; k < SLOTS; k++) {
        kfree(slots[k]);
        slots[k] = NULL;
    }
    for (size_t i = 0; i < pinned; i++)
        kfree(pins[i]);
    SELFTEST_ASSERT(smp_call_all(flush_this_cpu, NULL));

    SELFTEST_ASSERT_EQ(damaged, 0);
    SELFTEST_ASSERT_EQ(rounds_done, (uint64_t)ROUNDS * cpus_online());
    if (cpus_online() > 1)
        SELFTEST_ASSERT(freed_elsewhere > 0);
    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++)
        SELFTEST_ASSERT_EQ(after.classes[i].slabs, before.classes[i].slabs);
    SELFTEST_ASSERT_EQ(live_small(), live_before);
}
