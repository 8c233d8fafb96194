/* The physical memory window: the single place that turns a physical address into a pointer. */
#include "kernel/phys.h"

#include "arch/x86_64/memory_layout.h"
#include "kernel/panic.h"

/*
 * From the first line of C, the boot page tables' direct map is the window: it holds the boot
 * information only, somewhere below 4 GiB, until arch_map_memory_early adds memory to it.
 */
static uintptr_t window_offset = DIRECT_MAP_BASE;
static uint64_t window_limit = BOOT_DIRECT_MAP_SIZE;

void phys_window_set(uintptr_t offset, uint64_t limit)
{
    window_offset = offset;
    window_limit = limit;
}

uint64_t phys_window_limit(void)
{
    return window_limit;
}

void *phys_to_virt(uint64_t phys)
{
    /* Touching memory outside the window would fault or, worse, hit some unrelated mapping. */
    if (phys >= window_limit)
        panic("physical address 0x%llx is outside the window (limit 0x%llx)",
              (unsigned long long)phys, (unsigned long long)window_limit);
    return (void *)(uintptr_t)(phys + window_offset);
}
