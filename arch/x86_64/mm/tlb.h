/*
 * TLB shootdown (tlb.c). Each CPU caches translations in a TLB of its own, and a change to the
 * shared page tables reaches it only when that CPU invalidates them (Intel SDM vol. 3A, 4.10.5):
 * a mapping removed or made stricter must be flushed on every CPU that may have used it.
 */
#pragma once

#include <stdint.h>

/*
 * Flushes [virt, virt + size) from the TLB of every other online CPU and returns once each has
 * (kernel/smp_call.h: no spinlock another CPU may wait for is to be held meanwhile). The caller
 * has flushed its own.
 */
void tlb_shootdown(uint64_t virt, uint64_t size);
