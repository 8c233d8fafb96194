HOST_TESTS += test_deadline
test_deadline_SRCS := tests/host/test_deadline.c
