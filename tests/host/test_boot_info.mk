HOST_TESTS += test_boot_info
test_boot_info_SRCS := tests/host/test_boot_info.c kernel/boot_info.c kernel/string.c
