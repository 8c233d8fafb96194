/*
 * libFuzzer target for the boot information parser. The input is laid out exactly as the parser
 * may read it, in a heap block ending at total_size, so AddressSanitizer reports any read outside
 * [mbi, mbi + total_size); every accessor is then walked over whatever was accepted.
 *
 * `make fuzz` builds and runs it; by hand (new inputs go to the first directory):
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
 *       -I. -DKEEL_HOST_TEST -include tests/host/host_names.h \
 *       tests/fuzz/fuzz_boot_info.c kernel/boot_info*.c kernel/string.c -o build/fuzz_boot_info
 *   mkdir -p build/corpus_boot_info
 *   build/fuzz_boot_info -max_total_time=60 -max_len=4096 build/corpus_boot_info \
 *       tests/fuzz/corpus/boot_info
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel/boot_info.h"
#include "kernel/string.h"

/* Keeps the compiler from dropping reads whose results are otherwise unused. */
static volatile uint8_t sink;

static void touch(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        sink ^= b[i];
}

static void walk(const struct boot_info *info, uint32_t total_size)
{
    struct boot_mmap_entry e;

    if (info->mbi_end - info->mbi_start != total_size)
        __builtin_trap();
    if (info->cmdline)
        touch(info->cmdline, strlen(info->cmdline) + 1);
    if (info->loader_name)
        touch(info->loader_name, strlen(info->loader_name) + 1);
    size_t modules = 0;
    struct boot_module m;
    for (uint32_t cursor = 0; boot_info_next_module(info, &cursor, &m); modules++) {
        if (m.end < m.start)
            __builtin_trap();
        touch(m.name, strlen(m.name) + 1);
    }
    if (modules != info->modules.count)
        __builtin_trap();
    for (size_t i = 0; i < info->mmap.count; i++) {
        if (!boot_info_mmap_entry(info, i, &e))
            __builtin_trap();
        touch(mmap_type_name(e.type), 1);
    }
    if (boot_info_mmap_entry(info, info->mmap.count, &e))
        __builtin_trap();
    if (info->framebuffer.palette)
        touch(info->framebuffer.palette, (size_t)info->framebuffer.palette_count * 3);
    if (info->acpi_v1.present)
        touch(info->acpi_v1.table, info->acpi_v1.length);
    if (info->acpi_v2.present)
        touch(info->acpi_v2.table, info->acpi_v2.length);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t total_size = 0;
    size_t block;
    uint8_t *mbi;
    struct boot_info info;
    struct boot_info_error err = {0};

    memcpy(&total_size, data, size < 4 ? size : 4);
    /*
     * The parser may read total_size bytes when total_size is plausible, and only the size field
     * itself otherwise; the block is exactly that long. malloc's alignment covers the 8 bytes the
     * spec promises.
     */
    block = total_size >= 4 && total_size <= BOOT_INFO_MAX_SIZE ? total_size : 4;
    mbi = malloc(block);
    if (mbi == NULL)
        return 0;
    memset(mbi, 0, block);
    memcpy(mbi, data, size < block ? size : block);

    if (boot_info_parse(mbi, 0x10000, &info, &err)) {
        walk(&info, total_size);
    } else {
        if (err.what == NULL || err.offset > block)
            __builtin_trap();
    }
    free(mbi);
    return 0;
}
