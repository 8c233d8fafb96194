/*
 * keel's GDT and TSS. In 64-bit mode segments are flat; the GDT still must hold a 64-bit code
 * segment, and the TSS, which no longer switches tasks but holds the stacks the CPU moves to on
 * an exception: the IST (interrupt stack table).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/compiler.h"

/* Selectors: the index of the descriptor times 8. The first two are the boot GDT's too. */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_TSS         0x18

/* SDM vol. 3A, 3.4.5: a segment descriptor's access byte and flags. */
#define SEG_PRESENT     (1ull << 47)
#define SEG_CODE_DATA   (1ull << 44) /* S: a code or data segment, not a system one */
#define SEG_EXECUTABLE  (1ull << 43)
#define SEG_WRITABLE    (1ull << 41) /* data: writable; code: readable */
#define SEG_ACCESSED    (1ull << 40) /* else the CPU sets it on loading the selector (3.4.5.1) */
#define SEG_LONG_MODE   (1ull << 53) /* L: 64-bit code */
#define SEG_GRANULARITY (1ull << 55) /* limit in 4 KiB units */
#define SEG_DB          (1ull << 54) /* 32-bit default size; must be 0 with L */
#define SEG_LIMIT_MAX   (0xffffull | 0xfull << 48)
#define SEG_TYPE_TSS    (0x9ull << 40) /* available 64-bit TSS (SDM vol. 3A, table 3-2) */

/*
 * The flat 64-bit code and data segments (the boot GDT, boot/boot_gdt.asm, has the same two).
 * Marked accessed, so that loading them never writes to the GDT: it can then be read-only, and an
 * AP can load them from wherever its trampoline finds the table.
 */
#define GDT_KERNEL_CODE_DESCRIPTOR                                                                 \
    (SEG_PRESENT | SEG_CODE_DATA | SEG_EXECUTABLE | SEG_WRITABLE | SEG_ACCESSED | SEG_LONG_MODE |  \
     SEG_GRANULARITY | SEG_LIMIT_MAX)
#define GDT_KERNEL_DATA_DESCRIPTOR                                                                 \
    (SEG_PRESENT | SEG_CODE_DATA | SEG_WRITABLE | SEG_ACCESSED | SEG_DB | SEG_GRANULARITY |        \
     SEG_LIMIT_MAX)

/*
 * IST slots (1-7; 0 in a gate means "stay on the current stack"). These exceptions get a known
 * good stack of their own, because they can arrive when the current one is unusable: a double
 * fault after the kernel stack overflowed, an NMI or a machine check at any instruction.
 */
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3
#define IST_STACKS        3

/* The operand of LGDT and LIDT (Intel SDM vol. 3A, 3.5.1, 6.10): the table's size - 1, its base. */
struct descriptor_table_pointer {
    uint16_t limit;
    uint64_t base;
} __packed;

/* Loads the GDT, reloads every segment register, and loads the TSS. */
void gdt_init(void);

/* When addr lies on one of the IST stacks: its bounds [*low, *high). */
bool ist_stack_bounds(uintptr_t addr, uintptr_t *low, uintptr_t *high);

/* The guard page below IST stack ist (1..IST_STACKS), and the stack's name in *name. */
uintptr_t ist_stack_guard(unsigned ist, const char **name);
