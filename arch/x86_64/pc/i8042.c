/*
 * The PS/2 keyboard through the i8042 controller: found and set up at boot with every wait on
 * the controller bounded (a PC without one must not hang), then read from its interrupt, IRQ 1,
 * through the decoder of kernel/keyboard.c into the input queue. Also the controller's reset
 * line, the second way arch_reboot tries.
 */
#include "arch/x86_64/pc/i8042.h"

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu/io.h"
#include "kernel/acpi.h"
#include "kernel/arch.h"
#include "kernel/input.h"
#include "kernel/irq.h"
#include "kernel/keyboard.h"
#include "kernel/kprintf.h"

/*
 * How many times to read the status register before giving up on the controller. Each read is
 * a bus cycle of about a microsecond on real hardware, so this is about a tenth of a second;
 * the self-test, the slowest command, gets ten times as long.
 */
#define I8042_POLL_LIMIT      100000
#define I8042_SELF_TEST_POLLS (10 * I8042_POLL_LIMIT)

/* Its output buffer holds one byte; a few more may be queued behind it. Read at most these. */
#define I8042_FLUSH_LIMIT 16

/* What an I/O port nothing answers at reads as: the bus's pull-ups. */
#define FLOATING_BUS 0xff

static struct keyboard keyboard;
static uint8_t last_status; /* for the message when the controller stops answering */

/* Polls the status register until (status & mask) == value; false if it never is. */
static bool wait_status(uint8_t mask, uint8_t value, unsigned polls)
{
    for (unsigned i = 0; i < polls; i++) {
        last_status = inb(I8042_STATUS);
        if ((last_status & mask) == value)
            return true;
    }
    return false;
}

static bool write_port(uint16_t port, uint8_t byte)
{
    if (!wait_status(I8042_STATUS_INPUT_FULL, 0, I8042_POLL_LIMIT))
        return false;
    outb(port, byte);
    return true;
}

static bool read_data(uint8_t *byte, unsigned polls)
{
    if (!wait_status(I8042_STATUS_OUTPUT_FULL, I8042_STATUS_OUTPUT_FULL, polls))
        return false;
    *byte = inb(I8042_DATA);
    return true;
}

static bool command(uint8_t cmd)
{
    return write_port(I8042_COMMAND, cmd);
}

static bool command_reply(uint8_t cmd, uint8_t *reply, unsigned polls)
{
    return command(cmd) && read_data(reply, polls);
}

static bool write_config(uint8_t config)
{
    return command(I8042_CMD_WRITE_CONFIG) && write_port(I8042_DATA, config);
}

/* Drops what the firmware or a keypress left in the output buffer. */
static void flush_output(void)
{
    for (int i = 0; i < I8042_FLUSH_LIMIT && (inb(I8042_STATUS) & I8042_STATUS_OUTPUT_FULL); i++)
        inb(I8042_DATA);
}

/*
 * The keyboard's lights follow Caps Lock and Num Lock: the command and its value each wait for
 * the keyboard's ACK, which arrives through the interrupt like a key. A keyboard that answers
 * anything else (an emulation may not know the command) is not asked again.
 */
#define LIGHTS_UNKNOWN                                                                             \
    0xff /* no value of KEYBOARD_LIGHT_* bits: a first update always goes out                      \
          */

static struct {
    enum { LIGHTS_IDLE, LIGHTS_COMMAND_SENT, LIGHTS_VALUE_SENT, LIGHTS_UNSUPPORTED } step;
    uint8_t shown;   /* what the lights show, as far as keel knows */
    uint8_t sending; /* the value on its way */
} lights;

static uint8_t lights_wanted(void)
{
    return (keyboard.caps_lock ? KEYBOARD_LIGHT_CAPS_LOCK : 0) |
           (keyboard.num_lock ? KEYBOARD_LIGHT_NUM_LOCK : 0);
}

static void lights_update(void)
{
    uint8_t wanted = lights_wanted();

    if (lights.step != LIGHTS_IDLE || wanted == lights.shown)
        return;
    lights.sending = wanted;
    lights.step =
        write_port(I8042_DATA, KEYBOARD_CMD_SET_LIGHTS) ? LIGHTS_COMMAND_SENT : LIGHTS_UNSUPPORTED;
}

/* Whether byte is the keyboard's answer to the lights' command, rather than a key's code. */
static bool lights_answer(uint8_t byte)
{
    if (lights.step != LIGHTS_COMMAND_SENT && lights.step != LIGHTS_VALUE_SENT)
        return false;
    if (byte != KEYBOARD_ACK) {
        lights.step = LIGHTS_UNSUPPORTED;
        return byte == KEYBOARD_RESEND;
    }
    if (lights.step == LIGHTS_COMMAND_SENT) {
        lights.step =
            write_port(I8042_DATA, lights.sending) ? LIGHTS_VALUE_SENT : LIGHTS_UNSUPPORTED;
    } else {
        lights.shown = lights.sending;
        lights.step = LIGHTS_IDLE;
    }
    return true;
}

/* IRQ 1: every byte waiting, decoded; bytes from port 2 (a mouse) are dropped. */
static void keyboard_interrupt(void *context)
{
    (void)context;
    for (int i = 0; i < I8042_FLUSH_LIMIT; i++) {
        uint8_t status = inb(I8042_STATUS);
        if (!(status & I8042_STATUS_OUTPUT_FULL))
            break;
        uint8_t byte = inb(I8042_DATA);
        if ((status & I8042_STATUS_AUX_DATA) || lights_answer(byte))
            continue;
        int c = keyboard_feed(&keyboard, byte);
        if (c >= 0)
            input_push((char)c);
    }
    lights_update();
}

/*
 * ACPI 6.5 5.2.9.3: the FADT's IAPC_BOOT_ARCH bit 1 says whether there is an 8042. It is only a
 * hint here: FADTs older than revision 2 have no such field, and many PCs that do have an 8042
 * (or emulate one for a USB keyboard) leave the bit clear. The controller's own answers decide;
 * the bounded waits make asking a PC without one cost about a tenth of a second.
 */
static bool fadt_says_no_8042(void)
{
    const struct acpi_fadt *fadt = &acpi_get()->fadt;

    return fadt->present && fadt->boot_arch_valid && !(fadt->boot_arch & ACPI_BOOT_ARCH_8042);
}

/*
 * Sets the controller up for the keyboard on port 1, its interrupt still off, following the
 * usual order (OSDev, "8042 PS/2 Controller", Initialising): both ports off, the buffer emptied,
 * the self-test, the port test, port 1 on. Port 2 (the mouse) stays off. Returns NULL, or why not.
 */
static const char *controller_init(char *why, size_t size, uint8_t *config)
{
    uint8_t reply;

    if (!command(I8042_CMD_DISABLE_PORT1) || !command(I8042_CMD_DISABLE_PORT2)) {
        if (last_status == FLOATING_BUS)
            return "no i8042: port 0x64 reads 0xff";
        ksnprintf(why, size, "the i8042 takes no commands (status 0x%02x)", last_status);
        return why;
    }
    flush_output();
    if (!command_reply(I8042_CMD_READ_CONFIG, config, I8042_POLL_LIMIT))
        return "the i8042 does not answer";
    *config &= (uint8_t) ~(I8042_CONFIG_PORT1_IRQ | I8042_CONFIG_PORT2_IRQ);
    if (!write_config(*config))
        return "the i8042 does not take its configuration";

    if (!command_reply(I8042_CMD_SELF_TEST, &reply, I8042_SELF_TEST_POLLS))
        return "the i8042 self-test does not answer";
    if (reply != I8042_SELF_TEST_PASSED) {
        ksnprintf(why, size, "the i8042 self-test failed: 0x%02x", reply);
        return why;
    }
    /* The self-test resets some controllers' configuration: write it again. */
    if (!write_config(*config))
        return "the i8042 does not take its configuration";
    if (!command_reply(I8042_CMD_TEST_PORT1, &reply, I8042_POLL_LIMIT))
        return "the keyboard port test does not answer";
    if (reply != I8042_PORT_TEST_PASSED) {
        ksnprintf(why, size, "the keyboard port test failed: 0x%02x", reply);
        return why;
    }
    *config &= (uint8_t)~I8042_CONFIG_PORT1_CLOCK_OFF;
    if (!command(I8042_CMD_ENABLE_PORT1))
        return "the i8042 does not take its commands";
    return NULL;
}

/* With the controller set up: the decoder for what it delivers, IRQ 1, the lights. */
static const char *keyboard_start(uint8_t config)
{
    /*
     * Translation is left as the firmware set it (on, for every BIOS and for UEFI's PS/2 driver);
     * the keyboard itself is left in set 2, its default since power-on.
     */
    bool translated = config & I8042_CONFIG_TRANSLATE;
    keyboard_init(&keyboard, translated ? SCANCODE_SET_1 : SCANCODE_SET_2);
    /* Emptied first: a byte left waiting would hold back the next ones and their IRQ. */
    flush_output();
    if (!irq_register(I8042_KEYBOARD_IRQ, keyboard_interrupt, NULL))
        return "IRQ 1 is not available";
    if (!write_config(config | I8042_CONFIG_PORT1_IRQ))
        return "the i8042 does not take its configuration";
    lights.shown = LIGHTS_UNKNOWN; /* set them to what the decoder starts with */
    lights_update();
    return NULL;
}

bool arch_keyboard_init(char *description, size_t size)
{
    const char *hint = fadt_says_no_8042() ? "; FADT: no 8042" : "";
    char why[INPUT_DESCRIPTION_SIZE];
    uint8_t config;

    const char *failure = controller_init(why, sizeof(why), &config);
    if (failure == NULL)
        failure = keyboard_start(config);
    if (failure != NULL) {
        ksnprintf(description, size, "none (%s%s)", failure, hint);
        return false;
    }
    ksnprintf(description, size, "PS/2 (i8042, scancode set %s%s)",
              keyboard.set == SCANCODE_SET_1 ? "1 translated" : "2", hint);
    return true;
}

/*
 * The controller pulses the reset line within microseconds of taking the command; a machine
 * still running after a few more status reads did not reset.
 */
void arch_reset_i8042(void)
{
    if (!command(I8042_CMD_PULSE_RESET))
        return;
    for (int i = 0; i < I8042_POLL_LIMIT; i++)
        inb(I8042_STATUS);
}
