/* The console on the screen: chosen once the boot loader has said what it left there. */
#pragma once

#include "kernel/boot_info.h"

/*
 * Registers the console that draws on the screen the boot loader describes: the framebuffer
 * console for a linear RGB framebuffer (UEFI machines), the text screen for EGA text (BIOS
 * machines). Says on the consoles already registered (serial) which one it chose, or why none.
 */
void screen_console_init(const struct boot_info *info);
