/*
 * The heap's small blocks, the central part. Blocks of up to KMALLOC_SMALL_MAX bytes come in
 * HEAP_CLASS_COUNT size classes, each carved from slabs: KMALLOC_SLAB_PAGES pages of the dynamic
 * range, aligned to their own size, with a header at the start:
 *
 *     | struct slab | block 0 | block 1 | ... | block capacity-1 | slack |
 *
 * so the slab of any block is its address rounded down to SLAB_SIZE, and the first block starts
 * at a multiple of the block size when that is a power of two (natural alignment). A free block
 * holds the next free block's address; blocks never used yet are taken in order from `unused`.
 *
 * Slabs live in one region reserved at heap_init, big enough for all of RAM, so "is this a slab
 * pointer" is a subtraction and a bit test. A class keeps one empty slab for reuse; the pages of
 * any other slab that empties go back to the frame allocator at once.
 *
 * Each CPU keeps free blocks of its own (kernel/kmalloc_cpu.c) and comes here under heap_lock
 * for a batch when it has none, and to give a batch back when it has too many. The header's
 * bitmap of free blocks (in the slab's free list or on a CPU's) is what tells a double free from
 * a first one, in O(1), wherever the first free left the block: any CPU sets a block's bit in
 * kfree and clears it when it hands the block out, with one atomic operation and no lock. The
 * rest of what kfree's checks (kernel/kmalloc_slab_check.c) read of a slab is fixed while the
 * slab lives, or written under the lock and read atomically (`unused`, `used`, the region's
 * bitmap).
 */
#include "kernel/kmalloc_slab.h"
#include "kernel/compiler.h"
#include "kernel/kmalloc_internal.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/vm.h"

static const uint16_t class_sizes[HEAP_CLASS_COUNT] = {16,  32,  48,  64,  96,   128,  192,
                                                       256, 384, 512, 768, 1024, 1536, 2048};
struct size_class slab_classes[HEAP_CLASS_COUNT];
/* The class of a request of n bytes, by (n + 15) / 16. */
static uint8_t class_of[KMALLOC_SMALL_MAX / KMALLOC_ALIGN + 1];

struct slab_region slab_region;
static uint64_t next_slot_word;

static bool is_power_of_two(uint64_t n)
{
    return (n & (n - 1)) == 0;
}

void heap_slab_init(void)
{
    /* Enough slots for every frame to be in a slab, capped at half the dynamic range. */
    uintptr_t range_base;
    uint64_t range_size;
    arch_kernel_dynamic_range(&range_base, &range_size);
    uint64_t slots = ALIGN_UP(pmm_total_count() / KMALLOC_SLAB_PAGES + 1, BITS_PER_WORD);
    if (slots > range_size / 2 / SLAB_SIZE)
        slots = range_size / 2 / SLAB_SIZE;

    uint64_t bitmap_pages = ALIGN_UP(slots / 8, PAGE_SIZE) / PAGE_SIZE;
    slab_region.slot_used = vm_alloc(bitmap_pages);
    slab_region.base = (uintptr_t)vm_reserve(slots * SLAB_SIZE, SLAB_SIZE);
    if (slab_region.slot_used == NULL || slab_region.base == 0)
        panic("heap: no memory for the slab region's %llu slots", (unsigned long long)slots);
    memset(slab_region.slot_used, 0, bitmap_pages * PAGE_SIZE);
    slab_region.slots = slots;
    next_slot_word = 0;

    size_t c = 0;
    for (size_t n = 0; n < ARRAY_SIZE(class_of); n++) {
        while (class_sizes[c] < n * KMALLOC_ALIGN)
            c++;
        class_of[n] = (uint8_t)c;
    }
    for (c = 0; c < HEAP_CLASS_COUNT; c++) {
        uint64_t align = is_power_of_two(class_sizes[c]) ? class_sizes[c] : KMALLOC_ALIGN;
        uint64_t first = ALIGN_UP(sizeof(struct slab), align);
        slab_classes[c] = (struct size_class){
            .size = class_sizes[c],
            .reciprocal = (uint32_t)(((1ULL << 32) + class_sizes[c] - 1) / class_sizes[c]),
            .first = (uint16_t)first,
            .capacity = (uint16_t)((SLAB_SIZE - first) / class_sizes[c]),
        };
    }
}

static void list_add(struct size_class *c, struct slab *s)
{
    s->prev = NULL;
    s->next = c->available;
    if (c->available)
        c->available->prev = s;
    c->available = s;
}

static void list_remove(struct size_class *c, struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        c->available = s->next;
    if (s->next)
        s->next->prev = s->prev;
}

static void slot_free(uint64_t slot)
{
    __atomic_fetch_and(&slab_region.slot_used[slot / BITS_PER_WORD],
                       ~(1ULL << (slot % BITS_PER_WORD)), __ATOMIC_RELAXED);
}

/* A free slot (next-fit over the bitmap), marked used; false if the region is full. */
static bool take_slot(uint64_t *slot)
{
    uint64_t words = slab_region.slots / BITS_PER_WORD;

    for (uint64_t n = 0; n < words; n++) {
        uint64_t w = (next_slot_word + n) % words;
        uint64_t word = __atomic_load_n(&slab_region.slot_used[w], __ATOMIC_RELAXED);
        if (word != ~0ULL) {
            unsigned bit = (unsigned)__builtin_ctzll(~word);
            __atomic_fetch_or(&slab_region.slot_used[w], 1ULL << bit, __ATOMIC_RELAXED);
            next_slot_word = w;
            *slot = w * BITS_PER_WORD + bit;
            return true;
        }
    }
    return false;
}

/*
 * Gives an empty slab's pages back. Without heap_lock: unmapping waits for every other CPU to
 * drop the pages from its TLB, which one spinning on the lock with interrupts off never would.
 * The slot stays taken until the pages are gone, so no new slab appears there meanwhile.
 */
static void unmap_slab(struct slab *s)
{
    uintptr_t base = (uintptr_t)s;

    for (uint64_t page = 0; page < KMALLOC_SLAB_PAGES; page++) {
        uint64_t frame;
        if (arch_kernel_translate(base + page * PAGE_SIZE, &frame))
            pmm_free(frame);
    }
    arch_kernel_unmap(base, SLAB_SIZE);
    slot_free((base - slab_region.base) / SLAB_SIZE);
}

static struct slab *new_slab(struct size_class *c)
{
    uint64_t slot;

    if (!take_slot(&slot))
        return NULL;
    uintptr_t base = slab_region.base + slot * SLAB_SIZE;
    if (pmm_free_count() < KMALLOC_SLAB_PAGES + arch_kernel_map_table_frames(base, SLAB_SIZE)) {
        slot_free(slot);
        return NULL;
    }
    for (uint64_t page = 0; page < KMALLOC_SLAB_PAGES; page++)
        arch_kernel_map(base + page * PAGE_SIZE, pmm_alloc(), PAGE_SIZE, KERNEL_MAP_WRITE,
                        MEMORY_WRITE_BACK);

    struct slab *s = (struct slab *)base;
    *s = (struct slab){
        .magic = SLAB_MAGIC ^ base,
        .class_index = (uint16_t)(c - slab_classes),
        .first = c->first,
        .capacity = c->capacity,
    };
    c->slabs++;
    c->empty++;
    list_add(c, s);
    return s;
}

static void *block_at(const struct slab *s, const struct size_class *c, uint64_t index)
{
    return (char *)s + s->first + index * c->size;
}

static void set_used(struct slab *s, uint32_t used)
{
    __atomic_store_n(&s->used, used, __ATOMIC_RELAXED);
}

unsigned heap_class_of(size_t need)
{
    return class_of[(need + KMALLOC_ALIGN - 1) / KMALLOC_ALIGN];
}

size_t heap_class_size(unsigned class_index)
{
    return slab_classes[class_index].size;
}

size_t heap_slab_take(unsigned class_index, struct heap_free_block **list, size_t count,
                      struct heap_fault *fault)
{
    struct size_class *c = &slab_classes[class_index];
    size_t taken = 0;

    while (taken < count) {
        struct slab *s = c->available;
        if (s == NULL && (s = new_slab(c)) == NULL)
            break;
        void *block;
        if (s->free) {
            block = s->free;
            void *next = *(void **)block;
            /* The cheap check: a freed block's first word must still point into its own slab. */
            if (next && (slab_holding(next) != s || (uintptr_t)next - (uintptr_t)s < s->first)) {
                heap_fault_set(fault, HEAP_USE_AFTER_FREE, block, 0,
                               "a freed block's link to the next one was overwritten");
                break;
            }
            s->free = next;
        } else {
            block = block_at(s, c, s->unused);
            heap_slab_set_free(block, true);
            __atomic_store_n(&s->unused, (uint16_t)(s->unused + 1), __ATOMIC_RELAXED);
            if (heap_debug_on)
                heap_debug_poison_new(block, c->size);
        }
        if (s->used == 0)
            c->empty--;
        set_used(s, s->used + 1);
        if (s->free == NULL && s->unused == s->capacity)
            list_remove(c, s);
        c->out++;
        *(struct heap_free_block *)block = (struct heap_free_block){
            .next = *list,
            .mark = heap_free_mark(block, class_index),
        };
        *list = (struct heap_free_block *)block;
        taken++;
    }
    return taken;
}

/*
 * Detaches an empty slab from its class, onto *released (through its `next`) for unmap_slab.
 * The ring of released blocks keeps the slab's address: freeing any block of it again is then
 * still a double free, whichever was its last.
 */
static void detach(struct size_class *c, struct slab *s, struct slab **released)
{
    heap_note_released(s);
    list_remove(c, s);
    c->empty--;
    c->slabs--;
    s->next = *released;
    *released = s;
}

void heap_slab_give(struct heap_free_block *list, size_t count, void **released)
{
    struct slab *chain = *released;

    for (; count > 0; count--) {
        struct heap_free_block *block = list;
        list = block->next;
        struct slab *s = slab_holding(block);
        struct size_class *c = &slab_classes[s->class_index];
        bool was_full = s->free == NULL && s->unused == s->capacity;
        *(void **)block = s->free;
        s->free = block;
        c->out--;
        if (was_full)
            list_add(c, s);
        set_used(s, s->used - 1);
        if (s->used == 0 && c->empty++ > 0) {
            /* The class has an empty slab for reuse already: this one goes back. */
            detach(c, s, &chain);
        }
    }
    *released = chain;
}

void heap_slab_release(void *released)
{
    for (struct slab *s = released, *next; s; s = next) {
        next = s->next;
        unmap_slab(s);
    }
}

uint64_t heap_slab_out(unsigned class_index)
{
    return slab_classes[class_index].out;
}

void *heap_slab_trim(void)
{
    struct slab *released = NULL;

    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++) {
        struct size_class *c = &slab_classes[i];
        for (struct slab *s = c->available, *next; s; s = next) {
            next = s->next;
            if (s->used == 0)
                detach(c, s, &released);
        }
    }
    return released;
}

void heap_slab_stats(struct heap_stats *stats)
{
    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++) {
        stats->classes[i] = (struct heap_class_stats){
            .block_size = slab_classes[i].size,
            .slabs = slab_classes[i].slabs,
            .blocks = slab_classes[i].out,
        };
        stats->small_held += (uint64_t)slab_classes[i].slabs * SLAB_SIZE;
    }
}
