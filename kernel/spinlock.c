/* Ticket spinlocks (kernel/spinlock.h). */
#include "kernel/spinlock.h"

#include "kernel/arch.h"
#include "kernel/cpu.h"
#include "kernel/panic.h"

void spin_lock_init(struct spinlock *lock, const char *name)
{
    *lock = (struct spinlock)SPINLOCK_INIT(name);
}

bool spin_lock_held(const struct spinlock *lock)
{
    return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == (int)this_cpu()->index;
}

void spin_lock(struct spinlock *lock)
{
    unsigned long flags = arch_irq_save();

    if (spin_lock_held(lock))
        panic("spinlock %s: taken again by CPU %u, which holds it", lock->name, this_cpu()->index);
    uint32_t ticket = __atomic_fetch_add(&lock->next_ticket, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&lock->serving, __ATOMIC_ACQUIRE) != ticket)
        arch_spin_pause();
    __atomic_store_n(&lock->owner, (int)this_cpu()->index, __ATOMIC_RELAXED);
    lock->saved_flags = flags;
}

void spin_unlock(struct spinlock *lock)
{
    unsigned long flags = lock->saved_flags;

    if (!spin_lock_held(lock))
        panic("spinlock %s: let go by CPU %u, which does not hold it", lock->name,
              this_cpu()->index);
    __atomic_store_n(&lock->owner, -1, __ATOMIC_RELAXED);
    __atomic_store_n(&lock->serving, lock->serving + 1, __ATOMIC_RELEASE);
    arch_irq_restore(flags);
}
