/* What the parts of the heap (kernel/kmalloc*.c) share; nothing outside the heap includes this. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "kernel/kmalloc.h"

enum heap_misuse {
    HEAP_DOUBLE_FREE,
    HEAP_INVALID_FREE,
    HEAP_WRONG_CLASS,
    HEAP_CORRUPT_SLAB,
    HEAP_OVERFLOW,
    HEAP_USE_AFTER_FREE,
};

/*
 * Reports misuse of the block at addr by the call from caller (allocated_by: the block's
 * allocating caller, 0 if unknown; detail: a sentence or NULL), then panics.
 */
noreturn void heap_misuse(enum heap_misuse kind, const void *addr, uintptr_t caller,
                          uintptr_t allocated_by, const char *detail);

/* The name of a misuse kind as reports print it: "double free", ... */
const char *heap_misuse_name(enum heap_misuse kind);

extern bool heap_debug_on;

/* Debug mode: what follows each block's bytes (kernel/kmalloc_debug.c). */
#define HEAP_POISON_FREE 0x6b /* a freed block's bytes */
#define HEAP_POISON_RED  0xfd /* a live block's redzone */
/* The record at the end of a debug block: who allocated it, how much was asked for. */
struct heap_block_tail {
    uint64_t caller;
    uint32_t size;
    uint32_t check; /* ~size ^ low bits of caller: tells a damaged record from a real one */
};
#define HEAP_REDZONE_MIN 16
#define HEAP_DEBUG_EXTRA (HEAP_REDZONE_MIN + sizeof(struct heap_block_tail))

void heap_debug_arm(void *block, size_t block_size, size_t size, uintptr_t caller);
/* Checks the redzone and record of a block being freed; returns the size it was asked for. */
size_t heap_debug_check_live(void *block, size_t block_size, uintptr_t caller);
void heap_debug_poison(void *block, size_t block_size, uintptr_t caller);
void heap_debug_check_poison(void *block, size_t block_size);
uintptr_t heap_debug_allocated_by(const void *block, size_t block_size);

/*
 * Blocks whose memory went back with their free (large blocks, a slab's last block): a ring of
 * the latest, so that freeing one again is still reported as a double free.
 */
void heap_note_released(const void *ptr);
void heap_forget_released(void);
bool heap_recently_released(const void *ptr);

/* Small blocks (kernel/kmalloc_slab.c); need: size with the debug checks' extra bytes. */
void heap_small_init(void);
void *heap_small_alloc(size_t need, size_t size, uintptr_t caller);
/* Frees ptr if it is a small block; false if ptr is not in the slab region at all. */
bool heap_small_free(void *ptr, uintptr_t caller);
/*
 * For krealloc: false if ptr is not in the slab region; else *usable is what its caller may use
 * and *in_place whether new_size can stay in the same block.
 */
bool heap_small_block(void *ptr, size_t new_size, uintptr_t caller, size_t *usable, bool *in_place);
bool heap_small_live(void);
void heap_small_trim(void);
void heap_small_stats(struct heap_stats *stats);

/* Large blocks (kernel/kmalloc_large.c). */
void heap_large_init(void);
void *heap_large_alloc(size_t size, uintptr_t caller);
/* Frees ptr if it is a large block; false if ptr is not in the dynamic range at all. */
bool heap_large_free(void *ptr, uintptr_t caller);
/* The usable size of the large block ptr, which must be one. */
size_t heap_large_size(const void *ptr);
void heap_large_trim(void);
void heap_large_stats(struct heap_stats *stats);
bool heap_large_live(void);
