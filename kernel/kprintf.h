/*
 * Formatted output. One formatter (kvformat) feeds any sink; kprintf sends to every console,
 * ksnprintf to a buffer. As C's printf, without floating point: conversions %c %s %d %i %u %o %x
 * %X %p %%; flags '-', '0', '+', ' ' and '#'; a field width and a precision (for %s: the most
 * characters; for numbers: the fewest digits), either of them '*'; length modifiers hh, h, l, ll,
 * z, t and j. %p is always 0x and 16 hex digits. Anything else (%n, %f, %ls, an unknown letter)
 * prints "%!" and its letter, and takes its argument so the ones after it stay in place (the
 * rule for each is in kvformat's convert_unknown).
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
