HOST_TESTS += test_terminal
test_terminal_SRCS := tests/host/test_terminal.c kernel/terminal.c
