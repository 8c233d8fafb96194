HOST_TESTS += test_fb_console
test_fb_console_SRCS := tests/host/test_fb_console.c kernel/fb_console.c kernel/string.c build/gen/font.c
