/*
 * Bugs made on purpose in C, for keel.crash= (arch/x86_64/cpu/crash.c): the mistakes that only the
 * compiler's instrumentation catches, so they must be written in C, unlike the CPU faults.
 */
#pragma once

/* Writes past the end of a local array, over the stack protector's canary: a panic. */
void smash_stack(void);

/*
 * A signed integer overflow. The UBSan build (make UBSAN=1) reports it and carries on; any other
 * build says it cannot, without doing it (it would be undefined behaviour, unchecked).
 */
void undefined_behaviour(void);
