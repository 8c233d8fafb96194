; The 32-bit entry: GRUB jumps to _start. We check that the machine is one keel can run on, build
; the boot page tables, switch to 64-bit long mode and jump to boot/entry64.asm in the higher half.
;
; This code runs at its physical address: it lives in the low sections (.boot.*) that the linker
; script places at 16 MiB, because paging is off and the higher half does not exist yet. Symbols of
; the higher-half kernel are reached here as (symbol - KERNEL_VMA), their physical address.

%include "boot/boot.inc"

PAGE_PRESENT    equ 1 << 0
PAGE_WRITABLE   equ 1 << 1

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

extern boot_stack_top, boot_stack_guard, boot_error, boot_error_hex, boot_gdt_pointer32
extern long_mode_entry, __kernel_phys_start, __kernel_phys_end
global _start, boot_pml4, boot_table_pool, boot_tables_used

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

; The boot page tables map only what the code up to kmain touches, in 4 KiB pages:
;   - the kernel image at its own (identity) address: the instructions right after paging is
;     switched on still run there, and the boot GDT is read there until the far jump. Nothing uses
;     it once entry64.asm has jumped to the higher half; the kernel's own tables leave it out;
;   - the kernel image at KERNEL_VMA + physical, where it is linked;
;   - the boot information at DIRECT_MAP_BASE + physical: the loader may put it anywhere below
;     4 GiB, and kmain reads it there (phys_to_virt, kernel/phys.h).
; Both views of the image leave out the boot stack's guard page, so that an overflow faults from
; the first instruction on. Everything else (memory for the frame allocator, the screen) is added
; by the kernel itself once it knows the memory map (arch/x86_64/mm/boot_page_tables.c), with the
; tables it needs from the same pool.
setup_boot_page_tables:
    ; The image, twice: at its physical address, then at KERNEL_VMA + physical.
    mov edx, 0
    mov ebp, 0
    call map_image
    mov edx, KERNEL_VMA >> 32
    mov ebp, KERNEL_VMA & 0xffffffff
    call map_image

    ; The boot information: [ESI, ESI + total_size), total_size being its first dword. The C
    ; parser checks that size; here it only needs to fit below 4 GiB and in the pool.
    mov eax, esi
    and eax, ~(PAGE_SIZE - 1)
    mov ecx, [esi]
    add ecx, esi
    jc .boot_info_too_large
    add ecx, PAGE_SIZE - 1
    jc .boot_info_too_large
    and ecx, ~(PAGE_SIZE - 1)
    mov edx, DIRECT_MAP_BASE >> 32
    mov ebp, DIRECT_MAP_BASE & 0xffffffff
    jmp map_range
.boot_info_too_large:
    mov edx, msg_boot_info_too_large
    jmp boot_error

; In: EDX:EBP = the virtual address of physical 0 in this view. Maps the image but its guard page.
map_image:
    push edx
    mov eax, __kernel_phys_start
    mov ecx, boot_stack_guard - KERNEL_VMA
    call map_range
    pop edx
    mov eax, boot_stack_guard - KERNEL_VMA + PAGE_SIZE
    mov ecx, __kernel_phys_end
    jmp map_range

; In: EAX = first physical page, ECX = end (page aligned, below 4 GiB), EDX:EBP = the virtual
; address of physical 0. Maps each page of [EAX, ECX) at EDX:EBP + its address, writable.
map_range:
    cmp eax, ecx
    jae .done
    push eax
    push ecx
    push edx
    mov ecx, eax
    add eax, ebp                        ; the low half of the virtual address; no view carries
    call map_page
    pop edx
    pop ecx
    pop eax
    add eax, PAGE_SIZE
    jmp map_range
.done:
    ret

; In: EDX:EAX = virtual address, ECX = physical address (both page aligned). Walks down from the
; PML4 (index = bits 47..39, 38..30, 29..21, 20..12 of the address), then sets the 4 KiB entry.
map_page:
    push ecx                            ; [esp + 8]
    push edx                            ; [esp + 4]
    push eax                            ; [esp]
    mov ebx, boot_pml4
    mov eax, edx
    shr eax, 7                          ; bits 47..39 (= 15..7 of the high dword)
    call descend
    mov eax, [esp + 4]
    shl eax, 2                          ; bits 38..32 ...
    mov edx, [esp]
    shr edx, 30                         ; ... and 31..30
    or eax, edx
    call descend
    mov eax, [esp]
    shr eax, 21
    call descend
    mov eax, [esp]
    shr eax, 12
    and eax, 511
    mov ecx, [esp + 8]
    or ecx, PAGE_PRESENT | PAGE_WRITABLE
    mov [ebx + eax * 8], ecx            ; high dword stays 0
    add esp, 12
    ret

; In: EBX = a table, EAX = an index (bits above 8 ignored). Out: EBX = the table its entry points
; to, taken from the pool (zeroed by the loader as part of .boot.bss) if the entry was empty.
descend:
    and eax, 511
    lea ebx, [ebx + eax * 8]
    mov eax, [ebx]
    test eax, PAGE_PRESENT
    jnz .present
    mov eax, [boot_tables_used]
    cmp eax, BOOT_TABLE_POOL_PAGES
    je .pool_empty
    inc dword [boot_tables_used]
    shl eax, 12
    add eax, boot_table_pool
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [ebx], eax
.present:
    and eax, ~(PAGE_SIZE - 1)
    mov ebx, eax
    ret
.pool_empty:
    mov edx, msg_boot_tables_full
    jmp boot_error

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
msg_boot_info_too_large:
                    db "the boot information runs past 4 GiB", 0
msg_boot_tables_full:
                    db "the boot information is too large for the boot page tables", 0

section .boot.bss nobits alloc noexec write align=4096
; Page tables must be 4 KiB aligned (Intel SDM vol. 3A, 4.5). The PML4, then the pool every
; lower table comes from, here and in arch/x86_64/mm/boot_page_tables.c, which counts on
; boot_tables_used following the pool.
boot_pml4:              resb PAGE_SIZE
boot_table_pool:        resb PAGE_SIZE * BOOT_TABLE_POOL_PAGES
boot_tables_used:       resd 1
