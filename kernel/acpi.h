/*
 * The ACPI tables keel needs, read once at boot: from the RSDP the boot loader copied, through the
 * RSDT or XSDT, to the MADT (CPUs and interrupt controllers), the FADT (PM timer, reset register,
 * boot architecture flags), the HPET table and the MCFG. The result is a plain struct; what is
 * missing or broken is left out and said so, for the interrupt and timer code to fall back on.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/boot_info.h"

/*
 * Capacities of the result. More entries than these are counted in the matching *_skipped field
 * and reported as a problem, never silently dropped.
 */
#define ACPI_MAX_TABLES      32  /* tables the RSDT/XSDT lists */
#define ACPI_MAX_CPUS        256 /* usable local APICs and x2APICs */
#define ACPI_MAX_IOAPICS     16
#define ACPI_MAX_OVERRIDES   32 /* interrupt source overrides; an ISA bus has 16 IRQs */
#define ACPI_MAX_NMI_SOURCES 8  /* NMIs wired to I/O APIC inputs */
#define ACPI_MAX_LAPIC_NMIS  64 /* NMIs wired to local APIC LINT pins; often one per CPU */
#define ACPI_MAX_MCFG_RANGES 8
#define ACPI_MAX_PROBLEMS    12
#define ACPI_PROBLEM_SIZE    96 /* one message: "MADT: entry at offset 44 has length 0" */

/* Reads physical memory for the parser, so it never touches hardware or page tables itself. */
struct acpi_memory {
    /*
     * Where [phys, phys + length) can be read, or NULL unless every byte of it can (not mapped,
     * beyond memory, or phys + length wraps). The kernel's goes through kernel/phys.h; host tests
     * pass a fake memory.
     */
    const void *(*map)(void *context, uint64_t phys, uint64_t length);
    void *context;
};

/* ACPI 6.5 5.2.3.2, Generic Address Structure: where a register lies. */
struct acpi_gas {
    uint8_t space; /* ACPI_SPACE_* */
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size; /* 0 undefined, 1 byte, 2 word, 3 dword, 4 qword */
    uint64_t address;
};
#define ACPI_SPACE_MEMORY     0
#define ACPI_SPACE_IO         1
#define ACPI_SPACE_PCI_CONFIG 2

/* A table the RSDT/XSDT lists, whether or not it passed its checks. */
struct acpi_table_ref {
    char signature[5]; /* NUL-terminated, "" when the header was unreadable; unprintable as ? */
    uint64_t address;
    uint32_t length; /* 0 when not even the header could be read */
    bool valid;      /* header, length and checksum all checked out */
};

/*
 * ACPI 6.5 5.2.12.5, MPS INTI flags: the polarity (bits 0-1) and trigger mode
 * (bits 2-3) of an interrupt input. "Bus default" means what the bus says: ISA is active high,
 * edge triggered.
 */
enum acpi_polarity {
    ACPI_POLARITY_BUS_DEFAULT = 0,
    ACPI_POLARITY_HIGH = 1,
    ACPI_POLARITY_RESERVED = 2,
    ACPI_POLARITY_LOW = 3,
};
enum acpi_trigger {
    ACPI_TRIGGER_BUS_DEFAULT = 0,
    ACPI_TRIGGER_EDGE = 1,
    ACPI_TRIGGER_RESERVED = 2,
    ACPI_TRIGGER_LEVEL = 3,
};

struct acpi_cpu {
    uint32_t apic_id; /* local APIC id, or x2APIC id */
    uint32_t uid;     /* ACPI processor UID, which the NMI entries refer to */
    bool enabled;     /* usable now; otherwise only online-capable (can be hot-added) */
    bool x2apic;      /* from a Processor Local x2APIC entry */
};

struct acpi_ioapic {
    uint8_t id;
    uint32_t address;  /* physical address of its registers */
    uint32_t gsi_base; /* the global system interrupt of its input 0 */
};

/* ISA IRQ source arrives at global system interrupt gsi, with this polarity and trigger mode. */
struct acpi_override {
    uint8_t bus; /* 0, ISA: the only bus the spec allows */
    uint8_t source;
    uint32_t gsi;
    uint8_t polarity; /* enum acpi_polarity */
    uint8_t trigger;  /* enum acpi_trigger */
};

/* A global system interrupt that must be an NMI. */
struct acpi_nmi_source {
    uint32_t gsi;
    uint8_t polarity, trigger;
};

/* The LINT pin of a local APIC that an NMI is wired to. */
struct acpi_lapic_nmi {
    bool all_cpus; /* the entry's UID was 0xFF (or 0xFFFFFFFF for x2APIC) */
    uint32_t uid;  /* otherwise the ACPI processor UID it is for */
    uint8_t lint;  /* 0 or 1 */
    uint8_t polarity, trigger;
};

/* ACPI 6.5 5.2.12, the Multiple APIC Description Table. */
struct acpi_madt {
    bool present;
    uint64_t lapic_address; /* physical, after any Local APIC Address Override */
    bool lapic_address_overridden;
    bool pcat_compat; /* the PC also has dual 8259s, which must be masked to use the APICs */

    struct acpi_cpu cpus[ACPI_MAX_CPUS];
    size_t cpu_count, cpus_skipped;
    size_t cpus_disabled;  /* entries neither enabled nor online-capable: not kept */
    size_t cpu_duplicates; /* the same APIC id listed twice (local APIC and x2APIC): kept once */
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    size_t ioapic_count, ioapics_skipped;
    struct acpi_override overrides[ACPI_MAX_OVERRIDES];
    size_t override_count, overrides_skipped;
    struct acpi_nmi_source nmi_sources[ACPI_MAX_NMI_SOURCES];
    size_t nmi_source_count, nmi_sources_skipped;
    struct acpi_lapic_nmi lapic_nmis[ACPI_MAX_LAPIC_NMIS];
    size_t lapic_nmi_count, lapic_nmis_skipped;
    size_t other_entries; /* types keel does not use (I/O SAPIC, GIC, ...) */
};

/* ACPI 6.5 5.2.9.3, IA-PC Boot Architecture Flags (IAPC_BOOT_ARCH). */
#define ACPI_BOOT_ARCH_LEGACY_DEVICES 0x0001 /* ISA devices the OS cannot enumerate via ACPI */
#define ACPI_BOOT_ARCH_8042           0x0002 /* a keyboard controller at ports 0x60/0x64 */
#define ACPI_BOOT_ARCH_NO_VGA         0x0004
#define ACPI_BOOT_ARCH_NO_MSI         0x0008
#define ACPI_BOOT_ARCH_NO_CMOS_RTC    0x0020

/* ACPI 6.5 5.2.9, the FADT's Flags field (fixed feature flags): the ones keel looks at. */
#define ACPI_FADT_TMR_VAL_EXT   (1u << 8)  /* the PM timer counts 32 bits, not 24 */
#define ACPI_FADT_RESET_REG_SUP (1u << 10) /* RESET_REG and RESET_VALUE may be used */
#define ACPI_FADT_HW_REDUCED    (1u << 20) /* no fixed hardware: no PM timer, no PM1 blocks */

/* ACPI 6.5 5.2.9, the Fixed ACPI Description Table. */
struct acpi_fadt {
    bool present;
    uint8_t revision;
    uint32_t flags;         /* ACPI_FADT_*; 0 when the table is too short to have them */
    uint16_t sci_interrupt; /* the SCI's ISA IRQ (or GSI), for the interrupt setup later */

    bool has_pm_timer;
    struct acpi_gas pm_timer; /* X_PM_TMR_BLK when given, else PM_TMR_BLK as an I/O port */
    uint8_t pm_timer_bits;    /* 24 or 32 (TMR_VAL_EXT) */

    bool boot_arch_valid; /* the FADT is new enough (revision 2+) to carry IAPC_BOOT_ARCH */
    uint16_t boot_arch;   /* ACPI_BOOT_ARCH_* */

    bool has_reset_register; /* RESET_REG_SUP set, and a register keel can write */
    struct acpi_gas reset_register;
    uint8_t reset_value;
};

/* IA-PC HPET specification 1.0a, 3.2.4: the HPET description table. */
struct acpi_hpet {
    bool present;
    struct acpi_gas base; /* always system memory; the period is read from the HPET itself */
    uint32_t block_id;    /* Event Timer Block ID: a copy of the capabilities register's low half */
    uint8_t comparators;  /* from block_id: number of timers */
    bool counter_64bit;
    bool legacy_replacement; /* can route timers 0 and 1 to IRQ 0 and 8 */
    uint8_t number;          /* HPET sequence number */
    uint16_t min_tick;       /* main counter minimum clock tick in periodic mode */
};

/* PCI Firmware Specification 3.0, 4.1.2: memory-mapped configuration space, for later. */
struct acpi_mcfg_range {
    uint64_t base; /* of bus 0 of the segment, even when bus_start is not 0 */
    uint16_t segment;
    uint8_t bus_start, bus_end;
};
struct acpi_mcfg {
    bool present;
    struct acpi_mcfg_range ranges[ACPI_MAX_MCFG_RANGES];
    size_t range_count, ranges_skipped;
};

struct acpi_info {
    bool present;          /* an RSDP was given and passed its checks */
    uint8_t revision;      /* the RSDP's: 0 for ACPI 1.0, 2 for 2.0 and later */
    char oem_id[7];        /* printable, NUL-terminated */
    bool uses_xsdt;        /* the root table read is the XSDT (64-bit entries) */
    uint64_t root_address; /* of the RSDT or XSDT; 0 when neither could be used */

    struct acpi_table_ref tables[ACPI_MAX_TABLES];
    size_t table_count, tables_skipped;

    struct acpi_madt madt;
    struct acpi_fadt fadt;
    struct acpi_hpet hpet;
    struct acpi_mcfg mcfg;

    /* What was wrong, one line each ("MADT: checksum is wrong"), in the order it was found. */
    char problems[ACPI_MAX_PROBLEMS][ACPI_PROBLEM_SIZE];
    size_t problem_count, problems_skipped;
};

/*
 * Parses the tables from the RSDP at rsdp (rsdp_length bytes readable there; NULL when the boot
 * loader gave none) into *info, reading everything else through memory. Checks every length
 * and checksum before reading a field; never reads outside what memory->map handed out.
 */
void acpi_parse(const struct acpi_memory *memory, const void *rsdp, uint32_t rsdp_length,
                struct acpi_info *info);

/*
 * The kernel's step: parses the tables from the RSDP in the boot information through the
 * physical memory window and prints each problem as "acpi: <table>: <what>". Call once the
 * kernel's page tables are live.
 */
void acpi_init(const struct boot_info *boot_info);

/*
 * The physical address of the RSDP that acpi_init parses: the boot loader's copy of it, inside
 * the boot information (multiboot2 3.6.17/3.6.18), not where the firmware keeps it. 0 if none.
 */
uint64_t acpi_rsdp_copy_phys(const struct boot_info *boot_info);

/* What acpi_init found (all absent before it ran). */
const struct acpi_info *acpi_get(void);

/*
 * The findings for the boot facts, in three lines on a PC like QEMU's: revision, tables, CPUs,
 * I/O APICs, HPET, interrupt overrides, PM timer, reset register. rsdp_phys: where the RSDP
 * that was parsed lies (for a capture, tests/fuzz/capture-acpi).
 */
void acpi_print_facts(const struct acpi_info *info, uint64_t rsdp_phys);

/*
 * The ACPI dump (kernel/acpi_dump.c): the RSDP at rsdp_phys (0: there is none) and every table
 * the RSDT/XSDT lists, as "acpi-dump: " hex lines, for tests/fuzz/acpi_dump_to_capture.py. The
 * walk follows the pointers, whatever the checksums say; a table whose length is below its
 * header's or above ACPI_DUMP_MAX_TABLE is dumped as its header alone, and an RSDP claiming more
 * than ACPI_DUMP_MAX_RSDP bytes as its 36 fixed ones.
 */
#define ACPI_DUMP_LINE_BYTES 32         /* bytes of a table on one line */
#define ACPI_DUMP_MAX_TABLES 64         /* tables followed; more are named and left out */
#define ACPI_DUMP_MAX_TABLE  (1u << 20) /* longer is taken to be a broken pointer */
#define ACPI_DUMP_MAX_RSDP   4096
void acpi_dump(const struct acpi_memory *memory, uint64_t rsdp_phys);

/* keel.acpi_dump (kernel/acpi_init.c): acpi_dump of this boot's RSDP, if the option was given. */
void acpi_dump_if_requested(const struct boot_info *boot_info);

/* "bus default", "high", "low", "reserved" and "bus default", "edge", "level", "reserved". */
const char *acpi_polarity_name(uint8_t polarity);
const char *acpi_trigger_name(uint8_t trigger);
