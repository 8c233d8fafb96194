/*
 * Host tests of kernel/screen.c: which console it registers for each framebuffer tag a boot
 * loader may hand over, and what it says. The consoles themselves are stand-ins here that record
 * how they were called.
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
#include "kernel/screen.h"
#include "tests/host/console_stub.h"
#include "tests/host/panic_double.h"

/* Where the stand-in arch_map_framebuffer says physical 0 lies; nothing is ever touched there. */
#define WINDOW_OFFSET 0x10000000000ull

/* What the stand-ins saw. */
static struct {
    int text_calls;
    const struct boot_framebuffer *text_arg;
    const char *text_answer; /* what arch_text_console_init returns */
    int fb_calls;
    struct framebuffer fb_arg;
    const char *fb_answer; /* what fb_console_init returns */
    int map_calls;
    uint64_t map_phys, map_size;
    bool map_refuses; /* arch_map_framebuffer returns NULL */
    struct console *registered;
} seen;

const char *arch_text_console_init(const struct boot_framebuffer *text)
{
    seen.text_calls++;
    seen.text_arg = text;
    return seen.text_answer;
}

void *arch_map_framebuffer(uint64_t phys, uint64_t size)
{
    seen.map_calls++;
    seen.map_phys = phys;
    seen.map_size = size;
    return seen.map_refuses ? NULL : (void *)(uintptr_t)(WINDOW_OFFSET + phys);
}

struct console fb_console = {.name = "framebuffer"};

const char *fb_console_init(const struct framebuffer *fb)
{
    seen.fb_calls++;
    seen.fb_arg = *fb;
    return seen.fb_answer;
}

unsigned int fb_console_columns(void)
{
    return seen.fb_arg.width / 8;
}

unsigned int fb_console_rows(void)
{
    return seen.fb_arg.height / 16;
}

void console_register(struct console *con)
{
    seen.registered = con;
}

static int reset(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof(seen));
    console_stub_reset();
    return 0;
}

/* What GRUB hands over on a UEFI PC: 32-bit x8r8g8b8 pixels. */
static struct boot_info rgb_info(uint64_t address, uint32_t width, uint32_t height)
{
    struct boot_info info = {.has_efi64 = true};

    info.framebuffer = (struct boot_framebuffer){
        .present = true,
        .type = MB2_FRAMEBUFFER_RGB,
        .address = address,
        .width = width,
        .height = height,
        .pitch = width * 4,
        .bpp = 32,
        .red_position = 16,
        .red_size = 8,
        .green_position = 8,
        .green_size = 8,
        .blue_position = 0,
        .blue_size = 8,
    };
    return info;
}

/* What GRUB hands over on a BIOS PC asked for text mode. */
static struct boot_info ega_info(uint64_t address, uint32_t columns, uint32_t rows)
{
    struct boot_info info = {0};

    info.framebuffer = (struct boot_framebuffer){
        .present = true,
        .type = MB2_FRAMEBUFFER_EGA_TEXT,
        .address = address,
        .width = columns,
        .height = rows,
        .pitch = columns * 2,
        .bpp = 16,
    };
    return info;
}

static void test_rgb_framebuffer_gets_the_framebuffer_console(void **state)
{
    struct boot_info info = rgb_info(0xfd000000, 1280, 800);

    (void)state;
    screen_console_init(&info);
    assert_int_equal(seen.fb_calls, 1);
    assert_int_equal(seen.text_calls, 0);
    assert_ptr_equal(seen.registered, &fb_console);
    /* Mapped by arch_map_framebuffer, every field as the loader gave it. */
    assert_ptr_equal(seen.fb_arg.address, (void *)(uintptr_t)(WINDOW_OFFSET + 0xfd000000));
    assert_int_equal(seen.fb_arg.width, 1280);
    assert_int_equal(seen.fb_arg.height, 800);
    assert_int_equal(seen.fb_arg.pitch, 1280 * 4);
    assert_int_equal(seen.fb_arg.bpp, 32);
    assert_int_equal(seen.fb_arg.red_position, 16);
    assert_int_equal(seen.fb_arg.red_size, 8);
    assert_int_equal(seen.fb_arg.green_position, 8);
    assert_int_equal(seen.fb_arg.green_size, 8);
    assert_int_equal(seen.fb_arg.blue_position, 0);
    assert_int_equal(seen.fb_arg.blue_size, 8);
    assert_non_null(strstr(console_stub_output,
                           "keel: screen: framebuffer 1280x800, 32 bits per pixel, at 0xfd000000: "
                           "160x50 characters\n"));
}

static void test_framebuffer_the_console_refuses_is_left_alone(void **state)
{
    struct boot_info info = rgb_info(0x80000000, 800, 600);

    (void)state;
    seen.fb_answer = "only 15, 16, 24 and 32 bits per pixel can be drawn";
    screen_console_init(&info);
    assert_int_equal(seen.fb_calls, 1);
    assert_null(seen.registered);
    assert_non_null(strstr(console_stub_output,
                           "cannot draw on the 800x600 framebuffer: only 15, 16, 24 and 32"));
}

static void test_framebuffer_that_cannot_be_mapped_is_not_touched(void **state)
{
    struct boot_info high = rgb_info(0x800000000, 1920, 1080); /* at 32 GiB */

    (void)state;
    seen.map_refuses = true;
    screen_console_init(&high);
    assert_int_equal(seen.map_calls, 1);
    assert_int_equal(seen.fb_calls, 0);
    assert_null(seen.registered);
    assert_non_null(strstr(console_stub_output,
                           "the framebuffer at 0x800000000 cannot be mapped: nothing is drawn"));
}

static void test_framebuffer_is_mapped_where_it_lies(void **state)
{
    struct boot_info high = rgb_info(0x800000000, 1920, 1080);

    (void)state;
    screen_console_init(&high);
    assert_int_equal(seen.map_calls, 1);
    assert_int_equal(seen.map_phys, 0x800000000);
    /* pitch * height, every byte of it. */
    assert_int_equal(seen.map_size, 1920 * 4 * 1080);
    assert_int_equal(seen.fb_calls, 1);
    assert_ptr_equal(seen.fb_arg.address, (void *)(uintptr_t)(WINDOW_OFFSET + 0x800000000));
    assert_ptr_equal(seen.registered, &fb_console);
}

static void test_ega_text_gets_the_text_console(void **state)
{
    struct boot_info info = ega_info(0xb8000, 80, 25);

    (void)state;
    screen_console_init(&info);
    assert_int_equal(seen.text_calls, 1);
    assert_ptr_equal(seen.text_arg, &info.framebuffer);
    assert_int_equal(seen.fb_calls, 0);
    assert_non_null(strstr(console_stub_output, "keel: screen: VGA text, 80x25 characters\n"));
}

static void test_text_screen_the_arch_refuses_is_reported(void **state)
{
    struct boot_info info = ega_info(0xb8000, 80, 50);

    (void)state;
    seen.text_answer = "only the 80x25 VGA text screen at 0xb8000 can be drawn on";
    screen_console_init(&info);
    assert_int_equal(seen.text_calls, 1);
    assert_non_null(strstr(console_stub_output, "cannot use the text screen: only the 80x25"));
    assert_null(strstr(console_stub_output, "VGA text, 80x25 characters"));
}

static void test_no_tag_on_bios_means_the_text_screen(void **state)
{
    struct boot_info info = {0};

    (void)state;
    screen_console_init(&info);
    assert_int_equal(seen.text_calls, 1);
    assert_null(seen.text_arg);
}

static void test_no_tag_on_uefi_means_serial_only(void **state)
{
    struct boot_info info = {.has_efi64 = true};

    (void)state;
    screen_console_init(&info);
    assert_int_equal(seen.text_calls, 0);
    assert_int_equal(seen.fb_calls, 0);
    assert_non_null(strstr(console_stub_output, "UEFI has no text mode: serial only"));
}

static void test_indexed_colours_are_not_drawn(void **state)
{
    struct boot_info info = rgb_info(0xa0000, 320, 200);

    (void)state;
    info.framebuffer.type = MB2_FRAMEBUFFER_INDEXED;
    info.framebuffer.bpp = 8;
    screen_console_init(&info);
    assert_int_equal(seen.text_calls, 0);
    assert_int_equal(seen.fb_calls, 0);
    assert_non_null(
        strstr(console_stub_output, "320x200 at 8 bits per pixel with a colour palette"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_rgb_framebuffer_gets_the_framebuffer_console, reset),
        cmocka_unit_test_setup(test_framebuffer_the_console_refuses_is_left_alone, reset),
        cmocka_unit_test_setup(test_framebuffer_that_cannot_be_mapped_is_not_touched, reset),
        cmocka_unit_test_setup(test_framebuffer_is_mapped_where_it_lies, reset),
        cmocka_unit_test_setup(test_ega_text_gets_the_text_console, reset),
        cmocka_unit_test_setup(test_text_screen_the_arch_refuses_is_reported, reset),
        cmocka_unit_test_setup(test_no_tag_on_bios_means_the_text_screen, reset),
        cmocka_unit_test_setup(test_no_tag_on_uefi_means_serial_only, reset),
        cmocka_unit_test_setup(test_indexed_colours_are_not_drawn, reset),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
