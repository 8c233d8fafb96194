/*
 * Boundary cases of kernel/screen.c: a framebuffer whose last byte is the physical window's last
 * byte is drawn on; one that reaches one byte further is left alone. The framebuffer console is a
 * stand-in that records what it was given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/arch.h"
#include "kernel/fb_console.h"
#include "kernel/multiboot2.h"
#include "kernel/phys.h"
#include "kernel/screen.h"
#include "tests/host/console_stub.h"

#define WINDOW_OFFSET 0x10000000000ull
#define WINDOW_LIMIT  (4ull << 30)

static int fb_calls;
static struct framebuffer fb_arg;
static struct console *registered;

const char *arch_text_console_init(const struct boot_framebuffer *text)
{
    (void)text;
    fail_msg("the text screen was chosen for a framebuffer");
    return NULL;
}

struct console fb_console = {.name = "framebuffer"};

const char *fb_console_init(const struct framebuffer *fb)
{
    fb_calls++;
    fb_arg = *fb;
    return NULL;
}

unsigned int fb_console_columns(void)
{
    return 1;
}

unsigned int fb_console_rows(void)
{
    return 1;
}

void console_register(struct console *con)
{
    registered = con;
}

/* A 1024x768 x8r8g8b8 framebuffer whose last byte is at `last`. */
static void show_framebuffer_ending_at(uint64_t last)
{
    const uint64_t size = 4096ull * 768;
    struct boot_info info = {.has_efi64 = true};

    info.framebuffer = (struct boot_framebuffer){.present = true,
                                                 .type = MB2_FRAMEBUFFER_RGB,
                                                 .address = last + 1 - size,
                                                 .width = 1024,
                                                 .height = 768,
                                                 .pitch = 4096,
                                                 .bpp = 32,
                                                 .red_position = 16,
                                                 .red_size = 8,
                                                 .green_position = 8,
                                                 .green_size = 8,
                                                 .blue_position = 0,
                                                 .blue_size = 8};
    fb_calls = 0;
    registered = NULL;
    console_stub_reset();
    phys_window_set(WINDOW_OFFSET, WINDOW_LIMIT);
    screen_console_init(&info);
}

static void test_framebuffer_ending_at_the_windows_last_byte(void **state)
{
    (void)state;
    show_framebuffer_ending_at(WINDOW_LIMIT - 1);
    assert_int_equal(fb_calls, 1);
    assert_ptr_equal(registered, &fb_console);
    assert_ptr_equal(fb_arg.address, (void *)(WINDOW_OFFSET + WINDOW_LIMIT - 4096ull * 768));
}

static void test_framebuffer_one_byte_past_the_window(void **state)
{
    (void)state;
    show_framebuffer_ending_at(WINDOW_LIMIT);
    assert_int_equal(fb_calls, 0);
    assert_null(registered);
    assert_non_null(strstr(console_stub_output, "nothing is drawn on it"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framebuffer_ending_at_the_windows_last_byte),
        cmocka_unit_test(test_framebuffer_one_byte_past_the_window),
    };

    return cmocka_run_group_tests_name("screen bounds", tests, NULL, NULL);
}
