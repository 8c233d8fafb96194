/*
 * Physical memory at boot: turns the boot loader's memory map into the frame allocator's usable
 * ranges, keeping out everything that is already in use.
 */
#pragma once

#include <stddef.h>

#include "kernel/boot_info.h"

/*
 * Builds the frame allocator (kernel/pmm.h) from the memory map's available entries, minus the
 * kernel image (its boot sections and boot page tables included), the boot information, the
 * modules, the framebuffer and every entry the map does not call available, in case the firmware
 * let them overlap. Panics if there is no memory map.
 */
void memory_init(const struct boot_info *info);
