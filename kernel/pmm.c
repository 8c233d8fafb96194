/*
 * The physical memory manager: two bitmaps over the frames from the lowest to the highest usable
 * address, kept in RAM the allocator picks for itself at init.
 *
 * Cost. Memory: 2 bits per 4 KiB frame of the span [lowest usable, highest usable), holes
 * included, i.e. 64 KiB per GiB spanned: 6 GiB of RAM spread over 7 GiB (a hole below 4 GiB for
 * PCI) needs 448 KiB. One bitmap says "free"; the second says "ours" (usable and not excluded),
 * which is what lets pmm_free catch a foreign address in O(1) instead of searching range lists.
 * Time: pmm_alloc is next-fit, scanning 64 frames per word from where the last allocation was
 * found, so O(1) while memory ahead is free and O(frames / 64) in the worst case (memory almost
 * full). pmm_free and the counts are O(1). pmm_init is O(frames / 64) plus a placement search of
 * O(usable × excluded²), tiny for a real memory map.
 */
#include "kernel/pmm.h"

#include <stdbool.h>

#include "kernel/compiler.h"
#include "kernel/panic.h"
#include "kernel/string.h"

/* Below 1 MiB live the real-mode IVT, the BIOS data area, the EBDA and option ROMs. */
#define LOW_MEMORY_END 0x100000ULL

/*
 * Addresses are clipped to 4 PiB (52 bits, the most x86_64 page tables can express) so that
 * base + length cannot overflow, whatever the firmware wrote.
 */
#define PHYS_ADDR_LIMIT (1ULL << 52)

#define BITS_PER_WORD 64

static uint64_t span_start; /* physical address of the frame that bit 0 describes */
static uint64_t span_end;
static size_t frame_count; /* frames in [span_start, span_end) */
static size_t word_count;  /* 64-bit words in each bitmap */

/* The bookkeeping: the "ours" bitmap, then the "free" bitmap, both word_count words. */
static uint64_t bookkeeping_phys;
static uint64_t bookkeeping_size;

static size_t total_frames;
static size_t free_frames;
static size_t next_word; /* where the next-fit scan starts */

/* Looked up on every use, so the bitmaps stay reachable when the window moves to the direct map. */
static uint64_t *ours_map(void)
{
    return phys_to_virt(bookkeeping_phys);
}

static uint64_t *free_map(void)
{
    return ours_map() + word_count;
}

/* The whole frames inside r, never below 1 MiB: usable edges are rounded inward. */
static bool inner_frames(struct phys_range r, uint64_t *start, uint64_t *end)
{
    if (r.base >= PHYS_ADDR_LIMIT)
        return false;
    uint64_t top = r.length < PHYS_ADDR_LIMIT - r.base ? r.base + r.length : PHYS_ADDR_LIMIT;
    *start = ALIGN_UP(r.base, FRAME_SIZE);
    if (*start < LOW_MEMORY_END)
        *start = LOW_MEMORY_END;
    *end = ALIGN_DOWN(top, FRAME_SIZE);
    return *start < *end;
}

/* Every frame r touches: excluded edges are rounded outward. */
static bool outer_frames(struct phys_range r, uint64_t *start, uint64_t *end)
{
    if (r.length == 0 || r.base >= PHYS_ADDR_LIMIT)
        return false;
    uint64_t top = r.length < PHYS_ADDR_LIMIT - r.base ? r.base + r.length : PHYS_ADDR_LIMIT;
    *start = ALIGN_DOWN(r.base, FRAME_SIZE);
    *end = ALIGN_UP(top, FRAME_SIZE);
    return true;
}

/* Sets or clears bits [first, end) of map, a word at a time where it can. */
static void mark_bits(uint64_t *map, size_t first, size_t end, bool set)
{
    while (first < end) {
        size_t bit = first % BITS_PER_WORD;
        size_t n = end - first < BITS_PER_WORD - bit ? end - first : BITS_PER_WORD - bit;
        uint64_t mask = (n == BITS_PER_WORD ? ~0ULL : (1ULL << n) - 1) << bit;

        if (set)
            map[first / BITS_PER_WORD] |= mask;
        else
            map[first / BITS_PER_WORD] &= ~mask;
        first += n;
    }
}

/* Marks the frames of [start, end) that fall inside the span. */
static void mark_frames(uint64_t *map, uint64_t start, uint64_t end, bool set)
{
    if (start < span_start)
        start = span_start;
    if (end > span_end)
        end = span_end;
    if (start < end)
        mark_bits(map, (start - span_start) / FRAME_SIZE, (end - span_start) / FRAME_SIZE, set);
}

/* If [start, end) meets an excluded range, moves *resume past it and says so. */
static bool hits_excluded(uint64_t start, uint64_t end, const struct phys_range *excluded,
                          size_t excluded_count, uint64_t *resume)
{
    for (size_t i = 0; i < excluded_count; i++) {
        uint64_t ex_start, ex_end;
        if (outer_frames(excluded[i], &ex_start, &ex_end) && ex_start < end && start < ex_end) {
            *resume = ex_end;
            return true;
        }
    }
    return false;
}

/* The lowest place for size bytes inside one usable range, clear of exclusions and the window. */
static uint64_t place_bookkeeping(uint64_t size, const struct phys_range *usable,
                                  size_t usable_count, const struct phys_range *excluded,
                                  size_t excluded_count)
{
    uint64_t best = PMM_NO_FRAME;

    for (size_t i = 0; i < usable_count; i++) {
        uint64_t at, end;
        if (!inner_frames(usable[i], &at, &end))
            continue;
        while (at < end && end - at >= size) {
            if (hits_excluded(at, at + size, excluded, excluded_count, &at))
                continue;
            if (at + size <= phys_window_limit() && (best == PMM_NO_FRAME || at < best))
                best = at;
            break;
        }
    }
    if (best == PMM_NO_FRAME)
        panic("pmm: no room for %llu bytes of frame bitmaps below 0x%llx", (unsigned long long)size,
              (unsigned long long)phys_window_limit());
    return best;
}

void pmm_init(const struct phys_range *usable, size_t usable_count,
              const struct phys_range *excluded, size_t excluded_count)
{
    span_start = UINT64_MAX;
    span_end = 0;
    for (size_t i = 0; i < usable_count; i++) {
        uint64_t start, end;
        if (!inner_frames(usable[i], &start, &end))
            continue;
        if (start < span_start)
            span_start = start;
        if (end > span_end)
            span_end = end;
    }
    if (span_end == 0)
        panic("pmm: the memory map has no usable frame above 1 MiB");

    frame_count = (span_end - span_start) / FRAME_SIZE;
    word_count = (frame_count + BITS_PER_WORD - 1) / BITS_PER_WORD;
    bookkeeping_size = ALIGN_UP(2 * word_count * sizeof(uint64_t), FRAME_SIZE);
    bookkeeping_phys =
        place_bookkeeping(bookkeeping_size, usable, usable_count, excluded, excluded_count);

    /* "Ours" = usable, less excluded ranges and the bookkeeping. Order matters: exclusion wins. */
    uint64_t *ours = ours_map();
    memset(ours, 0, word_count * sizeof(uint64_t));
    for (size_t i = 0; i < usable_count; i++) {
        uint64_t start, end;
        if (inner_frames(usable[i], &start, &end))
            mark_frames(ours, start, end, true);
    }
    for (size_t i = 0; i < excluded_count; i++) {
        uint64_t start, end;
        if (outer_frames(excluded[i], &start, &end))
            mark_frames(ours, start, end, false);
    }
    mark_frames(ours, bookkeeping_phys, bookkeeping_phys + bookkeeping_size, false);

    /* Every frame we own starts out free. */
    memcpy(free_map(), ours, word_count * sizeof(uint64_t));

    total_frames = 0;
    for (size_t w = 0; w < word_count; w++)
        for (uint64_t bits = ours[w]; bits != 0; bits &= bits - 1)
            total_frames++;
    free_frames = total_frames;
    next_word = 0;
}

/*
 * Next-fit over words [0, end_word): starts at next_word, wraps around once. Only the bits in
 * last_mask of the final word count, so a caller can stop mid-word.
 */
static uint64_t take_frame(size_t end_word, uint64_t last_mask)
{
    uint64_t *map = free_map();
    size_t start = next_word < end_word ? next_word : 0;

    for (size_t n = 0; n < end_word; n++) {
        size_t w = start + n < end_word ? start + n : start + n - end_word;
        uint64_t bits = w == end_word - 1 ? map[w] & last_mask : map[w];
        if (bits == 0)
            continue;

        unsigned bit = (unsigned)__builtin_ctzll(bits);
        map[w] &= ~(1ULL << bit);
        free_frames--;
        next_word = w;
        return span_start + ((uint64_t)w * BITS_PER_WORD + bit) * FRAME_SIZE;
    }
    return PMM_NO_FRAME;
}

uint64_t pmm_alloc(void)
{
    /* Bits past frame_count are never "ours", so never free: no mask needed. */
    return take_frame(word_count, ~0ULL);
}

uint64_t pmm_alloc_below(uint64_t limit)
{
    if (limit <= span_start)
        return PMM_NO_FRAME;
    uint64_t frames = (limit - span_start) / FRAME_SIZE;
    if (frames > frame_count)
        frames = frame_count;
    if (frames == 0)
        return PMM_NO_FRAME;

    size_t end_word = (size_t)((frames + BITS_PER_WORD - 1) / BITS_PER_WORD);
    unsigned tail = (unsigned)(frames % BITS_PER_WORD);
    return take_frame(end_word, tail == 0 ? ~0ULL : (1ULL << tail) - 1);
}

void pmm_free(uint64_t phys)
{
    if (!IS_ALIGNED(phys, FRAME_SIZE) || phys < span_start || phys >= span_end)
        panic("pmm_free: 0x%llx is not a frame the allocator manages", (unsigned long long)phys);

    size_t frame = (size_t)((phys - span_start) / FRAME_SIZE);
    size_t w = frame / BITS_PER_WORD;
    uint64_t bit = 1ULL << (frame % BITS_PER_WORD);

    if (!(ours_map()[w] & bit))
        panic("pmm_free: 0x%llx is excluded, in a hole or the allocator's own bitmap",
              (unsigned long long)phys);
    if (free_map()[w] & bit)
        panic("pmm_free: double free of frame 0x%llx", (unsigned long long)phys);

    free_map()[w] |= bit;
    free_frames++;
}

size_t pmm_total_count(void)
{
    return total_frames;
}

size_t pmm_free_count(void)
{
    return free_frames;
}

size_t pmm_used_count(void)
{
    return total_frames - free_frames;
}

struct phys_range pmm_bookkeeping(void)
{
    return (struct phys_range){.base = bookkeeping_phys, .length = bookkeeping_size};
}
