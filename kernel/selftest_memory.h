/*
 * For self-tests that run memory out: on a machine with much of it, most frames are first taken
 * out of play, so that running out the rest stays quick under emulation while the code under test
 * still meets a frame allocator with nothing left.
 */
#pragma once

#include <stddef.h>

/* Takes free frames until at most `keep` are left; returns how many it took. */
size_t selftest_hold_frames(size_t keep);

/* Gives back every frame selftest_hold_frames took. */
void selftest_release_frames(void);
