/*
 * The kernel's ACPI step: the tables are read through the physical memory window, each range
 * checked with arch_phys_mapped first, so a pointer into a hole of the direct map is reported
 * as "not mapped" instead of faulting.
 */
#include "kernel/acpi.h"
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/kprintf.h"
#include "kernel/phys.h"

static struct acpi_info acpi;
static bool acpi_dump_requested;

static bool set_acpi_dump(const char *value)
{
    if (value)
        return false;
    acpi_dump_requested = true;
    return true;
}
CMDLINE_OPTION(acpi_dump, set_acpi_dump,
               "prints the ACPI tables as hex lines after the boot facts (takes no value)");

static const void *map_window(void *context, uint64_t phys, uint64_t length)
{
    (void)context;
    if (!arch_phys_mapped(phys, length))
        return NULL;
    return phys_to_virt(phys);
}

/* Multiboot2 3.6.17/3.6.18: GRUB passes the ACPI 2.0+ RSDP when there is one, else 1.0's. */
static const struct boot_rsdp *boot_rsdp(const struct boot_info *boot_info)
{
    return boot_info->acpi_v2.present ? &boot_info->acpi_v2 : &boot_info->acpi_v1;
}

uint64_t acpi_rsdp_copy_phys(const struct boot_info *boot_info)
{
    const struct boot_rsdp *rsdp = boot_rsdp(boot_info);

    if (!rsdp->present)
        return 0;
    return boot_info->mbi_start +
           (uint64_t)((const char *)rsdp->table - (const char *)phys_to_virt(boot_info->mbi_start));
}

void acpi_init(const struct boot_info *boot_info)
{
    const struct boot_rsdp *rsdp = boot_rsdp(boot_info);
    const struct acpi_memory memory = {.map = map_window};

    acpi_parse(&memory, rsdp->present ? rsdp->table : NULL, rsdp->length, &acpi);
    for (size_t i = 0; i < acpi.problem_count; i++)
        kprintf("acpi: %s\n", acpi.problems[i]);
    if (acpi.problems_skipped)
        kprintf("acpi: %zu more problems not shown\n", acpi.problems_skipped);
}

const struct acpi_info *acpi_get(void)
{
    return &acpi;
}

void acpi_dump_if_requested(const struct boot_info *boot_info)
{
    const struct acpi_memory memory = {.map = map_window};

    if (acpi_dump_requested)
        acpi_dump(&memory, acpi_rsdp_copy_phys(boot_info));
}
