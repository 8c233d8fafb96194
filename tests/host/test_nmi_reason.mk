HOST_TESTS += test_nmi_reason
test_nmi_reason_SRCS := tests/host/test_nmi_reason.c arch/x86_64/pc/nmi_reason.c
