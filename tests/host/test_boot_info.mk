HOST_TESTS += test_boot_info
test_boot_info_SRCS := tests/host/test_boot_info.c tests/host/boot_info_builder.c \
	$(BOOT_INFO_SOURCES) kernel/string.c
