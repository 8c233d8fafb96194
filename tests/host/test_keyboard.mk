HOST_TESTS += test_keyboard
test_keyboard_SRCS := tests/host/test_keyboard.c kernel/keyboard.c kernel/keyboard_scancodes.c
