/*
 * libFuzzer target for the heap: the input is a program of allocate, free, realloc and calloc
 * calls on 64 slots, run on fake RAM (tests/host/fake_kernel_vm.c) with guard pages enforced by
 * the host's page protection. Every block holds a pattern of its own, checked when it is freed or
 * moved; a block that is not aligned, lost contents or any sanitizer report is a crash.
 *
 * The first input byte chooses the debug checks (odd) or not; then each call is 4 bytes:
 * operation (its bits 2-3: which of four stand-in CPUs makes the call), slot, and a 16-bit size
 * (scaled up now and then to reach the large blocks).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/vm.h"
#include "tests/host/fake_kernel_vm.h"
#include "tests/host/heap_cpu_double.h"

#define SLOTS 64
#define CPUS  4
#define MiB   (1024ULL * 1024)

struct slot {
    unsigned char *ptr;
    size_t size;
    unsigned char seed;
};

/* A panic (the heap reporting misuse, which correct calls never are) is a crash. */
noreturn void panic_at(const char *file, int line, const char *function, const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "KERNEL PANIC at %s:%d (%s): ", file, line, function);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    abort();
}

static bool ready;
static size_t frames_at_start;

static void check(const struct slot *s, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (s->ptr[i] != (unsigned char)(s->seed + i))
            __builtin_trap();
}

static void fill(struct slot *s)
{
    for (size_t i = 0; i < s->size; i++)
        s->ptr[i] = (unsigned char)(s->seed + i);
}

static void aligned_or_trap(const void *p, size_t size)
{
    if ((uintptr_t)p % KMALLOC_ALIGN != 0)
        __builtin_trap();
    if (size >= 16 && size <= 4096 && (size & (size - 1)) == 0 && (uintptr_t)p % size != 0)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct slot slots[SLOTS] = {0};

    if (!ready) {
        heap_cpu_double_use(CPUS - 1);
        heap_cpu_double_use(0);
        fake_vm_setup(16 * MiB, 1024 * MiB, true);
        vm_init();
        heap_init();
        frames_at_start = pmm_free_count() + fake_vm_table_frames + vm_stats().node_frames;
        ready = true;
    }
    if (len == 0)
        return 0;
    heap_set_debug(data[0] & 1);

    for (size_t at = 1; at + 4 <= len; at += 4) {
        struct slot *s = &slots[data[at + 1] % SLOTS];
        size_t size = (size_t)data[at + 2] | (size_t)data[at + 3] << 8;
        if (data[at] & 0x80)
            size *= 4; /* up to 256 KiB */
        unsigned char *p;

        heap_cpu_double_use((data[at] >> 2) % CPUS);
        switch (data[at] % 4) {
        case 0: /* allocate (the slot's old block is freed first) */
        case 1:
            if (s->ptr) {
                check(s, s->size);
                kfree(s->ptr);
            }
            p = data[at] % 4 == 0 ? kmalloc(size) : kcalloc(size / 16 + 1, 16);
            if (p && data[at] % 4 == 1) {
                size = (size / 16 + 1) * 16;
                for (size_t i = 0; i < size; i++)
                    if (p[i] != 0)
                        __builtin_trap();
            }
            *s = (struct slot){.ptr = p, .size = p ? size : 0, .seed = data[at + 2]};
            if (p) {
                aligned_or_trap(p, size);
                fill(s);
            }
            break;
        case 2: /* realloc */
            p = krealloc(s->ptr, size);
            if (size == 0) {
                *s = (struct slot){0};
            } else if (p) {
                s->ptr = p;
                check(s, s->size < size ? s->size : size);
                aligned_or_trap(p, size);
                s->size = size;
                fill(s);
            }
            break;
        case 3: /* free */
            if (s->ptr) {
                check(s, s->size);
                kfree(s->ptr);
                *s = (struct slot){0};
            }
            break;
        }
    }
    for (size_t i = 0; i < SLOTS; i++) {
        if (slots[i].ptr) {
            check(&slots[i], slots[i].size);
            kfree(slots[i].ptr);
        }
    }
    /* Every frame is back once each CPU's free blocks and the heap's spare pages go. */
    for (unsigned cpu = 0; cpu < CPUS; cpu++) {
        heap_cpu_double_use(cpu);
        heap_cpu_flush();
    }
    heap_cpu_double_use(0);
    heap_trim();
    if (pmm_free_count() + fake_vm_table_frames + vm_stats().node_frames != frames_at_start)
        __builtin_trap();
    return 0;
}
