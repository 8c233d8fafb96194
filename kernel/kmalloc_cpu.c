/*
 * Each CPU's own free small blocks (struct heap_cpu_cache, in its struct cpu), in front of the
 * central slabs (kernel/kmalloc_slab.c). kmalloc and kfree of a small block use only the calling
 * CPU's lists for its size class, with interrupts off (a handler on this CPU may allocate too)
 * and no lock. A class has two lists on each CPU, of up to list_max blocks each, as the magazines
 * of Bonwick and Adams's allocator (USENIX 2001): kmalloc takes from the first, kfree adds to it;
 * when it is empty the older list takes its place, or else a list's worth comes from the slabs
 * under heap_lock; when it is full it becomes the older list, and the older one goes back to the
 * slabs. So a CPU that allocates and frees around one size goes to the lock once per list_max
 * calls at most, and what goes back is what was freed longest ago.
 *
 * A block may be freed on another CPU than the one that allocated it: it joins the freeing CPU's
 * list, as nothing ties a block to a CPU. kfree asks the slab whether a live block starts there
 * and marks it free in the slab's bitmap (one atomic operation), so a second free is caught
 * wherever the first one left the block. Handing a block out, or giving it back to its slab,
 * checks its mark and its link to the next (kmalloc_internal.h).
 * NMI and machine-check handlers must not allocate: interrupts off does not hold them off.
 */
#include "kernel/arch.h"
#include "kernel/cpu.h"
#include "kernel/kmalloc_internal.h"

_Static_assert(sizeof(struct heap_free_block) <= KMALLOC_ALIGN,
               "a free block's header fits in the smallest block");

_Static_assert(HEAP_CPU_CACHE_BYTES / KMALLOC_SMALL_MAX >= 2,
               "each list of the largest class holds a block");

/* The blocks a CPU's list of each class holds at most: half of all it keeps of the class. */
static uint32_t list_max[HEAP_CLASS_COUNT];

void heap_cpu_init(void)
{
    for (unsigned c = 0; c < HEAP_CLASS_COUNT; c++) {
        uint32_t blocks = (uint32_t)(HEAP_CPU_CACHE_BYTES / heap_class_size(c));
        list_max[c] = (blocks > HEAP_CPU_CACHE_MAX_BLOCKS ? HEAP_CPU_CACHE_MAX_BLOCKS : blocks) / 2;
    }
    /* Every CPU starts with nothing (a host test starts the heap again after its last test). */
    for (unsigned i = 0; i < cpu_count(); i++)
        cpu_get(i)->heap = (struct heap_cpu_cache){0};
}

/* The counts are written by their CPU alone, and read by any for heap_stats. */
static void set_counts(struct heap_cpu_list *list, uint32_t count, uint32_t older_count)
{
    __atomic_store_n(&list->count, count, __ATOMIC_RELAXED);
    __atomic_store_n(&list->older_count, older_count, __ATOMIC_RELAXED);
}

static void add_requested(struct heap_cpu_cache *cache, int64_t bytes)
{
    __atomic_store_n(&cache->requested, cache->requested + bytes, __ATOMIC_RELAXED);
}

/*
 * The block after block on a list of class c. The link must lead to a slab's block (cheap: no
 * slab header read), which must carry its mark when it is handed out in turn: a link written
 * after the free (a use after free) fails one or the other.
 */
static struct heap_free_block *next_on_list(const struct heap_free_block *block, unsigned c,
                                            bool last, uintptr_t caller)
{
    struct heap_free_block *next = block->next;

    if (block->mark != heap_free_mark(block, c))
        heap_misuse(HEAP_USE_AFTER_FREE, block, caller, 0,
                    "a freed block's mark was overwritten (or a link led to one not free)");
    if (last ? next != NULL : !heap_slab_may_hold(next))
        heap_misuse(HEAP_USE_AFTER_FREE, block, caller, 0,
                    "a freed block's link to the next one was overwritten");
    return next;
}

/*
 * Gives the n blocks of list, of class c, back to the slabs; each is checked first. Slabs that
 * empty go onto *released, for heap_slab_release once interrupts are back on: unmapping waits
 * for the other CPUs' TLBs, which is no time to keep interrupts off.
 */
static void give_back(struct heap_free_block *list, uint32_t n, unsigned c, uintptr_t caller,
                      void **released)
{
    const struct heap_free_block *block = list;

    for (uint32_t i = 0; i < n; i++)
        block = next_on_list(block, c, i + 1 == n, caller);
    spin_lock(&heap_lock);
    heap_slab_give(list, n, released);
    spin_unlock(&heap_lock);
}

/* Fills this CPU's empty list of class c from the slabs; false when they have no block left. */
static bool refill(struct heap_cpu_list *list, unsigned c, uintptr_t caller)
{
    struct heap_fault fault = {0};

    spin_lock(&heap_lock);
    size_t taken = heap_slab_take(c, &list->head, list_max[c], &fault);
    spin_unlock(&heap_lock);
    heap_fault_report(&fault, caller);
    set_counts(list, (uint32_t)taken, list->older_count);
    return taken != 0;
}

/* This CPU's next free block of class c, handed out; NULL when the slabs have none left. */
static struct heap_free_block *take(struct heap_cpu_list *list, unsigned c, uintptr_t caller)
{
    if (list->count == 0 && list->older_count) {
        list->head = list->older;
        list->older = NULL;
        set_counts(list, list->older_count, 0);
    } else if (list->count == 0 && !refill(list, c, caller)) {
        return NULL;
    }
    struct heap_free_block *block = list->head;
    list->head = next_on_list(block, c, list->count == 1, caller);
    set_counts(list, list->count - 1, list->older_count);
    block->mark = 0;
    if (!heap_slab_set_free(block, false))
        heap_misuse(HEAP_USE_AFTER_FREE, block, caller, 0,
                    "a free list led to a block in use: a freed block's link was overwritten");
    return block;
}

void *heap_small_alloc(size_t need, size_t size, uintptr_t caller)
{
    unsigned c = heap_class_of(need);

    for (int attempt = 0; attempt < 2; attempt++) {
        unsigned long flags = arch_irq_save();
        struct heap_cpu_cache *cache = &this_cpu()->heap;
        struct heap_free_block *block = take(&cache->lists[c], c, caller);
        if (block && heap_debug_on) {
            heap_debug_check_poison(block, heap_class_size(c));
            heap_debug_arm(block, heap_class_size(c), size, caller);
            add_requested(cache, (int64_t)size);
        }
        arch_irq_restore(flags);
        if (block)
            return block;
        /* Spare slabs and cached large blocks are memory nobody uses: give them up first. */
        if (attempt == 0)
            heap_trim();
    }
    return NULL;
}

bool heap_small_free(void *ptr, uintptr_t caller)
{
    int c = heap_slab_check_free(ptr, caller);
    void *released = NULL;

    if (c < 0)
        return false;
    unsigned long flags = arch_irq_save();
    struct heap_cpu_cache *cache = &this_cpu()->heap;
    struct heap_cpu_list *list = &cache->lists[c];
    struct heap_free_block *block = ptr;
    if (heap_debug_on) {
        add_requested(cache, -(int64_t)heap_debug_check_live(ptr, heap_class_size(c), caller));
        heap_debug_poison(ptr, heap_class_size(c), caller);
    }
    /* Live a moment ago: only another CPU freeing it at the same time finds it free now. */
    if (heap_slab_set_free(ptr, true))
        heap_misuse(HEAP_DOUBLE_FREE, ptr, caller, 0, "freed on two CPUs at once");
    if (list->count == list_max[c]) {
        /* The full list becomes the older one; the one older still goes back to the slabs. */
        struct heap_free_block *oldest = list->older;
        uint32_t oldest_count = list->older_count;
        list->older = list->head;
        list->head = NULL;
        set_counts(list, 0, list_max[c]);
        if (oldest_count)
            give_back(oldest, oldest_count, (unsigned)c, caller, &released);
    }
    *block = (struct heap_free_block){.next = list->head, .mark = heap_free_mark(block, c)};
    list->head = block;
    set_counts(list, list->count + 1, list->older_count);
    arch_irq_restore(flags);
    heap_slab_release(released);
    return true;
}

void heap_cpu_flush(void)
{
    uintptr_t caller = (uintptr_t)__builtin_return_address(0);
    void *released = NULL;
    unsigned long flags = arch_irq_save();
    struct heap_cpu_cache *cache = &this_cpu()->heap;

    for (unsigned c = 0; c < HEAP_CLASS_COUNT; c++) {
        struct heap_cpu_list *list = &cache->lists[c];
        struct heap_free_block *head = list->head, *older = list->older;
        uint32_t count = list->count, older_count = list->older_count;
        *list = (struct heap_cpu_list){0};
        if (count)
            give_back(head, count, c, caller, &released);
        if (older_count)
            give_back(older, older_count, c, caller, &released);
    }
    arch_irq_restore(flags);
    heap_slab_release(released);
}

bool heap_small_block(void *ptr, size_t new_size, uintptr_t caller, size_t *usable, bool *in_place)
{
    int c = heap_slab_check_free(ptr, caller);

    if (c < 0)
        return false;
    size_t size = heap_class_size(c);
    *usable = heap_debug_on ? heap_debug_check_live(ptr, size, caller) : size;
    /* In place only in the same class, which keeps a power of two's alignment. */
    *in_place =
        !heap_debug_on && new_size <= KMALLOC_SMALL_MAX && heap_class_of(new_size) == (unsigned)c;
    return true;
}

/* The free blocks of class c on every CPU's list. */
static uint64_t cached(unsigned c)
{
    uint64_t blocks = 0;

    for (unsigned i = 0; i < cpu_count(); i++)
        blocks += __atomic_load_n(&cpu_get(i)->heap.lists[c].count, __ATOMIC_RELAXED) +
                  __atomic_load_n(&cpu_get(i)->heap.lists[c].older_count, __ATOMIC_RELAXED);
    return blocks;
}

/* Blocks out of the slabs that no CPU's list holds: a CPU drains its list before the slabs
 * count the blocks back, and refills the slabs' count before its list's, so never below 0. */
static uint64_t live_blocks(unsigned c)
{
    uint64_t out = heap_slab_out(c), free = cached(c);
    return out > free ? out - free : 0;
}

bool heap_small_live(void)
{
    for (unsigned c = 0; c < HEAP_CLASS_COUNT; c++)
        if (live_blocks(c))
            return true;
    return false;
}

bool heap_small_cached(void)
{
    for (unsigned c = 0; c < HEAP_CLASS_COUNT; c++)
        if (cached(c))
            return true;
    return false;
}

void heap_small_stats(struct heap_stats *stats)
{
    int64_t requested = 0;

    heap_slab_stats(stats);
    for (unsigned c = 0; c < HEAP_CLASS_COUNT; c++) {
        stats->classes[c].blocks = live_blocks(c);
        stats->small_in_blocks += stats->classes[c].blocks * stats->classes[c].block_size;
    }
    for (unsigned i = 0; i < cpu_count(); i++)
        requested += __atomic_load_n(&cpu_get(i)->heap.requested, __ATOMIC_RELAXED);
    stats->small_requested = heap_debug_on && requested > 0 ? (uint64_t)requested : 0;
}
