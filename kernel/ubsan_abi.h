/*
 * What the compilers hand to the UBSan runtime (kernel/ubsan.c): the handlers' names and
 * arguments, and the data that describes each check. This is the interface GCC and Clang share
 * with their own runtime (compiler-rt's ubsan_handlers.h; GCC's ubsan.c builds the same data).
 */
#pragma once

#include <stdint.h>
#include <stdnoreturn.h>

struct ubsan_source_location {
    const char *file;
    uint32_t line;
    uint32_t column; /* kernel/ubsan.c uses bit 31, which the compiler leaves 0 */
};

/* A C type as the compiler describes it. */
struct ubsan_type {
    uint16_t kind; /* UBSAN_TYPE_* */
    /* Integers: bit 0 set when signed, bits 15..1 the log2 of the width in bits. */
    uint16_t info;
    char name[]; /* as written in the source, e.g. "int", "unsigned char" */
};

#define UBSAN_TYPE_INTEGER 0x0000
#define UBSAN_TYPE_FLOAT   0x0001

/*
 * A value is passed as a pointer-sized handle: an integer no wider than a pointer is the handle
 * itself, a wider one (__int128) is stored elsewhere and the handle points at it.
 */
typedef uintptr_t ubsan_value;

struct ubsan_overflow_data {
    struct ubsan_source_location location;
    const struct ubsan_type *type;
};

struct ubsan_shift_data {
    struct ubsan_source_location location;
    const struct ubsan_type *lhs_type, *rhs_type;
};

struct ubsan_out_of_bounds_data {
    struct ubsan_source_location location;
    const struct ubsan_type *array_type, *index_type;
};

struct ubsan_type_mismatch_data {
    struct ubsan_source_location location;
    const struct ubsan_type *type;
    uint8_t log_alignment;   /* the alignment the type needs, as a power of 2 */
    uint8_t type_check_kind; /* what was done with the pointer: an index into access_kinds */
};

struct ubsan_value_data { /* vla_bound, load_invalid_value */
    struct ubsan_source_location location;
    const struct ubsan_type *type;
};

struct ubsan_location_data { /* unreachable, pointer_overflow */
    struct ubsan_source_location location;
};

struct ubsan_nonnull_arg_data {
    struct ubsan_source_location location;
    struct ubsan_source_location attribute_location;
    int argument; /* 1-based */
};

struct ubsan_nonnull_return_data {
    struct ubsan_source_location attribute_location;
};

struct ubsan_invalid_builtin_data {
    struct ubsan_source_location location;
    uint8_t builtin; /* 0: __builtin_ctz, 1: __builtin_clz */
};

struct ubsan_alignment_assumption_data {
    struct ubsan_source_location location;
    struct ubsan_source_location assumption_location;
    const struct ubsan_type *type;
};

/* Every handler the checks in UBSAN_CHECKS (Makefile) call, GCC's and Clang's. */
void __ubsan_handle_add_overflow(struct ubsan_overflow_data *data, ubsan_value lhs,
                                 ubsan_value rhs);
void __ubsan_handle_sub_overflow(struct ubsan_overflow_data *data, ubsan_value lhs,
                                 ubsan_value rhs);
void __ubsan_handle_mul_overflow(struct ubsan_overflow_data *data, ubsan_value lhs,
                                 ubsan_value rhs);
void __ubsan_handle_negate_overflow(struct ubsan_overflow_data *data, ubsan_value old);
void __ubsan_handle_divrem_overflow(struct ubsan_overflow_data *data, ubsan_value lhs,
                                    ubsan_value rhs);
void __ubsan_handle_shift_out_of_bounds(struct ubsan_shift_data *data, ubsan_value lhs,
                                        ubsan_value rhs);
void __ubsan_handle_out_of_bounds(struct ubsan_out_of_bounds_data *data, ubsan_value index);
void __ubsan_handle_type_mismatch_v1(struct ubsan_type_mismatch_data *data, ubsan_value pointer);
void __ubsan_handle_vla_bound_not_positive(struct ubsan_value_data *data, ubsan_value bound);
void __ubsan_handle_load_invalid_value(struct ubsan_value_data *data, ubsan_value value);
noreturn void __ubsan_handle_builtin_unreachable(struct ubsan_location_data *data);
void __ubsan_handle_nonnull_arg(struct ubsan_nonnull_arg_data *data);
void __ubsan_handle_nonnull_return_v1(struct ubsan_nonnull_return_data *data,
                                      struct ubsan_source_location *location);
void __ubsan_handle_pointer_overflow(struct ubsan_location_data *data, ubsan_value base,
                                     ubsan_value result);
void __ubsan_handle_invalid_builtin(struct ubsan_invalid_builtin_data *data);
void __ubsan_handle_alignment_assumption(struct ubsan_alignment_assumption_data *data,
                                         ubsan_value pointer, ubsan_value alignment,
                                         ubsan_value offset);
