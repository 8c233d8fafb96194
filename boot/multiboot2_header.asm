; The multiboot2 header: tells GRUB that build/keel.elf is a multiboot2 kernel and what it wants.
; Multiboot2 spec 3.1: it must lie within the first 32 KiB of the file, 8-byte aligned, and the
; linker script places its section first for that reason.

MULTIBOOT2_HEADER_MAGIC equ 0xe85250d6
MULTIBOOT2_ARCH_I386    equ 0             ; 32-bit protected-mode entry

; Spec 3.1.3: tag types, and the flag that lets a loader ignore a tag it cannot honour.
MULTIBOOT2_TAG_END           equ 0
MULTIBOOT2_TAG_CONSOLE_FLAGS equ 4
MULTIBOOT2_TAG_FRAMEBUFFER   equ 5
MULTIBOOT2_TAG_OPTIONAL      equ 1

; Spec 3.1.7: console flags. Bit 0 ("a console is required") stays clear: a machine that offers
; neither text nor graphics can still boot keel, and keel then talks on the serial port only.
MULTIBOOT2_CONSOLE_EGA_TEXT  equ 1 << 1

section .multiboot2 progbits alloc noexec nowrite align=8

header_start:
    dd MULTIBOOT2_HEADER_MAGIC
    dd MULTIBOOT2_ARCH_I386
    dd header_end - header_start
    ; The four fields must sum to zero modulo 2^32.
    dd -(MULTIBOOT2_HEADER_MAGIC + MULTIBOOT2_ARCH_I386 + (header_end - header_start))

    ; Every tag is 8-byte aligned (spec 3.1.3).

    ; keel can draw on the EGA/VGA text screen (kernel: arch/x86_64/pc/vga_text.c).
    align 8
    dw MULTIBOOT2_TAG_CONSOLE_FLAGS
    dw MULTIBOOT2_TAG_OPTIONAL
    dd 12
    dd MULTIBOOT2_CONSOLE_EGA_TEXT

    ; ...and on a linear framebuffer (kernel/fb_console.c). Without this tag GRUB on UEFI, where
    ; there is no text mode, warns "no console will be available to OS" and the screen stays
    ; black. Width, height and depth 0: no preference, so GRUB picks the mode (see
    ; iso/grub.cfg, which also asks for text mode on BIOS).
    align 8
    dw MULTIBOOT2_TAG_FRAMEBUFFER
    dw MULTIBOOT2_TAG_OPTIONAL
    dd 20
    dd 0                                ; width
    dd 0                                ; height
    dd 0                                ; depth (bits per pixel)

    align 8
    dw MULTIBOOT2_TAG_END
    dw 0
    dd 8
header_end:
