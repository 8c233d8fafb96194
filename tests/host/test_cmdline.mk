HOST_TESTS += test_cmdline
test_cmdline_SRCS := tests/host/test_cmdline.c kernel/cmdline.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c
