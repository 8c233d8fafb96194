/* The CPU-level operations behind kernel/arch.h. */
#include "kernel/arch.h"

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
