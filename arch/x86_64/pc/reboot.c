/*
 * arch_reboot: resets a PC, trying in turn the ways that work on different machines. Each says
 * that it is tried, then gets a moment to take effect before the next.
 */
#include <stdint.h>

#include "arch/x86_64/cpu/gdt.h"
#include "arch/x86_64/cpu/io.h"
#include "kernel/acpi.h"
#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/kprintf.h"
#include "kernel/vm.h"

/* How long each way gets to reset the machine; one that works takes a few milliseconds at most. */
#define RESET_WAIT_NS 500000000ULL /* 0.5 s */
/* Bounds the wait even if the clock were stuck: far more than 0.5 s of pause instructions. */
#define RESET_WAIT_SPINS 400000000ULL

/* PCI Local Bus 3.0, 3.2.2.3.2: configuration mechanism #1. */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc
#define PCI_CONFIG_ENABLE  0x80000000u

static void wait_for_reset(void)
{
    uint64_t start = clock_ns();

    for (uint64_t spin = 0; spin < RESET_WAIT_SPINS && clock_ns() - start < RESET_WAIT_NS; spin++)
        __asm__ volatile("pause");
}

/*
 * ACPI 6.5 4.8.3.6: writing RESET_VALUE to the FADT's RESET_REG resets the machine. The register
 * is 8 bits wide at bit offset 0 (5.2.9), in I/O, memory or PCI configuration space (bus 0;
 * 5.2.3.2 places the device in bits 47:32 of the address, the function in 31:16, the offset in
 * 15:0).
 */
static void reset_through_acpi(void)
{
    const struct acpi_fadt *fadt = &acpi_get()->fadt;
    const struct acpi_gas *reg = &fadt->reset_register;

    if (!fadt->has_reset_register) {
        kprintf("keel: reboot: no ACPI reset register\n");
        return;
    }
    switch (reg->space) {
    case ACPI_SPACE_IO:
        kprintf("keel: reboot: ACPI reset register, I/O port 0x%llx = 0x%x\n",
                (unsigned long long)reg->address, fadt->reset_value);
        outb((uint16_t)reg->address, fadt->reset_value);
        break;
    case ACPI_SPACE_MEMORY: {
        kprintf("keel: reboot: ACPI reset register, memory 0x%llx = 0x%x\n",
                (unsigned long long)reg->address, fadt->reset_value);
        volatile uint8_t *byte = vm_map_phys(reg->address, 1, MEMORY_UNCACHED);
        if (byte == NULL) {
            kprintf("keel: reboot: cannot map the reset register\n");
            return;
        }
        *byte = fadt->reset_value;
        break;
    }
    case ACPI_SPACE_PCI_CONFIG: {
        uint32_t device = (uint32_t)(reg->address >> 32) & 0x1f;
        uint32_t function = (uint32_t)(reg->address >> 16) & 0x7;
        uint32_t offset = (uint32_t)reg->address & 0xff;
        kprintf("keel: reboot: ACPI reset register, PCI 00:%02x.%x offset 0x%x = 0x%x\n", device,
                function, offset, fadt->reset_value);
        outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE | device << 11 | function << 8 | (offset & ~3u));
        outb((uint16_t)(PCI_CONFIG_DATA + (offset & 3)), fadt->reset_value);
        break;
    }
    default:
        kprintf("keel: reboot: the ACPI reset register is in address space %u\n", reg->space);
        return;
    }
    wait_for_reset();
}

/*
 * The last resort: with an empty IDT no exception can be delivered, so the breakpoint's #GP
 * becomes a double fault, which becomes a triple fault: the CPU shuts down and the PC resets it.
 */
static noreturn void reset_through_triple_fault(void)
{
    const struct descriptor_table_pointer empty = {0, 0};

    kprintf("keel: reboot: a triple fault\n");
    __asm__ volatile("lidt %0\n\t"
                     "int3" ::"m"(empty)
                     : "memory");
    halt_forever();
}

noreturn void arch_reboot(void)
{
    arch_interrupts_disable(); /* nothing may run between the attempts */
    reset_through_acpi();
    kprintf("keel: reboot: the keyboard controller's reset line\n");
    arch_reset_i8042();
    wait_for_reset();
    reset_through_triple_fault();
}
