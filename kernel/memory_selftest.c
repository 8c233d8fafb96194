/*
 * In-kernel tests of the frame allocator on the machine's real memory map: its counts against a
 * recount done frame by frame, and every frame handed out at once, then taken back.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/compiler.h"
#include "kernel/memory_selftest.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"
#include "kernel/selftest.h"

static bool frame_inside(uint64_t frame, struct phys_range r)
{
    return frame >= r.base && frame + PAGE_SIZE <= r.base + r.length;
}

static bool frame_touches(uint64_t frame, struct phys_range r)
{
    return r.length > 0 && frame < r.base + r.length && r.base < frame + PAGE_SIZE;
}

/*
 * The lists are read through calls, one entry at a time, and a 6 GiB machine has 1.5 million
 * frames. So each scan also works out over which frames its answer holds, [from, until), and the
 * frames after it that fall in there need no scan of their own.
 */
struct known {
    uint64_t from, until;
    bool answer;
};

static bool remember(struct known *k, uint64_t from, uint64_t until, bool answer)
{
    *k = (struct known){.from = from, .until = until, .answer = answer};
    return answer;
}

/* Whether frame lies inside one of the ranges the list holds before position stop. */
static bool in_any(uint64_t frame, const struct phys_range_list *list, uint64_t stop,
                   struct known *k)
{
    uint64_t until = UINT64_MAX; /* below the next range's base, no frame is inside it */
    struct phys_range r;

    if (frame >= k->from && frame < k->until)
        return k->answer;
    for (uint64_t cursor = 0; cursor < stop && phys_range_next(list, &cursor, &r);) {
        if (frame_inside(frame, r))
            return remember(k, frame, r.base + r.length - PAGE_SIZE + 1, true);
        if (r.base > frame && r.base < until)
            until = r.base;
    }
    return remember(k, frame, until, false);
}

static bool touches_any(uint64_t frame, const struct phys_range_list *list, struct known *k)
{
    uint64_t until = UINT64_MAX; /* frames that end at or below a range's base miss it */
    struct phys_range r;

    if (frame >= k->from && frame < k->until)
        return k->answer;
    for (uint64_t cursor = 0; phys_range_next(list, &cursor, &r);) {
        if (frame_touches(frame, r))
            return remember(k, frame, r.base + r.length, true);
        if (r.length > 0 && r.base >= frame + PAGE_SIZE && r.base - PAGE_SIZE + 1 < until)
            until = r.base - PAGE_SIZE + 1;
    }
    return remember(k, frame, until, false);
}

/* Above the span pmm_init chose (pmm_ignored): not the allocator's, however usable. */
static bool ignored(uint64_t frame)
{
    struct phys_range left_out = pmm_ignored();

    return left_out.length > 0 && frame >= left_out.base;
}

/*
 * The allocator's total, recounted the slow way: every whole frame above 1 MiB in an available
 * range (counted once even if ranges overlap) that touches no excluded range and is not the
 * allocator's own bitmap.
 */
SELFTEST(frame_counts_match_the_memory_map)
{
    const struct phys_range_list *usable = memory_usable();
    const struct phys_range_list *excluded = memory_excluded();
    struct phys_range bitmaps = pmm_bookkeeping();
    struct phys_range r;
    size_t expected = 0;

    for (uint64_t cursor = 0, at = 0; phys_range_next(usable, &cursor, &r); at = cursor) {
        uint64_t start = ALIGN_UP(r.base, PAGE_SIZE);
        uint64_t end = ALIGN_DOWN(r.base + r.length, PAGE_SIZE);
        struct known in_earlier = {0}, in_excluded = {0};
        if (start < LOW_MEMORY_END)
            start = LOW_MEMORY_END;
        for (uint64_t frame = start; frame < end; frame += PAGE_SIZE) {
            if (in_any(frame, usable, at, &in_earlier) ||
                touches_any(frame, excluded, &in_excluded) || frame_touches(frame, bitmaps) ||
                ignored(frame))
                continue;
            expected++;
        }
    }
    SELFTEST_ASSERT_EQ(pmm_total_count(), expected);
    SELFTEST_ASSERT_EQ(pmm_used_count() + pmm_free_count(), pmm_total_count());
}

/*
 * The frames the next test holds are listed in frames it holds: each batch frame records up to
 * BATCH_SLOTS others and links to the previous batch. So the test needs no memory of its own on a
 * machine of any size, and writes to only one frame in 511 (QEMU gives the guest host memory
 * only for the pages it touches).
 */
#define BATCH_SLOTS (PAGE_SIZE / sizeof(uint64_t) - 2)
struct batch {
    uint64_t previous; /* physical address of the previous batch, or PMM_NO_FRAME */
    uint64_t count;
    uint64_t frames[BATCH_SLOTS];
};
_Static_assert(sizeof(struct batch) == PAGE_SIZE, "a batch fills one frame");

/* The first frame that broke a rule, and which rule; the test only reports once it is clean. */
struct verdict {
    uint64_t frame;
    const char *problem;
    const char *what;       /* for "overlaps ": what the frame overlaps */
    struct known in_usable; /* what the last scans found, for the frames after them */
    struct known in_excluded;
};

static void check_frame(uint64_t frame, struct verdict *verdict)
{
    struct memory_in_use item;

    if (verdict->problem != NULL)
        return;
    verdict->frame = frame;
    if (!IS_ALIGNED(frame, PAGE_SIZE))
        verdict->problem = "is not 4 KiB aligned";
    else if (frame < LOW_MEMORY_END)
        verdict->problem = "is below 1 MiB";
    else if (!in_any(frame, memory_usable(), UINT64_MAX, &verdict->in_usable))
        verdict->problem = "is outside the available memory";
    else if (frame_touches(frame, pmm_bookkeeping()))
        verdict->problem = "is inside the allocator's bitmaps";
    else if (touches_any(frame, memory_excluded(), &verdict->in_excluded)) {
        /* Name what it overlaps: something in use, or else an entry that is not available. */
        verdict->problem = "overlaps ";
        verdict->what = "memory the map does not call available";
        for (uint64_t cursor = 0; memory_in_use(&cursor, &item);)
            if (frame_touches(frame, item.range))
                verdict->what = item.what;
    }
}

SELFTEST(every_frame_is_handed_out_then_taken_back)
{
    size_t free_at_start = pmm_free_count();
    size_t allocated = 0, freed = 0;
    struct verdict verdict = {0};
    uint64_t current = PMM_NO_FRAME;
    uint64_t frame;

    while ((frame = pmm_alloc()) != PMM_NO_FRAME) {
        check_frame(frame, &verdict);
        allocated++;
        struct batch *batch = current == PMM_NO_FRAME ? NULL : phys_to_virt(current);
        if (batch == NULL || batch->count == BATCH_SLOTS) {
            struct batch *next = phys_to_virt(frame);
            next->previous = current;
            next->count = 0;
            current = frame;
        } else {
            batch->frames[batch->count++] = frame;
        }
    }
    size_t free_when_empty = pmm_free_count();

    /* Give everything back before judging, so a failure leaves the allocator as it was. */
    while (current != PMM_NO_FRAME) {
        struct batch *batch = phys_to_virt(current);
        uint64_t previous = batch->previous;
        for (uint64_t i = 0; i < batch->count; i++)
            pmm_free(batch->frames[i]);
        freed += batch->count;
        pmm_free(current);
        freed++;
        current = previous;
    }

    if (verdict.problem != NULL)
        selftest_fail(__FILE__, __LINE__, "handed out frame 0x%llx %s%s",
                      (unsigned long long)verdict.frame, verdict.problem,
                      verdict.what ? verdict.what : "");
    SELFTEST_ASSERT_EQ(allocated, free_at_start);
    SELFTEST_ASSERT_EQ(free_when_empty, 0);
    SELFTEST_ASSERT_EQ(freed, allocated);
    SELFTEST_ASSERT_EQ(pmm_free_count(), free_at_start);
}

SELFTEST(frames_below_a_limit_stay_below_it)
{
    const uint64_t limit = 16ULL << 20;
    uint64_t frame = pmm_alloc_below(limit);

    SELFTEST_ASSERT(frame != PMM_NO_FRAME);
    pmm_free(frame);
    SELFTEST_ASSERT(frame + PAGE_SIZE <= limit);
    SELFTEST_ASSERT_EQ(pmm_alloc_below(LOW_MEMORY_END), PMM_NO_FRAME);
}
