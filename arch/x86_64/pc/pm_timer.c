/*
 * The ACPI PM timer (ACPI 6.5 4.8.3.3): a free-running counter at 3.579545 MHz, 24 bits wide
 * unless the FADT's TMR_VAL_EXT says 32, in an I/O port or (X_PM_TMR_BLK) in memory.
 */
#include "arch/x86_64/pc/pm_timer.h"

#include <stdint.h>

#include "arch/x86_64/cpu/io.h"
#include "kernel/acpi.h"
#include "kernel/kprintf.h"
#include "kernel/vm.h"

#define PM_TIMER_HZ 3579545

static uint16_t port;
static volatile uint32_t *mmio;
static uint32_t mask;

/* The bits above the counter's width are reserved, and may read as anything. */
static uint64_t pm_timer_read(void)
{
    return (mmio ? *mmio : inl(port)) & mask;
}

bool pm_timer_counter(struct clock_counter *counter)
{
    const struct acpi_fadt *fadt = &acpi_get()->fadt;

    if (!fadt->present || !fadt->has_pm_timer)
        return false;
    if (fadt->pm_timer.space == ACPI_SPACE_IO && fadt->pm_timer.address <= UINT16_MAX) {
        port = (uint16_t)fadt->pm_timer.address;
    } else if (fadt->pm_timer.space == ACPI_SPACE_MEMORY) {
        mmio = vm_map_phys(fadt->pm_timer.address, sizeof(uint32_t), MEMORY_UNCACHED);
        if (!mmio) {
            kprintf("keel: clock: PM timer at 0x%llx cannot be mapped: not used\n",
                    (unsigned long long)fadt->pm_timer.address);
            return false;
        }
    } else {
        kprintf("keel: clock: PM timer in address space %u at 0x%llx: not used\n",
                fadt->pm_timer.space, (unsigned long long)fadt->pm_timer.address);
        return false;
    }
    mask = fadt->pm_timer_bits == 32 ? UINT32_MAX : (1U << 24) - 1;
    *counter = (struct clock_counter){
        .name = "PM timer",
        .read = pm_timer_read,
        .bits = fadt->pm_timer_bits == 32 ? 32 : 24,
        .hz = PM_TIMER_HZ,
    };
    return true;
}
