/* The list of consoles, and writing to all of them, one print at a time. */
#include "kernel/console.h"

#include "kernel/arch.h"
#include "kernel/compiler.h"
#include "kernel/cpu.h"
#include "kernel/kprintf.h"

static struct console *consoles __ro_after_init;

/*
 * The console lock. A print (one kprintf) holds it from its first character to its last, so that
 * nothing lands in the middle of a line. It remembers its owner: another CPU that wants to print
 * spins until the print ends. The owner itself can start a print while one is in progress only
 * from an NMI, a machine check or a fault, and the interrupted print cannot go on until that
 * handler returns: so a nested print does not wait, it queues its text, and the interrupted print
 * writes the queue out when it lets go.
 *
 * It is not a ticket lock (kernel/spinlock.h): an NMI that came while its CPU waited in line would
 * wait behind its own CPU's ticket for ever. Here that NMI just competes for the lock again. No
 * wait is reported either: the report would need the console.
 *
 * holder: the owner's CPU index + 1 (0: free) and, above it, how many prints it has in progress
 * (1: one, more: nested ones, whose text goes to the queue). One word, so that taking the lock
 * sets both at once and an NMI never sees an owner without its depth.
 * The queue is a ring with free-running indices: only the owner's nested prints move head, and
 * only its outermost print moves tail, so neither needs to stop the other.
 */
#define HOLDER_CPU_MASK  0xffffu
#define HOLDER_DEPTH_ONE 0x10000u
_Static_assert(CPU_MAX < HOLDER_CPU_MASK, "a CPU index + 1 fits below the depth");

static uint32_t holder;
static struct {
    char text[CONSOLE_QUEUE_SIZE];
    size_t head, tail;
    size_t lost;
} queue;

static unsigned depth(void)
{
    return __atomic_load_n(&holder, __ATOMIC_RELAXED) / HOLDER_DEPTH_ONE;
}

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

/* Takes the lock for a print on this CPU, if no CPU holds it. */
static bool try_take(uint32_t me)
{
    uint32_t free = 0;

    return __atomic_compare_exchange_n(&holder, &free, me | HOLDER_DEPTH_ONE, false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void console_lock(void)
{
    unsigned long flags = arch_irq_save();
    uint32_t me = this_cpu()->index + 1;

    /* Only this CPU sets its own index in holder, so the test cannot change under it. */
    if ((__atomic_load_n(&holder, __ATOMIC_RELAXED) & HOLDER_CPU_MASK) == me) {
        __atomic_fetch_add(&holder, HOLDER_DEPTH_ONE, __ATOMIC_RELAXED);
        return;
    }
    while (!try_take(me))
        arch_spin_pause();
    saved_flags = flags;
}

void console_unlock(void)
{
    if (depth() > 1) {
        __atomic_fetch_sub(&holder, HOLDER_DEPTH_ONE, __ATOMIC_RELAXED);
        return;
    }
    /* Read while the lock is held: once it is let go, another print could overwrite it. */
    unsigned long flags = saved_flags;
    uint32_t me = this_cpu()->index + 1;

    do {
        flush_queue();
        __atomic_store_n(&holder, 0, __ATOMIC_RELEASE);
        /*
         * A nested print may have queued text after the flush: take the lock back for it. If
         * another CPU has it by now, that CPU's print writes the queue out when it ends.
         */
    } while (!queue_empty() && try_take(me));
    arch_irq_restore(flags);
}

void console_lock_reset(void)
{
    __atomic_store_n(&holder, 0, __ATOMIC_RELEASE);
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
    if (depth() > 1)
        enqueue(text, len);
    else
        write_all(text, len);
}

void console_set_colour(enum console_colour fg, enum console_colour bg)
{
    console_lock();
    /* In the middle of another print: its text, and the queued text after it, keep its colour. */
    for (struct console *con = consoles; con && depth() == 1; con = con->next) {
        if (con->set_colour)
            con->set_colour(con, fg, bg);
    }
    console_unlock();
}

void console_set_cursor(bool visible)
{
    console_lock();
    /* Not in the middle of another print: its line is not finished. */
    for (struct console *con = consoles; con && depth() == 1; con = con->next) {
        if (con->set_cursor)
            con->set_cursor(con, visible);
    }
    console_unlock();
}
