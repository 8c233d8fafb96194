/*
 * The slabs' checks that kfree and kmalloc make on any CPU without heap_lock: is this pointer a
 * block in a sound slab, is it live; and the bitmap of free blocks, set and cleared atomically.
 */
#include "kernel/compiler.h"
#include "kernel/kmalloc_internal.h"
#include "kernel/kmalloc_slab.h"

enum slab_lookup { SLAB_FOUND, SLAB_OUTSIDE, SLAB_NONE, SLAB_DAMAGED };

/* The slab ptr points into, without the lock: found with a sound header, or why not. */
static enum slab_lookup find_slab(const void *ptr, struct slab **slab)
{
    uintptr_t offset = (uintptr_t)ptr - slab_region.base;

    if (offset >= slab_region.slots * SLAB_SIZE)
        return SLAB_OUTSIDE;
    uint64_t slot = offset / SLAB_SIZE;
    if (!slot_in_use(slot))
        return SLAB_NONE;
    struct slab *s = (struct slab *)(slab_region.base + slot * SLAB_SIZE);
    *slab = s;
    if (s->magic != (SLAB_MAGIC ^ (uintptr_t)s) || s->class_index >= HEAP_CLASS_COUNT ||
        s->first != slab_classes[s->class_index].first ||
        s->capacity != slab_classes[s->class_index].capacity ||
        __atomic_load_n(&s->used, __ATOMIC_RELAXED) > s->capacity ||
        __atomic_load_n(&s->unused, __ATOMIC_RELAXED) > s->capacity)
        return SLAB_DAMAGED;
    return SLAB_FOUND;
}

/* The index of the block at offset (past s->first) in s, if one starts there. */
static bool index_at(const struct slab *s, uintptr_t offset, uint64_t *index)
{
    const struct size_class *c = &slab_classes[s->class_index];

    *index = (offset * c->reciprocal) >> 32;
    return *index * c->size == offset;
}

int heap_slab_check_free(const void *ptr, uintptr_t caller)
{
    struct slab *s = NULL;

    switch (find_slab(ptr, &s)) {
    case SLAB_OUTSIDE:
        return -1;
    case SLAB_NONE:
        if (heap_recently_released(slab_holding(ptr)))
            heap_misuse(HEAP_DOUBLE_FREE, ptr, caller, 0, "its slab went back with the first free");
        heap_misuse(HEAP_INVALID_FREE, ptr, caller, 0,
                    "no slab is there now (was its last block freed already?)");
    case SLAB_DAMAGED:
        heap_misuse(HEAP_CORRUPT_SLAB, ptr, caller, 0, "the slab's header was overwritten");
    case SLAB_FOUND:
        break;
    }
    uintptr_t offset = (uintptr_t)ptr - (uintptr_t)s;
    uint64_t index;
    if (offset < s->first)
        heap_misuse(HEAP_INVALID_FREE, ptr, caller, 0, "it points into a slab's header");
    bool at_start = index_at(s, offset - s->first, &index);
    if (index >= __atomic_load_n(&s->unused, __ATOMIC_RELAXED))
        heap_misuse(HEAP_INVALID_FREE, ptr, caller, 0, "no block there was ever handed out");
    if (!at_start)
        heap_misuse(HEAP_WRONG_CLASS, ptr, caller, 0,
                    "it is inside a block of another size: not where one starts");
    uint64_t bit = 1ULL << (index % BITS_PER_WORD);
    if (__atomic_load_n(&s->free_map[index / BITS_PER_WORD], __ATOMIC_RELAXED) & bit)
        heap_misuse(HEAP_DOUBLE_FREE, ptr, caller,
                    heap_debug_on ? heap_debug_allocated_by(ptr, slab_classes[s->class_index].size)
                                  : 0,
                    NULL);
    return s->class_index;
}

bool heap_slab_may_hold(const void *ptr)
{
    uintptr_t offset = (uintptr_t)ptr - slab_region.base;

    return offset < slab_region.slots * SLAB_SIZE && IS_ALIGNED(offset, KMALLOC_ALIGN) &&
           offset % SLAB_SIZE >= sizeof(struct slab) && slot_in_use(offset / SLAB_SIZE);
}

bool heap_slab_set_free(void *ptr, bool free)
{
    struct slab *s = slab_holding(ptr);
    uint64_t index;

    index_at(s, (uintptr_t)ptr - (uintptr_t)s - s->first, &index);
    uint64_t *word = &s->free_map[index / BITS_PER_WORD], bit = 1ULL << (index % BITS_PER_WORD);
    /* Each as one expression of the bit alone, which x86 compilers make a lock bts or btr. */
    if (free)
        return (__atomic_fetch_or(word, bit, __ATOMIC_RELAXED) & bit) != 0;
    return (__atomic_fetch_and(word, ~bit, __ATOMIC_RELAXED) & bit) != 0;
}
