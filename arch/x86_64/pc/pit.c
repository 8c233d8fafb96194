/*
 * The 8254 PIT (Intel 82C54 data sheet; OSDev "Programmable Interval Timer"): three 16-bit
 * counters that count down at PIT_HZ. Channel 0 drives IRQ 0; channel 2's gate and output are in
 * system control port B (0x61), which also holds the NMI reason (nmi_reason.h).
 */
#include "arch/x86_64/pc/pit.h"

#include "arch/x86_64/cpu/io.h"
#include "arch/x86_64/pc/nmi_reason.h"
#include "kernel/clock_math.h"

#define PIT_CHANNEL0 0x40
#define PIT_CHANNEL2 0x42
#define PIT_COMMAND  0x43

/* Command byte: channel (bits 7:6), access (5:4), mode (3:1), binary (bit 0 clear). */
#define PIT_SELECT_CHANNEL0 (0u << 6)
#define PIT_SELECT_CHANNEL2 (2u << 6)
#define PIT_ACCESS_LATCH    (0u << 4) /* latches the count for the next two reads */
#define PIT_ACCESS_LOW_HIGH (3u << 4)
#define PIT_MODE_RATE       (2u << 1) /* mode 2: counts N..1, reloads, one output pulse each */

/* Port 0x61 bits 1:0; bits 3:2 are NMI enables, kept as they are. */
#define PORT_B         NMI_REASON_PORT
#define PORT_B_GATE2   (1u << 0)
#define PORT_B_SPEAKER (1u << 1)

static void load_count(uint16_t channel_port, uint8_t select, uint32_t divisor)
{
    uint16_t count = (uint16_t)divisor; /* 65536 is written as 0 */

    outb(PIT_COMMAND, select | PIT_ACCESS_LOW_HIGH | PIT_MODE_RATE);
    outb(channel_port, (uint8_t)count);
    outb(channel_port, (uint8_t)(count >> 8));
}

/* Counts down from 65536 (read as 0) to 1: negated, it counts up, modulo 2^16. */
static uint64_t pit_channel2_read(void)
{
    outb(PIT_COMMAND, PIT_SELECT_CHANNEL2 | PIT_ACCESS_LATCH);
    uint8_t low = inb(PIT_CHANNEL2);
    uint8_t high = inb(PIT_CHANNEL2);
    return (uint16_t) - (uint16_t)(high << 8 | low);
}

void pit_counter(struct clock_counter *counter)
{
    uint8_t port_b = inb(PORT_B) & NMI_REASON_WRITABLE;

    outb(PORT_B, (port_b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
    load_count(PIT_CHANNEL2, PIT_SELECT_CHANNEL2, PIT_DIVISOR_MAX);
    *counter = (struct clock_counter){
        .name = "PIT",
        .read = pit_channel2_read,
        .bits = 16,
        .hz = PIT_HZ,
    };
}

uint64_t pit_start_periodic(unsigned hz)
{
    uint32_t divisor = (PIT_HZ + hz / 2) / hz;

    if (divisor > PIT_DIVISOR_MAX)
        divisor = PIT_DIVISOR_MAX;
    if (divisor < 2)
        divisor = 2; /* mode 2 does not count 1 */
    load_count(PIT_CHANNEL0, PIT_SELECT_CHANNEL0, divisor);
    return clock_muldiv(divisor, NS_PER_SEC, PIT_HZ);
}
