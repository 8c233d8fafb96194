/*
 * The kernel's own function names, for backtraces: a table the build generates from the linked
 * kernel (scripts/symbols2c, see the Makefile) and links into it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/kprintf.h"

struct kernel_symbol {
    uintptr_t address;
    const char *name;
};

/* Sorted by address; generated into build/gen/symbols.c. */
extern const struct kernel_symbol kernel_symbols[];
extern const size_t kernel_symbol_count;

/*
 * The function containing addr in symbols[0..count) (sorted), with addr's offset into it, or
 * NULL when addr lies before the first one or at or after end (one past the last function).
 */
const char *symbol_find(const struct kernel_symbol *symbols, size_t count, uintptr_t end,
                        uintptr_t addr, uintptr_t *offset);

/* symbol_find() in the kernel's own table, for an address in .text. */
const char *symbol_lookup(uintptr_t addr, uintptr_t *offset);

/*
 * Into buf: "function+0xNN" for a return address (named by the call just before it, so a call
 * that is a function's last instruction is not put in the next one), or the bare address.
 */
static inline void symbol_describe_caller(char *buf, size_t size, uintptr_t caller)
{
    uintptr_t offset;
    const char *name = caller ? symbol_lookup(caller - 1, &offset) : NULL;

    if (name)
        ksnprintf(buf, size, "%s+0x%llx", name, (unsigned long long)(offset + 1));
    else
        ksnprintf(buf, size, "0x%llx", (unsigned long long)caller);
}
