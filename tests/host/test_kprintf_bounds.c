/*
 * Boundary cases of kprintf: length modifiers given values that change when truncated to the
 * modifier's type, and string precisions of 0 and of exactly the string's length, read from
 * blocks with no byte to spare after them (so AddressSanitizer sees a read one past).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kernel/kprintf.h"
#include "kernel/string.h"
#include "tests/host/kprintf_expect.h"

static void test_char_and_short_truncate(void **state)
{
    (void)state;
    EXPECT_UNCHECKED("-1 255", "%hhd %hhu", 255, 255);
    EXPECT_UNCHECKED("0 0", "%hhd %hhu", 256, 256);
    EXPECT_UNCHECKED("127 -128", "%hhd %hhd", 127, 128);
    EXPECT_UNCHECKED("-1 65535", "%hd %hu", 65535, 65535);
    EXPECT_UNCHECKED("0 0", "%hd %hu", 65536, 65536);
    EXPECT_UNCHECKED("32767 -32768", "%hd %hd", 32767, 32768);
    EXPECT_UNCHECKED("ff ffff 377", "%hhx %hx %hho", 0xfff, 0xfffff, 0xfff);
}

/* Above 2^32, int and long differ: the high half must not be dropped. */
static void test_long_and_size_keep_64_bits(void **state)
{
    (void)state;
    EXPECT_UNCHECKED("4294967296 -4294967297", "%ld %ld", 1L << 32, -(1L << 32) - 1);
    EXPECT_UNCHECKED("4294967296 4294967297", "%zd %zu", (ptrdiff_t)1 << 32, ((size_t)1 << 32) + 1);
    EXPECT_UNCHECKED("100000000 4294967296", "%lx %lu", 1UL << 32, 1UL << 32);
    EXPECT_UNCHECKED("4294967296", "%lld", 1LL << 32);
    EXPECT_UNCHECKED("-9223372036854775808", "%zd", (ptrdiff_t)INT64_MIN);
    EXPECT_UNCHECKED("4294967296 4294967296", "%td %jd", (ptrdiff_t)1 << 32, (intmax_t)1 << 32);
    /* And an int is only 32 bits: the other half of its slot is not part of it. */
    EXPECT_UNCHECKED("-1 4294967295", "%d %u", -1, UINT_MAX);
}

/* A string in a block of exactly its length, no NUL after it. */
static char *unterminated(const char *text)
{
    size_t len = strlen(text);
    char *s = malloc(len);

    assert_non_null(s);
    memcpy(s, text, len);
    return s;
}

static void test_string_precisions_at_the_edge(void **state)
{
    char *s = unterminated("kernel");

    (void)state;
    EXPECT_UNCHECKED("[]", "[%.0s]", s);
    EXPECT_UNCHECKED("[k]", "[%.1s]", s);
    EXPECT_UNCHECKED("[kernel]", "[%.6s]", s); /* exactly the length: no read of s[6] */
    EXPECT_UNCHECKED("[kernel]", "[%.*s]", 6, s);
    EXPECT_UNCHECKED("[  kernel]", "[%8.6s]", s);
    EXPECT_UNCHECKED("[]", "[%.*s]", 0, s);
    free(s);
    EXPECT_UNCHECKED("[abc]", "[%.9s]", "abc"); /* longer than the string: stops at its NUL */
    EXPECT_UNCHECKED("[]", "[%.0s]", (char *)NULL);
}

/* A buffer of exactly the output's size plus its NUL, and one byte less. */
static void test_buffer_of_exactly_the_size(void **state)
{
    char *out = malloc(4);

    (void)state;
    assert_non_null(out);
    assert_int_equal(format_unchecked(out, 4, "%d", 123), 3);
    assert_string_equal(out, "123");
    assert_int_equal(format_unchecked(out, 3, "%d", 123), 3);
    assert_string_equal(out, "12");
    assert_int_equal(format_unchecked(out, 4, "%d", 1234), 4);
    assert_string_equal(out, "123");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_char_and_short_truncate),
        cmocka_unit_test(test_long_and_size_keep_64_bits),
        cmocka_unit_test(test_string_precisions_at_the_edge),
        cmocka_unit_test(test_buffer_of_exactly_the_size),
    };

    return cmocka_run_group_tests_name("kprintf bounds", tests, NULL, NULL);
}
