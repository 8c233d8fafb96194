/*
 * panic(): the kernel's last words. Prints "KERNEL PANIC: <message>" and the place it was called
 * from on every console, then halts this CPU forever with interrupts off. Usable from the first
 * line of C onwards.
 */
#pragma once

#include <stdnoreturn.h>

#include "kernel/compiler.h"

#define panic(...) panic_at(__FILE__, __LINE__, __func__, __VA_ARGS__)

noreturn void panic_at(const char *file, int line, const char *function, const char *fmt, ...)
    __printf_like(4, 5);
