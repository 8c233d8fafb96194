; The 32-bit entry: GRUB jumps to _start. We check that the machine is one keel can run on, build
; the boot page tables, switch to 64-bit long mode and jump to boot/entry64.asm in the higher half.
;
; This code runs at its physical address: it lives in the low sections (.boot.*) that the linker
; script places at 16 MiB, because paging is off and the higher half does not exist yet. Symbols of
; the higher-half kernel are reached here as (symbol - KERNEL_VMA), their physical address.

%include "boot/boot.inc"

PAGE_PRESENT    equ 1 << 0
PAGE_WRITABLE   equ 1 << 1
PAGE_HUGE       equ 1 << 7              ; in a page directory entry: a 2 MiB page

CR0_PE          equ 1 << 0              ; protected mode
CR0_ET          equ 1 << 4              ; hard-wired to 1 since the i486
CR0_PG          equ 1 << 31
CR4_PAE         equ 1 << 5
MSR_EFER        equ 0xc0000080
EFER_LME        equ 1 << 8
EFLAGS_ID       equ 1 << 21             ; software can toggle it if the CPU has CPUID

CPUID_EXTENDED_MAX      equ 0x80000000
CPUID_EXTENDED_FEATURES equ 0x80000001
CPUID_EDX_LONG_MODE     equ 1 << 29

IDENTITY_MAP_GIB equ 4                  ; see the comment above boot_page_tables

extern boot_stack_top, boot_stack_guard, boot_error, boot_error_hex, boot_gdt_pointer32
extern long_mode_entry, __kernel_phys_start
global _start

section .boot.text progbits alloc exec nowrite align=16
bits 32

; Machine state (multiboot2 spec 3.3): 32-bit protected mode, paging off, interrupts off,
; CS/DS/ES/SS flat 4 GiB segments, A20 on. EAX = 0x36d76289 if a multiboot2 loader started us;
; EBX = physical address of the boot information. ESP is undefined, and the GDTR may point to
; memory the loader has already reused, so no segment register may be reloaded before we load
; our own GDT below.
_start:
    cli
    mov esp, boot_stack_top - KERNEL_VMA

    ; Start from known flags, all clear: IF (no interrupts), DF (string instructions count up,
    ; as C expects), and NT, which a loader could leave set and which would make the first IRETQ
    ; in long mode a #GP (Intel SDM vol. 2A, IRET).
    push 0
    popfd

    ; Keep the loader's registers for kmain(magic, boot_info). EDI and ESI become the first two
    ; C arguments (RDI, RSI) in long mode, and nothing below touches them except on the error
    ; paths, which never return.
    mov edi, eax
    mov esi, ebx

    call check_multiboot2
    call check_cpuid
    call check_long_mode
    call setup_boot_page_tables
    call unmap_boot_stack_guard
    jmp enter_long_mode

; Was it a multiboot2 loader? Only then is EBX a boot information pointer we may use.
check_multiboot2:
    cmp edi, MULTIBOOT2_BOOTLOADER_MAGIC
    jne .wrong_loader
    ret
.wrong_loader:
    mov eax, edi
    mov ecx, msg_wrong_loader_end
    mov edx, msg_wrong_loader
    jmp boot_error_hex

; CPUID exists if the ID flag (EFLAGS bit 21) can be toggled (Intel SDM vol. 1, 3.4.3.3).
check_cpuid:
    pushfd
    pop eax
    mov ecx, eax
    xor eax, EFLAGS_ID
    push eax
    popfd
    pushfd
    pop eax
    push ecx                            ; restore the original flags
    popfd
    cmp eax, ecx
    je .no_cpuid
    ret
.no_cpuid:
    mov edx, msg_no_cpuid
    jmp boot_error

; Long mode is CPUID 0x80000001 EDX bit 29; leaf 0x80000000 says whether that leaf exists.
check_long_mode:
    mov eax, CPUID_EXTENDED_MAX
    cpuid
    cmp eax, CPUID_EXTENDED_FEATURES
    jb .no_long_mode
    mov eax, CPUID_EXTENDED_FEATURES
    cpuid
    test edx, CPUID_EDX_LONG_MODE
    jz .no_long_mode
    ret
.no_long_mode:
    mov edx, msg_no_long_mode
    jmp boot_error

; Fill the boot page tables (zeroed by the loader as part of .boot.bss) with 2 MiB pages:
;   - identity map [0, 4 GiB): the instructions right after paging is switched on still run at
;     their physical address. Nothing uses it once entry64.asm has jumped to the higher half; it
;     stays until the kernel loads page tables of its own, which leave it out.
;   - the direct map: [DIRECT_MAP_BASE, +4 GiB) -> [0, 4 GiB), through which kmain reads the boot
;     information (the loader may put it anywhere below 4 GiB) and the VGA text buffer;
;   - the kernel window: [KERNEL_VMA, KERNEL_VMA + 2 GiB) -> [0, 2 GiB), where the kernel is linked.
; All three share the same four page directories: seven pages of tables in all, with the PML4
; and the two PDPTs.
; 2 MiB pages, not 1 GiB ones: 1 GiB pages are missing on CPUs from before 2010.
setup_boot_page_tables:
    ; Each page directory maps 1 GiB with 512 entries of 2 MiB.
    mov ebx, boot_page_directories
    xor ecx, ecx                        ; ecx = index of the 2 MiB page, across all directories
.next_2mib_page:
    mov eax, ecx
    shl eax, 21                         ; physical address of this 2 MiB page (below 4 GiB)
    or eax, PAGE_PRESENT | PAGE_WRITABLE | PAGE_HUGE
    mov [ebx + ecx * 8], eax            ; high dword stays 0
    inc ecx
    cmp ecx, 512 * IDENTITY_MAP_GIB
    jne .next_2mib_page

    ; PDPT entries: the low PDPT points at all four directories, the high one at the first two.
    xor ecx, ecx
.next_directory:
    mov eax, ecx
    shl eax, 12
    add eax, boot_page_directories
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_pdpt_low + ecx * 8], eax
    inc ecx
    cmp ecx, IDENTITY_MAP_GIB
    jne .next_directory

    ; KERNEL_VMA = 0xffffffff80000000 is PML4 slot 511, PDPT slot 510.
    ; DIRECT_MAP_BASE = 0xffff800000000000 is PML4 slot 256, PDPT slot 0.
    mov eax, [boot_pdpt_low + 0 * 8]
    mov [boot_pdpt_high + 510 * 8], eax
    mov eax, [boot_pdpt_low + 1 * 8]
    mov [boot_pdpt_high + 511 * 8], eax

    mov eax, boot_pdpt_low
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_pml4 + 0 * 8], eax
    mov [boot_pml4 + 256 * 8], eax
    mov eax, boot_pdpt_high
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_pml4 + 511 * 8], eax
    ret

; The page below the boot stack (entry64.asm) is its guard: unmapped from the first 64-bit
; instruction on, so that an overflow faults even before the kernel loads its own page tables.
; The 2 MiB page that holds the kernel image (linker/kernel.ld keeps it within one, 2 MiB aligned)
; is split into 4 KiB pages through boot_kernel_page_table (one more page of tables), all present
; but the guard. The page directories are shared, so the guard is missing from all three maps.
unmap_boot_stack_guard:
    xor ecx, ecx
.next_4kib_page:
    mov eax, ecx
    shl eax, 12
    add eax, __kernel_phys_start
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_kernel_page_table + ecx * 8], eax
    inc ecx
    cmp ecx, 512
    jne .next_4kib_page

    mov eax, boot_stack_guard - KERNEL_VMA
    sub eax, __kernel_phys_start
    shr eax, 12                         ; the guard's entry in the page table
    mov dword [boot_kernel_page_table + eax * 8], 0

    mov ecx, __kernel_phys_start
    shr ecx, 21                         ; the kernel's entry in the page directories
    mov eax, boot_kernel_page_table
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_page_directories + ecx * 8], eax
    ret

; Intel SDM vol. 3A, 10.8.5 "Initializing IA-32e Mode": PAE on, CR3 loaded, EFER.LME set, then
; paging on; the CPU is then in compatibility mode until a far jump loads a 64-bit code segment.
;
; CR0, CR4 and EFER are loaded with values of our own, never read-modify-written: whatever the
; firmware or the loader left in them would otherwise reach long mode. A UEFI firmware running
; with 5-level paging can hand over with CR4.LA57 still set, and LA57 can only change while
; long mode is off (SDM vol. 3A, 4.1.1): kept, it would make the CPU walk boot_pml4 as a PML5.
; PGE, SMEP, SMAP, CET and the rest are for the C code to turn on when it wants them; CR0.CD and
; CR0.NW clear make the caches work normally (SDM vol. 3A, 11.5.1, table 11-5). EFER.NXE is set
; later in C, once CPUID says NX exists.
enter_long_mode:
    mov eax, CR0_PE | CR0_ET            ; paging still off; caching on
    mov cr0, eax

    mov eax, CR4_PAE
    mov cr4, eax

    mov eax, boot_pml4
    mov cr3, eax

    mov ecx, MSR_EFER
    mov eax, EFER_LME
    xor edx, edx
    wrmsr

    mov eax, CR0_PE | CR0_ET | CR0_PG
    mov cr0, eax

    lgdt [boot_gdt_pointer32]
    jmp BOOT_GDT_KERNEL_CODE:long_mode_entry

section .boot.rodata progbits alloc noexec nowrite align=8

msg_wrong_loader:   db "not loaded by a multiboot2 boot loader (eax=0x"
msg_wrong_loader_end:
                    db ")", 0
msg_no_cpuid:       db "this CPU has no CPUID instruction", 0
msg_no_long_mode:   db "this CPU is not 64-bit capable (no long mode)", 0

section .boot.bss nobits alloc noexec write align=4096
; Page tables must be 4 KiB aligned (Intel SDM vol. 3A, 4.5).
boot_pml4:              resb PAGE_SIZE
boot_pdpt_low:          resb PAGE_SIZE
boot_pdpt_high:         resb PAGE_SIZE
boot_page_directories:  resb PAGE_SIZE * IDENTITY_MAP_GIB
boot_kernel_page_table: resb PAGE_SIZE
