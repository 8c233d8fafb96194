HOST_TESTS += test_ubsan
test_ubsan_SRCS := tests/host/test_ubsan.c kernel/ubsan.c kernel/kprintf.c kernel/string.c \
	tests/host/console_stub.c tests/host/panic_double.c
# Both the handlers and the test name them keel_ubsan_handle_* (see ubsan_names.h).
$(BUILD)/host/kernel/ubsan.o $(BUILD)/host/tests/host/test_ubsan.o: \
	HOST_CFLAGS += -include tests/host/ubsan_names.h
