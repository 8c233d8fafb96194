/*
 * Kernel virtual memory: the dynamic range as two treaps of struct vm_area (kernel/vm_tree.h),
 * one of the free ranges, coalesced as they come back, one of the live allocations.
 *
 * The nodes cannot come from the heap, which is built on top of this. They come from whole frames
 * taken straight from the frame allocator and reached through the physical memory window; a node
 * that is no longer needed goes on a free list and is reused, and its frame is never given back
 * (the nodes a machine needs are bounded by its most fragmented moment: 64 per KiB of them).
 *
 * Several CPUs: the trees, the spare nodes and the counts change under one spinlock. Mapping and
 * unmapping the pages happen outside it: unmapping waits for the other CPUs to flush their TLBs,
 * which they cannot do while one of them spins for this lock with interrupts off. So a range
 * leaves the free tree before it is mapped, and goes back only once it is unmapped everywhere.
 */
#include "kernel/vm.h"

#include "kernel/compiler.h"
#include "kernel/panic.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"
#include "kernel/spinlock.h"
#include "kernel/vm_tree.h"

/* An allocation takes two nodes at most: one for itself, one for what is left on one side. */
#define NODES_PER_CALL 2

static uintptr_t range_base; /* set by vm_init, read-only after */
static uint64_t range_size;
static struct spinlock lock = SPINLOCK_INIT("vm"); /* everything below */
static struct vm_area *free_tree;
static struct vm_area *used_tree;

static struct vm_area *spare_nodes; /* linked through ->right */
static size_t spare_count;
static uint32_t priority_state = 0x2545f491;
static struct vm_stats stats;

/* xorshift32: treap priorities only need to look random. */
static uint32_t next_priority(void)
{
    uint32_t x = priority_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return priority_state = x;
}

static void put_node(struct vm_area *node)
{
    node->right = spare_nodes;
    spare_nodes = node;
    spare_count++;
}

/* Makes sure NODES_PER_CALL nodes are at hand; false if no frame is left for more. */
static bool reserve_nodes(void)
{
    if (spare_count >= NODES_PER_CALL)
        return true;
    uint64_t frame = pmm_alloc();
    if (frame == PMM_NO_FRAME)
        return false;
    stats.node_frames++;
    struct vm_area *nodes = phys_to_virt(frame);
    for (size_t i = 0; i < PAGE_SIZE / sizeof(*nodes); i++)
        put_node(&nodes[i]);
    return true;
}

static struct vm_area *get_node(uintptr_t base, uint64_t size)
{
    struct vm_area *node = spare_nodes;

    spare_nodes = node->right;
    spare_count--;
    *node = (struct vm_area){.base = base, .size = size, .priority = next_priority()};
    return node;
}

/* Gives [base, base + size) back to the free tree, merged with the free ranges it touches. */
static void release_range(struct vm_area *node, uintptr_t base, uint64_t size)
{
    struct vm_area *before = vm_tree_floor(free_tree, base);
    struct vm_area *after = vm_tree_above(free_tree, base);

    if (before && before->base + before->size == base) {
        vm_tree_remove(&free_tree, before);
        base = before->base;
        size += before->size;
        put_node(before);
    }
    if (after && base + size == after->base) {
        vm_tree_remove(&free_tree, after);
        size += after->size;
        put_node(after);
    }
    *node = (struct vm_area){.base = base, .size = size, .priority = next_priority()};
    vm_tree_insert(&free_tree, node);
}

void vm_init(void)
{
    arch_kernel_dynamic_range(&range_base, &range_size);
    spin_lock_init(&lock, "vm");
    free_tree = used_tree = NULL;
    spare_nodes = NULL;
    spare_count = 0;
    stats = (struct vm_stats){0};
    if (!reserve_nodes())
        panic("vm: no frame left for the dynamic range's bookkeeping");
    vm_tree_insert(&free_tree, get_node(range_base, range_size));
}

/*
 * Takes size + guard bytes aligned to align out of the free tree; NULL if none is left. With the
 * lock held.
 */
static struct vm_area *take_range_locked(uint64_t size, uint64_t align, bool guard,
                                         enum vm_kind kind)
{
    uint64_t total = size + (guard ? PAGE_SIZE : 0);

    if (size == 0 || total < size || !reserve_nodes())
        return NULL;
    struct vm_area *range = vm_tree_first_fit(free_tree, total, align);
    if (range == NULL)
        return NULL;

    uintptr_t start = ALIGN_UP(range->base, (uintptr_t)align);
    uintptr_t range_end = range->base + range->size;
    vm_tree_remove(&free_tree, range);
    /* What is left on either side goes back: the old node serves one side, a new one the other. */
    if (start > range->base && start + total < range_end) {
        vm_tree_insert(&free_tree, get_node(start + total, range_end - start - total));
        range->size = start - range->base;
        vm_tree_insert(&free_tree, range);
    } else if (start > range->base) {
        range->size = start - range->base;
        vm_tree_insert(&free_tree, range);
    } else if (start + total < range_end) {
        range->base = start + total;
        range->size = range_end - range->base;
        vm_tree_insert(&free_tree, range);
    } else {
        put_node(range);
    }

    struct vm_area *area = get_node(start, size);
    area->kind = (uint8_t)kind;
    area->guard = guard;
    vm_tree_insert(&used_tree, area);
    stats.areas++;
    return area;
}

static struct vm_area *take_range(uint64_t size, uint64_t align, bool guard, enum vm_kind kind)
{
    spin_lock(&lock);
    struct vm_area *area = take_range_locked(size, align, guard, kind);
    spin_unlock(&lock);
    return area;
}

/* Its address space back to the free tree: for an area nothing is mapped in (any more). */
static void end_area(struct vm_area *area)
{
    spin_lock(&lock);
    vm_tree_remove(&used_tree, area);
    stats.areas--;
    release_range(area, area->base, area->size + (area->guard ? PAGE_SIZE : 0));
    spin_unlock(&lock);
}

/* Unmaps the first size bytes of a VM_PAGES area and gives their frames back. */
/*
 * A frame goes back only after its page is unmapped on every CPU (arch_kernel_unmap waits for
 * the other CPUs' TLBs): until then another CPU could still reach it through a stale entry while
 * its new owner uses it. So the pages go UNMAP_BATCH at a time: note their frames, unmap, free.
 */
#define UNMAP_BATCH 64

static void unmap_pages(struct vm_area *area, uint64_t size)
{
    uint64_t frames[UNMAP_BATCH];
    uint64_t pages = size / PAGE_SIZE;

    for (uint64_t first = 0; first < pages; first += UNMAP_BATCH) {
        uint64_t batch = pages - first < UNMAP_BATCH ? pages - first : UNMAP_BATCH;
        uintptr_t start = area->base + first * PAGE_SIZE;
        size_t count = 0;
        // cppcheck-suppress knownConditionTrueFalse ; first < pages, so batch is at least 1
        for (uint64_t i = 0; i < batch; i++) {
            if (arch_kernel_translate(start + i * PAGE_SIZE, &frames[count]))
                count++;
        }
        arch_kernel_unmap(start, batch * PAGE_SIZE);
        for (size_t i = 0; i < count; i++)
            pmm_free(frames[i]);
    }
}

void *vm_alloc(size_t pages)
{
    if (pages == 0 || pages > range_size / PAGE_SIZE)
        return NULL;
    uint64_t size = pages * PAGE_SIZE;
    struct vm_area *area = take_range(size, PAGE_SIZE, true, VM_PAGES);
    if (area == NULL)
        return NULL;
    /* Frames for the pages and for every page table they may need, or nothing is done. */
    if (pmm_free_count() < pages + arch_kernel_map_table_frames(area->base, size)) {
        end_area(area);
        return NULL;
    }
    for (uint64_t offset = 0; offset < size; offset += PAGE_SIZE) {
        /* Another CPU may have taken the frames counted above: then undo what was done. */
        uint64_t frame = pmm_alloc();
        if (frame == PMM_NO_FRAME) {
            unmap_pages(area, offset);
            end_area(area);
            return NULL;
        }
        arch_kernel_map(area->base + offset, frame, PAGE_SIZE, KERNEL_MAP_WRITE, MEMORY_WRITE_BACK);
    }
    spin_lock(&lock);
    stats.pages += pages;
    spin_unlock(&lock);
    return (void *)area->base;
}

void *vm_map_phys(uint64_t phys, uint64_t size, enum memory_type type)
{
    uint64_t first = ALIGN_DOWN(phys, PAGE_SIZE);

    if (size == 0 || phys + size < phys || phys + size > UINT64_MAX - PAGE_SIZE)
        return NULL;
    uint64_t length = ALIGN_UP(phys + size, PAGE_SIZE) - first;
    if (length > range_size)
        return NULL;
    struct vm_area *area = take_range(length, PAGE_SIZE, true, VM_DEVICE);
    if (area == NULL)
        return NULL;
    if (pmm_free_count() < arch_kernel_map_table_frames(area->base, length)) {
        end_area(area);
        return NULL;
    }
    arch_kernel_map(area->base, first, length, KERNEL_MAP_WRITE, type);
    return (void *)(area->base + (phys - first));
}

void *vm_reserve(uint64_t size, uint64_t align)
{
    if (align < PAGE_SIZE || (align & (align - 1)) != 0 || size % align != 0)
        return NULL;
    struct vm_area *area = take_range(size, align, false, VM_RESERVE);
    return area ? (void *)area->base : NULL;
}

static struct vm_area *find_locked(uintptr_t addr, bool guard_too)
{
    struct vm_area *area = vm_tree_floor(used_tree, addr);
    uint64_t extent;

    if (area == NULL)
        return NULL;
    extent = area->size + (guard_too && area->guard ? PAGE_SIZE : 0);
    return addr - area->base < extent ? area : NULL;
}

void vm_free(void *addr)
{
    spin_lock(&lock);
    struct vm_area *area = find_locked((uintptr_t)addr, false);
    bool found = area != NULL && (uintptr_t)addr - area->base < PAGE_SIZE;
    /* Out of the used tree first: no other CPU can free it or find it any more. */
    if (found) {
        vm_tree_remove(&used_tree, area);
        stats.areas--;
        if (area->kind == VM_PAGES)
            stats.pages -= area->size / PAGE_SIZE;
    }
    spin_unlock(&lock);
    if (!found)
        panic("vm_free: %p is not the start of a vm allocation", addr);

    // cppcheck-suppress nullPointerRedundantCheck ; panic (noreturn) ruled out NULL above
    if (area->kind == VM_PAGES)
        unmap_pages(area, area->size);
    else if (area->kind == VM_DEVICE)
        arch_kernel_unmap(area->base, area->size);

    spin_lock(&lock);
    release_range(area, area->base, area->size + (area->guard ? PAGE_SIZE : 0));
    spin_unlock(&lock);
}

struct vm_area *vm_find(uintptr_t addr, bool guard_too)
{
    /* A fault report may ask from inside vm's own code on this CPU: it reads the trees as they are.
     */
    bool take = !spin_lock_held(&lock);

    if (take)
        spin_lock(&lock);
    struct vm_area *area = find_locked(addr, guard_too);
    if (take)
        spin_unlock(&lock);
    return area;
}

bool vm_contains(uintptr_t addr)
{
    return addr - range_base < range_size;
}

static void count_free(const struct vm_area *t, struct vm_stats *s)
{
    if (t == NULL)
        return;
    s->free_bytes += t->size;
    s->free_ranges++;
    count_free(t->left, s);
    count_free(t->right, s);
}

struct vm_stats vm_stats(void)
{
    spin_lock(&lock);
    struct vm_stats s = stats;
    count_free(free_tree, &s);
    spin_unlock(&lock);
    return s;
}
