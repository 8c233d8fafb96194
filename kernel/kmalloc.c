/*
 * The heap's entry points: kmalloc and friends choose between the small blocks (each CPU's own
 * in kernel/kmalloc_cpu.c, in front of the slabs in kernel/kmalloc_slab.c) and the large ones
 * (kernel/kmalloc_large.c), and the debug checks (kernel/kmalloc_debug.c) are switched here.
 */
#include "kernel/kmalloc.h"

#include "kernel/kmalloc_internal.h"
#include "kernel/string.h"

bool heap_debug_on;
struct spinlock heap_lock = SPINLOCK_INIT("heap");

void heap_init(void)
{
    spin_lock_init(&heap_lock, "heap");
    heap_debug_on = false;
    heap_forget_released();
    heap_slab_init();
    heap_cpu_init();
    heap_large_init();
}

static bool is_power_of_two(uint64_t n)
{
    return (n & (n - 1)) == 0;
}

static void *allocate(size_t size, uintptr_t caller)
{
    size_t need = size == 0 ? 1 : size;

    if (heap_debug_on) {
        need = need <= KMALLOC_SMALL_MAX - HEAP_DEBUG_EXTRA ? need + HEAP_DEBUG_EXTRA : SIZE_MAX;
        /* A power of two keeps its natural alignment: a power-of-two class, redzone and all. */
        if (need <= KMALLOC_SMALL_MAX && is_power_of_two(size))
            need = (size_t)1 << (64 - __builtin_clzll(need - 1));
    }
    if (need <= KMALLOC_SMALL_MAX)
        return heap_small_alloc(need, size, caller);
    return heap_large_alloc(size, caller);
}

static void release(void *ptr, uintptr_t caller)
{
    if (ptr == NULL)
        return;
    if (!heap_small_free(ptr, caller) && !heap_large_free(ptr, caller))
        heap_misuse(HEAP_INVALID_FREE, ptr, caller, 0, "it is not in the heap at all");
}

void *kmalloc(size_t size)
{
    return allocate(size, (uintptr_t)__builtin_return_address(0));
}

void kfree(void *ptr)
{
    release(ptr, (uintptr_t)__builtin_return_address(0));
}

void *kcalloc(size_t count, size_t size)
{
    size_t bytes;

    if (__builtin_mul_overflow(count, size, &bytes))
        return NULL;
    void *block = allocate(bytes, (uintptr_t)__builtin_return_address(0));
    if (block)
        memset(block, 0, bytes);
    return block;
}

void *krealloc(void *ptr, size_t size)
{
    uintptr_t caller = (uintptr_t)__builtin_return_address(0);
    size_t old;
    bool in_place = false;

    if (size == 0) {
        release(ptr, caller);
        return NULL;
    }
    if (ptr == NULL)
        return allocate(size, caller);
    if (!heap_small_block(ptr, size, caller, &old, &in_place))
        old = heap_large_size(ptr, caller);
    if (in_place)
        return ptr;
    void *block = allocate(size, caller);
    if (block == NULL)
        return NULL;
    memcpy(block, ptr, old < size ? old : size);
    release(ptr, caller);
    return block;
}

bool heap_set_debug(bool on)
{
    if (on == heap_debug_on)
        return true;
    /* Free blocks have the old layout: this CPU's go back; another CPU's stop the switch. */
    heap_cpu_flush();
    spin_lock(&heap_lock);
    bool idle = !heap_small_live() && !heap_small_cached() && !heap_large_live();
    spin_unlock(&heap_lock);
    if (!idle)
        return false;
    /* Empty slabs hold blocks without poison and large blocks wait mapped: let them all go. */
    heap_trim();
    heap_debug_on = on;
    return true;
}

bool heap_debug(void)
{
    return heap_debug_on;
}

void heap_trim(void)
{
    heap_cpu_flush();
    spin_lock(&heap_lock);
    void *slabs = heap_slab_trim();
    void *large = heap_large_trim();
    spin_unlock(&heap_lock);
    /* Unmapping waits for the other CPUs' TLBs: never under the lock they may spin on. */
    heap_slab_release(slabs);
    heap_large_release(large);
}

struct heap_stats heap_stats(void)
{
    struct heap_stats stats = {0};

    spin_lock(&heap_lock);
    heap_small_stats(&stats);
    heap_large_stats(&stats);
    spin_unlock(&heap_lock);
    return stats;
}
