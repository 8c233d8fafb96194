HOST_TESTS += test_kmalloc
test_kmalloc_SRCS := tests/host/test_kmalloc.c tests/host/panic_double.c $(HEAP_SRCS)
