; The boot path of an application processor (AP): from the 16-bit real mode a startup IPI leaves
; it in, through 32-bit protected mode, into long mode and the kernel's C code (smp_boot.c).
;
; The code between ap_trampoline_start and ap_trampoline_end is not run where it is linked: the
; boot CPU copies it to a page below 1 MiB (the startup IPI can only name such a page) and fills
; in its parameters, at AP_PARAMS, before each AP it starts. It therefore uses no absolute
; address of its own: only offsets from its start, to which it adds the page's address itself.
; The boot CPU starts one AP at a time, so one page serves them all.

%include "boot/boot.inc"

extern ap_main, halt_forever
global ap_trampoline_start, ap_trampoline_end, ap_long_mode_entry

CR0_PE          equ 1 << 0
CR0_ET          equ 1 << 4
CR0_PG          equ 1 << 31
CR4_PAE         equ 1 << 5
MSR_EFER        equ 0xc0000080

; Selectors in the trampoline's own GDT, below.
AP_CODE32       equ 0x08
AP_DATA32       equ 0x10
AP_CODE64       equ 0x18

; An offset from the trampoline's start: what the code uses instead of its labels.
%define OFFSET(label) ((label) - ap_trampoline_start)

; The parameters the boot CPU writes (struct ap_trampoline_params, smp_boot.c: same order).
struc ap_params
    .temp_root:     resd 1              ; physical address, below 4 GiB, of the temporary PML4
    .efer:          resd 1              ; EFER's value: LME, and NXE if the boot CPU has it on
    .kernel_root:   resq 1              ; physical address of the kernel's own PML4
    .stack_top:     resq 1              ; the AP's kernel stack (a kernel virtual address)
    .cpu:           resq 1              ; its struct cpu, ap_main's argument
endstruc

section .rodata
align 16
bits 16
ap_trampoline_start:
; Machine state (Intel SDM vol. 3A, 9.4.4.1 and table 9-1: after INIT then a startup IPI): real
; mode, CS = the page number << 8 and IP = 0, so CS:0 is the page's first byte; the other segment
; registers 0, no stack, interrupts off (EFLAGS = 2), CR0 = 0x60000010 (caches off until CD and
; NW are cleared), CR4 = 0, EFER = 0, paging off. The page holds a copy of this code.
    cli
    cld
    mov ax, cs
    mov ds, ax
    movzx ebx, ax
    shl ebx, 4                          ; EBX = the page's physical address, from here on

    ; The addresses the jumps below need: the page's address plus an offset, written into the copy.
    lea eax, [ebx + OFFSET(gdt)]
    mov [OFFSET(gdt_pointer) + 2], eax
    lea eax, [ebx + OFFSET(protected_mode)]
    mov [OFFSET(protected_mode_target)], eax
    lea eax, [ebx + OFFSET(long_mode)]
    mov [OFFSET(long_mode_target)], eax

    lgdt [OFFSET(gdt_pointer)]
    ; Protected mode with the caches on: CD and NW clear, as the boot CPU's entry32.asm loads it.
    mov eax, CR0_PE | CR0_ET
    mov cr0, eax
    o32 jmp far [OFFSET(protected_mode_target)]

bits 32
; Machine state: 32-bit protected mode, CS = AP_CODE32 (flat), paging off, EBX = the page's
; physical address, the data segments still real-mode values.
protected_mode:
    mov ax, AP_DATA32
    mov ds, ax
    mov es, ax
    mov ss, ax

    ; SDM vol. 3A, 10.8.5 "Initializing IA-32e Mode", with values of our own, never read-modified
    ; (as in entry32.asm): PAE, CR3, EFER.LME (and NXE, which the kernel's page tables need), then
    ; paging on, which activates long mode.
    mov eax, CR4_PAE
    mov cr4, eax
    mov eax, [ebx + OFFSET(params) + ap_params.temp_root]
    mov cr3, eax
    mov ecx, MSR_EFER
    mov eax, [ebx + OFFSET(params) + ap_params.efer]
    xor edx, edx
    wrmsr
    mov eax, CR0_PE | CR0_ET | CR0_PG
    mov cr0, eax
    ; Compatibility mode now; a far jump to a 64-bit code segment enters 64-bit mode.
    jmp far [ebx + OFFSET(long_mode_target)]

bits 64
; Machine state: 64-bit mode, CS = AP_CODE64, on the temporary tables: this page identity-mapped
; (its first 2 MiB), the kernel's upper half as in its own tables. The upper halves of the
; registers are undefined (SDM vol. 1, 3.4.1.1).
long_mode:
    mov ebx, ebx
    mov rsp, [rbx + OFFSET(params) + ap_params.stack_top]
    mov rdi, [rbx + OFFSET(params) + ap_params.cpu]
    mov rsi, [rbx + OFFSET(params) + ap_params.kernel_root]
    ; An absolute jump (the linker writes the address into the code, so it survives the copy):
    ; from this page, a relative one could not reach the kernel.
    mov rax, ap_long_mode_entry
    jmp rax

; The trampoline's GDT: flat 32-bit code and data to cross protected mode, 64-bit code to enter
; long mode (SDM vol. 3A, 3.4.5). Accessed bits set, so loading them writes nothing.
align 8
gdt:
    dq 0
    dq 0x00cf9b000000ffff               ; AP_CODE32: base 0, 4 GiB, 32-bit, execute/read
    dq 0x00cf93000000ffff               ; AP_DATA32: base 0, 4 GiB, read/write
    dq 0x00af9b000000ffff               ; AP_CODE64: L set, D clear
gdt_end:
gdt_pointer:
    dw gdt_end - gdt - 1
    dd 0                                ; the GDT's physical address, written above
protected_mode_target:
    dd 0                                ; protected_mode's physical address, written above
    dw AP_CODE32
long_mode_target:
    dd 0
    dw AP_CODE64

align 8
params:
    istruc ap_params
    iend
ap_trampoline_end:

section .text
; Machine state: 64-bit mode at the kernel's linked address, still on the temporary tables;
; RSP = this AP's kernel stack, RDI = its struct cpu, RSI = the kernel PML4's physical address;
; interrupts off, no IDT; GDTR points at the trampoline page, which the kernel's tables do not map.
ap_long_mode_entry:
    mov cr3, rsi                        ; the kernel's own tables, which every CPU shares
    xor ebp, ebp                        ; the outermost frame, for backtraces
    call ap_main                        ; loads this CPU's GDT and the IDT first thing
    jmp halt_forever
