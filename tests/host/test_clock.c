/*
 * The clock's choices (kernel/clock.c) on fake PCs, on a fake time line: which timer calibrates,
 * which keeps time, what a broken one prints, keel.hz= at both ends, sleep_ms, the boot facts.
 * Each read of a fake timer takes READ_NS; a halt lasts until the next tick.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/host/console_stub.h"

/* The file itself, to reach its state and the option's setter. */
#include "kernel/clock.c" // NOLINT(bugprone-suspicious-include): the statics are under test

#define READ_NS  100
#define TSC_HZ   2400000000ULL
#define HPET_HZ  100000000ULL
#define PM_HZ    3579545ULL
#define PIT_RATE 1193182ULL

static uint64_t now_ns;
static bool hpet_stuck, pit_stuck, no_hpet, no_pm_timer, tsc_invariant_flag, tick_fails;
static unsigned started_hz;
static void (*tick_function)(void);
static uint64_t next_tick_ns, tick_every_ns;
static unsigned halts;

static uint64_t at(uint64_t hz)
{
    now_ns += READ_NS;
    return clock_muldiv(now_ns, hz, NS_PER_SEC);
}
static uint64_t tsc_behind; /* counts this CPU's TSC is behind the one that read last */
static uint64_t fake_tsc(void)
{
    return at(TSC_HZ) - tsc_behind;
}
static uint64_t fake_hpet(void)
{
    now_ns += READ_NS;
    return hpet_stuck ? 0xffffffff : clock_muldiv(now_ns, HPET_HZ, NS_PER_SEC);
}
static uint64_t fake_pm_timer(void)
{
    return at(PM_HZ) & 0xffffff;
}
static uint64_t fake_pit(void)
{
    uint64_t count = at(PIT_RATE) & 0xffff;
    return pit_stuck ? 0 : count;
}

void arch_timers_probe(struct arch_timers *t)
{
    size_t n = 0;

    *t = (struct arch_timers){
        .cpu = {"TSC", fake_tsc, 64, 0},
        .cpu_invariant = tsc_invariant_flag,
    };
    if (!no_hpet)
        t->references[n++] = (struct clock_counter){"HPET", fake_hpet, 32, HPET_HZ};
    if (!no_pm_timer)
        t->references[n++] = (struct clock_counter){"PM timer", fake_pm_timer, 24, PM_HZ};
    t->references[n++] = (struct clock_counter){"PIT", fake_pit, 16, PIT_RATE};
    t->reference_count = n;
}

const char *arch_tick_start(const struct arch_timers *t, unsigned hz, void (*tick)(void),
                            uint64_t *period_ns)
{
    (void)t;
    if (tick_fails)
        return NULL;
    started_hz = hz;
    tick_function = tick;
    tick_every_ns = NS_PER_SEC / hz;
    next_tick_ns = now_ns + tick_every_ns;
    *period_ns = tick_every_ns;
    return "fake timer";
}

/* The boot CPU's: the one that keeps time. */
static struct cpu boot_cpu = {.self = &boot_cpu};

struct cpu *this_cpu(void)
{
    return &boot_cpu;
}

bool arch_tick_start_this_cpu(void)
{
    return true;
}

unsigned long arch_irq_save(void)
{
    return 0;
}
void arch_irq_restore(unsigned long flags)
{
    (void)flags;
}

/* Halts until the next tick, which it delivers. */
void arch_wait_for_interrupt(void)
{
    halts++;
    if (!tick_function) {
        fail_msg("halted with no tick: it would never wake");
        return;
    }
    if (now_ns < next_tick_ns)
        now_ns = next_tick_ns;
    next_tick_ns += tick_every_ns;
    tick_function();
}

static int reset(void **state)
{
    (void)state;
    now_ns = 5000000;
    hpet_stuck = pit_stuck = no_hpet = no_pm_timer = tsc_invariant_flag = tick_fails = false;
    tsc_behind = 0;
    started_hz = 0;
    tick_function = NULL;
    halts = 0;
    tick_hz = CLOCK_HZ_DEFAULT;
    reference = NULL;
    source = NULL;
    source_is_tick = false;
    followed = NULL;
    tick_name = NULL;
    ticks = 0;
    console_stub_reset();
    return 0;
}

static void assert_near(uint64_t measured, uint64_t expected, uint64_t max_ppm)
{
    int64_t ppm = clock_error_ppm(measured, expected);
    if (ppm < -(int64_t)max_ppm || ppm > (int64_t)max_ppm)
        fail_msg("measured %llu, expected %llu: %lld ppm off", (unsigned long long)measured,
                 (unsigned long long)expected, (long long)ppm);
}

static void test_hz_option_at_both_ends(void **state)
{
    (void)state;
    assert_int_equal(clock_tick_hz(), 100);
    assert_false(set_hz("18"));
    assert_int_equal(clock_tick_hz(), 100);
    assert_true(set_hz("19"));
    assert_int_equal(clock_tick_hz(), 19);
    assert_false(set_hz("1001"));
    assert_int_equal(clock_tick_hz(), 19);
    assert_true(set_hz("1000"));
    assert_false(set_hz(NULL));
    clock_init();
    assert_int_equal(started_hz, 1000);
}

static void test_the_hpet_calibrates_and_keeps_time(void **state)
{
    (void)state;
    clock_init();
    assert_string_equal(reference->name, "HPET");
    assert_string_equal(source->name, "HPET");
    assert_near(timers.cpu.hz, TSC_HZ, 10);
    assert_true(clock_tick_running());
    /* A second of fake time: a second of clock. */
    uint64_t start = clock_ns();
    now_ns += NS_PER_SEC;
    assert_near(clock_ns() - start, NS_PER_SEC, 10);
}

static void test_an_invariant_tsc_keeps_time(void **state)
{
    (void)state;
    tsc_invariant_flag = true;
    clock_init();
    assert_string_equal(source->name, "TSC");
    assert_string_equal(reference->name, "HPET");
}

/* A read on a CPU whose TSC is a little behind: the clock stands still, it does not leap. */
static void test_a_tsc_a_little_behind_does_not_leap(void **state)
{
    (void)state;
    tsc_invariant_flag = true;
    clock_init();
    uint64_t before = clock_ns();
    tsc_behind = TSC_HZ / 1000; /* 1 ms */
    uint64_t behind = clock_ns();
    assert_true(behind >= before);
    assert_true(behind - before < NS_PER_SEC);
    tsc_behind = 0;
    now_ns += NS_PER_SEC;
    assert_near(clock_ns() - before, NS_PER_SEC, 1000);
}

static void test_a_stuck_hpet_is_skipped_for_the_pm_timer(void **state)
{
    (void)state;
    hpet_stuck = true;
    clock_init();
    assert_non_null(strstr(console_stub_output, "keel: clock: HPET does not count: not used\n"));
    assert_string_equal(reference->name, "PM timer");
    assert_string_equal(source->name, "PM timer");
    assert_near(timers.cpu.hz, TSC_HZ, 20);
    /* Ten seconds, more than two wraps of its 24 bits, read by the tick: still right. */
    uint64_t start = clock_ns();
    for (int i = 0; i < 10 * 100; i++)
        arch_wait_for_interrupt();
    assert_near(clock_ns() - start, 10 * NS_PER_SEC, 100);
}

/* Only the PIT: it calibrates the TSC, but wraps too fast to keep time; the TSC does. */
static void test_with_only_the_pit_the_tsc_keeps_time(void **state)
{
    struct clock_check check;

    (void)state;
    no_hpet = no_pm_timer = true;
    clock_init();
    assert_string_equal(reference->name, "PIT");
    assert_string_equal(source->name, "TSC");
    assert_near(timers.cpu.hz, TSC_HZ, 50);
    assert_false(clock_check_calibration(&check));
}

/* Nothing calibrates, and the TSC's rate is unknown: only the ticks keep time. */
static void test_with_no_reference_the_ticks_keep_time(void **state)
{
    (void)state;
    no_hpet = no_pm_timer = pit_stuck = true;
    clock_init();
    assert_non_null(strstr(console_stub_output, "keel: clock: PIT does not count: not used\n"));
    assert_non_null(strstr(console_stub_output, "no reference timer works"));
    assert_null(reference);
    assert_null(source);
    assert_true(source_is_tick);
    assert_int_equal(clock_ns(), 0);
    for (int i = 0; i < 150; i++)
        arch_wait_for_interrupt();
    assert_int_equal(clock_ns(), 150 * (NS_PER_SEC / 100));
}

static void test_sleep_ms_halts_until_the_time_is_up(void **state)
{
    (void)state;
    clock_init();
    uint64_t start = clock_ns();
    sleep_ms(250);
    uint64_t slept = clock_ns() - start;
    assert_true(slept >= 250 * NS_PER_MS);
    assert_true(slept < 250 * NS_PER_MS + NS_PER_SEC / 100 + NS_PER_MS);
    assert_in_range(halts, 25, 26);
    assert_in_range(clock_ticks(), 25, 26);
}

/* No tick: sleep_ms waits on the clock instead of halting a CPU nothing would wake. */
static void test_without_a_tick_sleep_ms_never_halts(void **state)
{
    (void)state;
    tick_fails = true;
    clock_init();
    assert_false(clock_tick_running());
    assert_non_null(strstr(console_stub_output, "no timer can tick"));
    uint64_t start = clock_ns();
    sleep_ms(20);
    assert_true(clock_ns() - start >= 20 * NS_PER_MS);
    assert_int_equal(halts, 0);
}

static void test_calibration_checked_over_the_boot(void **state)
{
    struct clock_check check;

    (void)state;
    clock_init();
    for (int i = 0; i < 300; i++)
        arch_wait_for_interrupt();
    assert_true(clock_check_calibration(&check));
    assert_string_equal(check.reference, "HPET");
    assert_in_range(check.span_ms, 3000, 3100);
    assert_true(check.error_ppm >= -10 && check.error_ppm <= 10);
    assert_near(check.measured_hz, TSC_HZ, 10);
}

static void test_boot_facts_in_two_lines(void **state)
{
    (void)state;
    hpet_stuck = true;
    clock_init();
    timers.cpu.hz = 2400000000; /* as calibrated, but to the Hz */
    console_stub_reset();
    clock_print_facts();
    assert_string_equal(console_stub_output,
                        "clock: time from PM timer; TSC 2400.000 MHz (not invariant), "
                        "calibrated by PM timer\n"
                        "tick: 100 Hz from fake timer\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_hz_option_at_both_ends, reset),
        cmocka_unit_test_setup(test_the_hpet_calibrates_and_keeps_time, reset),
        cmocka_unit_test_setup(test_an_invariant_tsc_keeps_time, reset),
        cmocka_unit_test_setup(test_a_tsc_a_little_behind_does_not_leap, reset),
        cmocka_unit_test_setup(test_a_stuck_hpet_is_skipped_for_the_pm_timer, reset),
        cmocka_unit_test_setup(test_with_only_the_pit_the_tsc_keeps_time, reset),
        cmocka_unit_test_setup(test_with_no_reference_the_ticks_keep_time, reset),
        cmocka_unit_test_setup(test_sleep_ms_halts_until_the_time_is_up, reset),
        cmocka_unit_test_setup(test_without_a_tick_sleep_ms_never_halts, reset),
        cmocka_unit_test_setup(test_calibration_checked_over_the_boot, reset),
        cmocka_unit_test_setup(test_boot_facts_in_two_lines, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
