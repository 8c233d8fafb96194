/*
 * In-kernel test of a frame larger than a page (see -fstack-clash-protection in the Makefile):
 * such a function must still work, and tests/build/stack-clash.test checks in its code that it
 * touches each page of its frame as it allocates it.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/selftest.h"

/* Two pages and some: the frame needs two probes. Well within the 16 KiB boot stack. */
#define LARGE_FRAME_BYTES 9000

uint64_t stack_clash_large_frame(size_t index);

/* Not static, and called through a volatile pointer: the build test finds it by name. */
uint64_t stack_clash_large_frame(size_t index)
{
    volatile uint8_t frame[LARGE_FRAME_BYTES];

    for (size_t i = 0; i < sizeof(frame); i++)
        frame[i] = (uint8_t)i;
    return frame[index % sizeof(frame)];
}
static uint64_t (*volatile large_frame)(size_t) = stack_clash_large_frame;

SELFTEST(a_frame_larger_than_a_page_works)
{
    SELFTEST_ASSERT_EQ(large_frame(LARGE_FRAME_BYTES - 1), (LARGE_FRAME_BYTES - 1) % 256);
    SELFTEST_ASSERT_EQ(large_frame(0), 0);
}
