HOST_TESTS += test_boot_info_errors
test_boot_info_errors_SRCS := tests/host/test_boot_info_errors.c tests/host/boot_info_builder.c \
	$(BOOT_INFO_SOURCES) kernel/string.c
