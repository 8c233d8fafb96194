/* In-kernel tests of kernel virtual memory on the real page tables and the real frame allocator. */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"
#include "kernel/selftest.h"
#include "kernel/selftest_memory.h"
#include "kernel/vm.h"

static void write_byte(void *addr)
{
    *(volatile uint8_t *)addr = 0x5a;
}

/* Every page reads back what was written; the page after the last one is the guard. */
SELFTEST(vm_alloc_maps_pages_and_a_guard)
{
    size_t free_before = pmm_free_count();
    uint8_t *pages = vm_alloc(3);
    struct fault_info fault;

    SELFTEST_ASSERT(pages != NULL);
    SELFTEST_ASSERT(vm_contains((uintptr_t)pages));
    SELFTEST_ASSERT((uintptr_t)pages % PAGE_SIZE == 0);
    for (size_t i = 0; i < 3 * PAGE_SIZE; i += 512)
        pages[i] = (uint8_t)(i >> 9);
    for (size_t i = 0; i < 3 * PAGE_SIZE; i += 512)
        SELFTEST_ASSERT_EQ(pages[i], (uint8_t)(i >> 9));
    SELFTEST_ASSERT(pmm_free_count() <= free_before - 3);
    bool faulted = selftest_catch_fault(write_byte, pages + 3 * PAGE_SIZE, &fault);
    vm_free(pages);
    SELFTEST_ASSERT(faulted);
    SELFTEST_ASSERT_EQ(fault.address, (uintptr_t)(pages + 3 * PAGE_SIZE));
}

/* vm_free gives the frames back and unmaps (and flushes) the pages: a later use faults. */
SELFTEST(vm_free_unmaps_and_returns_frames)
{
    uint8_t *warm = vm_alloc(2); /* page tables for this part of the range exist from here */
    SELFTEST_ASSERT(warm != NULL);
    vm_free(warm);

    size_t free_before = pmm_free_count();
    uint8_t *pages = vm_alloc(2);
    struct fault_info fault;
    SELFTEST_ASSERT(pages != NULL);
    pages[0] = 1; /* in the TLB now */
    SELFTEST_ASSERT_EQ(pmm_free_count(), free_before - 2);
    vm_free(pages);
    SELFTEST_ASSERT_EQ(pmm_free_count(), free_before);
    SELFTEST_ASSERT(selftest_catch_fault(write_byte, pages, &fault));
    SELFTEST_ASSERT_EQ(fault.address, (uintptr_t)pages);
}

/* Device memory: the mapping shows the physical page, at the same offset, with no frame taken. */
SELFTEST(vm_map_phys_shows_physical_memory)
{
    uint64_t frame = pmm_alloc();
    SELFTEST_ASSERT(frame != PMM_NO_FRAME);
    volatile uint32_t *direct = (volatile uint32_t *)((uintptr_t)phys_to_virt(frame) + 0x124);
    *direct = 0x6b65656c;

    size_t free_before = pmm_free_count();
    volatile uint32_t *mapped = vm_map_phys(frame + 0x124, 8, MEMORY_UNCACHED);
    uint64_t phys = 0;
    bool translated = mapped && arch_kernel_translate((uintptr_t)mapped, &phys);
    uint32_t seen = mapped ? *mapped : 0;
    size_t free_mapped = pmm_free_count();
    if (mapped)
        vm_free((void *)mapped);
    pmm_free(frame);
    SELFTEST_ASSERT(mapped != NULL);
    SELFTEST_ASSERT((uintptr_t)mapped % PAGE_SIZE == 0x124);
    SELFTEST_ASSERT(translated);
    SELFTEST_ASSERT_EQ(phys, frame + 0x124);
    SELFTEST_ASSERT_EQ(seen, 0x6b65656c);
    SELFTEST_ASSERT(free_mapped + 4 >= free_before); /* page tables at most */
    SELFTEST_ASSERT(vm_map_phys(frame, 0, MEMORY_UNCACHED) == NULL);
    SELFTEST_ASSERT(vm_map_phys(UINT64_MAX - 16, 32, MEMORY_UNCACHED) == NULL);
}

/*
 * Takes every frame there is in allocations of `pages` pages, then of one page, chained through
 * their first words; gives them all back. Returns how many frames were left at the fullest.
 */
static size_t exhaust_and_free(size_t pages)
{
    void **chain = NULL;
    size_t left;

    for (size_t n = pages; n >= 1; n /= 16) {
        void **block;
        while ((block = vm_alloc(n)) != NULL) {
            *block = chain;
            chain = block;
        }
    }
    left = pmm_free_count();
    while (chain) {
        void **next = *chain;
        vm_free(chain);
        chain = next;
    }
    return left;
}

/* On a large machine, all but this many frames (64 MiB) sit out the exhaustion tests. */
#define EXHAUST_FRAMES (64 * 256)

/*
 * Memory runs out as NULL, not a panic, with nearly every frame in use; everything freed comes
 * back. The first round leaves the page tables and vm's bookkeeping it needed (both are kept for
 * reuse); a second round must end exactly where the first did.
 */
SELFTEST(vm_exhausts_memory_and_gives_it_all_back)
{
    size_t total_before = pmm_free_count();
    selftest_hold_frames(EXHAUST_FRAMES);
    size_t before = pmm_free_count();
    size_t left = exhaust_and_free(4096);
    size_t after_first = pmm_free_count();
    size_t left_again = exhaust_and_free(4096);
    size_t after_second = pmm_free_count();
    selftest_release_frames();
    size_t total_after = pmm_free_count();

    SELFTEST_ASSERT(left < 64);
    SELFTEST_ASSERT(left_again < 64);
    SELFTEST_ASSERT_EQ(after_second, after_first);
    /* Kept: about one page table per 2 MiB of RAM, and a frame of nodes per 64 allocations. */
    SELFTEST_ASSERT(before - after_first <= before / 256 + 16);
    SELFTEST_ASSERT_EQ(total_after, total_before - (before - after_first));
}
