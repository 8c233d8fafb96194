/*
 * Unpredictable numbers at boot, for the stack protector's canary: the CPU's own generator when it
 * has one, else the time-stamp counter, which on a real PC has counted for a varying while by the
 * time keel starts (firmware, the boot menu, disk reads).
 */
#include <stdint.h>

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/cpu_features.h"
#include "kernel/arch.h"

/*
 * Intel's DRNG software implementation guide, 5.2.1: RDRAND can fail (CF = 0) only when the
 * generator is drained for a moment, and 10 tries in a row failing means a broken CPU. RDSEED
 * fails more often under load (5.3.1): the same 10 tries, with a PAUSE in between, then RDRAND.
 */
#define RANDOM_TRIES 10

static bool rdseed(uint64_t *value)
{
    bool ok;

    __asm__ volatile("rdseed %0" : "=r"(*value), "=@ccc"(ok));
    return ok;
}

static bool rdrand(uint64_t *value)
{
    bool ok;

    __asm__ volatile("rdrand %0" : "=r"(*value), "=@ccc"(ok));
    return ok;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* The splitmix64 finaliser: every input bit affects every output bit. */
static uint64_t mix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t arch_boot_random(uint64_t boot_entropy, const char **source)
{
    uint64_t value;

    if (cpu_has_rdseed()) {
        for (int i = 0; i < RANDOM_TRIES; i++) {
            if (rdseed(&value)) {
                *source = "RDSEED";
                return value;
            }
            __asm__ volatile("pause");
        }
    }
    if (cpu_has_rdrand()) {
        for (int i = 0; i < RANDOM_TRIES; i++) {
            if (rdrand(&value)) {
                *source = "RDRAND";
                return value;
            }
        }
    }
    /* CPUID between the two reads: its run time varies, and so do the low bits of the second. */
    uint64_t first = rdtsc();
    (void)cpuid(0);
    *source = "TSC";
    return mix64(mix64(first ^ boot_entropy) ^ rdtsc());
}
