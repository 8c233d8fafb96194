/*
 * A stand-in for the kernel's panic_at in host tests. It records the message and reports the
 * panic to cmocka as a failed assertion: a test expects it with expect_panic(call), and a panic
 * nobody expected fails the test with the kernel's message.
 */
#pragma once

/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* The message of the latest panic, formatted as the kernel would print it. */
extern char panic_message[256];

#define expect_panic(call)                                                                         \
    do {                                                                                           \
        panic_message[0] = '\0';                                                                   \
        expect_assert_failure(call);                                                               \
    } while (0)
