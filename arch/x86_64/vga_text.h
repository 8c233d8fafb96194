/* The VGA text screen: 80x25 characters at physical 0xb8000, on PCs booted through BIOS. */
#pragma once

void vga_text_init(void);
