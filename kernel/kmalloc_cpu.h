/*
 * A CPU's own part of the heap (kernel/kmalloc_cpu.c), kept in its struct cpu: free small blocks
 * of each size class, which kmalloc and kfree on that CPU take and give with interrupts off and
 * no lock. Only the CPU itself writes it; others read the counts for heap_stats.
 */
#pragma once

#include <stdint.h>

#include "kernel/kmalloc.h"

/* A CPU keeps up to about HEAP_CPU_CACHE_BYTES of free blocks per class, and this many blocks. */
#define HEAP_CPU_CACHE_BYTES      65536
#define HEAP_CPU_CACHE_MAX_BLOCKS 512

struct heap_free_block; /* kernel/kmalloc_internal.h */

/* A size class's free blocks on one CPU: two lists (kernel/kmalloc_cpu.c says how they swap). */
struct heap_cpu_list {
    struct heap_free_block *head;  /* the latest freed block; each holds the next one's address */
    struct heap_free_block *older; /* a full list from before, or NULL */
    uint32_t count;
    uint32_t older_count;
};

struct heap_cpu_cache {
    struct heap_cpu_list lists[HEAP_CLASS_COUNT];
    int64_t requested; /* debug mode: bytes asked for by blocks allocated here less those freed */
};
