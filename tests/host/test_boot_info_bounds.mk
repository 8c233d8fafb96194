HOST_TESTS += test_boot_info_bounds
test_boot_info_bounds_SRCS := tests/host/test_boot_info_bounds.c $(BOOT_INFO_SOURCES) kernel/string.c
