; The trivial multiboot2 kernel of `make bench` (tests/bench/boot.bench): the least a kernel can
; do under keel's GRUB menu. It asks GRUB for the same screens as keel's header (so GRUB does
; the same work before the jump), writes keel's last line to COM1 and halts. keel's boot time is
; measured against it.
bits 32

MULTIBOOT2_HEADER_MAGIC equ 0xe85250d6
COM1 equ 0x3f8
UART_LINE_STATUS equ 5
UART_TRANSMIT_EMPTY equ 1 << 5

section .text
align 8
header_start:
    dd MULTIBOOT2_HEADER_MAGIC
    dd 0                                ; i386 protected mode
    dd header_end - header_start
    dd -(MULTIBOOT2_HEADER_MAGIC + (header_end - header_start))
    align 8                             ; console flags: EGA text will do (optional tag)
    dw 4, 1
    dd 12, 1 << 1
    align 8                             ; a framebuffer, any mode (optional tag)
    dw 5, 1
    dd 20, 0, 0, 0
    align 8                             ; end
    dw 0, 0
    dd 8
header_end:

global _start
_start:
    mov esi, message
.next:
    lodsb
    test al, al
    jz .halt
    mov ah, al
    mov dx, COM1 + UART_LINE_STATUS
.wait:
    in al, dx
    test al, UART_TRANSMIT_EMPTY
    jz .wait
    mov dx, COM1
    mov al, ah
    out dx, al
    jmp .next
.halt:
    cli
    hlt
    jmp .halt

section .rodata
message: db "keel: boot complete", 13, 10, 0
