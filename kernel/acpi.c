/*
 * The ACPI table walk: the RSDP, then the RSDT or XSDT, then every table they list, each checked
 * (reachable, length, checksum) before the parser for its signature reads a field of it.
 * Portable: physical memory is read only through the caller's struct acpi_memory.
 */
#include <stdarg.h>

#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/kprintf.h"
#include "kernel/string.h"

struct walk {
    const struct acpi_memory *memory;
    struct acpi_info *info;
    bool listed_madt, listed_fadt; /* seen in the root table, valid or not */
};

void acpi_problem(struct acpi_info *info, const char *table, const char *fmt, ...)
{
    if (info->problem_count == ACPI_MAX_PROBLEMS) {
        info->problems_skipped++;
        return;
    }
    char *line = info->problems[info->problem_count++];
    size_t used = ksnprintf(line, ACPI_PROBLEM_SIZE, "%s: ", table);
    if (used < ACPI_PROBLEM_SIZE) {
        va_list args;

        va_start(args, fmt);
        kvsnprintf(line + used, ACPI_PROBLEM_SIZE - used, fmt, args);
        va_end(args);
    }
}

/* 5.2.5.3, 5.2.6: a table is valid when all of its bytes, checksum included, sum to 0 (mod 256). */
static uint8_t byte_sum(const uint8_t *bytes, uint32_t length)
{
    uint8_t sum = 0;

    for (uint32_t i = 0; i < length; i++)
        sum = (uint8_t)(sum + bytes[i]);
    return sum;
}

/* Signatures and OEM ids come from firmware: anything unprintable is shown as '?'. */
static void copy_printable(char *out, const uint8_t *in, size_t length)
{
    for (size_t i = 0; i < length; i++)
        out[i] = in[i] >= ' ' && in[i] <= '~' ? (char)in[i] : '?';
    out[length] = '\0';
}

/* What the spec calls a table in prose, for messages: the MADT's signature is "APIC". */
static const char *table_name(const char *signature)
{
    if (strcmp(signature, "APIC") == 0)
        return "MADT";
    if (strcmp(signature, "FACP") == 0)
        return "FADT";
    return signature;
}

/*
 * Maps the table at address and checks it as 5.2.6 says: the header readable, a length that
 * covers at least the header and lies wholly in readable memory, a zero byte sum. called is what
 * messages name the table until its header shows its signature. Returns the table, or NULL after
 * one problem was reported. *ref (when not NULL) records what was found either way.
 */
static const uint8_t *fetch_table(struct walk *w, const char *called, uint64_t address,
                                  uint32_t *length_out, struct acpi_table_ref *ref)
{
    struct acpi_table_ref found = {.address = address};
    const uint8_t *table = NULL;
    const uint8_t *header;
    const char *name = called;
    uint32_t length = 0;

    if (address == 0) {
        acpi_problem(w->info, called, "address is 0");
        goto out;
    }
    header = w->memory->map(w->memory->context, address, SDT_HEADER_SIZE);
    if (header == NULL) {
        acpi_problem(w->info, called, "0x%llx is not mapped", (unsigned long long)address);
        goto out;
    }
    copy_printable(found.signature, header + SDT_SIGNATURE, 4);
    name = table_name(found.signature);
    length = acpi_u32(header + SDT_LENGTH);
    found.length = length;
    if (length < SDT_HEADER_SIZE) {
        acpi_problem(w->info, name, "length %u at 0x%llx is shorter than the %u-byte header",
                     length, (unsigned long long)address, SDT_HEADER_SIZE);
        goto out;
    }
    table = w->memory->map(w->memory->context, address, length);
    if (table == NULL) {
        acpi_problem(w->info, name, "length %u at 0x%llx runs past mapped memory", length,
                     (unsigned long long)address);
        goto out;
    }
    uint8_t sum = byte_sum(table, length);
    if (sum != 0) {
        acpi_problem(w->info, name, "checksum at 0x%llx is wrong (bytes sum to 0x%02x, not 0)",
                     (unsigned long long)address, sum);
        table = NULL;
        goto out;
    }
    found.valid = true;
    *length_out = length;
out:
    if (ref != NULL)
        *ref = found;
    return table;
}

/* The first table of a kind is used; a second one is reported and left alone. */
static bool first_of_its_kind(struct walk *w, bool present, const char *name, uint64_t address)
{
    if (present)
        acpi_problem(w->info, name, "another one at 0x%llx, ignored", (unsigned long long)address);
    return !present;
}

static void parse_table(struct walk *w, const struct acpi_table_ref *ref, const uint8_t *table)
{
    struct acpi_info *info = w->info;
    const char *name = table_name(ref->signature);

    if (strcmp(ref->signature, "APIC") == 0) {
        if (first_of_its_kind(w, info->madt.present, name, ref->address))
            acpi_parse_madt(table, ref->length, &info->madt, info);
    } else if (strcmp(ref->signature, "FACP") == 0) {
        if (first_of_its_kind(w, info->fadt.present, name, ref->address))
            acpi_parse_fadt(table, ref->length, &info->fadt, info);
    } else if (strcmp(ref->signature, "HPET") == 0) {
        if (first_of_its_kind(w, info->hpet.present, name, ref->address))
            acpi_parse_hpet(table, ref->length, &info->hpet, info);
    } else if (strcmp(ref->signature, "MCFG") == 0) {
        if (first_of_its_kind(w, info->mcfg.present, name, ref->address))
            acpi_parse_mcfg(table, ref->length, &info->mcfg, info);
    }
}

/*
 * 5.2.7 RSDT, 5.2.8 XSDT: after the header, an array of 32-bit (RSDT) or 64-bit (XSDT) physical
 * addresses, as many as the length leaves room for. Returns false when the root table itself is
 * unusable; a bad entry is reported and skipped.
 */
static bool walk_root(struct walk *w, const char *signature, uint64_t address, uint32_t entry_size)
{
    struct acpi_info *info = w->info;
    uint32_t length = 0;
    struct acpi_table_ref root;
    const uint8_t *table = fetch_table(w, signature, address, &length, &root);

    if (table == NULL)
        return false;
    if (strcmp(root.signature, signature) != 0) {
        acpi_problem(info, signature, "0x%llx has signature \"%s\"", (unsigned long long)address,
                     root.signature);
        return false;
    }
    if ((length - SDT_HEADER_SIZE) % entry_size != 0) {
        acpi_problem(info, signature, "length %u leaves a partial %u-byte entry", length,
                     entry_size);
        return false;
    }
    info->uses_xsdt = entry_size == 8;
    info->root_address = address;

    uint32_t count = (length - SDT_HEADER_SIZE) / entry_size;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *at = table + SDT_HEADER_SIZE + i * entry_size;
        uint64_t entry = entry_size == 8 ? acpi_u64(at) : acpi_u32(at);
        char called[24];
        struct acpi_table_ref ref;
        uint32_t entry_length;

        ksnprintf(called, sizeof(called), "%s entry %u", signature, i);
        const uint8_t *entry_table = fetch_table(w, called, entry, &entry_length, &ref);
        if (info->table_count < ACPI_MAX_TABLES)
            info->tables[info->table_count++] = ref;
        else
            info->tables_skipped++;
        w->listed_madt |= strcmp(ref.signature, "APIC") == 0;
        w->listed_fadt |= strcmp(ref.signature, "FACP") == 0;
        if (entry_table != NULL)
            parse_table(w, &ref, entry_table);
    }
    return true;
}

/*
 * 5.2.5.3: the RSDP. Its first 20 bytes (ACPI 1.0) have their own checksum and the RSDT's
 * address; from revision 2 on it is longer, with an extended checksum over all of it, and the
 * XSDT's address. An RSDP whose extension is broken still gives a trustworthy RSDT.
 */
static bool read_rsdp(struct walk *w, const uint8_t *rsdp, uint32_t length, uint64_t *rsdt,
                      uint64_t *xsdt)
{
    struct acpi_info *info = w->info;

    if (rsdp == NULL) {
        acpi_problem(info, "RSDP", "none in the boot information");
        return false;
    }
    if (length < RSDP_V1_SIZE) {
        acpi_problem(info, "RSDP", "%u bytes, fewer than the %u of ACPI 1.0", length, RSDP_V1_SIZE);
        return false;
    }
    if (memcmp(rsdp, "RSD PTR ", 8) != 0) {
        acpi_problem(info, "RSDP", "signature is not \"RSD PTR \"");
        return false;
    }
    if (byte_sum(rsdp, RSDP_V1_SIZE) != 0) {
        acpi_problem(info, "RSDP", "checksum is wrong");
        return false;
    }
    info->present = true;
    info->revision = rsdp[RSDP_REVISION];
    copy_printable(info->oem_id, rsdp + RSDP_OEM_ID, 6);
    *rsdt = acpi_u32(rsdp + RSDP_RSDT_ADDRESS);
    *xsdt = 0;
    if (info->revision < RSDP_FIRST_REVISION_V2)
        return true;

    uint32_t full = length >= RSDP_V2_SIZE ? acpi_u32(rsdp + RSDP_LENGTH) : 0;
    if (length < RSDP_V2_SIZE)
        acpi_problem(info, "RSDP", "revision %u in only %u bytes, using the RSDT", info->revision,
                     length);
    else if (full < RSDP_V2_SIZE || full > length)
        acpi_problem(info, "RSDP", "length %u is outside %u..%u, using the RSDT", full,
                     RSDP_V2_SIZE, length);
    else if (byte_sum(rsdp, full) != 0)
        acpi_problem(info, "RSDP", "extended checksum is wrong, using the RSDT");
    else
        *xsdt = acpi_u64(rsdp + RSDP_XSDT_ADDRESS);
    return true;
}

/* Capacities that were exceeded: what was left out, said once per kind. */
static void report_skipped(struct acpi_info *info)
{
    const struct acpi_madt *madt = &info->madt;

    if (info->tables_skipped)
        acpi_problem(info, info->uses_xsdt ? "XSDT" : "RSDT",
                     "%zu more tables than the %d listed (all were parsed)", info->tables_skipped,
                     ACPI_MAX_TABLES);
    if (madt->cpus_skipped)
        acpi_problem(info, "MADT", "%zu more CPUs than the %d kept", madt->cpus_skipped,
                     ACPI_MAX_CPUS);
    if (madt->ioapics_skipped)
        acpi_problem(info, "MADT", "%zu more I/O APICs than the %d kept", madt->ioapics_skipped,
                     ACPI_MAX_IOAPICS);
    if (madt->overrides_skipped)
        acpi_problem(info, "MADT", "%zu more interrupt overrides than the %d kept",
                     madt->overrides_skipped, ACPI_MAX_OVERRIDES);
    if (madt->nmi_sources_skipped)
        acpi_problem(info, "MADT", "%zu more NMI sources than the %d kept",
                     madt->nmi_sources_skipped, ACPI_MAX_NMI_SOURCES);
    if (madt->lapic_nmis_skipped)
        acpi_problem(info, "MADT", "%zu more local APIC NMIs than the %d kept",
                     madt->lapic_nmis_skipped, ACPI_MAX_LAPIC_NMIS);
    if (info->mcfg.ranges_skipped)
        acpi_problem(info, "MCFG", "%zu more ranges than the %d kept", info->mcfg.ranges_skipped,
                     ACPI_MAX_MCFG_RANGES);
}

void acpi_parse(const struct acpi_memory *memory, const void *rsdp, uint32_t rsdp_length,
                struct acpi_info *info)
{
    struct walk w = {.memory = memory, .info = info};
    uint64_t rsdt = 0, xsdt = 0;

    memset(info, 0, sizeof(*info));
    if (!read_rsdp(&w, rsdp, rsdp_length, &rsdt, &xsdt))
        return;
    /* 5.2.8: an OS that knows the XSDT uses it when there is one; the RSDT is for ACPI 1.0. */
    bool root_ok = (xsdt != 0 && walk_root(&w, "XSDT", xsdt, 8)) ||
                   (rsdt != 0 && walk_root(&w, "RSDT", rsdt, 4));
    if (!root_ok) {
        if (rsdt == 0 && xsdt == 0)
            acpi_problem(info, "RSDP", "gives neither an RSDT nor an XSDT address");
        return;
    }
    const char *root = info->uses_xsdt ? "XSDT" : "RSDT";
    if (!w.listed_madt)
        acpi_problem(info, "MADT", "not listed in the %s", root);
    if (!w.listed_fadt)
        acpi_problem(info, "FADT", "not listed in the %s", root);
    report_skipped(info);
}

const char *acpi_polarity_name(uint8_t polarity)
{
    static const char *const names[] = {"bus default", "high", "reserved", "low"};
    return names[polarity & 3];
}

const char *acpi_trigger_name(uint8_t trigger)
{
    static const char *const names[] = {"bus default", "edge", "reserved", "level"};
    return names[trigger & 3];
}
