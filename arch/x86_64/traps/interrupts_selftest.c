/*
 * In-kernel tests of the interrupt path (keel.selftest): a self-IPI arrives at its vector, a
 * spurious vector is counted and not acknowledged, a device IRQ (the RTC's periodic interrupt,
 * IRQ 8, which every PC has and nothing else in keel uses) arrives through the controller and
 * never while masked, and a print holds interrupts off. Every wait is bounded.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/apic/interrupt_controllers.h"
#include "arch/x86_64/apic/irq_routing.h"
#include "arch/x86_64/apic/lapic.h"
#include "arch/x86_64/cpu/io.h"
#include "arch/x86_64/traps/interrupts.h"
#include "kernel/acpi.h"
#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/selftest.h"

/*
 * MC146818 RTC (CMOS): index at 0x70, data at 0x71. Register A's low four bits choose the periodic
 * rate (6: 1024 Hz, what firmware sets), register B bit 6 enables the periodic interrupt, and
 * reading register C ends it.
 */
#define RTC_INDEX      0x70
#define RTC_DATA       0x71
#define RTC_REG_A      0x0a
#define RTC_A_RATE     0x0f
#define RTC_RATE_1024  6
#define RTC_REG_B      0x0b
#define RTC_REG_C      0x0c
#define RTC_B_PERIODIC 0x40
#define RTC_C_IRQ      0x80 /* IRQF: the RTC is asserting its interrupt */
#define RTC_IRQ        8

/*
 * A test that starts with interrupts off, whatever they were when the suite began (off under
 * keel.selftest, on when the suite runs later), and leaves them as they were, also when an
 * assertion ends it early.
 */
#define INTERRUPT_SELFTEST(test_name)                                                              \
    static void test_name##_with_interrupts_off(void);                                             \
    SELFTEST(test_name)                                                                            \
    {                                                                                              \
        unsigned long flags = arch_irq_save();                                                     \
        test_name##_with_interrupts_off();                                                         \
        arch_irq_restore(flags);                                                                   \
    }                                                                                              \
    static void test_name##_with_interrupts_off(void)

/* Far longer than 1024 Hz needs, and than any IPI: ~2^31 TSC cycles, about a second. */
#define WAIT_CYCLES (1ull << 31)

static uint8_t rtc_read(uint8_t reg)
{
    outb(RTC_INDEX, reg);
    return inb(RTC_DATA);
}

static void rtc_write(uint8_t reg, uint8_t value)
{
    outb(RTC_INDEX, reg);
    outb(RTC_DATA, value);
}

static void rtc_periodic(bool on)
{
    uint8_t b = rtc_read(RTC_REG_B);

    if (on) /* the divider bits (6:4) kept as they are: they keep the clock's time */
        rtc_write(RTC_REG_A, (uint8_t)(rtc_read(RTC_REG_A) & ~RTC_A_RATE) | RTC_RATE_1024);
    rtc_write(RTC_REG_B, on ? b | RTC_B_PERIODIC : b & (uint8_t)~RTC_B_PERIODIC);
    (void)rtc_read(RTC_REG_C); /* whatever was latched is gone */
}

static void rtc_interrupt(void *context)
{
    (void)context;
    (void)rtc_read(RTC_REG_C); /* lets the RTC raise the next one */
}

/* IRQ 8 with the test's handler, registered once for all the tests that use it. */
static bool rtc_irq_ready(void)
{
    static bool registered;

    if (!registered)
        registered = irq_register(RTC_IRQ, rtc_interrupt, NULL);
    return registered;
}

/* Spins, interrupts on, until count() passes start or the time is up; interrupts off again. */
static bool wait_for_count(uint64_t (*count)(void), uint64_t start)
{
    uint64_t deadline = arch_timestamp() + WAIT_CYCLES;
    bool arrived = false;

    arch_interrupts_enable();
    while (!arrived && arch_timestamp() < deadline) {
        arrived = count() > start;
        __asm__ volatile("pause");
    }
    arch_interrupts_disable();
    return arrived || count() > start;
}

/* ---- The self-IPI ---- */

static struct {
    uint64_t count;
    uint64_t vector;
    bool send_spurious;    /* run `int 0xff` while the IPI is in service */
    bool in_service_after; /* the IPI was still in service after the spurious vector */
    uint64_t spurious_before, spurious_after;
} ipi;

static void ipi_handler(struct trap_frame *frame, void *context)
{
    (void)context;
    ipi.vector = frame->vector;
    if (ipi.send_spurious) {
        ipi.spurious_before = irq_spurious_total();
        __asm__ volatile("int %0" : : "i"(VECTOR_SPURIOUS) : "memory");
        ipi.spurious_after = irq_spurious_total();
        ipi.in_service_after = lapic_in_service(VECTOR_SELFTEST);
    }
    __atomic_store_n(&ipi.count, ipi.count + 1, __ATOMIC_RELAXED);
}

static uint64_t ipi_count(void)
{
    return __atomic_load_n(&ipi.count, __ATOMIC_RELAXED);
}

static void ipi_reset(bool send_spurious)
{
    ipi.count = 0;
    ipi.vector = 0;
    ipi.send_spurious = send_spurious;
    ipi.in_service_after = false;
    interrupt_vector_register(VECTOR_SELFTEST, ipi_handler, NULL);
}

INTERRUPT_SELFTEST(self_ipi_arrives_at_its_vector)
{
    SELFTEST_ASSERT(lapic_present());
    ipi_reset(false);

    lapic_send_self_ipi(VECTOR_SELFTEST);
    /* Interrupts are off: it waits, requested, until they are on. */
    SELFTEST_ASSERT_EQ(ipi_count(), 0);
    SELFTEST_ASSERT(lapic_requested(VECTOR_SELFTEST));
    SELFTEST_ASSERT(wait_for_count(ipi_count, 0));
    SELFTEST_ASSERT_EQ(ipi.count, 1);
    SELFTEST_ASSERT_EQ(ipi.vector, VECTOR_SELFTEST);
    /* The dispatcher's EOI ended it. */
    SELFTEST_ASSERT(!lapic_in_service(VECTOR_SELFTEST));
}

/*
 * The idle loop's primitive: an interrupt already pending when it is called still wakes it (sti's
 * one-instruction shadow covers the hlt), and it returns with interrupts off again.
 */
INTERRUPT_SELFTEST(wait_for_interrupt_returns_after_one_with_interrupts_off)
{
    SELFTEST_ASSERT(lapic_present());
    ipi_reset(false);

    lapic_send_self_ipi(VECTOR_SELFTEST);
    arch_wait_for_interrupt();
    bool enabled_after = arch_interrupts_enabled();
    SELFTEST_ASSERT_EQ(ipi_count(), 1);
    SELFTEST_ASSERT(!enabled_after);
}

INTERRUPT_SELFTEST(spurious_vector_is_counted_not_acknowledged)
{
    SELFTEST_ASSERT(lapic_present());
    ipi_reset(true);

    lapic_send_self_ipi(VECTOR_SELFTEST);
    SELFTEST_ASSERT(wait_for_count(ipi_count, 0));
    SELFTEST_ASSERT_EQ(ipi.spurious_after, ipi.spurious_before + 1);
    /* An EOI for the spurious vector would have ended the IPI in service under it. */
    SELFTEST_ASSERT(ipi.in_service_after);
    SELFTEST_ASSERT(!lapic_in_service(VECTOR_SELFTEST));
}

INTERRUPT_SELFTEST(a_print_holds_interrupts_off)
{
    SELFTEST_ASSERT(lapic_present());
    ipi_reset(false);

    arch_interrupts_enable();
    console_lock();
    bool enabled_in_print = arch_interrupts_enabled();
    lapic_send_self_ipi(VECTOR_SELFTEST);
    for (int i = 0; i < 1000; i++)
        __asm__ volatile("pause");
    uint64_t during_print = ipi_count();
    console_unlock();
    bool enabled_after = arch_interrupts_enabled();
    for (int i = 0; i < 1000 && ipi_count() == 0; i++)
        __asm__ volatile("pause");
    arch_interrupts_disable();

    SELFTEST_ASSERT(!enabled_in_print);
    SELFTEST_ASSERT_EQ(during_print, 0);
    SELFTEST_ASSERT(enabled_after);
    SELFTEST_ASSERT_EQ(ipi_count(), 1);
}

/* ---- A device IRQ ---- */

static uint64_t rtc_count(void)
{
    return irq_count(RTC_IRQ);
}

INTERRUPT_SELFTEST(rtc_irq_arrives)
{
    SELFTEST_ASSERT(rtc_irq_ready());
    irq_unmask(RTC_IRQ);
    uint64_t start = rtc_count();

    rtc_periodic(true);
    bool arrived = wait_for_count(rtc_count, start + 2); /* three in a row: it keeps coming */
    rtc_periodic(false);
    SELFTEST_ASSERT(arrived);
}

INTERRUPT_SELFTEST(masked_irq_never_arrives)
{
    SELFTEST_ASSERT(rtc_irq_ready());
    irq_mask(RTC_IRQ);
    uint64_t start = rtc_count();

    /* The RTC raises its interrupt (IRQF, seen by polling) while interrupts are on. */
    rtc_periodic(true);
    uint64_t deadline = arch_timestamp() + WAIT_CYCLES;
    bool raised = false;
    arch_interrupts_enable();
    while (!raised && arch_timestamp() < deadline)
        raised = rtc_read(RTC_REG_C) & RTC_C_IRQ;
    arch_interrupts_disable();
    rtc_periodic(false);
    uint64_t end = rtc_count();
    irq_unmask(RTC_IRQ);

    SELFTEST_ASSERT(raised);
    SELFTEST_ASSERT_EQ(end, start);
}

/*
 * Read back from the I/O APIC: the RTC's entry is fixed delivery to this CPU at IRQ 8's vector,
 * active high and edge triggered as an ISA line is, and the mask follows irq_mask/irq_unmask.
 */
SELFTEST(rtc_irq_entry_reads_back_as_routed)
{
    uint64_t entry;

    SELFTEST_ASSERT(rtc_irq_ready());
    if (!interrupt_controllers_use_apic()) {
        SELFTEST_ASSERT(!interrupt_controllers_entry(RTC_IRQ, &entry));
        return;
    }
    irq_unmask(RTC_IRQ);
    SELFTEST_ASSERT(interrupt_controllers_entry(RTC_IRQ, &entry));
    SELFTEST_ASSERT_EQ(entry & 0xff, VECTOR_IRQ_BASE + RTC_IRQ);
    SELFTEST_ASSERT_EQ(entry & IOAPIC_DELIVERY_MASK, IOAPIC_DELIVERY_FIXED);
    SELFTEST_ASSERT_EQ(entry & (IOAPIC_ACTIVE_LOW | IOAPIC_LEVEL | IOAPIC_MASKED), 0);
    SELFTEST_ASSERT_EQ(entry >> IOAPIC_DESTINATION_SHIFT, lapic_id());
    irq_mask(RTC_IRQ);
    SELFTEST_ASSERT(interrupt_controllers_entry(RTC_IRQ, &entry));
    SELFTEST_ASSERT(entry & IOAPIC_MASKED);
    irq_unmask(RTC_IRQ);
}

SELFTEST(irq_register_refuses_what_it_cannot_route)
{
    SELFTEST_ASSERT(!irq_register(IRQ_COUNT, rtc_interrupt, NULL));
    SELFTEST_ASSERT(!irq_register(RTC_IRQ, NULL, NULL));
    /*
     * IRQ 2: the PICs' cascade, or with the I/O APIC a pin an override gave away (QEMU, and most
     * PCs: the PIT's IRQ 0 at GSI 2). A PC whose PIT keeps GSI 0 may route it: not tried there.
     */
    struct irq_route route;
    if (!interrupt_controllers_use_apic() || !irq_route_find(&acpi_get()->madt, 2, &route))
        SELFTEST_ASSERT(!irq_register(2, rtc_interrupt, NULL));
    SELFTEST_ASSERT(rtc_irq_ready());
    SELFTEST_ASSERT(!irq_register(RTC_IRQ, rtc_interrupt, NULL)); /* taken */
}
