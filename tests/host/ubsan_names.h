/*
 * Force-included, after host_names.h, into kernel/ubsan.c and its host test: keel's UBSan
 * handlers under names of their own, so that they neither clash with the host's UBSan runtime
 * (the host tests are built with -fsanitize=undefined) nor receive its reports.
 */
#pragma once

#define __ubsan_handle_add_overflow           keel_ubsan_handle_add_overflow
#define __ubsan_handle_sub_overflow           keel_ubsan_handle_sub_overflow
#define __ubsan_handle_mul_overflow           keel_ubsan_handle_mul_overflow
#define __ubsan_handle_negate_overflow        keel_ubsan_handle_negate_overflow
#define __ubsan_handle_divrem_overflow        keel_ubsan_handle_divrem_overflow
#define __ubsan_handle_shift_out_of_bounds    keel_ubsan_handle_shift_out_of_bounds
#define __ubsan_handle_out_of_bounds          keel_ubsan_handle_out_of_bounds
#define __ubsan_handle_type_mismatch_v1       keel_ubsan_handle_type_mismatch_v1
#define __ubsan_handle_vla_bound_not_positive keel_ubsan_handle_vla_bound_not_positive
#define __ubsan_handle_load_invalid_value     keel_ubsan_handle_load_invalid_value
#define __ubsan_handle_builtin_unreachable    keel_ubsan_handle_builtin_unreachable
#define __ubsan_handle_nonnull_arg            keel_ubsan_handle_nonnull_arg
#define __ubsan_handle_nonnull_return_v1      keel_ubsan_handle_nonnull_return_v1
#define __ubsan_handle_pointer_overflow       keel_ubsan_handle_pointer_overflow
#define __ubsan_handle_invalid_builtin        keel_ubsan_handle_invalid_builtin
#define __ubsan_handle_alignment_assumption   keel_ubsan_handle_alignment_assumption
