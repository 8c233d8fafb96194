/* The physical memory window: the single place that turns a physical address into a pointer. */
#include "kernel/phys.h"

#include "kernel/arch.h"
#include "kernel/panic.h"

/* Until phys_window_set moves it, the window is the one the boot page tables give (kernel/arch.h).
 */
static bool window_moved;
static uintptr_t window_offset;
static uint64_t window_limit;

void phys_window_set(uintptr_t offset, uint64_t limit)
{
    window_offset = offset;
    window_limit = limit;
    window_moved = true;
}

uint64_t phys_window_limit(void)
{
    return window_moved ? window_limit : arch_boot_window_limit;
}

void *phys_to_virt(uint64_t phys)
{
    uintptr_t offset = window_moved ? window_offset : arch_boot_window_offset;

    /* Touching memory outside the window would fault or, worse, hit some unrelated mapping. */
    if (phys >= phys_window_limit())
        panic("physical address 0x%llx is outside the window (limit 0x%llx)",
              (unsigned long long)phys, (unsigned long long)phys_window_limit());
    return (void *)(uintptr_t)(phys + offset);
}

bool phys_range_array_next(const void *array, uint64_t *cursor, struct phys_range *range)
{
    const struct phys_range_array *a = array;

    if (*cursor >= a->count)
        return false;
    *range = a->ranges[(*cursor)++];
    return true;
}
