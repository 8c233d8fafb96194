HOST_TESTS += test_smp
test_smp_SRCS := tests/host/test_smp.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c
