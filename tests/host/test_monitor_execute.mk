HOST_TESTS += test_monitor_execute
test_monitor_execute_SRCS := tests/host/test_monitor_execute.c kernel/monitor.c \
	kernel/monitor_line.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c
