/* The kernel's GDT, its TSS and the IST stacks the TSS points to. */
#include "arch/x86_64/gdt.h"

#include "arch/x86_64/stack.h"
#include "kernel/compiler.h"

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

static uint64_t gdt[GDT_ENTRIES] __aligned(16);
static struct tss tss __aligned(16);

/*
 * Each IST stack with its guard page right below it, which the kernel's page tables leave
 * unmapped, so that an overflow faults instead of running into the stack below. (The boot page
 * tables, in use until arch_paging_init, leave only the boot stack's guard out.)
 */
static struct {
    uint8_t guard[STACK_GUARD_SIZE];
    uint8_t stack[IST_STACK_SIZE];
} ist_stacks[IST_STACKS] __aligned(STACK_GUARD_SIZE);

static const char *const ist_names[IST_STACKS] = {
    [IST_DOUBLE_FAULT - 1] = "double fault",
    [IST_NMI - 1] = "NMI",
    [IST_MACHINE_CHECK - 1] = "machine check",
};

/* SDM vol. 3A, 8.2.3, figure 8-4: a 16-byte system descriptor for the TSS. */
static void set_tss_descriptor(uint64_t *entry, uint64_t base, uint32_t limit)
{
    entry[0] = (limit & 0xffffull) | (base & 0xffffffull) << 16 | SEG_TYPE_TSS | SEG_PRESENT |
               (uint64_t)(limit >> 16 & 0xf) << 48 | (base >> 24 & 0xffull) << 56;
    entry[1] = base >> 32;
}

void gdt_init(void)
{
    gdt[0] = 0;
    gdt[GDT_KERNEL_CODE / 8] = GDT_KERNEL_CODE_DESCRIPTOR;
    gdt[GDT_KERNEL_DATA / 8] = GDT_KERNEL_DATA_DESCRIPTOR;

    /* The CPU pushes onto these, so each IST entry is the top (the end) of its stack. */
    for (int i = 0; i < IST_STACKS; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i].stack + IST_STACK_SIZE);
    tss.iomap_base = sizeof(tss);
    set_tss_descriptor(&gdt[GDT_TSS / 8], (uint64_t)(uintptr_t)&tss, sizeof(tss) - 1);

    struct descriptor_table_pointer gdtr = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
    __asm__ volatile("lgdt %0" : : "m"(gdtr));

    /*
     * The segment registers keep their old descriptors until reloaded. CS can only be reloaded by
     * a far jump, call or return: push the new CS and the address of the next instruction, and
     * "return" there.
     */
    __asm__ volatile("pushq %[code]\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %[data], %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movl %%eax, %%fs\n\t"
                     "movl %%eax, %%gs\n\t"
                     :
                     : [code] "i"(GDT_KERNEL_CODE), [data] "i"(GDT_KERNEL_DATA)
                     : "rax", "memory");

    /* LTR marks the TSS descriptor busy (SDM vol. 3A, 8.2.4): the one write the GDT still needs. */
    __asm__ volatile("ltr %w0" : : "r"(GDT_TSS));
}

bool ist_stack_bounds(uintptr_t addr, uintptr_t *low, uintptr_t *high)
{
    for (int i = 0; i < IST_STACKS; i++) {
        uintptr_t start = (uintptr_t)ist_stacks[i].stack;
        if (addr >= start && addr < start + IST_STACK_SIZE) {
            *low = start;
            *high = start + IST_STACK_SIZE;
            return true;
        }
    }
    return false;
}

uintptr_t ist_stack_guard(unsigned ist, const char **name)
{
    *name = ist_names[ist - 1];
    return (uintptr_t)ist_stacks[ist - 1].guard;
}
