/* The portable half of device interrupts: handlers, counts, masking through kernel/arch.h. */
#include "kernel/irq.h"

#include "kernel/arch.h"
#include "kernel/kprintf.h"

struct irq_line {
    irq_handler_fn handler;
    void *context;
    uint64_t count;    /* interrupts handled */
    uint64_t spurious; /* spurious ones on this line (the PIC's 7 and 15) */
};

static struct irq_line lines[IRQ_COUNT];
static uint64_t spurious_local;

/*
 * Counts go up in interrupt handlers and are read outside them: whole 64-bit loads and stores, so
 * a reader never sees half an update (and the compiler keeps no stale copy in a wait loop).
 */
static void count_one(uint64_t *counter)
{
    __atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

static uint64_t read_count(const uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

bool irq_register(unsigned irq, irq_handler_fn handler, void *context)
{
    if (irq >= IRQ_COUNT || !handler)
        return false;

    unsigned long flags = arch_irq_save();
    bool registered = false;
    if (!lines[irq].handler && arch_irq_route(irq)) {
        lines[irq].handler = handler;
        lines[irq].context = context;
        arch_irq_set_masked(irq, false);
        registered = true;
    }
    arch_irq_restore(flags);
    return registered;
}

void irq_mask(unsigned irq)
{
    if (irq < IRQ_COUNT && lines[irq].handler)
        arch_irq_set_masked(irq, true);
}

void irq_unmask(unsigned irq)
{
    if (irq < IRQ_COUNT && lines[irq].handler)
        arch_irq_set_masked(irq, false);
}

void irq_dispatch(unsigned irq)
{
    if (irq >= IRQ_COUNT)
        return;
    struct irq_line *line = &lines[irq];
    count_one(&line->count);
    if (line->handler)
        line->handler(line->context);
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
        bool handled = lines[irq].handler != NULL;
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
