/*
 * CPU exceptions: vectors 0-31, each reported as a readable panic (registers, decoded error
 * code, backtrace) instead of the triple fault that resets the machine without a word.
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/traps/trap_frame.h"

#define EXCEPTION_VECTORS 32

/* The vectors the kernel treats specially (Intel SDM vol. 3A, table 6-1). */
#define EXCEPTION_DIVIDE_ERROR       0
#define EXCEPTION_NMI                2
#define EXCEPTION_BREAKPOINT         3
#define EXCEPTION_INVALID_OPCODE     6
#define EXCEPTION_DOUBLE_FAULT       8
#define EXCEPTION_INVALID_TSS        10
#define EXCEPTION_SEGMENT_MISSING    11
#define EXCEPTION_STACK_FAULT        12
#define EXCEPTION_GENERAL_PROTECTION 13
#define EXCEPTION_PAGE_FAULT         14
#define EXCEPTION_MACHINE_CHECK      18

/* Intel SDM vol. 3A, 4.7: the page-fault error code. */
#define PF_PRESENT     (1u << 0) /* 0: the page was not present; 1: a protection violation */
#define PF_WRITE       (1u << 1)
#define PF_USER        (1u << 2)
#define PF_RESERVED    (1u << 3) /* a reserved bit was set in a paging entry */
#define PF_INSTRUCTION (1u << 4) /* an instruction fetch (reported only with NX or SMEP on) */

/* "page fault (#PF)", for any vector 0-31. */
const char *exception_name(unsigned vector);

/* " RIP 0008:ffffffff80101234  kmain+0x4c": where the CPU was, with the function it was in. */
void exception_print_rip(const struct trap_frame *frame);

/* Called by exception_entry.asm for every exception, on the stack it arrived on. */
void exception_dispatch(struct trap_frame *frame);
