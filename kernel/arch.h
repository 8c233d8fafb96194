/*
 * What the portable kernel asks of the architecture. kernel/ calls only these; the port I/O,
 * control registers and instructions behind them live in arch/<arch>/.
 */
#pragma once

#include <stdbool.h>
#include <stdnoreturn.h>

#include "kernel/boot_info.h"

/* Registers the consoles that need nothing from the boot loader: the serial port, if present. */
void arch_consoles_init(void);

/*
 * Registers the console on the text screen the firmware or the boot loader left (on a PC: VGA
 * text at 0xB8000). text is the loader's EGA text framebuffer, or NULL when it described none.
 * Returns NULL on success, or a sentence saying why that screen cannot be used.
 */
const char *arch_text_console_init(const struct boot_framebuffer *text);

void arch_interrupts_disable(void);

/* Stops this CPU for good: interrupts off, then halt; an NMI that wakes it is halted again. */
noreturn void halt_forever(void);
