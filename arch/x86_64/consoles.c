/* The PC's consoles behind kernel/arch.h: COM1, and the VGA text screen of BIOS machines. */
#include "kernel/arch.h"

#include "arch/x86_64/serial.h"
#include "arch/x86_64/vga_text.h"

void arch_consoles_init(void)
{
    serial_init();
}

const char *arch_text_console_init(const struct boot_framebuffer *text)
{
    /* GRUB describes the PC text screen as EGA text at 0xB8000, 80x25 (pitch 160, 16 bpp). */
    if (text &&
        (text->address != VGA_TEXT_PHYS || text->width != VGA_COLUMNS || text->height != VGA_ROWS))
        return "only the 80x25 VGA text screen at 0xb8000 can be drawn on";
    vga_text_init();
    return NULL;
}
