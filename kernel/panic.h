/*
 * panic(): the kernel's last words. Prints "KERNEL PANIC: <message>" and the place it was called
 * from on every console, then halts this CPU forever with interrupts off. Usable from the first
 * line of C onwards.
 *
 * With several CPUs the first to panic reports: it stops every other CPU with an NMI first
 * (ARCH_IPI_STOP), waits a bounded time for each to say it stopped, and so prints the one report
 * while no other CPU writes. A CPU that panics meanwhile stops without a word.
 */
#pragma once

#include <stdbool.h>
#include <stdnoreturn.h>

#include "kernel/compiler.h"

#define panic(...) panic_at(__FILE__, __LINE__, __func__, __VA_ARGS__)

noreturn void panic_at(const char *file, int line, const char *function, const char *fmt, ...)
    __printf_like(4, 5);

/*
 * For other reports that end in a panic (CPU exceptions): panic_begin() turns interrupts off,
 * makes sure there is a console, starts a new line in the panic colours, and stops at once if a
 * panic is already being reported; the caller prints "KERNEL PANIC: ..." and its details;
 * panic_end() ends QEMU if keel.exit=qemu asked for it, else halts forever.
 */
void panic_begin(void);
noreturn void panic_end(void);

/* True once a panic has begun: an NMI handler then keeps quiet, not to scroll the report away. */
bool panic_in_progress(void);

/* True when a panic has begun on another CPU: this one must stop (the NMI handler asks first). */
bool panic_on_other_cpu(void);

/* Stops this CPU for the panic another reports: counted as stopped, then halted for good. */
noreturn void panic_stop_this_cpu(void);
