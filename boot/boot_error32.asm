; Reporting a fatal boot error from 32-bit code, before any C runs: one line on COM1 and on the VGA
; text screen, then halt forever. Nothing here relies on the stack beyond a few calls, nor on
; anything the checks in entry32.asm have not yet established.

global boot_error, boot_error_hex

COM1            equ 0x3f8
UART_DATA       equ 0               ; register offsets from the base port (16550 UART)
UART_IER        equ 1
UART_DIVISOR_HI equ 1               ; while LCR.DLAB = 1
UART_FCR        equ 2
UART_LCR        equ 3
UART_MCR        equ 4
UART_LSR        equ 5
UART_LCR_DLAB   equ 0x80
UART_LCR_8N1    equ 0x03
UART_FCR_ENABLE equ 0xc7            ; enable and clear both FIFOs, 14-byte trigger
UART_MCR_DTR_RTS equ 0x03
UART_LSR_THRE   equ 0x20            ; the transmit register can take a byte
UART_POLL_LIMIT equ 100000          ; a missing or stuck UART must not hang the error path

VGA_TEXT        equ 0xb8000
VGA_CELLS       equ 80 * 25
VGA_BLANK       equ 0x0720          ; space, light grey on black
VGA_ERROR_ATTR  equ 0x4f            ; white on red

section .boot.text progbits alloc exec nowrite align=16
bits 32

; In: EDX = NUL-terminated message. Prints "keel: boot error: <message>" and halts.
boot_error:
    call error_begin
    call print_string
    jmp error_end

; In: EDX = first part of the message, ECX = its end and the start of the second part,
; EAX = value printed in hex between the two. Halts.
boot_error_hex:
    mov ebp, eax
    mov ebx, ecx
    call error_begin
.first_part:
    cmp edx, ebx
    je .value
    mov al, [edx]
    call print_char
    inc edx
    jmp .first_part
.value:
    mov ecx, 8                          ; eight hex digits, most significant first
.next_digit:
    rol ebp, 4
    mov eax, ebp
    and eax, 0xf
    mov al, [hex_digits + eax]
    call print_char
    loop .next_digit
    mov edx, ebx
    call print_string
    jmp error_end

; Sets up both outputs and prints the common prefix. Preserves EDX.
error_begin:
    push edx
    ; COM1: 115200 baud (divisor 1), 8 data bits, no parity, 1 stop bit, FIFOs on.
    mov dx, COM1 + UART_IER
    xor al, al
    out dx, al
    mov dx, COM1 + UART_LCR
    mov al, UART_LCR_DLAB
    out dx, al
    mov dx, COM1 + UART_DATA
    mov al, 1
    out dx, al
    mov dx, COM1 + UART_DIVISOR_HI
    xor al, al
    out dx, al
    mov dx, COM1 + UART_LCR
    mov al, UART_LCR_8N1
    out dx, al
    mov dx, COM1 + UART_FCR
    mov al, UART_FCR_ENABLE
    out dx, al
    mov dx, COM1 + UART_MCR
    mov al, UART_MCR_DTR_RTS
    out dx, al

    ; Clear the text screen; the message goes on its first line.
    mov edi, VGA_TEXT
    mov ecx, VGA_CELLS
    mov ax, VGA_BLANK
    rep stosw
    mov edi, VGA_TEXT

    ; A fresh line on serial, in case the loader left the cursor mid-line.
    mov al, 13
    call serial_char
    mov al, 10
    call serial_char

    mov edx, msg_prefix
    call print_string
    pop edx
    ret

; In: EDX = NUL-terminated string. Advances EDX past it.
print_string:
    mov al, [edx]
    test al, al
    jz .done
    call print_char
    inc edx
    jmp print_string
.done:
    ret

; In: AL = character; EDI = next VGA cell, advanced. Clobbers AH.
print_char:
    mov ah, VGA_ERROR_ATTR
    mov [edi], ax
    add edi, 2
    ; fall through
serial_char:
    push ecx
    push edx
    push eax
    mov ecx, UART_POLL_LIMIT
    mov dx, COM1 + UART_LSR
.wait:
    in al, dx
    test al, UART_LSR_THRE
    jnz .send
    loop .wait
.send:
    pop eax
    mov dx, COM1 + UART_DATA
    out dx, al
    pop edx
    pop ecx
    ret

error_end:
    mov al, 13
    call serial_char
    mov al, 10
    call serial_char
.halt:
    cli
    hlt
    jmp .halt

section .boot.rodata progbits alloc noexec nowrite
msg_prefix:  db "keel: boot error: ", 0
hex_digits:  db "0123456789abcdef"
