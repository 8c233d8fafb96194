/* Fake physical memory for host tests: see fake_ram.h. */
#include "tests/host/fake_ram.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/phys.h"

unsigned char *fake_ram;

int fake_ram_setup(void **state)
{
    (void)state;
    fake_ram = malloc(FAKE_RAM_SIZE);
    if (fake_ram == NULL)
        return -1;
    /* Garbage, so nothing passes by relying on memory that happens to be zero. */
    memset(fake_ram, 0xa5, FAKE_RAM_SIZE);
    phys_window_set((uintptr_t)fake_ram, FAKE_RAM_SIZE);
    return 0;
}

int fake_ram_teardown(void **state)
{
    (void)state;
    free(fake_ram);
    fake_ram = NULL;
    return 0;
}
