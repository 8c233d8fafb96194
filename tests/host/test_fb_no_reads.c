/*
 * The framebuffer console must never read video memory: on real hardware it is uncached or
 * write-combined, and every read is a slow trip across the bus. The screen here is a page the
 * test keeps inaccessible; each access faults, the fault's error code says whether it was a read
 * or a write, and a write is then let through for exactly one instruction (the trap flag).
 */
#define _GNU_SOURCE /* REG_ERR, REG_EFL in <sys/ucontext.h> */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/fb_console.h"
#include "kernel/font.h"
#include "tests/host/fake_framebuffer.h"

#define PAGE_FAULT_WRITE (1u << 1) /* error code bit 1: the access was a write (SDM 4.7) */
#define EFLAGS_TRAP      (1u << 8)

/* Two columns by three rows of 8x16 glyphs, 32 bits per pixel. */
#define WIDTH  16
#define HEIGHT 48
#define PITCH  (WIDTH * 4)

static uint8_t *screen;
static size_t screen_size;
static volatile size_t reads, writes;

static void protect(int prot)
{
    if (mprotect(screen, screen_size, prot) != 0)
        abort();
}

static void on_fault(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    uint8_t *address = info->si_addr;

    (void)sig;
    if (address < screen || address >= screen + screen_size) {
        /* Not ours: let the default action report it on return. */
        signal(SIGSEGV, SIG_DFL);
        return;
    }
    if (uc->uc_mcontext.gregs[REG_ERR] & PAGE_FAULT_WRITE)
        writes++;
    else
        reads++;
    protect(PROT_READ | PROT_WRITE);
    uc->uc_mcontext.gregs[REG_EFL] |= EFLAGS_TRAP;
}

/* One instruction later: shut the screen again. */
static void on_trap(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;

    (void)sig;
    (void)info;
    protect(PROT_NONE);
    uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)EFLAGS_TRAP;
}

static int setup(void **state)
{
    long page = sysconf(_SC_PAGESIZE);

    (void)state;
    screen_size = ((size_t)PITCH * HEIGHT + (size_t)page - 1) / (size_t)page * (size_t)page;
    screen = mmap(NULL, screen_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return screen == MAP_FAILED ? -1 : 0;
}

/* cmocka installs its own SIGSEGV handler around each test: ours goes in from inside the test. */
static void watch_screen(void)
{
    struct sigaction fault = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO};
    struct sigaction trap = {.sa_sigaction = on_trap, .sa_flags = SA_SIGINFO};

    sigemptyset(&fault.sa_mask);
    sigemptyset(&trap.sa_mask);
    assert_int_equal(sigaction(SIGSEGV, &fault, NULL), 0);
    assert_int_equal(sigaction(SIGTRAP, &trap, NULL), 0);
    reads = writes = 0;
    protect(PROT_NONE);
}

static void write_text(const char *text)
{
    fb_console.write(&fb_console, text, strlen(text));
}

static void test_the_watch_sees_reads_and_writes(void **state)
{
    (void)state;
    watch_screen();
    volatile uint8_t *p = screen;
    uint8_t value = p[1];
    p[2] = (uint8_t)(value + 1);
    protect(PROT_READ | PROT_WRITE);
    assert_int_equal(reads, 1);
    assert_int_equal(writes, 1);
    assert_int_equal(screen[2], (uint8_t)(screen[1] + 1));
}

static void test_scrolling_reads_no_video_memory(void **state)
{
    struct framebuffer fb = fake_xrgb_framebuffer(screen, WIDTH, HEIGHT, PITCH);
    uint8_t before[PITCH * HEIGHT];
    size_t row_bytes = (size_t)PITCH * console_font.height;

    (void)state;
    protect(PROT_READ | PROT_WRITE);
    assert_null(fb_console_init(&fb));
    write_text("ab\ncd\nef");
    memcpy(before, screen, sizeof(before));

    watch_screen();
    write_text("\ngh"); /* the last row is full: this scrolls */
    protect(PROT_READ | PROT_WRITE);

    assert_int_equal(reads, 0);
    assert_true(writes > 0);
    /* The screen moved up one row of text, and the new row is drawn. */
    assert_memory_equal(screen, before + row_bytes, 2 * row_bytes - row_bytes);
    assert_memory_equal(screen + row_bytes, before + 2 * row_bytes, row_bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_watch_sees_reads_and_writes),
        cmocka_unit_test(test_scrolling_reads_no_video_memory),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
