/*
 * The in-kernel tests (keel.selftest): tests that need the real machine - its page tables, its
 * exceptions - run after boot, on QEMU or on a PC booted from the stick. Each prints
 * "ok - selftest: <name>" or "not ok - selftest: <name>"; the suite ends with "N passed, N failed".
 *
 *     SELFTEST(null_pointer_faults)
 *     {
 *         struct fault_info fault;
 *         SELFTEST_ASSERT(selftest_catch_fault(read_byte, NULL, &fault));
 *         SELFTEST_ASSERT_EQ(fault.address, 0);
 *     }
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/compiler.h"

struct selftest {
    const char *name;
    void (*run)(void);
};

/*
 * Defines a test: a void function of no arguments that passes unless an assertion fails or it
 * faults. Its entry goes into a section that linker/kernel.ld gathers (__selftests_start ..
 * __selftests_end), so a test sits next to the code it tests and no list needs editing.
 */
#define SELFTEST(test_name)                                                                        \
    static void selftest_##test_name(void);                                                        \
    static const struct selftest selftest_entry_##test_name __used __aligned(8)                    \
        __section("keel_selftests") = {#test_name, selftest_##test_name};                          \
    static void selftest_##test_name(void)

/* Fails the test and leaves it (a return from the test function) when cond is false. */
#define SELFTEST_ASSERT(cond)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            selftest_fail(__FILE__, __LINE__, "%s", #cond);                                        \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Like SELFTEST_ASSERT(a == b), and the message shows both values (as unsigned 64-bit). */
#define SELFTEST_ASSERT_EQ(a, b)                                                                   \
    do {                                                                                           \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                           \
        if (a_ != b_) {                                                                            \
            selftest_fail(__FILE__, __LINE__, "%s == %s (0x%llx != 0x%llx)", #a, #b,               \
                          (unsigned long long)a_, (unsigned long long)b_);                         \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/*
 * Records a failure of the running test (the first one counts); the message, after "file:line: "
 * unless file is NULL, is printed under its result line.
 */
void selftest_fail(const char *file, int line, const char *fmt, ...) __printf_like(3, 4);

/* A CPU fault, as the exception dispatcher saw it. */
struct fault_info {
    unsigned vector;     /* x86_64: the exception vector, 0-31 */
    const char *name;    /* e.g. "page fault (#PF)" */
    uint64_t error_code; /* 0 when the exception has none */
    uint64_t address;    /* page faults: the address that faulted (CR2); 0 otherwise */
    uint64_t ip;         /* the instruction that faulted (for traps like #BP: the next one) */
};

/*
 * Calls fn(arg); if it causes a CPU fault, the fault is not reported as a panic: execution
 * resumes here, and the function returns true with the fault described in *info (info may be
 * NULL). Returns false when fn returned normally. Nests. Catches faults on the calling CPU only
 * (each CPU has its own catch); an NMI or a machine check is never caught.
 */
bool selftest_catch_fault(void (*fn)(void *), void *arg, struct fault_info *info);

/* True when fn(arg) faulted with exception `vector`; a different fault is noted as a failure. */
bool selftest_expect_fault(unsigned vector, void (*fn)(void *), void *arg);

/*
 * For the exception dispatcher, before it reports a fault: if a selftest_catch_fault() is
 * waiting, resumes it and does not return. Returns when nobody expects a fault.
 */
void selftest_fault_recover(const struct fault_info *info);

/* Runs tests[0..count): one line each, then "N passed, N failed". Returns the number failed. */
size_t selftest_run(const struct selftest *tests, size_t count);

/* Runs every registered test (the monitor's selftest): "keel: running N self-tests", their
 * lines, "N passed, N failed". Returns the number failed. */
size_t selftest_run_all(void);

/* keel.selftest: runs every registered test, ends QEMU if keel.exit= says so, and halts. */
void selftest_run_if_requested(void);
