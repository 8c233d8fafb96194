/*
 * Why an NMI came, as far as the PC's chipset knows: system control port B (I/O port 0x61)
 * latches the two legacy NMI sources in bits 7 and 6, and each stays latched, and blocks further
 * NMIs from its source, until software clears it by setting, then clearing, its enable bit (3:2).
 * An NMI with neither bit came from elsewhere: a watchdog, the NMI button, a BMC, another CPU.
 */
#pragma once

#include <stdint.h>

#define NMI_REASON_PORT        0x61
#define NMI_REASON_SERR        (1u << 7) /* PCI SERR#: a system error (memory parity, a device) */
#define NMI_REASON_IOCHK       (1u << 6) /* IOCHK#: an I/O channel check from an expansion card */
#define NMI_REASON_CLEAR_SERR  (1u << 2) /* written 1: clears and disables SERR; 0: enables it */
#define NMI_REASON_CLEAR_IOCHK (1u << 3) /* the same for IOCHK */
#define NMI_REASON_WRITABLE    0x0fu     /* bits 7:4 read status; writes keep only bits 3:0 */

/* A few words on what the reason bits of a port 0x61 read say. */
const char *nmi_reason_describe(uint8_t port61);

/*
 * The values to write to port 0x61, in order, to clear the sources latched in port61 and enable
 * them again; returns how many (0 when nothing is latched, else 2).
 */
unsigned nmi_reason_clear_writes(uint8_t port61, uint8_t writes[2]);
