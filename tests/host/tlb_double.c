/* The host tests' tlb_shootdown: a test process is one CPU, so there is no other TLB to flush. */
#include "arch/x86_64/mm/tlb.h"

void tlb_shootdown(uint64_t virt, uint64_t size)
{
    (void)virt, (void)size;
}
