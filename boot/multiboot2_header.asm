; The multiboot2 header: tells GRUB that build/keel.elf is a multiboot2 kernel and what it wants.
; Multiboot2 spec 3.1: it must lie within the first 32 KiB of the file, 8-byte aligned, and the
; linker script places its section first for that reason.

MULTIBOOT2_HEADER_MAGIC equ 0xe85250d6
MULTIBOOT2_ARCH_I386    equ 0             ; 32-bit protected-mode entry
MULTIBOOT2_TAG_END      equ 0

section .multiboot2 progbits alloc noexec nowrite align=8

header_start:
    dd MULTIBOOT2_HEADER_MAGIC
    dd MULTIBOOT2_ARCH_I386
    dd header_end - header_start
    ; The four fields must sum to zero modulo 2^32.
    dd -(MULTIBOOT2_HEADER_MAGIC + MULTIBOOT2_ARCH_I386 + (header_end - header_start))

    ; Every tag is 8-byte aligned (spec 3.1.3).
    align 8
    dw MULTIBOOT2_TAG_END
    dw 0
    dd 8
header_end:
