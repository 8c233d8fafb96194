/*
 * In-kernel tests of the 8259 PICs' spurious IRQs: with nothing in service, an IRQ 7 or 15 is
 * recognised as spurious by the in-service register the PIC itself reports, and is counted as
 * such, not handled as a real one.
 */
#include <stdint.h>

#include "arch/x86_64/apic/interrupt_controllers.h"
#include "arch/x86_64/pc/pic.h"
#include "arch/x86_64/pc/pic_logic.h"
#include "arch/x86_64/traps/interrupts.h"
#include "kernel/irq.h"
#include "kernel/selftest.h"

SELFTEST(pic_reports_irq_7_and_15_spurious_when_not_in_service)
{
    /* Interrupts are off: neither PIC can have anything in service now. */
    SELFTEST_ASSERT(pic_handle_spurious(PIC_SPURIOUS_MASTER_IRQ));
    SELFTEST_ASSERT(pic_handle_spurious(PIC_SPURIOUS_SLAVE_IRQ));
    SELFTEST_ASSERT(!pic_handle_spurious(PIC_SPURIOUS_MASTER_IRQ - 1));
}

/* With the PICs delivering (no MADT), the vectors of IRQ 7 and 15 arrive as the PICs' would. */
SELFTEST(pic_spurious_vectors_are_counted_not_handled)
{
    if (interrupt_controllers_use_apic()) {
        /* The I/O APIC owns these vectors: IRQ 7 and 15 are real ISA IRQs there. */
        SELFTEST_ASSERT(!irq_spurious_count(PIC_SPURIOUS_MASTER_IRQ));
        return;
    }
    uint64_t handled = irq_count(PIC_SPURIOUS_MASTER_IRQ) + irq_count(PIC_SPURIOUS_SLAVE_IRQ);
    uint64_t spurious7 = irq_spurious_count(PIC_SPURIOUS_MASTER_IRQ);
    uint64_t spurious15 = irq_spurious_count(PIC_SPURIOUS_SLAVE_IRQ);

    __asm__ volatile("int %0" : : "i"(VECTOR_IRQ_BASE + PIC_SPURIOUS_MASTER_IRQ) : "memory");
    __asm__ volatile("int %0" : : "i"(VECTOR_IRQ_BASE + PIC_SPURIOUS_SLAVE_IRQ) : "memory");

    SELFTEST_ASSERT_EQ(irq_spurious_count(PIC_SPURIOUS_MASTER_IRQ), spurious7 + 1);
    SELFTEST_ASSERT_EQ(irq_spurious_count(PIC_SPURIOUS_SLAVE_IRQ), spurious15 + 1);
    SELFTEST_ASSERT_EQ(irq_count(PIC_SPURIOUS_MASTER_IRQ) + irq_count(PIC_SPURIOUS_SLAVE_IRQ),
                       handled);
}
