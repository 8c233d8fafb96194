# shellcheck shell=bash
# Playing a misbehaving boot loader: GDB stops the CPU at keel's entry point, changes what the
# loader handed over, and lets it run on. Source after qemu.sh.

# boot_with_gdb_at_entry ISO GDB_COMMAND...: boots ISO and runs the GDB commands at _start, where
# the CPU is in 32-bit protected mode with paging off (so the breakpoint's address is the physical
# entry point), EAX holds the multiboot2 magic and EBX the boot information's address.
# GDB's output goes to $QEMU_DIR/gdb.log.
boot_with_gdb_at_entry() {
    local iso=$1 entry gdb_socket=$QEMU_DIR/gdb.sock command
    shift
    entry=$(readelf -h build/keel.elf | awk '/Entry point address/ { print $4 }')
    local gdb_args=(-nx -batch -ex "set architecture i386:x86-64" -ex "target remote $gdb_socket"
                    -ex "hbreak *$entry" -ex "continue")
    for command in "$@"; do
        gdb_args+=(-ex "$command")
    done
    gdb_args+=(-ex "detach")

    # -S: the CPU waits for GDB before running the firmware.
    qemu_start -S -gdb "unix:$gdb_socket,server=on,wait=off" -cdrom "$iso"
    for _ in $(seq 50); do [ -S "$gdb_socket" ] && break; sleep 0.1; done
    timeout "$BOOT_TIMEOUT" gdb "${gdb_args[@]}" > "$QEMU_DIR/gdb.log" 2>&1
}
