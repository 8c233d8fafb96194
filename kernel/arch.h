/*
 * What the portable kernel asks of the architecture. kernel/ calls only these; the port I/O,
 * control registers and instructions behind them live in arch/<arch>/.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "kernel/boot_info.h"

/*
 * The window on physical memory (kernel/phys.h) that the boot page tables give from the first
 * line of C: physical p is at p + arch_boot_window_offset, for every p below
 * arch_boot_window_limit.
 */
extern const uintptr_t arch_boot_window_offset;
extern const uint64_t arch_boot_window_limit;

/* Registers the consoles that need nothing from the boot loader: the serial port, if present. */
void arch_consoles_init(void);

/*
 * Registers the console on the text screen the firmware or the boot loader left (on a PC: VGA
 * text at 0xB8000). text is the loader's EGA text framebuffer, or NULL when it described none.
 * Returns NULL on success, or a sentence saying why that screen cannot be used.
 */
const char *arch_text_console_init(const struct boot_framebuffer *text);

/*
 * Makes the framebuffer at [phys, phys + size) reachable, write-combining, from now on: through
 * the boot page tables at first, and at the same address once arch_paging_init has switched to
 * the kernel's own. Returns its virtual address, or NULL when it cannot be mapped.
 */
void *arch_map_framebuffer(uint64_t phys, uint64_t size);

/*
 * Before the kernel's own page tables exist: makes the memory the frame allocator may use for
 * its bookkeeping, and hand out for the first page tables, reachable through the physical memory
 * window (kernel/phys.h). The boot page tables map only the kernel and the boot information.
 */
void arch_map_memory_early(const struct boot_info *info);

void arch_interrupts_disable(void);

/*
 * Resets the machine: the ACPI reset register from the FADT, then the keyboard controller's reset
 * line, then a triple fault, each tried in turn, saying which (arch/x86_64/pc/reboot.c).
 */
noreturn void arch_reboot(void);

/*
 * The kmain step after acpi_init: the interrupt controllers from the MADT (local APIC, I/O
 * APICs, the 8259 PICs masked), or the 8259 PICs alone when there is no usable MADT. Prints only
 * what is wrong (an I/O APIC that does not answer); interrupts stay off.
 */
void interrupts_init(void);
/* The boot facts' line: which controllers deliver, or why the 8259 PICs do. */
void arch_interrupts_print_facts(void);
void arch_interrupts_enable(void); /* sti */
/*
 * Entered with interrupts disabled: enables them and halts atomically (sti; hlt), and returns
 * with interrupts disabled again once an interrupt has been handled. The idle loop's primitive:
 * check a queue with interrupts off, then wait, so no wakeup is lost.
 */
void arch_wait_for_interrupt(void);
bool arch_interrupts_enabled(void);
/* Saves the interrupt flag and disables interrupts; restore puts it back. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
/* Tells the CPU it is in a spin-wait loop (x86: pause), which saves power and a sibling's time. */
void arch_spin_pause(void);

/*
 * An interprocessor interrupt to that CPU (arch/x86_64/apic/ipi.c). ARCH_IPI_SMP_CALL
 * makes the CPU run the calls queued for it (smp_call_run_pending, kernel/smp_call.h) with
 * interrupts off; ARCH_IPI_STOP is non-maskable: it reaches a CPU whatever its interrupt flag,
 * and the CPU stops if a panic is in progress on another (panic_on_other_cpu, kernel/panic.h).
 * False when the IPI could not be sent (no local APIC, an APIC that did not take it).
 */
enum arch_ipi {
    ARCH_IPI_SMP_CALL,
    ARCH_IPI_STOP,
};
struct cpu;
bool arch_send_ipi(const struct cpu *cpu, enum arch_ipi ipi);

/*
 * The interrupt controller behind kernel/irq.c. arch_irq_route connects irq (kernel/irq.h) to
 * the vector the architecture gives it, masked; false when it cannot (no such input, or its pin
 * belongs to another irq). arch_irq_set_masked masks or unmasks a routed irq.
 */
bool arch_irq_route(unsigned irq);
void arch_irq_set_masked(unsigned irq, bool masked);
/* "I/O APIC", "8259 PIC": for irq_print_counts. */
const char *arch_irq_controller_name(void);

/*
 * Sets up the CPU's own tables (GDT, TSS, IDT): from here on every CPU exception is reported. Also
 * turns on the CPU's protections against the kernel misusing user memory, where it has them.
 */
void arch_cpu_init(void);

/*
 * Starting the other CPUs (kernel/smp.c). arch_cpu_id: this CPU's id in the MADT's terms (its
 * APIC id). arch_smp_prepare: what starting any AP needs (the real-mode page, temporary tables):
 * NULL, or why no AP can start. arch_cpu_start: starts the AP cpu->apic_id with what it needs
 * (its tables and stacks, cpu->arch), returns once it is online (NULL) or, after a bounded wait,
 * why not ("did not answer"). arch_smp_finish: gives back what arch_smp_prepare took.
 */
struct cpu;
uint32_t arch_cpu_id(void);
const char *arch_smp_prepare(void);
const char *arch_cpu_start(struct cpu *cpu);
void arch_smp_finish(void);

/*
 * When addr lies on a stack the kernel knows (the boot stack, an exception stack): its bounds
 * [*low, *high). Backtraces use it to follow only frame pointers that point into a stack.
 */
bool arch_stack_bounds(uintptr_t addr, uintptr_t *low, uintptr_t *high);

/* keel.crash=<kind>: if the command line asked for it, breaks the kernel now, on purpose. */
void arch_crash_if_requested(void);

/* The kinds of keel.crash= that are the CPU's own faults, *count of them (kernel/crash.h). */
struct crash_kind;
const struct crash_kind *arch_crash_kinds(size_t *count);

/*
 * Replaces the boot page tables with the kernel's own: each section of the image with only the
 * rights it needs, a direct map of physical memory, nothing at address 0. Needs the frame
 * allocator (kernel/memory.h).
 */
void arch_paging_init(const struct boot_info *info);

/* How the CPU may cache a mapping (x86_64: the PAT entry a page table entry selects). */
enum memory_type {
    MEMORY_WRITE_BACK,      /* RAM */
    MEMORY_WRITE_COMBINING, /* framebuffers: writes gathered into bursts, never read-allocated */
    MEMORY_UNCACHED,        /* device registers: every access goes to the device, in order */
};

/* What a kernel mapping allows besides reading. */
#define KERNEL_MAP_WRITE (1u << 0)
#define KERNEL_MAP_EXEC  (1u << 1)

/* The part of the kernel's address space kept for dynamic mappings (kernel/vm.h). */
void arch_kernel_dynamic_range(uintptr_t *base, uint64_t *size);

/*
 * Maps [virt, virt + size) to [phys, phys + size) in the kernel's page tables, both page aligned,
 * nothing mapped there yet. rights: KERNEL_MAP_* flags. Page tables it needs come from the frame
 * allocator: at most arch_kernel_map_table_frames(virt, size) of them, so a caller that checked
 * pmm_free_count() first cannot run out half way.
 */
void arch_kernel_map(uintptr_t virt, uint64_t phys, uint64_t size, unsigned rights,
                     enum memory_type type);
uint64_t arch_kernel_map_table_frames(uintptr_t virt, uint64_t size);

/*
 * Unmaps [virt, virt + size) and flushes it from the TLB of every online CPU: this one's at once,
 * the others' through an smp_call that it waits for (so no spinlock another CPU may be spinning
 * on must be held across it).
 */
void arch_kernel_unmap(uintptr_t virt, uint64_t size);

/* The physical address virt maps to, or false if nothing is mapped there. */
bool arch_kernel_translate(uintptr_t virt, uint64_t *phys);

/*
 * Says how memory is mapped (for the boot facts): NX or not, SMEP, SMAP and UMIP, the direct map's
 * extent.
 */
void arch_paging_print(void);

/*
 * Whether all of [phys, phys + length) can be read through the physical memory window
 * (kernel/phys.h) without a fault: for pointers from firmware, such as ACPI's, which may point
 * anywhere. False when the range wraps or any page of it is not mapped.
 */
bool arch_phys_mapped(uint64_t phys, uint64_t length);

/*
 * Makes the data written only during boot (__ro_after_init, kernel/compiler.h) read-only: the
 * last step of boot setup, before the self-tests or anything else run.
 */
void arch_protect_boot_data(void);

/*
 * 64 bits nobody can guess, chosen at boot: from the CPU's random number generator when it has
 * one, else from a clock mixed with boot_entropy (anything that differs from boot to boot).
 * *source names where they came from. Runs before the stack protector's canary is set.
 */
uint64_t arch_boot_random(uint64_t boot_entropy, const char **source);

/* Stops this CPU for good: interrupts off, then halt; an NMI that wakes it is halted again. */
noreturn void halt_forever(void);

/*
 * keel.exit=qemu: ends the virtual machine with a pass or fail status, if the command line asked
 * for it and the machine is one. Returns otherwise (always on real hardware).
 */
void arch_test_exit(bool passed);

/*
 * A counter that only goes up, at a constant rate, for measuring how long things take (the
 * boot steps, keel.timing): on x86_64 the time-stamp counter. Its unit is a "cycle" of an
 * unknown frequency: compare readings with each other, not with seconds.
 */
uint64_t arch_timestamp(void);

/*
 * Starts the keyboard, if the machine has one keel can drive: from then on its interrupt feeds
 * kernel/keyboard.c and input_push. Writes into description (size bytes) what it is, "PS/2
 * (i8042, scancode set 1 translated)", or "none (...)" saying why there is none. True if started.
 */
bool arch_keyboard_init(char *description, size_t size);

/*
 * Starts input from the serial console (COM1 on a PC), by its receive interrupt, through
 * kernel/terminal.h to input_push. description as above: "serial COM1" or "no serial input
 * (...)". True if started.
 */
bool arch_serial_input_init(char *description, size_t size);

/*
 * Pulses the CPU's reset line through the keyboard controller (the i8042's command 0xFE), for
 * arch_reboot. Returns if the machine did not reset: no controller, or it did not take the command.
 */
void arch_reset_i8042(void);
