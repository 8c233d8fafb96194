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

#define IST_STACK_SIZE (8 * 1024)

/*
 * Intel SDM vol. 3A, 8.7 "Task Management in 64-bit Mode", figure 8-11. rsp[0..2]: the stacks for
 * a switch to ring 0..2 (unused until there is user mode); ist[0..6]: IST1..IST7.
 */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base; /* offset of the I/O permission bitmap; past the end = none */
} __packed;

_Static_assert(sizeof(struct tss) == 104, "the 64-bit TSS is 104 bytes");

enum { GDT_ENTRIES = 5 }; /* null, code, data, and the TSS, which takes two entries */

/*
 * One CPU's GDT and TSS. Every CPU needs a TSS of its own (its own IST stacks; and LTR marks the
 * descriptor busy, so two CPUs cannot load the same one), hence a GDT of its own to hold it.
 */
struct cpu_tables {
    uint64_t gdt[GDT_ENTRIES] __aligned(16);
    struct tss tss __aligned(16);
};

/*
 * Fills tables in (ist_top[i]: the top of the stack for IST slot i + 1) and loads them on this
 * CPU: the GDT, every segment register, the TSS. FS and GS get the null selector: percpu_load
 * sets the GS base afterwards.
 */
void gdt_load(struct cpu_tables *tables, const uintptr_t ist_top[IST_STACKS]);

/* The boot CPU's tables and IST stacks, in the kernel image: gdt_load on them. */
void gdt_init(void);

/* The lowest byte of the boot CPU's IST stack ist (1..IST_STACKS); its guard page is below. */
uintptr_t gdt_boot_ist_stack(unsigned ist);

/* "double fault", "NMI", "machine check": the name of IST slot ist (1..IST_STACKS). */
const char *ist_stack_name(unsigned ist);
