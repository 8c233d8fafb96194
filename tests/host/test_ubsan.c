/*
 * Host tests of keel's UBSan handlers (kernel/ubsan.c): each is called as the compiler would call
 * it, with the data it would build, and the report is read back from the recording console. The
 * values' decoding is checked at its edges: the sign of narrow and wide types, and each of the
 * ways a shift goes wrong.
 */
#include "tests/host/panic_double.h"

#include <string.h>

#include "kernel/console.h"
#include "kernel/ubsan_abi.h"
#include "tests/host/console_stub.h"

/* The pieces of the kernel the handlers call that a host test has no use for. */
void console_set_colour(enum console_colour fg, enum console_colour bg)
{
    (void)fg;
    (void)bg;
}

void backtrace_print(uintptr_t pc, uintptr_t fp)
{
    (void)pc;
    (void)fp;
    console_write(" backtrace\n", 11);
}

/* Integer type descriptors: info is log2(width) << 1, plus 1 when signed. */
#define INTEGER_TYPE(var, bits_log2, is_signed, text)                                              \
    static struct {                                                                                \
        uint16_t kind, info;                                                                       \
        char name[sizeof(text)];                                                                   \
    } var = {UBSAN_TYPE_INTEGER, (bits_log2) << 1 | (is_signed), text} /* NOLINT: a declarator */

INTEGER_TYPE(int_type, 5, 1, "'int'");
INTEGER_TYPE(signed_char_type, 3, 1, "'signed char'");
INTEGER_TYPE(unsigned_type, 5, 0, "'unsigned int'");
INTEGER_TYPE(long_type, 6, 1, "'long'");
INTEGER_TYPE(int128_type, 7, 1, "'__int128'");

#define TYPE(var) ((const struct ubsan_type *)&(var))

/* A fresh place each time: the handlers report each place once. */
static struct ubsan_source_location place(uint32_t line)
{
    console_stub_reset();
    return (struct ubsan_source_location){"kernel/example.c", line, 7};
}

static void assert_output_has(const char *text)
{
    if (strstr(console_stub_output, text) == NULL)
        fail_msg("'%s' not in:\n%s", text, console_stub_output);
}

static void test_signed_overflow_report(void **state)
{
    (void)state;
    struct ubsan_overflow_data data = {place(12), TYPE(int_type)};

    __ubsan_handle_add_overflow(&data, 2147483647, 1);
    assert_output_has("undefined behaviour: signed integer overflow at kernel/example.c:12:7\n");
    assert_output_has("  2147483647 + 1 does not fit in 'int'\n");
    assert_output_has(" backtrace\n");
}

/* A narrow signed value comes sign-extended only from its own width. */
static void test_values_are_decoded_by_their_type(void **state)
{
    (void)state;
    struct ubsan_overflow_data data = {place(13), TYPE(signed_char_type)};

    __ubsan_handle_sub_overflow(&data, 0x80, 0x7f);
    assert_output_has("  -128 - 127 does not fit in 'signed char'\n");

    struct ubsan_overflow_data unsigned_data = {place(14), TYPE(unsigned_type)};
    __ubsan_handle_mul_overflow(&unsigned_data, 0xffffffff, 2);
    assert_output_has("unsigned integer overflow");
    assert_output_has("  4294967295 * 2 does not fit in 'unsigned int'\n");

    struct ubsan_overflow_data long_data = {place(15), TYPE(long_type)};
    __ubsan_handle_negate_overflow(&long_data, (ubsan_value)INT64_MIN);
    assert_output_has("  -(-9223372036854775808) does not fit in 'long'\n");
}

/* Wider than a pointer: the handle points at the value. */
static void test_wide_values_are_read_through_the_handle(void **state)
{
    (void)state;
    uint64_t lhs[2] = {0x1, 0x7fffffffffffffff}, rhs[2] = {0x2, 0};
    struct ubsan_overflow_data data = {place(16), TYPE(int128_type)};

    __ubsan_handle_add_overflow(&data, (ubsan_value)lhs, (ubsan_value)rhs);
    assert_output_has("  0x7fffffffffffffff0000000000000001 + 0x00000000000000000000000000000002");
}

static void test_each_place_is_reported_once(void **state)
{
    (void)state;
    struct ubsan_overflow_data data = {place(17), TYPE(int_type)};

    __ubsan_handle_add_overflow(&data, 1, 2147483647);
    assert_true(console_stub_length > 0);
    console_stub_reset();
    __ubsan_handle_add_overflow(&data, 1, 2147483647);
    assert_int_equal(console_stub_length, 0);
}

/* The exponent of a shift of a 32-bit int: 31 is the last that is allowed, 32 the first not. */
static void test_shift_reports(void **state)
{
    (void)state;
    struct ubsan_shift_data data = {place(20), TYPE(int_type), TYPE(int_type)};

    __ubsan_handle_shift_out_of_bounds(&data, 1, 32);
    assert_output_has("  the shift exponent 32 is too large for the 32-bit type 'int'\n");

    data.location = place(21);
    __ubsan_handle_shift_out_of_bounds(&data, 1, (ubsan_value)(uint32_t)-1);
    assert_output_has("  the shift exponent -1 is negative\n");

    data.location = place(22);
    __ubsan_handle_shift_out_of_bounds(&data, (ubsan_value)(uint32_t)-3, 31);
    assert_output_has("  left shift of the negative value -3\n");

    data.location = place(23);
    __ubsan_handle_shift_out_of_bounds(&data, 3, 31);
    assert_output_has("  3 << 31 does not fit in 'int'\n");
}

static void test_division_reports(void **state)
{
    (void)state;
    struct ubsan_overflow_data data = {place(30), TYPE(int_type)};

    __ubsan_handle_divrem_overflow(&data, 5, 0);
    assert_output_has("undefined behaviour: division by zero at kernel/example.c:30:7\n");
    assert_output_has("  5 / 0 in 'int'\n");

    data.location = place(31);
    __ubsan_handle_divrem_overflow(&data, (ubsan_value)(uint32_t)INT32_MIN,
                                   (ubsan_value)(uint32_t)-1);
    assert_output_has("signed integer overflow");
    assert_output_has("  -2147483648 / -1 does not fit in 'int'\n");
}

/* One check, three reports: null, misaligned (off by one from aligned), too small. */
static void test_pointer_reports(void **state)
{
    (void)state;
    struct ubsan_type_mismatch_data data = {place(40), TYPE(int_type), 2, 0};

    __ubsan_handle_type_mismatch_v1(&data, 0);
    assert_output_has("undefined behaviour: null pointer at");
    assert_output_has("  load of a null pointer of type 'int'\n");

    data.location = place(41);
    data.type_check_kind = 1;
    __ubsan_handle_type_mismatch_v1(&data, 0x1003);
    assert_output_has("undefined behaviour: misaligned access at");
    assert_output_has(
        "  store to address 0x0000000000001003, which needs 4-byte alignment for type 'int'\n");

    data.location = place(42);
    __ubsan_handle_type_mismatch_v1(&data, 0x1004);
    assert_output_has("undefined behaviour: object too small at");
}

static void test_index_and_value_reports(void **state)
{
    (void)state;
    struct ubsan_out_of_bounds_data bounds = {place(50), TYPE(int_type), TYPE(long_type)};

    __ubsan_handle_out_of_bounds(&bounds, 4);
    assert_output_has("undefined behaviour: index out of bounds at");
    assert_output_has("  index 4 is outside the array of type 'int'\n");

    struct ubsan_value_data value = {place(51), TYPE(unsigned_type)};
    __ubsan_handle_load_invalid_value(&value, 2);
    assert_output_has("undefined behaviour: invalid value at");
    assert_output_has("  2 is not a valid value of type 'unsigned int'\n");
}

static void test_unreachable_panics(void **state)
{
    (void)state;
    struct ubsan_location_data data = {place(60)};

    expect_panic(__ubsan_handle_builtin_unreachable(&data));
    assert_non_null(strstr(panic_message, "unreachable code reached at kernel/example.c:60"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed_overflow_report),
        cmocka_unit_test(test_values_are_decoded_by_their_type),
        cmocka_unit_test(test_wide_values_are_read_through_the_handle),
        cmocka_unit_test(test_each_place_is_reported_once),
        cmocka_unit_test(test_shift_reports),
        cmocka_unit_test(test_division_reports),
        cmocka_unit_test(test_pointer_reports),
        cmocka_unit_test(test_index_and_value_reports),
        cmocka_unit_test(test_unreachable_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
