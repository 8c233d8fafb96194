/*
 * Host tests of the interrupt routing logic (arch/x86_64/apic/irq_routing.c): irq numbers through
 * the MADT's interrupt source overrides to GSIs with polarity and trigger, GSIs to I/O APIC inputs
 * (both ends of each span), and the redirection and LVT entries built from them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_64/apic/irq_routing.h"
#include "arch/x86_64/apic/lapic.h"
#include "kernel/irq.h"

static struct acpi_madt madt;

static void add_override(uint8_t source, uint32_t gsi, uint8_t polarity, uint8_t trigger)
{
    madt.overrides[madt.override_count++] = (struct acpi_override){
        .bus = 0, .source = source, .gsi = gsi, .polarity = polarity, .trigger = trigger};
}

/* The five overrides QEMU's pc machine lists. */
static int qemu_pc(void **state)
{
    (void)state;
    memset(&madt, 0, sizeof(madt));
    add_override(0, 2, ACPI_POLARITY_BUS_DEFAULT, ACPI_TRIGGER_BUS_DEFAULT);
    add_override(5, 5, ACPI_POLARITY_HIGH, ACPI_TRIGGER_LEVEL);
    add_override(9, 9, ACPI_POLARITY_HIGH, ACPI_TRIGGER_LEVEL);
    add_override(10, 10, ACPI_POLARITY_HIGH, ACPI_TRIGGER_LEVEL);
    add_override(11, 11, ACPI_POLARITY_HIGH, ACPI_TRIGGER_LEVEL);
    return 0;
}

static struct irq_route route_of(unsigned irq)
{
    struct irq_route route = {.gsi = 0xdead};

    assert_true(irq_route_find(&madt, irq, &route));
    return route;
}

static void test_pit_arrives_at_gsi_2(void **state)
{
    (void)state;
    struct irq_route r = route_of(0);
    assert_int_equal(r.gsi, 2);
    /* Bus default on ISA: active high, edge. */
    assert_false(r.active_low);
    assert_false(r.level);
}

static void test_irq_without_override_is_its_own_gsi(void **state)
{
    (void)state;
    struct irq_route r = route_of(1);
    assert_int_equal(r.gsi, 1);
    assert_false(r.active_low);
    assert_false(r.level);
    assert_int_equal(route_of(8).gsi, 8);
    assert_int_equal(route_of(15).gsi, 15);
}

static void test_override_polarity_and_trigger(void **state)
{
    (void)state;
    struct irq_route r = route_of(9);
    assert_int_equal(r.gsi, 9);
    assert_false(r.active_low);
    assert_true(r.level);

    memset(&madt, 0, sizeof(madt));
    add_override(9, 20, ACPI_POLARITY_LOW, ACPI_TRIGGER_LEVEL);
    add_override(4, 4, ACPI_POLARITY_LOW, ACPI_TRIGGER_EDGE);
    r = route_of(9);
    assert_int_equal(r.gsi, 20);
    assert_true(r.active_low);
    assert_true(r.level);
    r = route_of(4);
    assert_true(r.active_low);
    assert_false(r.level);
}

/* The reserved encodings (2) are treated as the bus default, not as low or level. */
static void test_reserved_flags_are_the_bus_default(void **state)
{
    (void)state;
    memset(&madt, 0, sizeof(madt));
    add_override(3, 3, ACPI_POLARITY_RESERVED, ACPI_TRIGGER_RESERVED);
    struct irq_route r = route_of(3);
    assert_false(r.active_low);
    assert_false(r.level);
}

/* QEMU: GSI 2 is the PIT's, so ISA IRQ 2 (the PICs' cascade) has no input of its own. */
static void test_irq_whose_gsi_an_override_took_is_refused(void **state)
{
    (void)state;
    struct irq_route r;
    assert_false(irq_route_find(&madt, 2, &r));
}

static void test_override_for_another_bus_is_ignored(void **state)
{
    (void)state;
    memset(&madt, 0, sizeof(madt));
    madt.overrides[madt.override_count++] =
        (struct acpi_override){.bus = 1, .source = 0, .gsi = 2, .polarity = ACPI_POLARITY_LOW};
    struct irq_route r = route_of(0);
    assert_int_equal(r.gsi, 0);
    assert_false(r.active_low);
    /* ... and takes no GSI from an ISA IRQ either. */
    assert_int_equal(route_of(2).gsi, 2);
}

/* Above the ISA IRQs an irq is its GSI, PCI style (active low, level): from 16, not from 15. */
static void test_gsi_irqs_are_pci_style(void **state)
{
    (void)state;
    struct irq_route r = route_of(IRQ_ISA_COUNT);
    assert_int_equal(r.gsi, 16);
    assert_true(r.active_low);
    assert_true(r.level);
    r = route_of(IRQ_ISA_COUNT - 1);
    assert_false(r.active_low);
    assert_false(r.level);
}

/* A GSI that an ISA IRQ's override reaches is that IRQ's: asked for by number, it is refused. */
static void test_gsi_of_an_overridden_isa_irq_is_refused(void **state)
{
    (void)state;
    struct irq_route r;
    memset(&madt, 0, sizeof(madt));
    add_override(9, 20, ACPI_POLARITY_LOW, ACPI_TRIGGER_LEVEL);
    assert_false(irq_route_find(&madt, 20, &r));
    assert_true(irq_route_find(&madt, 21, &r));
}

static void test_irq_count_is_the_limit(void **state)
{
    (void)state;
    struct irq_route r;
    assert_true(irq_route_find(&madt, IRQ_COUNT - 1, &r));
    assert_int_equal(r.gsi, IRQ_COUNT - 1);
    assert_false(irq_route_find(&madt, IRQ_COUNT, &r));
}

/* Two I/O APICs: 0-23 and 24-39. Each end of each span, and one past. */
static void test_span_boundaries(void **state)
{
    (void)state;
    const struct ioapic_span spans[] = {{.gsi_base = 0, .inputs = 24},
                                        {.gsi_base = 24, .inputs = 16}};
    uint32_t input = 99;

    assert_int_equal(ioapic_span_find(spans, 2, 0, &input), 0);
    assert_int_equal(input, 0);
    assert_int_equal(ioapic_span_find(spans, 2, 23, &input), 0);
    assert_int_equal(input, 23);
    assert_int_equal(ioapic_span_find(spans, 2, 24, &input), 1);
    assert_int_equal(input, 0);
    assert_int_equal(ioapic_span_find(spans, 2, 39, &input), 1);
    assert_int_equal(input, 15);
    assert_int_equal(ioapic_span_find(spans, 2, 40, &input), -1);
    /* With only the first I/O APIC, its last input is found and the next GSI is not. */
    assert_int_equal(ioapic_span_find(spans, 1, 23, &input), 0);
    assert_int_equal(ioapic_span_find(spans, 1, 24, &input), -1);
}

static void test_span_with_a_gap_and_a_base(void **state)
{
    (void)state;
    const struct ioapic_span spans[] = {{.gsi_base = 32, .inputs = 8}};
    uint32_t input;

    assert_int_equal(ioapic_span_find(spans, 1, 31, &input), -1);
    assert_int_equal(ioapic_span_find(spans, 1, 32, &input), 0);
    assert_int_equal(input, 0);
    assert_int_equal(ioapic_span_find(spans, 1, 39, &input), 0);
    assert_int_equal(input, 7);
    assert_int_equal(ioapic_span_find(spans, 1, 40, &input), -1);
    assert_int_equal(ioapic_span_find(spans, 0, 32, &input), -1);
}

/* gsi_base + inputs past 2^32 must not wrap into a match for a small GSI. */
static void test_span_at_the_top_does_not_wrap(void **state)
{
    (void)state;
    const struct ioapic_span spans[] = {{.gsi_base = 0xfffffff0u, .inputs = 0x20}};
    uint32_t input;

    assert_int_equal(ioapic_span_find(spans, 1, 5, &input), -1);
    assert_int_equal(ioapic_span_find(spans, 1, 0xffffffffu, &input), 0);
    assert_int_equal(input, 15);
}

static void test_fixed_entry_bits(void **state)
{
    (void)state;
    const struct irq_route edge_high = {.gsi = 2};
    const struct irq_route level_low = {.gsi = 16, .active_low = true, .level = true};

    assert_int_equal(ioapic_entry_fixed(&edge_high, 0x20, 0, false), 0x20);
    assert_int_equal(ioapic_entry_fixed(&edge_high, 0x20, 0, true), 0x20 | IOAPIC_MASKED);
    assert_int_equal(ioapic_entry_fixed(&level_low, 0x30, 3, false),
                     0x30ull | IOAPIC_ACTIVE_LOW | IOAPIC_LEVEL | 3ull << 56);
    assert_int_equal(ioapic_entry_fixed(&edge_high, 0xff, 0xff, false) >> 56, 0xff);
    /* Fixed delivery, physical destination: bits 8-11 clear. */
    assert_int_equal(ioapic_entry_fixed(&level_low, 0x30, 3, false) & 0xf00, 0);
}

static void test_nmi_entry_bits(void **state)
{
    (void)state;
    assert_int_equal(ioapic_entry_nmi(false, 0), IOAPIC_DELIVERY_NMI);
    assert_int_equal(ioapic_entry_nmi(true, 1),
                     IOAPIC_DELIVERY_NMI | IOAPIC_ACTIVE_LOW | 1ull << 56);
    assert_int_equal(ioapic_entry_nmi(true, 1) & (IOAPIC_LEVEL | IOAPIC_MASKED), 0);
}

static void test_lint_nmi_entry(void **state)
{
    (void)state;
    assert_int_equal(lapic_lint_nmi_entry(ACPI_POLARITY_BUS_DEFAULT), LAPIC_DELIVERY_NMI);
    assert_int_equal(lapic_lint_nmi_entry(ACPI_POLARITY_HIGH), LAPIC_DELIVERY_NMI);
    assert_int_equal(lapic_lint_nmi_entry(ACPI_POLARITY_LOW),
                     LAPIC_DELIVERY_NMI | LAPIC_LVT_ACTIVE_LOW);
    /* Never masked, never level. */
    assert_int_equal(lapic_lint_nmi_entry(ACPI_POLARITY_LOW) & (LAPIC_LVT_MASKED | LAPIC_LVT_LEVEL),
                     0);
}

static void test_lapic_nmi_applies(void **state)
{
    (void)state;
    const struct acpi_lapic_nmi all = {.all_cpus = true, .lint = 1};
    const struct acpi_lapic_nmi cpu3 = {.uid = 3, .lint = 1};

    assert_true(lapic_nmi_applies(&all, false, 0));
    assert_true(lapic_nmi_applies(&all, true, 7));
    assert_true(lapic_nmi_applies(&cpu3, true, 3));
    assert_false(lapic_nmi_applies(&cpu3, true, 2));
    assert_false(lapic_nmi_applies(&cpu3, true, 4));
    assert_false(lapic_nmi_applies(&cpu3, false, 3));
}

/* SDM vol. 3A, table 10-6: the x2APIC MSRs of the registers keel uses. */
static void test_x2apic_msrs(void **state)
{
    (void)state;
    assert_int_equal(lapic_x2apic_msr(LAPIC_ID), 0x802);
    assert_int_equal(lapic_x2apic_msr(LAPIC_VERSION), 0x803);
    assert_int_equal(lapic_x2apic_msr(LAPIC_TPR), 0x808);
    assert_int_equal(lapic_x2apic_msr(LAPIC_EOI), 0x80b);
    assert_int_equal(lapic_x2apic_msr(LAPIC_SVR), 0x80f);
    assert_int_equal(lapic_x2apic_msr(LAPIC_ISR), 0x810);
    assert_int_equal(lapic_x2apic_msr(LAPIC_ISR + 7 * 0x10), 0x817);
    assert_int_equal(lapic_x2apic_msr(LAPIC_IRR), 0x820);
    assert_int_equal(lapic_x2apic_msr(LAPIC_ESR), 0x828);
    assert_int_equal(lapic_x2apic_msr(LAPIC_LVT_CMCI), 0x82f);
    assert_int_equal(lapic_x2apic_msr(LAPIC_ICR_LOW), 0x830);
    assert_int_equal(lapic_x2apic_msr(LAPIC_LVT_TIMER), 0x832);
    assert_int_equal(lapic_x2apic_msr(LAPIC_LVT_LINT0), 0x835);
    assert_int_equal(lapic_x2apic_msr(LAPIC_LVT_LINT1), 0x836);
    assert_int_equal(lapic_x2apic_msr(LAPIC_LVT_ERROR), 0x837);
    assert_int_equal(lapic_x2apic_msr(LAPIC_SELF_IPI), 0x83f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_pit_arrives_at_gsi_2, qemu_pc),
        cmocka_unit_test_setup(test_irq_without_override_is_its_own_gsi, qemu_pc),
        cmocka_unit_test_setup(test_override_polarity_and_trigger, qemu_pc),
        cmocka_unit_test_setup(test_reserved_flags_are_the_bus_default, qemu_pc),
        cmocka_unit_test_setup(test_irq_whose_gsi_an_override_took_is_refused, qemu_pc),
        cmocka_unit_test_setup(test_override_for_another_bus_is_ignored, qemu_pc),
        cmocka_unit_test_setup(test_gsi_irqs_are_pci_style, qemu_pc),
        cmocka_unit_test_setup(test_gsi_of_an_overridden_isa_irq_is_refused, qemu_pc),
        cmocka_unit_test_setup(test_irq_count_is_the_limit, qemu_pc),
        cmocka_unit_test(test_span_boundaries),
        cmocka_unit_test(test_span_with_a_gap_and_a_base),
        cmocka_unit_test(test_span_at_the_top_does_not_wrap),
        cmocka_unit_test(test_fixed_entry_bits),
        cmocka_unit_test(test_nmi_entry_bits),
        cmocka_unit_test(test_lint_nmi_entry),
        cmocka_unit_test(test_lapic_nmi_applies),
        cmocka_unit_test(test_x2apic_msrs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
