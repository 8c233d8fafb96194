/* The scancode tables of kernel/keyboard_scancodes.c: which key a make code names. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/keyboard.h"

/* The key a make code (after an E0 prefix when extended) names in set, or KEY_NONE. */
enum key scancode_key(enum scancode_set set, bool extended, uint8_t code);

/* Codes that are not keys. */
#define SCANCODE_EXTENDED     0xe0 /* the next code is an extended key */
#define SCANCODE_PAUSE        0xe1 /* the Pause key's own sequence follows */
#define SCANCODE_SET2_RELEASE 0xf0 /* set 2: the next code is a release */
#define SCANCODE_SET1_RELEASE 0x80 /* set 1: added to the make code in a release */
