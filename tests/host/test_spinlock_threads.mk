HOST_TESTS += test_spinlock_threads
test_spinlock_threads_SRCS := tests/host/test_spinlock_threads.c kernel/spinlock.c \
	tests/host/cpu_double.c tests/host/panic_double.c tests/host/console_stub.c kernel/kprintf.c \
	kernel/string.c
