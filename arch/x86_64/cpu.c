/* The CPU-level operations behind kernel/arch.h. */
#include "kernel/arch.h"

#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/stack.h"

void arch_cpu_init(void)
{
    gdt_init();
    idt_init();
}

bool arch_stack_bounds(uintptr_t addr, uintptr_t *low, uintptr_t *high)
{
    uintptr_t boot_low = (uintptr_t)boot_stack_guard + BOOT_STACK_GUARD_SIZE;

    if (addr >= boot_low && addr < (uintptr_t)boot_stack_top) {
        *low = boot_low;
        *high = (uintptr_t)boot_stack_top;
        return true;
    }
    return ist_stack_bounds(addr, low, high);
}

void arch_interrupts_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

noreturn void halt_forever(void)
{
    /* An NMI still wakes a halted CPU; go back to sleep after it. */
    for (;;)
        __asm__ volatile("cli; hlt" ::: "memory");
}
