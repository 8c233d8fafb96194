/*
 * Kernel virtual memory: the dynamic range of the kernel's address space
 * (arch_kernel_dynamic_range, kernel/arch.h), handed out in whole pages. vm_alloc backs its pages
 * with frames and leaves an unmapped guard page after each allocation, so running off the end
 * faults; vm_map_phys shows device memory (registers, a framebuffer) with the memory type it needs.
 *
 *     uint32_t *regs = vm_map_phys(0xfee00000, 4096, MEMORY_UNCACHED);
 *     ...
 *     vm_free(regs);
 *
 * Cost: O(log n) per call in the number of free ranges and of allocations (two treaps, see
 * kernel/vm_tree.h), plus one frame and one page table update per page.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/phys.h"

/* What an allocation in the dynamic range is. */
enum vm_kind {
    VM_PAGES,   /* vm_alloc: frames of RAM, a guard page after them */
    VM_DEVICE,  /* vm_map_phys: someone else's physical memory */
    VM_RESERVE, /* vm_reserve: address space only; the caller maps what it needs */
};

/*
 * One allocation, as vm_find returns it. Owners may use `owner_data` and `owner_caller` (the heap
 * keeps a large block's size and its allocating caller there); the rest is vm's own.
 */
struct vm_area {
    uintptr_t base; /* first byte (page aligned) */
    uint64_t size;  /* bytes, guard page not included */
    uint8_t kind;   /* enum vm_kind */
    bool guard;     /* an unmapped page follows */
    uint64_t owner_data;
    uintptr_t owner_caller;
    /* The tree that holds the area (kernel/vm_tree.h). */
    struct vm_area *left, *right;
    uint64_t max_size;
    uint32_t priority;
};

/* Takes over the dynamic range; needs the kernel's page tables and the frame allocator. */
void vm_init(void);

/* pages of fresh RAM (contents undefined), read+write, not executable; NULL if memory is out. */
void *vm_alloc(size_t pages);

/*
 * Maps [phys, phys + size) (any alignment: the pages around it are mapped) read+write, not
 * executable, with the given memory type. Returns the address of phys, or NULL when the range is
 * empty, overflows, or no address space or page table frame is left.
 */
void *vm_map_phys(uint64_t phys, uint64_t size, enum memory_type type);

/*
 * size bytes (a multiple of align, a power of two >= PAGE_SIZE) of address space, aligned to
 * align, with nothing mapped and no guard page. NULL when no such range is left.
 */
void *vm_reserve(uint64_t size, uint64_t align);

/*
 * Ends the allocation that starts at the page holding addr: frames go back to the frame allocator
 * (VM_PAGES), the pages are unmapped and flushed from the TLB, the address space is free again.
 * Panics if addr is not inside an allocation's first page.
 */
void vm_free(void *addr);

/* The allocation whose pages (or guard page, when guard_too) hold addr, or NULL. */
struct vm_area *vm_find(uintptr_t addr, bool guard_too);

/* True if addr lies in the dynamic range. */
bool vm_contains(uintptr_t addr);

struct vm_stats {
    uint64_t areas;      /* live allocations of every kind */
    uint64_t pages;      /* frames held by VM_PAGES areas */
    uint64_t free_bytes; /* address space left */
    uint64_t free_ranges;
    uint64_t node_frames; /* frames holding vm's own bookkeeping (never given back) */
};
struct vm_stats vm_stats(void);
