HOST_TESTS += test_fb_bounds
test_fb_bounds_SRCS := tests/host/test_fb_bounds.c kernel/fb_console.c kernel/string.c build/gen/font.c
