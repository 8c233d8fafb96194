HOST_TESTS += test_paging
test_paging_SRCS := tests/host/test_paging.c tests/host/panic_double.c arch/x86_64/mm/paging.c kernel/phys.c tests/host/boot_window_double.c kernel/string.c
