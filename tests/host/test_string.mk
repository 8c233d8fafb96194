HOST_TESTS += test_string
test_string_SRCS := tests/host/test_string.c kernel/string.c
