HOST_TESTS += test_timing
test_timing_SRCS := tests/host/test_timing.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c
