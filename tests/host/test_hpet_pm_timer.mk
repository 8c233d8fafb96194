HOST_TESTS += test_hpet_pm_timer
test_hpet_pm_timer_SRCS := tests/host/test_hpet_pm_timer.c arch/x86_64/pc/hpet.c \
	arch/x86_64/pc/pm_timer.c kernel/kprintf.c kernel/string.c tests/host/console_stub.c
