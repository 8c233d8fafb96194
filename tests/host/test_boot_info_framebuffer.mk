HOST_TESTS += test_boot_info_framebuffer
test_boot_info_framebuffer_SRCS := tests/host/test_boot_info_framebuffer.c $(BOOT_INFO_SOURCES) kernel/string.c
