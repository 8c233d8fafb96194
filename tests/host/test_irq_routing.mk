HOST_TESTS += test_irq_routing
test_irq_routing_SRCS := tests/host/test_irq_routing.c arch/x86_64/apic/irq_routing.c kernel/string.c
