/*
 * keel.kmalloc=debug: the heap's thorough checks on small blocks. A live block of block_size
 * bytes, asked for with size bytes, looks like
 *
 *     | the caller's size bytes | redzone (HEAP_POISON_RED), at least 16 | struct heap_block_tail |
 *
 * and a freed one like
 *
 *     | struct heap_free_block | freeing caller | HEAP_POISON_FREE ... | struct heap_block_tail |
 *
 * The redzone is checked when the block is freed (an overflow), the poison when the block is
 * handed out again (a write after the free); the tail names the allocating caller in reports.
 */
#include "kernel/kmalloc_internal.h"
#include "kernel/string.h"

/* What a freed block starts with: its struct heap_free_block and the caller that freed it. */
struct freed_header {
    struct heap_free_block free;
    uint64_t freed_by;
};
#define FREE_HEADER sizeof(struct freed_header)

static struct heap_block_tail *tail_of(const void *block, size_t block_size)
{
    /* Block sizes are multiples of 16, so the record is 8-byte aligned. */
    return (struct heap_block_tail *)((uintptr_t)block + block_size -
                                      sizeof(struct heap_block_tail));
}

static uint32_t check_of(uint32_t size, uint64_t caller)
{
    return ~size ^ (uint32_t)caller;
}

void heap_debug_arm(void *block, size_t block_size, size_t size, uintptr_t caller)
{
    struct heap_block_tail *tail = tail_of(block, block_size);

    memset((char *)block + size, HEAP_POISON_RED, (size_t)((char *)tail - (char *)block) - size);
    *tail = (struct heap_block_tail){
        .caller = caller,
        .size = (uint32_t)size,
        .check = check_of((uint32_t)size, caller),
    };
}

size_t heap_debug_check_live(void *block, size_t block_size, uintptr_t caller)
{
    const struct heap_block_tail *tail = tail_of(block, block_size);
    size_t room = block_size - sizeof(*tail);

    if (tail->check != check_of(tail->size, tail->caller) || tail->size > room - HEAP_REDZONE_MIN)
        heap_misuse(HEAP_OVERFLOW, block, caller, 0,
                    "the record after the block's redzone was overwritten");
    const unsigned char *red = (const unsigned char *)block + tail->size;
    for (size_t i = 0; i < room - tail->size; i++)
        if (red[i] != HEAP_POISON_RED)
            heap_misuse(HEAP_OVERFLOW, block, caller, tail->caller,
                        "the redzone after the block was written");
    return tail->size;
}

void heap_debug_poison(void *block, size_t block_size, uintptr_t caller)
{
    ((struct freed_header *)block)->freed_by = caller;
    memset((char *)block + FREE_HEADER, HEAP_POISON_FREE,
           block_size - FREE_HEADER - sizeof(struct heap_block_tail));
}

void heap_debug_poison_new(void *block, size_t block_size)
{
    heap_debug_poison(block, block_size, 0);
    *tail_of(block, block_size) = (struct heap_block_tail){0};
}

void heap_debug_check_poison(void *block, size_t block_size)
{
    const unsigned char *bytes = block;
    size_t end = block_size - sizeof(struct heap_block_tail);

    for (size_t i = FREE_HEADER; i < end; i++)
        if (bytes[i] != HEAP_POISON_FREE)
            heap_misuse(HEAP_USE_AFTER_FREE, block, ((const struct freed_header *)block)->freed_by,
                        tail_of(block, block_size)->caller,
                        "the block was written after it was freed (caller: who freed it)");
}

uintptr_t heap_debug_allocated_by(const void *block, size_t block_size)
{
    const struct heap_block_tail *tail = tail_of(block, block_size);
    return tail->check == check_of(tail->size, tail->caller) ? tail->caller : 0;
}
