/* How the heap reports misuse, and keel.kmalloc=, which turns its debug checks on. */
#include "kernel/cmdline.h"
#include "kernel/kmalloc_internal.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/symbols.h"

static const char *const misuse_names[] = {
    [HEAP_DOUBLE_FREE] = "double free",
    [HEAP_INVALID_FREE] = "free of a pointer the heap never returned",
    [HEAP_WRONG_CLASS] = "free into the wrong size class",
    [HEAP_CORRUPT_SLAB] = "corrupted slab header",
    [HEAP_OVERFLOW] = "heap overflow",
    [HEAP_USE_AFTER_FREE] = "use after free",
};

const char *heap_misuse_name(enum heap_misuse kind)
{
    return misuse_names[kind];
}

noreturn void heap_misuse(enum heap_misuse kind, const void *addr, uintptr_t caller,
                          uintptr_t allocated_by, const char *detail)
{
    char by[96], allocated[112] = "";

    symbol_describe_caller(by, sizeof(by), caller);
    if (allocated_by) {
        ksnprintf(allocated, sizeof(allocated), ", allocated by ");
        symbol_describe_caller(allocated + strlen(allocated), sizeof(allocated) - strlen(allocated),
                               allocated_by);
    }
    panic("heap: %s of %p, called from %s%s%s%s", misuse_names[kind], addr, by, allocated,
          detail ? ": " : "", detail ? detail : "");
}

void heap_fault_set(struct heap_fault *fault, enum heap_misuse kind, const void *addr,
                    uintptr_t allocated_by, const char *detail)
{
    *fault = (struct heap_fault){
        .found = true,
        .kind = kind,
        .addr = addr,
        .allocated_by = allocated_by,
        .detail = detail,
    };
}

void heap_fault_report(const struct heap_fault *fault, uintptr_t caller)
{
    if (fault->found)
        heap_misuse(fault->kind, fault->addr, caller, fault->allocated_by, fault->detail);
}

#define RELEASED_RING 64

/* Written under heap_lock; read by kfree's checks on any CPU without it. */
static const void *released[RELEASED_RING];
static size_t released_next;

void heap_forget_released(void)
{
    for (size_t i = 0; i < RELEASED_RING; i++)
        __atomic_store_n(&released[i], NULL, __ATOMIC_RELAXED);
    released_next = 0;
}

void heap_note_released(const void *ptr)
{
    __atomic_store_n(&released[released_next++ % RELEASED_RING], ptr, __ATOMIC_RELAXED);
}

bool heap_recently_released(const void *ptr)
{
    for (size_t i = 0; i < RELEASED_RING; i++)
        if (__atomic_load_n(&released[i], __ATOMIC_RELAXED) == ptr)
            return true;
    return false;
}

static bool set_kmalloc(const char *value)
{
    if (value == NULL || strcmp(value, "debug") != 0)
        return false;
    if (!heap_set_debug(true)) {
        kprintf("keel: keel.kmalloc=debug comes too late: blocks are allocated already\n");
        return true;
    }
    return true;
}
CMDLINE_OPTION(kmalloc, set_kmalloc,
               "takes debug: poison freed blocks, redzones, allocating callers in reports");
