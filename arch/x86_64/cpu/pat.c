/* IA32_PAT, with write-combining in entry 1 (Intel SDM Vol. 3A 11.12). */
#include "arch/x86_64/cpu/pat.h"

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/cpu_features.h"
#include "arch/x86_64/mm/mmu.h"

/* SDM Vol. 3A 11.12.2, table 11-10: the memory type encodings. */
#define PAT_UC       0x00ULL
#define PAT_WC       0x01ULL
#define PAT_WT       0x04ULL
#define PAT_WB       0x06ULL
#define PAT_UC_MINUS 0x07ULL

#define PAT_ENTRY(index, type) ((type) << (8 * (index)))

/*
 * Entry 1 (PWT alone) becomes WC; every other entry keeps its power-on type (SDM Vol. 3A
 * 11.12.4): 0 WB, 2 UC-, 3 UC, and 4 to 7 (the PAT bit set, which keel never uses) as 0 to 3.
 */
#define KEEL_PAT                                                                                   \
    (PAT_ENTRY(0, PAT_WB) | PAT_ENTRY(1, PAT_WC) | PAT_ENTRY(2, PAT_UC_MINUS) |                    \
     PAT_ENTRY(3, PAT_UC) | PAT_ENTRY(4, PAT_WB) | PAT_ENTRY(5, PAT_WT) |                          \
     PAT_ENTRY(6, PAT_UC_MINUS) | PAT_ENTRY(7, PAT_UC))

/* CR0.CD (bit 30) and CR0.NW (bit 29): SDM Vol. 3A 11.5.1, table 11-5. */
#define CR0_CACHE_DISABLE     (1ULL << 30)
#define CR0_NOT_WRITE_THROUGH (1ULL << 29)

static bool done;

void pat_init(void)
{
    if (done)
        return;
    done = true;
    pat_load();
}

void pat_load(void)
{
    if (!cpu_has_pat())
        return;

    /*
     * SDM Vol. 3A 11.12.4 asks for the procedure of 11.11.8 (changing MTRRs), so that no cache
     * line or TLB entry keeps a type from before: caches to no-fill mode (CD=1, NW=0) and
     * flushed, TLBs flushed, the MSR written, caches and TLBs flushed again, caches back on.
     * Interrupts are off this early in the boot. keel marks no page global, so reloading CR3
     * flushes every TLB entry.
     */
    uint64_t cr0 = cpu_read_cr0();
    cpu_write_cr0((cr0 | CR0_CACHE_DISABLE) & ~CR0_NOT_WRITE_THROUGH);
    __asm__ volatile("wbinvd" ::: "memory");
    mmu_load_root(cpu_read_cr3());
    cpu_write_msr(MSR_IA32_PAT, KEEL_PAT);
    __asm__ volatile("wbinvd" ::: "memory");
    mmu_load_root(cpu_read_cr3());
    cpu_write_cr0(cr0 & ~(CR0_CACHE_DISABLE | CR0_NOT_WRITE_THROUGH));
}
