/* format_unchecked for the kprintf host tests (tests/host/kprintf_expect.h). */
#include "tests/host/kprintf_expect.h"

#include <stdarg.h>

size_t format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    size_t n = kvsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}
