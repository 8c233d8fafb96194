/* The local APIC's error interrupt: the ESR read, reported, counted (lapic_error.h). */
#include "arch/x86_64/apic/lapic_error.h"

#include "arch/x86_64/apic/lapic.h"
#include "arch/x86_64/apic/lapic_esr.h"
#include "arch/x86_64/traps/interrupts.h"
#include "kernel/kprintf.h"

static uint64_t count;
static uint32_t last_errors;

uint32_t lapic_read_errors(void)
{
    /* In x2APIC mode only 0 may be written (SDM vol. 3A, 10.12.1.2). */
    lapic_write(LAPIC_ESR, 0);
    return lapic_read(LAPIC_ESR);
}

static void error_interrupt(struct trap_frame *frame, void *context)
{
    char text[160];

    (void)frame, (void)context;
    uint32_t esr = lapic_read_errors();
    __atomic_store_n(&last_errors, esr, __ATOMIC_RELAXED);
    __atomic_store_n(&count, count + 1, __ATOMIC_RELAXED);
    lapic_esr_describe(esr, text, sizeof(text));
    kprintf("keel: local APIC error: ESR 0x%02x (%s)\n", esr, text);
}

void lapic_error_init(void)
{
    interrupt_vector_register(VECTOR_LAPIC_ERROR, error_interrupt, NULL);
}

uint64_t lapic_error_count(void)
{
    return __atomic_load_n(&count, __ATOMIC_RELAXED);
}

uint32_t lapic_last_errors(void)
{
    return __atomic_load_n(&last_errors, __ATOMIC_RELAXED);
}
