/*
 * Host tests of kprintf's flags ('+', ' ', '#', '0', '-'), of %o, %t, %j and %z, and of what it
 * does with a conversion it does not implement: take the argument, show a marker.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/kprintf.h"
#include "kernel/string.h"
#include "tests/host/kprintf_expect.h"

static void test_plus_and_space_signs(void **state)
{
    (void)state;
    EXPECT_FORMAT("+0", "%+d", 0);
    EXPECT_FORMAT("+42 -42", "%+d %+d", 42, -42);
    EXPECT_FORMAT(" 0", "% d", 0);
    EXPECT_FORMAT(" 42 -42", "% d % i", 42, -42);
    EXPECT_UNCHECKED("+7", "%+ d", 7); /* '+' wins over ' ', in either order */
    EXPECT_UNCHECKED("+7", "% +d", 7);
    EXPECT_FORMAT("[  +42]", "[%+5d]", 42);
    EXPECT_FORMAT("[+0042]", "[%+05d]", 42);
    EXPECT_FORMAT("[ 0042]", "[% 05d]", 42);
    EXPECT_FORMAT("[+42  ]", "[%-+5d]", 42);
    EXPECT_FORMAT("+9223372036854775807", "%+lld", LLONG_MAX);
    EXPECT_FORMAT("-9223372036854775808", "%+lld", LLONG_MIN);
    EXPECT_FORMAT("-9223372036854775808", "% jd", INTMAX_MIN);
    /* Signs are for signed conversions only. */
    EXPECT_UNCHECKED("7 7", "%+u % x", 7u, 7u);
}

static void test_alternate_hex(void **state)
{
    (void)state;
    EXPECT_FORMAT("0", "%#x", 0); /* C: no 0x before a zero */
    EXPECT_FORMAT("0x1 0X1", "%#x %#X", 1, 1);
    EXPECT_FORMAT("0xdeadbeef", "%#x", 0xdeadbeefu);
    EXPECT_FORMAT("0XDEADBEEF", "%#X", 0xdeadbeefu);
    EXPECT_FORMAT("0xffffffffffffffff", "%#lx", ULONG_MAX);
    EXPECT_FORMAT("[  0xff]", "[%#6x]", 0xff);
    EXPECT_FORMAT("[0x00ff]", "[%#06x]", 0xff); /* the zeros go after the prefix */
    EXPECT_FORMAT("[0xff  ]", "[%-#6x]", 0xff);
    EXPECT_FORMAT("[0x0000ff]", "[%#.6x]", 0xff);
    EXPECT_FORMAT("[    0x00ff]", "[%#10.4x]", 0xff);
    EXPECT_FORMAT("[      ]", "[%#6.0x]", 0); /* precision 0: a zero has no digits */
}

static void test_octal(void **state)
{
    (void)state;
    EXPECT_FORMAT("0 7 10 777", "%o %o %o %o", 0, 7, 8, 0777);
    EXPECT_FORMAT("37777777777", "%o", UINT_MAX);
    EXPECT_FORMAT("1777777777777777777777", "%llo", ULLONG_MAX); /* 22 digits */
    EXPECT_FORMAT("01777777777777777777777", "%#llo", ULLONG_MAX);
    EXPECT_FORMAT("0 010 0777", "%#o %#o %#o", 0, 8, 0777);
    EXPECT_FORMAT("0", "%#.0o", 0);     /* '#' keeps the one zero a precision of 0 drops */
    EXPECT_FORMAT("00010", "%#.5o", 8); /* already starts with 0: no second one */
    EXPECT_FORMAT("[  010]", "[%#5o]", 8);
    EXPECT_FORMAT("[00010]", "[%#05o]", 8);
    EXPECT_UNCHECKED("377", "%hho", 0x1ff);
    EXPECT_FORMAT("00000000000000000000000000000001", "%#.40o", 1); /* precision capped at 32 */
}

static void test_zero_flag_with_precision_and_minus(void **state)
{
    (void)state;
    EXPECT_UNCHECKED("[  042]", "[%05.3d]", 42); /* a precision turns '0' off */
    EXPECT_UNCHECKED("[ -042]", "[%05.3d]", -42);
    EXPECT_UNCHECKED("[   ff]", "[%05.0x]", 0xff);
    EXPECT_UNCHECKED("[42   ]", "[%-05d]", 42); /* '-' turns '0' off */
    EXPECT_FORMAT("[-5   ]", "[%-5d]", -5);
    EXPECT_FORMAT("[5    ]", "[%-5d]", 5);
    EXPECT_FORMAT("[12345]", "[%-5d]", 12345);
    EXPECT_FORMAT("[123456]", "[%-5d]", 123456);
    EXPECT_FORMAT("[-00000000000000000001]", "[%021lld]", -1LL);
    EXPECT_FORMAT("[-09223372036854775808]", "[%021lld]", LLONG_MIN);
    EXPECT_FORMAT("[ -9223372036854775808]", "[%21lld]", LLONG_MIN);
    EXPECT_FORMAT("[-9223372036854775808 ]", "[%-21lld]", LLONG_MIN);
    EXPECT_FORMAT("[]", "[%.0d]", 0);
    EXPECT_FORMAT("[+]", "[%+.0d]", 0);
    EXPECT_UNCHECKED("[  7]", "[%3.*d]", -1, 7); /* a negative '*' precision is no precision */
    EXPECT_UNCHECKED("[007]", "[%03.*d]", -1, 7);
}

static void test_ptrdiff_intmax_and_size(void **state)
{
    (void)state;
    EXPECT_FORMAT("-1 4294967296", "%td %td", (ptrdiff_t)-1, (ptrdiff_t)1 << 32);
    EXPECT_FORMAT("-9223372036854775808", "%td", PTRDIFF_MIN);
    EXPECT_FORMAT("-9223372036854775808 9223372036854775807", "%jd %jd", INTMAX_MIN, INTMAX_MAX);
    EXPECT_FORMAT("18446744073709551615", "%ju", UINTMAX_MAX);
    EXPECT_FORMAT("ffffffffffffffff", "%jx", UINTMAX_MAX);
    EXPECT_FORMAT("18446744073709551615 4294967296", "%zu %zu", SIZE_MAX, (size_t)1 << 32);
    EXPECT_FORMAT("1000000000000", "%zx", (size_t)1 << 48);
    EXPECT_FORMAT("-2", "%zd", (ptrdiff_t)-2);
}

static void test_characters_pointers_percent(void **state)
{
    (void)state;
    EXPECT_FORMAT("a", "%c", 'a');
    EXPECT_FORMAT("[a  ]", "[%-3c]", 'a');
    EXPECT_UNCHECKED("[  a]", "[%03c]", 'a'); /* zero padding is for numbers only */
    EXPECT_FORMAT("%", "%%");
    EXPECT_FORMAT("%d", "%%d");
    EXPECT_FORMAT("50% 7", "%d%% %d", 50, 7);
    EXPECT_FORMAT("0x00000000deadbeef", "%p", (void *)0xdeadbeefUL);
    EXPECT_FORMAT("[  0x0000000000000001]", "[%20p]", (void *)1);
    EXPECT_UNCHECKED("0x0000000000000010", "%#p", (void *)16); /* already has its 0x */
}

static void test_grouping_flags_change_nothing(void **state)
{
    (void)state;
    EXPECT_UNCHECKED("1234567", "%'d", 1234567);
    EXPECT_UNCHECKED("1234567", "%Id", 1234567);
}

/*
 * After a conversion kprintf does not implement, the next argument is still the right one: the
 * %s must print its string, not read the skipped integer as a pointer.
 */
static void test_unknown_conversion_keeps_later_arguments(void **state)
{
    (void)state;
    EXPECT_UNCHECKED("%!q ok", "%q %s", 0x41414141, "ok");
    EXPECT_UNCHECKED("%!q ok", "%lq %s", 0x4141414141414141L, "ok");
    EXPECT_UNCHECKED("%!y 5", "%5y %d", 99, 5);
    EXPECT_UNCHECKED("%!C ok", "%C %s", 'x', "ok");
    EXPECT_UNCHECKED("%!c ok", "%lc %s", 'x', "ok");
    EXPECT_UNCHECKED("%!s ok", "%ls %s", (void *)"w", "ok");
    EXPECT_UNCHECKED("%!S ok", "%S %s", (void *)"w", "ok");
    EXPECT_UNCHECKED("%!k 3 4", "%*k %d %d", 2, 9, 3, 4); /* the '*' width is taken as well */
}

static void test_count_conversion_writes_nothing(void **state)
{
    int count = 12345;

    (void)state;
    EXPECT_UNCHECKED("ab%!n ok", "ab%n %s", &count, "ok");
    assert_int_equal(count, 12345);
}

/* %m and the floating-point conversions take no integer argument. */
static void test_conversions_without_an_integer_argument(void **state)
{
    (void)state;
    EXPECT_UNCHECKED("%!m ok", "%m %s", "ok");
    EXPECT_UNCHECKED("%!f %!e %!g %!a %!G ok", "%f %e %g %a %G %s", "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plus_and_space_signs),
        cmocka_unit_test(test_alternate_hex),
        cmocka_unit_test(test_octal),
        cmocka_unit_test(test_zero_flag_with_precision_and_minus),
        cmocka_unit_test(test_ptrdiff_intmax_and_size),
        cmocka_unit_test(test_characters_pointers_percent),
        cmocka_unit_test(test_grouping_flags_change_nothing),
        cmocka_unit_test(test_unknown_conversion_keeps_later_arguments),
        cmocka_unit_test(test_count_conversion_writes_nothing),
        cmocka_unit_test(test_conversions_without_an_integer_argument),
    };

    return cmocka_run_group_tests_name("kprintf flags", tests, NULL, NULL);
}
