/*
 * The architecture's boot window (kernel/arch.h) for host tests that link kernel/phys.c: empty,
 * so a test that forgets phys_window_set gets a panic on its first physical access.
 */
#include "kernel/arch.h"

const uintptr_t arch_boot_window_offset = 0;
const uint64_t arch_boot_window_limit = 0;
