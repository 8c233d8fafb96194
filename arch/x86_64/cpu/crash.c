/*
 * keel.crash=<kind>: deliberately break the kernel once it has booted, to see (and test) how each
 * kind of mistake is reported. Like Linux's LKDTM. The faults are written in assembly: in C most
 * of them would be undefined behaviour, which the compiler may turn into something else. The two
 * that only compiler instrumentation catches (smash, ubsan) are in kernel/deliberate_bugs.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/cpu/gdt.h"
#include "arch/x86_64/cpu/stack.h"
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/crash.h"
#include "kernel/deliberate_bugs.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"

static void divide_by_zero(void)
{
    __asm__ volatile("xorl %%ecx, %%ecx\n\t"
                     "divl %%ecx" ::
                         : "rax", "rcx", "rdx");
}

static void invalid_opcode(void)
{
    __asm__ volatile("ud2");
}

/* Bits 63..47 of an address must all be equal; an access to any other address is a #GP. */
static void non_canonical_access(void)
{
    __asm__ volatile("movabsq $0x8000000000000000, %%rax\n\t"
                     "movq (%%rax), %%rax" ::
                         : "rax", "memory");
}

static void null_dereference(void)
{
    __asm__ volatile("xorl %%eax, %%eax\n\t"
                     "movq (%%rax), %%rax" ::
                         : "rax", "memory");
}

/*
 * Each call takes a frame of the stack until it runs into its guard page. Called through a
 * volatile pointer, so that the compiler cannot see the recursion (and turn it into a loop).
 */
static void recurse(unsigned depth);
static void (*volatile recurse_again)(unsigned) = recurse;

static void recurse(unsigned depth)
{
    volatile char frame[256];

    frame[0] = (char)depth;
    recurse_again(depth + 1);
    frame[1] = frame[0]; /* work after the call: no tail call either */
}

static void stack_overflow(void)
{
    recurse(0);
}

/*
 * A fault while the CPU delivers another one is a double fault. With the stack pointer at an
 * unmapped address, the push of the page fault's own frame faults again.
 */
static void double_fault(void)
{
    __asm__ volatile("movq $0x1000, %%rsp\n\t"
                     "pushq $0" ::
                         : "memory");
}

/*
 * An exception stack that overflows runs into its guard page too. The stack pointer moves to the
 * bottom of the NMI's stack, as if a handler had used it all, and a push goes below it; the
 * fault's own frame cannot be pushed there either, so it is a double fault, on its own stack.
 */
static void exception_stack_overflow(void)
{
    uintptr_t bottom = stack_guard_page(IST_NMI) + STACK_GUARD_SIZE;

    __asm__ volatile("movq %%rsp, %%rdx\n\t"
                     "movq %0, %%rsp\n\t"
                     "pushq $0\n\t"
                     "movq %%rdx, %%rsp" ::"r"(bottom)
                     : "rdx", "memory");
}

static void breakpoint(void)
{
    __asm__ volatile("int3");
}

/*
 * A fault in a leaf function (one that calls nothing), which compilers like to build without a
 * frame of its own; the report's backtrace must still name its caller. The read is in assembly so
 * that the null pointer is not undefined behaviour the compiler could see.
 */
static __attribute__((noinline)) uint64_t leaf_read(const uint64_t *address)
{
    uint64_t value;

    __asm__ volatile("movq (%1), %0" : "=r"(value) : "r"(address) : "memory");
    return value;
}

static const uint64_t *volatile leaf_address = NULL;

static void leaf_caller(void)
{
    uint64_t value = leaf_read(leaf_address);

    kprintf("keel: read 0x%llx through a null pointer\n", (unsigned long long)value);
}

static void deliberate_panic(void)
{
    panic("keel.crash=panic: a deliberate panic");
}

static const struct crash_kind kinds[] = {
    {"de", divide_by_zero, "divide by zero"},
    {"ud", invalid_opcode, "an invalid instruction (ud2)"},
    {"gp", non_canonical_access, "a read from a non-canonical address"},
    {"pf", null_dereference, "a read through a null pointer"},
    {"stack", stack_overflow, "unbounded recursion into the stack's guard page"},
    {"df", double_fault, "a page fault with the stack pointer on unmapped memory"},
    {"ist", exception_stack_overflow, "a push below the NMI's stack, into its guard page"},
    {"bp", breakpoint, "a breakpoint instruction (int3)"},
    {"leaf", leaf_caller, "a null pointer read in a leaf function"},
    {"panic", deliberate_panic, "a call to panic()"},
    {"smash", smash_stack, "a write past the end of a local buffer, over the stack canary"},
    {"ubsan", undefined_behaviour, "a signed integer overflow, for the UBSan build to report"},
};

static const struct crash_kind *requested __ro_after_init;

const struct crash_kind *arch_crash_kinds(size_t *count)
{
    *count = ARRAY_SIZE(kinds);
    return kinds;
}

static bool set_crash(const char *value)
{
    requested = crash_find_kind(value);
    return requested != NULL;
}
CMDLINE_OPTION(crash, set_crash,
               "takes de, ud, gp, pf, stack, df, ist, bp, leaf, panic, smash, ubsan, double-free, "
               "heap-overflow, use-after-free, ap-panic or ap-fault");

void arch_crash_if_requested(void)
{
    if (!requested)
        return;
    kprintf("keel: keel.crash=%s: %s\n", requested->name, requested->what);
    requested->crash();
    kprintf("keel: keel.crash=%s did not crash\n", requested->name);
}
