/* The stack protector's canary, and the report when a function finds its canary overwritten. */
#include "kernel/stack_protector.h"

#include "kernel/arch.h"
#include "kernel/panic.h"
#include "kernel/symbols.h"

/*
 * The canary, read by every protected function (-mstack-protector-guard=global: by name, rather
 * than at %fs:0x28, where GCC's Linux ABI keeps it and keel has no thread block). Nothing may
 * change it once set, so it becomes read-only with the rest of the boot data.
 */
uintptr_t __stack_chk_guard __ro_after_init;

static const char *canary_source __ro_after_init;

void stack_protector_init(uint64_t boot_entropy)
{
    uint64_t canary = arch_boot_random(boot_entropy, &canary_source);

    /*
     * A zero low byte, the first in memory: an overrun by a string copy stops at the NUL before
     * it could write the canary back, and a read that runs on prints no canary bytes.
     */
    __stack_chk_guard = (uintptr_t)(canary & ~0xffULL);
}

const char *stack_protector_source(void)
{
    return canary_source;
}

void __stack_chk_fail(void)
{
    /* The call to here is the last thing the function that found its canary changed did. */
    uintptr_t caller = (uintptr_t)__builtin_return_address(0) - 1;
    uintptr_t offset = 0;
    const char *name = symbol_lookup(caller, &offset);

    panic("stack smashing detected in %s+0x%llx (%p): a local variable was written past its end",
          name ? name : "?", (unsigned long long)offset + 1, (void *)(caller + 1));
}
