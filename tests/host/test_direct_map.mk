HOST_TESTS += test_direct_map
test_direct_map_SRCS := tests/host/test_direct_map.c tests/host/panic_double.c tests/host/tlb_double.c tests/host/console_stub.c arch/x86_64/mm/kernel_page_tables.c arch/x86_64/mm/paging.c $(BOOT_INFO_SOURCES) kernel/kprintf.c kernel/phys.c tests/host/boot_window_double.c kernel/string.c
