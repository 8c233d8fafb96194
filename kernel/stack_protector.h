/*
 * The stack protector's runtime (-fstack-protector-strong, see the Makefile): functions with
 * arrays or address-taken locals put a canary between those and their return address, and check
 * it on the way out; a changed canary means something wrote past a local's end.
 */
#pragma once

#include <stdint.h>
#include <stdnoreturn.h>

#include "kernel/compiler.h"

/*
 * Chooses this boot's canary (kernel/arch.h arch_boot_random, with boot_entropy mixed in when
 * the CPU has no random number generator). Called once, first thing in kmain: every function
 * that is running at that moment must be built without the protector (__no_stack_protector).
 */
void stack_protector_init(uint64_t boot_entropy) __no_stack_protector;

/* Where this boot's canary came from: "RDSEED", "RDRAND" or "TSC" (for the boot facts). */
const char *stack_protector_source(void);

/* Called by a protected function that found its canary changed: reports it and panics. */
noreturn void __stack_chk_fail(void) __no_stack_protector;
