/* panic(): report an unrecoverable error on every console and stop, every CPU. */
#include "kernel/panic.h"

#include <stdarg.h>

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/deadline.h"
#include "kernel/kprintf.h"

/* How long the reporting CPU waits for the others to stop: they take microseconds. */
#define PANIC_STOP_TIMEOUT_MS 100

/* The index of the CPU that reports the panic, -1 until one does: the first to set it wins. */
static int panic_cpu = -1;

/* Reports that CPU has started: 1 while the first is printed, more if printing it fails. */
static int panic_depth;

/* The other CPUs that have stopped for the panic, each set by the CPU itself, and their count. */
static bool stopped[CPU_MAX];
static unsigned stopped_count;

bool panic_in_progress(void)
{
    return __atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) >= 0;
}

bool panic_on_other_cpu(void)
{
    int cpu = __atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE);

    return cpu >= 0 && cpu != (int)this_cpu()->index;
}

noreturn void panic_stop_this_cpu(void)
{
    arch_interrupts_disable();
    /* Counted once, though each NMI that wakes the halted CPU comes here again. */
    if (!__atomic_exchange_n(&stopped[this_cpu()->index], true, __ATOMIC_ACQ_REL))
        __atomic_fetch_add(&stopped_count, 1, __ATOMIC_RELEASE);
    halt_forever();
}

static bool is_online(unsigned index)
{
    return __atomic_load_n(&cpu_get(index)->online, __ATOMIC_ACQUIRE);
}

/*
 * An NMI to every other online CPU, whatever it is doing, interrupts on or off: each stops in its
 * NMI handler without a word (panic_on_other_cpu). One in the middle of a print stops there, and
 * console_lock_reset, after this, lets the report through. Not to every CPU at once: one still on
 * its way up (in real mode, on the trampoline) has no IDT for an NMI yet.
 */
static void stop_other_cpus(void)
{
    unsigned self = this_cpu()->index, others = 0;

    for (unsigned i = 0; i < cpu_count(); i++) {
        if (i != self && is_online(i)) {
            arch_send_ipi(cpu_get(i), ARCH_IPI_STOP);
            others++;
        }
    }
    struct deadline deadline = deadline_in_ms(PANIC_STOP_TIMEOUT_MS);
    while (__atomic_load_n(&stopped_count, __ATOMIC_ACQUIRE) < others &&
           !deadline_passed(&deadline))
        arch_spin_pause();
}

static bool has_stopped(unsigned index)
{
    return __atomic_load_n(&stopped[index], __ATOMIC_ACQUIRE);
}

/* "keel: CPU 2 panics; the 3 other CPUs stopped", or which did not; nothing with one CPU. */
static void print_stopped_cpus(void)
{
    unsigned self = this_cpu()->index, others = 0, stopped_others = 0;

    for (unsigned i = 0; i < cpu_count(); i++) {
        if (i != self && is_online(i)) {
            others++;
            stopped_others += has_stopped(i);
        }
    }
    if (others == 0)
        return;
    kprintf("keel: CPU %u panics; %u of the %u other CPUs stopped", self, stopped_others, others);
    if (stopped_others < others) {
        kprintf(", not CPU");
        for (unsigned i = 0; i < cpu_count(); i++)
            if (i != self && is_online(i) && !has_stopped(i))
                kprintf(" %u", i);
    }
    kprintf("\n");
}

void panic_begin(void)
{
    int first = -1;

    arch_interrupts_disable();

    /* Another CPU reports a panic already: its report is the one, this CPU only stops. */
    if (!__atomic_compare_exchange_n(&panic_cpu, &first, (int)this_cpu()->index, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
        first != (int)this_cpu()->index)
        panic_stop_this_cpu();

    /*
     * Printing the first report failed in a way that panicked again: say so, tersely, and stop.
     * If even that line fails (a console that faults on every write), stop without a word rather
     * than recurse until the stack overflows.
     */
    if (panic_depth++ > 0) {
        if (panic_depth == 2)
            kprintf("\nKERNEL PANIC: another panic while reporting one; stopping\n");
        halt_forever();
    }

    stop_other_cpus(); /* so that no other CPU writes once the report has begun */

    /* A panic inside a print (a console that faulted) would otherwise only queue its report. */
    console_lock_reset();

    /* A panic in the earliest C code may come before kmain registered the consoles. */
    if (!console_any())
        arch_consoles_init();

    console_set_colour(COLOUR_WHITE, COLOUR_RED);
    kprintf("\n");
    print_stopped_cpus();
}

noreturn void panic_end(void)
{
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    arch_test_exit(false); /* keel.exit=qemu: a test needs not wait for its timeout */
    halt_forever();
}

noreturn void panic_at(const char *file, int line, const char *function, const char *fmt, ...)
{
    va_list args;

    panic_begin();
    kprintf("KERNEL PANIC: ");
    va_start(args, fmt);
    kvprintf(fmt, args);
    va_end(args);
    kprintf("\n at %s:%d (%s)\n", file, line, function);
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    /* From this function's own frame: the first line shown is the caller of panic(). */
    backtrace_print(0, (uintptr_t)__builtin_frame_address(0));
    panic_end();
}
