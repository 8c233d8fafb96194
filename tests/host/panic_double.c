/* The host tests' panic_at: hands the panic to cmocka, which unwinds the test or fails it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/host/panic_double.h"

#include "kernel/panic.h"

char panic_message[256];

noreturn void panic_at(const char *file, int line, const char *function, const char *fmt, ...)
{
    va_list args;

    (void)function;
    va_start(args, fmt);
    vsnprintf(panic_message, sizeof(panic_message), fmt, args);
    va_end(args);

    /* Inside expect_assert_failure this longjmps back to the test; elsewhere it fails it. */
    mock_assert(0, panic_message, file, line);
    abort();
}
