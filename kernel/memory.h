/*
 * Physical memory at boot: turns the boot loader's memory map into the frame allocator's usable
 * ranges, keeping out everything that is already in use.
 */
#pragma once

#include <stddef.h>

#include "kernel/boot_info.h"
#include "kernel/phys.h"

/* A range of physical memory the allocator must never hand out, and why. */
struct memory_in_use {
    struct phys_range range;
    const char *what;
};

/*
 * Builds the frame allocator (kernel/pmm.h) from the memory map's available entries, minus the
 * kernel image (its boot sections and boot page tables included), the boot information, the
 * modules, the framebuffer and every entry the map does not call available, in case the firmware
 * let them overlap. Panics if there is no memory map.
 */
void memory_init(const struct boot_info *info);

/*
 * What memory_init kept out because something uses it (kernel, boot information, modules,
 * framebuffer): *count entries, valid after memory_init. For the self-tests.
 */
const struct memory_in_use *memory_in_use(size_t *count);

/* The ranges memory_init gave pmm_init, merged where they touch: for the self-tests. */
const struct phys_range *memory_usable(size_t *count);
const struct phys_range *memory_excluded(size_t *count);
