HOST_TESTS += test_input
test_input_SRCS := tests/host/test_input.c kernel/input.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c
