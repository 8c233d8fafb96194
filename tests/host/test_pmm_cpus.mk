HOST_TESTS += test_pmm_cpus
test_pmm_cpus_SRCS := tests/host/test_pmm_cpus.c tests/host/fake_ram.c tests/host/panic_double.c \
	kernel/pmm.c kernel/phys.c tests/host/boot_window_double.c $(SPINLOCK_SRCS)
