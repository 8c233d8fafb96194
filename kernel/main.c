/* kmain: the boot story of keel, one step per line, from the first C code to the keel> monitor. */
#include <stdint.h>

#include "kernel/acpi.h"
#include "kernel/arch.h"
#include "kernel/boot_facts.h"
#include "kernel/boot_info.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/input.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/memory.h"
#include "kernel/monitor.h"
#include "kernel/multiboot2.h"
#include "kernel/panic.h"
#include "kernel/phys.h"
#include "kernel/screen.h"
#include "kernel/selftest.h"
#include "kernel/smp.h"
#include "kernel/stack_protector.h"
#include "kernel/string.h"
#include "kernel/timing.h"
#include "kernel/vm.h"

noreturn void kmain(uint32_t multiboot2_magic, uint64_t boot_info_phys) __no_stack_protector;

static struct boot_info boot_info;

const struct boot_info *boot_info_this_boot(void)
{
    return &boot_info;
}

/* KEEL_VERSION comes from the VERSION file, through the Makefile. */
static void print_banner(void)
{
    size_t column = strlen("keel " KEEL_VERSION);

    console_set_colour(COLOUR_LIGHT_CYAN, COLOUR_BLACK);
    kprintf("keel %s", KEEL_VERSION);
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    if (boot_info.loader_name) {
        kprintf(", booted by %s", boot_info.loader_name);
        column += strlen(", booted by ") + strlen(boot_info.loader_name);
    }
    boot_facts_print_origin(&boot_info, column); /* ", from BIOS drive 0x80" */
    kprintf("\n");
}

/*
 * The boot information comes from outside the kernel: a malformed one is bad input, not a kernel
 * bug, so it gets its own message rather than a panic.
 */
static void read_boot_info(uint32_t magic, uint64_t phys)
{
    struct boot_info_error error;

    if (magic != MULTIBOOT2_BOOTLOADER_MAGIC)
        panic("kmain called without the multiboot2 magic (0x%x)", magic);
    if (!boot_info_parse(phys_to_virt(phys), phys, &boot_info, &error)) {
        /*
         * A PC without a serial port shows nothing but its screen: use the framebuffer if its
         * tag at least is sound, else a BIOS PC's text screen, the best bet then.
         */
        struct boot_info screen_only = {0};

        screen_only.framebuffer.present =
            boot_info_find_framebuffer(phys_to_virt(phys), &screen_only.framebuffer);
        screen_console_init(&screen_only);
        kprintf("keel: bad boot information: %s at offset %u\n", error.what, error.offset);
        halt_forever();
    }
}

/*
 * Called by boot/entry64.asm in long mode, on the boot stack, with interrupts off. TIMED: each
 * step's time is kept for keel.timing (kernel/timing.h). Built without the stack protector: its
 * frame is live while the second step changes the canary. The CPU's tables come first, so that a
 * fault anywhere after the first instruction is reported; arch_cpu_init's own frames have all
 * returned, with the canary they started with, before the canary changes.
 */
noreturn void kmain(uint32_t multiboot2_magic, uint64_t boot_info_phys)
{
    TIMED(arch_cpu_init());                                  /* GDT, TSS, IDT: exceptions shown */
    TIMED(stack_protector_init(boot_info_phys));             /* this boot's canary, from here on */
    TIMED(arch_consoles_init());                             /* serial, which needs no boot info */
    TIMED(read_boot_info(multiboot2_magic, boot_info_phys)); /* checked, or a clear halt */
    TIMED(screen_console_init(&boot_info));                  /* VGA text or framebuffer, from now */
    TIMED(arch_map_memory_early(&boot_info));                /* memory the allocator may use */
    TIMED(memory_init(&boot_info));                          /* free frames, from the memory map */
    TIMED(arch_paging_init(&boot_info));                     /* own page tables: W^X, direct map */
    TIMED(vm_init());                                        /* kernel virtual memory */
    TIMED(heap_init());                                      /* kmalloc and kfree */
    TIMED(print_banner());                                   /* "keel <version>, booted by ..." */
    TIMED(cmdline_apply(boot_info.cmdline));                 /* keel.* options */
    TIMED(acpi_init(&boot_info));                            /* MADT, FADT, HPET, MCFG: checked */
    TIMED(interrupts_init());                                /* APICs from the MADT, or the PICs */
    TIMED(clock_init());                                     /* calibrated; the tick at keel.hz */
    TIMED(smp_init());                                       /* the other CPUs, from the MADT */
    TIMED(input_init());                                     /* keyboard and serial input */
    TIMED(boot_facts_print(&boot_info));                     /* memory map, framebuffer, ACPI... */
    TIMED(arch_protect_boot_data());                         /* boot-time data made read-only */

    acpi_dump_if_requested(&boot_info); /* keel.acpi_dump: the tables, as hex */
    selftest_run_if_requested();        /* keel.selftest: tests, then halt */
    arch_crash_if_requested();          /* keel.crash=<kind>, on purpose */
    timing_print_if_requested();        /* keel.timing: each step's time */
    kprintf("keel: boot complete\n");   /* what the boot tests wait for */
    monitor_run();                      /* keel> commands, idle in between */
}
