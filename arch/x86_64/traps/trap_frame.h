/* The registers of interrupted code, as arch/x86_64/traps/exception_entry.asm saves them on the
 * stack. */
#pragma once

#include <stdint.h>

struct trap_frame {
    /* Pushed by trap_common (exception_entry.asm), last first. */
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    /* Pushed by the vector's stub (error_code: by the CPU for some vectors, else 0). */
    uint64_t vector;
    uint64_t error_code;
    /* Pushed by the CPU (Intel SDM vol. 3A, figure 6-9): always SS:RSP too, in 64-bit mode. */
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8,
               "struct trap_frame must match exception_entry.asm");
