/*
 * The PC's keyboard controller, the Intel 8042 or what emulates it (the chipset, or the firmware's
 * USB legacy emulation): ports, status bits, commands and the configuration byte.
 */
#pragma once

#define I8042_DATA    0x60 /* bytes from the keyboard; arguments of commands */
#define I8042_STATUS  0x64 /* read */
#define I8042_COMMAND 0x64 /* write */

#define I8042_STATUS_OUTPUT_FULL 0x01 /* a byte waits at I8042_DATA */
#define I8042_STATUS_INPUT_FULL  0x02 /* the controller has not taken the last byte written yet */
#define I8042_STATUS_AUX_DATA    0x20 /* the byte waiting came from port 2, the mouse */

#define I8042_CMD_READ_CONFIG   0x20
#define I8042_CMD_WRITE_CONFIG  0x60
#define I8042_CMD_DISABLE_PORT2 0xa7
#define I8042_CMD_SELF_TEST     0xaa
#define I8042_CMD_TEST_PORT1    0xab
#define I8042_CMD_DISABLE_PORT1 0xad
#define I8042_CMD_ENABLE_PORT1  0xae
#define I8042_CMD_PULSE_RESET   0xfe /* pulses output line 0, wired to the CPU's reset, low */

#define I8042_SELF_TEST_PASSED 0x55
#define I8042_PORT_TEST_PASSED 0x00

/* The configuration byte ("command byte" in IBM's AT reference). */
#define I8042_CONFIG_PORT1_IRQ       0x01
#define I8042_CONFIG_PORT2_IRQ       0x02
#define I8042_CONFIG_PORT1_CLOCK_OFF 0x10
#define I8042_CONFIG_PORT2_CLOCK_OFF 0x20
#define I8042_CONFIG_TRANSLATE       0x40 /* the keyboard's set 2 codes become set 1 on the way */

/* The keyboard's own commands, written to I8042_DATA, and its answers. */
#define KEYBOARD_CMD_SET_LIGHTS    0xed /* then one byte of KEYBOARD_LIGHT_* */
#define KEYBOARD_ACK               0xfa
#define KEYBOARD_RESEND            0xfe
#define KEYBOARD_LIGHT_SCROLL_LOCK 0x01
#define KEYBOARD_LIGHT_NUM_LOCK    0x02
#define KEYBOARD_LIGHT_CAPS_LOCK   0x04

/* The ISA interrupt the keyboard (port 1) raises. */
#define I8042_KEYBOARD_IRQ 1
