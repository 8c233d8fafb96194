/*
 * Physical memory for the ACPI parser's host tests and fuzzer: a few separate blocks at chosen
 * physical addresses, each its own heap allocation of exactly its size, so AddressSanitizer
 * catches a read past any of them. Everything else is "not mapped".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi.h"

struct fake_block {
    uint64_t phys;
    uint32_t length;
    uint8_t *bytes;
};

struct fake_memory {
    struct fake_block *blocks;
    size_t count;
};

/* A new zeroed block of length bytes at phys (length may be 0); returns its bytes. */
uint8_t *fake_memory_add(struct fake_memory *memory, uint64_t phys, uint32_t length);

/* The block that starts at phys, or NULL. */
struct fake_block *fake_memory_block(struct fake_memory *memory, uint64_t phys);

/* Shortens the block at phys to length bytes (a new, exact allocation), as if the mapping ended. */
void fake_memory_truncate(struct fake_memory *memory, uint64_t phys, uint32_t length);

/*
 * Loads a capture (tests/fuzz/acpi_capture.py: records of u64 address, u32 length, bytes). The
 * first record, the RSDP, is a block too. A record cut short by the end of the data is dropped.
 * Returns the number of records loaded.
 */
size_t fake_memory_load(struct fake_memory *memory, const uint8_t *data, size_t size);

/* The struct acpi_memory that reads from memory. */
struct acpi_memory fake_memory_accessor(struct fake_memory *memory);

void fake_memory_free(struct fake_memory *memory);
