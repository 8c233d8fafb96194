/* arch_timestamp(): the time-stamp counter, for keel.timing. */
#include <stdint.h>

#include "kernel/arch.h"

/*
 * RDTSC exists on every x86_64 CPU. Since about 2008 the counter runs at a constant rate
 * whatever the core's clock ("invariant TSC", Intel SDM vol. 3B, 18.17). LFENCE first, so that
 * the instructions before it have finished when the counter is read (SDM vol. 2B, RDTSC).
 */
uint64_t arch_timestamp(void)
{
    uint32_t low, high;

    __asm__ volatile("lfence\n\trdtsc" : "=a"(low), "=d"(high));
    return (uint64_t)high << 32 | low;
}
