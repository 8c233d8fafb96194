/*
 * The local APIC's error interrupt (VECTOR_LAPIC_ERROR): the error status register read and
 * reported in one line, and remembered for the monitor and the self-tests.
 */
#pragma once

#include <stdint.h>

/* Registers the handler of VECTOR_LAPIC_ERROR; the local APIC must be on. */
void lapic_error_init(void);

/* Reads the ESR the way SDM vol. 3A, 10.5.3 asks: a write first, which latches the errors
 * detected since the previous write, then the read. */
uint32_t lapic_read_errors(void);

/* How many error interrupts came, and the ESR the last one read. */
uint64_t lapic_error_count(void);
uint32_t lapic_last_errors(void);
