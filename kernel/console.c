/* The list of consoles, and writing to all of them, one print at a time. */
#include "kernel/console.h"

#include "kernel/arch.h"
#include "kernel/compiler.h"
#include "kernel/kprintf.h"

static struct console *consoles __ro_after_init;

/*
 * The console lock. A print (one kprintf) holds it from its first character to its last, so that
 * nothing lands in the middle of a line. With one CPU and interrupts off, only an NMI, a machine
 * check or a fault can start a print while another is in progress, and the interrupted print
 * cannot go on until that handler returns: so a nested print does not wait, it queues its text,
 * and the interrupted print writes the queue out when it lets go. With more CPUs this becomes a
 * spinlock that remembers its owner: another CPU spins; the owner's own nested prints queue.
 *
 * depth: prints in progress (1: one, more: nested ones, whose text goes to the queue).
 * The queue is a ring with free-running indices: only nested prints move head, and only the
 * outermost print moves tail, so neither needs to stop the other.
 */
static volatile unsigned depth;
static struct {
    char text[CONSOLE_QUEUE_SIZE];
    size_t head, tail;
    size_t lost;
} queue;

static void write_all(const char *text, size_t len)
{
    for (struct console *con = consoles; con; con = con->next)
        con->write(con, text, len);
}

static void enqueue(const char *text, size_t len)
{
    size_t head = __atomic_load_n(&queue.head, __ATOMIC_RELAXED);
    size_t tail = __atomic_load_n(&queue.tail, __ATOMIC_ACQUIRE);
    size_t room = CONSOLE_QUEUE_SIZE - (head - tail);

    if (len > room) {
        __atomic_fetch_add(&queue.lost, len - room, __ATOMIC_RELAXED);
        len = room;
    }
    for (size_t i = 0; i < len; i++)
        queue.text[(head + i) % CONSOLE_QUEUE_SIZE] = text[i];
    __atomic_store_n(&queue.head, head + len, __ATOMIC_RELEASE);
}

static bool queue_empty(void)
{
    return __atomic_load_n(&queue.head, __ATOMIC_ACQUIRE) ==
               __atomic_load_n(&queue.tail, __ATOMIC_RELAXED) &&
           __atomic_load_n(&queue.lost, __ATOMIC_RELAXED) == 0;
}

/* Called with the lock held by the outermost print. */
static void flush_queue(void)
{
    for (;;) {
        size_t tail = __atomic_load_n(&queue.tail, __ATOMIC_RELAXED);
        size_t head = __atomic_load_n(&queue.head, __ATOMIC_ACQUIRE);
        if (tail == head)
            break;
        /* Up to the end of the ring or of the queued text, whichever comes first. */
        size_t start = tail % CONSOLE_QUEUE_SIZE;
        size_t len =
            head - tail < CONSOLE_QUEUE_SIZE - start ? head - tail : CONSOLE_QUEUE_SIZE - start;
        write_all(queue.text + start, len);
        __atomic_store_n(&queue.tail, tail + len, __ATOMIC_RELEASE);
    }
    size_t lost = __atomic_exchange_n(&queue.lost, 0, __ATOMIC_RELAXED);
    if (lost) {
        char note[64];
        size_t len = ksnprintf(note, sizeof(note), "\n(%zu bytes of console output lost)\n", lost);
        write_all(note, len < sizeof(note) ? len : sizeof(note) - 1);
    }
}

/*
 * Interrupts are off while the outermost print holds the lock, so an interrupt handler's print
 * comes before or after it, whole, never inside it; the interrupt flag it had comes back at the
 * end. An NMI, which no flag holds off, still queues. saved_flags is the outermost print's: a
 * nested print (interrupts already off) neither sets nor restores it.
 */
static unsigned long saved_flags;

void console_lock(void)
{
    unsigned long flags = arch_irq_save();

    if (depth == 0)
        saved_flags = flags;
    depth = depth + 1;
}

void console_unlock(void)
{
    /* Read while the lock is held: once it is let go, an NMI's print could overwrite it. */
    unsigned long flags = saved_flags;

    for (;;) {
        if (depth == 1)
            flush_queue();
        depth = depth - 1;
        /* A nested print may have queued text after the flush: take the lock back for it. */
        if (depth != 0)
            return;
        if (queue_empty()) {
            arch_irq_restore(flags);
            return;
        }
        depth = 1;
    }
}

void console_lock_reset(void)
{
    depth = 0;
}

void console_register(struct console *con)
{
    struct console **tail = &consoles;

    /* Keep registration order, so output goes to the consoles in the order they came up. */
    while (*tail)
        tail = &(*tail)->next;
    con->next = NULL;
    *tail = con;
}

bool console_any(void)
{
    return consoles != NULL;
}

void console_write(const char *text, size_t len)
{
    if (depth > 1)
        enqueue(text, len);
    else
        write_all(text, len);
}

void console_set_colour(enum console_colour fg, enum console_colour bg)
{
    /* In the middle of another print: its text, and the queued text after it, keep its colour. */
    if (depth > 0)
        return;
    for (struct console *con = consoles; con; con = con->next) {
        if (con->set_colour)
            con->set_colour(con, fg, bg);
    }
}

void console_set_cursor(bool visible)
{
    console_lock();
    /* Not in the middle of another print: its line is not finished. */
    for (struct console *con = consoles; con && depth == 1; con = con->next) {
        if (con->set_cursor)
            con->set_cursor(con, visible);
    }
    console_unlock();
}
