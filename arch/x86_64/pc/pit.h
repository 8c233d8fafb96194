/* The 8254 programmable interval timer (pit.c): channel 2 as a reference, channel 0 as a tick. */
#pragma once

#include <stdint.h>

#include "kernel/clock_calibrate.h"

#define PIT_HZ 1193182 /* its input clock: 105/88 MHz, a third of the NTSC colour burst */
/* The slowest tick its 16-bit divisor allows: 1193182 / 65536, 18.2 Hz. */
#define PIT_DIVISOR_MAX 65536

/*
 * Starts channel 2 counting, gated on through port 0x61 and with the speaker off, and describes
 * it: 16 bits, wrapping every 55 ms. A PC without a PIT is found out by the calibration (its
 * count never moves).
 */
void pit_counter(struct clock_counter *counter);

/*
 * Channel 0 as a rate generator at hz (PIT_HZ / PIT_DIVISOR_MAX up to PIT_HZ), its output on
 * IRQ 0. Returns the period it really has, in ns (the divisor is rounded).
 */
uint64_t pit_start_periodic(unsigned hz);
