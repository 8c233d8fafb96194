HOST_TESTS += test_kmalloc_cpus
test_kmalloc_cpus_SRCS := tests/host/test_kmalloc_cpus.c tests/host/panic_double.c $(HEAP_SRCS)
