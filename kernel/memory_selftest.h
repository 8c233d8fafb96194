/*
 * What memory_init (kernel/memory.h) decided, for the self-tests that check the frame allocator
 * and the direct map against it. Valid after memory_init.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/phys.h"

/* A range of physical memory the allocator must never hand out, and why. */
struct memory_in_use {
    struct phys_range range;
    const char *what;
};

/*
 * What memory_init kept out because something uses it: the kernel, the boot information, the
 * framebuffer and every module. *cursor starts at 0; false after the last.
 */
bool memory_in_use(uint64_t *cursor, struct memory_in_use *item);

/*
 * The ranges memory_init gave the allocator: the memory map's available entries, and as
 * excluded its other entries plus everything in use.
 */
const struct phys_range_list *memory_usable(void);
const struct phys_range_list *memory_excluded(void);
