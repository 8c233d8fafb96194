HOST_TESTS += test_boot_info_corpus
test_boot_info_corpus_SRCS := tests/host/test_boot_info_corpus.c $(BOOT_INFO_SOURCES) kernel/string.c
