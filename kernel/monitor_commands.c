/*
 * The keel> monitor's commands. A new one is a function taking its arguments and a row in the
 * table at the end of this file; help lists it from there.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/boot_facts.h"
#include "kernel/boot_info.h"
#include "kernel/clock.h"
#include "kernel/compiler.h"
#include "kernel/crash.h"
#include "kernel/irq.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/monitor.h"
#include "kernel/monitor_line.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"
#include "kernel/selftest.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/vm.h"

#define NS_PER_MS    1000000ULL
#define MS_PER_S     1000ULL
#define KIB_PER_PAGE (PAGE_SIZE / 1024)

static void help(const char *arguments)
{
    (void)arguments;
    for (size_t i = 0; i < monitor_command_count; i++) {
        char usage[MONITOR_LINE_MAX + 1];
        ksnprintf(usage, sizeof(usage), "%s %s", monitor_commands[i].name,
                  monitor_commands[i].arguments);
        kprintf("  %-15s %s\n", usage, monitor_commands[i].summary);
    }
    kprintf("Line editing: Backspace, Ctrl-U erases the line, Ctrl-C abandons it.\n");
}

static void info(const char *arguments)
{
    (void)arguments;
    boot_facts_print(boot_info_this_boot());
}

static void mem(const char *arguments)
{
    (void)arguments;
    size_t total = pmm_total_count(), free = pmm_free_count();
    kprintf("frames: %zu of %zu free (%llu of %llu KiB), %zu in use\n", free, total,
            (unsigned long long)(free * KIB_PER_PAGE), (unsigned long long)(total * KIB_PER_PAGE),
            pmm_used_count());

    struct heap_stats heap = heap_stats();
    uint64_t small_blocks = 0;
    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++)
        small_blocks += heap.classes[i].blocks;
    kprintf("heap (%s checks): %llu small blocks, %llu B, in %llu KiB of slabs\n",
            heap_debug() ? "debug" : "default", (unsigned long long)small_blocks,
            (unsigned long long)heap.small_in_blocks, (unsigned long long)(heap.small_held / 1024));
    kprintf("heap: %llu large blocks in %llu KiB of pages\n", (unsigned long long)heap.large_blocks,
            (unsigned long long)(heap.large_held / 1024));

    struct vm_stats vm = vm_stats();
    kprintf("virtual memory: %llu areas, %llu KiB of RAM, %llu GiB of address space free\n",
            (unsigned long long)vm.areas, (unsigned long long)(vm.pages * KIB_PER_PAGE),
            (unsigned long long)(vm.free_bytes >> 30));
}

static void uptime(const char *arguments)
{
    (void)arguments;
    uint64_t ms = clock_ns() / NS_PER_MS;
    kprintf("uptime: %llu.%03llu s\n", (unsigned long long)(ms / MS_PER_S),
            (unsigned long long)(ms % MS_PER_S));
}

static void irq(const char *arguments)
{
    (void)arguments;
    irq_print_counts();
}

static void cpus(const char *arguments)
{
    (void)arguments;
    smp_print_cpus();
}

static void selftest(const char *arguments)
{
    (void)arguments;
    selftest_run_all();
}

static void crash(const char *arguments)
{
    const struct crash_kind *kind = crash_find_kind(arguments);

    if (kind == NULL) {
        if (arguments[0] != '\0')
            kprintf("crash: no kind called %s\n", arguments);
        kprintf("crash takes one of: ");
        crash_print_kinds(strlen("crash takes one of: "));
        return;
    }
    kprintf("keel: crash %s: %s\n", kind->name, kind->what);
    kind->crash();
    kprintf("keel: crash %s did not crash\n", kind->name);
}

static void reboot(const char *arguments)
{
    (void)arguments;
    arch_reboot();
}

static void halt(const char *arguments)
{
    (void)arguments;
    kprintf("keel: halted; it is safe to turn the machine off\n");
    halt_forever();
}

const struct monitor_command monitor_commands[] = {
    {"help", "", "lists these commands", help},
    {"info", "", "prints the boot facts again", info},
    {"mem", "", "frames, heap and kernel virtual memory in use", mem},
    {"uptime", "", "seconds since boot", uptime},
    {"irq", "", "interrupts counted per IRQ, spurious ones too", irq},
    {"cpus", "", "each CPU: its APIC id, online or not, its ticks", cpus},
    {"selftest", "", "runs the in-kernel tests", selftest},
    {"crash", "<kind>", "breaks the kernel on purpose (crash alone lists the kinds)", crash},
    {"reboot", "", "resets the machine", reboot},
    {"halt", "", "stops the CPU for good", halt},
};
const size_t monitor_command_count = ARRAY_SIZE(monitor_commands);
