HOST_TESTS += test_vm
test_vm_SRCS := tests/host/test_vm.c tests/host/panic_double.c $(HEAP_SRCS)
