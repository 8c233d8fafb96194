/* Host tests of kernel/kprintf.c: each conversion, flag, width and length modifier. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/kprintf.h"
#include "kernel/string.h"
#include "tests/host/console_stub.h"
#include "tests/host/kprintf_expect.h"

static void test_plain_text_and_percent(void **state)
{
    (void)state;
    EXPECT_UNCHECKED("", "");
    EXPECT_FORMAT("hello, kernel", "hello, kernel");
    EXPECT_FORMAT("100%", "100%%");
    EXPECT_UNCHECKED("%", "%");
}

static void test_characters_and_strings(void **state)
{
    (void)state;
    EXPECT_FORMAT("x", "%c", 'x');
    EXPECT_FORMAT("[abc]", "[%s]", "abc");
    EXPECT_UNCHECKED("(null)", "%s", (char *)NULL);
    EXPECT_FORMAT("[  abc]", "[%5s]", "abc");
    EXPECT_FORMAT("[abc  ]", "[%-5s]", "abc");
    EXPECT_FORMAT("[ab]", "[%.2s]", "abc");
    EXPECT_FORMAT("[   ab]", "[%5.2s]", "abc");
    EXPECT_FORMAT("[abc]", "[%.*s]", 3, "abcdef");
    EXPECT_UNCHECKED("[  abc]", "[%05s]", "abc"); /* zero padding is for numbers only */
    EXPECT_FORMAT("[  x]", "[%3c]", 'x');
}

static void test_signed_decimal(void **state)
{
    (void)state;
    EXPECT_FORMAT("0", "%d", 0);
    EXPECT_FORMAT("42 -42", "%d %i", 42, -42);
    EXPECT_FORMAT("2147483647", "%d", INT_MAX);
    EXPECT_FORMAT("-2147483648", "%d", INT_MIN);
    EXPECT_FORMAT("-9223372036854775808", "%lld", LLONG_MIN);
    EXPECT_FORMAT("9223372036854775807", "%ld", LONG_MAX);
    EXPECT_FORMAT("-1", "%zd", (ptrdiff_t)-1);
    EXPECT_FORMAT("-128", "%hhd", (signed char)-128);
    EXPECT_UNCHECKED("-1", "%hd", 65535); /* converted to short */
}

static void test_unsigned_and_hex(void **state)
{
    (void)state;
    EXPECT_FORMAT("4294967295", "%u", UINT_MAX);
    EXPECT_FORMAT("18446744073709551615", "%llu", ULLONG_MAX);
    EXPECT_FORMAT("18446744073709551615", "%zu", SIZE_MAX);
    EXPECT_FORMAT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
    EXPECT_FORMAT("ffffffff80000000", "%lx", 0xffffffff80000000ul);
    EXPECT_UNCHECKED("ff", "%hhx", 0x1ff);
    EXPECT_FORMAT("0", "%x", 0);
}

static void test_width_padding_alignment(void **state)
{
    (void)state;
    EXPECT_FORMAT("[   42]", "[%5d]", 42);
    EXPECT_FORMAT("[42   ]", "[%-5d]", 42);
    EXPECT_FORMAT("[00042]", "[%05d]", 42);
    EXPECT_FORMAT("[-0042]", "[%05d]", -42);
    EXPECT_FORMAT("[  -42]", "[%5d]", -42);
    EXPECT_UNCHECKED("[-42  ]", "[%-05d]", -42); /* '-' wins over '0' */
    EXPECT_FORMAT("[0000beef]", "[%08x]", 0xbeef);
    EXPECT_FORMAT("[123456]", "[%3d]", 123456); /* never truncated */
    EXPECT_FORMAT("[    7]", "[%*d]", 5, 7);
    EXPECT_FORMAT("[7    ]", "[%*d]", -5, 7);
    EXPECT_FORMAT("[   007]", "[%6.3d]", 7);
    EXPECT_UNCHECKED("[  -007]", "[%06.3d]", -7); /* a precision turns zero padding off */
    EXPECT_FORMAT("[000000ff]", "[%.8x]", 0xff);
}

/* A width from the arguments may be anything: INT_MIN cannot be negated, INT_MAX is absurd. */
static void test_huge_widths_are_clipped(void **state)
{
    char out[8];

    (void)state;
    /* FIELD_MAX in kernel/kprintf.c is 1000: the field is 1000 characters, '7' last. */
    assert_int_equal(format_unchecked(out, sizeof(out), "%*d", INT_MAX, 7), 1000);
    assert_string_equal(out, "       ");
    assert_int_equal(format_unchecked(out, sizeof(out), "%*d", INT_MIN, 7), 1000);
    assert_string_equal(out, "7      ");
    assert_int_equal(format_unchecked(out, sizeof(out), "%99999999999d", 7), 1000);
    assert_int_equal(format_unchecked(out, sizeof(out), "%.*d", INT_MAX, 7), 32);
}

static void test_pointers(void **state)
{
    (void)state;
    EXPECT_FORMAT("0x0000000000000000", "%p", (void *)0);
    EXPECT_FORMAT("0xffffffff80001000", "%p", (void *)0xffffffff80001000ul);
    EXPECT_FORMAT("[0x0000000000001234  ]", "[%-20p]", (void *)0x1234);
}

static void test_unknown_conversion_is_shown(void **state)
{
    (void)state;
    EXPECT_UNCHECKED("%!q", "%q", 0);
}

static void test_truncation_reports_full_length(void **state)
{
    char out[8];

    (void)state;
    memset(out, 'z', sizeof(out));
    assert_int_equal(ksnprintf(out, sizeof(out), "%s", "0123456789"), 10);
    assert_string_equal(out, "0123456");
    assert_int_equal(ksnprintf(out, 1, "abc"), 3);
    assert_string_equal(out, "");
    /* Size 0: nothing may be written, not even the NUL. */
    out[0] = 'z';
    assert_int_equal(ksnprintf(out, 0, "abc"), 3);
    assert_int_equal(out[0], 'z');
}

static void test_kprintf_reaches_the_consoles(void **state)
{
    (void)state;
    console_stub_reset();
    assert_int_equal(kprintf("keel %s: %d%%\n", "test", 100), 16);
    assert_string_equal(console_stub_output, "keel test: 100%\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_and_percent),
        cmocka_unit_test(test_characters_and_strings),
        cmocka_unit_test(test_signed_decimal),
        cmocka_unit_test(test_unsigned_and_hex),
        cmocka_unit_test(test_width_padding_alignment),
        cmocka_unit_test(test_huge_widths_are_clipped),
        cmocka_unit_test(test_pointers),
        cmocka_unit_test(test_unknown_conversion_is_shown),
        cmocka_unit_test(test_truncation_reports_full_length),
        cmocka_unit_test(test_kprintf_reaches_the_consoles),
    };

    return cmocka_run_group_tests_name("kprintf", tests, NULL, NULL);
}
