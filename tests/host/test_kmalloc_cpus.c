/*
 * The heap on several CPUs (kernel/kmalloc_cpu.c): stand-in CPUs (tests/host/heap_cpu_double.c),
 * first one after another on one thread, where every step can be checked: blocks freed on
 * another CPU than their own, a double free whose first free waits on some CPU's list, the
 * statistics and the debug switch while other CPUs keep free blocks. Then four threads as four
 * CPUs pass blocks to each other through shared slots: every block keeps its contents while it
 * is live (no block is handed out twice), the totals are exact and every frame comes back.
 */
#define _POSIX_C_SOURCE 200809L /* pthreads, sched_yield */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/panic_double.h"

#include "kernel/arch.h"
#include "kernel/cpu.h"
#include "kernel/kmalloc.h"
#include "kernel/pmm.h"
#include "kernel/vm.h"
#include "tests/host/fake_kernel_vm.h"
#include "tests/host/heap_cpu_double.h"

#define MiB       (1024ULL * 1024)
#define SLAB_SIZE (KMALLOC_SLAB_PAGES * 4096)
#define THREADS   4

static size_t frames_at_start;

static size_t frames_now(void)
{
    return pmm_free_count() + fake_vm_table_frames + vm_stats().node_frames;
}

static int setup(void **state)
{
    (void)state;
    heap_cpu_double_use(THREADS - 1); /* the CPUs exist before heap_init empties their lists */
    heap_cpu_double_use(0);
    arch_irq_restore(1); /* a panic that a test expected left them off */
    fake_vm_setup(64 * MiB, 1024 * MiB, true);
    vm_init();
    heap_init();
    frames_at_start = frames_now();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    heap_cpu_double_use(0);
    fake_vm_teardown();
    return 0;
}

/* Every CPU's list back to the slabs, then the spare pages: all frames must be free again. */
static void check_everything_comes_back(void)
{
    for (unsigned cpu = 0; cpu < THREADS; cpu++) {
        heap_cpu_double_use(cpu);
        heap_cpu_flush();
    }
    heap_cpu_double_use(0);
    heap_trim();
    struct heap_stats s = heap_stats();
    assert_int_equal(s.small_in_blocks, 0);
    assert_int_equal(s.small_held, 0);
    assert_int_equal(s.large_held, 0);
    assert_int_equal(frames_now(), frames_at_start);
}

static uint64_t live_small_blocks(void)
{
    struct heap_stats s = heap_stats();
    uint64_t blocks = 0;

    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++)
        blocks += s.classes[i].blocks;
    return blocks;
}

/* Allocated on CPU 0, freed on CPU 1: CPU 1 hands the same blocks out again, and CPU 0 frees them.
 */
static void test_a_block_may_be_freed_on_another_cpu(void **state)
{
    (void)state;
    void *blocks[200];

    for (size_t i = 0; i < 200; i++)
        assert_non_null(blocks[i] = kmalloc(48));
    heap_cpu_double_use(1);
    for (size_t i = 0; i < 200; i++)
        kfree(blocks[i]);
    assert_int_equal(live_small_blocks(), 0);
    void *again = kmalloc(48); /* the latest freed, from CPU 1's own list */
    assert_ptr_equal(again, blocks[199]);
    heap_cpu_double_use(0);
    assert_int_equal(live_small_blocks(), 1);
    kfree(again);
    check_everything_comes_back();
}

// NOLINTBEGIN(clang-analyzer-unix.Malloc) the double frees are the point
#define EXPECT_DOUBLE_FREE(call)                                                                   \
    do {                                                                                           \
        expect_panic(call);                                                                        \
        if (strstr(panic_message, "heap: double free of ") == NULL)                                \
            fail_msg("expected a double free, got '%s'", panic_message);                           \
    } while (0)

/* The first free leaves the block on CPU 1's list: a second free on any CPU is still caught. */
static void check_double_free_on_a_list(void)
{
    void *p = kmalloc(100);
    void *keep = kmalloc(100); /* the slab stays */

    heap_cpu_double_use(1);
    kfree(p);
    EXPECT_DOUBLE_FREE(kfree(p)); /* on the same CPU */
    heap_cpu_double_use(0);
    EXPECT_DOUBLE_FREE(kfree(p)); /* on the CPU that allocated it */
    heap_cpu_double_use(2);
    EXPECT_DOUBLE_FREE(kfree(p)); /* on a third */
    heap_cpu_double_use(1);
    heap_cpu_flush(); /* now in its slab's free list */
    heap_cpu_double_use(3);
    EXPECT_DOUBLE_FREE(kfree(p));
    heap_cpu_double_use(0);
    kfree(keep);
    check_everything_comes_back();
}

static void test_double_free_while_on_another_cpus_list(void **state)
{
    (void)state;
    check_double_free_on_a_list();
}

static void test_double_free_while_on_another_cpus_list_debug(void **state)
{
    (void)state;
    assert_true(heap_set_debug(true));
    check_double_free_on_a_list();
}

/* A freed block's link, overwritten while the block waits on a CPU's list, is caught when that
 * list gives the block back to its slab. */
static void test_use_after_free_on_a_list_being_drained(void **state)
{
    (void)state;
    char *p = kmalloc(64);
    char *keep = kmalloc(64);

    heap_cpu_double_use(1);
    kfree(p);
    memset(p, 0x41, 8);
    expect_panic(heap_cpu_flush());
    assert_non_null(strstr(panic_message, "heap: use after free of "));
    heap_cpu_double_use(0);
    kfree(keep);
}
// NOLINTEND(clang-analyzer-unix.Malloc)

/* How many free blocks of the class of `size` this CPU keeps. */
static uint32_t on_my_list(size_t size)
{
    void *p = kmalloc(size);
    size_t class_index = 0;
    struct heap_stats s = heap_stats();

    while (s.classes[class_index].blocks == 0)
        class_index++;
    kfree(p);
    return this_cpu()->heap.lists[class_index].count +
           this_cpu()->heap.lists[class_index].older_count;
}

/*
 * A CPU keeps up to about 64 KiB of free blocks of each class, 512 at most, in two lists of half
 * as many each: the limit itself is kept, one more free gives the older list back; when both
 * are empty, a list's worth comes from the slabs.
 */
static void test_a_list_holds_its_limit_and_no_more(void **state)
{
    (void)state;
    static const struct {
        size_t size, list_max;
    } classes[] = {{16, 256},  {64, 256},  {128, 256}, {192, 170},
                   {1024, 32}, {1536, 21}, {2048, 16}};
    void *blocks[2 * 256 + 1];

    for (size_t k = 0; k < sizeof(classes) / sizeof(classes[0]); k++) {
        size_t size = classes[k].size, limit = 2 * classes[k].list_max;
        for (size_t i = 0; i <= limit; i++)
            blocks[i] = kmalloc(size);
        heap_cpu_flush();
        for (size_t i = 0; i < limit; i++)
            kfree(blocks[i]);
        assert_int_equal(on_my_list(size), limit); /* a kmalloc and a kfree: still the limit */
        kfree(blocks[limit]);
        assert_int_equal(on_my_list(size), classes[k].list_max + 1);
        heap_cpu_flush();
        void *one = kmalloc(size);
        assert_int_equal(on_my_list(size), classes[k].list_max - 1); /* a list, less the one */
        kfree(one);
        heap_cpu_flush();
    }
    check_everything_comes_back();
}

/* Free blocks on other CPUs' lists are not live; they keep the debug switch from happening. */
static void test_other_cpus_free_blocks_in_stats_and_debug_switch(void **state)
{
    (void)state;
    void *p = kmalloc(2000), *q = kmalloc(16);

    assert_int_equal(heap_stats().small_in_blocks, 2048 + 16);
    heap_cpu_double_use(2);
    kfree(p);
    kfree(q);
    heap_cpu_double_use(0);
    assert_int_equal(heap_stats().small_in_blocks, 0);
    assert_int_equal(live_small_blocks(), 0);
    assert_false(heap_set_debug(true)); /* CPU 2 keeps blocks of the default layout */
    heap_cpu_double_use(2);
    heap_cpu_flush();
    heap_cpu_double_use(0);
    assert_true(heap_set_debug(true));
    /* In debug mode, what was asked for, whichever CPU frees it. */
    p = kmalloc(1000);
    assert_int_equal(heap_stats().small_requested, 1000);
    heap_cpu_double_use(3);
    kfree(p);
    heap_cpu_double_use(0);
    assert_int_equal(heap_stats().small_requested, 0);
    assert_true(heap_set_debug(false) == false); /* CPU 3 keeps the debug block */
    check_everything_comes_back();
    assert_true(heap_set_debug(false));
}

/* kmalloc and kfree put the interrupt flag back as it was, through refills and drains. */
static void test_interrupts_come_back_as_they_were(void **state)
{
    (void)state;
    void *blocks[300];

    for (size_t i = 0; i < 300; i++) {
        blocks[i] = kmalloc(2048);
        assert_true(heap_cpu_double_interrupts_on());
    }
    for (size_t i = 0; i < 300; i++) {
        kfree(blocks[i]);
        assert_true(heap_cpu_double_interrupts_on());
    }
    unsigned long flags = arch_irq_save();
    void *p = kmalloc(5000);
    kfree(p);
    assert_false(heap_cpu_double_interrupts_on());
    arch_irq_restore(flags);
    check_everything_comes_back();
}

/* --- Four CPUs at once: blocks passed between them through shared slots */

#define SLOTS      512
#define ITERATIONS 50000

/* A block's first bytes; the rest is a pattern from seq. */
struct block_header {
    uint32_t owner; /* the CPU that allocated it */
    uint32_t size;
    uint64_t seq;
};

/* Written with atomic exchanges: whoever takes a block out of a slot frees it. */
static struct block_header *slots[SLOTS];
static const size_t sizes[] = {16, 40, 64, 200, 1000, 2048};
static pthread_barrier_t start_together;

struct thread_result {
    unsigned cpu;
    uint64_t allocations, frees, frees_of_others, failures;
};

static unsigned char pattern(uint64_t seq, size_t i)
{
    return (unsigned char)(seq * 131 + i * 7);
}

static bool intact(const struct block_header *b)
{
    const unsigned char *bytes = (const unsigned char *)b;

    if (b->owner >= THREADS || b->size < sizeof(*b))
        return false;
    for (size_t i = sizeof(*b); i < b->size; i++)
        if (bytes[i] != pattern(b->seq, i))
            return false;
    return true;
}

static void *run_cpu(void *arg)
{
    struct thread_result *r = arg;
    uint64_t rng = 0x9e3779b97f4a7c15ULL * (r->cpu + 1);

    heap_cpu_double_use(r->cpu);
    pthread_barrier_wait(&start_together);
    for (uint64_t n = 0; n < ITERATIONS; n++) {
        if (n % 64 == 0)
            sched_yield(); /* four threads on fewer cores: take turns often */
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        size_t size = sizes[rng % (sizeof(sizes) / sizeof(sizes[0]))];
        struct block_header *b = kmalloc(size);
        if (b == NULL || !heap_cpu_double_interrupts_on()) {
            r->failures++;
            continue;
        }
        r->allocations++;
        *b = (struct block_header){.owner = r->cpu, .size = (uint32_t)size, .seq = rng};
        for (size_t i = sizeof(*b); i < size; i++)
            ((unsigned char *)b)[i] = pattern(rng, i);
        struct block_header *old =
            __atomic_exchange_n(&slots[(rng >> 32) % SLOTS], b, __ATOMIC_ACQ_REL);
        if (old) {
            if (!intact(old))
                r->failures++;
            r->frees_of_others += old->owner != r->cpu;
            kfree(old);
            r->frees++;
        }
    }
    return NULL;
}

/*
 * Every slab the threads will need exists before they start, each with one block kept live (a
 * pin), so none empties or is added meanwhile: the threads meet only in the heap's own lists and
 * bitmaps, and not in the frame allocator or page tables under it, which have locks of their own.
 */
static size_t pin_slabs(void **pins, size_t max_pins)
{
    size_t pinned = 0;

    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        size_t per_slab = SLAB_SIZE / sizes[k], enough = SLOTS + THREADS * 64 + 2 * per_slab;
        void **all = calloc(enough, sizeof(void *));
        uintptr_t last_slab = 0;
        for (size_t i = 0; i < enough; i++) {
            all[i] = kmalloc(sizes[k]);
            assert_non_null(all[i]);
            uintptr_t slab = (uintptr_t)all[i] & ~(uintptr_t)(SLAB_SIZE - 1);
            if (slab != last_slab && pinned < max_pins) {
                pins[pinned++] = all[i];
                all[i] = NULL;
                last_slab = slab;
            }
        }
        for (size_t i = 0; i < enough; i++)
            kfree(all[i]);
        free(all);
    }
    heap_cpu_flush();
    return pinned;
}

static void test_four_cpus_at_once(void **state)
{
    (void)state;
    static void *pins[1024];
    size_t pinned = pin_slabs(pins, 1024);
    struct heap_stats before = heap_stats();
    pthread_t threads[THREADS];
    struct thread_result results[THREADS];

    assert_int_equal(pthread_barrier_init(&start_together, NULL, THREADS), 0);
    for (unsigned i = 0; i < THREADS; i++) {
        results[i] = (struct thread_result){.cpu = i};
        assert_int_equal(pthread_create(&threads[i], NULL, run_cpu, &results[i]), 0);
    }
    uint64_t allocations = 0, frees = 0, frees_of_others = 0;
    for (unsigned i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(results[i].failures, 0);
        allocations += results[i].allocations;
        frees += results[i].frees;
        frees_of_others += results[i].frees_of_others;
    }
    pthread_barrier_destroy(&start_together);
    heap_cpu_double_use(0);
    uint64_t occupied = 0;
    for (size_t k = 0; k < SLOTS; k++)
        if (slots[k]) {
            assert_true(intact(slots[k]));
            occupied++;
        }
    assert_int_equal(allocations, THREADS * ITERATIONS);
    assert_int_equal(allocations - frees, occupied);
    assert_int_equal(live_small_blocks(), occupied + pinned);
    printf("%llu of %llu blocks freed on another CPU than their own\n",
           (unsigned long long)frees_of_others, (unsigned long long)frees);
    assert_true(frees_of_others > frees / 4); /* they ran at once, swapping blocks */
    struct heap_stats after = heap_stats();
    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++)
        assert_int_equal(after.classes[i].slabs, before.classes[i].slabs);

    for (size_t k = 0; k < SLOTS; k++) {
        kfree(slots[k]);
        slots[k] = NULL;
    }
    for (size_t i = 0; i < pinned; i++)
        kfree(pins[i]);
    assert_int_equal(live_small_blocks(), 0);
    check_everything_comes_back();
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_a_block_may_be_freed_on_another_cpu),
        TEST(test_double_free_while_on_another_cpus_list),
        TEST(test_double_free_while_on_another_cpus_list_debug),
        TEST(test_use_after_free_on_a_list_being_drained),
        TEST(test_a_list_holds_its_limit_and_no_more),
        TEST(test_other_cpus_free_blocks_in_stats_and_debug_switch),
        TEST(test_interrupts_come_back_as_they_were),
        TEST(test_four_cpus_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
