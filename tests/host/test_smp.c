/*
 * smp_init (kernel/smp.c) over a fake MADT and a fake architecture: which CPUs it starts, the
 * boot CPU skipped wherever the MADT lists it, the CPU_MAX bound at its edge, what it says when
 * an AP or the preparation fails, and the boot facts' line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/host/console_stub.h"

/* The files themselves, to reset their state between cases. */
#include "kernel/cpu.c" // NOLINT(bugprone-suspicious-include): the statics are under test
#include "kernel/smp.c" // NOLINT(bugprone-suspicious-include)

static struct acpi_info fake_acpi;
static uint32_t boot_apic_id;
static const char *prepare_fails;
static uint32_t never_answers = UINT32_MAX; /* the APIC id whose start fails */
static uint32_t started[ACPI_MAX_CPUS];
static unsigned start_count, finish_count;
static uint64_t now_ns;

const struct acpi_info *acpi_get(void)
{
    return &fake_acpi;
}

struct cpu *this_cpu(void)
{
    return &cpus[0];
}

uint32_t arch_cpu_id(void)
{
    return boot_apic_id;
}

const char *arch_smp_prepare(void)
{
    return prepare_fails;
}

const char *arch_cpu_start(struct cpu *cpu)
{
    started[start_count++] = cpu->apic_id;
    now_ns += 1500000; /* each start takes 1.5 ms */
    if (cpu->apic_id == never_answers)
        return "did not answer";
    cpu->online = true;
    return NULL;
}

void arch_smp_finish(void)
{
    finish_count++;
}

uint64_t clock_ns(void)
{
    return now_ns;
}

bool clock_start_this_cpu(void)
{
    return true;
}

void arch_wait_for_interrupt(void)
{
}

static int reset(void **state)
{
    (void)state;
    memset(&fake_acpi, 0, sizeof(fake_acpi));
    memset(cpus, 0, sizeof(cpus));
    cpus[0] = (struct cpu){.self = &cpus[0], .online = true};
    count = 1;
    listed = 1;
    boot_apic_id = 0;
    prepare_fails = NULL;
    never_answers = UINT32_MAX;
    start_count = finish_count = 0;
    console_stub_reset();
    return 0;
}

/* A MADT listing n CPUs with APIC ids first, first + 1, ... */
static void madt_cpus(size_t n, uint32_t first)
{
    fake_acpi.madt.present = true;
    fake_acpi.madt.cpu_count = n;
    for (size_t i = 0; i < n; i++)
        fake_acpi.madt.cpus[i] = (struct acpi_cpu){.apic_id = first + (uint32_t)i, .enabled = true};
}

static void test_one_cpu_starts_nothing_says_nothing(void **state)
{
    (void)state;
    madt_cpus(1, 0);
    smp_init();
    smp_print_facts();
    assert_int_equal(start_count, 0);
    assert_int_equal(cpu_count(), 1);
    assert_string_equal(console_stub_output, "");
}

static void test_no_madt_starts_nothing(void **state)
{
    (void)state;
    smp_init();
    smp_print_facts();
    assert_int_equal(start_count, 0);
    assert_string_equal(console_stub_output, "");
}

/* The boot CPU need not be the MADT's first: it is skipped wherever it is, the rest in order. */
static void test_boot_cpu_skipped_wherever_listed(void **state)
{
    (void)state;
    madt_cpus(4, 0);
    boot_apic_id = 2;
    smp_init();
    assert_int_equal(start_count, 3);
    assert_int_equal(started[0], 0);
    assert_int_equal(started[1], 1);
    assert_int_equal(started[2], 3);
    assert_int_equal(cpu_get(0)->apic_id, 2);
    assert_int_equal(cpu_get(3)->start_ns, 1500000);
    assert_int_equal(finish_count, 1);
    smp_print_facts();
    assert_string_equal(console_stub_output, "smp: 4 of 4 CPUs online, APIC ids 2 0-1 3\n");
}

/* CPU_MAX CPUs listed: every one starts; one more: that one is refused, and said so. */
static void test_cpu_max_at_its_edge(void **state)
{
    (void)state;
    madt_cpus(CPU_MAX, 0);
    smp_init();
    assert_int_equal(start_count, CPU_MAX - 1);
    assert_int_equal(cpus_online(), CPU_MAX);
    assert_null(strstr(console_stub_output, "left out"));

    reset(NULL);
    madt_cpus(CPU_MAX + 1, 0);
    smp_init();
    assert_int_equal(start_count, CPU_MAX - 1);
    assert_int_equal(cpus_online(), CPU_MAX);
    assert_string_equal(console_stub_output,
                        "smp: the CPU with APIC id 64 is past the 64 keel runs; left out\n");
    assert_null(cpu_get(CPU_MAX));
}

static void test_a_cpu_that_does_not_answer_is_left_out(void **state)
{
    (void)state;
    madt_cpus(4, 0);
    never_answers = 2;
    smp_init();
    assert_int_equal(start_count, 3);
    assert_int_equal(cpus_online(), 3);
    assert_false(cpu_get(2)->online);
    assert_non_null(
        strstr(console_stub_output, "smp: CPU 2 (APIC id 2) did not answer; left out\n"));
    console_stub_reset();
    smp_print_facts();
    assert_string_equal(console_stub_output, "smp: 3 of 4 CPUs online, APIC ids 0-1 3\n");
}

static void test_preparation_failing_starts_none(void **state)
{
    (void)state;
    madt_cpus(2, 0);
    prepare_fails = "no free page below 1 MiB for the APs' start-up code";
    smp_init();
    assert_int_equal(start_count, 0);
    assert_int_equal(finish_count, 1);
    assert_string_equal(console_stub_output, "smp: no free page below 1 MiB for the APs' start-up "
                                             "code: only the boot CPU runs\n");
}

static void test_cpus_lists_each(void **state)
{
    (void)state;
    madt_cpus(2, 0);
    smp_init();
    cpu_get(1)->ticks = 42;
    console_stub_reset();
    smp_print_cpus();
    assert_string_equal(console_stub_output,
                        "2 of 2 CPUs online\n"
                        "cpu 0: APIC id 0, online, 0 ticks\n"
                        "cpu 1: APIC id 1, online, 42 ticks, started in 1.500 ms\n");
}

int main(void)
{
#define TEST(f) cmocka_unit_test_setup(f, reset)
    const struct CMUnitTest tests[] = {
        TEST(test_one_cpu_starts_nothing_says_nothing),
        TEST(test_no_madt_starts_nothing),
        TEST(test_boot_cpu_skipped_wherever_listed),
        TEST(test_cpu_max_at_its_edge),
        TEST(test_a_cpu_that_does_not_answer_is_left_out),
        TEST(test_preparation_failing_starts_none),
        TEST(test_cpus_lists_each),
    };
    return cmocka_run_group_tests_name("smp", tests, NULL, NULL);
}
