HOST_TESTS += test_monitor_line
test_monitor_line_SRCS := tests/host/test_monitor_line.c kernel/monitor_line.c kernel/string.c
