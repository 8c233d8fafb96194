/* The HPET's main counter, as a reference and a clock (hpet.c). */
#pragma once

#include <stdbool.h>

#include "kernel/clock_calibrate.h"

/*
 * From the ACPI HPET table: maps the registers uncached, checks the period, starts the main
 * counter and describes it in *counter. false (and a line saying why, when there is an HPET) if
 * it cannot be used.
 */
bool hpet_counter(struct clock_counter *counter);
