HOST_TESTS += test_machine_check
test_machine_check_SRCS := tests/host/test_machine_check.c arch/x86_64/traps/machine_check_report.c \
	kernel/kprintf.c kernel/string.c tests/host/console_stub.c
