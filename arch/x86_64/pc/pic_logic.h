/*
 * The 8259A's decisions that need no hardware, apart so the host tests can check them: which
 * EOIs an IRQ needs, and whether an IRQ 7 or 15 is spurious.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Each PIC's lowest-priority input, the one it answers with when a request went away. */
#define PIC_SPURIOUS_MASTER_IRQ 7
#define PIC_SPURIOUS_SLAVE_IRQ  15

/* What to tell the PICs when an IRQ's handler is done, or when it was spurious. */
enum pic_ack {
    PIC_ACK_NONE = 0,   /* a spurious IRQ 7: neither PIC has it in service */
    PIC_ACK_MASTER = 1, /* a master IRQ, or the cascade of a spurious IRQ 15 */
    PIC_ACK_BOTH = 2,   /* a slave IRQ: the slave for itself, the master for the cascade */
};

/*
 * 8259A datasheet, "interrupt sequence": a request that goes away before the CPU's acknowledge
 * leaves the PIC to answer with its lowest-priority input, 7, without setting its in-service bit.
 * isr: the in-service register of the PIC the IRQ belongs to (the slave's for 8-15). True when irq
 * is 7 or 15 and its bit in isr is clear.
 */
bool pic_irq_is_spurious(unsigned irq, uint8_t isr);

/* The acknowledgement irq (0-15) needs: after its handler, or having been found spurious. */
enum pic_ack pic_ack_for(unsigned irq, bool spurious);
