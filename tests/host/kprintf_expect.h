/*
 * What the kprintf host tests share: EXPECT_FORMAT(expected, fmt, ...) formats with ksnprintf
 * (the compiler checks the format) and EXPECT_UNCHECKED does the same without that check, for
 * the cases that are odd on purpose; both compare the text and the returned length.
 */
#pragma once

#include <stddef.h>

#include "kernel/kprintf.h"
#include "kernel/string.h"

/* ksnprintf without the compiler's format checks. */
size_t format_unchecked(char *buf, size_t size, const char *fmt, ...);

#define EXPECT_WITH(formatter, expected, ...)                                                      \
    do {                                                                                           \
        char out_[256];                                                                            \
        size_t n_ = formatter(out_, sizeof(out_), __VA_ARGS__);                                    \
        assert_string_equal(out_, expected);                                                       \
        assert_int_equal(n_, strlen(expected));                                                    \
    } while (0)
#define EXPECT_FORMAT(expected, ...)    EXPECT_WITH(ksnprintf, expected, __VA_ARGS__)
#define EXPECT_UNCHECKED(expected, ...) EXPECT_WITH(format_unchecked, expected, __VA_ARGS__)
