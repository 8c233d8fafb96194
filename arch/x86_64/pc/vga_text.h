/* The VGA text screen: 80x25 characters at physical 0xb8000, on PCs booted through BIOS. */
#pragma once

/* Where the text buffer lies, and its size in characters (two bytes each: character, colour). */
#define VGA_TEXT_PHYS 0xb8000
#define VGA_COLUMNS   80
#define VGA_ROWS      25

#include <stdint.h>

/* Clears the screen, mapped at `screen`, and registers the console. */
void vga_text_init(volatile uint16_t *screen);
