HOST_TESTS += test_clock_calibrate
test_clock_calibrate_SRCS := tests/host/test_clock_calibrate.c kernel/clock_calibrate.c \
	kernel/clock_math.c
