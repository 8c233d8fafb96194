/* The NMI handler, called by exception_dispatch for vector 2 (nmi.c). */
#pragma once

#include "arch/x86_64/traps/trap_frame.h"

/*
 * Reports the NMI (or, during a panic, notes the first one) and returns to the interrupted code;
 * on a CPU that another one's panic stops, halts it for good.
 */
void nmi_handle(const struct trap_frame *frame);
