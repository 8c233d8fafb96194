HOST_TESTS += test_console
test_console_SRCS := tests/host/test_console.c kernel/console.c kernel/kprintf.c kernel/string.c \
	tests/host/cpu_double.c
