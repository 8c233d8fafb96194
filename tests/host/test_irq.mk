HOST_TESTS += test_irq
test_irq_SRCS := tests/host/test_irq.c kernel/irq.c $(SPINLOCK_SRCS) tests/host/panic_double.c
