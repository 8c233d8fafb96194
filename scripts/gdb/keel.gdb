# keel's GDB setup. Load it explicitly, from the top of the repository, with the kernel:
#     gdb -x scripts/gdb/keel.gdb -ex "keel-connect localhost:1234" build/keel.elf
# (`make debug` does this for you.) It finds keel's sources and defines:
#     keel-connect TARGET   attach to QEMU's GDB stub and stop at kmain
#     keel-fault            in exception_dispatch: the exception and the code that faulted
#     keel-x32 [N]          disassemble 32-bit code (boot/entry32.asm) at the PC
#
# One machine, three CPU modes: QEMU's stub for qemu-system-x86_64 always sends the 64-bit
# register set, also in real mode and in the 32-bit entry. A GDB that thinks the target is i386
# then fails with "Remote 'g' packet reply is too long". So the architecture is i386:x86-64
# before GDB connects, and stays so for the whole session.

set architecture i386:x86-64
# The compiler records file names relative to the repository (-ffile-prefix-map in the Makefile).
directory .
set pagination off
set confirm off

# In the 32-bit entry, stepping, breakpoints and registers work as they are, and `list` shows
# boot/entry32.asm; only x/i would decode the instructions as 64-bit ones. keel-x32 decodes them
# as the CPU runs them. (GDB warns that i386 does not match the target: it is only for this.)
define keel-x32
    set architecture i386
    if $argc == 0
        x/8i $pc
    else
        eval "x/%di $pc", $arg0
    end
    set architecture i386:x86-64
end
document keel-x32
keel-x32 [N]: disassembles N (8) instructions at the PC as 32-bit code, for the 32-bit entry.
end

define keel-connect
    target remote $arg0
    # A hardware breakpoint: with KVM, a software one would be written into memory that GRUB has
    # not loaded the kernel into yet.
    hbreak kmain
end
document keel-connect
keel-connect TARGET: attach to QEMU's GDB stub (localhost:1234, or a socket path) and break at
kmain. QEMU waits at reset; type "continue" to boot.
end

define keel-fault
    printf "vector %lu, error code 0x%lx, at 0x%lx\n", frame->vector, frame->error_code, frame->rip
    info symbol frame->rip
    info line *frame->rip
end
document keel-fault
In exception_dispatch (break exception_dispatch): names the exception and the function and
source line that faulted, from the trap frame.
end
