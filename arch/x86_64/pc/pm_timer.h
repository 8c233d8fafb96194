/* The ACPI power management timer, as a reference and a clock (pm_timer.c). */
#pragma once

#include <stdbool.h>

#include "kernel/clock_calibrate.h"

/* From the FADT: the timer's port or MMIO register, 24 or 32 bits. false when there is none. */
bool pm_timer_counter(struct clock_counter *counter);
