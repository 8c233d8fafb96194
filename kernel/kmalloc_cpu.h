/*
 * A CPU's own part of the heap (kernel/kmalloc_cpu.c), kept in its struct cpu: free small blocks
 * of each size class, which kmalloc and kfree on that CPU take and give with interrupts off and
 * no lock. Only the CPU itself writes it; others read the counts for heap_stats.
 */
#pragma once

#include <stdint.h>

#include "kernel/kmalloc.h"

struct heap_free_block; /* kernel/kmalloc_internal.h */

struct heap_cpu_list {
    struct heap_free_block *head; /* the latest freed block; each holds the next one's address */
    uint32_t count;               /* blocks in the list */
};

struct heap_cpu_cache {
    struct heap_cpu_list lists[HEAP_CLASS_COUNT];
    int64_t requested; /* debug mode: bytes asked for by blocks allocated here less those freed */
};
