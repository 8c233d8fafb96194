/*
 * What the portable kernel asks of the architecture. kernel/ calls only these; the port I/O,
 * control registers and instructions behind them live in arch/<arch>/.
 */
#pragma once

#include <stdbool.h>
#include <stdnoreturn.h>

/* Registers the consoles every machine of this architecture may have (serial, text screen). */
void arch_consoles_init(void);

void arch_interrupts_disable(void);

struct boot_info;
/*
 * Replaces the boot page tables with the kernel's own: each section of the image with only the
 * rights it needs, a direct map of physical memory, nothing at address 0. Needs the frame
 * allocator (kernel/memory.h).
 */
void arch_paging_init(const struct boot_info *info);

/* Stops this CPU for good: interrupts off, then halt; an NMI that wakes it is halted again. */
noreturn void halt_forever(void);
