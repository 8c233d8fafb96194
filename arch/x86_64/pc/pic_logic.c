/* The 8259A's pure decisions (pic_logic.h): spurious IRQs and the EOIs each IRQ needs. */
#include "arch/x86_64/pc/pic_logic.h"

#include "arch/x86_64/pc/pic.h"

bool pic_irq_is_spurious(unsigned irq, uint8_t isr)
{
    if (irq != PIC_SPURIOUS_MASTER_IRQ && irq != PIC_SPURIOUS_SLAVE_IRQ)
        return false;
    return !(isr & (1u << (irq % 8)));
}

enum pic_ack pic_ack_for(unsigned irq, bool spurious)
{
    if (irq >= PIC_IRQS)
        return PIC_ACK_NONE;
    if (spurious)
        /* A spurious IRQ 15 is a real IRQ 2 for the master, which has the cascade in service. */
        return irq >= 8 ? PIC_ACK_MASTER : PIC_ACK_NONE;
    return irq >= 8 ? PIC_ACK_BOTH : PIC_ACK_MASTER;
}
