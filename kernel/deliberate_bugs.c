/* Bugs made on purpose in C, for keel.crash=smash and keel.crash=ubsan. */
#include "kernel/deliberate_bugs.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kprintf.h"
#include "kernel/string.h"

/* Called through a volatile pointer, so the compiler cannot know how much it writes, or where. */
static void fill(char *buffer, size_t length)
{
    memset(buffer, 0x5a, length);
}
static void (*volatile fill_unseen)(char *, size_t) = fill;

/*
 * Fills the buffer and everything above it up to the saved frame pointer: the stack protector's
 * canary lies in between (it guards the return address), whatever the compiler's layout, and the
 * saved frame pointer and return address stay intact so that the report's backtrace goes on.
 */
void smash_stack(void)
{
    char buffer[16];
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);

    fill_unseen(buffer, frame - (uintptr_t)buffer);
    kprintf("keel: the buffer now starts with 0x%x\n", (unsigned)(unsigned char)buffer[0]);
}

void undefined_behaviour(void)
{
#ifdef KEEL_UBSAN
    /* volatile: the compiler may not fold the sum, which UBSan would then not see. */
    volatile int largest = INT_MAX;
    int sum = largest + 1;
    kprintf("keel: INT_MAX + 1 gave %d\n", sum);
#else
    kprintf("keel: this kernel has no UBSan checks to report it: build it with make UBSAN=1\n");
#endif
}
