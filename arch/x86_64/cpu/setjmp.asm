; arch_setjmp and arch_longjmp (kernel/arch_selftest.h): save and resume a point in a C function, so that
; the self-tests can carry on after a fault they caused on purpose.

global arch_setjmp, arch_longjmp

; struct arch_jump_buffer: the registers a C function expects to survive a call (System V AMD64
; ABI 3.2.1: RBX, RBP, R12-R15), the stack pointer and the address to resume at.
JB_RBX equ 0 * 8
JB_RBP equ 1 * 8
JB_R12 equ 2 * 8
JB_R13 equ 3 * 8
JB_R14 equ 4 * 8
JB_R15 equ 5 * 8
JB_RSP equ 6 * 8
JB_RIP equ 7 * 8

section .text
bits 64

; In: RDI = buffer. Out: EAX = 0 (and later the value given to arch_longjmp).
arch_setjmp:
    mov [rdi + JB_RBX], rbx
    mov [rdi + JB_RBP], rbp
    mov [rdi + JB_R12], r12
    mov [rdi + JB_R13], r13
    mov [rdi + JB_R14], r14
    mov [rdi + JB_R15], r15
    lea rax, [rsp + 8]                  ; the caller's RSP, once this call has returned
    mov [rdi + JB_RSP], rax
    mov rax, [rsp]                      ; our return address
    mov [rdi + JB_RIP], rax
    xor eax, eax
    ret

; In: RDI = buffer, ESI = value. Never returns: arch_setjmp returns again, with value (1 if 0).
; May be called on another stack (an exception handler's): RSP is taken from the buffer.
arch_longjmp:
    mov eax, esi
    test eax, eax
    jnz .restore
    mov eax, 1
.restore:
    mov rbx, [rdi + JB_RBX]
    mov rbp, [rdi + JB_RBP]
    mov r12, [rdi + JB_R12]
    mov r13, [rdi + JB_R13]
    mov r14, [rdi + JB_R14]
    mov r15, [rdi + JB_R15]
    mov rsp, [rdi + JB_RSP]
    jmp [rdi + JB_RIP]
