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
 * already holds is a bug that would spin for ever: it panics, naming the lock.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
    uint32_t next_ticket;      /* the ticket the next locker takes */
    uint32_t serving;          /* the ticket that holds the lock */
    int owner;                 /* the holder's CPU index, -1 when free */
    unsigned long saved_flags; /* the holder's interrupt flag, put back by spin_unlock */
    const char *name;
};

#define SPINLOCK_INIT(lock_name)                                                                   \
    {                                                                                              \
        .owner = -1, .name = (lock_name)                                                           \
    }

void spin_lock_init(struct spinlock *lock, const char *name);
void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);

/* Whether this CPU holds the lock. */
bool spin_lock_held(const struct spinlock *lock);
