# Booting keel in QEMU from a test: start it headless, wait (always with a deadline) for lines on
# its serial port, ask its monitor, and stop it by its own PID when the test ends.
# Source after tap.sh. One QEMU per test script.
# shellcheck shell=bash

QEMU=${QEMU:-qemu-system-x86_64}
KEEL_ISO=${KEEL_ISO:-build/keel.iso}
KEEL_TEST_ISO=${KEEL_TEST_ISO:-build/test/keel-test.iso}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
# Under TCG on a busy machine a boot takes seconds; these bound every wait.
BOOT_TIMEOUT=${KEEL_BOOT_TIMEOUT:-90}

QEMU_PID=
QEMU_DIR=$(mktemp -d "${TMPDIR:-/tmp}/keel-test.XXXXXX")
SERIAL_LOG=$QEMU_DIR/serial.log
SERIAL_SOCKET=$QEMU_DIR/serial.sock
MONITOR=$QEMU_DIR/monitor.sock

qemu_cleanup() {
    qemu_stop
    rm -rf "$QEMU_DIR"
}
trap qemu_cleanup EXIT

# test_disk COMMANDS...: a small FAT disk holding keel-test.cfg, the GRUB commands with which the
# test image (tests/boot/grub.cfg) loads keel before it boots it:
#   test_disk "multiboot2 /boot/keel.elf keel.selftest" 'module2 ($testdisk)/hello.txt hello' 
# Prints the QEMU arguments that attach it, and that boot from the CD (SeaBIOS would otherwise
# try the disk first). Extra files can be copied in with test_disk_add.
test_disk() {
    local image=$QEMU_DIR/test-disk.img
    printf '%s\n' "$@" > "$QEMU_DIR/keel-test.cfg"
    rm -f "$image"
    mformat -i "$image" -C -T 2880 -v KEELTEST :: >/dev/null
    mcopy -i "$image" "$QEMU_DIR/keel-test.cfg" ::/keel-test.cfg
    echo "-boot order=d -drive file=$image,format=raw,if=ide,media=disk"
}

test_disk_add() {
    mcopy -i "$QEMU_DIR/test-disk.img" "$1" "::/$2"
}

# uefi_firmware: QEMU arguments for OVMF, with a scratch copy of its variable store.
uefi_firmware() {
    cp "$OVMF_VARS" "$QEMU_DIR/ovmf-vars.fd"
    echo "-drive if=pflash,format=raw,readonly=on,file=$OVMF_CODE" \
         "-drive if=pflash,format=raw,file=$QEMU_DIR/ovmf-vars.fd"
}

# qemu_start ARGS...: boots with the serial port going to $SERIAL_LOG and a monitor socket.
# -no-reboot turns a triple fault into QEMU exiting, so a reset can never go unnoticed.
# QEMU_SERIAL=none plays a PC without a serial port; QEMU_SERIAL=input makes the serial port a
# socket that serial_type types on, still logged to $SERIAL_LOG.
qemu_start() {
    local serial=(-serial "${QEMU_SERIAL:-file:$SERIAL_LOG}")
    if [ "${QEMU_SERIAL:-}" = input ]; then
        serial=(-chardev "socket,id=keel-serial,path=$SERIAL_SOCKET,server=on,wait=off,logfile=$SERIAL_LOG"
                -serial chardev:keel-serial)
    fi
    : > "$SERIAL_LOG"
    "$QEMU" -display none -no-reboot -m "${QEMU_MEMORY:-128M}" \
        "${serial[@]}" -monitor "unix:$MONITOR,server=on,wait=off" \
        "$@" > "$QEMU_DIR/qemu.out" 2>&1 &
    QEMU_PID=$!
}

# serial_type TEXT: types TEXT on the serial port (QEMU_SERIAL=input), as is: a command ends
# with $'\r', as a terminal sends Enter. Returns once the guest has been quiet for half a second.
serial_type() {
    timeout 30 tests/lib/serial-type "$SERIAL_SOCKET" "$1"
}

# keel_command LINE [SECONDS]: types LINE and Enter at the keel> prompt over serial
# (QEMU_SERIAL=input) and waits, at most SECONDS (default 30), for the next prompt. Sets
# KEEL_ANSWER to what was printed in between, the echo of LINE left out. Fails at the deadline or
# when QEMU has exited (then KEEL_ANSWER holds what came out).
# shellcheck disable=SC2034 # KEEL_ANSWER is for the test scripts that source this file
keel_command() {
    local mark deadline=$((SECONDS + ${2:-30}))
    mark=$(serial_size)
    serial_type "$1"$'\r' || return 1
    while :; do
        KEEL_ANSWER=$(serial_since "$mark")
        if [[ $KEEL_ANSWER == *$'\n'"keel> " ]]; then
            KEEL_ANSWER=${KEEL_ANSWER#*$'\n'}
            KEEL_ANSWER=${KEEL_ANSWER%"keel> "}
            KEEL_ANSWER=${KEEL_ANSWER%$'\n'}
            return 0
        fi
        qemu_alive && [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# serial_size: how many bytes the serial log holds, to read what comes after with serial_since.
serial_size() {
    wc -c < "$SERIAL_LOG"
}

# serial_since OFFSET: the serial log after its first OFFSET bytes, without the CRs.
serial_since() {
    tail -c +$(($1 + 1)) "$SERIAL_LOG" | tr -d '\r'
}

qemu_alive() {
    [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null
}

# qemu_stop: asks QEMU to quit, then insists; waits for it either way.
qemu_stop() {
    [ -n "$QEMU_PID" ] || return 0
    if qemu_alive; then
        kill -TERM "$QEMU_PID" 2>/dev/null
        for _ in $(seq 50); do
            qemu_alive || break
            sleep 0.1
        done
        qemu_alive && kill -KILL "$QEMU_PID" 2>/dev/null
    fi
    wait "$QEMU_PID" 2>/dev/null
    QEMU_PID=
}

# qemu_wait_exit SECONDS: waits, at most SECONDS, for QEMU to end by itself (keel.exit=qemu).
# Sets QEMU_STATUS to its exit status, or to "timeout" (QEMU is then left running for qemu_stop).
# shellcheck disable=SC2034 # QEMU_STATUS is for the test scripts that source this file
qemu_wait_exit() {
    local deadline=$((SECONDS + $1))
    QEMU_STATUS=timeout
    while [ "$SECONDS" -lt "$deadline" ]; do
        if ! qemu_alive; then
            wait "$QEMU_PID"
            QEMU_STATUS=$?
            QEMU_PID=
            return
        fi
        sleep 0.2
    done
}

# wait_for_serial TEXT [SECONDS]: succeeds once TEXT (a fixed string) is on the serial port;
# fails at the deadline or as soon as QEMU has exited.
wait_for_serial() {
    local text=$1 deadline=$((SECONDS + ${2:-$BOOT_TIMEOUT}))
    while [ "$SECONDS" -lt "$deadline" ]; do
        grep -qF -- "$text" "$SERIAL_LOG" && return 0
        qemu_alive || { grep -qF -- "$text" "$SERIAL_LOG"; return; }
        sleep 0.2
    done
    return 1
}

serial_has() {
    grep -qF -- "$1" "$SERIAL_LOG"
}

monitor() {
    timeout 20 tests/lib/qemu-monitor "$MONITOR" "$1"
}

# cpu_halted: QEMU still runs and its CPU sits in HLT (not spinning, not reset).
cpu_halted() {
    # Not grep -q: stopping at the first match would break the monitor client's pipe.
    qemu_alive && monitor "info registers" | grep 'HLT=1' > /dev/null
}

# cpu_halted_for_good: halted as halt_forever leaves it, in HLT with interrupts off.
cpu_halted_for_good() {
    local regs flags
    qemu_alive || return 1
    regs=$(monitor "info registers")
    flags=$(grep -o 'RFL=[0-9a-f]*' <<<"$regs" | head -1)
    grep -q 'HLT=1' <<<"$regs" && [ -n "$flags" ] && (( (0x${flags#RFL=} & 0x200) == 0 ))
}

# cpu_idle: QEMU still runs and its CPU idles as the monitor does between keys: in HLT, with
# interrupts enabled, inside arch_wait_for_interrupt. Three samples must all show it; a sample
# that catches the CPU in an interrupt handler (a timer tick) is taken again, at most twice. A
# busy loop is never in HLT; a CPU halted for good has interrupts off.
cpu_idle() {
    local elf=${KEEL_ELF:-build/keel.elf} start end regs flags rip seen=0 tries=0
    read -r start end < <(nm -n "$elf" | awk '
        found { print start, $1; exit }
        $3 == "arch_wait_for_interrupt" { start = $1; found = 1 }')
    [ -n "$end" ] || return 1
    while [ "$seen" -lt 3 ] && [ "$tries" -lt 5 ]; do
        tries=$((tries + 1))
        qemu_alive || return 1
        regs=$(monitor "info registers")
        flags=$(grep -o 'RFL=[0-9a-f]*' <<<"$regs" | head -1)
        rip=$(grep -o 'RIP=[0-9a-f]*' <<<"$regs" | head -1)
        if grep -q 'HLT=1' <<<"$regs" && [ -n "$flags" ] && [ -n "$rip" ] &&
            (( (0x${flags#RFL=} & 0x200) != 0 &&
               0x${rip#RIP=} >= 0x$start && 0x${rip#RIP=} < 0x$end )); then
            seen=$((seen + 1))
        fi
        sleep 0.2
    done
    [ "$seen" -eq 3 ]
}

# cpu_states: one line per CPU in 64-bit mode (QEMU prints the others' registers as EIP=...),
# "RIP RFLAGS HLT" in hex and 0/1, from QEMU's monitor.
cpu_states() {
    monitor "info registers -a" | sed -n 's/^RIP=\([0-9a-f]*\) RFL=\([0-9a-f]*\) .*HLT=\([01]\).*/\1 \2 \3/p'
}

# every_cpu_idle N: QEMU still runs and each of its N CPUs in 64-bit mode idles as cpu_idle says: in HLT, with
# interrupts enabled, inside arch_wait_for_interrupt. One sample of all of them must show it; a
# sample that catches a CPU in a tick's handler is taken again, at most four more times.
every_cpu_idle() {
    local elf=${KEEL_ELF:-build/keel.elf} start end tries rip flags hlt idle cpus
    read -r start end < <(nm -n "$elf" | awk '
        found { print start, $1; exit }
        $3 == "arch_wait_for_interrupt" { start = $1; found = 1 }')
    [ -n "$end" ] || return 1
    for tries in 1 2 3 4 5; do
        qemu_alive || return 1
        idle=0 cpus=0
        while read -r rip flags hlt; do
            cpus=$((cpus + 1))
            if [ "$hlt" = 1 ] && (( (0x$flags & 0x200) != 0 &&
                                    0x$rip >= 0x$start && 0x$rip < 0x$end )); then
                idle=$((idle + 1))
            fi
        done < <(cpu_states)
        [ "$cpus" -eq "$1" ] && [ "$idle" -eq "$1" ] && return 0
        sleep 0.3
    done
    return 1
}

# every_cpu_halted_for_good N: each of QEMU's N CPUs (in 64-bit mode) is in HLT, interrupts off.
every_cpu_halted_for_good() {
    local flags hlt halted=0 cpus=0
    qemu_alive || return 1
    while read -r _ flags hlt; do
        cpus=$((cpus + 1))
        [ "$hlt" = 1 ] && (( (0x$flags & 0x200) == 0 )) && halted=$((halted + 1))
    done < <(cpu_states)
    [ "$cpus" -eq "$1" ] && [ "$halted" -eq "$1" ]
}

# The last 15 lines of the serial log, for failure details.
serial_tail() {
    tail -n 15 "$SERIAL_LOG" | tr -d '\r' | sed 's/^/serial: /'
}
