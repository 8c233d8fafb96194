/*
 * Choosing the console on the screen from the boot loader's framebuffer tag (Multiboot2 spec
 * 3.6.12). The serial console is registered before this runs, so every message here reaches it.
 */
#include "kernel/screen.h"

#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/fb_console.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot2.h"

static void use_framebuffer(const struct boot_framebuffer *boot_fb)
{
    /* boot_info_parse() has checked that the range does not wrap around. */
    uint64_t size = (uint64_t)boot_fb->pitch * boot_fb->height;
    const char *problem;

    /*
     * Mapped wherever it lies (UEFI PCs often place it above 4 GiB), write-combining, and valid
     * from the boot page tables on through the switch to the kernel's own.
     */
    void *address = arch_map_framebuffer(boot_fb->address, size);

    if (address == NULL) {
        kprintf("keel: screen: the framebuffer at 0x%llx cannot be mapped: nothing is drawn on "
                "it\n",
                (unsigned long long)boot_fb->address);
        return;
    }

    struct framebuffer fb = {
        .address = address,
        .width = boot_fb->width,
        .height = boot_fb->height,
        .pitch = boot_fb->pitch,
        .bpp = boot_fb->bpp,
        .red_position = boot_fb->red_position,
        .red_size = boot_fb->red_size,
        .green_position = boot_fb->green_position,
        .green_size = boot_fb->green_size,
        .blue_position = boot_fb->blue_position,
        .blue_size = boot_fb->blue_size,
    };
    problem = fb_console_init(&fb);
    if (problem) {
        kprintf("keel: screen: cannot draw on the %ux%u framebuffer: %s\n", fb.width, fb.height,
                problem);
        return;
    }
    console_register(&fb_console);
    kprintf("keel: screen: framebuffer %ux%u, %u bits per pixel, at 0x%llx: %ux%u characters\n",
            fb.width, fb.height, fb.bpp, (unsigned long long)boot_fb->address, fb_console_columns(),
            fb_console_rows());
}

static void use_text_screen(const struct boot_framebuffer *text)
{
    const char *problem = arch_text_console_init(text);

    if (problem)
        kprintf("keel: screen: cannot use the text screen: %s\n", problem);
    else
        kprintf("keel: screen: VGA text, 80x25 characters\n");
}

void screen_console_init(const struct boot_info *info)
{
    const struct boot_framebuffer *fb = &info->framebuffer;

    if (!fb->present) {
        /*
         * A BIOS PC starts in text mode, and a loader that says nothing has left it there. A
         * UEFI machine (one whose loader passed the EFI system table) has no text mode at all.
         */
        if (info->has_efi64)
            kprintf("keel: screen: the boot loader set up no screen, and UEFI has no text "
                    "mode: serial only\n");
        else
            use_text_screen(NULL);
        return;
    }
    switch (fb->type) {
    case MB2_FRAMEBUFFER_RGB:
        use_framebuffer(fb);
        break;
    case MB2_FRAMEBUFFER_EGA_TEXT:
        use_text_screen(fb);
        break;
    default:
        kprintf("keel: screen: %ux%u at %u bits per pixel with a colour palette: keel draws "
                "only on RGB framebuffers and text screens\n",
                fb->width, fb->height, fb->bpp);
        break;
    }
}
