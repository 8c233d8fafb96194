/* The NMI handler, called by exception_dispatch for vector 2 (nmi.c). */
#pragma once

#include "arch/x86_64/trap_frame.h"

/* Reports the NMI (or, during a panic, notes the first one) and returns to the interrupted code. */
void nmi_handle(const struct trap_frame *frame);
