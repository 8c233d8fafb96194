# What kernel code that takes a spinlock needs in a host test: the lock, a played CPU
# (tests/host/cpu_double.h) and what a long wait's report prints with. HEAP_SRCS lists the same
# itself (its fake_kernel_vm.c names symbols), being included first.
SPINLOCK_SRCS := kernel/spinlock.c tests/host/cpu_double.c tests/host/symbols_double.c \
	kernel/kprintf.c tests/host/console_stub.c kernel/string.c
