/* The IPIs of kernel/arch.h (enum arch_ipi) on the local APIC (ipi.c). */
#pragma once

/* Registers the handler of VECTOR_SMP_CALL, for every CPU: the IDT and the table are shared. */
void ipi_init(void);
