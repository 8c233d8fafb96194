/*
 * Interprocessor interrupts through the local APIC's interrupt command register (Intel SDM vol.
 * 3A, 10.6). In xAPIC mode the ICR is two MMIO registers: the destination in ICR_HIGH, then
 * the write to ICR_LOW sends; its delivery status bit says when the APIC has taken the IPI. In
 * x2APIC mode it is one 64-bit MSR, written at once, with no status to wait for (10.12.9).
 */
#include "arch/x86_64/apic/lapic.h"
#include "arch/x86_64/cpu/cpu.h"
#include "kernel/arch.h"

/* Bounds the wait for an xAPIC to take an IPI: far longer than any APIC needs (microseconds). */
#define ICR_SEND_SPINS 1000000

static bool wait_until_sent(void)
{
    for (unsigned spin = 0; spin < ICR_SEND_SPINS; spin++) {
        if (!(lapic_read(LAPIC_ICR_LOW) & LAPIC_DELIVERY_STATUS))
            return true;
        arch_spin_pause();
    }
    return false;
}

/* An interrupt handler that sends an IPI must not come between the two xAPIC writes. */
static bool send(uint32_t destination, uint32_t command)
{
    if (lapic_x2apic_mode()) {
        cpu_write_msr(lapic_x2apic_msr(LAPIC_ICR_LOW), (uint64_t)destination << 32 | command);
        return true;
    }
    unsigned long flags = arch_irq_save();
    bool sent = wait_until_sent();
    if (sent) {
        lapic_write(LAPIC_ICR_HIGH, destination << 24);
        lapic_write(LAPIC_ICR_LOW, command);
        sent = wait_until_sent();
    }
    arch_irq_restore(flags);
    return sent;
}

void lapic_send_self_ipi(uint8_t vector)
{
    if (lapic_x2apic_mode()) {
        /* SDM vol. 3A, 10.12.11: the self-IPI register, for exactly this. */
        lapic_write(LAPIC_SELF_IPI, vector);
        return;
    }
    send(0, LAPIC_ICR_TO_SELF | LAPIC_ICR_ASSERT | LAPIC_DELIVERY_FIXED | vector);
}

bool lapic_send_ipi(uint32_t apic_id, uint32_t command)
{
    /* xAPIC: an 8-bit destination field (SDM vol. 3A, figure 10-12). */
    if (!lapic_x2apic_mode() && apic_id > 0xff)
        return false;
    return send(apic_id, command | LAPIC_ICR_ASSERT);
}

bool lapic_send_ipi_all_but_self(uint32_t command)
{
    return send(0, command | LAPIC_ICR_ASSERT | LAPIC_ICR_ALL_BUT_SELF);
}
