/*
 * smp_call (kernel/smp_call.h). Each CPU has a queue of the calls sent to it. A caller puts one
 * entry per target in its own frame, links each into its target's queue, sends the target
 * ARCH_IPI_SMP_CALL, and waits until every entry says it has run: so nothing is allocated, and
 * nothing can run out.
 */
#include "kernel/smp_call.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/cpu.h"
#include "kernel/deadline.h"
#include "kernel/kprintf.h"
#include "kernel/spinlock.h"
#include "kernel/symbols.h"

/* What to run: one for a call, shared by its entries. */
struct request {
    void (*fn)(void *);
    void *arg;
};

enum entry_state {
    ENTRY_QUEUED,  /* in its target's queue */
    ENTRY_RUNNING, /* taken by the target, which runs fn */
    ENTRY_DONE,    /* fn returned there; the target's last touch of the entry and the request */
};

/* One target's part of a call. */
struct entry {
    const struct request *request;
    struct entry *next; /* in the target's queue */
    unsigned cpu;       /* the target's index */
    uint32_t state;     /* enum entry_state */
};

/*
 * The entries each CPU has yet to take, oldest first. One lock for all the queues: it is held for
 * a few instructions at a time. `first` is also read without it, to see whether there is work.
 */
static struct {
    struct entry *first, *last;
} queues[CPU_MAX];
static struct spinlock queues_lock = SPINLOCK_INIT("smp_call queues");

static bool is_online(const struct cpu *cpu)
{
    return __atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE);
}

/* A send that fails leaves the entry queued, until the caller's wait takes it back. */
static void post(struct cpu *target, struct entry *entry)
{
    spin_lock(&queues_lock);
    if (queues[target->index].last)
        queues[target->index].last->next = entry;
    else
        __atomic_store_n(&queues[target->index].first, entry, __ATOMIC_RELEASE);
    queues[target->index].last = entry;
    spin_unlock(&queues_lock);
    arch_send_ipi(target, ARCH_IPI_SMP_CALL);
}

/* Takes the oldest entry queued for this CPU, marked running; NULL if there is none. */
static struct entry *take(unsigned cpu)
{
    if (!__atomic_load_n(&queues[cpu].first, __ATOMIC_ACQUIRE))
        return NULL;
    spin_lock(&queues_lock);
    struct entry *entry = queues[cpu].first;
    if (entry) {
        __atomic_store_n(&queues[cpu].first, entry->next, __ATOMIC_RELAXED);
        if (!entry->next)
            queues[cpu].last = NULL;
        __atomic_store_n(&entry->state, ENTRY_RUNNING, __ATOMIC_RELAXED);
    }
    spin_unlock(&queues_lock);
    return entry;
}

void smp_call_run_pending(void)
{
    struct entry *entry;

    while ((entry = take(this_cpu()->index)) != NULL) {
        const struct request *request = entry->request;

        request->fn(request->arg);
        /* From here the caller may return: its entry and request are gone. */
        __atomic_store_n(&entry->state, ENTRY_DONE, __ATOMIC_RELEASE);
    }
}

/* Takes the entry out of its target's queue if the target has not taken it yet: true then. */
static bool take_back(struct entry *entry)
{
    spin_lock(&queues_lock);
    bool queued = __atomic_load_n(&entry->state, __ATOMIC_RELAXED) == ENTRY_QUEUED;
    if (queued) {
        struct entry *before = NULL, *at = queues[entry->cpu].first;
        while (at != entry) {
            before = at;
            at = at->next;
        }
        if (before)
            before->next = entry->next;
        else
            __atomic_store_n(&queues[entry->cpu].first, entry->next, __ATOMIC_RELAXED);
        if (queues[entry->cpu].last == entry)
            queues[entry->cpu].last = before;
    }
    spin_unlock(&queues_lock);
    return queued;
}

/* The function's name for a report, or its address when it has none. */
static const char *function_name(const struct entry *entry, char *unnamed, size_t size)
{
    uintptr_t offset;
    const char *name = symbol_lookup((uintptr_t)entry->request->fn, &offset);

    if (name && offset == 0)
        return name;
    ksnprintf(unnamed, size, "%p", (void *)entry->request->fn);
    return unnamed;
}

/* Waits for each entry to be done, running this CPU's own calls meanwhile. */
static bool wait_for(struct entry *entries, size_t count)
{
    struct deadline deadline = deadline_in_ms(SMP_CALL_TIMEOUT_MS);
    bool late = false, all_taken = true;
    char name[24];

    for (size_t i = 0; i < count; i++) {
        bool reported = false;

        while (__atomic_load_n(&entries[i].state, __ATOMIC_ACQUIRE) != ENTRY_DONE) {
            smp_call_run_pending();
            late = late || deadline_passed(&deadline);
            if (late && take_back(&entries[i])) {
                kprintf("smp_call: CPU %u did not take the call to %s in %u ms; not run there\n",
                        entries[i].cpu, function_name(&entries[i], name, sizeof(name)),
                        SMP_CALL_TIMEOUT_MS);
                all_taken = false;
                break;
            }
            /* Started: fn may use arg, which must outlive it. Wait on, and say so once. */
            if (late && !reported &&
                __atomic_load_n(&entries[i].state, __ATOMIC_ACQUIRE) != ENTRY_DONE)
                kprintf("smp_call: CPU %u still runs %s after %u ms; waiting for it\n",
                        entries[i].cpu, function_name(&entries[i], name, sizeof(name)),
                        SMP_CALL_TIMEOUT_MS);
            reported = reported || late;
            arch_spin_pause();
        }
    }
    return all_taken;
}

bool smp_call(unsigned cpu_index, void (*fn)(void *), void *arg)
{
    struct cpu *cpu = cpu_get(cpu_index);

    if (cpu == this_cpu()) {
        fn(arg);
        return true;
    }
    if (!cpu || !is_online(cpu))
        return false;
    const struct request request = {fn, arg};
    struct entry entry = {.request = &request, .cpu = cpu_index};
    post(cpu, &entry);
    return wait_for(&entry, 1);
}

static bool call_many(void (*fn)(void *), void *arg, bool here_too)
{
    const struct request request = {fn, arg};
    struct entry entries[CPU_MAX];
    const struct cpu *self = this_cpu();
    size_t count = 0;

    for (unsigned i = 0; i < cpu_count(); i++) {
        struct cpu *cpu = cpu_get(i);
        if (cpu != self && is_online(cpu)) {
            entries[count] = (struct entry){.request = &request, .cpu = i};
            post(cpu, &entries[count++]);
        }
    }
    if (here_too)
        fn(arg);
    return wait_for(entries, count);
}

bool smp_call_others(void (*fn)(void *), void *arg)
{
    return call_many(fn, arg, false);
}

bool smp_call_all(void (*fn)(void *), void *arg)
{
    return call_many(fn, arg, true);
}
