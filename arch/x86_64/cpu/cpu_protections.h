/*
 * The CPU's protections of the kernel against its own mistakes with user memory (Intel SDM
 * Vol. 3A 2.5, 4.6): SMEP, SMAP and UMIP, turned on at boot when the CPU has them. keel has no
 * user pages yet; the rules are in force before there are any.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "kernel/compiler.h"

/* Intel SDM Vol. 3A 2.5: CR4 bits. */
#define CR4_UMIP (1ULL << 11) /* SGDT, SIDT, SLDT, SMSW, STR fault in user mode */
#define CR4_SMEP (1ULL << 20) /* the kernel cannot run code in user pages */
#define CR4_SMAP (1ULL << 21) /* the kernel cannot touch user pages, unless EFLAGS.AC is set */

/* Finds which the CPU has and sets their CR4 bits: once, during arch_cpu_init. */
void cpu_protections_init(void);
/* Sets the same CR4 bits on this CPU, an AP: every CPU is protected alike. */
void cpu_protections_load(void);

/* Which are on, for the boot facts: "SMEP on, SMAP on, UMIP off" (off: not in this CPU). */
void cpu_protections_describe(char *text, size_t size);

/* Which were turned on. */
struct cpu_protections {
    bool smep, smap, umip;
};
extern struct cpu_protections cpu_protections;

/*
 * Brackets each deliberate access to user memory (the copies to and from user programs, once
 * there are some): with SMAP on, user pages are open to the kernel between the two, and only
 * there. STAC and CLAC exist only on CPUs with SMAP (elsewhere they are #UD), hence the check.
 */
static inline void user_access_begin(void)
{
    if (cpu_protections.smap)
        __asm__ volatile("stac" ::: "memory");
}

static inline void user_access_end(void)
{
    if (cpu_protections.smap)
        __asm__ volatile("clac" ::: "memory");
}
