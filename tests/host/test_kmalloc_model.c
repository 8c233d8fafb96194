/*
 * The heap against a reference model: hundreds of thousands of random kmalloc, kfree, krealloc
 * and kcalloc calls of mixed sizes, freed in random, LIFO and FIFO order, checking after each
 * call that every block is aligned, that no two live blocks overlap (each block is filled with a
 * pattern of its own, checked when it is freed or moved) and that krealloc keeps contents; at
 * the end everything is freed and every frame must be back. Memory is small enough that some
 * calls fail: the model then expects NULL and nothing else changing. Each call runs on one of
 * MODEL_CPUS stand-in CPUs at random, so most blocks are freed on another CPU than their own.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/panic_double.h"

#include "kernel/kmalloc.h"
#include "kernel/pmm.h"
#include "kernel/vm.h"
#include "tests/host/fake_kernel_vm.h"
#include "tests/host/heap_cpu_double.h"

#define MiB        (1024ULL * 1024)
#define MAX_LIVE   4096
#define MODEL_CPUS 4

struct model_block {
    unsigned char *ptr;
    size_t size;
    uint32_t seed;
};

static struct model_block live[MAX_LIVE];
static size_t live_count;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static size_t frames_at_start;
static size_t failed_calls; /* NULL from a call that asked for memory */

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Mostly small sizes, as a kernel asks for; now and then up to 40 KiB. */
static size_t random_size(void)
{
    uint64_t r = next_random();
    unsigned octave = (unsigned)(r % 13); /* 2^0 .. 2^12 */
    size_t size = ((size_t)1 << octave) + (size_t)((r >> 8) % ((size_t)1 << octave));
    if ((r >> 40) % 64 == 0)
        size = (size_t)((r >> 20) % 40000);
    return size;
}

static unsigned char pattern(uint32_t seed, size_t i)
{
    return (unsigned char)(seed * 31 + i * 131 + (i >> 8));
}

static void fill(struct model_block *b)
{
    for (size_t i = 0; i < b->size; i++)
        b->ptr[i] = pattern(b->seed, i);
}

static void check_contents(const struct model_block *b, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (b->ptr[i] != pattern(b->seed, i))
            fail_msg("block %p of %zu bytes: byte %zu changed", (void *)b->ptr, b->size, i);
}

static void check_alignment(const void *p, size_t size)
{
    assert_int_equal((uintptr_t)p % KMALLOC_ALIGN, 0);
    if (size >= 16 && size <= 4096 && (size & (size - 1)) == 0)
        assert_int_equal((uintptr_t)p % size, 0);
}

static int by_address(const void *a, const void *b)
{
    const struct model_block *x = a, *y = b;
    return x->ptr < y->ptr ? -1 : x->ptr > y->ptr;
}

/* Sorted by address, each block must end before the next begins. */
static void check_no_overlap(void)
{
    static struct model_block sorted[MAX_LIVE];
    memcpy(sorted, live, live_count * sizeof(live[0]));
    qsort(sorted, live_count, sizeof(sorted[0]), by_address);
    for (size_t i = 1; i < live_count; i++)
        assert_true(sorted[i - 1].ptr + (sorted[i - 1].size ? sorted[i - 1].size : 1) <=
                    sorted[i].ptr);
}

static void add(unsigned char *p, size_t size)
{
    struct model_block *b = &live[live_count++];
    *b = (struct model_block){.ptr = p, .size = size, .seed = (uint32_t)next_random()};
    check_alignment(p, size);
    fill(b);
}

static void remove_at(size_t i)
{
    check_contents(&live[i], live[i].size);
    kfree(live[i].ptr);
    live[i] = live[--live_count];
}

/* Which block to free: the newest (LIFO), the oldest kept (FIFO-ish), or any. */
static size_t pick(unsigned order)
{
    if (order == 0)
        return live_count - 1;
    if (order == 1)
        return 0;
    return (size_t)(next_random() % live_count);
}

static void one_operation(unsigned order)
{
    heap_cpu_double_use((unsigned)(next_random() % MODEL_CPUS));
    uint64_t r = next_random() % 100;

    if (live_count > 0 && (r < 40 || live_count == MAX_LIVE)) {
        remove_at(pick(order));
    } else if (live_count > 0 && r < 55) {
        size_t i = (size_t)(next_random() % live_count), size = random_size();
        struct model_block old = live[i];
        unsigned char *p = krealloc(old.ptr, size);
        if (size == 0) {
            assert_null(p);
            live[i] = live[--live_count];
        } else if (p == NULL) {
            failed_calls++;
            check_contents(&old, old.size); /* untouched on failure */
        } else {
            live[i].ptr = p;
            check_contents(&live[i], old.size < size ? old.size : size);
            check_alignment(p, size);
            live[i].size = size;
            fill(&live[i]);
        }
    } else if (r < 60) {
        size_t count = (size_t)(next_random() % 64), each = random_size() / 8 + 1;
        unsigned char *p = kcalloc(count, each);
        if (p) {
            for (size_t k = 0; k < count * each; k++)
                assert_int_equal(p[k], 0);
            add(p, count * each);
        } else {
            failed_calls++;
        }
    } else {
        size_t size = random_size();
        unsigned char *p = kmalloc(size);
        if (p)
            add(p, size);
        else
            failed_calls++;
    }
}

static void run_model(size_t operations)
{
    for (size_t n = 0; n < operations; n++) {
        one_operation((unsigned)((n / 20000) % 3));
        if (n % 25000 == 0)
            check_no_overlap();
    }
    check_no_overlap();
    assert_true(failed_calls > 0); /* memory did run out, and the heap coped */
    while (live_count > 0)
        remove_at(live_count - 1);
    struct heap_stats s = heap_stats();
    assert_int_equal(s.small_in_blocks, 0);
    assert_int_equal(s.large_blocks, 0);
    for (unsigned cpu = 0; cpu < MODEL_CPUS; cpu++) {
        heap_cpu_double_use(cpu);
        heap_cpu_flush();
    }
    heap_cpu_double_use(0);
    heap_trim();
    s = heap_stats();
    assert_int_equal(s.small_held, 0);
    assert_int_equal(s.large_held, 0);
    /* Every frame is free again, but for page tables and vm's nodes, kept for reuse. */
    assert_int_equal(pmm_free_count() + fake_vm_table_frames + vm_stats().node_frames,
                     frames_at_start);
}

static int setup(void **state)
{
    (void)state;
    heap_cpu_double_use(MODEL_CPUS - 1); /* the CPUs exist before heap_init empties their lists */
    heap_cpu_double_use(0);
    /* 8 MiB of RAM: the model's peak (4096 blocks, some of 40 KiB) does not always fit. */
    fake_vm_setup(8 * MiB, 2048 * MiB, true);
    vm_init();
    heap_init();
    frames_at_start = pmm_free_count() + fake_vm_table_frames + vm_stats().node_frames;
    live_count = 0;
    failed_calls = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake_vm_teardown();
    return 0;
}

static void test_model_default_checks(void **state)
{
    (void)state;
    run_model(400000);
}

static void test_model_debug_checks(void **state)
{
    (void)state;
    assert_true(heap_set_debug(true));
    run_model(150000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_model_default_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_model_debug_checks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
