/* The CPU-level operations behind kernel/arch.h. */
#include "kernel/arch.h"

#include "arch/x86_64/serial.h"
#include "arch/x86_64/vga_text.h"

void arch_consoles_init(void)
{
    serial_init();
    vga_text_init();
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
