/*
 * The parser against the fuzzer's seed corpus (tests/fuzz/corpus/boot_info): every seed is
 * well-formed and must be accepted, and the boot information captured from GRUB on BIOS and on
 * UEFI (tests/fuzz/capture-boot-info, files *_capture.bin) must decode to what the capture boot
 * passed: a command line, GRUB's name, a module, a memory map, an RSDP. Then every bit of each
 * capture is flipped in turn, and the parser must refuse or accept without reading out of bounds.
 * Run from the repository root, as tests/run does.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/boot_info.h"
#include "kernel/multiboot2.h"

#define CORPUS         "tests/fuzz/corpus/boot_info"
#define CAPTURE_SUFFIX "_capture.bin"

/* What tests/fuzz/capture-boot-info passes to GRUB. */
#define CAPTURE_CMDLINE "captured by tests/fuzz/capture-boot-info"
#define CAPTURE_MODULE  "hello"

/* A whole file in a heap block of exactly its size, so AddressSanitizer sees any overread. */
static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long length = ftell(f);
    assert_true(length > 0);
    rewind(f);
    uint8_t *data = malloc((size_t)length);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)length, f), (size_t)length);
    fclose(f);
    *size = (size_t)length;
    return data;
}

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);
    return n >= s && strcmp(name + n - s, suffix) == 0;
}

/* Calls fn for every file in the corpus whose name ends in suffix; returns how many. */
static int for_each_seed(const char *suffix, void (*fn)(const char *path, const char *name))
{
    DIR *dir = opendir(CORPUS);
    struct dirent *d;
    char path[512];
    int count = 0;

    assert_non_null(dir);
    while ((d = readdir(dir)) != NULL) {
        if (d->d_name[0] == '.' || !has_suffix(d->d_name, suffix))
            continue;
        snprintf(path, sizeof(path), "%s/%s", CORPUS, d->d_name);
        fn(path, d->d_name);
        count++;
    }
    closedir(dir);
    return count;
}

static void parse_or_fail(const char *path, const char *name, const uint8_t *data,
                          struct boot_info *info)
{
    struct boot_info_error err = {0};
    if (!boot_info_parse(data, 0x10000, info, &err))
        fail_msg("%s (%s) is refused: %s at offset %u", name, path, err.what, err.offset);
}

static void accept_seed(const char *path, const char *name)
{
    size_t size;
    uint8_t *data = read_file(path, &size);
    struct boot_info info;
    uint32_t total_size;

    memcpy(&total_size, data, sizeof(total_size));
    if (total_size != size)
        fail_msg("%s: total_size %u, but the file has %zu bytes", name, total_size, size);
    parse_or_fail(path, name, data, &info);
    free(data);
}

static void test_every_seed_is_accepted(void **state)
{
    (void)state;
    assert_true(for_each_seed(".bin", accept_seed) >= 1);
}

static void check_capture(const char *path, const char *name)
{
    size_t size;
    uint8_t *data = read_file(path, &size);
    struct boot_info info;
    struct boot_mmap_entry entry;
    uint64_t available = 0;

    parse_or_fail(path, name, data, &info);
    assert_int_equal(info.mbi_end - info.mbi_start, size);
    assert_non_null(info.cmdline);
    assert_string_equal(info.cmdline, CAPTURE_CMDLINE);
    assert_non_null(info.loader_name);
    assert_memory_equal(info.loader_name, "GRUB", 4);
    struct boot_module module;
    uint32_t cursor = 0;
    assert_int_equal(info.modules.count, 1);
    assert_true(boot_info_next_module(&info, &cursor, &module));
    assert_string_equal(module.name, CAPTURE_MODULE);
    assert_true(module.end > module.start);

    assert_non_null(info.mmap.entries);
    for (size_t i = 0; boot_info_mmap_entry(&info, i, &entry); i++)
        if (entry.type == MB2_MEMORY_AVAILABLE)
            available += entry.length;
    /* The capture boots get 128 or 256 MiB; the firmware keeps a few MiB for itself. */
    assert_true(available >= 100ULL << 20);
    assert_true(available <= 256ULL << 20);
    assert_true(info.acpi_v1.present || info.acpi_v2.present);
    free(data);
}

static void test_real_captures_decode(void **state)
{
    (void)state;
    /* At least the BIOS and the UEFI capture. */
    assert_true(for_each_seed(CAPTURE_SUFFIX, check_capture) >= 2);
}

/* One corrupted input, laid out as the fuzzer does: a block exactly as long as total_size says. */
static void parse_mutant(const uint8_t *data, size_t size)
{
    uint32_t total_size;
    struct boot_info info;
    struct boot_info_error err;

    memcpy(&total_size, data, sizeof(total_size));
    size_t block = total_size >= 4 && total_size <= BOOT_INFO_MAX_SIZE ? total_size : 4;
    uint8_t *mbi = calloc(1, block);
    assert_non_null(mbi);
    memcpy(mbi, data, size < block ? size : block);
    if (!boot_info_parse(mbi, 0x10000, &info, &err))
        assert_non_null(err.what);
    free(mbi);
}

static void flip_every_bit(const char *path, const char *name)
{
    size_t size;
    uint8_t *data = read_file(path, &size);

    (void)name;
    for (size_t i = 0; i < size; i++) {
        for (int bit = 0; bit < 8; bit++) {
            data[i] ^= (uint8_t)(1U << bit);
            parse_mutant(data, size);
            data[i] ^= (uint8_t)(1U << bit);
        }
    }
    free(data);
}

static void test_captures_survive_every_bit_flip(void **state)
{
    (void)state;
    assert_true(for_each_seed(CAPTURE_SUFFIX, flip_every_bit) >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_seed_is_accepted),
        cmocka_unit_test(test_real_captures_decode),
        cmocka_unit_test(test_captures_survive_every_bit_flip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
