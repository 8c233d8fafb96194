/* The host's kernel mappings: see fake_kernel_vm.h. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include "tests/host/fake_kernel_vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "arch/x86_64/mm/mmu.h"
#include "arch/x86_64/mm/paging.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"
#include "kernel/symbols.h"

#define LOW_MEMORY 0x100000ULL

size_t fake_vm_table_frames;
size_t fake_vm_invalidations;
uintptr_t fake_vm_last_invalidated;

static unsigned char *ram;
static unsigned char *range;
static uint64_t range_bytes;
static uint64_t root;
static bool protecting;

void mmu_invalidate_page(uint64_t virt)
{
    fake_vm_invalidations++;
    fake_vm_last_invalidated = (uintptr_t)virt;
}

static uint64_t alloc_table(void)
{
    uint64_t frame = pmm_alloc();
    if (frame != PMM_NO_FRAME)
        fake_vm_table_frames++;
    return frame;
}

void fake_vm_setup(uint64_t ram_size, uint64_t range_size, bool protect)
{
    ram = malloc(ram_size);
    range = mmap(NULL, range_size, protect ? PROT_NONE : PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ram == NULL || range == MAP_FAILED) {
        perror("fake_vm_setup");
        exit(1);
    }
    range_bytes = range_size;
    protecting = protect;
    phys_window_set((uintptr_t)ram, ram_size);
    struct phys_range usable = {.base = LOW_MEMORY, .length = ram_size - LOW_MEMORY};
    pmm_init(&usable, 1, NULL, 0);
    paging_init(&(struct paging_config){.alloc_table = alloc_table, .nx_supported = true});
    root = paging_new_root();
    fake_vm_table_frames = fake_vm_invalidations = 0;
}

void fake_vm_teardown(void)
{
    munmap(range, range_bytes);
    free(ram);
}

void arch_kernel_dynamic_range(uintptr_t *base, uint64_t *size)
{
    *base = (uintptr_t)range;
    *size = range_bytes;
}

void arch_kernel_map(uintptr_t virt, uint64_t phys, uint64_t size, unsigned rights,
                     enum memory_type type)
{
    uint64_t flags = type == MEMORY_UNCACHED          ? PTE_TYPE_UC
                     : type == MEMORY_WRITE_COMBINING ? PTE_TYPE_WC
                                                      : PTE_TYPE_WB;
    if (rights & KERNEL_MAP_WRITE)
        flags |= PTE_WRITABLE;
    if (!(rights & KERNEL_MAP_EXEC))
        flags |= PTE_NX;
    paging_map_range(root, virt, phys, size, flags);
    if (protecting && mprotect((void *)virt, size, PROT_READ | PROT_WRITE) != 0)
        abort();
}

uint64_t arch_kernel_map_table_frames(uintptr_t virt, uint64_t size)
{
    uint64_t n = 0;
    for (uint64_t region = PAGE_SIZE_2M; region <= 512 * PAGE_SIZE_1G; region <<= 9)
        n += (virt + size - 1) / region - virt / region + 1;
    return n;
}

void arch_kernel_unmap(uintptr_t virt, uint64_t size)
{
    paging_unmap_range(root, virt, size);
    if (protecting && (madvise((void *)virt, size, MADV_DONTNEED) != 0 ||
                       mprotect((void *)virt, size, PROT_NONE) != 0))
        abort();
}

bool arch_kernel_translate(uintptr_t virt, uint64_t *phys)
{
    struct paging_mapping m;

    if (!paging_translate(root, virt, &m))
        return false;
    *phys = m.phys;
    return true;
}

uint64_t fake_vm_pte_flags(uintptr_t virt)
{
    struct paging_mapping m;
    return paging_translate(root, virt, &m) ? m.flags : 0;
}

/* The host has no kernel symbol table: reports show bare addresses. */
const char *symbol_lookup(uintptr_t addr, uintptr_t *offset)
{
    (void)addr;
    *offset = 0;
    return NULL;
}
