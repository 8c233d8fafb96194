/*
 * How much the framebuffer console writes to video memory for each line it scrolls, on a
 * 3840x2160 screen full of boot messages. Before each scroll the screen is painted with a byte no
 * pixel of the palette contains, so afterwards every byte the console stored stands out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fb_console.h"
#include "tests/host/fake_framebuffer.h"

#define WIDTH   3840
#define HEIGHT  2160
#define PITCH   (WIDTH * 4)
#define CANARY  0x5a /* the palette's channels are 0x00, 0x55, 0xaa and 0xff */
#define SCROLLS 50

/* Lines like a boot log's: short and long, some repeated. */
static const char *const lines[] = {
    "keel: screen: framebuffer 3840x2160, 32 bits per pixel, at 0x80000000: 240x67 characters",
    "keel 0.1.0, booted by GRUB 2.06-13+deb12u1",
    "memory map:",
    "  0x0000000000000000-0x000000000009fbff      639 KiB available",
    "  0x000000000009fc00-0x000000000009ffff        1 KiB reserved",
    "  0x0000000000100000-0x0000000007fdffff   130944 KiB available",
    "paging: the kernel's own page tables, W^X, NX on",
    "direct map: 0x0 to 0x140000000 in 6 ranges, 1 GiB pages",
    "ACPI: RSDP revision 2 at 0x7fb7e014, XSDT at 0x7fb7d0e8",
    "",
    "modules: none",
};

int main(void)
{
    uint8_t *screen = malloc((size_t)PITCH * HEIGHT);
    struct framebuffer fb = fake_xrgb_framebuffer(screen, WIDTH, HEIGHT, PITCH);
    size_t n = sizeof(lines) / sizeof(lines[0]), next = 0;
    unsigned long long written = 0;

    if (screen == NULL || fb_console_init(&fb) != NULL)
        return 1;
    for (unsigned int row = 0; row < fb_console_rows(); row++, next++) {
        fb_console.write(&fb_console, "\n", row > 0);
        fb_console.write(&fb_console, lines[next % n], strlen(lines[next % n]));
    }
    for (int i = 0; i < SCROLLS; i++, next++) {
        memset(screen, CANARY, (size_t)PITCH * HEIGHT);
        fb_console.write(&fb_console, "\n", 1);
        fb_console.write(&fb_console, lines[next % n], strlen(lines[next % n]));
        for (size_t b = 0; b < (size_t)PITCH * HEIGHT; b++)
            written += screen[b] != CANARY;
    }
    printf("fb_scroll_bytes_per_line %llu bytes written to video memory per scrolled line, "
           "3840x2160 of boot messages (none read)\n",
           written / SCROLLS);
    printf("fb_scroll_frame_bytes %d bytes one whole 3840x2160 frame at 32 bpp, for scale\n",
           PITCH * HEIGHT);
    free(screen);
    return 0;
}
