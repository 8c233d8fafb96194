# shellcheck shell=bash
# Playing a misbehaving boot loader: GDB stops the CPU at keel's entry point, changes what the
# loader handed over, and lets it run on. Source after qemu.sh.

# elf_symbol NAME: the address of a symbol of build/keel.elf, as 0x...
elf_symbol() {
    nm build/keel.elf | awk -v s="$1" '$3 == s { print "0x" $1; exit }'
}

# boot_with_gdb_at ADDRESS QEMU_ARGS... -- GDB_COMMAND...: boots QEMU with QEMU_ARGS and runs the
# GDB commands once the CPU first reaches ADDRESS (a hardware breakpoint, so it works before
# paging is on and in read-only code). GDB's output goes to $QEMU_DIR/gdb.log.
boot_with_gdb_at() {
    local address=$1 gdb_socket=$QEMU_DIR/gdb.sock qemu_args=() command
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        qemu_args+=("$1")
        shift
    done
    shift
    local gdb_args=(-nx -batch -ex "set architecture i386:x86-64" -ex "target remote $gdb_socket"
                    -ex "hbreak *$address" -ex "continue" -ex "delete")
    for command in "$@"; do
        gdb_args+=(-ex "$command")
    done
    gdb_args+=(-ex "detach")

    # -S: the CPU waits for GDB before running the firmware. A socket left by an earlier boot in
    # this test would look ready before this QEMU listens on it.
    rm -f "$gdb_socket"
    qemu_start -S -gdb "unix:$gdb_socket,server=on,wait=off" "${qemu_args[@]}"
    for _ in $(seq 50); do [ -S "$gdb_socket" ] && break; sleep 0.1; done
    timeout "$BOOT_TIMEOUT" gdb "${gdb_args[@]}" > "$QEMU_DIR/gdb.log" 2>&1
}

# boot_with_gdb_at_entry ISO GDB_COMMAND...: boots ISO and runs the GDB commands at _start, where
# the CPU is in 32-bit protected mode with paging off (so the breakpoint's address is the physical
# entry point), EAX holds the multiboot2 magic and EBX the boot information's address.
boot_with_gdb_at_entry() {
    local iso=$1 entry
    shift
    entry=$(readelf -h build/keel.elf | awk '/Entry point address/ { print $4 }')
    boot_with_gdb_at "$entry" -cdrom "$iso" -- "$@"
}

# boot_with_gdb_script SCRIPT QEMU_ARGS...: boots QEMU_ARGS (the firmware and the image) and runs
# the GDB script file SCRIPT at _start, in the state described above; it may use GDB's own loops
# and variables.
boot_with_gdb_script() {
    local script=$1 entry
    shift
    entry=$(readelf -h build/keel.elf | awk '/Entry point address/ { print $4 }')
    boot_with_gdb_at "$entry" "$@" -- "source $script"
}

# screen_shows TEXT SECONDS [fb_text_check options]: waits, at most SECONDS, until a screendump
# of the framebuffer shows TEXT; the checker's last words are in $QEMU_DIR/check.log.
screen_shows() {
    local text=$1 deadline=$((SECONDS + $2))
    local font=${FONT_FILE:-/usr/share/consolefonts/Uni2-Terminus16.psf.gz}
    shift 2
    while [ "$SECONDS" -lt "$deadline" ] && qemu_alive; do
        monitor "screendump $QEMU_DIR/screen.ppm" > /dev/null
        tests/screen/fb_text_check "$QEMU_DIR/screen.ppm" "$font" "$text" "$@" \
            > "$QEMU_DIR/check.log" 2>&1 && return 0
        sleep 1
    done
    return 1
}
