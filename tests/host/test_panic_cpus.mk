HOST_TESTS += test_panic_cpus
test_panic_cpus_SRCS := tests/host/test_panic_cpus.c kernel/panic.c kernel/cpu.c kernel/kprintf.c \
	kernel/string.c tests/host/console_stub.c
