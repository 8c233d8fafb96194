HOST_TESTS += test_kprintf_bounds
test_kprintf_bounds_SRCS := tests/host/test_kprintf_bounds.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c tests/host/kprintf_expect.c
