HOST_TESTS += test_boot_info_corpus
test_boot_info_corpus_SRCS := tests/host/test_boot_info_corpus.c kernel/boot_info.c kernel/string.c
