HOST_TESTS += test_irq
test_irq_SRCS := tests/host/test_irq.c kernel/irq.c kernel/kprintf.c kernel/string.c \
	tests/host/console_stub.c
