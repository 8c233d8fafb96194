/*
 * Fake physical memory for host tests: a malloc'd block behind the physical window
 * (kernel/phys.h), so physical [0, FAKE_RAM_SIZE) is real memory. Use fake_ram_setup and
 * fake_ram_teardown as a cmocka test's setup and teardown.
 */
#pragma once

#define FAKE_RAM_SIZE (16ULL << 20)

extern unsigned char *fake_ram;

int fake_ram_setup(void **state);
int fake_ram_teardown(void **state);

/* A cmocka test that runs on fresh fake RAM. */
#define fake_ram_test(test) cmocka_unit_test_setup_teardown(test, fake_ram_setup, fake_ram_teardown)
