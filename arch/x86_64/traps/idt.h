/* The interrupt descriptor table: where the CPU goes for each vector, exception or interrupt. */
#pragma once

/* Points each of the 256 vectors at its stub in exception_entry.asm and loads the IDT. */
void idt_init(void);
/* Loads the IDT idt_init filled on this CPU: every CPU shares the one table. */
void idt_load(void);
