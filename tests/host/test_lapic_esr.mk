HOST_TESTS += test_lapic_esr
test_lapic_esr_SRCS := tests/host/test_lapic_esr.c arch/x86_64/apic/lapic_esr.c kernel/kprintf.c \
	kernel/string.c tests/host/console_stub.c
