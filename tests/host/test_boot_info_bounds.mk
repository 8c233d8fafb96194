HOST_TESTS += test_boot_info_bounds
test_boot_info_bounds_SRCS := tests/host/test_boot_info_bounds.c kernel/boot_info.c kernel/string.c
