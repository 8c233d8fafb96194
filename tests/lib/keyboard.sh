# Typing on the guest's emulated PS/2 keyboard, through the QEMU monitor's sendkey. Source after
# qemu.sh.
# shellcheck shell=bash

# keyboard_type TEXT: types TEXT a key at a time: lowercase letters, digits, space, '-', '.', and
# '\n' as Enter; an uppercase letter with Shift. Fails on a character it has no key for.
keyboard_type() {
    local text=$1 i c keys=()
    for ((i = 0; i < ${#text}; i++)); do
        c=${text:i:1}
        case $c in
        [a-z0-9]) keys+=("$c") ;;
        [A-Z]) keys+=("shift-${c,,}") ;;
        ' ') keys+=(spc) ;;
        -) keys+=(minus) ;;
        .) keys+=(dot) ;;
        $'\n') keys+=(ret) ;;
        *)
            echo "keyboard_type: no key for '$c'" >&2
            return 1
            ;;
        esac
    done
    keyboard_key "${keys[@]}"
}

# keyboard_key NAME...: presses and releases each key or combination, by QEMU's names: ret,
# ctrl-u, backspace.
keyboard_key() {
    timeout 60 tests/lib/qemu-sendkeys "$MONITOR" "$@"
}

# vga_screen_has TEXT: some row of the VGA text screen (BIOS) holds TEXT.
vga_screen_has() {
    monitor "pmemsave 0xb8000 4000 \"$QEMU_DIR/vga.bin\"" > /dev/null
    tests/screen/vga_text_check "$QEMU_DIR/vga.bin" "$1" > "$QEMU_DIR/vga.log" 2>&1
}

# framebuffer_has TEXT: the framebuffer (UEFI) shows TEXT, in keel's font.
framebuffer_has() {
    local font=${FONT_FILE:-/usr/share/consolefonts/Uni2-Terminus16.psf.gz}
    monitor "screendump $QEMU_DIR/screen.ppm" > /dev/null
    tests/screen/fb_text_check "$QEMU_DIR/screen.ppm" "$font" "$1" > "$QEMU_DIR/fb.log" 2>&1
}

# serial_shows_after OFFSET PATTERN [SECONDS]: what serial shows after its first OFFSET bytes
# (serial_size, before typing) comes to match the extended regular expression PATTERN, within
# SECONDS (default 20): the answer to what was typed.
serial_shows_after() {
    local deadline=$((SECONDS + ${3:-20}))
    while [ "$SECONDS" -lt "$deadline" ] && qemu_alive; do
        serial_since "$1" | grep -qE -- "$2" && return 0
        sleep 0.2
    done
    return 1
}
