/*
 * Force-included when kernel code is compiled for the host tests: gives the kernel's libc-named
 * functions names of their own, so they do not clash with the host's C library they are linked
 * beside, and the tests call the kernel's versions.
 */
#pragma once

#define memcpy  keel_memcpy
#define memmove keel_memmove
#define memset  keel_memset
#define memcmp  keel_memcmp
#define strlen  keel_strlen
#define strnlen keel_strnlen
#define strcmp  keel_strcmp
#define strncmp keel_strncmp
#define strchr  keel_strchr

/* The C library's startup code defines a __data_start of its own; the linker script's is ours. */
#define __data_start keel_data_start
