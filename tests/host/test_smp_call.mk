HOST_TESTS += test_smp_call
test_smp_call_SRCS := tests/host/test_smp_call.c kernel/smp_call.c kernel/spinlock.c kernel/cpu.c \
	kernel/kprintf.c kernel/string.c tests/host/console_stub.c tests/host/panic_double.c
