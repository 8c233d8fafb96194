/*
 * Host tests for the heap (kernel/kmalloc*.c): size-class edges, alignment, krealloc and kcalloc,
 * and every kind of misuse it must catch, in the default mode and with the debug checks.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/panic_double.h"

#include "kernel/kmalloc.h"
#include "kernel/pmm.h"
#include "kernel/vm.h"
#include "tests/host/fake_kernel_vm.h"

#define MiB       (1024ULL * 1024)
#define SLAB_SIZE (KMALLOC_SLAB_PAGES * 4096)

static int setup(void **state)
{
    (void)state;
    fake_vm_setup(32 * MiB, 1024 * MiB, true);
    vm_init();
    heap_init();
    return 0;
}

static int setup_debug(void **state)
{
    setup(state);
    assert_true(heap_set_debug(true));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake_vm_teardown();
    return 0;
}

/* The class a live block of this size went to, by the per-class counts. */
static uint32_t class_of(size_t size)
{
    void *p = kmalloc(size);
    struct heap_stats s = heap_stats();
    uint32_t found = 0;

    assert_non_null(p);
    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++)
        if (s.classes[i].blocks)
            found = s.classes[i].block_size;
    kfree(p);
    return found;
}

static void test_size_class_edges(void **state)
{
    (void)state;
    assert_int_equal(class_of(0), 16);
    assert_int_equal(class_of(1), 16);
    assert_int_equal(class_of(16), 16);
    assert_int_equal(class_of(17), 32);
    assert_int_equal(class_of(48), 48);
    assert_int_equal(class_of(49), 64);
    assert_int_equal(class_of(1024), 1024);
    assert_int_equal(class_of(1025), 1536);
    assert_int_equal(class_of(2047), 2048);
    assert_int_equal(class_of(2048), 2048);
    assert_int_equal(class_of(2049), 0); /* no class: a large block */

    void *large = kmalloc(2049);
    assert_int_equal(heap_stats().large_blocks, 1);
    assert_int_equal(heap_stats().large_requested, 2049);
    kfree(large);
    void *small = kmalloc(2048);
    assert_int_equal(heap_stats().large_blocks, 0);
    kfree(small);
}

static void check_alignment(void)
{
    for (size_t size = 0; size <= 3 * 4096 + 100; size++) {
        char *p = kmalloc(size);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % KMALLOC_ALIGN, 0);
        if ((size & (size - 1)) == 0 && size >= 16 && size <= 4096)
            assert_int_equal((uintptr_t)p % size, 0);
        memset(p, 0xee, size);
        kfree(p);
    }
}

static void test_alignment(void **state)
{
    (void)state;
    check_alignment();
}

/* A large block ends at its guard page, 16-byte aligned: an overflow past the slack faults. */
static void test_large_block_ends_at_the_guard(void **state)
{
    (void)state;
    for (size_t size = 2049; size < 3 * 4096; size += 333) {
        char *p = kmalloc(size);
        uintptr_t end = (uintptr_t)p + ((size + 15) & ~(size_t)15);
        assert_int_equal(end % 4096, 0);
        assert_null(vm_find(end, false));
        assert_non_null(vm_find(end, true));
        kfree(p);
    }
}

static void test_krealloc(void **state)
{
    (void)state;
    char *p = krealloc(NULL, 10);
    assert_non_null(p);
    memcpy(p, "0123456789", 10);
    char *q = krealloc(p, 16);
    if (!heap_debug())
        assert_ptr_equal(q, p); /* the same class: in place (debug mode always moves) */
    q = krealloc(q, 5000);
    assert_memory_equal(q, "0123456789", 10);
    q = krealloc(q, 3);
    assert_memory_equal(q, "012", 3);
    assert_null(krealloc(q, 0));
    assert_int_equal(heap_stats().small_in_blocks, 0);
    assert_int_equal(heap_stats().large_blocks, 0);
}

/* count * size that wraps: (SIZE_MAX/n + 1) * n is 2^64 + small, which unchecked would allocate. */
static void test_kcalloc_checks_the_multiplication(void **state)
{
    (void)state;
    static const size_t sizes[] = {2, 3, 16, 4096};
    for (size_t i = 0; i < 4; i++) {
        size_t n = sizes[i];
        assert_null(kcalloc(SIZE_MAX / n + 1, n));
        assert_null(kcalloc(SIZE_MAX / n + 2, n));
        assert_null(kcalloc(n, SIZE_MAX / n + 1));
        assert_null(kcalloc(SIZE_MAX / n, n)); /* no overflow, but no memory either */
    }
    unsigned char *z = kmalloc(64);
    memset(z, 0xff, 64);
    kfree(z);
    z = kcalloc(4, 16); /* the block just freed, zeroed */
    for (size_t i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    kfree(z);
    assert_non_null(z = kcalloc(0, 16));
    kfree(z);
}

static void test_empty_slabs_go_back(void **state)
{
    (void)state;
    size_t before = pmm_free_count() + fake_vm_table_frames + vm_stats().node_frames;
    void *blocks[3000];

    for (size_t i = 0; i < 3000; i++)
        blocks[i] = kmalloc(64);
    assert_true(heap_stats().classes[3].slabs >= 5);
    for (size_t i = 0; i < 3000; i++)
        kfree(blocks[i]);
    assert_int_equal(heap_stats().classes[3].blocks, 0);
    /*
     * The latest 512 freed wait on this CPU's lists, in the last three slabs; the first slab to
     * empty is kept.
     */
    assert_int_equal(heap_stats().classes[3].slabs, 4);
    heap_cpu_flush();
    assert_int_equal(heap_stats().classes[3].slabs, 1); /* one kept for reuse */
    heap_trim();
    assert_int_equal(heap_stats().classes[3].slabs, 0);
    assert_int_equal(pmm_free_count() + fake_vm_table_frames + vm_stats().node_frames, before);
}

/*
 * The misuse tests free twice, free foreign pointers and use freed blocks on purpose: the
 * static analyzer, which takes kmalloc and kfree for malloc and free, is right that they do.
 */
// NOLINTBEGIN(clang-analyzer-unix.Malloc)
#define EXPECT_MISUSE(call, kind)                                                                  \
    do {                                                                                           \
        expect_panic(call);                                                                        \
        if (strstr(panic_message, "heap: " kind " of ") == NULL)                                   \
            fail_msg("expected '%s', got '%s'", kind, panic_message);                              \
    } while (0)

static void test_double_free(void **state)
{
    (void)state;
    void *small = kmalloc(40);
    void *other = kmalloc(40); /* the slab stays: not its last block */
    void *large = kmalloc(3000);

    kfree(small);
    EXPECT_MISUSE(kfree(small), "double free");
    kfree(large); /* kept mapped for reuse, or unmapped at once with the debug checks */
    EXPECT_MISUSE(kfree(large), "double free");
    kfree(other);
    /* The last block of a slab that goes back with it: the class's second empty slab. */
    void *blocks[22];
    for (size_t i = 0; i < 22; i++)
        blocks[i] = kmalloc(1500); /* 21 fit in a slab */
    for (size_t i = 0; i < 21; i++)
        kfree(blocks[i]);
    void *second = blocks[21];
    assert_int_equal(heap_stats().classes[12].slabs, 2);
    kfree(second);
    heap_cpu_flush(); /* from this CPU's list to its slab, which then empties */
    assert_int_equal(heap_stats().classes[12].slabs, 1);
    EXPECT_MISUSE(kfree(second), "double free");
}

static void test_free_of_a_foreign_pointer(void **state)
{
    (void)state;
    int on_stack;
    char *small = kmalloc(64);
    char *large = kmalloc(10000);

    EXPECT_MISUSE(kfree(&on_stack), "free of a pointer the heap never returned");
    char *slab = (char *)((uintptr_t)small & ~(uintptr_t)(SLAB_SIZE - 1));
    EXPECT_MISUSE(kfree(slab + 8), "free of a pointer the heap never returned");   /* header */
    EXPECT_MISUSE(kfree(small + 64), "free of a pointer the heap never returned"); /* next block */
    EXPECT_MISUSE(kfree(small + 64 * 20), "free of a pointer the heap never returned"); /* unused */
    void *vm_pages = vm_alloc(1);
    EXPECT_MISUSE(kfree(vm_pages), "free of a pointer the heap never returned");
    vm_free(vm_pages);
    kfree(small);
    kfree(large);
}

static void test_free_into_the_wrong_size_class(void **state)
{
    (void)state;
    char *p = kmalloc(64);
    char *large = kmalloc(8192);

    EXPECT_MISUSE(kfree(p + 16), "free into the wrong size class");
    EXPECT_MISUSE(kfree(p + 63), "free into the wrong size class");
    EXPECT_MISUSE(kfree(large + 4096), "free into the wrong size class");
    kfree(p + 0);
    kfree(large);
}

static void test_corrupted_slab_header(void **state)
{
    (void)state;
    char *p = kmalloc(128);
    uint64_t *magic = (uint64_t *)((uintptr_t)p & ~(uintptr_t)(SLAB_SIZE - 1));

    *magic ^= 1;
    EXPECT_MISUSE(kfree(p), "corrupted slab header");
    *magic ^= 1;
    kfree(p);
}

/* Default mode: a write to a freed block's link is caught when the block is handed out again. */
static void test_use_after_free_of_the_link(void **state)
{
    (void)state;
    char *p = kmalloc(64);
    char *keep = kmalloc(64);
    kfree(p);
    memset(p, 0x41, 8);
    EXPECT_MISUSE(kmalloc(64), "use after free");
    kfree(keep);
}

/* A freed block waiting on this CPU's list carries a mark: a write over it is caught too. */
static void test_use_after_free_of_the_mark(void **state)
{
    (void)state;
    char *p = kmalloc(64);
    char *keep = kmalloc(64);
    kfree(p);
    p[8] = 0x41;
    EXPECT_MISUSE(kmalloc(64), "use after free");
    kfree(keep);
}

/* The mark names the class: a link bent to a free block of another size is caught. */
static void test_use_after_free_links_to_another_class(void **state)
{
    (void)state;
    void **p = kmalloc(64);
    void *keep = kmalloc(64);
    void *small = kmalloc(16);
    kfree(small);
    kfree(p);
    *p = small; /* a free block, on a list, but a 16-byte one */
    assert_ptr_equal(kmalloc(64), p);
    EXPECT_MISUSE(kmalloc(64), "use after free");
    kfree(keep);
}

static void test_debug_use_after_free(void **state)
{
    (void)state;
    char *p = kmalloc(100);
    char *keep = kmalloc(100);
    kfree(p);
    p[50] = 1; /* past the link: only the poison shows it */
    EXPECT_MISUSE(kmalloc(100), "use after free");
    kfree(keep);
}

static void test_debug_overflow_into_the_redzone(void **state)
{
    (void)state;
    for (volatile size_t size = 1; size <= 2048; size = size * 3 + 1) {
        char *volatile p = kmalloc(size);
        p[size] = 0; /* one byte past the end */
        EXPECT_MISUSE(kfree(p), "heap overflow");
        p[size] = (char)0xfd; /* the redzone's own byte: a clean block again */
        kfree(p);
    }
    char *large = kmalloc(3001); /* 7 bytes of slack before the guard page */
    large[3001] = 0;
    EXPECT_MISUSE(kfree(large), "heap overflow");
}

/* The report names the kind, the address and the caller (here unsymbolised). */
static void test_report_names_the_address(void **state)
{
    (void)state;
    char *p = kmalloc(32);
    char *keep = kmalloc(32);
    char expected[64];

    kfree(p);
    /* (panic_message is formatted by the host's vsnprintf: its %p) */
    snprintf(expected, sizeof(expected), "double free of %p, called from 0x", (void *)p);
    expect_panic(kfree(p));
    assert_non_null(strstr(panic_message, expected));
    kfree(keep);
}

// NOLINTEND(clang-analyzer-unix.Malloc)

static void test_debug_mode_only_switches_on_an_empty_heap(void **state)
{
    (void)state;
    void *p = kmalloc(1);
    assert_false(heap_set_debug(true));
    kfree(p);
    assert_true(heap_set_debug(true));
    assert_true(heap_debug());
    check_alignment(); /* redzones do not cost a power of two its alignment */
    assert_true(heap_set_debug(false));
}

int main(void)
{
#define TEST(name)       cmocka_unit_test_setup_teardown(name, setup, teardown)
#define DEBUG_TEST(name) cmocka_unit_test_setup_teardown(name, setup_debug, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_size_class_edges),
        TEST(test_alignment),
        TEST(test_large_block_ends_at_the_guard),
        TEST(test_krealloc),
        DEBUG_TEST(test_krealloc),
        TEST(test_kcalloc_checks_the_multiplication),
        TEST(test_empty_slabs_go_back),
        TEST(test_double_free),
        DEBUG_TEST(test_double_free),
        TEST(test_free_of_a_foreign_pointer),
        TEST(test_free_into_the_wrong_size_class),
        TEST(test_corrupted_slab_header),
        TEST(test_use_after_free_of_the_link),
        TEST(test_use_after_free_of_the_mark),
        TEST(test_use_after_free_links_to_another_class),
        DEBUG_TEST(test_debug_use_after_free),
        DEBUG_TEST(test_debug_overflow_into_the_redzone),
        TEST(test_report_names_the_address),
        TEST(test_debug_mode_only_switches_on_an_empty_heap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
