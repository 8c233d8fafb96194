/* The PC's consoles behind kernel/arch.h: COM1, and the VGA text screen of BIOS machines. */
#include "kernel/arch.h"

#include "arch/x86_64/mm/boot_page_tables.h"
#include "arch/x86_64/mm/paging.h"
#include "arch/x86_64/pc/serial.h"
#include "arch/x86_64/pc/vga_text.h"

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
    /* Legacy video memory: uncached, as the fixed-range MTRRs make it anyway. */
    volatile uint16_t *screen =
        direct_map_early(VGA_TEXT_PHYS, VGA_COLUMNS * VGA_ROWS * 2, PTE_TYPE_UC);
    if (screen == NULL)
        return "the boot page tables have no room to map it";
    vga_text_init(screen);
    return NULL;
}
