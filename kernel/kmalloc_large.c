/*
 * The heap's large blocks: more than KMALLOC_SMALL_MAX bytes, in whole pages from vm_alloc with
 * the unmapped guard page after them. A block ends at the guard page, less the few bytes that
 * keep its start 16-byte aligned, so writing past its end faults there and then:
 *
 *     | page | page ... | slack < 16 | block | guard page (unmapped) |
 *
 * The heap keeps the size and the allocating caller in the vm area (struct vm_area's owner
 * fields), its own counts and cache under heap_lock. Without the debug checks, a few freed
 * blocks of up to LARGE_CACHE_PAGES pages stay mapped for reuse, which saves mapping and
 * unmapping pages for the common sizes; with them, a freed block is unmapped at once, so any
 * later use of it faults.
 */
#include <stddef.h>

#include "kernel/compiler.h"
#include "kernel/kmalloc_internal.h"
#include "kernel/kprintf.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/symbols.h"
#include "kernel/vm.h"

#define LARGE_CACHE_PAGES 4
#define LARGE_CACHE_DEPTH 128
/* And never more than 1/32 of RAM in the cache. */
#define LARGE_CACHE_SHARE 32
/* owner_data of a freed block (cached, or on its way to vm_free), which no request can be. */
#define LARGE_FREED UINT64_MAX

struct cached_block {
    struct cached_block *next; /* at the start of the area's first page */
};

static struct cached_block *cache[LARGE_CACHE_PAGES + 1];
static size_t cache_count[LARGE_CACHE_PAGES + 1];
static uint64_t live_blocks, live_requested, held_pages, cached_pages;

void heap_large_init(void)
{
    for (size_t pages = 0; pages <= LARGE_CACHE_PAGES; pages++) {
        cache[pages] = NULL;
        cache_count[pages] = 0;
    }
    live_blocks = live_requested = held_pages = cached_pages = 0;
}

static size_t pages_for(size_t size)
{
    return (size_t)(ALIGN_UP((uint64_t)size, KMALLOC_ALIGN) + PAGE_SIZE - 1) / PAGE_SIZE;
}

static void *block_start(const struct vm_area *area, size_t size)
{
    return (char *)area->base + area->size - ALIGN_UP((uint64_t)size, KMALLOC_ALIGN);
}

/* A heap block's area: vm areas of other owners have no caller recorded. */
static bool is_heap_area(const struct vm_area *area)
{
    // cppcheck-suppress [ctunullpointer,nullPointerRedundantCheck] ; callers rule NULL out first
    return area->kind == VM_PAGES && area->owner_caller != 0;
}

/* Under heap_lock: a block's area, from the cache or vm_alloc; NULL when memory is out. */
static struct vm_area *take_area(size_t pages)
{
    if (pages <= LARGE_CACHE_PAGES && cache[pages]) {
        struct cached_block *b = cache[pages];
        cache[pages] = b->next;
        cache_count[pages]--;
        cached_pages -= pages;
        return vm_find((uintptr_t)b, false);
    }
    void *pages_base = vm_alloc(pages);
    if (pages_base == NULL)
        return NULL;
    held_pages += pages;
    return vm_find((uintptr_t)pages_base, false);
}

void *heap_large_alloc(size_t size, uintptr_t caller)
{
    if (size > SIZE_MAX - 2 * PAGE_SIZE)
        return NULL;
    size_t pages = pages_for(size);
    struct vm_area *area = NULL;

    for (int attempt = 0; attempt < 2 && area == NULL; attempt++) {
        /* Cached blocks are memory nobody uses: give them up before giving up. */
        if (attempt == 1)
            heap_trim();
        spin_lock(&heap_lock);
        area = take_area(pages);
        if (area) {
            area->owner_data = size;
            area->owner_caller = caller;
            live_blocks++;
            live_requested += size;
        }
        spin_unlock(&heap_lock);
    }
    if (area == NULL)
        return NULL;

    void *block = block_start(area, size);
    if (heap_debug_on)
        memset((char *)block + size, HEAP_POISON_RED,
               ALIGN_UP((uint64_t)size, KMALLOC_ALIGN) - size);
    return block;
}

/* Under heap_lock: the live large block at ptr, checked; NULL with the misuse in *fault. */
static struct vm_area *live_area(void *ptr, struct heap_fault *fault)
{
    struct vm_area *area = vm_find((uintptr_t)ptr, false);

    if (area == NULL && heap_recently_released(ptr))
        heap_fault_set(fault, HEAP_DOUBLE_FREE, ptr, 0, "its pages went back with the first free");
    else if (area == NULL)
        heap_fault_set(fault, HEAP_INVALID_FREE, ptr, 0,
                       "nothing is allocated there now (was it freed already?)");
    else if (!is_heap_area(area))
        heap_fault_set(fault, HEAP_INVALID_FREE, ptr, 0,
                       "it is in pages vm_alloc gave someone else");
    else if (area->owner_data == LARGE_FREED)
        heap_fault_set(fault, HEAP_DOUBLE_FREE, ptr, 0, NULL);
    else if (ptr != block_start(area, (size_t)area->owner_data))
        heap_fault_set(fault, HEAP_WRONG_CLASS, ptr, area->owner_caller,
                       "it is inside a large block: not where the block starts");
    return fault->found ? NULL : area;
}

/* Under heap_lock: frees the checked block ptr in area; true if its pages are to go back. */
static bool free_area(struct vm_area *area, void *ptr, struct heap_fault *fault)
{
    size_t size = (size_t)area->owner_data;

    if (heap_debug_on) {
        const unsigned char *slack = (const unsigned char *)ptr + size;
        for (size_t i = 0; i < ALIGN_UP((uint64_t)size, KMALLOC_ALIGN) - size; i++)
            if (slack[i] != HEAP_POISON_RED) {
                heap_fault_set(fault, HEAP_OVERFLOW, ptr, area->owner_caller,
                               "the bytes after the block were written");
                return false;
            }
    }
    live_blocks--;
    live_requested -= size;

    size_t pages = (size_t)(area->size / PAGE_SIZE);
    if (!heap_debug_on && pages <= LARGE_CACHE_PAGES && cache_count[pages] < LARGE_CACHE_DEPTH &&
        (cached_pages + pages) * LARGE_CACHE_SHARE <= pmm_total_count()) {
        struct cached_block *b = (struct cached_block *)area->base;
        cached_pages += pages;
        area->owner_data = LARGE_FREED;
        b->next = cache[pages];
        cache[pages] = b;
        cache_count[pages]++;
        return false;
    }
    held_pages -= pages;
    area->owner_data = LARGE_FREED; /* until vm_free, after the lock: a second free is seen */
    heap_note_released(ptr);
    return true;
}

bool heap_large_free(void *ptr, uintptr_t caller)
{
    if (!vm_contains((uintptr_t)ptr))
        return false;
    struct heap_fault fault = {0};
    spin_lock(&heap_lock);
    struct vm_area *area = live_area(ptr, &fault);
    bool release = area && free_area(area, ptr, &fault);
    spin_unlock(&heap_lock);
    heap_fault_report(&fault, caller);
    /* Unmapping waits for the other CPUs' TLBs: never under the lock they may spin on. */
    if (release)
        vm_free((void *)area->base);
    return true;
}

size_t heap_large_size(const void *ptr, uintptr_t caller)
{
    struct heap_fault fault = {0};
    spin_lock(&heap_lock);
    struct vm_area *area = live_area((void *)(uintptr_t)ptr, &fault);
    size_t size = area ? (size_t)area->owner_data : 0;
    spin_unlock(&heap_lock);
    if (fault.found)
        heap_fault_set(&fault, HEAP_INVALID_FREE, ptr, 0,
                       "krealloc of a pointer the heap never returned");
    heap_fault_report(&fault, caller);
    return size;
}

void *heap_large_trim(void)
{
    struct cached_block *released = NULL;

    for (size_t pages = 1; pages <= LARGE_CACHE_PAGES; pages++) {
        while (cache[pages]) {
            struct cached_block *b = cache[pages];
            cache[pages] = b->next;
            b->next = released;
            released = b;
            held_pages -= pages;
        }
        cache_count[pages] = 0;
    }
    cached_pages = 0;
    return released;
}

void heap_large_release(void *released)
{
    for (struct cached_block *b = released, *next; b; b = next) {
        next = b->next;
        vm_free(b);
    }
}

void heap_large_stats(struct heap_stats *stats)
{
    stats->large_blocks = live_blocks;
    stats->large_requested = live_requested;
    stats->large_held = held_pages * PAGE_SIZE;
}

bool heap_large_live(void)
{
    return live_blocks != 0;
}

bool heap_explain_fault(uintptr_t address)
{
    if (!vm_contains(address))
        return false;
    struct vm_area *area = vm_find(address, true);
    if (area == NULL) {
        kprintf(" use after free? %016llx is in the heap's dynamic range, where nothing is "
                "mapped now\n",
                (unsigned long long)address);
        return true;
    }
    if (!is_heap_area(area) || address < area->base + area->size)
        return false;
    if (area->owner_data == LARGE_FREED) {
        kprintf(" use after free? %016llx is past a freed large block\n",
                (unsigned long long)address);
        return true;
    }
    uintptr_t offset;
    const char *name = symbol_lookup(area->owner_caller - 1, &offset);
    kprintf(" heap overflow: into the guard page after the %llu-byte block at %p\n"
            "  (allocated by %s+0x%llx)\n",
            (unsigned long long)area->owner_data, block_start(area, (size_t)area->owner_data),
            name ? name : "?", (unsigned long long)(offset + 1));
    return true;
}
