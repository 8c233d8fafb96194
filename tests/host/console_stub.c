/* A console layer for host tests: it records what the kernel would have printed. */
#include <string.h>

#include "kernel/console.h"
#include "tests/host/console_stub.h"

char console_stub_output[CONSOLE_STUB_SIZE];
size_t console_stub_length;

void console_write(const char *text, size_t len)
{
    if (len > sizeof(console_stub_output) - 1 - console_stub_length)
        len = sizeof(console_stub_output) - 1 - console_stub_length;
    memcpy(console_stub_output + console_stub_length, text, len);
    console_stub_length += len;
    console_stub_output[console_stub_length] = '\0';
}

/* One caller at a time in a host test: nothing to lock. */
void console_lock(void)
{
}

void console_unlock(void)
{
}

void console_stub_reset(void)
{
    console_stub_length = 0;
    console_stub_output[0] = '\0';
}

/* No screen, so no cursor to show. */
void console_set_cursor(bool visible)
{
    (void)visible;
}
