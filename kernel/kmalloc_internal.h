/* What the parts of the heap (kernel/kmalloc*.c) share; nothing outside the heap includes this. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "kernel/kmalloc.h"
#include "kernel/spinlock.h"

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
/* Poisons a block never handed out yet, as if freed by no one. */
void heap_debug_poison_new(void *block, size_t block_size);
void heap_debug_check_poison(void *block, size_t block_size);
uintptr_t heap_debug_allocated_by(const void *block, size_t block_size);

/*
 * Blocks whose memory went back with their free (large blocks, a slab's last block): a ring of
 * the latest, so that freeing one again is still reported as a double free.
 */
void heap_note_released(const void *ptr);
void heap_forget_released(void);
bool heap_recently_released(const void *ptr);

/*
 * The central allocator's lock: the slabs' lists and counts, the slab region's bitmap, the large
 * blocks and their cache, the ring of released blocks (kernel/kmalloc.c). Taken with no other
 * lock held; vm and the frame allocator take theirs inside it. Never from an NMI or #MC handler.
 */
extern struct spinlock heap_lock;

/*
 * A misuse that was found while heap_lock was held, to be reported once it is let go: the
 * report then never runs under the lock, and a host test that resumes after the panic finds
 * the lock free.
 */
struct heap_fault {
    bool found;
    enum heap_misuse kind;
    const void *addr;
    uintptr_t allocated_by;
    const char *detail;
};
void heap_fault_set(struct heap_fault *fault, enum heap_misuse kind, const void *addr,
                    uintptr_t allocated_by, const char *detail);
void heap_fault_report(const struct heap_fault *fault, uintptr_t caller);

/*
 * Small blocks, the central part (kernel/kmalloc_slab.c). Lockless, on any CPU: a class's
 * number and size, and the checks on a block's address.
 */
void heap_slab_init(void);
unsigned heap_class_of(size_t need); /* need: size with the debug checks' extra bytes */
size_t heap_class_size(unsigned class_index);
/*
 * The class of the small block ptr, checked as kfree needs it: a live block where one starts,
 * in a sound slab (else a report and a panic, naming caller). -1 if ptr is not in the slab
 * region at all.
 */
int heap_slab_check_free(const void *ptr, uintptr_t caller);
/* Whether ptr may be a block: past a header, in a slab that is there. For a free list's link. */
bool heap_slab_may_hold(const void *ptr);
/* Marks the block ptr free or not in its slab, atomically; returns whether it was free before. */
bool heap_slab_set_free(void *ptr, bool free);
/*
 * A free small block on a CPU's list starts with struct heap_free_block: the next free block's
 * address, and a mark naming the block and its class, checked when the block is handed out or
 * given back to its slab: a link or mark written after the free (a use after free) shows.
 */
struct heap_free_block {
    struct heap_free_block *next;
    uint64_t mark; /* heap_free_mark(the block, its class) while on a CPU's list */
};
#define HEAP_FREE_MARK 0x6b65656c66726565ULL /* "keelfree" */

/* Blocks are 16-byte aligned and classes fewer than 16: the class goes in the low bits. */
static inline uint64_t heap_free_mark(const void *block, unsigned class_index)
{
    return HEAP_FREE_MARK ^ (uintptr_t)block ^ class_index;
}
_Static_assert(HEAP_CLASS_COUNT <= KMALLOC_ALIGN, "a class index fits below a block's alignment");

/*
 * Under heap_lock: up to count blocks of the class out of its slabs, onto *list, marked (see
 * above); returns how many. Debug mode poisons blocks never used before, so every block on a
 * CPU's list looks freed. A damaged free list goes to *fault.
 */
size_t heap_slab_take(unsigned class_index, struct heap_free_block **list, size_t count,
                      struct heap_fault *fault);
/*
 * Under heap_lock: the count blocks of list back to their slabs. Slabs that empty and are not
 * kept go onto *released, for heap_slab_release to unmap once the lock is let go (unmapping
 * waits for the other CPUs, which must not be spinning on the lock meanwhile).
 */
void heap_slab_give(struct heap_free_block *list, size_t count, void **released);
void heap_slab_release(void *released);
/* Under heap_lock: the blocks out of the class's slabs, live or on a CPU's list. */
uint64_t heap_slab_out(unsigned class_index);
/* Under heap_lock: every empty slab, detached for heap_slab_release. */
void *heap_slab_trim(void);
/* Under heap_lock: per class, its slabs and the blocks out of them (.blocks), and small_held. */
void heap_slab_stats(struct heap_stats *stats);

/* Small blocks, each CPU's part (kernel/kmalloc_cpu.c). */
void heap_cpu_init(void);
void *heap_small_alloc(size_t need, size_t size, uintptr_t caller);
/* Frees ptr if it is a small block; false if ptr is not in the slab region at all. */
bool heap_small_free(void *ptr, uintptr_t caller);
/*
 * For krealloc: false if ptr is not in the slab region; else *usable is what its caller may use
 * and *in_place whether new_size can stay in the same block.
 */
bool heap_small_block(void *ptr, size_t new_size, uintptr_t caller, size_t *usable, bool *in_place);
/* Under heap_lock: whether a small block is live; whether any CPU keeps free blocks. */
bool heap_small_live(void);
bool heap_small_cached(void);
void heap_small_stats(struct heap_stats *stats);

/*
 * Large blocks (kernel/kmalloc_large.c). Alloc, free and size take heap_lock themselves; trim,
 * stats and live are called under it, and heap_large_release (vm_free of what trim detached)
 * after it.
 */
void heap_large_init(void);
void *heap_large_alloc(size_t size, uintptr_t caller);
/* Frees ptr if it is a large block; false if ptr is not in the dynamic range at all. */
bool heap_large_free(void *ptr, uintptr_t caller);
/* The usable size of the large block ptr, which must be one (else a report naming caller). */
size_t heap_large_size(const void *ptr, uintptr_t caller);
void *heap_large_trim(void);
void heap_large_release(void *released);
void heap_large_stats(struct heap_stats *stats);
bool heap_large_live(void);
