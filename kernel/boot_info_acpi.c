/*
 * The boot information's copies of the ACPI RSDP (Multiboot2 spec 3.6.17 and 3.6.18), checked
 * against ACPI 6.5 section 5.2.5.3: signature, checksums and length.
 */
#include "kernel/boot_info_parser.h"

#include "kernel/multiboot2.h"

/* ACPI 6.5 section 5.2.5.3: the RSDP's signature, and the byte offsets of the fields read. */
#define RSDP_SIGNATURE    "RSD PTR "
#define RSDP_REVISION     15
#define RSDP_RSDT_ADDRESS 16
#define RSDP_LENGTH       20
#define RSDP_XSDT_ADDRESS 24

/* ACPI: a table is valid when all its bytes, checksum included, add up to 0 modulo 256. */
static bool checksum_ok(const uint8_t *bytes, uint32_t length)
{
    uint8_t sum = 0;

    for (uint32_t i = 0; i < length; i++)
        sum = (uint8_t)(sum + bytes[i]);
    return sum == 0;
}

/* The ACPI 1.0 part, common to both tags: signature, first checksum, RSDT address. */
static bool check_rsdp_v1(struct parser *p, uint32_t at, struct boot_rsdp *out)
{
    const uint8_t *rsdp = p->base + at;

    if (memcmp(rsdp, RSDP_SIGNATURE, 8) != 0)
        return parse_fail(p, "bad RSDP signature", at);
    if (!checksum_ok(rsdp, RSDP_V1_SIZE))
        return parse_fail(p, "bad RSDP checksum", at);
    out->present = true;
    out->table = rsdp;
    out->length = RSDP_V1_SIZE;
    out->revision = rsdp[RSDP_REVISION];
    out->rsdt_address = read_u32(rsdp + RSDP_RSDT_ADDRESS);
    return true;
}

/* Spec 3.6.17: tag 14 holds a copy of the ACPI 1.0 RSDP. */
bool parse_acpi_old(struct parser *p, uint32_t offset, uint32_t size)
{
    (void)size;
    return check_rsdp_v1(p, offset + sizeof(struct mb2_tag), &p->info->acpi_v1);
}

/* Spec 3.6.18: tag 15 holds a copy of the ACPI 2.0+ RSDP, whose own length field says how long. */
bool parse_acpi_new(struct parser *p, uint32_t offset, uint32_t size)
{
    uint32_t at = offset + sizeof(struct mb2_tag);
    const uint8_t *rsdp = p->base + at;
    uint32_t length = read_u32(rsdp + RSDP_LENGTH);
    struct boot_rsdp found = {0};

    if (!check_rsdp_v1(p, at, &found))
        return false;
    if (length < RSDP_V2_SIZE)
        return parse_fail(p, "RSDP length below 36", at + RSDP_LENGTH);
    if (length > size - sizeof(struct mb2_tag))
        return parse_fail(p, "RSDP length past its tag", at + RSDP_LENGTH);
    if (!checksum_ok(rsdp, length))
        return parse_fail(p, "bad RSDP extended checksum", at);
    found.length = length;
    found.xsdt_address = read_u64(rsdp + RSDP_XSDT_ADDRESS);
    p->info->acpi_v2 = found;
    return true;
}
