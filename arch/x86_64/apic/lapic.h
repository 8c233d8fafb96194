/*
 * The local APIC: this CPU's own interrupt controller (Intel SDM vol. 3A, chapter 10). xAPIC mode
 * reaches its registers through uncached MMIO, x2APIC mode through MSRs; lapic_read and
 * lapic_write hide which. The timer's registers are the clock's (lapic_timer.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* IA32_APIC_BASE (SDM vol. 3A, 10.4.4): where the registers are, and the mode. */
#define MSR_APIC_BASE     0x1bu
#define APIC_BASE_X2APIC  (1ull << 10) /* EXTD: registers are MSRs */
#define APIC_BASE_ENABLE  (1ull << 11) /* EN: the APIC is on */
#define APIC_BASE_ADDRESS 0x000ffffffffff000ull
#define X2APIC_MSR_BASE   0x800u /* SDM vol. 3A, 10.12.1.2: MSR 0x800 + offset / 16 */

/* Register offsets (SDM vol. 3A, table 10-1); the timer's count and divider: lapic_timer.c. */
#define LAPIC_ID              0x020
#define LAPIC_VERSION         0x030 /* bits 23:16: the number of LVT entries - 1 */
#define LAPIC_TPR             0x080 /* task priority: 0 accepts every vector */
#define LAPIC_EOI             0x0b0
#define LAPIC_SVR             0x0f0 /* spurious interrupt vector */
#define LAPIC_ISR             0x100 /* in service: 8 registers of 32 vectors each, 0x10 apart */
#define LAPIC_IRR             0x200 /* requested, the same way */
#define LAPIC_ESR             0x280 /* error status */
#define LAPIC_LVT_CMCI        0x2f0
#define LAPIC_ICR_LOW         0x300 /* in x2APIC mode one 64-bit MSR: ICR_HIGH does not exist */
#define LAPIC_ICR_HIGH        0x310
#define LAPIC_LVT_TIMER       0x320
#define LAPIC_LVT_THERMAL     0x330
#define LAPIC_LVT_PERFORMANCE 0x340
#define LAPIC_LVT_LINT0       0x350
#define LAPIC_LVT_LINT1       0x360
#define LAPIC_LVT_ERROR       0x370
#define LAPIC_SELF_IPI        0x3f0 /* x2APIC mode only */

#define LAPIC_SVR_ENABLE (1u << 8) /* software enable */

/* An LVT entry (SDM vol. 3A, figure 10-8); the ICR's low half shares the low bits. */
#define LAPIC_DELIVERY_FIXED  (0u << 8)
#define LAPIC_DELIVERY_NMI    (4u << 8)
#define LAPIC_DELIVERY_EXTINT (7u << 8)
#define LAPIC_DELIVERY_STATUS (1u << 12) /* xAPIC: still being sent */
#define LAPIC_LVT_ACTIVE_LOW  (1u << 13)
#define LAPIC_LVT_LEVEL       (1u << 15)
#define LAPIC_LVT_MASKED      (1u << 16)
#define LAPIC_ICR_ASSERT      (1u << 14)
#define LAPIC_ICR_TO_SELF     (1u << 18) /* destination shorthand 01: this CPU */

/* The MSR that holds register reg in x2APIC mode (SDM vol. 3A, 10.12.1.2, table 10-6). */
static inline uint32_t lapic_x2apic_msr(uint32_t reg)
{
    return X2APIC_MSR_BASE + reg / 16;
}

/* reg: the xAPIC MMIO offset (0x320 LVT timer, ...); in x2APIC mode the MSR 0x800 + reg / 16 */
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);
void lapic_eoi(void);

/*
 * Turns the local APIC on: x2APIC mode when the CPU has it, else xAPIC with its page mapped
 * uncached. TPR 0, the spurious vector VECTOR_SPURIOUS, every LVT entry masked but the error one
 * (VECTOR_LAPIC_ERROR). False, and nothing changed, when the CPU has no local APIC or its page
 * cannot be mapped.
 */
bool lapic_init(void);
/* The same for an AP, once the boot CPU's lapic_init has chosen the mode: this CPU's own APIC. */
void lapic_init_this_cpu(void);

bool lapic_present(void);
bool lapic_x2apic_mode(void);
uint64_t lapic_phys_address(void);
uint32_t lapic_id(void); /* this CPU's APIC id (8 bits in xAPIC mode, 32 in x2APIC) */

/*
 * Interprocessor interrupts (lapic_ipi.c). The send functions return once the APIC has taken
 * the IPI, or (xAPIC) after a bounded wait for it to, false then.
 */
#define LAPIC_DELIVERY_INIT    (5u << 8)
#define LAPIC_DELIVERY_STARTUP (6u << 8)
#define LAPIC_ICR_ALL_BUT_SELF (3u << 18) /* destination shorthand 11 */

/* Sends vector to this CPU, as a fixed interrupt; it arrives once interrupts are on. */
void lapic_send_self_ipi(uint8_t vector);
/* Sends the ICR command (delivery mode, vector, ...) to the CPU with this APIC id. */
bool lapic_send_ipi(uint32_t apic_id, uint32_t command);
/* Sends the command to every CPU but this one. */
bool lapic_send_ipi_all_but_self(uint32_t command);

/* Whether vector is in service (accepted, not yet ended by an EOI). */
bool lapic_in_service(uint8_t vector);
/* Whether vector is requested (waiting to be accepted). */
bool lapic_requested(uint8_t vector);

/* How many LVT entries this APIC has (LAPIC_VERSION): 4 to 7, the last ones optional. */
unsigned lapic_lvt_entries(void);
