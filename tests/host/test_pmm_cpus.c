/*
 * Host tests of the frame allocator (kernel/pmm.c) on several CPUs at once, threads standing in
 * for them (tests/host/cpu_double.h): no frame goes to two CPUs, none is lost, and the counts come
 * out exact after they all allocate and free at the same time.
 */
/* pthread_barrier_t is POSIX.1-2001 (and -std=c11 asks for none of it). */
#define _POSIX_C_SOURCE 200112L

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/cpu_double.h"
#include "tests/host/fake_ram.h"
#include "tests/host/panic_double.h"

#include "kernel/phys.h"
#include "kernel/pmm.h"

#define CPUS   2
#define ROUNDS 40

struct played_cpu {
    pthread_t thread;
    unsigned index;
    size_t taken;     /* frames it holds at the end of its last round */
    uint64_t *frames; /* room for every frame there is */
    bool ran_out;     /* pmm_alloc said none were left while it held fewer than its share */
};

static struct played_cpu cpus[CPUS];
static size_t share;                  /* frames each CPU takes per round */
static pthread_barrier_t all_started; /* so that they run at the same time */

/* Takes its share, gives half back, takes it again, gives all back: ROUNDS times. */
static void *churn(void *arg)
{
    struct played_cpu *cpu = arg;

    cpu_double_become(cpu->index);
    pthread_barrier_wait(&all_started);
    for (int round = 0; round < ROUNDS; round++) {
        size_t n = 0;
        for (; n < share; n++) {
            cpu->frames[n] = pmm_alloc();
            if (cpu->frames[n] == PMM_NO_FRAME) {
                cpu->ran_out = true;
                break;
            }
        }
        for (size_t i = 0; i < n; i += 2)
            pmm_free(cpu->frames[i]);
        for (size_t i = 0; i < n; i += 2)
            cpu->frames[i] = pmm_alloc();
        if (round == ROUNDS - 1) {
            cpu->taken = n;
            break;
        }
        for (size_t i = 0; i < n; i++)
            pmm_free(cpu->frames[i]);
    }
    return NULL;
}

static int compare_frames(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_cpus_share_the_frames_exactly(void **state)
{
    (void)state;
    static const struct phys_range usable[] = {{1ULL << 20, 15ULL << 20}};

    pmm_init(usable, 1, NULL, 0);
    size_t total = pmm_total_count();
    share = total / CPUS;
    for (unsigned i = 0; i < CPUS; i++) {
        cpus[i] = (struct played_cpu){.index = i, .frames = calloc(share, sizeof(uint64_t))};
        assert_non_null(cpus[i].frames);
    }
    assert_int_equal(pthread_barrier_init(&all_started, NULL, CPUS), 0);
    for (unsigned i = 0; i < CPUS; i++)
        assert_int_equal(pthread_create(&cpus[i].thread, NULL, churn, &cpus[i]), 0);
    for (unsigned i = 0; i < CPUS; i++)
        assert_int_equal(pthread_join(cpus[i].thread, NULL), 0);
    pthread_barrier_destroy(&all_started);

    /* Every CPU got its whole share, and no frame went to two of them. */
    uint64_t *all = calloc(CPUS * share, sizeof(uint64_t));
    assert_non_null(all);
    for (unsigned i = 0; i < CPUS; i++) {
        assert_false(cpus[i].ran_out);
        assert_int_equal(cpus[i].taken, share);
        memcpy(all + i * share, cpus[i].frames, share * sizeof(uint64_t));
    }
    qsort(all, CPUS * share, sizeof(uint64_t), compare_frames);
    for (size_t i = 0; i < CPUS * share; i++) {
        assert_int_not_equal(all[i], PMM_NO_FRAME);
        if (i > 0)
            assert_true(all[i] > all[i - 1]);
    }
    assert_int_equal(pmm_free_count(), total - CPUS * share);
    assert_int_equal(pmm_used_count(), CPUS * share);

    for (size_t i = 0; i < CPUS * share; i++)
        pmm_free(all[i]);
    assert_int_equal(pmm_free_count(), total);
    free(all);
    for (unsigned i = 0; i < CPUS; i++)
        free(cpus[i].frames);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        fake_ram_test(test_cpus_share_the_frames_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
