/* The portable half of device interrupts: handlers, counts, masking through kernel/arch.h. */
#include "kernel/irq.h"

#include "kernel/arch.h"
#include "kernel/kprintf.h"
#include "kernel/spinlock.h"

struct irq_line {
    irq_handler_fn handler;
    void *context;
    uint64_t count;    /* interrupts handled */
    uint64_t spurious; /* spurious ones on this line (the PIC's 7 and 15) */
};

/*
 * Registering, masking and unmasking take the table's lock, so two CPUs never route one irq or
 * give it two handlers. Dispatch takes no lock: a handler, once set, is never changed, and it is
 * published after its context (irq_register's release, irq_dispatch's acquire).
 */
static struct spinlock table_lock = SPINLOCK_INIT("irq table");
static struct irq_line lines[IRQ_COUNT];
static uint64_t spurious_local;

/*
 * Counts go up in interrupt handlers, on any CPU, and are read outside them: atomic increments,
 * so that two CPUs counting at once lose nothing and a reader never sees half an update.
 */
static void count_one(uint64_t *counter)
{
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static irq_handler_fn handler_of(const struct irq_line *line)
{
    return __atomic_load_n(&line->handler, __ATOMIC_ACQUIRE);
}

static uint64_t read_count(const uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

bool irq_register(unsigned irq, irq_handler_fn handler, void *context)
{
    if (irq >= IRQ_COUNT || !handler)
        return false;

    spin_lock(&table_lock);
    bool registered = false;
    if (!lines[irq].handler && arch_irq_route(irq)) {
        lines[irq].context = context;
        __atomic_store_n(&lines[irq].handler, handler, __ATOMIC_RELEASE);
        arch_irq_set_masked(irq, false);
        registered = true;
    }
    spin_unlock(&table_lock);
    return registered;
}

static void set_masked(unsigned irq, bool masked)
{
    if (irq >= IRQ_COUNT)
        return;
    spin_lock(&table_lock);
    if (lines[irq].handler)
        arch_irq_set_masked(irq, masked);
    spin_unlock(&table_lock);
}

void irq_mask(unsigned irq)
{
    set_masked(irq, true);
}

void irq_unmask(unsigned irq)
{
    set_masked(irq, false);
}

void irq_dispatch(unsigned irq)
{
    if (irq >= IRQ_COUNT)
        return;
    struct irq_line *line = &lines[irq];
    count_one(&line->count);
    irq_handler_fn handler = handler_of(line);
    if (handler)
        handler(line->context);
}

void irq_note_spurious(unsigned irq)
{
    if (irq < IRQ_COUNT)
        count_one(&lines[irq].spurious);
}

void irq_note_spurious_local(void)
{
    count_one(&spurious_local);
}

uint64_t irq_count(unsigned irq)
{
    return irq < IRQ_COUNT ? read_count(&lines[irq].count) : 0;
}

uint64_t irq_spurious_count(unsigned irq)
{
    return irq < IRQ_COUNT ? read_count(&lines[irq].spurious) : 0;
}

uint64_t irq_spurious_total(void)
{
    uint64_t total = read_count(&spurious_local);

    for (unsigned irq = 0; irq < IRQ_COUNT; irq++)
        total += read_count(&lines[irq].spurious);
    return total;
}

void irq_print_counts(void)
{
    kprintf("interrupts (%s):\n", arch_irq_controller_name());
    for (unsigned irq = 0; irq < IRQ_COUNT; irq++) {
        uint64_t count = irq_count(irq), spurious = irq_spurious_count(irq);
        bool handled = handler_of(&lines[irq]) != NULL;
        if (!handled && !count && !spurious)
            continue;
        kprintf("  irq %3u: %llu", irq, (unsigned long long)count);
        if (spurious)
            kprintf(", %llu spurious", (unsigned long long)spurious);
        kprintf("%s\n", handled ? "" : " (no handler)");
    }
    kprintf("  spurious: %llu in all, %llu at the CPU's own controller\n",
            (unsigned long long)irq_spurious_total(),
            (unsigned long long)read_count(&spurious_local));
}
