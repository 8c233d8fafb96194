/* The kernel's symbol table in host tests that need none: no address has a name. */
#include "kernel/symbols.h"

const char *symbol_lookup(uintptr_t addr, uintptr_t *offset)
{
    (void)addr, (void)offset;
    return NULL;
}
