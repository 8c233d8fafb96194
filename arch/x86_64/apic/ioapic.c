/*
 * The I/O APICs' registers: an index window and a data window, 32 bits at a time, mapped
 * uncached (82093AA datasheet, 3.0 and 3.2).
 */
#include "arch/x86_64/apic/ioapic.h"

#include "arch/x86_64/apic/irq_routing.h"
#include "kernel/spinlock.h"
#include "kernel/vm.h"

#define IOAPIC_MMIO_SIZE 0x20

static struct {
    uintptr_t regs;
} ioapics[ACPI_MAX_IOAPICS];
static struct ioapic_span spans[ACPI_MAX_IOAPICS];
static size_t count;

/*
 * An access is two steps, the index then the data: two CPUs interleaving them would read or write
 * the wrong register. So every access, and each entry's three-write update, holds this lock.
 */
static struct spinlock registers_lock = SPINLOCK_INIT("I/O APIC registers");

/* With registers_lock held. */
static uint32_t read_register(unsigned ioapic, uint32_t reg)
{
    uintptr_t regs = ioapics[ioapic].regs;

    *(volatile uint32_t *)(regs + IOAPIC_REGSEL) = reg;
    return *(volatile uint32_t *)(regs + IOAPIC_WINDOW);
}

static void write_register(unsigned ioapic, uint32_t reg, uint32_t value)
{
    uintptr_t regs = ioapics[ioapic].regs;

    *(volatile uint32_t *)(regs + IOAPIC_REGSEL) = reg;
    *(volatile uint32_t *)(regs + IOAPIC_WINDOW) = value;
}

static uint32_t entry_register(uint32_t input)
{
    return IOAPIC_REG_REDIRECTION + 2 * input;
}

bool ioapic_add(const struct acpi_ioapic *ioapic)
{
    if (count == ACPI_MAX_IOAPICS)
        return false;
    void *regs = vm_map_phys(ioapic->address, IOAPIC_MMIO_SIZE, MEMORY_UNCACHED);
    if (!regs)
        return false;

    unsigned index = (unsigned)count;
    ioapics[index].regs = (uintptr_t)regs;
    spin_lock(&registers_lock);
    uint32_t version = read_register(index, IOAPIC_REG_VERSION);
    spin_unlock(&registers_lock);
    /*
     * Nothing at that address (a MADT that points nowhere) reads as all ones on a PC's bus, as 0
     * in QEMU; neither is an I/O APIC's version register (82093AA: version 0x11, 24 inputs).
     */
    if (version == IOAPIC_ABSENT_ONES || version == IOAPIC_ABSENT_ZERO) {
        vm_free(regs);
        return false;
    }
    uint32_t inputs = ((version >> 16) & 0xff) + 1;
    spans[index] = (struct ioapic_span){.gsi_base = ioapic->gsi_base, .inputs = inputs};
    count++;
    for (uint32_t input = 0; input < inputs; input++)
        ioapic_write_entry(index, input, IOAPIC_MASKED);
    return true;
}

size_t ioapic_count(void)
{
    return count;
}

unsigned ioapic_total_inputs(void)
{
    unsigned total = 0;

    for (size_t i = 0; i < count; i++)
        total += spans[i].inputs;
    return total;
}

bool ioapic_find(uint32_t gsi, unsigned *ioapic, uint32_t *input)
{
    int found = ioapic_span_find(spans, count, gsi, input);

    if (found < 0)
        return false;
    *ioapic = (unsigned)found;
    return true;
}

void ioapic_write_entry(unsigned ioapic, uint32_t input, uint64_t entry)
{
    uint32_t reg = entry_register(input);

    /* Masked while the halves disagree; then the high half (destination), then the low. */
    spin_lock(&registers_lock);
    write_register(ioapic, reg, (uint32_t)entry | (uint32_t)IOAPIC_MASKED);
    write_register(ioapic, reg + 1, (uint32_t)(entry >> 32));
    write_register(ioapic, reg, (uint32_t)entry);
    spin_unlock(&registers_lock);
}

uint64_t ioapic_read_entry(unsigned ioapic, uint32_t input)
{
    uint32_t reg = entry_register(input);

    spin_lock(&registers_lock);
    uint64_t entry = (uint64_t)read_register(ioapic, reg + 1) << 32 | read_register(ioapic, reg);
    spin_unlock(&registers_lock);
    return entry;
}

void ioapic_set_masked(unsigned ioapic, uint32_t input, bool masked)
{
    uint32_t reg = entry_register(input);

    /* One lock for the read and the write: another CPU's update cannot come between them. */
    spin_lock(&registers_lock);
    uint32_t low = read_register(ioapic, reg);
    low = masked ? low | (uint32_t)IOAPIC_MASKED : low & ~(uint32_t)IOAPIC_MASKED;
    write_register(ioapic, reg, low);
    spin_unlock(&registers_lock);
}
