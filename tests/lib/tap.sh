# Test result lines, the form tests/run counts: "ok - <what>", "not ok - <what>", and for a case
# that cannot run here "ok - <what> # SKIP <why>" (TAP's skip directive; counted as a skip).
# Source this file; a test script's exit status is non-zero when anything failed.
# shellcheck shell=bash

TAP_FAILED=0

pass() {
    echo "ok - $1"
}

# fail WHAT [DETAIL...]: the details go on '#' lines under the result.
fail() {
    echo "not ok - $1"
    shift
    local line
    for line in "$@"; do
        echo "#   $line"
    done
    TAP_FAILED=1
}

# skip WHAT WHY: the case did not run; tests/run counts it as skipped, not passed.
skip() {
    echo "ok - $1 # SKIP $2"
}

# check WHAT COMMAND...: passes when COMMAND succeeds.
check() {
    local what=$1
    shift
    if "$@"; then
        pass "$what"
    else
        fail "$what" "command failed: $*"
    fi
}

tap_exit() {
    exit "$TAP_FAILED"
}
