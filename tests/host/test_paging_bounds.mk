HOST_TESTS += test_paging_bounds
test_paging_bounds_SRCS := tests/host/test_paging_bounds.c tests/host/panic_double.c arch/x86_64/mm/paging.c kernel/phys.c tests/host/boot_window_double.c kernel/string.c
