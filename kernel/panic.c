/* panic(): report an unrecoverable error on every console and stop. */
#include "kernel/panic.h"

#include <stdarg.h>

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/kprintf.h"

/* How many reports have started: 1 while the first is printed, more if printing it fails. */
static int panic_depth;

bool panic_in_progress(void)
{
    return panic_depth > 0;
}

void panic_begin(void)
{
    arch_interrupts_disable();

    /*
     * Printing the first report failed in a way that panicked again: say so, tersely, and stop.
     * If even that line fails (a console that faults on every write), stop without a word rather
     * than recurse until the stack overflows.
     */
    if (panic_depth++ > 0) {
        if (panic_depth == 2)
            kprintf("\nKERNEL PANIC: another panic while reporting one; stopping\n");
        halt_forever();
    }

    /* A panic inside a print (a console that faulted) would otherwise only queue its report. */
    console_lock_reset();

    /* A panic in the earliest C code may come before kmain registered the consoles. */
    if (!console_any())
        arch_consoles_init();

    console_set_colour(COLOUR_WHITE, COLOUR_RED);
    kprintf("\n");
}

noreturn void panic_end(void)
{
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    arch_test_exit(false); /* keel.exit=qemu: a test needs not wait for its timeout */
    halt_forever();
}

noreturn void panic_at(const char *file, int line, const char *function, const char *fmt, ...)
{
    va_list args;

    panic_begin();
    kprintf("KERNEL PANIC: ");
    va_start(args, fmt);
    kvprintf(fmt, args);
    va_end(args);
    kprintf("\n at %s:%d (%s)\n", file, line, function);
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    /* From this function's own frame: the first line shown is the caller of panic(). */
    backtrace_print(0, (uintptr_t)__builtin_frame_address(0));
    panic_end();
}
