# The heap and kernel virtual memory, with everything under them, for the host tests, the fuzzer
# and the benchmark: the real frame allocator and page-table code on fake RAM
# (tests/host/fake_kernel_vm.c), the real spinlocks and CPU table on stand-in CPUs
# (tests/host/heap_cpu_double.c).
HEAP_SRCS := kernel/vm.c kernel/vm_tree.c kernel/kmalloc.c kernel/kmalloc_cpu.c kernel/kmalloc_slab.c \
	kernel/kmalloc_slab_check.c kernel/kmalloc_large.c kernel/kmalloc_debug.c kernel/kmalloc_report.c \
	kernel/pmm.c kernel/phys.c kernel/string.c kernel/kprintf.c kernel/spinlock.c kernel/cpu.c \
	arch/x86_64/mm/paging.c tests/host/fake_kernel_vm.c tests/host/console_stub.c \
	tests/host/boot_window_double.c tests/host/heap_cpu_double.c
