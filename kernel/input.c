/*
 * The input queue: a ring of characters filled by two interrupt handlers (keyboard and serial)
 * and emptied by the monitor. Every access runs with interrupts off (arch_irq_save), so a push
 * from one handler never races a pop, nor a push from the other.
 */
#include "kernel/input.h"

#include "kernel/arch.h"
#include "kernel/kprintf.h"

static struct {
    char chars[INPUT_QUEUE_SIZE];
    size_t head;  /* where the next character to pop is */
    size_t count; /* how many wait */
    size_t dropped;
} queue;

/* What arch_keyboard_init and arch_serial_input_init said they started, or why not. */
static char keyboard_description[INPUT_DESCRIPTION_SIZE] = "none (not started)";
static char serial_description[INPUT_DESCRIPTION_SIZE] = "no serial input (not started)";

void input_push(char c)
{
    unsigned long flags = arch_irq_save();

    if (queue.count < INPUT_QUEUE_SIZE) {
        queue.chars[(queue.head + queue.count) % INPUT_QUEUE_SIZE] = c;
        queue.count++;
    } else {
        queue.dropped++;
    }
    arch_irq_restore(flags);
}

int input_pop(void)
{
    unsigned long flags = arch_irq_save();
    int c = -1;

    if (queue.count > 0) {
        c = (unsigned char)queue.chars[queue.head];
        queue.head = (queue.head + 1) % INPUT_QUEUE_SIZE;
        queue.count--;
    }
    arch_irq_restore(flags);
    return c;
}

size_t input_dropped(void)
{
    unsigned long flags = arch_irq_save();
    size_t dropped = queue.dropped;

    arch_irq_restore(flags);
    return dropped;
}

void input_init(void)
{
    arch_keyboard_init(keyboard_description, sizeof(keyboard_description));
    arch_serial_input_init(serial_description, sizeof(serial_description));
}

void input_print_facts(void)
{
    kprintf("keyboard: %s, %s\n", keyboard_description, serial_description);
}
