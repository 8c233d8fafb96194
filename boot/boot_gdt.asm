; The boot GDT: the flat 64-bit code and data segments that long mode needs, until the kernel
; loads a GDT of its own.

global boot_gdt, boot_gdt_pointer32, boot_gdt_pointer64

%include "boot/boot.inc"

; It lives in the higher half (.rodata) so that it stays reachable once the identity map is gone.
; Both descriptors come marked accessed (type bit 0): loading a selector whose descriptor is not
; makes the CPU write the bit into the table (Intel SDM vol. 3A, 3.4.5.1), which must then not be
; read-only. The kernel's GDT (arch/x86_64/cpu/gdt.h) has the same two descriptors.
section .rodata
align 16
boot_gdt:
    dq 0                                ; 0x00: the null descriptor
    dq 0x00af9b000000ffff               ; 0x08: kernel code, 64-bit (L=1), ring 0, execute/read
    dq 0x00cf93000000ffff               ; 0x10: kernel data, ring 0, read/write
boot_gdt_end:

; For entry64.asm: limit and 64-bit virtual base.
boot_gdt_pointer64:
    dw boot_gdt_end - boot_gdt - 1
    dq boot_gdt

; For entry32.asm, before paging: limit and 32-bit physical base.
section .boot.rodata progbits alloc noexec nowrite align=8
boot_gdt_pointer32:
    dw boot_gdt_end - boot_gdt - 1
    dd boot_gdt - KERNEL_VMA
