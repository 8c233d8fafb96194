/* The CPU-level operations behind kernel/arch.h. */
#include "kernel/arch.h"

#include "arch/x86_64/cpu/arch_cpu.h"
#include "arch/x86_64/cpu/cpu_protections.h"
#include "arch/x86_64/cpu/gdt.h"
#include "arch/x86_64/cpu/percpu.h"
#include "arch/x86_64/cpu/stack.h"
#include "arch/x86_64/traps/idt.h"
#include "arch/x86_64/traps/machine_check.h"

/* The boot CPU's tables and stacks: the boot stack (boot/entry64.asm), the IST stacks (gdt.c). */
static struct arch_cpu boot_arch_cpu;

static void boot_cpu_stacks(struct arch_cpu *arch)
{
    arch->stacks[CPU_STACK_KERNEL] = (struct cpu_stack){
        (uintptr_t)boot_stack_guard + STACK_GUARD_SIZE, (uintptr_t)boot_stack_top};
    for (unsigned ist = 1; ist <= IST_STACKS; ist++) {
        uintptr_t low = gdt_boot_ist_stack(ist);
        arch->stacks[ist] = (struct cpu_stack){low, low + IST_STACK_SIZE};
    }
}

void arch_cpu_init(void)
{
    struct cpu *boot = cpu_get(0);

    gdt_init();
    percpu_load(boot); /* after gdt_init, which loads a null selector into GS */
    boot->arch = &boot_arch_cpu;
    boot_cpu_stacks(&boot_arch_cpu);
    idt_init();
    machine_check_init(); /* after the IDT: from here a machine check is #MC, not a shutdown */
    cpu_protections_init();
}

const char *cpu_stack_name(const struct cpu *cpu, unsigned i)
{
    if (i == CPU_STACK_KERNEL)
        return cpu->index == 0 ? "boot" : "kernel";
    return ist_stack_name(i);
}

/* Every CPU's stacks, not only this one's: a report may follow a pointer into another's. */
bool arch_stack_bounds(uintptr_t addr, uintptr_t *low, uintptr_t *high)
{
    for (unsigned c = 0; c < cpu_count(); c++) {
        const struct arch_cpu *arch = arch_cpu_of(cpu_get(c));
        for (unsigned i = 0; arch && i < CPU_STACKS; i++) {
            if (addr >= arch->stacks[i].low && addr < arch->stacks[i].high) {
                *low = arch->stacks[i].low;
                *high = arch->stacks[i].high;
                return true;
            }
        }
    }
    return false;
}

_Static_assert(STACK_GUARDS == CPU_STACKS, "one guard page per stack");

uintptr_t stack_guard_page(unsigned i)
{
    return i == 0 ? (uintptr_t)boot_stack_guard : gdt_boot_ist_stack(i) - STACK_GUARD_SIZE;
}

const char *stack_guard_owner(uint64_t addr, uintptr_t *page)
{
    for (unsigned c = 0; c < cpu_count(); c++) {
        const struct cpu *cpu = cpu_get(c);
        const struct arch_cpu *arch = arch_cpu_of(cpu);
        for (unsigned i = 0; arch && i < CPU_STACKS; i++) {
            uintptr_t guard = arch->stacks[i].low - STACK_GUARD_SIZE;
            if (addr >= guard && addr - guard < STACK_GUARD_SIZE) {
                *page = guard;
                return cpu_stack_name(cpu, i);
            }
        }
    }
    return NULL;
}

/* Intel SDM vol. 1, 3.4.3.3: RFLAGS.IF, set while maskable interrupts are accepted. */
#define RFLAGS_IF (1ul << 9)

void arch_interrupts_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

void arch_interrupts_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

/*
 * SDM vol. 2B, STI: interrupts are recognised only after the instruction that follows sti, so an
 * interrupt that is already pending wakes the hlt rather than slipping in before it.
 */
void arch_wait_for_interrupt(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

static unsigned long read_rflags(void)
{
    unsigned long rflags;

    __asm__ volatile("pushfq; popq %0" : "=r"(rflags) : : "memory");
    return rflags;
}

bool arch_interrupts_enabled(void)
{
    return read_rflags() & RFLAGS_IF;
}

unsigned long arch_irq_save(void)
{
    unsigned long rflags = read_rflags();

    arch_interrupts_disable();
    return rflags;
}

void arch_irq_restore(unsigned long flags)
{
    if (flags & RFLAGS_IF)
        arch_interrupts_enable();
}

void arch_spin_pause(void)
{
    __asm__ volatile("pause" ::: "memory");
}

noreturn void halt_forever(void)
{
    /* An NMI still wakes a halted CPU; go back to sleep after it. */
    for (;;)
        __asm__ volatile("cli; hlt" ::: "memory");
}
