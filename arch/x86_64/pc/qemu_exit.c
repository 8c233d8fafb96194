/* keel.exit=qemu: tests end QEMU with a pass or fail status instead of waiting for a timeout. */
#include <stdint.h>

#include "arch/x86_64/cpu/cpu_features.h"
#include "arch/x86_64/cpu/io.h"
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"

/*
 * QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=0x04): writing v to
 * the port ends QEMU with exit status (v << 1) | 1. The two values are chosen so that neither
 * status is one QEMU gives for other reasons (0, 1).
 */
#define QEMU_DEBUG_EXIT_PORT 0xf4
#define QEMU_EXIT_PASSED     0x10 /* QEMU exits with 33 */
#define QEMU_EXIT_FAILED     0x11 /* QEMU exits with 35 */

static bool exit_qemu __ro_after_init;

static bool set_exit(const char *value)
{
    if (!value || strcmp(value, "qemu") != 0)
        return false;
    exit_qemu = true;
    return true;
}
CMDLINE_OPTION(exit, set_exit, "=qemu ends QEMU after the self-tests or a panic");

void arch_test_exit(bool passed)
{
    /* On a real PC port 0xf4 may belong to some device: only write it inside a virtual machine. */
    if (!exit_qemu || !cpu_has_hypervisor())
        return;
    outl(QEMU_DEBUG_EXIT_PORT, passed ? QEMU_EXIT_PASSED : QEMU_EXIT_FAILED);
}
