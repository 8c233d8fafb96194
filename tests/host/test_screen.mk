HOST_TESTS += test_screen
test_screen_SRCS := tests/host/test_screen.c tests/host/panic_double.c kernel/screen.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c
