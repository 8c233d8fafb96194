/*
 * Host tests of a panic with several CPUs (kernel/panic.c): the first CPU to panic reports, the
 * others are stopped by the NMI it sends and say so, one that panics after it stops without a
 * word, one that never answers is waited for up to the bound and named. The CPUs are played in
 * one thread: this_cpu() is whichever the test makes current, the stop NMI runs at once on each
 * CPU that answers, and halt_forever jumps back to whoever played that CPU. A panic can begin
 * once per process, so each case runs in a child process of its own.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/panic.h"
#include "tests/host/console_stub.h"

#define CPUS 4

static struct cpu *current;
static jmp_buf *halt_return;   /* where halt_forever goes back to */
static bool deaf[CPUS];        /* a CPU that never takes the NMI (hung with NMIs blocked) */
static bool woken_twice[CPUS]; /* a CPU that takes a second NMI right after the first */
static unsigned halts[CPUS];
static unsigned lock_resets;

struct cpu *this_cpu(void)
{
    return current;
}

noreturn void halt_forever(void)
{
    halts[current->index]++;
    longjmp(*halt_return, 1);
}

uint64_t clock_ns(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/*
 * Plays CPU index running fn (a panic, or the NMI handler's first question) until it returns
 * or halts; true if it halted.
 */
static bool play(unsigned index, void (*fn)(void))
{
    struct cpu *caller = current;
    jmp_buf here, *outer = halt_return;
    volatile bool halted = true;

    current = cpu_get(index);
    halt_return = &here;
    if (setjmp(here) == 0) {
        fn();
        halted = false;
    }
    current = caller;
    halt_return = outer;
    return halted;
}

/* What nmi_handle (arch/x86_64/traps/nmi.c) does first. */
static void nmi_first_step(void)
{
    if (panic_on_other_cpu())
        panic_stop_this_cpu();
}

static unsigned stop_nmis[CPUS];

/* The NMI arrives at once: the CPU runs its handler's first step, then the sender goes on. */
bool arch_send_ipi(const struct cpu *cpu, enum arch_ipi ipi)
{
    if (ipi != ARCH_IPI_STOP)
        return false;
    stop_nmis[cpu->index]++;
    if (!deaf[cpu->index])
        play(cpu->index, nmi_first_step);
    if (!deaf[cpu->index] && woken_twice[cpu->index])
        play(cpu->index, nmi_first_step); /* another NMI (a watchdog's) wakes it from its halt */
    return true;
}

void arch_interrupts_disable(void)
{
}

void arch_spin_pause(void)
{
}

void arch_test_exit(bool passed)
{
    (void)passed;
}

void arch_consoles_init(void)
{
}

bool console_any(void)
{
    return true;
}

void console_lock_reset(void)
{
    lock_resets++;
}

void console_set_colour(enum console_colour fg, enum console_colour bg)
{
    (void)fg, (void)bg;
}

void backtrace_print(uintptr_t ip, uintptr_t frame)
{
    (void)ip, (void)frame;
}

/* A check in the child: says what failed, and the child's status tells the parent. */
#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: expected %s\noutput: %s\n", __FILE__, __LINE__, #cond,         \
                    console_stub_output);                                                          \
            _exit(1);                                                                              \
        }                                                                                          \
    } while (0)

/* Runs a case in a child process, with CPUS CPUs online and CPU 0 current. */
static void run_case(void (*case_fn)(void))
{
    pid_t child = fork();

    assert_true(child >= 0);
    if (child == 0) {
        current = cpu_get(0);
        for (unsigned i = 1; i < CPUS; i++)
            cpu_add(i)->online = true;
        case_fn();
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* CPU 2 panics; every other CPU takes its NMI and stops, each halted once; then CPU 2 reports. */
static void case_every_other_cpu_stops(void)
{
    EXPECT(!panic_in_progress());
    EXPECT(!play(2, panic_begin)); /* returns: the caller prints its report */
    EXPECT(panic_in_progress());
    EXPECT(strstr(console_stub_output, "keel: CPU 2 panics; 3 of the 3 other CPUs stopped\n"));
    EXPECT(lock_resets == 1);
    for (unsigned i = 0; i < CPUS; i++) {
        EXPECT(halts[i] == (i != 2));
        EXPECT(stop_nmis[i] == (i != 2));
    }
    /* Only the reporting CPU goes on; on the others the NMI handler stops at once. */
    current = cpu_get(2);
    EXPECT(!panic_on_other_cpu());
    current = cpu_get(0);
    EXPECT(panic_on_other_cpu());
}

/* A second panic, on a CPU the NMI has not reached yet: it stops, and nothing is printed. */
static void case_a_later_panic_stops_silently(void)
{
    deaf[3] = true;
    EXPECT(!play(1, panic_begin));
    size_t printed = console_stub_length;
    EXPECT(play(3, panic_begin));
    EXPECT(halts[3] == 1);
    EXPECT(console_stub_length == printed);
    EXPECT(lock_resets == 1);
}

/* Printing the report panicked again on the same CPU: one line, then it halts. */
static void case_a_panic_while_reporting_says_so_once(void)
{
    EXPECT(!play(1, panic_begin));
    console_stub_reset();
    EXPECT(play(1, panic_begin));
    EXPECT(strcmp(console_stub_output,
                  "\nKERNEL PANIC: another panic while reporting one; stopping\n") == 0);
    EXPECT(play(1, panic_begin));
    EXPECT(strcmp(console_stub_output,
                  "\nKERNEL PANIC: another panic while reporting one; stopping\n") == 0);
}

/* A CPU that never answers: waited for up to the bound (100 ms), not longer, and named. */
static void case_a_cpu_that_never_stops_is_named(void)
{
    deaf[3] = true;
    uint64_t start = clock_ns();
    EXPECT(!play(0, panic_begin));
    uint64_t waited_ms = (clock_ns() - start) / 1000000;
    EXPECT(waited_ms >= 100);
    EXPECT(waited_ms < 1000);
    EXPECT(strstr(console_stub_output,
                  "keel: CPU 0 panics; 2 of the 3 other CPUs stopped, not CPU 3\n"));
}

/*
 * An NMI that wakes a stopped CPU again stops it again, and it still counts once: counted twice,
 * it would end the wait for a CPU that never stopped.
 */
static void case_a_stopped_cpu_counts_once(void)
{
    woken_twice[1] = true;
    deaf[3] = true;
    uint64_t start = clock_ns();
    EXPECT(!play(0, panic_begin));
    EXPECT((clock_ns() - start) / 1000000 >= 100);
    EXPECT(halts[1] == 2);
    EXPECT(strstr(console_stub_output, "2 of the 3 other CPUs stopped, not CPU 3\n"));
}

/* With one CPU there is nobody to stop: no NMI, no wait, no line. */
static void case_one_cpu_sends_nothing(void)
{
    for (unsigned i = 1; i < CPUS; i++)
        cpu_get(i)->online = false;
    EXPECT(!play(0, panic_begin));
    EXPECT(stop_nmis[1] == 0);
    EXPECT(strcmp(console_stub_output, "\n") == 0);
}

static void every_other_cpu_stops(void **state)
{
    (void)state;
    run_case(case_every_other_cpu_stops);
}

static void a_later_panic_stops_silently(void **state)
{
    (void)state;
    run_case(case_a_later_panic_stops_silently);
}

static void a_panic_while_reporting_says_so_once(void **state)
{
    (void)state;
    run_case(case_a_panic_while_reporting_says_so_once);
}

static void a_cpu_that_never_stops_is_named(void **state)
{
    (void)state;
    run_case(case_a_cpu_that_never_stops_is_named);
}

static void a_stopped_cpu_counts_once(void **state)
{
    (void)state;
    run_case(case_a_stopped_cpu_counts_once);
}

static void one_cpu_sends_nothing(void **state)
{
    (void)state;
    run_case(case_one_cpu_sends_nothing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_other_cpu_stops),
        cmocka_unit_test(a_later_panic_stops_silently),
        cmocka_unit_test(a_panic_while_reporting_says_so_once),
        cmocka_unit_test(a_cpu_that_never_stops_is_named),
        cmocka_unit_test(a_stopped_cpu_counts_once),
        cmocka_unit_test(one_cpu_sends_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
