/* The clock (kernel/clock.h): calibration at boot, the clock's source, the tick, sleeping. */
#include "kernel/clock.h"

#include "kernel/arch.h"
#include "kernel/clock_arch.h"
#include "kernel/clock_math.h"
#include "kernel/cmdline.h"
#include "kernel/compiler.h"
#include "kernel/cpu.h"
#include "kernel/kprintf.h"

static unsigned tick_hz __ro_after_init = CLOCK_HZ_DEFAULT;

static bool set_hz(const char *value)
{
    return clock_parse_hz(value, &tick_hz);
}
CMDLINE_OPTION(hz, set_hz, "=N sets the tick's rate, 19 to 1000 ticks a second (default 100)");

static struct arch_timers timers;
/* The reference that calibrated the rest, or NULL when none would. */
static const struct clock_counter *reference;
static struct clock_calibration calibration;

/* The clock's source: a counter (widened, and scaled to ns), or else the tick itself. */
static const struct clock_counter *source;
static struct clock_extended source_count;
static struct clock_scale source_to_ns;
static bool source_is_tick;

static const char *tick_name;
static uint64_t tick_period_ns;
static volatile uint64_t ticks;

/* The calibration reference when it keeps time, widened by each tick, for clock_check_calibration.
 */
static const struct clock_counter *followed;
static struct clock_extended reference_count;
static struct clock_extended cpu_counter_extended;

unsigned clock_tick_hz(void)
{
    return tick_hz;
}

bool clock_tick_running(void)
{
    return tick_name != NULL;
}

/* A counter that wraps in under 2 seconds (the PIT) cannot be widened by a tick at 1 Hz. */
static bool keeps_time(const struct clock_counter *counter)
{
    return counter->bits >= 64 || (1ULL << counter->bits) / 2 >= counter->hz;
}

/*
 * Every CPU's timer calls this; the boot CPU's alone keeps time, so the clock runs at keel.hz
 * however many CPUs tick.
 */
static void clock_tick(void)
{
    struct cpu *cpu = this_cpu();

    cpu->ticks++;
    if (cpu->index != 0)
        return;
    ticks++;
    if (source && !source_is_tick)
        clock_extended_update(&source_count, source->read());
    if (followed)
        clock_extended_update(&reference_count, followed->read());
}

/* Against the first reference that works; each one that does not says why in one line. */
static void calibrate(void)
{
    const struct clock_counter *counters[CLOCK_CALIBRATION_COUNTERS] = {&timers.cpu};
    size_t count = 1;

    if (timers.tick_timer.name)
        counters[count++] = &timers.tick_timer;
    for (size_t i = 0; i < timers.reference_count && !reference; i++) {
        const struct clock_counter *candidate = &timers.references[i];
        if (clock_calibrate(candidate, counters, count, CLOCK_CALIBRATION_MS, &calibration))
            reference = candidate;
        else
            kprintf("keel: clock: %s %s: not used\n", candidate->name, calibration.failure);
    }
    if (!reference) {
        kprintf("keel: clock: no reference timer works: rates not calibrated\n");
        return;
    }
    if (timers.cpu.hz == 0)
        timers.cpu.hz = calibration.hz[0];
    if (timers.tick_timer.name)
        timers.tick_timer.hz = calibration.hz[1];
    if (keeps_time(reference)) {
        clock_extended_start(&reference_count, calibration.reference_start, reference->bits);
        clock_extended_start(&cpu_counter_extended, calibration.counter_start[0], timers.cpu.bits);
        followed = reference;
    }
}

/*
 * Best first: an invariant TSC; a reference that keeps time; a TSC that is not known to be
 * invariant, but whose rate is known (it may slow down in deep sleep states, which a CPU that
 * only ever halts does not enter); the tick, last, since every tick lost while interrupts were
 * off (or, in a virtual machine, while the host was busy) is time lost.
 */
static void choose_source(void)
{
    const struct clock_counter *best = NULL;

    if (timers.cpu_invariant && timers.cpu.hz)
        best = &timers.cpu;
    for (size_t i = 0; i < timers.reference_count && !best; i++) {
        const struct clock_counter *candidate = &timers.references[i];
        /* Only the one that calibrated, or one after it: those before it did not work. */
        if (reference && candidate >= reference && keeps_time(candidate))
            best = candidate;
    }
    if (!best && timers.cpu.hz)
        best = &timers.cpu;
    if (best && clock_scale_init(&source_to_ns, best->hz, NS_PER_SEC)) {
        source = best;
        clock_extended_start(&source_count, best->read(), best->bits);
    } else {
        source_is_tick = true;
    }
}

void clock_init(void)
{
    unsigned long flags = arch_irq_save();

    arch_timers_probe(&timers);
    calibrate();
    choose_source();
    tick_name = arch_tick_start(&timers, tick_hz, clock_tick, &tick_period_ns);
    if (!tick_name)
        kprintf("keel: clock: no timer can tick: sleep_ms spins\n");
    arch_irq_restore(flags);
}

/*
 * Every CPU reads the clock. One at a time widens the source's count (source_count); a CPU, or an
 * NMI, that finds another at it takes the count that one published last, a moment old. And a
 * 64-bit counter read below the last reading (another CPU's TSC a little behind) adds nothing:
 * as a wrap it would add some 2^64 counts. So the clock never goes back and never leaps.
 */
static uint32_t widening;
static uint64_t published_count;

uint64_t clock_ns(void)
{
    if (source_is_tick)
        return ticks * tick_period_ns;
    if (!source)
        return 0;
    unsigned long flags = arch_irq_save();
    uint64_t count;
    if (__atomic_exchange_n(&widening, 1, __ATOMIC_ACQUIRE) == 0) {
        uint64_t raw = source->read();
        if (source_count.bits >= 64 && raw < source_count.last_raw)
            raw = source_count.last_raw;
        count = clock_extended_update(&source_count, raw);
        __atomic_store_n(&published_count, count, __ATOMIC_RELAXED);
        __atomic_store_n(&widening, 0, __ATOMIC_RELEASE);
    } else {
        count = __atomic_load_n(&published_count, __ATOMIC_RELAXED);
    }
    arch_irq_restore(flags);
    return clock_scale_apply(&source_to_ns, count);
}

uint64_t clock_ticks(void)
{
    return ticks;
}

void sleep_ms(uint64_t ms)
{
    uint64_t now = clock_ns();
    uint64_t span = ms > UINT64_MAX / NS_PER_MS ? UINT64_MAX : ms * NS_PER_MS;
    uint64_t deadline = span > UINT64_MAX - now ? UINT64_MAX : now + span;

    if (!tick_name) {
        /* No interrupt would wake a halted CPU: wait on the clock, if it moves at all. */
        if (source_is_tick || !source)
            return;
        while (now < deadline)
            now = clock_ns();
        return;
    }
    unsigned long flags = arch_irq_save();
    while (clock_ns() < deadline)
        arch_wait_for_interrupt();
    arch_irq_restore(flags);
}

bool clock_check_calibration(struct clock_check *check)
{
    if (!followed)
        return false;
    unsigned long flags = arch_irq_save();
    uint64_t reference_ticks = clock_extended_update(&reference_count, followed->read());
    uint64_t cpu_ticks = clock_extended_update(&cpu_counter_extended, timers.cpu.read());
    arch_irq_restore(flags);

    *check = (struct clock_check){
        .reference = followed->name,
        .calibrated_hz = timers.cpu.hz,
        .measured_hz = clock_calibrated_hz(cpu_ticks, reference_ticks, followed->hz),
        .span_ms = clock_muldiv(reference_ticks, 1000, followed->hz),
    };
    check->error_ppm = clock_error_ppm(check->calibrated_hz, check->measured_hz);
    return check->measured_hz != 0;
}

/* "2904.123 MHz": to the kHz. */
static void print_rate(const char *what, uint64_t hz)
{
    if (hz)
        kprintf("%s %llu.%03llu MHz", what, (unsigned long long)(hz / 1000000),
                (unsigned long long)(hz / 1000 % 1000));
    else
        kprintf("%s rate unknown", what);
}

/*
 * Two lines:
 *     clock: time from HPET; TSC 2445.441 MHz (not invariant), calibrated by HPET
 *     tick: 100 Hz from APIC timer, periodic; APIC timer 1000.000 MHz
 */
void clock_print_facts(void)
{
    kprintf("clock: time from %s; ", source ? source->name : "ticks");
    print_rate(timers.cpu.name, timers.cpu.hz);
    if (timers.cpu_hz_from)
        kprintf(" (%s)", timers.cpu_hz_from);
    else if (!timers.cpu_invariant)
        kprintf(" (not invariant)");
    if (reference)
        kprintf(", calibrated by %s\n", reference->name);
    else
        kprintf(", no reference timer\n");
    if (tick_name)
        kprintf("tick: %u Hz from %s", tick_hz, tick_name);
    else
        kprintf("tick: none");
    if (timers.tick_timer.name) {
        kprintf("; ");
        print_rate(timers.tick_timer.name, timers.tick_timer.hz);
    }
    kprintf("\n");
}

bool clock_start_this_cpu(void)
{
    return tick_name && arch_tick_start_this_cpu();
}
