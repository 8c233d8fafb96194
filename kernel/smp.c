/* Starting the other CPUs (kernel/smp.h), and what they say about themselves. */
#include "kernel/smp.h"

#include "kernel/acpi.h"
#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/kprintf.h"

/* CPUs the MADT lists (enabled or online-capable), the boot CPU included; 1 without a MADT. */
static unsigned listed = 1;

static void start(uint32_t apic_id)
{
    struct cpu *cpu = cpu_add(apic_id);

    if (!cpu) {
        kprintf("smp: the CPU with APIC id %u is past the %u keel runs; left out\n", apic_id,
                CPU_MAX);
        return;
    }
    uint64_t begin = clock_ns();
    const char *why = arch_cpu_start(cpu);
    cpu->start_ns = clock_ns() - begin;
    if (why)
        kprintf("smp: CPU %u (APIC id %u) %s; left out\n", cpu->index, apic_id, why);
}

void smp_init(void)
{
    const struct acpi_madt *madt = &acpi_get()->madt;
    struct cpu *boot = this_cpu();

    boot->apic_id = arch_cpu_id();
    if (!madt->present || madt->cpu_count <= 1)
        return;
    listed = (unsigned)madt->cpu_count;

    const char *why = arch_smp_prepare();
    if (why) {
        kprintf("smp: %s: only the boot CPU runs\n", why);
        arch_smp_finish();
        return;
    }
    for (size_t i = 0; i < madt->cpu_count; i++) {
        if (madt->cpus[i].apic_id != boot->apic_id)
            start(madt->cpus[i].apic_id);
    }
    arch_smp_finish();
}

noreturn void smp_ap_main(struct cpu *cpu)
{
    clock_start_this_cpu();
    __atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
    for (;;)
        arch_wait_for_interrupt();
}

/* " 0-3 5 7-8": the online CPUs' APIC ids, runs of consecutive ids shortened. */
static void print_apic_ids(void)
{
    unsigned n = cpu_count();

    for (unsigned i = 0; i < n;) {
        const struct cpu *first = cpu_get(i);
        unsigned j = i + 1;
        if (!first->online) {
            i++;
            continue;
        }
        while (j < n && cpu_get(j)->online && cpu_get(j)->apic_id == cpu_get(j - 1)->apic_id + 1)
            j++;
        if (j - i == 1)
            kprintf(" %u", first->apic_id);
        else
            kprintf(" %u-%u", first->apic_id, cpu_get(j - 1)->apic_id);
        i = j;
    }
}

void smp_print_facts(void)
{
    if (listed <= 1)
        return;
    kprintf("smp: %u of %u CPUs online, APIC ids", cpus_online(), listed);
    print_apic_ids();
    kprintf("\n");
}

void smp_print_cpus(void)
{
    kprintf("%u of %u CPUs online\n", cpus_online(), listed);
    for (unsigned i = 0; i < cpu_count(); i++) {
        const struct cpu *cpu = cpu_get(i);
        kprintf("cpu %u: APIC id %u, %s, %llu ticks", cpu->index, cpu->apic_id,
                cpu->online ? "online" : "offline", (unsigned long long)cpu->ticks);
        if (cpu->index != 0)
            kprintf(", started in %llu.%03llu ms", (unsigned long long)(cpu->start_ns / 1000000),
                    (unsigned long long)(cpu->start_ns / 1000 % 1000));
        kprintf("\n");
    }
}
