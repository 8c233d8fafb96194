/* Turning a code address into "function+offset" with the kernel's generated symbol table. */
#include "kernel/symbols.h"

/* linker/kernel.ld */
extern const char __text_start[], __text_end[];

const char *symbol_find(const struct kernel_symbol *symbols, size_t count, uintptr_t end,
                        uintptr_t addr, uintptr_t *offset)
{
    if (count == 0 || addr < symbols[0].address || addr >= end)
        return NULL;

    /* Binary search for the last symbol at or below addr. */
    size_t low = 0, high = count; /* symbols[low].address <= addr < symbols[high].address */
    while (high - low > 1) {
        size_t middle = low + (high - low) / 2;
        if (symbols[middle].address <= addr)
            low = middle;
        else
            high = middle;
    }
    *offset = addr - symbols[low].address;
    return symbols[low].name;
}

const char *symbol_lookup(uintptr_t addr, uintptr_t *offset)
{
    if (addr < (uintptr_t)__text_start)
        return NULL;
    return symbol_find(kernel_symbols, kernel_symbol_count, (uintptr_t)__text_end, addr, offset);
}
