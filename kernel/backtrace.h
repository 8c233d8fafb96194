/* Backtraces: the chain of calls that led here, through the frame pointers
 * (-fno-omit-frame-pointer). */
#pragma once

#include <stdint.h>

/* The most frames a backtrace shows: a whole report must fit on an 80x25 screen. */
#define BACKTRACE_MAX_FRAMES 8

/*
 * Prints "  <address>  <function>+0x<offset>" for pc (unless 0), then for the return address of
 * each frame from frame pointer fp outwards. Stops at the outermost frame (a zero frame pointer),
 * at a frame pointer outside the stack it started on or not moving outwards, and after
 * BACKTRACE_MAX_FRAMES, saying why unless it reached the end.
 */
void backtrace_print(uintptr_t pc, uintptr_t fp);
