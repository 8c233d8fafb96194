/* What the self-tests (kernel/selftest.c) ask of the architecture, beyond kernel/arch.h. */
#pragma once

#include <stdint.h>
#include <stdnoreturn.h>

/*
 * Like C's setjmp/longjmp: arch_setjmp saves where it was called from and returns 0;
 * arch_longjmp(buffer, v) returns there again, with v (1 if v is 0). The function that called
 * arch_setjmp must not have returned in between. The self-tests use them to resume after a fault
 * they expected.
 */
struct arch_jump_buffer {
    uint64_t registers[8];
};
int arch_setjmp(struct arch_jump_buffer *buffer) __attribute__((returns_twice));
noreturn void arch_longjmp(struct arch_jump_buffer *buffer, int value);
