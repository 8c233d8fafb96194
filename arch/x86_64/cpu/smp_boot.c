/*
 * Starting an application processor (AP) on a PC: its tables and stacks, the real-mode page it
 * starts in (boot/ap_trampoline.asm), and the INIT-SIPI-SIPI sequence of Intel SDM vol. 3A,
 * 9.4.4.1 ("Typical BSP Initialization Sequence") and the MP spec 1.4, appendix B.4. Then, on the
 * AP, the same CPU set-up the boot CPU did in arch_cpu_init, and kernel/smp.c's idle loop.
 */
#include "kernel/arch.h"

#include "arch/x86_64/apic/interrupt_controllers.h"
#include "arch/x86_64/apic/lapic.h"
#include "arch/x86_64/cpu/arch_cpu.h"
#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/cpu_protections.h"
#include "arch/x86_64/cpu/pat.h"
#include "arch/x86_64/cpu/percpu.h"
#include "arch/x86_64/cpu/stack.h"
#include "arch/x86_64/mm/kernel_page_tables.h"
#include "arch/x86_64/mm/mmu.h"
#include "arch/x86_64/mm/paging.h"
#include "arch/x86_64/traps/idt.h"
#include "arch/x86_64/traps/machine_check.h"
#include "kernel/deadline.h"
#include "kernel/pmm.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/vm.h"

#define AP_STACK_SIZE (16 * 1024) /* as the boot stack */

/* SDM vol. 3A, 9.4.4.1: 10 ms after the INIT IPI, 200 us after each startup IPI. */
#define INIT_DELAY_US    10000
#define STARTUP_DELAY_US 200

/*
 * How long an AP may take from its startup IPI to its idle loop before it is given up: far more
 * than the microseconds a real one needs, for an emulator on a busy machine.
 */
#define AP_ONLINE_TIMEOUT_US 2000000

/* The CR3 a 32-bit MOV can load: the temporary tables must lie below 4 GiB. */
#define BELOW_4_GIB 0x100000000ULL

/* boot/ap_trampoline.asm: the code copied to the real-mode page; its last bytes are these. */
extern const char ap_trampoline_start[], ap_trampoline_end[];
struct ap_trampoline_params {
    uint32_t temp_root;
    uint32_t efer;
    uint64_t kernel_root;
    uint64_t stack_top;
    uint64_t cpu;
} __packed;

noreturn void ap_main(struct cpu *cpu);

/* Linker symbols: two objects to C, so their distance is taken as numbers. */
static size_t trampoline_size(void)
{
    return (uintptr_t)ap_trampoline_end - (uintptr_t)ap_trampoline_start;
}

static uint64_t page_phys;      /* the real-mode page */
static char *page;              /* ... where the kernel writes it */
static uint64_t temp_tables[3]; /* PML4, PDPT, PD: physical, below 4 GiB */

/* A deadline, not the clock alone: with the tick as the clock's source it stands still here. */
static void wait_us(uint64_t us)
{
    struct deadline deadline = deadline_in_us(us);

    while (!deadline_passed(&deadline))
        arch_spin_pause();
}

static uint64_t *table(unsigned level)
{
    return phys_to_virt(temp_tables[level]);
}

/*
 * The tables an AP turns paging on with. Its CR3 is loaded by a 32-bit MOV, so they must lie below
 * 4 GiB, which the kernel's own need not; and they must map the page the AP runs in at its own
 * address (the first 2 MiB, one large page), which the kernel's do not. Their upper half is the
 * kernel's, so the AP can jump to the kernel before it loads the kernel's CR3.
 */
static bool build_temp_tables(void)
{
    for (unsigned i = 0; i < ARRAY_SIZE(temp_tables); i++) {
        temp_tables[i] = pmm_alloc_below(BELOW_4_GIB);
        if (temp_tables[i] == PMM_NO_FRAME)
            return false;
        memset(table(i), 0, PAGE_SIZE);
    }
    const uint64_t *kernel_pml4 = phys_to_virt(kernel_page_tables_root());
    for (unsigned i = PAGE_TABLE_ENTRIES / 2; i < PAGE_TABLE_ENTRIES; i++)
        table(0)[i] = kernel_pml4[i];
    table(0)[0] = temp_tables[1] | PTE_PRESENT | PTE_WRITABLE;
    table(1)[0] = temp_tables[2] | PTE_PRESENT | PTE_WRITABLE;
    table(2)[0] = PTE_PRESENT | PTE_WRITABLE | PTE_HUGE; /* physical 0 to 2 MiB */
    return true;
}

const char *arch_smp_prepare(void)
{
    if (!lapic_present())
        return "no local APIC";
    page_phys = pmm_real_mode_frame();
    if (page_phys == PMM_NO_FRAME)
        return "no free page below 1 MiB for the APs' start-up code";
    page = vm_map_phys(page_phys, PAGE_SIZE, MEMORY_WRITE_BACK);
    if (!page || !build_temp_tables())
        return "out of memory for the APs' start-up tables";
    /* linker/kernel.ld checks that it fits in the page. */
    memcpy(page, ap_trampoline_start, trampoline_size());
    return NULL;
}

void arch_smp_finish(void)
{
    for (unsigned i = 0; i < ARRAY_SIZE(temp_tables); i++) {
        if (temp_tables[i] != PMM_NO_FRAME)
            pmm_free(temp_tables[i]);
        temp_tables[i] = PMM_NO_FRAME;
    }
    if (page)
        vm_free(page);
    page = NULL;
}

/* size bytes of stack with an unmapped guard page below: the stack's [low, high). */
static bool guarded_stack(size_t size, struct cpu_stack *stack)
{
    char *base = vm_reserve(size + STACK_GUARD_SIZE, PAGE_SIZE);

    if (!base)
        return false;
    stack->low = (uintptr_t)base + STACK_GUARD_SIZE;
    stack->high = stack->low + size;
    for (uintptr_t virt = stack->low; virt < stack->high; virt += PAGE_SIZE) {
        uint64_t frame = pmm_alloc();
        if (frame == PMM_NO_FRAME)
            return false;
        arch_kernel_map(virt, frame, PAGE_SIZE, KERNEL_MAP_WRITE, MEMORY_WRITE_BACK);
    }
    return true;
}

static struct arch_cpu *new_arch_cpu(void)
{
    struct arch_cpu *arch = vm_alloc(ALIGN_UP(sizeof(*arch), PAGE_SIZE) / PAGE_SIZE);

    if (!arch)
        return NULL;
    memset(arch, 0, sizeof(*arch));
    if (!guarded_stack(AP_STACK_SIZE, &arch->stacks[CPU_STACK_KERNEL]))
        return NULL;
    for (unsigned ist = 1; ist <= IST_STACKS; ist++) {
        if (!guarded_stack(IST_STACK_SIZE, &arch->stacks[ist]))
            return NULL;
    }
    return arch;
}

static bool online(const struct cpu *cpu)
{
    return __atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE);
}

const char *arch_cpu_start(struct cpu *cpu)
{
    if (!lapic_x2apic_mode() && cpu->apic_id > 0xff)
        return "has an APIC id above 255, which xAPIC mode cannot reach";
    struct arch_cpu *arch = new_arch_cpu();
    if (!arch)
        return "out of memory for its stacks";
    cpu->arch = arch;

    struct ap_trampoline_params *params = (void *)(page + trampoline_size() - sizeof(*params));
    uint64_t efer = EFER_LONG_MODE_ENABLE | (cpu_read_msr(MSR_EFER) & EFER_NX_ENABLE);
    *params = (struct ap_trampoline_params){
        .temp_root = (uint32_t)temp_tables[0],
        .efer = (uint32_t)efer,
        .kernel_root = kernel_page_tables_root(),
        .stack_top = arch->stacks[CPU_STACK_KERNEL].high,
        .cpu = (uint64_t)(uintptr_t)cpu,
    };

    if (!lapic_send_ipi(cpu->apic_id, LAPIC_DELIVERY_INIT))
        return "did not take the INIT IPI";
    wait_us(INIT_DELAY_US);
    /* The second startup IPI is for a CPU that missed the first; a started one ignores it. */
    for (int i = 0; i < 2 && !online(cpu); i++) {
        if (!lapic_send_ipi(cpu->apic_id, LAPIC_DELIVERY_STARTUP | (uint32_t)(page_phys >> 12)))
            return "did not take the startup IPI";
        wait_us(STARTUP_DELAY_US);
    }
    struct deadline deadline = deadline_in_us(AP_ONLINE_TIMEOUT_US);
    while (!online(cpu) && !deadline_passed(&deadline))
        arch_spin_pause();
    if (online(cpu))
        return NULL;
    /* Back to waiting for a startup IPI: it must not run the page once it holds the next AP's. */
    lapic_send_ipi(cpu->apic_id, LAPIC_DELIVERY_INIT);
    return "did not answer";
}

/*
 * Called by boot/ap_trampoline.asm on the AP's own stack, interrupts off, with the GDTR still on
 * the real-mode page: the same steps as arch_cpu_init and arch_paging_init on the boot CPU (the
 * tables those built are shared, except the GDT and TSS), then the AP's local APIC.
 */
noreturn void ap_main(struct cpu *cpu)
{
    struct arch_cpu *arch = arch_cpu_of(cpu);
    uintptr_t ist_top[IST_STACKS];

    for (unsigned ist = 1; ist <= IST_STACKS; ist++)
        ist_top[ist - 1] = arch->stacks[ist].high;
    gdt_load(&arch->tables, ist_top);
    percpu_load(cpu);
    idt_load();
    machine_check_init();
    cpu_protections_load();
    mmu_enable_write_protect();
    pat_load();
    interrupt_controllers_init_this_cpu();
    smp_ap_main(cpu);
}
