HOST_TESTS += test_memory
test_memory_SRCS := tests/host/test_memory.c tests/host/fake_ram.c tests/host/boot_info_builder.c tests/host/panic_double.c \
	tests/host/boot_window_double.c kernel/memory.c kernel/pmm.c kernel/phys.c $(BOOT_INFO_SOURCES) \
	kernel/string.c $(SPINLOCK_SRCS)
