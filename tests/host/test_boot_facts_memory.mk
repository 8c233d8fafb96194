# The memory map of the boot facts: the compact form and the table (kernel/boot_facts_memory.c).
HOST_TESTS += test_boot_facts_memory
test_boot_facts_memory_SRCS := tests/host/test_boot_facts_memory.c kernel/boot_facts_memory.c \
	tests/host/boot_info_builder.c $(BOOT_INFO_SOURCES) kernel/kprintf.c kernel/string.c \
	tests/host/console_stub.c
