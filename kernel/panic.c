/* panic(): report an unrecoverable error on every console and stop. */
#include "kernel/panic.h"

#include <stdarg.h>
#include <stdbool.h>

#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/kprintf.h"

static bool panicking;

noreturn void panic_at(const char *file, int line, const char *function, const char *fmt, ...)
{
    va_list args;

    arch_interrupts_disable();

    /* Printing the first report failed in a way that panicked again: say so, tersely, and stop. */
    if (panicking) {
        kprintf("\nKERNEL PANIC: nested panic at %s:%d\n", file, line);
        halt_forever();
    }
    panicking = true;

    /* A panic in the earliest C code may come before kmain registered the consoles. */
    if (!console_any())
        arch_consoles_init();

    console_set_colour(COLOUR_WHITE, COLOUR_RED);
    kprintf("\nKERNEL PANIC: ");
    va_start(args, fmt);
    kvprintf(fmt, args);
    va_end(args);
    kprintf("\n at %s:%d (%s)\n", file, line, function);
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    halt_forever();
}
