HOST_TESTS += test_fb_no_reads
test_fb_no_reads_SRCS := tests/host/test_fb_no_reads.c kernel/fb_console.c kernel/string.c build/gen/font.c
