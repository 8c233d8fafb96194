/* The HPET (IA-PC HPET specification 1.0a): its main counter, nothing else of it yet. */
#include "arch/x86_64/pc/hpet.h"

#include <stdint.h>

#include "kernel/acpi.h"
#include "kernel/kprintf.h"
#include "kernel/vm.h"

/* Spec 2.3.1: the registers keel reads, as byte offsets. */
#define HPET_CAPABILITIES 0x000
#define HPET_CONFIG       0x010
#define HPET_MAIN_COUNTER 0x0f0
#define HPET_REGION_SIZE  0x400

/* Spec 2.3.4: the counter's period in femtoseconds (bits 63:32), at most 100 ns. */
#define HPET_CAP_PERIOD(cap)   ((cap) >> 32)
#define HPET_CAP_COUNTER_64BIT (1ULL << 13)
#define HPET_PERIOD_MAX_FS     100000000ULL
#define FS_PER_SECOND          1000000000000000ULL
/* Spec 2.3.5: ENABLE_CNF starts the main counter. */
#define HPET_CONFIG_ENABLE (1ULL << 0)

static volatile uint64_t *registers;
static bool counter_64bit;

static uint64_t reg(unsigned offset)
{
    return registers[offset / sizeof(uint64_t)];
}

/*
 * A 32-bit counter is read with a 32-bit access: the spec lets the upper half of a 64-bit read
 * be anything then.
 */
static uint64_t hpet_read(void)
{
    if (counter_64bit)
        return reg(HPET_MAIN_COUNTER);
    return *(volatile uint32_t *)(registers + HPET_MAIN_COUNTER / sizeof(uint64_t));
}

bool hpet_counter(struct clock_counter *counter)
{
    const struct acpi_hpet *table = &acpi_get()->hpet;

    if (!table->present)
        return false;
    registers = vm_map_phys(table->base.address, HPET_REGION_SIZE, MEMORY_UNCACHED);
    if (!registers) {
        kprintf("keel: clock: HPET at 0x%llx cannot be mapped: not used\n",
                (unsigned long long)table->base.address);
        return false;
    }
    uint64_t capabilities = reg(HPET_CAPABILITIES);
    uint64_t period_fs = HPET_CAP_PERIOD(capabilities);
    if (period_fs == 0 || period_fs > HPET_PERIOD_MAX_FS) {
        kprintf("keel: clock: HPET period %llu fs is not in 1-%llu: not used\n",
                (unsigned long long)period_fs, HPET_PERIOD_MAX_FS);
        vm_free((void *)registers);
        registers = NULL;
        return false;
    }
    counter_64bit = capabilities & HPET_CAP_COUNTER_64BIT;
    registers[HPET_CONFIG / sizeof(uint64_t)] = reg(HPET_CONFIG) | HPET_CONFIG_ENABLE;
    *counter = (struct clock_counter){
        .name = "HPET",
        .read = hpet_read,
        .bits = counter_64bit ? 64 : 32,
        .hz = FS_PER_SECOND / period_fs,
    };
    return true;
}
