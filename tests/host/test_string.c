/* Host tests of kernel/string.c, the kernel's own memory and string functions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/string.h"

static void test_memcpy_copies_and_returns_dst(void **state)
{
    char dst[8] = "xxxxxxx";

    (void)state;
    assert_ptr_equal(memcpy(dst, "abc", 3), dst);
    assert_memory_equal(dst, "abcxxxx", 8);
    memcpy(dst, "q", 0);
    assert_int_equal(dst[0], 'a');
}

static void test_memmove_handles_overlap(void **state)
{
    char forward[] = "123456789";
    char backward[] = "123456789";

    (void)state;
    memmove(forward + 2, forward, 5); /* destination after source */
    assert_string_equal(forward, "121234589");
    memmove(backward, backward + 2, 5); /* destination before source */
    assert_string_equal(backward, "345676789");
}

static void test_memset_fills_bytes(void **state)
{
    unsigned char buf[5] = {1, 2, 3, 4, 5};

    (void)state;
    assert_ptr_equal(memset(buf + 1, 0x1ab, 3), buf + 1); /* only the low byte counts */
    assert_memory_equal(buf, ((unsigned char[]){1, 0xab, 0xab, 0xab, 5}), 5);
}

static void test_memcmp_orders_as_unsigned(void **state)
{
    (void)state;
    assert_int_equal(memcmp("abc", "abc", 3), 0);
    assert_true(memcmp("abc", "abd", 3) < 0);
    assert_true(memcmp("\x80", "\x01", 1) > 0);
    assert_int_equal(memcmp("a", "b", 0), 0);
}

static void test_lengths(void **state)
{
    (void)state;
    assert_int_equal(strlen(""), 0);
    assert_int_equal(strlen("keel"), 4);
    assert_int_equal(strnlen("keel", 2), 2);
    assert_int_equal(strnlen("keel", 10), 4);
}

static void test_comparisons(void **state)
{
    (void)state;
    assert_int_equal(strcmp("keel", "keel"), 0);
    assert_true(strcmp("keel", "keem") < 0);
    assert_true(strcmp("keel", "kee") > 0);
    assert_true(strcmp("\xff", "a") > 0);
    assert_int_equal(strncmp("keel.selftest", "keel.crash", 5), 0);
    assert_true(strncmp("keel.selftest", "keel.crash", 6) > 0);
    assert_int_equal(strncmp("ab", "ab", 100), 0);
}

static void test_strchr(void **state)
{
    const char *s = "keel.exit=qemu";

    (void)state;
    assert_ptr_equal(strchr(s, '='), s + 9);
    assert_ptr_equal(strchr(s, 'k'), s);
    assert_null(strchr(s, 'z'));
    assert_ptr_equal(strchr(s, '\0'), s + 14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy_copies_and_returns_dst),
        cmocka_unit_test(test_memmove_handles_overlap),
        cmocka_unit_test(test_memset_fills_bytes),
        cmocka_unit_test(test_memcmp_orders_as_unsigned),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_comparisons),
        cmocka_unit_test(test_strchr),
    };

    return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
