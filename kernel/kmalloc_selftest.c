/*
 * In-kernel tests of the heap, run with its debug checks on (poison, redzones), on the machine's
 * own memory: alignment, contents across krealloc, the guard page, and memory running out.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/kmalloc.h"
#include "kernel/pmm.h"
#include "kernel/selftest.h"
#include "kernel/selftest_memory.h"
#include "kernel/string.h"

static void write_byte(void *addr)
{
    *(volatile uint8_t *)addr = 0x5a;
}

static bool is_power_of_two(size_t n)
{
    return (n & (n - 1)) == 0;
}

/* Each test runs with the debug checks on, as keel.kmalloc=debug would have them. */
static bool debug_was_on;

static bool debug_on(void)
{
    debug_was_on = heap_debug();
    return heap_set_debug(true);
}

static void debug_restore(void)
{
    heap_set_debug(debug_was_on);
}

static bool alignment_holds(void)
{
    for (size_t size = 1; size <= 3 * 4096; size += size < 64 ? 1 : 37) {
        uint8_t *block = kmalloc(size);
        if (block == NULL)
            return false;
        size_t align = is_power_of_two(size) && size <= 4096 ? size : 16;
        bool aligned = (uintptr_t)block % (align < 16 ? 16 : align) == 0;
        memset(block, 0xc3, size);
        kfree(block);
        if (!aligned)
            return false;
    }
    for (size_t size = 16; size <= 4096; size *= 2) {
        uint8_t *block = kmalloc(size);
        bool aligned = block && (uintptr_t)block % size == 0;
        kfree(block);
        if (!aligned)
            return false;
    }
    return true;
}

SELFTEST(kmalloc_blocks_are_aligned)
{
    SELFTEST_ASSERT(debug_on());
    bool held = alignment_holds();
    debug_restore();
    SELFTEST_ASSERT(held);
    SELFTEST_ASSERT(alignment_holds()); /* and without the debug checks' redzones */
}

static bool pattern_intact(const uint8_t *block, size_t size, uint8_t seed)
{
    for (size_t i = 0; i < size; i++)
        if (block[i] != (uint8_t)(seed + i * 7))
            return false;
    return true;
}

/* Growing from 1 byte to 20 KiB and back through every size class keeps what was written. */
SELFTEST(kmalloc_krealloc_keeps_contents)
{
    static const size_t sizes[] = {1, 16, 17, 100, 2048, 2049, 4096, 20000, 3000, 700, 24, 5};
    SELFTEST_ASSERT(debug_on());
    uint8_t *block = NULL;
    size_t kept = 0;
    bool intact = true;

    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && intact; i++) {
        uint8_t *grown = krealloc(block, sizes[i]);
        if (grown == NULL) {
            intact = false;
            break;
        }
        block = grown;
        intact = pattern_intact(block, kept < sizes[i] ? kept : sizes[i], 3);
        for (size_t j = 0; j < sizes[i]; j++)
            block[j] = (uint8_t)(3 + j * 7);
        kept = sizes[i];
    }
    SELFTEST_ASSERT(krealloc(block, 0) == NULL);
    bool big_fails = kcalloc(SIZE_MAX / 2 + 1, 2) == NULL && kmalloc(SIZE_MAX) == NULL;
    debug_restore();
    SELFTEST_ASSERT(intact);
    SELFTEST_ASSERT(big_fails);
}

/* One byte past a large block is its guard page. */
SELFTEST(kmalloc_large_overflow_faults)
{
    struct fault_info fault;
    uint8_t *block = kmalloc(5000);

    SELFTEST_ASSERT(block != NULL);
    bool faulted = selftest_catch_fault(write_byte, block + 5008, &fault);
    kfree(block);
    SELFTEST_ASSERT(faulted);
    SELFTEST_ASSERT_EQ(fault.address, (uintptr_t)(block + 5008));
}

/* Allocates `size`-byte blocks until memory runs out, chained; returns the chain. */
static void **fill(void **chain, size_t size)
{
    void **block;

    while ((block = kmalloc(size)) != NULL) {
        *block = chain;
        chain = block;
    }
    return chain;
}

/* Takes all memory in large, then middling, then small blocks; frees it all. */
static size_t exhaust_and_free(void)
{
    void **chain = fill(NULL, 1 << 20);
    chain = fill(chain, 8192);
    chain = fill(chain, 2048);
    chain = fill(chain, 16);
    size_t left = pmm_free_count();
    while (chain) {
        void **next = *chain;
        kfree(chain);
        chain = next;
    }
    heap_trim();
    return left;
}

/* On a large machine, all but this many frames (64 MiB) sit out the exhaustion tests. */
#define EXHAUST_FRAMES (64 * 256)

/* Out of memory is NULL, never a panic; everything freed goes back (see vm's twin test). */
SELFTEST(kmalloc_exhausts_memory_and_gives_it_all_back)
{
    SELFTEST_ASSERT(debug_on());
    size_t total_before = pmm_free_count();
    selftest_hold_frames(EXHAUST_FRAMES);
    size_t before = pmm_free_count();
    size_t left = exhaust_and_free();
    size_t after_first = pmm_free_count();
    size_t left_again = exhaust_and_free();
    size_t after_second = pmm_free_count();
    struct heap_stats stats = heap_stats();
    selftest_release_frames();
    size_t total_after = pmm_free_count();
    debug_restore();

    SELFTEST_ASSERT(left < 64);
    SELFTEST_ASSERT(left_again < 64);
    SELFTEST_ASSERT_EQ(after_second, after_first);
    SELFTEST_ASSERT(before - after_first <= before / 256 + 16);
    SELFTEST_ASSERT_EQ(total_after, total_before - (before - after_first));
    SELFTEST_ASSERT_EQ(stats.small_held, 0);
    SELFTEST_ASSERT_EQ(stats.large_held, 0);
}
