HOST_TESTS += test_pic_logic
test_pic_logic_SRCS := tests/host/test_pic_logic.c arch/x86_64/pc/pic_logic.c
