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

/*
 * IST slots (1-7; 0 in a gate means "stay on the current stack"). These exceptions get a known
 * good stack of their own, because they can arrive when the current one is unusable: a double
 * fault after the kernel stack overflowed, an NMI or a machine check at any instruction.
 */
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3

/* The operand of LGDT and LIDT (Intel SDM vol. 3A, 3.5.1, 6.10): the table's size - 1, its base. */
struct descriptor_table_pointer {
    uint16_t limit;
    uint64_t base;
} __packed;

/* Loads the GDT, reloads every segment register, and loads the TSS. */
void gdt_init(void);

/* When addr lies on one of the IST stacks: its bounds [*low, *high). */
bool ist_stack_bounds(uintptr_t addr, uintptr_t *low, uintptr_t *high);
