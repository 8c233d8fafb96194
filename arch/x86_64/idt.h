/* The interrupt descriptor table: where the CPU goes for each exception (vectors 0-31). */
#pragma once

/* Points each exception vector at its stub in exception_entry.asm and loads the IDT. */
void idt_init(void);
