/* The table of struct cpu (kernel/cpu.h). */
#include "kernel/cpu.h"

static struct cpu cpus[CPU_MAX] = {
    [0] = {.self = &cpus[0], .index = 0, .online = true},
};
static unsigned count = 1;

struct cpu *cpu_get(unsigned index)
{
    return index < __atomic_load_n(&count, __ATOMIC_ACQUIRE) ? &cpus[index] : NULL;
}

unsigned cpu_count(void)
{
    return __atomic_load_n(&count, __ATOMIC_ACQUIRE);
}

unsigned cpus_online(void)
{
    unsigned online = 0;

    for (unsigned i = 0; i < cpu_count(); i++)
        online += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE);
    return online;
}

struct cpu *cpu_add(uint32_t apic_id)
{
    if (count == CPU_MAX)
        return NULL;
    struct cpu *cpu = &cpus[count];
    *cpu = (struct cpu){.self = cpu, .index = count, .apic_id = apic_id};
    /* Published after it is filled in: another CPU walking the table sees it whole. */
    __atomic_store_n(&count, count + 1, __ATOMIC_RELEASE);
    return cpu;
}
