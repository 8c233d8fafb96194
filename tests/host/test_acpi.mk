# The ACPI parser (kernel/acpi*.c, without the kernel's acpi_init.c) over hand-made and captured
# tables, in fake physical memory.
ACPI_PARSER_SRCS := kernel/acpi.c kernel/acpi_madt.c kernel/acpi_fadt.c kernel/acpi_hpet.c \
	kernel/acpi_mcfg.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c \
	tests/host/acpi_fake_memory.c
HOST_TESTS += test_acpi_root
test_acpi_root_SRCS := tests/host/test_acpi_root.c tests/host/acpi_builder.c $(ACPI_PARSER_SRCS)
HOST_TESTS += test_acpi_madt
test_acpi_madt_SRCS := tests/host/test_acpi_madt.c tests/host/acpi_builder.c kernel/acpi_print.c \
	$(ACPI_PARSER_SRCS)
HOST_TESTS += test_acpi_fadt
test_acpi_fadt_SRCS := tests/host/test_acpi_fadt.c tests/host/acpi_builder.c $(ACPI_PARSER_SRCS)
HOST_TESTS += test_acpi_captures
test_acpi_captures_SRCS := tests/host/test_acpi_captures.c kernel/acpi_print.c $(ACPI_PARSER_SRCS)
# keel.acpi_dump's walk, read back by the test's own console (no console_stub.c).
HOST_TESTS += test_acpi_dump
test_acpi_dump_SRCS := tests/host/test_acpi_dump.c tests/host/acpi_builder.c kernel/acpi_dump.c \
	kernel/acpi.c kernel/acpi_madt.c kernel/acpi_fadt.c kernel/acpi_hpet.c kernel/acpi_mcfg.c \
	kernel/kprintf.c kernel/string.c tests/host/acpi_fake_memory.c
