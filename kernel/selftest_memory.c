/*
 * The frames a self-test holds back, chained through their own first words (reached through the
 * physical memory window), so holding a million of them needs no memory of its own.
 */
#include "kernel/selftest_memory.h"

#include <stdint.h>

#include "kernel/phys.h"
#include "kernel/pmm.h"

static uint64_t held = PMM_NO_FRAME;

size_t selftest_hold_frames(size_t keep)
{
    size_t taken = 0;

    while (pmm_free_count() > keep) {
        uint64_t frame = pmm_alloc();
        *(uint64_t *)phys_to_virt(frame) = held;
        held = frame;
        taken++;
    }
    return taken;
}

void selftest_release_frames(void)
{
    while (held != PMM_NO_FRAME) {
        uint64_t next = *(uint64_t *)phys_to_virt(held);
        pmm_free(held);
        held = next;
    }
}
