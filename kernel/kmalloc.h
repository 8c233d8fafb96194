/*
 * The kernel heap: kmalloc, kfree, krealloc, kcalloc, as their C library namesakes.
 *
 *   - Up to KMALLOC_SMALL_MAX bytes: a block of the smallest size class that holds the request,
 *     from slabs of whole pages (kernel/kmalloc.c). Above: whole pages from vm_alloc, the block
 *     ending as close to the guard page after it as alignment allows, so an overflow faults.
 *   - Every block is 16-byte aligned; a block of a power-of-two size up to a page is aligned to
 *     its size.
 *   - Out of memory: NULL, never a panic.
 *   - Misuse is reported and panics: a double free, a pointer the heap never returned, a pointer
 *     into the middle of a block (the wrong size class), a damaged slab header, a free list
 *     written after its blocks were freed. keel.kmalloc=debug (and the self-tests) add poison on
 *     freed blocks checked when they are reused, a redzone after every block checked when it is
 *     freed, and the allocating caller of each block in the reports.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMALLOC_ALIGN     16
#define KMALLOC_SMALL_MAX 2048

/* Sets the heap up on kernel/vm.h (which must be initialised first). */
void heap_init(void);

void *kmalloc(size_t size);
void kfree(void *ptr);
/* Like realloc: a NULL ptr allocates; size 0 frees ptr (if any) and returns NULL; on failure ptr
 * is left as it was. */
void *krealloc(void *ptr, size_t size);
/* count * size bytes, zeroed; NULL when the product overflows. */
void *kcalloc(size_t count, size_t size);

/*
 * Turns the debug checks on or off. Only while no block is live and no other CPU keeps free
 * blocks (the blocks' layout differs), and no other CPU uses the heap; returns false otherwise.
 */
bool heap_set_debug(bool on);
bool heap_debug(void);

/*
 * Gives back every page the heap keeps for reuse (empty slabs, cached large blocks), after the
 * calling CPU's free blocks went back to their slabs.
 */
void heap_trim(void);

/*
 * Gives the calling CPU's free small blocks back to the slabs. Each CPU keeps some (at most
 * about 8 KiB per size class); heap_trim and heap_set_debug flush the calling CPU's, and
 * another CPU's must be flushed on that CPU (smp_call it there).
 */
void heap_cpu_flush(void);

#define HEAP_CLASS_COUNT 14

/* Taken while other CPUs allocate, the numbers are a moment's, not one instant's. */
struct heap_class_stats {
    uint32_t block_size;
    uint32_t slabs;  /* slabs of KMALLOC_SLAB_PAGES pages */
    uint64_t blocks; /* live blocks (not those on CPUs' lists of free ones) */
};

struct heap_stats {
    struct heap_class_stats classes[HEAP_CLASS_COUNT];
    uint64_t small_in_blocks; /* bytes of the live small blocks, at their class sizes */
    uint64_t small_requested; /* bytes their callers asked for: known in debug mode only, else 0 */
    uint64_t small_held;      /* bytes of slab pages */
    uint64_t large_blocks;
    uint64_t large_requested;
    uint64_t large_held; /* bytes of pages behind large blocks, cached ones included */
};
struct heap_stats heap_stats(void);

/* The pages per slab, whatever the size class. */
#define KMALLOC_SLAB_PAGES 8

/*
 * For the page fault report: if address is a heap block's guard page, prints what overran it
 * ("heap overflow: ...") and returns true.
 */
bool heap_explain_fault(uintptr_t address);
