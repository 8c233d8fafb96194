/* The NMI reason in port 0x61 (nmi_reason.h): what it says, and how to clear it. */
#include "arch/x86_64/pc/nmi_reason.h"

const char *nmi_reason_describe(uint8_t port61)
{
    switch (port61 & (NMI_REASON_SERR | NMI_REASON_IOCHK)) {
    case NMI_REASON_SERR:
        return "SERR: a system error (memory parity, a PCI device)";
    case NMI_REASON_IOCHK:
        return "IOCHK: an I/O channel check (an expansion card)";
    case NMI_REASON_SERR | NMI_REASON_IOCHK:
        return "SERR and IOCHK: a system error and an I/O channel check";
    default:
        return "neither SERR nor IOCHK: a watchdog, the NMI button, a BMC or QEMU's nmi command";
    }
}

unsigned nmi_reason_clear_writes(uint8_t port61, uint8_t writes[2])
{
    uint8_t clear = 0;

    if (port61 & NMI_REASON_SERR)
        clear |= NMI_REASON_CLEAR_SERR;
    if (port61 & NMI_REASON_IOCHK)
        clear |= NMI_REASON_CLEAR_IOCHK;
    if (!clear)
        return 0;
    uint8_t control = port61 & NMI_REASON_WRITABLE;
    writes[0] = control | clear;
    writes[1] = control & (uint8_t)~clear;
    return 2;
}
