/*
 * What the two halves of the slabs share (kernel/kmalloc_slab.c, under heap_lock, and
 * kernel/kmalloc_slab_check.c, without it): the slab header, the size classes and the region.
 * Nothing else includes this.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/kmalloc.h"
#include "kernel/phys.h"

#define SLAB_SIZE       (KMALLOC_SLAB_PAGES * PAGE_SIZE)
#define SLAB_MAGIC      0x6b65656c736c6162ULL /* "keelslab" */
#define SLAB_MAX_BLOCKS (SLAB_SIZE / KMALLOC_ALIGN)
#define BITS_PER_WORD   64

struct slab {
    uint64_t magic; /* SLAB_MAGIC ^ the slab's address: a copied header does not pass */
    uint16_t class_index;
    uint16_t first;           /* offset of block 0 */
    uint16_t capacity;        /* blocks that fit */
    uint16_t unused;          /* blocks [unused, capacity) were never handed out (atomic) */
    uint32_t used;            /* blocks out: live or on a CPU's list (atomic) */
    void *free;               /* freed blocks, each holding the next one's address */
    struct slab *next, *prev; /* in the class's list of slabs with a block to give */
    uint64_t free_map[SLAB_MAX_BLOCKS / BITS_PER_WORD]; /* handed out, then freed (atomic) */
};

struct size_class {
    uint32_t size;
    uint32_t reciprocal; /* ceil(2^32 / size): offset / size as a multiply and a shift */
    uint16_t first;      /* where block 0 starts in each of its slabs */
    uint16_t capacity;   /* blocks per slab */
    uint32_t slabs;
    uint32_t empty; /* slabs with no live block (kept: at most one) */
    uint64_t out;   /* blocks out of its slabs: live, or on a CPU's list */
    struct slab *available;
};

extern struct size_class slab_classes[HEAP_CLASS_COUNT];

/* The slab region: slot i is the slab at base + i * SLAB_SIZE, in use when its bit is set. */
struct slab_region {
    uintptr_t base;
    uint64_t slots;
    uint64_t *slot_used; /* written under heap_lock, read atomically by any CPU */
};
extern struct slab_region slab_region;

/* The slab a block of the region is in (slabs are aligned to their size). */
static inline struct slab *slab_holding(const void *ptr)
{
    return (struct slab *)((uintptr_t)ptr & ~(uintptr_t)(SLAB_SIZE - 1));
}

static inline bool slot_in_use(uint64_t slot)
{
    return __atomic_load_n(&slab_region.slot_used[slot / BITS_PER_WORD], __ATOMIC_RELAXED) &
           (1ULL << (slot % BITS_PER_WORD));
}
