HOST_TESTS += test_paging_protect
test_paging_protect_SRCS := tests/host/test_paging_protect.c tests/host/panic_double.c \
	arch/x86_64/mm/paging.c kernel/phys.c tests/host/boot_window_double.c kernel/string.c
