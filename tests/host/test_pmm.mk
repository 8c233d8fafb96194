HOST_TESTS += test_pmm
test_pmm_SRCS := tests/host/test_pmm.c tests/host/fake_ram.c tests/host/panic_double.c kernel/pmm.c kernel/phys.c tests/host/boot_window_double.c kernel/string.c \
	$(SPINLOCK_SRCS)
