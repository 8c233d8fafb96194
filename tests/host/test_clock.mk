HOST_TESTS += test_clock
test_clock_SRCS := tests/host/test_clock.c kernel/clock_calibrate.c kernel/clock_math.c \
	kernel/kprintf.c kernel/string.c tests/host/console_stub.c
