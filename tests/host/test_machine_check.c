/* Host tests of the #MC report's bank listing (arch/x86_64/traps/machine_check_report.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_64/traps/machine_check.h"
#include "tests/host/console_stub.h"

/* A CPU's machine-check MSRs: 0x179..0x17b, then 32 banks of four from 0x400. */
static uint64_t msrs[0x500];
static uint32_t highest_read;

static uint64_t fake_read_msr(uint32_t msr)
{
    assert_true(msr < sizeof(msrs) / sizeof(msrs[0]));
    if (msr > highest_read)
        highest_read = msr;
    return msrs[msr];
}

static int setup(void **state)
{
    (void)state;
    memset(msrs, 0, sizeof(msrs));
    highest_read = 0;
    console_stub_reset();
    return 0;
}

static void print(void)
{
    machine_check_print_banks(fake_read_msr);
}

/* The output holds text. */
#define assert_printed(text)     assert_non_null(strstr(console_stub_output, (text)))
#define assert_not_printed(text) assert_null(strstr(console_stub_output, (text)))

static void test_valid_bank_with_address_and_misc(void **state)
{
    (void)state;
    msrs[MSR_MCG_CAP] = 10;
    msrs[MSR_MCG_STATUS] = MCG_STATUS_MCIP | MCG_STATUS_EIPV;
    msrs[MSR_MC_STATUS(1)] = 0xbe00000000000123ULL;
    msrs[MSR_MC_ADDR(1)] = 0x12345000;
    msrs[MSR_MC_MISC(1)] = 0x86;
    print();
    assert_printed(" MCG_STATUS 0000000000000006 [ EIPV MCIP ], 10 banks\n");
    assert_printed(
        " bank 1: status be00000000000123 addr 0000000012345000 misc 0000000000000086\n");
    assert_printed("uncorrected, processor context corrupt, MCA error code 0123\n");
}

/* ADDR and MISC are shown only when the status flags them valid: else they hold stale values. */
static void test_addr_and_misc_only_when_flagged(void **state)
{
    (void)state;
    msrs[MSR_MCG_CAP] = 4;
    msrs[MSR_MC_STATUS(0)] = MCI_STATUS_VAL | MCI_STATUS_ADDRV | 0x10;
    msrs[MSR_MC_ADDR(0)] = 0xaaaa;
    msrs[MSR_MC_MISC(0)] = 0xbbbb;
    msrs[MSR_MC_STATUS(2)] = MCI_STATUS_VAL | MCI_STATUS_MISCV | MCI_STATUS_OVER;
    msrs[MSR_MC_ADDR(2)] = 0xcccc;
    msrs[MSR_MC_MISC(2)] = 0xdddd;
    print();
    assert_printed(" bank 0: status 8400000000000010 addr 000000000000aaaa\n");
    assert_not_printed("000000000000bbbb");
    assert_printed(" bank 2: status c800000000000000 misc 000000000000dddd\n");
    assert_not_printed("000000000000cccc");
    assert_printed("corrected, overflowed (errors were lost), MCA error code 0000\n");
}

/* Only banks whose status has VAL, and only the MCG_CAP count of them: the last one included. */
static void test_bank_count_bounds_the_listing(void **state)
{
    (void)state;
    msrs[MSR_MCG_CAP] = MCG_CAP_CTL_PRESENT | 3;
    msrs[MSR_MC_STATUS(0)] = MCI_STATUS_ADDRV | MCI_STATUS_UC; /* not valid */
    msrs[MSR_MC_STATUS(2)] = MCI_STATUS_VAL | 7;
    msrs[MSR_MC_STATUS(3)] = MCI_STATUS_VAL | 9; /* beyond the count: not a bank */
    print();
    assert_not_printed("bank 0:");
    assert_printed(" bank 2: status 8000000000000007\n");
    assert_not_printed("bank 3:");
    assert_true(highest_read < MSR_MC_CTL(3));
}

/* 32 banks at most: MSRs from 0x480 on are VMX capabilities, not banks. */
static void test_bank_count_is_capped_at_32(void **state)
{
    (void)state;
    msrs[MSR_MCG_CAP] = 40;
    msrs[MSR_MC_STATUS(31)] = MCI_STATUS_VAL | 1;
    print();
    assert_printed(" bank 31: status 8000000000000001\n");
    assert_true(highest_read < 0x480);
    assert_int_equal(machine_check_bank_count(32), 32);
    assert_int_equal(machine_check_bank_count(31), 31);
    assert_int_equal(machine_check_bank_count(33), 32);
    assert_int_equal(machine_check_bank_count(MCG_CAP_CTL_PRESENT | 5), 5);
}

static void test_no_valid_bank(void **state)
{
    (void)state;
    msrs[MSR_MCG_CAP] = 2;
    print();
    assert_printed(" no bank holds a valid error\n");
    assert_not_printed("bank 0:");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_valid_bank_with_address_and_misc, setup),
        cmocka_unit_test_setup(test_addr_and_misc_only_when_flagged, setup),
        cmocka_unit_test_setup(test_bank_count_bounds_the_listing, setup),
        cmocka_unit_test_setup(test_bank_count_is_capped_at_32, setup),
        cmocka_unit_test_setup(test_no_valid_bank, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
