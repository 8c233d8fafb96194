/*
 * The kernel's stacks: the boot stack (boot/entry64.asm) and the IST stacks (gdt.c), each with an
 * unmapped guard page right below it, so that an overflow faults instead of overwriting whatever
 * lies below.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/phys.h"

/* Each guard is one page, the smallest thing the page tables can leave unmapped. */
#define STACK_GUARD_SIZE PAGE_SIZE

/* Linker symbols: only their addresses mean something. */
extern char boot_stack_guard[], boot_stack_top[];

/* Guard pages: the boot stack's, then one per IST stack. */
#define STACK_GUARDS 4

/* The i-th guard page (0 <= i < STACK_GUARDS), for the page tables to leave unmapped. */
uintptr_t stack_guard_page(unsigned i);

/*
 * When addr lies in a guard page: the name of the stack it guards ("boot", "NMI", ...), and the
 * page in *page. NULL otherwise.
 */
const char *stack_guard_owner(uint64_t addr, uintptr_t *page);
