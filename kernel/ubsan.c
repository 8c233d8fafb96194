/*
 * The runtime of the UBSan build (make UBSAN=1, see the Makefile): the compiler puts a check before
 * each operation that could be undefined behaviour and, when one fails, calls one of the
 * __ubsan_handle_* functions below with a description of the place and the values. Each prints
 * "undefined behaviour: <kind> at <file>:<line>:<column>", the values, and a backtrace; then the
 * kernel carries on, or panics with keel.ubsan=panic. This file is built without the checks.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/backtrace.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/ubsan_abi.h"

/* Set in a place's column once it was reported: each place is reported once. */
#define LOCATION_REPORTED (1U << 31)

/* keel.ubsan=panic: the first report ends in a panic rather than carrying on. */
static bool ubsan_panics __ro_after_init;

static bool set_ubsan(const char *value)
{
    if (!value || strcmp(value, "panic") != 0)
        return false;
    ubsan_panics = true;
    return true;
}
CMDLINE_OPTION(ubsan, set_ubsan, "=panic makes the first undefined behaviour report a panic");

/* Set while a report is printed: undefined behaviour in the printing itself is not reported. */
static bool reporting;

/* Starts a report, or returns false when this place was reported already (or is being). */
static bool report_begin(struct ubsan_source_location *location, const char *kind)
{
    static struct ubsan_source_location unknown = {"(unknown file)", 0, 0};

    if (location == NULL)
        location = &unknown;
    if (reporting || (location->column & LOCATION_REPORTED))
        return false;
    reporting = true;
    location->column |= LOCATION_REPORTED;
    console_set_colour(COLOUR_YELLOW, COLOUR_BLACK);
    kprintf("undefined behaviour: %s at %s:%u:%u\n", kind, location->file, location->line,
            location->column & ~LOCATION_REPORTED);
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    return true;
}

/*
 * Where the handler was called from: the function that did it, and its frame. Taken in each
 * handler itself (a handler may tail-call the helpers, which then have no frame of their own).
 */
struct ubsan_caller {
    uintptr_t pc, fp;
};
#define CALLER                                                                                     \
    ((struct ubsan_caller){(uintptr_t)__builtin_return_address(0),                                 \
                           *(const uintptr_t *)__builtin_frame_address(0)})

static void report_end(const char *kind, struct ubsan_caller caller)
{
    if (ubsan_panics)
        panic("undefined behaviour: %s (keel.ubsan=panic)", kind);
    backtrace_print(caller.pc, caller.fp);
    reporting = false;
}

static unsigned type_bits(const struct ubsan_type *type)
{
    return 1U << (type->info >> 1);
}

static bool type_signed(const struct ubsan_type *type)
{
    return type->kind == UBSAN_TYPE_INTEGER && (type->info & 1);
}

/* A value wider than 64 bits, low half first (little-endian), through its handle. */
static const uint64_t *wide_value(ubsan_value value)
{
    static const uint64_t missing[2]; /* the compilers never pass a null handle: for the analyser */

    return value ? (const uint64_t *)value : missing;
}

/* The value, sign-extended when the type is signed; the low 64 bits of a wider one. */
static uint64_t value_bits(const struct ubsan_type *type, ubsan_value value)
{
    unsigned bits = type_bits(type);

    if (bits > 64)
        return wide_value(value)[0];
    uint64_t raw = (uint64_t)value;
    if (bits < 64 && type_signed(type) && (raw >> (bits - 1) & 1))
        raw |= ~0ULL << bits;
    return raw;
}

static bool value_negative(const struct ubsan_type *type, ubsan_value value)
{
    if (!type_signed(type))
        return false;
    if (type_bits(type) > 64)
        return (int64_t)wide_value(value)[1] < 0;
    return (int64_t)value_bits(type, value) < 0;
}

/* One value in decimal; a value wider than 64 bits in hexadecimal, its two halves. */
static void format_value(char *buf, size_t size, const struct ubsan_type *type, ubsan_value value)
{
    if (type->kind != UBSAN_TYPE_INTEGER) {
        ksnprintf(buf, size, "(a value of type %s)", type->name);
    } else if (type_bits(type) > 64) {
        const uint64_t *halves = wide_value(value);
        ksnprintf(buf, size, "0x%016llx%016llx", (unsigned long long)halves[1],
                  (unsigned long long)halves[0]);
    } else if (type_signed(type)) {
        ksnprintf(buf, size, "%lld", (long long)value_bits(type, value));
    } else {
        ksnprintf(buf, size, "%llu", (unsigned long long)value_bits(type, value));
    }
}

/* Values print into these; reports do not nest, so one set is enough. */
static char lhs_text[40], rhs_text[40];

static void arithmetic_overflow(struct ubsan_overflow_data *data, ubsan_value lhs, ubsan_value rhs,
                                char operator, struct ubsan_caller caller)
{
    const char *kind =
        type_signed(data->type) ? "signed integer overflow" : "unsigned integer overflow";

    if (!report_begin(&data->location, kind))
        return;
    format_value(lhs_text, sizeof(lhs_text), data->type, lhs);
    format_value(rhs_text, sizeof(rhs_text), data->type, rhs);
    kprintf("  %s %c %s does not fit in %s\n", lhs_text, operator, rhs_text, data->type->name);
    report_end(kind, caller);
}

void __ubsan_handle_add_overflow(struct ubsan_overflow_data *data, ubsan_value lhs, ubsan_value rhs)
{
    arithmetic_overflow(data, lhs, rhs, '+', CALLER);
}

void __ubsan_handle_sub_overflow(struct ubsan_overflow_data *data, ubsan_value lhs, ubsan_value rhs)
{
    arithmetic_overflow(data, lhs, rhs, '-', CALLER);
}

void __ubsan_handle_mul_overflow(struct ubsan_overflow_data *data, ubsan_value lhs, ubsan_value rhs)
{
    arithmetic_overflow(data, lhs, rhs, '*', CALLER);
}

void __ubsan_handle_negate_overflow(struct ubsan_overflow_data *data, ubsan_value old)
{
    const char *kind = "signed integer overflow";

    if (!report_begin(&data->location, kind))
        return;
    format_value(lhs_text, sizeof(lhs_text), data->type, old);
    kprintf("  -(%s) does not fit in %s\n", lhs_text, data->type->name);
    report_end(kind, CALLER);
}

/* Division by zero, or the most negative value divided by -1, whose quotient is too big. */
void __ubsan_handle_divrem_overflow(struct ubsan_overflow_data *data, ubsan_value lhs,
                                    ubsan_value rhs)
{
    bool by_zero = value_bits(data->type, rhs) == 0;
    const char *kind = by_zero ? "division by zero" : "signed integer overflow";

    if (!report_begin(&data->location, kind))
        return;
    format_value(lhs_text, sizeof(lhs_text), data->type, lhs);
    format_value(rhs_text, sizeof(rhs_text), data->type, rhs);
    kprintf("  %s / %s%s in %s\n", lhs_text, rhs_text, by_zero ? "" : " does not fit",
            data->type->name);
    report_end(kind, CALLER);
}

/* C11 6.5.7: the exponent must lie in [0, width); a signed left shift must stay positive. */
void __ubsan_handle_shift_out_of_bounds(struct ubsan_shift_data *data, ubsan_value lhs,
                                        ubsan_value rhs)
{
    const char *kind = "shift out of bounds";

    if (!report_begin(&data->location, kind))
        return;
    format_value(lhs_text, sizeof(lhs_text), data->lhs_type, lhs);
    format_value(rhs_text, sizeof(rhs_text), data->rhs_type, rhs);
    if (value_negative(data->rhs_type, rhs))
        kprintf("  the shift exponent %s is negative\n", rhs_text);
    else if (value_bits(data->rhs_type, rhs) >= type_bits(data->lhs_type))
        kprintf("  the shift exponent %s is too large for the %u-bit type %s\n", rhs_text,
                type_bits(data->lhs_type), data->lhs_type->name);
    else if (value_negative(data->lhs_type, lhs))
        kprintf("  left shift of the negative value %s\n", lhs_text);
    else
        kprintf("  %s << %s does not fit in %s\n", lhs_text, rhs_text, data->lhs_type->name);
    report_end(kind, CALLER);
}

void __ubsan_handle_out_of_bounds(struct ubsan_out_of_bounds_data *data, ubsan_value index)
{
    const char *kind = "index out of bounds";

    if (!report_begin(&data->location, kind))
        return;
    format_value(lhs_text, sizeof(lhs_text), data->index_type, index);
    kprintf("  index %s is outside the array of type %s\n", lhs_text, data->array_type->name);
    report_end(kind, CALLER);
}

/* What the program did with the pointer, by type_check_kind (the compilers' order). */
static const char *const access_kinds[] = {
    "load of",
    "store to",
    "reference binding to",
    "member access within",
    "member call on",
    "constructor call on",
    "downcast of",
    "downcast of",
    "upcast of",
    "cast to virtual base of",
    "_Nonnull binding to",
    "dynamic operation on",
};

/* One check, three kinds: a null pointer, a misaligned one, or an object too small for the type. */
void __ubsan_handle_type_mismatch_v1(struct ubsan_type_mismatch_data *data, ubsan_value pointer)
{
    uintptr_t alignment = (uintptr_t)1 << data->log_alignment;
    const char *access = data->type_check_kind < ARRAY_SIZE(access_kinds)
                             ? access_kinds[data->type_check_kind]
                             : "access to";
    const char *kind = pointer == 0 ? "null pointer"
                       : data->log_alignment != 0 && (pointer & (alignment - 1)) != 0
                           ? "misaligned access"
                           : "object too small";

    if (!report_begin(&data->location, kind))
        return;
    if (pointer == 0)
        kprintf("  %s a null pointer of type %s\n", access, data->type->name);
    else if (kind[0] == 'm')
        kprintf("  %s address %p, which needs %llu-byte alignment for type %s\n", access,
                (void *)pointer, (unsigned long long)alignment, data->type->name);
    else
        kprintf("  %s address %p, with too little space for an object of type %s\n", access,
                (void *)pointer, data->type->name);
    report_end(kind, CALLER);
}

void __ubsan_handle_vla_bound_not_positive(struct ubsan_value_data *data, ubsan_value bound)
{
    const char *kind = "variable-length array bound not positive";

    if (!report_begin(&data->location, kind))
        return;
    format_value(lhs_text, sizeof(lhs_text), data->type, bound);
    kprintf("  the bound is %s\n", lhs_text);
    report_end(kind, CALLER);
}

/* A bool that is neither 0 nor 1, or an enum outside its enumerators' range. */
void __ubsan_handle_load_invalid_value(struct ubsan_value_data *data, ubsan_value value)
{
    const char *kind = "invalid value";

    if (!report_begin(&data->location, kind))
        return;
    format_value(lhs_text, sizeof(lhs_text), data->type, value);
    kprintf("  %s is not a valid value of type %s\n", lhs_text, data->type->name);
    report_end(kind, CALLER);
}

/* The compiler assumed this point is never reached; what follows it is not code to return to. */
void __ubsan_handle_builtin_unreachable(struct ubsan_location_data *data)
{
    const char *kind = "unreachable code reached";

    report_begin(&data->location, kind);
    panic("undefined behaviour: %s at %s:%u", kind, data->location.file, data->location.line);
}

void __ubsan_handle_nonnull_arg(struct ubsan_nonnull_arg_data *data)
{
    const char *kind = "null pointer argument";

    if (!report_begin(&data->location, kind))
        return;
    kprintf("  argument %d is null, but declared never to be at %s:%u\n", data->argument,
            data->attribute_location.file, data->attribute_location.line);
    report_end(kind, CALLER);
}

void __ubsan_handle_nonnull_return_v1(struct ubsan_nonnull_return_data *data,
                                      struct ubsan_source_location *location)
{
    const char *kind = "null pointer returned";

    if (!report_begin(location, kind))
        return;
    kprintf("  from a function declared never to return null at %s:%u\n",
            data->attribute_location.file, data->attribute_location.line);
    report_end(kind, CALLER);
}

/* Pointer arithmetic that wrapped around the address space, or made a null pointer non-null. */
void __ubsan_handle_pointer_overflow(struct ubsan_location_data *data, ubsan_value base,
                                     ubsan_value result)
{
    const char *kind = "pointer overflow";

    if (!report_begin(&data->location, kind))
        return;
    kprintf("  %p became %p\n", (void *)base, (void *)result);
    report_end(kind, CALLER);
}

void __ubsan_handle_invalid_builtin(struct ubsan_invalid_builtin_data *data)
{
    const char *kind = "invalid builtin use";

    if (!report_begin(&data->location, kind))
        return;
    kprintf("  %s of 0\n", data->builtin == 0 ? "__builtin_ctz" : "__builtin_clz");
    report_end(kind, CALLER);
}

/* Clang: a pointer that __builtin_assume_aligned promised was aligned is not. */
void __ubsan_handle_alignment_assumption(struct ubsan_alignment_assumption_data *data,
                                         ubsan_value pointer, ubsan_value alignment,
                                         ubsan_value offset)
{
    const char *kind = "misaligned access";

    if (!report_begin(&data->location, kind))
        return;
    kprintf("  %p (offset %llu) is not %llu-byte aligned, as assumed at %s:%u\n", (void *)pointer,
            (unsigned long long)offset, (unsigned long long)alignment,
            data->assumption_location.file, data->assumption_location.line);
    report_end(kind, CALLER);
}
