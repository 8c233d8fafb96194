/*
 * Boundary cases of kernel/string.c: every function exactly at its bound, on blocks malloc'd to
 * exactly that many bytes with no NUL after them, so AddressSanitizer sees a read or write one
 * past the end; and the byte just outside the bound, which must be left alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kernel/string.h"

/* n bytes of text (not NUL-terminated) in a block of exactly n bytes. */
static char *exact(const char *text, size_t n)
{
    char *s = malloc(n ? n : 1);

    assert_non_null(s);
    memcpy(s, text, n);
    return s;
}

static void test_strnlen_at_the_bound(void **state)
{
    char *s = exact("abcd", 4);

    (void)state;
    assert_int_equal(strnlen(s, 4), 4);
    assert_int_equal(strnlen(s, 3), 3);
    assert_int_equal(strnlen(s, 0), 0);
    free(s);
    s = exact("ab\0d", 4);
    assert_int_equal(strnlen(s, 4), 2);
    assert_int_equal(strnlen(s, 2), 2);
    assert_int_equal(strnlen(s, 1), 1);
    free(s);
    s = exact("\0", 1);
    assert_int_equal(strnlen(s, 1), 0);
    assert_int_equal(strlen(s), 0);
    free(s);
}

static void test_strncmp_at_the_bound(void **state)
{
    char *a = exact("abcd", 4), *b = exact("abcd", 4), *c = exact("abce", 4);

    (void)state;
    assert_int_equal(strncmp(a, b, 4), 0);
    assert_int_equal(strncmp(a, c, 3), 0);
    assert_int_equal(strncmp(a, c, 4), -1);
    assert_int_equal(strncmp(c, a, 4), 1);
    assert_int_equal(strncmp(a, c, 0), 0);
    free(a);
    free(b);
    free(c);
    /* Equal up to a NUL: what follows it is not compared. */
    a = exact("ab\0x", 4);
    b = exact("ab\0y", 4);
    assert_int_equal(strncmp(a, b, 4), 0);
    assert_int_equal(strcmp(a, b), 0);
    free(a);
    free(b);
    /* 0xff sorts after 'a': the bytes are compared as unsigned char. */
    a = exact("\xff", 2);
    b = exact("a", 2);
    assert_int_equal(strcmp(a, b), 1);
    free(a);
    free(b);
}

static void test_memcmp_at_the_bound(void **state)
{
    char *a = exact("abcd", 4), *b = exact("abce", 4);

    (void)state;
    assert_int_equal(memcmp(a, b, 3), 0);
    assert_int_equal(memcmp(a, b, 4), -1);
    assert_int_equal(memcmp(b, a, 4), 1);
    assert_int_equal(memcmp(a, b, 0), 0);
    free(a);
    free(b);
    a = exact("\x80", 1);
    b = exact("\x7f", 1);
    assert_int_equal(memcmp(a, b, 1), 1); /* unsigned: 0x80 > 0x7f */
    free(a);
    free(b);
}

static void test_copies_fill_exactly_n(void **state)
{
    char *src = exact("12345", 5);
    char *dst = exact("xxxxxx", 6);

    (void)state;
    memcpy(dst, src, 5);
    assert_memory_equal(dst, "12345x", 6);
    memset(dst, 'z', 6);
    assert_memory_equal(dst, "zzzzzz", 6);
    memset(dst, 'y', 5);
    assert_memory_equal(dst, "yyyyyz", 6);
    memmove(dst + 1, dst, 5); /* forward overlap, up to the last byte */
    assert_memory_equal(dst, "yyyyyy", 6);
    memcpy(dst, "abcdef", 6);
    memmove(dst, dst + 1, 5); /* backward overlap */
    assert_memory_equal(dst, "bcdeff", 6);
    memcpy(dst, "abcdef", 6);
    memmove(dst + 1, dst, 5);
    assert_memory_equal(dst, "aabcde", 6);
    memmove(dst, dst, 6); /* onto itself */
    assert_memory_equal(dst, "aabcde", 6);
    free(src);
    free(dst);
}

static void test_strchr_finds_the_terminator(void **state)
{
    char *s = exact("ab", 3);

    (void)state;
    assert_ptr_equal(strchr(s, 'b'), s + 1);
    assert_ptr_equal(strchr(s, '\0'), s + 2);
    assert_null(strchr(s, 'c'));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strnlen_at_the_bound),
        cmocka_unit_test(test_strncmp_at_the_bound),
        cmocka_unit_test(test_memcmp_at_the_bound),
        cmocka_unit_test(test_copies_fill_exactly_n),
        cmocka_unit_test(test_strchr_finds_the_terminator),
    };

    return cmocka_run_group_tests_name("string bounds", tests, NULL, NULL);
}
