HOST_TESTS += test_cmdline_bounds
test_cmdline_bounds_SRCS := tests/host/test_cmdline_bounds.c kernel/cmdline.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c
