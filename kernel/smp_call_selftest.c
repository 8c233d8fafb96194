/*
 * In-kernel tests of calls on other CPUs and of what is built on them: a spinlock that every
 * CPU takes at once, and the TLB shootdown. With one CPU they test the calling CPU's own path.
 */
#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/cpu.h"
#include "kernel/deadline.h"
#include "kernel/selftest.h"
#include "kernel/smp_call.h"
#include "kernel/spinlock.h"
#include "kernel/vm.h"

/* Each CPU's mark: which CPU ran the call, or how many times it ran. */
static unsigned marks[CPU_MAX];

static void mark_cpu(void *unused)
{
    (void)unused;
    __atomic_fetch_add(&marks[this_cpu()->index], 1, __ATOMIC_RELAXED);
}

static void clear_marks(void)
{
    for (unsigned i = 0; i < CPU_MAX; i++)
        marks[i] = 0;
}

static bool is_online(unsigned index)
{
    return __atomic_load_n(&cpu_get(index)->online, __ATOMIC_ACQUIRE);
}

/* The online CPU with the highest index: an AP when there is one. */
static unsigned last_online_cpu(void)
{
    unsigned last = 0;

    for (unsigned i = 0; i < cpu_count(); i++)
        if (is_online(i))
            last = i;
    return last;
}

/* smp_call runs on the CPU it names and no other; past the last CPU there is none to call. */
SELFTEST(smp_call_runs_on_the_cpu_it_names)
{
    unsigned count = cpu_count();

    for (unsigned target = 0; target < count; target++) {
        if (!is_online(target))
            continue;
        clear_marks();
        SELFTEST_ASSERT(smp_call(target, mark_cpu, NULL));
        for (unsigned i = 0; i < count; i++)
            SELFTEST_ASSERT_EQ(marks[i], i == target);
    }
    clear_marks();
    SELFTEST_ASSERT(!smp_call(count, mark_cpu, NULL));
    SELFTEST_ASSERT(!smp_call(CPU_MAX, mark_cpu, NULL));
    for (unsigned i = 0; i < count; i++)
        SELFTEST_ASSERT_EQ(marks[i], 0);
}

/* smp_call_others leaves this CPU out; smp_call_all runs once on every online CPU. */
SELFTEST(smp_call_others_and_all_reach_every_online_cpu_once)
{
    unsigned self = this_cpu()->index;

    clear_marks();
    SELFTEST_ASSERT(smp_call_others(mark_cpu, NULL));
    for (unsigned i = 0; i < cpu_count(); i++)
        SELFTEST_ASSERT_EQ(marks[i], i != self && is_online(i));
    clear_marks();
    SELFTEST_ASSERT(smp_call_all(mark_cpu, NULL));
    for (unsigned i = 0; i < cpu_count(); i++)
        SELFTEST_ASSERT_EQ(marks[i], is_online(i));
}

/*
 * A call from another CPU that itself calls a third one (here: every other CPU, this one
 * included), while this CPU waits for the first: the waiting CPU must run what it is sent.
 */
static void call_everyone(void *unused)
{
    (void)unused;
    smp_call_others(mark_cpu, NULL);
}

SELFTEST(smp_call_waiting_cpu_runs_calls_sent_to_it)
{
    unsigned last = last_online_cpu();

    clear_marks();
    SELFTEST_ASSERT(smp_call(last, call_everyone, NULL));
    for (unsigned i = 0; i < cpu_count(); i++)
        SELFTEST_ASSERT_EQ(marks[i], i != last && is_online(i));
}

/*
 * Few enough that a ticket lock stays quick where vCPUs are threads the host deschedules (each
 * hand-over can wait for a host time slice); the start together and the gap between each read
 * and its write make the count come out short without the lock.
 */
#define INCREMENTS_PER_CPU 200
#define INCREMENT_GAP      32 /* pauses between reading the counter and writing it back */
#define START_TIMEOUT_MS   1000

static struct spinlock counter_lock = SPINLOCK_INIT("selftest counter");
static volatile uint64_t counter;
static unsigned arrived;

/* Each CPU waits until all have arrived (or a bounded time), so that they count at once. */
static void start_together(void)
{
    struct deadline deadline = deadline_in_ms(START_TIMEOUT_MS);

    __atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < cpus_online() &&
           !deadline_passed(&deadline))
        arch_spin_pause();
}

/* A read and a write apart: without the lock, another CPU's increments in between are lost. */
static void count_under_lock(void *unused)
{
    (void)unused;
    start_together();
    for (unsigned i = 0; i < INCREMENTS_PER_CPU; i++) {
        spin_lock(&counter_lock);
        uint64_t seen = counter;
        for (unsigned gap = 0; gap < INCREMENT_GAP; gap++)
            arch_spin_pause();
        counter = seen + 1;
        spin_unlock(&counter_lock);
    }
}

SELFTEST(spinlock_counter_taken_by_every_cpu_at_once_is_exact)
{
    counter = 0;
    arrived = 0;
    SELFTEST_ASSERT(smp_call_all(count_under_lock, NULL));
    SELFTEST_ASSERT_EQ(counter, (uint64_t)INCREMENTS_PER_CPU * cpus_online());
}

#define PROBE_VALUE 0x6b65656cu

/* What each CPU saw of the test page: the value it read, or the fault reading it caused. */
static struct {
    volatile uint64_t *page;
    uint64_t seen[CPU_MAX];
    bool faulted[CPU_MAX];
    uint64_t fault_address[CPU_MAX];
} probe;

static void read_probe_page(void *unused)
{
    (void)unused;
    probe.seen[this_cpu()->index] = *probe.page;
}

static void read_page(void *page)
{
    (void)*(volatile uint64_t *)page;
}

static void catch_probe_fault(void *unused)
{
    struct fault_info fault;
    unsigned self = this_cpu()->index;

    (void)unused;
    probe.faulted[self] = selftest_catch_fault(read_page, (void *)probe.page, &fault);
    probe.fault_address[self] = fault.address;
}

static void free_pages(void *pages)
{
    vm_free(pages);
}

/*
 * A page every CPU has read (so each TLB holds it) and one CPU then frees: every CPU must fault
 * on it at once, which only a shootdown gives. Without one, the others read the stale page on.
 */
SELFTEST(tlb_shootdown_freed_page_faults_on_every_cpu)
{
    for (unsigned i = 0; i < CPU_MAX; i++) {
        probe.seen[i] = probe.fault_address[i] = 0;
        probe.faulted[i] = false;
    }
    probe.page = vm_alloc(1);
    SELFTEST_ASSERT(probe.page != NULL);
    *probe.page = PROBE_VALUE;

    SELFTEST_ASSERT(smp_call_all(read_probe_page, NULL));
    SELFTEST_ASSERT(smp_call(last_online_cpu(), free_pages, (void *)probe.page));
    SELFTEST_ASSERT(smp_call_all(catch_probe_fault, NULL));
    for (unsigned i = 0; i < cpu_count(); i++) {
        if (!is_online(i))
            continue;
        SELFTEST_ASSERT_EQ(probe.seen[i], PROBE_VALUE);
        SELFTEST_ASSERT(probe.faulted[i]);
        SELFTEST_ASSERT_EQ(probe.fault_address[i], (uintptr_t)probe.page);
    }
}
