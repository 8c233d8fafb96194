HOST_TESTS += test_console_cpus
test_console_cpus_SRCS := tests/host/test_console_cpus.c kernel/console.c kernel/kprintf.c \
	kernel/string.c tests/host/cpu_double.c
