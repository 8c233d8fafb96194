/*
 * Formatted output. One formatter (kvformat) feeds any sink; kprintf sends to every console,
 * ksnprintf to a buffer. Conversions: %c %s %d %i %u %x %X %p %%, with flags '-' and '0', a field
 * width, a precision (for %s: the most characters; for numbers: the fewest digits), and the length
 * modifiers hh, h, l, ll and z.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#include "kernel/compiler.h"

/* Receives formatted text in pieces; ctx is the caller's. */
typedef void (*format_sink)(void *ctx, const char *text, size_t len);

/* Returns the number of characters produced. */
size_t kvformat(format_sink sink, void *ctx, const char *fmt, va_list args);

/* Like C's snprintf: always NUL-terminates when size > 0; returns the length it wanted to write. */
size_t ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf_like(3, 4);
size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list args);

size_t kprintf(const char *fmt, ...) __printf_like(1, 2);
size_t kvprintf(const char *fmt, va_list args);
