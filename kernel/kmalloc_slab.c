/*
 * The heap's small blocks. Blocks of up to KMALLOC_SMALL_MAX bytes come in
 * HEAP_CLASS_COUNT size classes, each carved from slabs: KMALLOC_SLAB_PAGES pages of the dynamic
 * range, aligned to their own size, with a header at the start:
 *
 *     | struct slab | block 0 | block 1 | ... | block capacity-1 | slack |
 *
 * so the slab of any block is its address rounded down to SLAB_SIZE, and the first block starts
 * at a multiple of the block size when that is a power of two (natural alignment). A free block
 * holds the next free block's address; blocks never used yet are taken in order from `unused`.
 * The header's bitmap of live blocks is what tells a double free from a first one, in O(1).
 *
 * Slabs live in one region reserved at heap_init, big enough for all of RAM, so "is this a slab
 * pointer" is a subtraction and a bit test. A class keeps one empty slab for reuse; the pages of
 * any other slab that empties go back to the frame allocator at once.
 */
#include "kernel/compiler.h"
#include "kernel/kmalloc_internal.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/vm.h"

#define SLAB_SIZE       (KMALLOC_SLAB_PAGES * PAGE_SIZE)
#define SLAB_MAGIC      0x6b65656c736c6162ULL /* "keelslab" */
#define SLAB_MAX_BLOCKS (SLAB_SIZE / KMALLOC_ALIGN)
#define BITS_PER_WORD   64

struct slab {
    uint64_t magic; /* SLAB_MAGIC ^ the slab's address: a copied header does not pass */
    uint16_t class_index;
    uint16_t first;           /* offset of block 0 */
    uint16_t capacity;        /* blocks that fit */
    uint16_t unused;          /* blocks [unused, capacity) were never handed out */
    uint32_t used;            /* live blocks */
    void *free;               /* freed blocks, each holding the next one's address */
    struct slab *next, *prev; /* in the class's list of slabs with a block to give */
    uint64_t live[SLAB_MAX_BLOCKS / BITS_PER_WORD];
};

struct size_class {
    uint32_t size;
    uint32_t reciprocal; /* ceil(2^32 / size): offset / size as a multiply and a shift */
    uint32_t slabs;
    uint32_t empty; /* slabs with no live block (kept: at most one) */
    uint64_t blocks;
    struct slab *available;
};

static const uint16_t class_sizes[HEAP_CLASS_COUNT] = {16,  32,  48,  64,  96,   128,  192,
                                                       256, 384, 512, 768, 1024, 1536, 2048};
static struct size_class classes[HEAP_CLASS_COUNT];
/* The class of a request of n bytes, by (n + 15) / 16. */
static uint8_t class_of[KMALLOC_SMALL_MAX / KMALLOC_ALIGN + 1];

/* The slab region: slot i is the slab at region + i * SLAB_SIZE, in use when its bit is set. */
static uintptr_t region;
static uint64_t region_slots;
static uint64_t *slot_used;
static uint64_t next_slot_word;
static uint64_t small_requested;

void heap_small_init(void)
{
    /* Enough slots for every frame to be in a slab, capped at half the dynamic range. */
    uintptr_t range_base;
    uint64_t range_size;
    arch_kernel_dynamic_range(&range_base, &range_size);
    uint64_t slots = ALIGN_UP(pmm_total_count() / KMALLOC_SLAB_PAGES + 1, BITS_PER_WORD);
    if (slots > range_size / 2 / SLAB_SIZE)
        slots = range_size / 2 / SLAB_SIZE;

    uint64_t bitmap_pages = ALIGN_UP(slots / 8, PAGE_SIZE) / PAGE_SIZE;
    slot_used = vm_alloc(bitmap_pages);
    region = (uintptr_t)vm_reserve(slots * SLAB_SIZE, SLAB_SIZE);
    if (slot_used == NULL || region == 0)
        panic("heap: no memory for the slab region's %llu slots", (unsigned long long)slots);
    memset(slot_used, 0, bitmap_pages * PAGE_SIZE);
    region_slots = slots;
    next_slot_word = 0;
    small_requested = 0;

    size_t c = 0;
    for (size_t n = 0; n < ARRAY_SIZE(class_of); n++) {
        while (class_sizes[c] < n * KMALLOC_ALIGN)
            c++;
        class_of[n] = (uint8_t)c;
    }
    for (c = 0; c < HEAP_CLASS_COUNT; c++)
        classes[c] = (struct size_class){
            .size = class_sizes[c],
            .reciprocal = (uint32_t)(((1ULL << 32) + class_sizes[c] - 1) / class_sizes[c]),
        };
}

static bool is_power_of_two(uint64_t n)
{
    return (n & (n - 1)) == 0;
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

/* A free slot (next-fit over the bitmap), marked used; false if the region is full. */
static bool take_slot(uint64_t *slot)
{
    uint64_t words = region_slots / BITS_PER_WORD;

    for (uint64_t n = 0; n < words; n++) {
        uint64_t w = (next_slot_word + n) % words;
        if (slot_used[w] != ~0ULL) {
            unsigned bit = (unsigned)__builtin_ctzll(~slot_used[w]);
            slot_used[w] |= 1ULL << bit;
            next_slot_word = w;
            *slot = w * BITS_PER_WORD + bit;
            return true;
        }
    }
    return false;
}

static void unmap_slab(struct slab *s, uint64_t mapped_pages)
{
    uintptr_t base = (uintptr_t)s;

    for (uint64_t page = 0; page < mapped_pages; page++) {
        uint64_t frame;
        if (arch_kernel_translate(base + page * PAGE_SIZE, &frame))
            pmm_free(frame);
    }
    arch_kernel_unmap(base, SLAB_SIZE);
    uint64_t slot = (base - region) / SLAB_SIZE;
    slot_used[slot / BITS_PER_WORD] &= ~(1ULL << (slot % BITS_PER_WORD));
}

static struct slab *new_slab(struct size_class *c)
{
    uint64_t slot;

    if (!take_slot(&slot))
        return NULL;
    uintptr_t base = region + slot * SLAB_SIZE;
    if (pmm_free_count() < KMALLOC_SLAB_PAGES + arch_kernel_map_table_frames(base, SLAB_SIZE)) {
        slot_used[slot / BITS_PER_WORD] &= ~(1ULL << (slot % BITS_PER_WORD));
        return NULL;
    }
    for (uint64_t page = 0; page < KMALLOC_SLAB_PAGES; page++)
        arch_kernel_map(base + page * PAGE_SIZE, pmm_alloc(), PAGE_SIZE, KERNEL_MAP_WRITE,
                        MEMORY_WRITE_BACK);

    struct slab *s = (struct slab *)base;
    uint64_t align = is_power_of_two(c->size) ? c->size : KMALLOC_ALIGN;
    uint64_t first = ALIGN_UP(sizeof(struct slab), align);
    *s = (struct slab){
        .magic = SLAB_MAGIC ^ base,
        .class_index = (uint16_t)(c - classes),
        .first = (uint16_t)first,
        .capacity = (uint16_t)((SLAB_SIZE - first) / c->size),
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

static void *small_alloc(struct size_class *c, size_t size, uintptr_t caller)
{
    struct slab *s = c->available;

    if (s == NULL && (s = new_slab(c)) == NULL) {
        /* Spare slabs and cached large blocks are memory nobody uses: give them up first. */
        heap_trim();
        if ((s = new_slab(c)) == NULL)
            return NULL;
    }

    void *block;
    bool reused = s->free != NULL;
    if (reused) {
        block = s->free;
        void *next = *(void **)block;
        /* The cheap check: a freed block's first word must still point into its own slab. */
        if (next && (((uintptr_t)next & ~(SLAB_SIZE - 1)) != (uintptr_t)s ||
                     (uintptr_t)next - (uintptr_t)s < s->first))
            heap_misuse(HEAP_USE_AFTER_FREE, block, caller, 0,
                        "a freed block's link to the next one was overwritten");
        s->free = next;
    } else {
        block = block_at(s, c, s->unused++);
    }
    uint64_t index = (((uintptr_t)block - (uintptr_t)s - s->first) * c->reciprocal) >> 32;
    s->live[index / BITS_PER_WORD] |= 1ULL << (index % BITS_PER_WORD);
    if (s->used++ == 0)
        c->empty--;
    if (s->free == NULL && s->unused == s->capacity)
        list_remove(c, s);
    c->blocks++;

    if (heap_debug_on) {
        if (reused)
            heap_debug_check_poison(block, c->size);
        heap_debug_arm(block, c->size, size, caller);
        small_requested += size;
    }
    return block;
}

/* The slab holding ptr, checked; NULL if ptr is not in the slab region. */
static struct slab *slab_of(const void *ptr, uintptr_t caller)
{
    uintptr_t offset = (uintptr_t)ptr - region;

    if (offset >= region_slots * SLAB_SIZE)
        return NULL;
    uint64_t slot = offset / SLAB_SIZE;
    if (!(slot_used[slot / BITS_PER_WORD] & (1ULL << (slot % BITS_PER_WORD)))) {
        if (heap_recently_released(ptr))
            heap_misuse(HEAP_DOUBLE_FREE, ptr, caller, 0, "its slab went back with the first free");
        heap_misuse(HEAP_INVALID_FREE, ptr, caller, 0,
                    "no slab is there now (was its last block freed already?)");
    }
    struct slab *s = (struct slab *)(region + slot * SLAB_SIZE);
    if (s->magic != (SLAB_MAGIC ^ (uintptr_t)s) || s->class_index >= HEAP_CLASS_COUNT ||
        s->capacity != (SLAB_SIZE - s->first) / classes[s->class_index].size ||
        s->used > s->capacity || s->unused > s->capacity)
        heap_misuse(HEAP_CORRUPT_SLAB, ptr, caller, 0, "the slab's header was overwritten");
    return s;
}

/* The index of ptr's block in s; reports a pointer that is not the start of a block. */
static uint64_t block_index(const struct slab *s, const void *ptr, uintptr_t caller)
{
    const struct size_class *c = &classes[s->class_index];
    uintptr_t offset = (uintptr_t)ptr - (uintptr_t)s;

    if (offset < s->first)
        heap_misuse(HEAP_INVALID_FREE, ptr, caller, 0, "it points into a slab's header");
    offset -= s->first;
    uint64_t index = (offset * c->reciprocal) >> 32;
    if (index >= s->unused)
        heap_misuse(HEAP_INVALID_FREE, ptr, caller, 0, "no block there was ever handed out");
    if (index * c->size != offset)
        heap_misuse(HEAP_WRONG_CLASS, ptr, caller, 0,
                    "it is inside a block of another size: not where one starts");
    return index;
}

static void small_free(struct slab *s, void *ptr, uintptr_t caller)
{
    struct size_class *c = &classes[s->class_index];
    uint64_t index = block_index(s, ptr, caller);
    uint64_t bit = 1ULL << (index % BITS_PER_WORD);

    if (!(s->live[index / BITS_PER_WORD] & bit))
        heap_misuse(HEAP_DOUBLE_FREE, ptr, caller,
                    heap_debug_on ? heap_debug_allocated_by(ptr, c->size) : 0, NULL);
    if (heap_debug_on) {
        small_requested -= heap_debug_check_live(ptr, c->size, caller);
        heap_debug_poison(ptr, c->size, caller);
    }
    s->live[index / BITS_PER_WORD] &= ~bit;
    bool was_full = s->free == NULL && s->unused == s->capacity;
    *(void **)ptr = s->free;
    s->free = ptr;
    c->blocks--;
    if (was_full)
        list_add(c, s);
    if (--s->used == 0 && c->empty++ > 0) {
        /* The class has an empty slab for reuse already: this one goes back. */
        list_remove(c, s);
        c->empty--;
        c->slabs--;
        unmap_slab(s, KMALLOC_SLAB_PAGES);
        heap_note_released(ptr);
    }
}

void *heap_small_alloc(size_t need, size_t size, uintptr_t caller)
{
    return small_alloc(&classes[class_of[(need + KMALLOC_ALIGN - 1) / KMALLOC_ALIGN]], size,
                       caller);
}

bool heap_small_free(void *ptr, uintptr_t caller)
{
    struct slab *s = slab_of(ptr, caller);

    if (s == NULL)
        return false;
    small_free(s, ptr, caller);
    return true;
}

bool heap_small_block(void *ptr, size_t new_size, uintptr_t caller, size_t *usable, bool *in_place)
{
    struct slab *s = slab_of(ptr, caller);

    if (s == NULL)
        return false;
    size_t size = classes[s->class_index].size;
    block_index(s, ptr, caller);
    *usable = heap_debug_on ? heap_debug_check_live(ptr, size, caller) : size;
    /* In place only in the same class, which keeps a power of two's alignment. */
    *in_place = !heap_debug_on && new_size <= KMALLOC_SMALL_MAX &&
                class_of[(new_size + KMALLOC_ALIGN - 1) / KMALLOC_ALIGN] == s->class_index;
    return true;
}

bool heap_small_live(void)
{
    for (size_t c = 0; c < HEAP_CLASS_COUNT; c++)
        if (classes[c].blocks)
            return true;
    return false;
}

void heap_small_trim(void)
{
    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++) {
        struct size_class *c = &classes[i];
        for (struct slab *s = c->available, *next; s; s = next) {
            next = s->next;
            if (s->used == 0) {
                list_remove(c, s);
                c->empty--;
                c->slabs--;
                unmap_slab(s, KMALLOC_SLAB_PAGES);
            }
        }
    }
}

void heap_small_stats(struct heap_stats *stats)
{
    stats->small_requested = heap_debug_on ? small_requested : 0;
    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++) {
        stats->classes[i] = (struct heap_class_stats){
            .block_size = classes[i].size,
            .slabs = classes[i].slabs,
            .blocks = classes[i].blocks,
        };
        stats->small_in_blocks += classes[i].blocks * classes[i].size;
        stats->small_held += (uint64_t)classes[i].slabs * SLAB_SIZE;
    }
}
