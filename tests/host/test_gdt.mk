HOST_TESTS += test_gdt
test_gdt_SRCS := tests/host/test_gdt.c
