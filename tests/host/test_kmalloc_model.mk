HOST_TESTS += test_kmalloc_model
test_kmalloc_model_SRCS := tests/host/test_kmalloc_model.c tests/host/panic_double.c $(HEAP_SRCS)
