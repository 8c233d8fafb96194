/* The GDT and TSS of each CPU, and the boot CPU's IST stacks. */
#include "arch/x86_64/cpu/gdt.h"

#include "arch/x86_64/cpu/stack.h"
#include "kernel/compiler.h"

static struct cpu_tables boot_tables;

/*
 * The boot CPU's IST stacks, each with its guard page right below it, which the kernel's page
 * tables leave unmapped, so that an overflow faults instead of running into the stack below. (The
 * boot page tables, in use until arch_paging_init, leave only the boot stack's guard out.) An
 * AP's come from kernel virtual memory (smp_boot.c), guarded the same way.
 */
static struct {
    // cppcheck-suppress unusedStructMember ; the guard page: only its place counts, left unmapped
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

void gdt_load(struct cpu_tables *tables, const uintptr_t ist_top[IST_STACKS])
{
    uint64_t *gdt = tables->gdt;

    gdt[0] = 0;
    gdt[GDT_KERNEL_CODE / 8] = GDT_KERNEL_CODE_DESCRIPTOR;
    gdt[GDT_KERNEL_DATA / 8] = GDT_KERNEL_DATA_DESCRIPTOR;

    /* The CPU pushes onto these, so each IST entry is the top (the end) of its stack. */
    for (int i = 0; i < IST_STACKS; i++)
        tables->tss.ist[i] = ist_top[i];
    tables->tss.iomap_base = sizeof(tables->tss);
    set_tss_descriptor(&gdt[GDT_TSS / 8], (uint64_t)(uintptr_t)&tables->tss,
                       sizeof(tables->tss) - 1);

    struct descriptor_table_pointer gdtr = {sizeof(tables->gdt) - 1, (uint64_t)(uintptr_t)gdt};
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

void gdt_init(void)
{
    uintptr_t ist_top[IST_STACKS];

    for (unsigned ist = 1; ist <= IST_STACKS; ist++)
        ist_top[ist - 1] = gdt_boot_ist_stack(ist) + IST_STACK_SIZE;
    gdt_load(&boot_tables, ist_top);
}

uintptr_t gdt_boot_ist_stack(unsigned ist)
{
    return (uintptr_t)ist_stacks[ist - 1].stack;
}

const char *ist_stack_name(unsigned ist)
{
    return ist_names[ist - 1];
}
