# Shared by the smp-*.test files: one boot with several CPUs, all of which must come up.
# shellcheck shell=bash

# smp_boot WHAT N QEMU_ARGS...: boots keel with -smp N; the boot facts say all N are online with
# APIC ids 0 to N-1, the monitor's cpus lists each one online and ticking, and every CPU idles.
smp_boot() {
    local what=$1 n=$2 line i ids
    shift 2
    ids=$([ "$n" -gt 1 ] && echo "0-$((n - 1))" || echo 0)
    QEMU_SERIAL=input qemu_start -smp "$n" "$@" -cdrom "$KEEL_ISO"
    if ! wait_for_serial "keel> "; then
        fail "$what: boots to the prompt" "$(serial_tail)"
        qemu_stop
        return
    fi
    check "$what: the boot facts say 'smp: $n of $n CPUs online, APIC ids $ids'" \
        grep -qxF "smp: $n of $n CPUs online, APIC ids $ids" <(tr -d '\r' < "$SERIAL_LOG")
    if keel_command cpus && grep -qxF "$n of $n CPUs online" <<<"$KEEL_ANSWER"; then
        pass "$what: cpus says $n of $n CPUs online"
    else
        fail "$what: cpus says $n of $n CPUs online" "${KEEL_ANSWER:0:600}"
    fi
    local ticking=0
    for ((i = 0; i < n; i++)); do
        line=$(grep "^cpu $i: " <<<"$KEEL_ANSWER")
        [[ $line =~ ^cpu\ $i:\ APIC\ id\ $i,\ online,\ [1-9][0-9]*\ ticks ]] && ticking=$((ticking + 1))
    done
    check "$what: cpus lists each of the $n CPUs online, its own timer ticking" \
        test "$ticking" -eq "$n"
    check "$what: every CPU idles in hlt with interrupts on" every_cpu_idle "$n"
    qemu_stop
}
