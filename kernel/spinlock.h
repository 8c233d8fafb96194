/*
 * Ticket spinlocks. Each locker takes the next ticket and waits until the lock serves it, so CPUs
 * get the lock in the order they asked (no CPU starves, as one can with a plain test-and-set).
 * spin_lock disables interrupts on this CPU and keeps the interrupt flag it had in the lock;
 * spin_unlock puts it back. So an interrupt handler that takes a lock can never spin on one that
 * the code it interrupted holds.
 *
 *     static struct spinlock table_lock = SPINLOCK_INIT("table");
 *
 *     spin_lock(&table_lock);
 *     ...
 *     spin_unlock(&table_lock);
 *
 * Rules: let locks go in the reverse order of taking them; never take a lock from an NMI or a
 * machine check handler (they interrupt a holder whatever the flag says). Taking a lock this CPU
 * already holds is a bug that would spin for ever: it panics, naming the lock and where this CPU
 * took it. A wait of SPIN_REPORT_NS (or, while the clock stands still, SPIN_REPORT_SPINS pauses)
 * is reported once, with the lock's name, the CPU that holds it and where that CPU took it; then
 * the wait goes on. docs/ARCHITECTURE.md, "Locks", says which lock protects what.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
    uint32_t next_ticket;      /* the ticket the next locker takes */
    uint32_t serving;          /* the ticket that holds the lock */
    int owner;                 /* the holder's CPU index, -1 when free */
    uintptr_t owner_caller;    /* where the holder called spin_lock (a return address) */
    unsigned long saved_flags; /* the holder's interrupt flag, put back by spin_unlock */
    const char *name;
};

#define SPINLOCK_INIT(lock_name)                                                                   \
    {                                                                                              \
        .owner = -1, .name = (lock_name)                                                           \
    }

/* A wait this long is reported (seconds: no lock in keel is held for more than microseconds). */
#define SPIN_REPORT_NS 2000000000ULL
/*
 * ... and, while clock_ns() stands still (before clock_init, or a tick clock whose interrupts are
 * off), a wait of this many pauses: some seconds on a PC (a pause takes 10 to 150 cycles).
 */
#define SPIN_REPORT_SPINS (1ULL << 28)
/* How often a wait reads the clock, in pauses (a read of the HPET takes a microsecond or so). */
#define SPIN_CLOCK_EVERY 1024

void spin_lock_init(struct spinlock *lock, const char *name);
void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);

/* Whether this CPU holds the lock. */
bool spin_lock_held(const struct spinlock *lock);
