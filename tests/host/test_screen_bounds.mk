HOST_TESTS += test_screen_bounds
test_screen_bounds_SRCS := tests/host/test_screen_bounds.c tests/host/panic_double.c kernel/screen.c kernel/phys.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c
