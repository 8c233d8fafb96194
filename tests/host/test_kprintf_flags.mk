HOST_TESTS += test_kprintf_flags
test_kprintf_flags_SRCS := tests/host/test_kprintf_flags.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c tests/host/kprintf_expect.c
