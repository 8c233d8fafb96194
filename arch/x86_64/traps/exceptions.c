/*
 * exception_dispatch(): every CPU exception ends here. A fault a self-test expects resumes that
 * test; an NMI is reported and the interrupted code carries on; anything else is a panic whose
 * report shows what happened, where, and every register, in 80 columns.
 */
#include "arch/x86_64/traps/exceptions.h"

#include <stdbool.h>

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/stack.h"
#include "arch/x86_64/traps/machine_check.h"
#include "arch/x86_64/traps/nmi.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/selftest.h"
#include "kernel/symbols.h"

/* Intel SDM vol. 3A, table 6-1, and AMD APM vol. 2, table 8-1 (vectors 28-30). */
static const char *const names[EXCEPTION_VECTORS] = {
    [0] = "divide error (#DE)",
    [1] = "debug exception (#DB)",
    [2] = "non-maskable interrupt (NMI)",
    [3] = "breakpoint (#BP)",
    [4] = "overflow (#OF)",
    [5] = "BOUND range exceeded (#BR)",
    [6] = "invalid opcode (#UD)",
    [7] = "device not available (#NM)",
    [8] = "double fault (#DF)",
    [9] = "coprocessor segment overrun",
    [10] = "invalid TSS (#TS)",
    [11] = "segment not present (#NP)",
    [12] = "stack-segment fault (#SS)",
    [13] = "general protection fault (#GP)",
    [14] = "page fault (#PF)",
    [16] = "x87 floating-point error (#MF)",
    [17] = "alignment check (#AC)",
    [18] = "machine check (#MC)",
    [19] = "SIMD floating-point exception (#XM)",
    [20] = "virtualization exception (#VE)",
    [21] = "control protection exception (#CP)",
    [28] = "hypervisor injection exception (#HV)",
    [29] = "VMM communication exception (#VC)",
    [30] = "security exception (#SX)",
};

/* SDM vol. 3A, 6.13: the selector error code of #TS, #NP, #SS, #GP. */
#define SELECTOR_EXTERNAL (1u << 0) /* the fault came from delivering an external event */
#define SELECTOR_IDT      (1u << 1) /* the index is an IDT vector ... */
#define SELECTOR_LDT      (1u << 2) /* ... else an LDT entry if set, else a GDT entry */

/* RFLAGS bits worth naming in a report (SDM vol. 1, 3.4.3). */
static const struct {
    uint64_t bit;
    const char *name;
} rflags_names[] = {
    {1u << 0, "CF"}, {1u << 2, "PF"},  {1u << 6, "ZF"},  {1u << 7, "SF"},  {1u << 8, "TF"},
    {1u << 9, "IF"}, {1u << 10, "DF"}, {1u << 11, "OF"}, {1u << 16, "RF"}, {1u << 18, "AC"},
};

const char *exception_name(unsigned vector)
{
    if (vector < EXCEPTION_VECTORS && names[vector])
        return names[vector];
    return "reserved exception";
}

static bool has_selector_error_code(unsigned vector)
{
    return vector == EXCEPTION_INVALID_TSS || vector == EXCEPTION_SEGMENT_MISSING ||
           vector == EXCEPTION_STACK_FAULT || vector == EXCEPTION_GENERAL_PROTECTION;
}

/*
 * A stack overflow runs into the guard page: a #PF there, or a #DF when the CPU could not even
 * push the #PF's frame (the usual case: the stack pointer is in the guard page).
 */
static const char *overflowed_stack(const struct trap_frame *frame, uint64_t cr2, uintptr_t *guard)
{
    const char *stack = NULL;

    if (frame->vector == EXCEPTION_PAGE_FAULT || frame->vector == EXCEPTION_DOUBLE_FAULT)
        stack = stack_guard_owner(cr2, guard);
    if (!stack && frame->vector == EXCEPTION_DOUBLE_FAULT)
        stack = stack_guard_owner(frame->rsp, guard);
    return stack;
}

static void print_error_code(const struct trap_frame *frame, uint64_t cr2)
{
    uint64_t error = frame->error_code;

    if (frame->vector == EXCEPTION_PAGE_FAULT) {
        kprintf(" error %04llx: %s, %s, %s mode%s%s\n", (unsigned long long)error,
                error & PF_PRESENT ? "protection violation" : "page not present",
                error & PF_INSTRUCTION ? "instruction fetch"
                : error & PF_WRITE     ? "write"
                                       : "read",
                error & PF_USER ? "user" : "kernel",
                error & PF_RESERVED ? ", reserved bit set" : "",
                error & PF_INSTRUCTION && error & PF_WRITE ? ", write" : "");
        kprintf(" address (CR2) %016llx%s\n", (unsigned long long)cr2,
                cr2 < PAGE_SIZE ? "  (a null pointer)" : "");
    } else if (has_selector_error_code((unsigned)frame->vector)) {
        if (error == 0) {
            kprintf(" error 0000: no selector (e.g. a non-canonical address or a privileged "
                    "instruction)\n");
            return;
        }
        kprintf(" error %04llx: %s %llu%s\n", (unsigned long long)error,
                error & SELECTOR_IDT   ? "IDT vector"
                : error & SELECTOR_LDT ? "LDT entry"
                                       : "GDT entry",
                (unsigned long long)(error >> 3 & 0x1fff),
                error & SELECTOR_EXTERNAL ? ", during an external event" : "");
    } else if (error != 0) {
        kprintf(" error %04llx\n", (unsigned long long)error);
    }
}

static void print_registers(const struct trap_frame *frame)
{
    uint64_t rflags = frame->rflags;

    kprintf(" RSP %04llx:%016llx  RFLAGS %016llx [", (unsigned long long)frame->ss,
            (unsigned long long)frame->rsp, (unsigned long long)rflags);
    for (size_t i = 0; i < ARRAY_SIZE(rflags_names); i++) {
        if (rflags & rflags_names[i].bit)
            kprintf(" %s", rflags_names[i].name);
    }
    kprintf(" ]\n");

    const struct {
        const char *name;
        uint64_t value;
    } registers[] = {
        {"RAX", frame->rax},     {"RBX", frame->rbx},
        {"RCX", frame->rcx},     {"RDX", frame->rdx},
        {"RSI", frame->rsi},     {"RDI", frame->rdi},
        {"RBP", frame->rbp},     {"R8", frame->r8},
        {"R9", frame->r9},       {"R10", frame->r10},
        {"R11", frame->r11},     {"R12", frame->r12},
        {"R13", frame->r13},     {"R14", frame->r14},
        {"R15", frame->r15},     {"CR0", cpu_read_cr0()},
        {"CR2", cpu_read_cr2()}, {"CR3", cpu_read_cr3()},
        {"CR4", cpu_read_cr4()}, {"EFER", cpu_read_msr(MSR_EFER)},
    };
    /* Three columns of 23 characters: with the indent, 70 of the screen's 80. */
    for (size_t i = 0; i < ARRAY_SIZE(registers); i++) {
        kprintf("%s%-4s %016llx", i % 3 == 0 ? " " : "  ", registers[i].name,
                (unsigned long long)registers[i].value);
        if (i % 3 == 2 || i + 1 == ARRAY_SIZE(registers))
            kprintf("\n");
    }
}

/* RIP with the function it is in, e.g. "RIP 0008:ffffffff80101234  kmain+0x4c". */
void exception_print_rip(const struct trap_frame *frame)
{
    uintptr_t offset;
    const char *function = symbol_lookup(frame->rip, &offset);

    kprintf(" RIP %04llx:%016llx", (unsigned long long)frame->cs, (unsigned long long)frame->rip);
    if (function)
        kprintf("  %s+0x%llx", function, (unsigned long long)offset);
    kprintf("\n");
}

void exception_dispatch(struct trap_frame *frame)
{
    unsigned vector = (unsigned)frame->vector;
    uint64_t cr2 = cpu_read_cr2();

    if (vector == EXCEPTION_NMI) {
        nmi_handle(frame);
        return;
    }

    /* A self-test that expects this fault resumes and this call does not return. */
    if (vector != EXCEPTION_MACHINE_CHECK) {
        struct fault_info info = {
            .vector = vector,
            .name = exception_name(vector),
            .error_code = frame->error_code,
            .address = vector == EXCEPTION_PAGE_FAULT ? cr2 : 0,
            .ip = frame->rip,
        };
        selftest_fault_recover(&info);
    }

    uintptr_t guard = 0;
    const char *overflowed = overflowed_stack(frame, cr2, &guard);

    panic_begin();
    kprintf("KERNEL PANIC: %s%s, vector %u\n", overflowed ? "kernel stack overflow: " : "",
            exception_name(vector), vector);
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    if (overflowed)
        kprintf(" the stack grew into its guard page at %016llx (the %s stack)\n",
                (unsigned long long)guard, overflowed);
    print_error_code(frame, cr2);
    if (vector == EXCEPTION_PAGE_FAULT)
        heap_explain_fault(cr2);
    exception_print_rip(frame);
    print_registers(frame);
    if (vector == EXCEPTION_MACHINE_CHECK)
        machine_check_print();
    backtrace_print(frame->rip, frame->rbp);
    panic_end();
}
