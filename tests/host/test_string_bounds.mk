HOST_TESTS += test_string_bounds
test_string_bounds_SRCS := tests/host/test_string_bounds.c kernel/string.c
