/* The local APIC timer (lapic_timer.h): counted for calibration, then the tick. */
#include "arch/x86_64/apic/lapic_timer.h"

#include "arch/x86_64/apic/lapic.h"
#include "arch/x86_64/cpu/arch_cpu.h"
#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/tsc.h"
#include "arch/x86_64/traps/interrupts.h"
#include "kernel/clock_math.h"

/* SDM vol. 3A, figure 10-8 and 10.5.4: the timer's LVT entry and counts. */
#define LAPIC_TIMER_INITIAL_COUNT 0x380
#define LAPIC_TIMER_CURRENT_COUNT 0x390
#define LAPIC_TIMER_DIVIDE        0x3e0
#define LAPIC_TIMER_ONE_SHOT      (0u << 17)
#define LAPIC_TIMER_PERIODIC      (1u << 17)
#define LAPIC_TIMER_TSC_DEADLINE  (2u << 17)
#define MSR_TSC_DEADLINE          0x6e0

#define CPUID_BASIC_FEATURES     0x00000001U
#define CPUID_1_ECX_TSC_DEADLINE (1U << 24)
#define LAPIC_TIMER_DIVIDE_MAX   128
#define LAPIC_TIMER_COUNT_MAX    UINT32_MAX

/*
 * SDM figure 10-10: the divide configuration register's bits 3, 1 and 0 encode divide by 2^(n+1)
 * for n = 0-6, and by 1 as 0b1011.
 */
static uint32_t divide_code(unsigned divide)
{
    if (divide == 1)
        return 0xb;
    unsigned n = 0;
    while ((2u << n) < divide)
        n++;
    return (n & 3) | (n & 4) << 1;
}

/* The count runs down from LAPIC_TIMER_COUNT_MAX and reloads: subtracted, it counts up. */
static uint64_t lapic_timer_read(void)
{
    return LAPIC_TIMER_COUNT_MAX - lapic_read(LAPIC_TIMER_CURRENT_COUNT);
}

void lapic_timer_counter(struct clock_counter *counter)
{
    lapic_write(LAPIC_TIMER_DIVIDE, divide_code(1));
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_PERIODIC | VECTOR_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL_COUNT, LAPIC_TIMER_COUNT_MAX);
    *counter = (struct clock_counter){
        .name = "APIC timer",
        .read = lapic_timer_read,
        .bits = 32,
        .hz = 0,
    };
}

bool lapic_timer_has_tsc_deadline(void)
{
    return cpuid(CPUID_BASIC_FEATURES).ecx & CPUID_1_ECX_TSC_DEADLINE;
}

static void (*tick_function)(void);
/* The mode the boot CPU chose, which every AP's timer repeats: a deadline, or a periodic count. */
static uint64_t tsc_per_tick;
static uint32_t periodic_divide, periodic_count;

/* Each CPU's next deadline is its own. */
static uint64_t *deadline_of_this_cpu(void)
{
    return &arch_cpu_of(this_cpu())->tick_deadline;
}

/* The dispatcher sends the end of interrupt after this returns. */
static void lapic_timer_interrupt(struct trap_frame *frame, void *context)
{
    (void)frame;
    (void)context;
    if (tsc_per_tick) {
        uint64_t *deadline = deadline_of_this_cpu();
        *deadline += tsc_per_tick;
        uint64_t now = tsc_read();
        if (*deadline <= now) /* ticks were missed (interrupts were off): none piles up */
            *deadline = now + tsc_per_tick;
        cpu_write_msr(MSR_TSC_DEADLINE, *deadline);
    }
    tick_function();
}

static void arm_deadline(void)
{
    lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_TSC_DEADLINE | VECTOR_LAPIC_TIMER);
    /*
     * SDM 10.5.4.1: a deadline written before the LVT is in TSC-deadline mode is dropped. The
     * LVT write (an MMIO store, or in x2APIC mode a non-serialising WRMSR) must be done first.
     */
    __asm__ volatile("mfence; lfence" ::: "memory");
    uint64_t *deadline = deadline_of_this_cpu();
    *deadline = tsc_read() + tsc_per_tick;
    cpu_write_msr(MSR_TSC_DEADLINE, *deadline);
}

static void arm_periodic(void)
{
    lapic_write(LAPIC_TIMER_DIVIDE, divide_code(periodic_divide));
    lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | VECTOR_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL_COUNT, periodic_count);
}

static const char *start_deadline(uint64_t tsc_hz, unsigned hz, uint64_t *period_ns)
{
    tsc_per_tick = tsc_hz / hz;
    *period_ns = clock_muldiv(tsc_per_tick, NS_PER_SEC, tsc_hz);
    arm_deadline();
    return "APIC timer, TSC deadline";
}

static const char *start_periodic(uint64_t apic_hz, unsigned hz, uint64_t *period_ns)
{
    unsigned divide = 1;

    while (apic_hz / hz / divide > LAPIC_TIMER_COUNT_MAX && divide < LAPIC_TIMER_DIVIDE_MAX)
        divide *= 2;
    uint64_t count = (apic_hz / divide + hz / 2) / hz;
    if (count == 0)
        count = 1;
    if (count > LAPIC_TIMER_COUNT_MAX)
        count = LAPIC_TIMER_COUNT_MAX;
    *period_ns = clock_muldiv(count * divide, NS_PER_SEC, apic_hz);
    periodic_divide = divide;
    periodic_count = (uint32_t)count;
    arm_periodic();
    return "APIC timer, periodic";
}

const char *lapic_timer_start(uint64_t apic_hz, uint64_t tsc_hz, unsigned hz, void (*tick)(void),
                              uint64_t *period_ns)
{
    tick_function = tick;
    interrupt_vector_register(VECTOR_LAPIC_TIMER, lapic_timer_interrupt, NULL);
    if (tsc_hz)
        return start_deadline(tsc_hz, hz, period_ns);
    return start_periodic(apic_hz, hz, period_ns);
}

bool lapic_timer_start_this_cpu(void)
{
    if (!tick_function)
        return false;
    if (tsc_per_tick)
        arm_deadline();
    else
        arm_periodic();
    return true;
}
