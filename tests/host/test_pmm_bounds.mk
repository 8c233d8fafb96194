HOST_TESTS += test_pmm_bounds
test_pmm_bounds_SRCS := tests/host/test_pmm_bounds.c tests/host/fake_ram.c tests/host/panic_double.c kernel/pmm.c kernel/phys.c tests/host/boot_window_double.c kernel/string.c \
	$(SPINLOCK_SRCS)
