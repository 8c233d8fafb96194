/*
 * NMIs: non-maskable interrupts come from outside the CPU (a watchdog, the NMI button, a BMC, a
 * chipset error, QEMU's nmi command). keel reports one and carries on, and once a panic has begun
 * it notes the first in one line and keeps quiet after, so the report stays on the screen. An NMI
 * is also how a panicking CPU stops the others: on them, it halts at once.
 */
#include "arch/x86_64/traps/nmi.h"

#include <stdbool.h>

#include "arch/x86_64/cpu/io.h"
#include "arch/x86_64/pc/nmi_reason.h"
#include "arch/x86_64/traps/exceptions.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"

/* Reads the chipset's NMI reason and clears it, so that the source can raise the next one. */
static uint8_t read_and_clear_reason(void)
{
    uint8_t reason = inb(NMI_REASON_PORT);
    uint8_t writes[2];
    unsigned count = nmi_reason_clear_writes(reason, writes);

    for (unsigned i = 0; i < count; i++)
        outb(NMI_REASON_PORT, writes[i]);
    return reason;
}

void nmi_handle(const struct trap_frame *frame)
{
    static bool noted_during_panic;

    /* The panicking CPU's stop (ARCH_IPI_STOP), before anything else: no port, no print. */
    if (panic_on_other_cpu())
        panic_stop_this_cpu();

    uint8_t reason = read_and_clear_reason();

    if (panic_in_progress()) {
        if (!noted_during_panic)
            kprintf("keel: NMI during the panic (port 0x61: %02x); further NMIs ignored\n", reason);
        noted_during_panic = true;
        return;
    }

    /* Each kprintf is whole even when the NMI interrupted another: see kernel/console.c. */
    console_set_colour(COLOUR_YELLOW, COLOUR_BLACK);
    kprintf("\nkeel: NMI (non-maskable interrupt) received: sent from outside the CPU, by a "
            "watchdog or QEMU's nmi command; carrying on\n");
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    kprintf(" reason (port 0x61): %s\n", nmi_reason_describe(reason));
    exception_print_rip(frame);
    backtrace_print(frame->rip, frame->rbp);
}
