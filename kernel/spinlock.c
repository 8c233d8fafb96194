/* Ticket spinlocks (kernel/spinlock.h): the recursion check and the report of a long wait. */
#include "kernel/spinlock.h"

#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/clock_math.h"
#include "kernel/cpu.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/symbols.h"

_Static_assert(SPIN_REPORT_SPINS % SPIN_CLOCK_EVERY == 0,
               "the spin count is checked every SPIN_CLOCK_EVERY pauses");

void spin_lock_init(struct spinlock *lock, const char *name)
{
    *lock = (struct spinlock)SPINLOCK_INIT(name);
}

bool spin_lock_held(const struct spinlock *lock)
{
    return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == (int)this_cpu()->index;
}

/* Says who holds the lock this CPU has waited for too long. Once per wait; the wait goes on. */
static void report_long_wait(const struct spinlock *lock, const char *waited)
{
    int owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
    char where[96];

    symbol_describe_caller(where, sizeof(where),
                           __atomic_load_n(&lock->owner_caller, __ATOMIC_RELAXED));
    if (owner < 0)
        kprintf("keel: spinlock %s: CPU %u has waited %s; it was just let go\n", lock->name,
                this_cpu()->index, waited);
    else
        kprintf("keel: spinlock %s: CPU %u has waited %s; CPU %d holds it, taken at %s\n",
                lock->name, this_cpu()->index, waited, owner, where);
}

/*
 * Waits until the lock serves ticket. The clock measures the wait while it moves; while it stands
 * still (not running yet, or a tick that needs this CPU's interrupts), the pauses are counted.
 */
static void wait_for_ticket(const struct spinlock *lock, uint32_t ticket)
{
    uint64_t start_ns = clock_ns(), last_ns = start_ns;
    uint64_t spins = 0, still_spins = 0;
    bool reported = false;

    while (__atomic_load_n(&lock->serving, __ATOMIC_ACQUIRE) != ticket) {
        arch_spin_pause();
        spins++;
        if (reported || spins % SPIN_CLOCK_EVERY != 0)
            continue;
        uint64_t now = clock_ns();
        still_spins = now == last_ns ? still_spins + SPIN_CLOCK_EVERY : 0;
        last_ns = now;
        char waited[48];
        if (now - start_ns >= SPIN_REPORT_NS)
            ksnprintf(waited, sizeof(waited), "%llu ms",
                      (unsigned long long)((now - start_ns) / NS_PER_MS));
        else if (still_spins >= SPIN_REPORT_SPINS)
            ksnprintf(waited, sizeof(waited), "%llu pauses", (unsigned long long)spins);
        else
            continue;
        report_long_wait(lock, waited);
        reported = true;
    }
}

void spin_lock(struct spinlock *lock)
{
    uintptr_t caller = (uintptr_t)__builtin_return_address(0);
    unsigned long flags = arch_irq_save();

    if (spin_lock_held(lock)) {
        char where[96];
        symbol_describe_caller(where, sizeof(where), lock->owner_caller);
        panic("spinlock %s: taken again by CPU %u, which holds it (taken at %s)", lock->name,
              this_cpu()->index, where);
    }
    uint32_t ticket = __atomic_fetch_add(&lock->next_ticket, 1, __ATOMIC_RELAXED);
    if (__atomic_load_n(&lock->serving, __ATOMIC_ACQUIRE) != ticket)
        wait_for_ticket(lock, ticket);
    __atomic_store_n(&lock->owner, (int)this_cpu()->index, __ATOMIC_RELAXED);
    __atomic_store_n(&lock->owner_caller, caller, __ATOMIC_RELAXED);
    lock->saved_flags = flags;
}

void spin_unlock(struct spinlock *lock)
{
    unsigned long flags = lock->saved_flags;

    if (!spin_lock_held(lock))
        panic("spinlock %s: let go by CPU %u, which does not hold it", lock->name,
              this_cpu()->index);
    __atomic_store_n(&lock->owner, -1, __ATOMIC_RELAXED);
    /* Only the holder moves serving, so a plain read of it is its own latest value. */
    __atomic_store_n(&lock->serving, lock->serving + 1, __ATOMIC_RELEASE);
    arch_irq_restore(flags);
}
