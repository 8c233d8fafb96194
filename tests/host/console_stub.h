/* The recording console of the host tests (console_stub.c). */
#pragma once

#include <stddef.h>

#define CONSOLE_STUB_SIZE 4096

extern char console_stub_output[CONSOLE_STUB_SIZE];
extern size_t console_stub_length;

void console_stub_reset(void);
