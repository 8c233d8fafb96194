HOST_TESTS += test_kprintf
test_kprintf_SRCS := tests/host/test_kprintf.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c tests/host/kprintf_expect.c
