/*
 * The local APIC (Intel SDM vol. 3A, chapter 10): switched on, in x2APIC mode when the CPU has it
 * (its registers are then MSRs), else in xAPIC mode through its 4 KiB of registers mapped
 * uncached. Every local interrupt source starts masked; the error interrupt is lapic_error.c's.
 */
#include "arch/x86_64/apic/lapic.h"

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/cpu_features.h"
#include "arch/x86_64/traps/interrupts.h"
#include "kernel/vm.h"

#define LAPIC_MMIO_SIZE 4096

static bool present;
static bool x2apic;
static uint64_t phys_address;
static uintptr_t mmio; /* xAPIC mode: where the registers are mapped */

uint32_t lapic_read(uint32_t reg)
{
    if (x2apic)
        return (uint32_t)cpu_read_msr(lapic_x2apic_msr(reg));
    return *(volatile uint32_t *)(mmio + reg);
}

void lapic_write(uint32_t reg, uint32_t value)
{
    if (x2apic)
        cpu_write_msr(lapic_x2apic_msr(reg), value);
    else
        *(volatile uint32_t *)(mmio + reg) = value;
}

void lapic_eoi(void)
{
    /* SDM vol. 3A, 10.8.5: any write ends the highest-priority interrupt in service; 0 it is. */
    if (present)
        lapic_write(LAPIC_EOI, 0);
}

unsigned lapic_lvt_entries(void)
{
    return ((lapic_read(LAPIC_VERSION) >> 16) & 0xff) + 1;
}

/*
 * SDM vol. 3A, 10.12.5, figure 10-27: from reset (or disabled) to xAPIC mode by setting EN, then
 * to x2APIC mode by setting EXTD; going back from x2APIC to xAPIC faults, so a firmware that
 * already chose x2APIC is followed. Every CPU's APIC is put in the boot CPU's mode.
 */
static void enable_this_cpu(void)
{
    uint64_t base = cpu_read_msr(MSR_APIC_BASE);

    if (!(base & APIC_BASE_ENABLE)) {
        base |= APIC_BASE_ENABLE;
        cpu_write_msr(MSR_APIC_BASE, base);
    }
    if (x2apic && !(base & APIC_BASE_X2APIC))
        cpu_write_msr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);
}

/* The boot CPU chooses the mode, and in xAPIC mode maps the registers every CPU has there. */
static bool enable(void)
{
    phys_address = cpu_read_msr(MSR_APIC_BASE) & APIC_BASE_ADDRESS;
    if (cpu_has_x2apic()) {
        x2apic = true;
        enable_this_cpu();
        return true;
    }
    void *regs = vm_map_phys(phys_address, LAPIC_MMIO_SIZE, MEMORY_UNCACHED);
    if (!regs)
        return false;
    mmio = (uintptr_t)regs;
    enable_this_cpu();
    return true;
}

/* Every local source masked; the caller sets LINT0/1 up (virtual wire, or the MADT NMIs). */
static void mask_local_sources(void)
{
    unsigned entries = lapic_lvt_entries();

    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_MASKED);
    /* SDM vol. 3A, 10.5.1: the performance counter, thermal and CMCI entries come with the
     * 5th, 6th and 7th LVT entry. */
    if (entries >= 5)
        lapic_write(LAPIC_LVT_PERFORMANCE, LAPIC_LVT_MASKED);
    if (entries >= 6)
        lapic_write(LAPIC_LVT_THERMAL, LAPIC_LVT_MASKED);
    if (entries >= 7)
        lapic_write(LAPIC_LVT_CMCI, LAPIC_LVT_MASKED);
}

void lapic_init_this_cpu(void)
{
    enable_this_cpu();
    mask_local_sources();
    lapic_write(LAPIC_TPR, 0);
    /* SDM vol. 3A, 10.5.3: the ESR is cleared by back-to-back writes, then errors raise this. */
    lapic_write(LAPIC_ESR, 0);
    lapic_write(LAPIC_ESR, 0);
    lapic_write(LAPIC_LVT_ERROR, VECTOR_LAPIC_ERROR);
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
}

bool lapic_init(void)
{
    if (!cpu_has_apic() || !enable())
        return false;
    present = true;
    lapic_init_this_cpu();
    return true;
}

bool lapic_present(void)
{
    return present;
}

bool lapic_x2apic_mode(void)
{
    return x2apic;
}

uint64_t lapic_phys_address(void)
{
    return phys_address;
}

uint32_t lapic_id(void)
{
    uint32_t id = lapic_read(LAPIC_ID);

    /* SDM vol. 3A, 10.4.6 and 10.12.5.1: xAPIC ids are bits 31:24, x2APIC ids all 32 bits. */
    return x2apic ? id : id >> 24;
}

static bool vector_bit(uint32_t base, uint8_t vector)
{
    return lapic_read(base + (vector / 32u) * 0x10u) & (1u << (vector % 32u));
}

bool lapic_in_service(uint8_t vector)
{
    return vector_bit(LAPIC_ISR, vector);
}

bool lapic_requested(uint8_t vector)
{
    return vector_bit(LAPIC_IRR, vector);
}

uint32_t arch_cpu_id(void)
{
    return lapic_present() ? lapic_id() : 0;
}
