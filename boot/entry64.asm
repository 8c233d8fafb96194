; The 64-bit entry: the first long-mode instructions, then the jump to the higher half and the call
; into C.

%include "boot/boot.inc"

BOOT_STACK_SIZE equ 16 * 1024

extern kmain, boot_gdt_pointer64, halt_forever
global long_mode_entry, boot_stack_top, boot_stack_guard

; Machine state: 64-bit long mode, CS = the boot GDT's 64-bit code segment, paging on with the boot
; page tables (the image at its own address and at KERNEL_VMA, the boot information in the direct
; map, the boot stack's guard page unmapped: see entry32.asm), interrupts off, no
; IDT: any exception now is a triple fault. The other segment registers still hold the loader's
; 32-bit selectors. The upper halves of the 64-bit registers are undefined (Intel SDM vol. 1,
; 3.4.1.1); EDI = multiboot2 magic, ESI = physical address of the boot information. RIP is still
; a low (identity-mapped) address.
section .boot.text progbits alloc exec nowrite align=16
bits 64
long_mode_entry:
    mov ax, BOOT_GDT_KERNEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax

    ; An absolute jump: a relative one could not reach 0xffffffff8xxxxxxx from here.
    mov rax, higher_half_entry
    jmp rax

section .text
; Machine state: as above, but RIP is in the higher half. From here on the kernel runs only at its
; linked addresses and reaches physical memory through the direct map; nothing uses the identity
; map any more.
higher_half_entry:
    mov rsp, boot_stack_top

    ; The GDTR still holds the GDT's physical address, which goes away with the identity map.
    lgdt [boot_gdt_pointer64]

    ; Zero-extend the loader's values into the C arguments: kmain(magic, boot_info_phys).
    mov edi, edi
    mov esi, esi
    ; A zero frame pointer marks the outermost frame for backtraces.
    xor ebp, ebp
    call kmain
    jmp halt_forever                    ; kmain never returns; if it does, stop here

section .bss
; The boot stack. The page below it is a guard: neither the boot page tables nor the kernel's own
; map it, so that a stack overflow faults instead of overwriting .bss.
alignb PAGE_SIZE
boot_stack_guard:
    resb PAGE_SIZE
boot_stack:
    resb BOOT_STACK_SIZE
boot_stack_top:
