/*
 * The portable keel.crash= kinds: heap misuse, each of which the heap must catch and report by
 * name. The bad accesses are inline assembly: in C they would be undefined behaviour, which the
 * compiler may turn into something else.
 */
#include "kernel/crash.h"

#include <stddef.h>

#include "kernel/compiler.h"
#include "kernel/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/phys.h"
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

static const struct crash_kind kinds[] = {
    {"double-free", double_free, "a block freed twice"},
    {"heap-overflow", heap_overflow, "a write just past the end of an 8 KiB block"},
    {"use-after-free", use_after_free, "a write into a freed block, then an allocation"},
};

const struct crash_kind *crash_portable_kind(const char *name)
{
    for (size_t i = 0; name && i < ARRAY_SIZE(kinds); i++)
        if (strcmp(name, kinds[i].name) == 0)
            return &kinds[i];
    return NULL;
}
