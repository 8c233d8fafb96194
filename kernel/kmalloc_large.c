/*
 * The heap's large blocks: more than KMALLOC_SMALL_MAX bytes, in whole pages from vm_alloc with
 * the unmapped guard page after them. A block ends at the guard page, less the few bytes that
 * keep its start 16-byte aligned, so writing past its end faults there and then:
 *
 *     | page | page ... | slack < 16 | block | guard page (unmapped) |
 *
 * The heap keeps the size and the allocating caller in the vm area (struct vm_area's owner
 * fields). Without the debug checks, a few freed blocks of up to LARGE_CACHE_PAGES pages stay
 * mapped for reuse, which saves mapping and unmapping pages for the common sizes; with them, a
 * freed block is unmapped at once, so any later use of it faults.
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
/* owner_data of a cached block, which no request can have been. */
#define LARGE_CACHED UINT64_MAX

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

void *heap_large_alloc(size_t size, uintptr_t caller)
{
    if (size > SIZE_MAX - 2 * PAGE_SIZE)
        return NULL;
    size_t pages = pages_for(size);
    struct vm_area *area;

    if (pages <= LARGE_CACHE_PAGES && cache[pages]) {
        struct cached_block *b = cache[pages];
        cache[pages] = b->next;
        cache_count[pages]--;
        cached_pages -= pages;
        area = vm_find((uintptr_t)b, false);
    } else {
        void *pages_base = vm_alloc(pages);
        if (pages_base == NULL) {
            /* Cached blocks are memory nobody uses: give them up before giving up. */
            heap_trim();
            pages_base = vm_alloc(pages);
        }
        if (pages_base == NULL)
            return NULL;
        area = vm_find((uintptr_t)pages_base, false);
        held_pages += pages;
    }
    area->owner_data = size;
    area->owner_caller = caller;
    live_blocks++;
    live_requested += size;

    void *block = block_start(area, size);
    if (heap_debug_on)
        memset((char *)block + size, HEAP_POISON_RED,
               ALIGN_UP((uint64_t)size, KMALLOC_ALIGN) - size);
    return block;
}

static void release_area(struct vm_area *area)
{
    held_pages -= area->size / PAGE_SIZE;
    vm_free((void *)area->base);
}

bool heap_large_free(void *ptr, uintptr_t caller)
{
    if (!vm_contains((uintptr_t)ptr))
        return false;
    struct vm_area *area = vm_find((uintptr_t)ptr, false);
    if (area == NULL && heap_recently_released(ptr))
        heap_misuse(HEAP_DOUBLE_FREE, ptr, caller, 0, "its pages went back with the first free");
    if (area == NULL)
        heap_misuse(HEAP_INVALID_FREE, ptr, caller, 0,
                    "nothing is allocated there now (was it freed already?)");
    // cppcheck-suppress nullPointerRedundantCheck ; heap_misuse (noreturn) ruled out NULL above
    if (!is_heap_area(area))
        heap_misuse(HEAP_INVALID_FREE, ptr, caller, 0, "it is in pages vm_alloc gave someone else");
    if (area->owner_data == LARGE_CACHED)
        heap_misuse(HEAP_DOUBLE_FREE, ptr, caller, 0, NULL);
    size_t size = (size_t)area->owner_data;
    if (ptr != block_start(area, size))
        heap_misuse(HEAP_WRONG_CLASS, ptr, caller, area->owner_caller,
                    "it is inside a large block: not where the block starts");
    if (heap_debug_on) {
        const unsigned char *slack = (const unsigned char *)ptr + size;
        for (size_t i = 0; i < ALIGN_UP((uint64_t)size, KMALLOC_ALIGN) - size; i++)
            if (slack[i] != HEAP_POISON_RED)
                heap_misuse(HEAP_OVERFLOW, ptr, caller, area->owner_caller,
                            "the bytes after the block were written");
    }
    live_blocks--;
    live_requested -= size;

    size_t pages = (size_t)(area->size / PAGE_SIZE);
    if (!heap_debug_on && pages <= LARGE_CACHE_PAGES && cache_count[pages] < LARGE_CACHE_DEPTH &&
        (cached_pages + pages) * LARGE_CACHE_SHARE <= pmm_total_count()) {
        struct cached_block *b = (struct cached_block *)area->base;
        cached_pages += pages;
        area->owner_data = LARGE_CACHED;
        b->next = cache[pages];
        cache[pages] = b;
        cache_count[pages]++;
        return true;
    }
    release_area(area);
    heap_note_released(ptr);
    return true;
}

size_t heap_large_size(const void *ptr)
{
    struct vm_area *area = vm_find((uintptr_t)ptr, false);

    if (area == NULL || !is_heap_area(area) || area->owner_data == LARGE_CACHED ||
        ptr != block_start(area, (size_t)area->owner_data))
        heap_misuse(HEAP_INVALID_FREE, ptr, (uintptr_t)__builtin_return_address(0), 0,
                    "krealloc of a pointer the heap never returned");
    // cppcheck-suppress nullPointerRedundantCheck ; heap_misuse (noreturn) ruled out NULL above
    return (size_t)area->owner_data;
}

void heap_large_trim(void)
{
    for (size_t pages = 1; pages <= LARGE_CACHE_PAGES; pages++) {
        while (cache[pages]) {
            struct cached_block *b = cache[pages];
            cache[pages] = b->next;
            release_area(vm_find((uintptr_t)b, false));
        }
        cache_count[pages] = 0;
    }
    cached_pages = 0;
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
    if (area->owner_data == LARGE_CACHED) {
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
