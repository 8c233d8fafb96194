/* TLB shootdown (tlb.h): an smp_call to every other CPU, each of which flushes the range. */
#include "arch/x86_64/mm/tlb.h"

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/mm/mmu.h"
#include "kernel/phys.h"
#include "kernel/smp_call.h"

/* Past this many pages one reload of CR3 is cheaper than an invlpg for each. */
#define TLB_FLUSH_MAX_PAGES 64

struct tlb_range {
    uint64_t virt;
    uint64_t size;
};

/* CR4.PGE stays off (boot/entry32.asm): no translation is global, a CR3 reload drops them all. */
static void flush_range(void *arg)
{
    const struct tlb_range *range = arg;

    if (range->size / PAGE_SIZE > TLB_FLUSH_MAX_PAGES) {
        mmu_load_root(cpu_read_cr3());
        return;
    }
    for (uint64_t offset = 0; offset < range->size; offset += PAGE_SIZE)
        mmu_invalidate_page(range->virt + offset);
}

void tlb_shootdown(uint64_t virt, uint64_t size)
{
    struct tlb_range range = {.virt = virt, .size = size};

    smp_call_others(flush_range, &range);
}
