/* Fake physical memory for the ACPI parser (see acpi_fake_memory.h). */
#include "tests/host/acpi_fake_memory.h"

#include <stdlib.h>
#include <string.h>

uint8_t *fake_memory_add(struct fake_memory *memory, uint64_t phys, uint32_t length)
{
    struct fake_block *blocks =
        realloc(memory->blocks, (memory->count + 1) * sizeof(*memory->blocks));
    if (blocks == NULL)
        abort();
    memory->blocks = blocks;
    /* malloc(0) may return NULL; one byte is allocated but never handed out. */
    uint8_t *bytes = calloc(length ? length : 1, 1);
    if (bytes == NULL)
        abort();
    blocks[memory->count++] = (struct fake_block){.phys = phys, .length = length, .bytes = bytes};
    return bytes;
}

struct fake_block *fake_memory_block(struct fake_memory *memory, uint64_t phys)
{
    for (size_t i = 0; i < memory->count; i++)
        if (memory->blocks[i].phys == phys)
            return &memory->blocks[i];
    return NULL;
}

void fake_memory_truncate(struct fake_memory *memory, uint64_t phys, uint32_t length)
{
    struct fake_block *block = fake_memory_block(memory, phys);
    if (block == NULL || length > block->length)
        abort();
    uint8_t *bytes = malloc(length ? length : 1);
    if (bytes == NULL)
        abort();
    memcpy(bytes, block->bytes, length);
    free(block->bytes);
    block->bytes = bytes;
    block->length = length;
}

static const void *fake_map(void *context, uint64_t phys, uint64_t length)
{
    struct fake_memory *memory = context;

    if (phys + length < phys)
        return NULL;
    for (size_t i = 0; i < memory->count; i++) {
        const struct fake_block *b = &memory->blocks[i];
        if (phys >= b->phys && phys - b->phys <= b->length &&
            length <= b->length - (phys - b->phys))
            return b->bytes + (phys - b->phys);
    }
    return NULL;
}

static uint64_t read_le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

size_t fake_memory_load(struct fake_memory *memory, const uint8_t *data, size_t size)
{
    size_t at = 0, records = 0;

    while (size - at >= 12) {
        uint64_t phys = read_le(data + at, 8);
        uint32_t length = (uint32_t)read_le(data + at + 8, 4);
        at += 12;
        if (length > size - at)
            break;
        memcpy(fake_memory_add(memory, phys, length), data + at, length);
        at += length;
        records++;
    }
    return records;
}

struct acpi_memory fake_memory_accessor(struct fake_memory *memory)
{
    return (struct acpi_memory){.map = fake_map, .context = memory};
}

void fake_memory_free(struct fake_memory *memory)
{
    for (size_t i = 0; i < memory->count; i++)
        free(memory->blocks[i].bytes);
    free(memory->blocks);
    memory->blocks = NULL;
    memory->count = 0;
}
