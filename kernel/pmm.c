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
#include "kernel/spinlock.h"
#include "kernel/string.h"

/*
 * Addresses are clipped to PHYS_ADDR_LIMIT (kernel/phys.h) so that base + length cannot overflow,
 * whatever the firmware wrote.
 */

#define BITS_PER_WORD 64

/*
 * The span may be at most this many times the usable memory, so the bitmaps (1/16384 of the
 * span) never take more than 1/64 of it. A usable entry far above the rest of RAM, which buggy
 * firmware does report, would otherwise ask for bitmaps larger than memory: its frames above
 * the limit are left out and reported (pmm_ignored) instead.
 */
#define MAX_SPAN_PER_USABLE 256

static uint64_t span_start; /* physical address of the frame that bit 0 describes */
static uint64_t span_end;
static size_t frame_count; /* frames in [span_start, span_end) */
static size_t word_count;  /* 64-bit words in each bitmap */

/* The bookkeeping: the "ours" bitmap, then the "free" bitmap, both word_count words. */
static uint64_t bookkeeping_phys;
static uint64_t bookkeeping_size;

static struct phys_range ignored; /* usable memory left above the span: how much, from where */

/* The frame below 1 MiB kept for starting other CPUs (pmm_real_mode_frame), or PMM_NO_FRAME. */
static uint64_t real_mode_frame;

static size_t total_frames;

/*
 * The "free" bitmap, its count and the scan's starting point change under this lock. The rest is
 * set once by pmm_init, on the boot CPU before any other runs, and only read after.
 */
static struct spinlock lock = SPINLOCK_INIT("pmm");
static size_t free_frames; /* written under the lock, read without it */
static size_t next_word;   /* where the next-fit scan starts */

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
    *start = ALIGN_UP(r.base, PAGE_SIZE);
    if (*start < LOW_MEMORY_END)
        *start = LOW_MEMORY_END;
    *end = ALIGN_DOWN(top, PAGE_SIZE);
    return *start < *end;
}

/* Every frame r touches: excluded edges are rounded outward. */
static bool outer_frames(struct phys_range r, uint64_t *start, uint64_t *end)
{
    if (r.length == 0 || r.base >= PHYS_ADDR_LIMIT)
        return false;
    uint64_t top = r.length < PHYS_ADDR_LIMIT - r.base ? r.base + r.length : PHYS_ADDR_LIMIT;
    *start = ALIGN_DOWN(r.base, PAGE_SIZE);
    *end = ALIGN_UP(top, PAGE_SIZE);
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
        mark_bits(map, (start - span_start) / PAGE_SIZE, (end - span_start) / PAGE_SIZE, set);
}

/* If [start, end) meets an excluded range, moves *resume past it and says so. */
static bool hits_excluded(uint64_t start, uint64_t end, const struct phys_range_list *excluded,
                          uint64_t *resume)
{
    struct phys_range r;

    for (uint64_t cursor = 0; phys_range_next(excluded, &cursor, &r);) {
        uint64_t ex_start, ex_end;
        if (outer_frames(r, &ex_start, &ex_end) && ex_start < end && start < ex_end) {
            *resume = ex_end;
            return true;
        }
    }
    return false;
}

/* The lowest place for size bytes inside one usable range, clear of exclusions and the window. */
static uint64_t place_bookkeeping(uint64_t size, const struct phys_range_list *usable,
                                  const struct phys_range_list *excluded)
{
    uint64_t best = PMM_NO_FRAME;
    struct phys_range r;

    for (uint64_t cursor = 0; phys_range_next(usable, &cursor, &r);) {
        uint64_t at, end;
        if (!inner_frames(r, &at, &end))
            continue;
        if (end > span_end) /* the bitmaps cover nothing above the span, themselves included */
            end = span_end;
        while (at < end && end - at >= size) {
            if (hits_excluded(at, at + size, excluded, &at))
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

/*
 * The highest whole usable frame below LOW_MEMORY_END that no excluded range touches, never frame
 * 0 (the real-mode interrupt table and the BIOS data area): PMM_NO_FRAME when there is none.
 * Each range is searched downward from its top, at most 256 frames.
 */
static uint64_t find_real_mode_frame(const struct phys_range_list *usable,
                                     const struct phys_range_list *excluded)
{
    uint64_t best = PMM_NO_FRAME;
    struct phys_range r;

    for (uint64_t cursor = 0; phys_range_next(usable, &cursor, &r);) {
        if (r.base >= LOW_MEMORY_END)
            continue;
        uint64_t top = r.length < LOW_MEMORY_END - r.base ? r.base + r.length : LOW_MEMORY_END;
        uint64_t low =
            ALIGN_UP(r.base, PAGE_SIZE) > PAGE_SIZE ? ALIGN_UP(r.base, PAGE_SIZE) : PAGE_SIZE;
        uint64_t resume;
        for (uint64_t frame = ALIGN_DOWN(top, PAGE_SIZE); frame >= low + PAGE_SIZE;) {
            frame -= PAGE_SIZE;
            if (best != PMM_NO_FRAME && frame <= best) /* an earlier range had a higher one */
                break;
            if (!hits_excluded(frame, frame + PAGE_SIZE, excluded, &resume)) {
                best = frame;
                break;
            }
        }
    }
    return best;
}

/* a + b, or UINT64_MAX when that does not fit: overlapping entries may add up past 2^64. */
static uint64_t add_saturating(uint64_t a, uint64_t b)
{
    return b < UINT64_MAX - a ? a + b : UINT64_MAX;
}

/*
 * The span the bitmaps cover: from the lowest usable frame to the highest, but no further than
 * MAX_SPAN_PER_USABLE times the usable memory; what lies above that is noted in ignored.
 */
static void choose_span(const struct phys_range_list *usable)
{
    uint64_t usable_bytes = 0, limit, start, end;
    struct phys_range r;

    span_start = UINT64_MAX;
    for (uint64_t cursor = 0; phys_range_next(usable, &cursor, &r);) {
        if (!inner_frames(r, &start, &end))
            continue;
        usable_bytes = add_saturating(usable_bytes, end - start);
        if (start < span_start)
            span_start = start;
    }
    if (span_start == UINT64_MAX)
        panic("pmm: the memory map has no usable frame above 1 MiB");

    limit = usable_bytes < (PHYS_ADDR_LIMIT - span_start) / MAX_SPAN_PER_USABLE
                ? span_start + usable_bytes * MAX_SPAN_PER_USABLE
                : PHYS_ADDR_LIMIT;
    limit = ALIGN_DOWN(limit, PAGE_SIZE);
    span_end = 0;
    ignored = (struct phys_range){0};
    for (uint64_t cursor = 0; phys_range_next(usable, &cursor, &r);) {
        if (!inner_frames(r, &start, &end))
            continue;
        if (end > limit) {
            uint64_t from = start > limit ? start : limit;
            ignored.length = add_saturating(ignored.length, end - from);
            if (ignored.base == 0 || from < ignored.base)
                ignored.base = from;
            end = limit;
        }
        if (start < end && end > span_end)
            span_end = end;
    }
}

void pmm_init(const struct phys_range *usable, size_t usable_count,
              const struct phys_range *excluded, size_t excluded_count)
{
    struct phys_range_array usable_array = {usable, usable_count};
    struct phys_range_array excluded_array = {excluded, excluded_count};

    pmm_init_lists(&(struct phys_range_list){phys_range_array_next, &usable_array},
                   &(struct phys_range_list){phys_range_array_next, &excluded_array});
}

void pmm_init_lists(const struct phys_range_list *usable, const struct phys_range_list *excluded)
{
    struct phys_range r;

    choose_span(usable);

    frame_count = (span_end - span_start) / PAGE_SIZE;
    word_count = (frame_count + BITS_PER_WORD - 1) / BITS_PER_WORD;
    bookkeeping_size = ALIGN_UP(2 * word_count * sizeof(uint64_t), PAGE_SIZE);
    bookkeeping_phys = place_bookkeeping(bookkeeping_size, usable, excluded);

    /* "Ours" = usable, less excluded ranges and the bookkeeping. Order matters: exclusion wins. */
    uint64_t *ours = ours_map();
    memset(ours, 0, word_count * sizeof(uint64_t));
    for (uint64_t cursor = 0; phys_range_next(usable, &cursor, &r);) {
        uint64_t start, end;
        if (inner_frames(r, &start, &end))
            mark_frames(ours, start, end, true);
    }
    for (uint64_t cursor = 0; phys_range_next(excluded, &cursor, &r);) {
        uint64_t start, end;
        if (outer_frames(r, &start, &end))
            mark_frames(ours, start, end, false);
    }
    mark_frames(ours, bookkeeping_phys, bookkeeping_phys + bookkeeping_size, false);
    real_mode_frame = find_real_mode_frame(usable, excluded);

    /* Every frame we own starts out free. */
    memcpy(free_map(), ours, word_count * sizeof(uint64_t));

    total_frames = 0;
    for (size_t w = 0; w < word_count; w++)
        for (uint64_t bits = ours[w]; bits != 0; bits &= bits - 1)
            total_frames++;
    free_frames = total_frames;
    next_word = 0;
    spin_lock_init(&lock, "pmm");
}

/*
 * Next-fit over words [0, end_word): starts at next_word, wraps around once. Only the bits in
 * last_mask of the final word count, so a caller can stop mid-word.
 */
static uint64_t take_frame(size_t end_word, uint64_t last_mask)
{
    uint64_t *map = free_map();
    uint64_t frame = PMM_NO_FRAME;

    spin_lock(&lock);
    size_t start = next_word < end_word ? next_word : 0;
    for (size_t n = 0; n < end_word; n++) {
        size_t w = start + n < end_word ? start + n : start + n - end_word;
        uint64_t bits = w == end_word - 1 ? map[w] & last_mask : map[w];
        if (bits == 0)
            continue;

        unsigned bit = (unsigned)__builtin_ctzll(bits);
        map[w] &= ~(1ULL << bit);
        __atomic_store_n(&free_frames, free_frames - 1, __ATOMIC_RELAXED);
        next_word = w;
        frame = span_start + ((uint64_t)w * BITS_PER_WORD + bit) * PAGE_SIZE;
        break;
    }
    spin_unlock(&lock);
    return frame;
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
    uint64_t frames = (limit - span_start) / PAGE_SIZE;
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
    if (!IS_ALIGNED(phys, PAGE_SIZE) || phys < span_start || phys >= span_end)
        panic("pmm_free: 0x%llx is not a frame the allocator manages", (unsigned long long)phys);

    size_t frame = (size_t)((phys - span_start) / PAGE_SIZE);
    size_t w = frame / BITS_PER_WORD;
    uint64_t bit = 1ULL << (frame % BITS_PER_WORD);

    if (!(ours_map()[w] & bit))
        panic("pmm_free: 0x%llx is excluded, in a hole or the allocator's own bitmap",
              (unsigned long long)phys);

    spin_lock(&lock);
    bool already_free = free_map()[w] & bit;
    if (!already_free) {
        free_map()[w] |= bit;
        __atomic_store_n(&free_frames, free_frames + 1, __ATOMIC_RELAXED);
    }
    spin_unlock(&lock);
    if (already_free)
        panic("pmm_free: double free of frame 0x%llx", (unsigned long long)phys);
}

size_t pmm_total_count(void)
{
    return total_frames;
}

size_t pmm_free_count(void)
{
    return __atomic_load_n(&free_frames, __ATOMIC_RELAXED);
}

size_t pmm_used_count(void)
{
    return total_frames - pmm_free_count();
}

struct phys_range pmm_ignored(void)
{
    return ignored;
}

struct phys_range pmm_bookkeeping(void)
{
    return (struct phys_range){.base = bookkeeping_phys, .length = bookkeeping_size};
}

uint64_t pmm_real_mode_frame(void)
{
    return real_mode_frame;
}
