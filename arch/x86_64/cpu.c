/* The CPU-level operations behind kernel/arch.h. */
#include "kernel/arch.h"

#include "arch/x86_64/cpu_protections.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/machine_check.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/stack.h"

void arch_cpu_init(void)
{
    gdt_init();
    percpu_load(cpu_get(0)); /* after gdt_init, which loads a null selector into GS */
    idt_init();
    machine_check_init(); /* after the IDT: from here a machine check is #MC, not a shutdown */
    cpu_protections_init();
}

bool arch_stack_bounds(uintptr_t addr, uintptr_t *low, uintptr_t *high)
{
    uintptr_t boot_low = (uintptr_t)boot_stack_guard + STACK_GUARD_SIZE;

    if (addr >= boot_low && addr < (uintptr_t)boot_stack_top) {
        *low = boot_low;
        *high = (uintptr_t)boot_stack_top;
        return true;
    }
    return ist_stack_bounds(addr, low, high);
}

_Static_assert(STACK_GUARDS == 1 + IST_STACKS, "one guard page per stack");

uintptr_t stack_guard_page(unsigned i)
{
    const char *name;

    return i == 0 ? (uintptr_t)boot_stack_guard : ist_stack_guard(i, &name);
}

const char *stack_guard_owner(uint64_t addr, uintptr_t *page)
{
    for (unsigned i = 0; i < STACK_GUARDS; i++) {
        const char *name = "boot";
        uintptr_t guard = i == 0 ? (uintptr_t)boot_stack_guard : ist_stack_guard(i, &name);

        if (addr >= guard && addr - guard < STACK_GUARD_SIZE) {
            *page = guard;
            return name;
        }
    }
    return NULL;
}

/* Intel SDM vol. 1, 3.4.3.3: RFLAGS.IF, set while maskable interrupts are accepted. */
#define RFLAGS_IF (1ul << 9)

void arch_interrupts_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

void arch_interrupts_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

/*
 * SDM vol. 2B, STI: interrupts are recognised only after the instruction that follows sti, so an
 * interrupt that is already pending wakes the hlt rather than slipping in before it.
 */
void arch_wait_for_interrupt(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

static unsigned long read_rflags(void)
{
    unsigned long rflags;

    __asm__ volatile("pushfq; popq %0" : "=r"(rflags) : : "memory");
    return rflags;
}

bool arch_interrupts_enabled(void)
{
    return read_rflags() & RFLAGS_IF;
}

unsigned long arch_irq_save(void)
{
    unsigned long rflags = read_rflags();

    arch_interrupts_disable();
    return rflags;
}

void arch_irq_restore(unsigned long flags)
{
    if (flags & RFLAGS_IF)
        arch_interrupts_enable();
}

void arch_spin_pause(void)
{
    __asm__ volatile("pause" ::: "memory");
}

noreturn void halt_forever(void)
{
    /* An NMI still wakes a halted CPU; go back to sleep after it. */
    for (;;)
        __asm__ volatile("cli; hlt" ::: "memory");
}
