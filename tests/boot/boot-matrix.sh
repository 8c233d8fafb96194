# The boot matrix: build/keel.iso booted as a CD and as a USB stick, on the old PC (-M pc, i440FX)
# and the modern one (-M q35), under one firmware (SeaBIOS or OVMF). Sourced by bios-matrix.test
# and uefi-matrix.test, which call boot_matrix FIRMWARE.
#
# Each configuration must reach "keel: boot complete", pick the screen console its firmware calls
# for, and really draw the banner there: on BIOS it is read back from the VGA text buffer, on
# UEFI it is looked for, pixel by pixel, in a screenshot. GRUB must not complain on the way.
# shellcheck shell=bash
. tests/lib/tap.sh

MATRIX_VERSION=$(cat VERSION)
FONT_FILE=${FONT_FILE:-/usr/share/consolefonts/Uni2-Terminus16.psf.gz}
# How many QEMUs this script runs at once; the test runner runs other tests beside it.
MATRIX_JOBS=${KEEL_MATRIX_JOBS:-2}

# matrix_fail WHAT TEXT: a failure whose details are TEXT's lines, terminal escapes removed.
matrix_fail() {
    local lines
    mapfile -t lines < <(printf '%s\n' "$2" | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g')
    fail "$1" "${lines[@]}"
}

# matrix_media_args MEDIA: the QEMU arguments that attach the image as a CD or a USB stick.
matrix_media_args() {
    case $1 in
    cd) echo "-cdrom $KEEL_ISO" ;;
    # A USB mass-storage device on an xHCI controller, like a stick in a USB 3 port.
    # snapshot=on: the guest's writes go to a temporary file, never into the image.
    usb) echo "-device qemu-xhci" \
              "-drive if=none,id=stick,format=raw,snapshot=on,file=$KEEL_ISO" \
              "-device usb-storage,drive=stick" ;;
    esac
}

# matrix_wait_idle: waits (bounded) until the kernel idles at the monitor's prompt, so everything
# it drew is on the screen.
matrix_wait_idle() {
    wait_for_serial "keel> " 20 || return 1
    for _ in $(seq 10); do
        cpu_idle && return 0
        sleep 0.2
    done
    return 1
}

# matrix_check_screen FIRMWARE WHAT: is the banner on the screen itself?
matrix_check_screen() {
    local firmware=$1 what=$2 banner="keel $MATRIX_VERSION, booted by" output status
    if [ "$firmware" = bios ]; then
        # The monitor reads an unquoted "/" after the size as a division: quote the file name.
        monitor "pmemsave 0xb8000 4000 \"$QEMU_DIR/vga.bin\"" > /dev/null
        output=$(tests/screen/vga_text_check "$QEMU_DIR/vga.bin" "$banner" 2>&1)
        status=$?
    else
        monitor "screendump $QEMU_DIR/screen.ppm" > /dev/null
        output=$(tests/screen/fb_text_check "$QEMU_DIR/screen.ppm" "$FONT_FILE" "$banner" 2>&1)
        status=$?
    fi
    if [ "$status" -eq 0 ]; then
        pass "$what: the banner '$banner' is drawn on the screen"
    else
        matrix_fail "$what: the banner '$banner' is drawn on the screen" "$output"
    fi
}

# matrix_boot FIRMWARE MACHINE MEDIA: one configuration; prints its results, fails if one failed.
matrix_boot() {
    local firmware=$1 machine=$2 media=$3 what screen_line firmware_args=
    . tests/lib/qemu.sh

    what="$([ "$firmware" = uefi ] && echo OVMF || echo SeaBIOS), -M $machine, "
    what+="$([ "$media" = usb ] && echo "USB stick" || echo CD)"
    if [ "$firmware" = uefi ]; then
        firmware_args=$(uefi_firmware)
        screen_line="keel: screen: framebuffer"
    else
        screen_line="keel: screen: VGA text"
    fi
    # shellcheck disable=SC2046,SC2086 # the argument lists are meant to split
    qemu_start -M "$machine" $firmware_args $(matrix_media_args "$media")

    if ! wait_for_serial "keel: boot complete"; then
        matrix_fail "$what: reaches 'keel: boot complete'" "$(serial_tail)"
        tap_exit
    fi
    pass "$what: reaches 'keel: boot complete'"
    check "$what: the kernel chose the screen console ('$screen_line')" serial_has "$screen_line"
    # GRUB writes its messages to serial too: OVMF copies its console there, and on BIOS
    # iso/grub.cfg adds the serial terminal.
    if serial_has "no console will be available to OS"; then
        matrix_fail "$what: GRUB hands over a console" "$(serial_tail)"
    else
        pass "$what: GRUB hands over a console"
    fi
    if grep -a "error: " "$SERIAL_LOG" | grep -qav "keel: "; then
        matrix_fail "$what: GRUB reports no error" "$(grep -a "error: " "$SERIAL_LOG" | tr -d '\r')"
    else
        pass "$what: GRUB reports no error"
    fi
    if matrix_wait_idle; then
        matrix_check_screen "$firmware" "$what"
    else
        matrix_fail "$what: the kernel idles at the keel> prompt after booting" "$(serial_tail)"
    fi
    tap_exit
}

# boot_matrix FIRMWARE: the four configurations, MATRIX_JOBS at a time; their results in order.
boot_matrix() {
    local firmware=$1 results config running=0 status=0
    results=$(mktemp -d)
    # shellcheck disable=SC2064 # $results is fixed now; expand it now
    trap "rm -rf '$results'" EXIT
    local configs=(pc:cd pc:usb q35:cd q35:usb)

    for config in "${configs[@]}"; do
        if [ "$running" -ge "$MATRIX_JOBS" ]; then
            wait -n
            running=$((running - 1))
        fi
        (matrix_boot "$firmware" "${config%:*}" "${config#*:}") > "$results/$config" 2>&1 &
        running=$((running + 1))
    done
    wait
    for config in "${configs[@]}"; do
        cat "$results/$config"
        grep -q '^not ok' "$results/$config" && status=1
        grep -q '^ok' "$results/$config" || status=1
    done
    rm -rf "$results"
    exit "$status"
}
