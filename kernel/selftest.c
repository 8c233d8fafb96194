/* The in-kernel test runner, and the recovery point that lets a test survive an expected fault. */
#include "kernel/selftest.h"

#include <stdarg.h>

#include "kernel/arch.h"
#include "kernel/arch_selftest.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/kprintf.h"

/*
 * Where selftest_catch_fault() resumes; `outer` is the catch it is nested in. Each CPU has its
 * own chain (struct cpu's fault_catcher): a fault resumes the catch on the CPU that faulted.
 */
struct fault_catcher {
    struct arch_jump_buffer resume;
    struct fault_info info;
    struct fault_catcher *outer;
};

/* The running test's first failure, printed after its result line. */
static bool test_failed;
static char failure[160];

/* The tests every file registered with SELFTEST, in link order (linker/kernel.ld). */
extern const struct selftest __selftests_start[], __selftests_end[];

static bool selftest_requested __ro_after_init;

static bool set_selftest(const char *value)
{
    if (value)
        return false;
    selftest_requested = true;
    return true;
}
CMDLINE_OPTION(selftest, set_selftest, "runs the in-kernel tests, then halts (takes no value)");

void selftest_fail(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    if (test_failed)
        return;
    test_failed = true;
    size_t n = file ? ksnprintf(failure, sizeof(failure), "%s:%d: ", file, line) : 0;
    if (n < sizeof(failure)) {
        va_start(args, fmt);
        kvsnprintf(failure + n, sizeof(failure) - n, fmt, args);
        va_end(args);
    }
}

bool selftest_catch_fault(void (*fn)(void *), void *arg, struct fault_info *info)
{
    struct cpu *cpu = this_cpu();
    struct fault_catcher here = {.outer = cpu->fault_catcher};
    bool faulted = false;

    cpu->fault_catcher = &here;
    if (arch_setjmp(&here.resume) == 0)
        fn(arg);
    else
        faulted = true; /* back from selftest_fault_recover() */
    cpu->fault_catcher = here.outer;

    if (info)
        *info = faulted ? here.info : (struct fault_info){0};
    return faulted;
}

bool selftest_expect_fault(unsigned vector, void (*fn)(void *), void *arg)
{
    struct fault_info fault;

    if (!selftest_catch_fault(fn, arg, &fault)) {
        selftest_fail(NULL, 0, "expected exception %u, but nothing faulted", vector);
        return false;
    }
    if (fault.vector != vector) {
        selftest_fail(NULL, 0, "expected exception %u, got %s at 0x%llx", vector, fault.name,
                      (unsigned long long)fault.ip);
        return false;
    }
    return true;
}

void selftest_fault_recover(const struct fault_info *info)
{
    struct fault_catcher *catcher = this_cpu()->fault_catcher;

    if (!catcher)
        return;
    catcher->info = *info;
    arch_longjmp(&catcher->resume, 1);
}

static void run_test(void *test)
{
    ((const struct selftest *)test)->run();
}

size_t selftest_run(const struct selftest *tests, size_t count)
{
    size_t failed = 0;
    struct fault_info fault;

    for (size_t i = 0; i < count; i++) {
        test_failed = false;
        /* A test that faults where it did not expect to fails; the others still run. */
        if (selftest_catch_fault(run_test, (void *)&tests[i], &fault))
            selftest_fail(NULL, 0, "unexpected %s at 0x%llx (address 0x%llx)", fault.name,
                          (unsigned long long)fault.ip, (unsigned long long)fault.address);
        kprintf("%s - selftest: %s\n", test_failed ? "not ok" : "ok", tests[i].name);
        if (test_failed) {
            kprintf("#   %s\n", failure);
            failed++;
        }
    }
    kprintf("%zu passed, %zu failed\n", count - failed, failed);
    return failed;
}

size_t selftest_run_all(void)
{
    size_t count = (size_t)(__selftests_end - __selftests_start);

    kprintf("keel: running %zu self-tests\n", count);
    return selftest_run(__selftests_start, count);
}

void selftest_run_if_requested(void)
{
    if (!selftest_requested)
        return;
    size_t failed = selftest_run_all();
    arch_test_exit(failed == 0);
    halt_forever();
}
