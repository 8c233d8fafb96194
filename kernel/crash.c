/*
 * The portable keel.crash= kinds: heap misuse, each of which the heap must catch and report by
 * name, and panics on other CPUs, which must stop every CPU and give one report. The bad accesses
 * are inline assembly: in C they would be undefined behaviour, which the compiler may turn into
 * something else.
 */
#include "kernel/crash.h"

#include <stddef.h>

#include "kernel/arch.h"
#include "kernel/compiler.h"
#include "kernel/cpu.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/phys.h"
#include "kernel/smp_call.h"
#include "kernel/string.h"

#define OVERFLOW_SIZE (2 * PAGE_SIZE) /* a large block: its overflow meets the guard page */

static void *must_allocate(size_t size)
{
    void *block = kmalloc(size);
    if (block == NULL)
        panic("keel.crash: kmalloc(%zu) failed", size);
    return block;
}

/* Misuse on purpose, which the static analyzer rightly sees (kfree is its free). */
// NOLINTBEGIN(clang-analyzer-unix.Malloc)
static void double_free(void)
{
    void *block = must_allocate(64);

    kfree(block);
    kfree(block);
    __asm__ volatile(""); /* no tail call: the report names this function as the caller */
}

/* Writes the byte just past a large block, which is the guard page after it. */
static void heap_overflow(void)
{
    char *block = must_allocate(OVERFLOW_SIZE);

    __asm__ volatile("movb $0x41, (%0)" : : "r"(block + OVERFLOW_SIZE) : "memory");
}

/* A write through a stale pointer into a freed block, which the next allocation finds. */
static void use_after_free(void)
{
    char *block = must_allocate(64);

    kfree(block);
    __asm__ volatile("movq $0x41414141, (%0)" : : "r"(block) : "memory");
    kfree(must_allocate(64));
    __asm__ volatile("");
}

// NOLINTEND(clang-analyzer-unix.Malloc)

static bool other_cpu_online(const char *kind)
{
    if (cpus_online() > 1)
        return true;
    kprintf("keel: keel.crash=%s needs a second CPU, and only this one is online\n", kind);
    return false;
}

static void panic_here(void *unused)
{
    (void)unused;
    panic("keel.crash=ap-panic: a deliberate panic on an AP");
}

/* Every AP at once: the first to panic reports, the others stop with the boot CPU. */
static void ap_panic(void)
{
    if (other_cpu_online("ap-panic"))
        smp_call_others(panic_here, NULL);
}

static void read_null(void *unused)
{
    (void)unused;
    __asm__ volatile("xorl %%eax, %%eax\n\t"
                     "movq (%%rax), %%rax" ::
                         : "rax", "memory");
}

/* An exception on the last CPU online, an AP, while the boot CPU waits for it. */
static void ap_fault(void)
{
    unsigned last = 0;

    if (!other_cpu_online("ap-fault"))
        return;
    for (unsigned i = 0; i < cpu_count(); i++)
        if (__atomic_load_n(&cpu_get(i)->online, __ATOMIC_ACQUIRE))
            last = i;
    smp_call(last, read_null, NULL);
}

static const struct crash_kind kinds[] = {
    {"double-free", double_free, "a block freed twice"},
    {"heap-overflow", heap_overflow, "a write just past the end of an 8 KiB block"},
    {"use-after-free", use_after_free, "a write into a freed block, then an allocation"},
    {"ap-panic", ap_panic, "a call to panic() on every AP at once"},
    {"ap-fault", ap_fault, "a read through a null pointer on the last CPU"},
};

const struct crash_kind *crash_portable_kinds(size_t *count)
{
    *count = ARRAY_SIZE(kinds);
    return kinds;
}

static const struct crash_kind *find_in(const struct crash_kind *table, size_t count,
                                        const char *name)
{
    for (size_t i = 0; name && i < count; i++)
        if (strcmp(name, table[i].name) == 0)
            return &table[i];
    return NULL;
}

const struct crash_kind *crash_find_kind(const char *name)
{
    size_t count;
    const struct crash_kind *arch = arch_crash_kinds(&count);
    const struct crash_kind *found = find_in(arch, count, name);

    return found ? found : find_in(kinds, ARRAY_SIZE(kinds), name);
}

/* Prints ", name" (" or name" for the last), on a new line if it would reach column 80. */
static size_t print_kind(size_t column, size_t index, size_t count, const char *name)
{
    const char *separator = index == 0 ? "" : index + 1 == count ? " or " : ", ";

    if (column + strlen(separator) + strlen(name) >= 80) {
        kprintf("%s\n  ", index + 1 == count ? " or" : ",");
        column = 2;
    } else {
        kprintf("%s", separator);
        column += strlen(separator);
    }
    kprintf("%s", name);
    return column + strlen(name);
}

/* The arch's kinds, then the portable ones: the order of keel.crash='s help text. */
void crash_print_kinds(size_t column)
{
    size_t arch_count;
    const struct crash_kind *arch = arch_crash_kinds(&arch_count);
    size_t count = arch_count + ARRAY_SIZE(kinds);

    for (size_t i = 0; i < count; i++)
        column = print_kind(column, i, count,
                            i < arch_count ? arch[i].name : kinds[i - arch_count].name);
    kprintf("\n");
}
