/*
 * Walking the frame-pointer chain. With frame pointers each function starts with
 * "push rbp; mov rbp, rsp", so [rbp] holds the caller's rbp and [rbp + 8] the return address into
 * the caller (System V AMD64 ABI 3.2.2); boot/entry64.asm starts the chain with rbp = 0.
 */
#include "kernel/backtrace.h"

#include <stdbool.h>

#include "kernel/arch.h"
#include "kernel/kprintf.h"
#include "kernel/symbols.h"

static void print_frame(uintptr_t address, bool return_address)
{
    uintptr_t offset;
    /*
     * A return address follows the call; if the call was the function's last instruction (a call
     * to a noreturn function), it already points at the next function. Look up the call itself.
     */
    const char *name = symbol_lookup(return_address ? address - 1 : address, &offset);

    if (name)
        kprintf("  %016llx  %s+0x%llx\n", (unsigned long long)address, name,
                (unsigned long long)(return_address ? offset + 1 : offset));
    else
        kprintf("  %016llx  ?\n", (unsigned long long)address);
}

void backtrace_print(uintptr_t pc, uintptr_t fp)
{
    uintptr_t low, high;
    int frames = 0;

    kprintf(" backtrace:\n");
    if (pc) {
        print_frame(pc, false);
        frames++;
    }
    if (fp == 0)
        return;
    if (!arch_stack_bounds(fp, &low, &high)) {
        kprintf("  (frame pointer %016llx is not on a kernel stack: stopping)\n",
                (unsigned long long)fp);
        return;
    }
    while (fp != 0) {
        if (fp % sizeof(uintptr_t) != 0 || fp < low || high - fp < 2 * sizeof(uintptr_t)) {
            kprintf("  (bad frame pointer %016llx: stopping)\n", (unsigned long long)fp);
            return;
        }
        if (frames == BACKTRACE_MAX_FRAMES) {
            kprintf("  (more frames not shown)\n");
            return;
        }
        const uintptr_t *frame = (const uintptr_t *)fp;
        print_frame(frame[1], true);
        frames++;
        /* The stack grows down, so each caller's frame lies above: anything else is a loop. */
        if (frame[0] != 0 && frame[0] <= fp) {
            kprintf("  (frame pointer %016llx does not lead outwards: stopping)\n",
                    (unsigned long long)frame[0]);
            return;
        }
        fp = frame[0];
    }
}
