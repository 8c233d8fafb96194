/* kmain: the boot story of keel, one step per line, from the first C code to the idle loop. */
#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"

noreturn void kmain(uint32_t multiboot2_magic, uint64_t boot_info_phys);

/* KEEL_VERSION comes from the VERSION file, through the Makefile. */
static void print_banner(void)
{
    console_set_colour(COLOUR_LIGHT_CYAN, COLOUR_BLACK);
    kprintf("keel %s\n", KEEL_VERSION);
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
}

/* Called by boot/entry64.asm in long mode, on the boot stack, with interrupts off. */
noreturn void kmain(uint32_t multiboot2_magic, uint64_t boot_info_phys)
{
    (void)multiboot2_magic; /* checked by the 32-bit entry */
    (void)boot_info_phys;

    arch_consoles_init();   /* serial and VGA text */
    print_banner();

    kprintf("keel: boot complete\n");
    halt_forever();
}
