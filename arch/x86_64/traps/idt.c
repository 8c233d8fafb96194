/*
 * The IDT: one interrupt gate per vector, the CPU's exceptions (0-31) and interrupts (32-255),
 * each leading to its stub in arch/x86_64/exception_entry.asm.
 */
#include "arch/x86_64/traps/idt.h"

#include <stdint.h>

#include "arch/x86_64/cpu/gdt.h"
#include "arch/x86_64/traps/exceptions.h"
#include "arch/x86_64/traps/interrupts.h"
#include "kernel/compiler.h"

/* Intel SDM vol. 3A, 6.14.1, figure 6-8: a 64-bit interrupt or trap gate. */
struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist; /* bits 0-2: IST slot, 0 = none */
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
} __packed;

_Static_assert(sizeof(struct idt_gate) == 16, "a 64-bit IDT gate is 16 bytes");

/*
 * Present, ring 0 only, type 0xe: an interrupt gate, which clears IF on entry so that nothing
 * interrupts the handler (a trap gate would leave IF as it was).
 */
#define GATE_INTERRUPT_KERNEL 0x8e

static struct idt_gate idt[VECTORS] __aligned(16) __ro_after_init;

/* exception_entry.asm */
extern const uint64_t vector_stubs[VECTORS];

static uint8_t ist_for(unsigned vector)
{
    switch (vector) {
    case EXCEPTION_DOUBLE_FAULT:
        return IST_DOUBLE_FAULT;
    case EXCEPTION_NMI:
        return IST_NMI;
    case EXCEPTION_MACHINE_CHECK:
        return IST_MACHINE_CHECK;
    default:
        return 0;
    }
}

void idt_init(void)
{
    for (unsigned vector = 0; vector < VECTORS; vector++) {
        uint64_t handler = vector_stubs[vector];
        idt[vector] = (struct idt_gate){
            .offset_low = (uint16_t)handler,
            .selector = GDT_KERNEL_CODE,
            .ist = ist_for(vector),
            .type_attributes = GATE_INTERRUPT_KERNEL,
            .offset_middle = (uint16_t)(handler >> 16),
            .offset_high = (uint32_t)(handler >> 32),
        };
    }

    idt_load();
}

void idt_load(void)
{
    struct descriptor_table_pointer idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(idtr));
}
