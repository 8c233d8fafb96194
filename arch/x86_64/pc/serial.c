/*
 * The 16550-compatible UART at COM1: output polled, input from its receive interrupt (IRQ 4)
 * into the input queue.
 */
#include "arch/x86_64/pc/serial.h"

#include <stdint.h>

#include "arch/x86_64/cpu/io.h"
#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/input.h"
#include "kernel/irq.h"
#include "kernel/kprintf.h"
#include "kernel/terminal.h"

#define COM1     0x3f8
#define COM1_IRQ 4 /* the ISA interrupt of COM1 (COM2's is 3) */

/* 16550 register offsets from the base port. */
#define UART_DATA 0 /* also divisor low byte while LCR.DLAB = 1 */
#define UART_IER  1 /* also divisor high byte while LCR.DLAB = 1 */
#define UART_FCR  2
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5

#define UART_LCR_DLAB     0x80
#define UART_LCR_8N1      0x03
#define UART_FCR_ENABLE   0xc7 /* enable and clear both FIFOs, 14-byte trigger */
#define UART_MCR_DTR_RTS  0x03
#define UART_MCR_OUT2     0x08 /* on a PC, connects the UART's interrupt to the IRQ line */
#define UART_MCR_LOOP     0x10
#define UART_IER_RECEIVED 0x01 /* interrupt when received data waits (or after a pause in it) */
#define UART_LSR_DR       0x01 /* data ready: a received byte waits in the data register */
#define UART_LSR_THRE     0x20 /* transmit holding register empty */

#define UART_CLOCK_HZ 115200 /* the divisor counts in units of this rate */
#define SERIAL_BAUD   115200

/* How long to wait for the UART before giving up: a wedged or missing one must not hang us. */
#define SERIAL_POLL_LIMIT 100000

/*
 * The most bytes one receive interrupt reads. The 16550's FIFO holds 16, and at 115200 baud a
 * new byte takes 87 us to arrive, so draining ends long before; the bound only stops a broken
 * UART that always reports data from holding the CPU forever.
 */
#define SERIAL_DRAIN_LIMIT 256

static bool uart_found;
static struct terminal_decoder terminal;

/* Polls the line status register until one of `bits` is set; false if it never is. */
static bool wait_for_status(uint8_t bits)
{
    for (int i = 0; i < SERIAL_POLL_LIMIT; i++) {
        if (inb(COM1 + UART_LSR) & bits)
            return true;
    }
    return false;
}

/* If the transmitter never gets ready, the byte is written anyway (and likely lost): no hang. */
static void serial_putc(char c)
{
    wait_for_status(UART_LSR_THRE);
    outb(COM1 + UART_DATA, (uint8_t)c);
}

static void serial_write(struct console *con, const char *text, size_t len)
{
    (void)con;
    for (size_t i = 0; i < len; i++) {
        /* Terminals expect CR LF. */
        if (text[i] == '\n')
            serial_putc('\r');
        serial_putc(text[i]);
    }
}

static struct console serial_console = {
    .name = "serial",
    .write = serial_write,
};

/*
 * Many PCs, laptops especially, have no UART at COM1: reads from the empty port return 0xff and
 * writes vanish. The UART's loopback mode tells: a byte sent while looped back must come back.
 * On real hardware it comes back only after one character time (about 87 us at 115200 baud)
 * through the shift registers, so wait for "data ready" before reading it; QEMU's is instant.
 */
static bool uart_present(void)
{
    const uint8_t probe = 0xa5;

    outb(COM1 + UART_MCR, UART_MCR_LOOP | UART_MCR_DTR_RTS);
    outb(COM1 + UART_DATA, probe);
    bool echoed = wait_for_status(UART_LSR_DR) && inb(COM1 + UART_DATA) == probe;
    outb(COM1 + UART_MCR, UART_MCR_DTR_RTS);
    return echoed;
}

bool serial_init(void)
{
    const uint16_t divisor = UART_CLOCK_HZ / SERIAL_BAUD;

    outb(COM1 + UART_IER, 0); /* polled: no UART interrupts */
    outb(COM1 + UART_LCR, UART_LCR_DLAB);
    outb(COM1 + UART_DATA, divisor & 0xff);
    outb(COM1 + UART_IER, divisor >> 8);
    outb(COM1 + UART_LCR, UART_LCR_8N1);
    outb(COM1 + UART_FCR, UART_FCR_ENABLE);

    if (!uart_present())
        return false;
    uart_found = true;
    console_register(&serial_console);
    return true;
}

/*
 * IRQ 4. The ISA line is edge-triggered and the UART keeps it raised while data waits, so a byte
 * left in the FIFO would mean no further interrupt: drain it all.
 */
static void serial_interrupt(void *context)
{
    (void)context;
    for (int i = 0; i < SERIAL_DRAIN_LIMIT && (inb(COM1 + UART_LSR) & UART_LSR_DR); i++) {
        int c = terminal_decode(&terminal, inb(COM1 + UART_DATA));
        if (c >= 0)
            input_push((char)c);
    }
}

bool arch_serial_input_init(char *description, size_t size)
{
    if (!uart_found) {
        ksnprintf(description, size, "no serial input (no UART at COM1)");
        return false;
    }
    terminal_decoder_init(&terminal);
    /* What arrived before anyone listened (the GRUB menu's keys, line noise) is not input. */
    for (int i = 0; i < SERIAL_DRAIN_LIMIT && (inb(COM1 + UART_LSR) & UART_LSR_DR); i++)
        inb(COM1 + UART_DATA);
    if (!irq_register(COM1_IRQ, serial_interrupt, NULL)) {
        ksnprintf(description, size, "no serial input (IRQ 4 is not available)");
        return false;
    }
    outb(COM1 + UART_MCR, UART_MCR_DTR_RTS | UART_MCR_OUT2);
    outb(COM1 + UART_IER, UART_IER_RECEIVED);
    ksnprintf(description, size, "serial COM1");
    return true;
}
