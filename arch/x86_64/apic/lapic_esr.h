/*
 * The local APIC's error status register (Intel SDM vol. 3A, 10.5.3, figure 10-9), put into
 * words: pure, so the host tests check it (tests/host/test_lapic_esr.c).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define LAPIC_ESR_SEND_CHECKSUM    (1u << 0) /* P6 and Pentium only */
#define LAPIC_ESR_RECEIVE_CHECKSUM (1u << 1) /* P6 and Pentium only */
#define LAPIC_ESR_SEND_ACCEPT      (1u << 2) /* P6 and Pentium only */
#define LAPIC_ESR_RECEIVE_ACCEPT   (1u << 3) /* P6 and Pentium only */
#define LAPIC_ESR_REDIRECTABLE_IPI (1u << 4) /* lowest-priority IPI, not supported */
#define LAPIC_ESR_SEND_ILLEGAL     (1u << 5) /* an IPI with a vector below 16 was sent */
#define LAPIC_ESR_RECEIVE_ILLEGAL  (1u << 6) /* an interrupt with a vector below 16 arrived */
#define LAPIC_ESR_ILLEGAL_REGISTER (1u << 7) /* a reserved register was accessed (xAPIC) */
#define LAPIC_ESR_KNOWN            0xffu

/*
 * Writes "illegal register address, send illegal vector" (each set bit's name, in bit order; any
 * reserved bit as "reserved bits 0x...") into text, NUL-terminated, cut to size. Returns the
 * length the whole description has, as snprintf does.
 */
size_t lapic_esr_describe(uint32_t esr, char *text, size_t size);
