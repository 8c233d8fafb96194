/*
 * The ACPI dump (keel.acpi_dump, in kernel/acpi_init.c): the RSDP and every table the RSDT/XSDT
 * lists, printed as hex on the consoles, for taking a machine's tables home over a serial cable
 * (tests/fuzz/acpi_dump_to_capture.py turns the log into a capture file for the parser's host
 * tests). The walk follows the firmware's pointers as tests/fuzz/acpi_capture.py does, not the
 * parser's verdicts: a table with a bad checksum is dumped all the same, which is what makes the
 * dump worth having. Portable: physical memory is read only through the caller's struct
 * acpi_memory.
 *
 * The lines, all starting "acpi-dump: ":
 *     table 0x7fe1bef 52 RSDT       a table: its address, its length, its signature (or RSDP)
 *     0x7fe1bef 5253445434000000... up to ACPI_DUMP_LINE_BYTES of it, from that address on
 *     0x7fe2000 not mapped          a pointer that leads nowhere readable, left out
 *     end 6 tables                  the last line: how many "table" lines came before it
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/kprintf.h"
#include "kernel/string.h"

struct dump {
    const struct acpi_memory *memory;
    uint64_t seen[ACPI_DUMP_MAX_TABLES];
    unsigned seen_count;
    unsigned tables; /* "table" lines printed */
};

/* The bytes at phys, or NULL (said on the console) when any of them is not mapped. */
static const uint8_t *readable(struct dump *d, uint64_t phys, uint64_t length)
{
    const uint8_t *bytes = d->memory->map(d->memory->context, phys, length);

    if (bytes == NULL)
        kprintf("acpi-dump: 0x%llx not mapped\n", (unsigned long long)phys);
    return bytes;
}

/* Whether phys is new to this dump; it is remembered from now on. */
static bool first_visit(struct dump *d, uint64_t phys)
{
    for (unsigned i = 0; i < d->seen_count; i++)
        if (d->seen[i] == phys)
            return false;
    if (d->seen_count == ACPI_DUMP_MAX_TABLES) {
        kprintf("acpi-dump: 0x%llx left out: more than %d tables\n", (unsigned long long)phys,
                ACPI_DUMP_MAX_TABLES);
        return false;
    }
    d->seen[d->seen_count++] = phys;
    return true;
}

/* name: "RSDP", or NULL for a table's signature, with anything unprintable (or a space) as '?'. */
static void print_record(struct dump *d, uint64_t phys, const uint8_t *bytes, uint32_t length,
                         const char *name)
{
    char signature[5];

    for (int i = 0; i < 4; i++)
        signature[i] = bytes[i] > ' ' && bytes[i] <= '~' ? (char)bytes[i] : '?';
    signature[4] = '\0';
    kprintf("acpi-dump: table 0x%llx %u %s\n", (unsigned long long)phys, length,
            name ? name : signature);
    for (uint32_t offset = 0; offset < length; offset += ACPI_DUMP_LINE_BYTES) {
        static const char digits[] = "0123456789abcdef";
        char hex[2 * ACPI_DUMP_LINE_BYTES + 1];
        char *out = hex;

        for (uint32_t i = offset; i < length && i - offset < ACPI_DUMP_LINE_BYTES; i++) {
            *out++ = digits[bytes[i] >> 4];
            *out++ = digits[bytes[i] & 0xf];
        }
        *out = '\0';
        kprintf("acpi-dump: 0x%llx %s\n", (unsigned long long)(phys + offset), hex);
    }
    d->tables++;
}

/* ACPI 6.5 5.2.6: the header holds the length; a length the header cannot fit in is not one. */
static const uint8_t *dump_table(struct dump *d, uint64_t phys, uint32_t *length_out)
{
    const uint8_t *table = readable(d, phys, SDT_HEADER_SIZE);
    uint32_t length;

    if (table == NULL)
        return NULL;
    length = acpi_u32(table + SDT_LENGTH);
    if (length < SDT_HEADER_SIZE || length > ACPI_DUMP_MAX_TABLE) {
        kprintf("acpi-dump: 0x%llx has length %u, dumping its header only\n",
                (unsigned long long)phys, length);
        length = SDT_HEADER_SIZE;
    } else if (readable(d, phys, length) == NULL) {
        return NULL;
    }
    print_record(d, phys, table, length, NULL);
    *length_out = length;
    return table;
}

/* 5.2.7 RSDT, 5.2.8 XSDT: the root, then each table it lists that was not dumped already. */
static void dump_root(struct dump *d, uint64_t phys, uint32_t entry_size)
{
    uint32_t length = 0;
    const uint8_t *root;

    if (phys == 0 || !first_visit(d, phys))
        return;
    root = dump_table(d, phys, &length);
    if (root == NULL)
        return;
    for (uint32_t at = SDT_HEADER_SIZE; at + entry_size <= length; at += entry_size) {
        uint64_t entry = entry_size == 8 ? acpi_u64(root + at) : acpi_u32(root + at);
        uint32_t entry_length;

        if (entry != 0 && first_visit(d, entry))
            dump_table(d, entry, &entry_length);
    }
}

/*
 * 5.2.5.3: the RSDP's first 20 bytes are ACPI 1.0's; from revision 2 on it gives its own length
 * and the XSDT's address.
 */
static void dump_from_rsdp(struct dump *d, uint64_t phys)
{
    const uint8_t *rsdp = readable(d, phys, RSDP_V1_SIZE);
    uint32_t length = RSDP_V1_SIZE;

    if (rsdp == NULL)
        return;
    if (memcmp(rsdp, "RSD PTR ", 8) != 0) {
        kprintf("acpi-dump: no RSDP signature at 0x%llx\n", (unsigned long long)phys);
        return;
    }
    bool v2 = rsdp[RSDP_REVISION] >= RSDP_FIRST_REVISION_V2;
    if (v2) {
        if (readable(d, phys, RSDP_V2_SIZE) == NULL)
            return;
        uint32_t claimed = acpi_u32(rsdp + RSDP_LENGTH);
        length = RSDP_V2_SIZE;
        if (claimed > RSDP_V2_SIZE && claimed <= ACPI_DUMP_MAX_RSDP && readable(d, phys, claimed))
            length = claimed;
    }
    d->seen[d->seen_count++] = phys;
    print_record(d, phys, rsdp, length, "RSDP");
    dump_root(d, acpi_u32(rsdp + RSDP_RSDT_ADDRESS), 4);
    if (v2)
        dump_root(d, acpi_u64(rsdp + RSDP_XSDT_ADDRESS), 8);
}

void acpi_dump(const struct acpi_memory *memory, uint64_t rsdp_phys)
{
    struct dump d = {.memory = memory};

    if (rsdp_phys != 0)
        dump_from_rsdp(&d, rsdp_phys);
    else
        kprintf("acpi-dump: no RSDP in the boot information\n");
    kprintf("acpi-dump: end %u tables\n", d.tables);
}
