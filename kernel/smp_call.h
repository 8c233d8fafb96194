/*
 * Running a function on other CPUs. smp_call runs fn(arg) on one CPU, smp_call_others on every
 * other online CPU, smp_call_all on every online CPU; each returns once fn has returned on all of
 * them, so arg may point into the caller's stack.
 *
 *     static void flush(void *range) { ... }
 *     smp_call_others(flush, &range);
 *
 * On another CPU fn runs in its SMP call interrupt handler (ARCH_IPI_SMP_CALL), interrupts off:
 * keep it short, and let it take only locks that no caller holds while it waits. On the calling
 * CPU fn is simply called. A CPU that waits for its calls runs the ones sent to it meanwhile, so
 * two CPUs that call each other both go on. Do not wait while holding a spinlock that another CPU
 * may be spinning on: spinning with its interrupts off, that CPU can never run the call. Never
 * call from an NMI or machine check handler: the queues have a spinlock.
 *
 * The wait is bounded: a CPU that has not taken its call after SMP_CALL_TIMEOUT_MS is reported,
 * the call is taken back (it never runs there) and the functions return false. A CPU that has
 * started fn is waited for until it returns (arg must stay valid until then), with one report
 * once the bound has passed.
 */
#pragma once

#include <stdbool.h>

#define SMP_CALL_TIMEOUT_MS 1000

/* False when there is no such CPU, it is not online, or it did not take the call in time. */
bool smp_call(unsigned cpu, void (*fn)(void *), void *arg);

/* False when some CPU did not take the call in time; fn ran on the others. */
bool smp_call_others(void (*fn)(void *), void *arg);

/* Like smp_call_others, and fn runs on this CPU too, while the others run it. */
bool smp_call_all(void (*fn)(void *), void *arg);

/* Runs the calls queued for this CPU, in the order they came: the arch's SMP call interrupt. */
void smp_call_run_pending(void);
