/*
 * The heap against glibc's malloc, on the same workload in the same process: sizes from 16 B to
 * 4 KiB (as many in each doubling, so most are small, as a kernel's are), freed in LIFO, FIFO and
 * random order. Built for the host with -O2 and no sanitizers (tests/bench/kmalloc.bench); the
 * heap runs on fake RAM with the real frame allocator and page-table code under it
 * (tests/host/fake_kernel_vm.c), so mapping a page costs a table walk, as in the kernel, but no
 * TLB miss. Prints `KEY VALUE UNIT DESCRIPTION` lines (scripts/bench).
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kernel/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/vm.h"
#include "tests/host/fake_kernel_vm.h"

#define MiB   (1024ULL * 1024)
#define OPS   (1 << 20) /* allocations per pattern and run */
#define BATCH 1024      /* LIFO and FIFO: allocate this many, then free them all */
#define POOL  4096      /* random order: live blocks at any time */
#define RUNS  7

noreturn void panic_at(const char *file, int line, const char *function, const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "KERNEL PANIC at %s:%d (%s): ", file, line, function);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    abort();
}

struct allocator {
    void *(*alloc)(size_t);
    void (*free)(void *);
};

static size_t sizes[OPS];
static uint32_t victims[OPS];
static void *slots[POOL];
static volatile unsigned char sink;

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void *must(void *p)
{
    if (p == NULL) {
        fprintf(stderr, "kmalloc_bench: out of memory\n");
        exit(1);
    }
    ((unsigned char *)p)[0] = 1; /* a block is used: touch it */
    return p;
}

/* One pattern: 0 LIFO, 1 FIFO, 2 random. Returns ns per allocate+free pair. */
static double run(const struct allocator *a, int pattern)
{
    double start = now_ns();

    if (pattern == 2) {
        for (size_t i = 0; i < POOL; i++)
            slots[i] = must(a->alloc(sizes[i]));
        for (size_t i = POOL; i < OPS; i++) {
            uint32_t v = victims[i];
            a->free(slots[v]);
            slots[v] = must(a->alloc(sizes[i]));
        }
        for (size_t i = 0; i < POOL; i++)
            a->free(slots[i]);
    } else {
        for (size_t base = 0; base < OPS; base += BATCH) {
            for (size_t i = 0; i < BATCH; i++)
                slots[i] = must(a->alloc(sizes[base + i]));
            for (size_t i = 0; i < BATCH; i++)
                a->free(slots[pattern == 0 ? BATCH - 1 - i : i]);
        }
    }
    return (now_ns() - start) / OPS;
}

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), by_value);
    return v[n / 2];
}

/* The random pattern's steady state: what the heap holds for what was asked of it. */
static double overhead(void)
{
    uint64_t requested = 0;

    for (size_t i = 0; i < POOL; i++) {
        slots[i] = must(kmalloc(sizes[i]));
        requested += sizes[i];
    }
    for (size_t i = POOL; i < OPS / 4; i++) {
        uint32_t v = victims[i];
        requested -= sizes[v];
        kfree(slots[v]);
        slots[v] = must(kmalloc(sizes[i]));
        requested += sizes[i];
    }
    struct heap_stats s = heap_stats();
    for (size_t i = 0; i < POOL; i++)
        kfree(slots[i]);
    return (double)(s.small_held + s.large_held) / (double)requested;
}

int main(void)
{
    static const char *const names[] = {"lifo", "fifo", "random"};
    const struct allocator keel = {kmalloc, kfree}, glibc = {malloc, free};
    double keel_ns[3][RUNS], glibc_ns[3][RUNS], keel_all[3 * RUNS], glibc_all[3 * RUNS];

    fake_vm_setup(512 * MiB, 8192 * MiB, false);
    vm_init();
    heap_init();
    /* In each doubling from 16 B to 4 KiB, sizes uniformly; victims for the random order. */
    for (size_t i = 0; i < OPS; i++) {
        unsigned octave = 4 + (unsigned)(next_random() % 8);
        sizes[i] = ((size_t)1 << octave) + (size_t)(next_random() % ((size_t)1 << octave));
        if (sizes[i] > 4096)
            sizes[i] = 4096;
        victims[i] = (uint32_t)(next_random() % POOL);
    }
    /* A warm-up of each, then the runs, alternating so that both see the same machine load. */
    for (int p = 0; p < 3; p++) {
        run(&keel, p);
        run(&glibc, p);
    }
    for (int r = 0; r < RUNS; r++) {
        for (int p = 0; p < 3; p++) {
            keel_ns[p][r] = keel_all[p * RUNS + r] = run(&keel, p);
            glibc_ns[p][r] = glibc_all[p * RUNS + r] = run(&glibc, p);
        }
    }
    double keel_median = median(keel_all, 3 * RUNS), glibc_median = median(glibc_all, 3 * RUNS);
    for (int p = 0; p < 3; p++) {
        double k = median(keel_ns[p], RUNS), g = median(glibc_ns[p], RUNS);
        printf("kmalloc_%s_ns %.1f ns kmalloc+kfree, %s order, median of %d\n", names[p], k,
               names[p], RUNS);
        printf("glibc_%s_ns %.1f ns malloc+free, %s order, median of %d\n", names[p], g, names[p],
               RUNS);
    }
    printf("kmalloc_vs_glibc %.3f ratio keel ns/op over glibc ns/op (medians, default checks; "
           "below 1 is faster)\n",
           keel_median / glibc_median);
    printf("kmalloc_overhead_ratio %.3f ratio bytes the heap holds per byte requested "
           "(random order, %d live blocks)\n",
           overhead(), POOL);
    sink = 0;
    return 0;
}
