/* What the self-tests (kernel_page_tables_selftest.c) need to know about the kernel's tables. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct kernel_page_tables_facts {
    bool nx;                 /* NX bits are in force (the CPU has NX) */
    bool pages_1g;           /* the direct map may use 1 GiB pages */
    uint64_t direct_map_end; /* first physical address above everything directly mapped */
    uint64_t framebuffer;    /* physical address of the framebuffer mapped WC; 0 if none */
};

/* Valid after arch_paging_init. */
struct kernel_page_tables_facts kernel_page_tables_facts(void);
