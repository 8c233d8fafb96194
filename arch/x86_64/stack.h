/* The boot stack (boot/entry64.asm) and the unmapped guard page below it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define BOOT_STACK_GUARD_SIZE 4096

/* Linker symbols: only their addresses mean something. */
extern char boot_stack_guard[], boot_stack_top[];

/* An access here means the boot stack overflowed: it grows down into its guard page. */
static inline bool in_boot_stack_guard(uint64_t addr)
{
    uint64_t guard = (uint64_t)(uintptr_t)boot_stack_guard;

    return addr >= guard && addr < guard + BOOT_STACK_GUARD_SIZE;
}
