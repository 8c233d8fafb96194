/*
 * The 8259A PICs (Intel 8259A datasheet; OSDev "8259 PIC"): initialised, remapped to
 * VECTOR_IRQ_BASE and masked at boot; masked, acknowledged and checked for spurious IRQs after.
 */
#include "arch/x86_64/pc/pic.h"

#include "arch/x86_64/cpu/io.h"
#include "arch/x86_64/pc/pic_logic.h"
#include "arch/x86_64/traps/interrupts.h"

/* 8259A datasheet, "initialization command words" and "operation command words". */
#define ICW1_INIT         0x10 /* with ICW1: this starts the initialisation sequence */
#define ICW1_NEEDS_ICW4   0x01
#define ICW3_MASTER_SLAVE (1u << PIC_CASCADE_IRQ) /* master: a slave on input 2 */
#define ICW3_SLAVE_ID     PIC_CASCADE_IRQ         /* slave: its cascade identity */
#define ICW4_8086         0x01
#define OCW2_EOI          0x20 /* non-specific end of interrupt */
#define OCW3_READ_ISR     0x0b /* the next read of the command port gives the in-service register */

static uint8_t masks[2] = {0xff, 0xff}; /* master, slave */

/*
 * A write to port 0x80 (the POST code port, which nothing reads) takes about a microsecond: old
 * 8259s need that long between initialisation words.
 */
static void io_delay(void)
{
    outb(0x80, 0);
}

static void write_masks(void)
{
    outb(PIC_MASTER_DATA, masks[0]);
    outb(PIC_SLAVE_DATA, masks[1]);
}

void pic_init(void)
{
    const uint8_t words[2][4] = {
        {ICW1_INIT | ICW1_NEEDS_ICW4, VECTOR_IRQ_BASE, ICW3_MASTER_SLAVE, ICW4_8086},
        {ICW1_INIT | ICW1_NEEDS_ICW4, VECTOR_IRQ_BASE + 8, ICW3_SLAVE_ID, ICW4_8086},
    };
    const uint16_t command[2] = {PIC_MASTER_COMMAND, PIC_SLAVE_COMMAND};
    const uint16_t data[2] = {PIC_MASTER_DATA, PIC_SLAVE_DATA};

    /* ICW1 to the command port, ICW2-4 (vector base, cascade wiring, mode) to the data port. */
    for (unsigned word = 0; word < 4; word++) {
        for (unsigned pic = 0; pic < 2; pic++) {
            outb(word == 0 ? command[pic] : data[pic], words[pic][word]);
            io_delay();
        }
    }
    masks[0] = masks[1] = 0xff;
    write_masks();
}

void pic_set_masked(unsigned irq, bool masked)
{
    if (irq >= PIC_IRQS)
        return;
    uint8_t *mask = &masks[irq / 8];
    uint8_t bit = (uint8_t)(1u << (irq % 8));
    if (masked)
        *mask |= bit;
    else
        *mask &= (uint8_t)~bit;
    if (irq >= 8 && !masked)
        masks[0] &= (uint8_t) ~(1u << PIC_CASCADE_IRQ);
    write_masks();
}

static void acknowledge(enum pic_ack ack)
{
    if (ack == PIC_ACK_BOTH)
        outb(PIC_SLAVE_COMMAND, OCW2_EOI);
    if (ack != PIC_ACK_NONE)
        outb(PIC_MASTER_COMMAND, OCW2_EOI);
}

void pic_eoi(unsigned irq)
{
    acknowledge(pic_ack_for(irq, false));
}

static uint8_t read_isr(uint16_t command)
{
    outb(command, OCW3_READ_ISR);
    return inb(command);
}

bool pic_handle_spurious(unsigned irq)
{
    if (irq != PIC_SPURIOUS_MASTER_IRQ && irq != PIC_SPURIOUS_SLAVE_IRQ)
        return false;
    uint8_t isr = read_isr(irq >= 8 ? PIC_SLAVE_COMMAND : PIC_MASTER_COMMAND);
    if (!pic_irq_is_spurious(irq, isr))
        return false;
    acknowledge(pic_ack_for(irq, true));
    return true;
}
