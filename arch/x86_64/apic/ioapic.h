/*
 * The I/O APICs (Intel 82093AA datasheet): each from the MADT, every input masked at first, then
 * one redirection entry per routed irq or NMI source.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi.h"

/* 82093AA datasheet 3.1: the index and data windows, and the registers behind them. */
#define IOAPIC_REGSEL          0x00
#define IOAPIC_WINDOW          0x10
#define IOAPIC_REG_ID          0x00
#define IOAPIC_REG_VERSION     0x01 /* bits 23:16: the highest redirection entry's index */
#define IOAPIC_REG_REDIRECTION 0x10 /* entry n: registers 0x10 + 2n (low) and 0x11 + 2n (high) */
#define IOAPIC_ABSENT_ONES     0xffffffffu /* reads where no device answers: a PC's bus */
#define IOAPIC_ABSENT_ZERO     0x00000000u /* ... and QEMU's */

/*
 * Maps the MADT's I/O APIC and masks all its inputs. False when it cannot be mapped or nothing
 * answers at its address.
 */
bool ioapic_add(const struct acpi_ioapic *ioapic);

/* How many were added, and their inputs in all. */
size_t ioapic_count(void);
unsigned ioapic_total_inputs(void);

/* The I/O APIC and input of gsi; false when no I/O APIC has it. */
bool ioapic_find(uint32_t gsi, unsigned *ioapic, uint32_t *input);

/* Writes a whole redirection entry, the mask bit last, so a half-written entry never fires. */
void ioapic_write_entry(unsigned ioapic, uint32_t input, uint64_t entry);

/* Reads a whole redirection entry back. */
uint64_t ioapic_read_entry(unsigned ioapic, uint32_t input);

/* Sets or clears the mask bit of an entry, leaving the rest as it was. */
void ioapic_set_masked(unsigned ioapic, uint32_t input, bool masked);
