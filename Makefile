# keel: build the kernel (build/keel.elf), pack the bootable image (build/keel.iso), run and test it.
# `make help` lists the targets. Everything the build writes goes under build/.

# A plain `make` uses every core (`make -jN` still decides; not with clean, which must not race).
ifeq ($(filter -j%,$(MAKEFLAGS))$(filter clean,$(MAKECMDGOALS)),)
MAKEFLAGS += -j$(shell nproc)
endif

# The toolchain; override on the command line, e.g. `make CC=clang`.
ifeq ($(origin CC),default)
CC := gcc
endif
ifeq ($(origin LD),default)
LD := ld
endif
NASM ?= nasm
QEMU ?= qemu-system-x86_64
GRUB_FILE ?= grub-file
OBJCOPY ?= objcopy

# The interpreter for the build's scripts (scripts/*).
PYTHON ?= python3

# Where `make run` shows the screen: auto, window, curses or serial (see scripts/run-qemu).
DISPLAY_MODE ?= auto
# How QEMU runs the guest for make run and make debug: tcg (emulated, the default) or kvm.
ACCEL ?= tcg
SMP ?= 1

# Flags a user may change; the ones the kernel needs to be correct are fixed below.
CFLAGS ?= -O2 -g
HOST_CC ?= cc

VERSION := $(file <VERSION)
# make UBSAN=1 builds the kernel with UBSan's checks (see below), in a folder of its own by default.
UBSAN ?= 0
ifeq ($(UBSAN),1)
BUILD := build/ubsan
else
BUILD := build
endif
KERNEL := $(BUILD)/keel.elf
ISO := $(BUILD)/keel.iso

# Hardening: the compiler checks the kernel's own mistakes as they happen.
#  - The stack protector: a function with a local array or a local whose address is taken keeps a
#    canary between them and its return address and checks it before it returns; an overrun calls
#    __stack_chk_fail (kernel/stack_protector.c). By default GCC reads the canary at %fs:0x28, the
#    Linux thread block keel does not have: =global reads the variable __stack_chk_guard (GCC and
#    Clang). kmain picks the canary right after arch_cpu_init, so it and stack_protector_init are
#    built without the protector (__no_stack_protector, kernel/compiler.h): their frames are live
#    while the canary changes. arch_cpu_init, the one step before, has returned by then: its
#    frames checked the canary they started with.
#  - Stack-clash protection: a frame larger than a page is allocated a page at a time, each page
#    touched, so that it cannot step over a guard page into whatever lies below it
#    (tests/build/stack-clash.test checks it).
try_cflag = $(shell $(CC) -Werror $(1) -x c -c /dev/null -o /dev/null 2>/dev/null && echo $(1))
HARDENING_CFLAGS := -fstack-protector-strong -mstack-protector-guard=global \
	$(call try_cflag,-fstack-clash-protection)

# The UBSan build (make UBSAN=1, in build/ubsan unless BUILD= says otherwise): each check below
# calls a handler in kernel/ubsan.c when it fails, which reports it and carries on
# (keel.ubsan=panic: panics).
# Left out: vptr and function (C++ only, or a runtime type table keel lacks), return (C++ only),
# float-cast-overflow and float-divide-by-zero (the kernel has no floating point).
UBSAN_CHECKS := shift integer-divide-by-zero unreachable vla-bound null signed-integer-overflow \
	bounds alignment object-size nonnull-attribute returns-nonnull-attribute bool enum \
	pointer-overflow builtin
ifeq ($(UBSAN),1)
empty :=
comma := ,
UBSAN_CFLAGS := -fsanitize=$(subst $(empty) $(empty),$(comma),$(strip $(UBSAN_CHECKS))) -DKEEL_UBSAN
endif
# The handlers themselves are not checked: a report must not report itself.
$(BUILD)/kernel/ubsan.o: UBSAN_CFLAGS :=

# Warnings that find bugs, beyond -Wall -Wextra, quiet on keel with both GCC and Clang: a local
# that hides another variable, a format string that is not a literal, a function declared without
# its arguments or defined without a prototype in a header (a typo'd name, or one that should be
# static), a variable-length array (an unbounded stack allocation), a cast to a more aligned
# pointer type, and a null pointer the optimiser sees dereferenced.
WARNINGS := -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wcast-align \
	-Wnull-dereference

# Every C function starts with "push rbp; mov rbp, rsp", so the backtrace (kernel/backtrace.c)
# names each caller; tests/build/frame-pointers.test checks the disassembly. A function without
# that frame leaves rbp pointing at its caller's frame, and the caller vanishes from the report.
#  - -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer ask for it, but GCC 12 still drops the
#    frame of a leaf function that uses no stack (its x86 back end clears frame_pointer_needed for
#    such leaves when optimizing); a profiled function must keep its frame, so -pg, with
#    -mnop-mcount making the profiling call a 5-byte NOP that calls nothing.
#  - Shrink-wrapping moves the prologue past an early return: off (-fno-shrink-wrap in GCC, an
#    LLVM option in Clang, which honours -mno-omit-leaf-frame-pointer itself).
#  - A tail call replaces the caller's frame with the callee's: -fno-optimize-sibling-calls.
# (GCC's own flags are left out of compile_commands.json, whose reader, clang-tidy, has none.)
FRAME_POINTER_GCC_ONLY := -fno-shrink-wrap -pg -mnop-mcount
ifeq ($(shell $(CC) --version 2>/dev/null | grep -c clang),0)
FRAME_POINTER_CFLAGS := $(FRAME_POINTER_GCC_ONLY)
else
FRAME_POINTER_CFLAGS := -mllvm -enable-shrink-wrap=false
endif
FRAME_POINTER_CFLAGS += -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls

# Freestanding C for a higher-half x86_64 kernel:
#  - no hosted library, no builtin assumptions about a runtime, no position-independent code (the
#    kernel runs where it is linked);
#  - -mcmodel=kernel: code and data live in the top 2 GiB, addresses fit in sign-extended 32 bits;
#  - no red zone: an interrupt would overwrite the 128 bytes below RSP that leaf functions use;
#  - no SSE/MMX/x87 code: their registers are not saved on interrupts and are not enabled yet;
#  - frame pointers kept, even in leaf functions, for backtraces (FRAME_POINTER_CFLAGS above); no
#    unwind tables (we do not unwind through them).
KERNEL_CFLAGS := -std=c11 -ffreestanding -nostdlib -fno-pic -fno-pie \
	-mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-80387 \
	$(FRAME_POINTER_CFLAGS) -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-g -Wall -Wextra $(WARNINGS) -Werror -I. -DKEEL_VERSION='"$(VERSION)"' -MMD -MP \
	$(HARDENING_CFLAGS)
# (unknown-warning: NASM 2.16.01 trips over its own alignb macro with -w+all.)
NASMFLAGS := -f elf64 -g -F dwarf -w+all -w-unknown-warning -Werror -I./
# -n: no page alignment of sections in the file, so the header stays near the start of it.
KERNEL_LDFLAGS := -nostdlib -static -n -z max-page-size=0x1000 -z noexecstack --no-dynamic-linker \
	--fatal-warnings -T linker/kernel.ld

# ---- Reproducible builds: the same sources give the same keel.elf and keel.iso, anywhere ----
# Timestamps in the image (xorriso's and mtools' dates, the ISO's volume UUID) come from
# SOURCE_DATE_EPOCH, which both read from the environment: the last commit's date, or outside git
# the VERSION file's. The compiler records paths relative to the repository instead of the build
# folder; scripts/fix-nasm-dwarf does the same for NASM, which cannot (see the kernel's rule).
# (Computed once: a recursive `?=` would run git again for every command, since it is exported.)
ifeq ($(origin SOURCE_DATE_EPOCH),undefined)
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || stat -c %Y VERSION)
endif
export SOURCE_DATE_EPOCH
KERNEL_CFLAGS += -ffile-prefix-map=$(CURDIR)=.
# ---- end of reproducible builds ----

C_SOURCES := $(sort $(wildcard kernel/*.c arch/x86_64/*/*.c))
ifneq ($(UBSAN),1)
C_SOURCES := $(filter-out kernel/ubsan.c,$(C_SOURCES))
endif
# The boot information parser, which the host tests and the fuzzer build on their own too.
BOOT_INFO_SOURCES := $(sort $(wildcard kernel/boot_info*.c))
ASM_SOURCES := $(sort $(wildcard boot/*.asm arch/x86_64/*/*.asm))
# Sources the build writes itself, under $(BUILD)/gen.
GEN_SOURCES := $(BUILD)/gen/font.c
# The assembly last, and the symbol table first in the link: scripts/fix-nasm-dwarf shortens
# NASM's debug units, which must come after the C compiler's (whose location lists point into
# .debug_info by offset).
OBJECTS := $(C_SOURCES:%.c=$(BUILD)/%.o) $(GEN_SOURCES:%.c=%.o) \
	$(ASM_SOURCES:%.asm=$(BUILD)/%.o)

# The console font: Terminus 8x16 from Debian's console-setup (SIL Open Font License 1.1),
# converted to C at build time by scripts/psf2c.
FONT_FILE ?= /usr/share/consolefonts/Uni2-Terminus16.psf.gz

.PHONY: all iso run run-uefi usb screenshots test mutation bench clean help
.DEFAULT_GOAL := all

all: $(KERNEL)

help:
	@echo "keel $(VERSION): make targets"
	@echo "  make            build the kernel, $(KERNEL)"
	@echo "  make iso        build the bootable image, $(ISO) (BIOS and UEFI, CD and USB stick)"
	@echo "  make run        boot the image in QEMU (a window if there is a display, else the terminal)"
	@echo "  make run-uefi   the same on a UEFI PC (QEMU with the OVMF firmware)"
	@echo "  make debug      boot it stopped at reset and debug it with GDB, from kmain (debug-uefi: on UEFI)"
	@echo "  make screenshots  boot it on BIOS and UEFI and save both screens in docs/screenshots/"
	@echo "  make usb DEVICE=/dev/sdX  write the image to a USB stick (asks first; YES=1 skips)"
	@echo "  make test       run every test; ends with 'N passed, N failed'"
	@echo "  make mutation   plant each bug in tests/mutation/mutants in a copy of the tree; a host test must catch every one"
	@echo "  make compdb     write $(BUILD)/compile_commands.json for clangd (every build does too)"
	@echo "  make format     format every C file per .clang-format (format-check: only check)"
	@echo "  make analyze    static analysis: clang-tidy (.clang-tidy) and cppcheck"
	@echo "  make docs       draw docs/boot-flow.svg from docs/boot-flow.dot (needs Graphviz)"
	@echo "  make bench      measure sizes, speeds and ratios; a table and $(BUILD)/bench.json"
	@echo "  make fuzz       fuzz the boot information parser and the heap (FUZZ_SECONDS=60 each)"
	@echo "  make fuzz-acpi  fuzz the ACPI table parser (FUZZ_SECONDS=60)"
	@echo "  make clean      remove $(BUILD)/"
	@echo "Variables: CC=gcc|clang LD NASM QEMU PYTHON CFLAGS (e.g. make CC=clang LD=ld.lld)"
	@echo "  BUILD=dir  where the build goes (default build/), to keep a variant apart"
	@echo "  UBSAN=1    check for undefined behaviour as the kernel runs (goes to build/ubsan)"
	@echo "  DISPLAY_MODE=auto|window|curses|serial  where make run shows the screen"
	@echo "  ACCEL=tcg|kvm   make run/debug: QEMU's emulator (default) or KVM, where KVM works"
	@echo "  SMP=N           make run/debug: a machine with N CPUs (default 1)"
	@echo "  GDB_PORT=1234 DEBUG_ATTACH=1  make debug: the stub's port; only QEMU, for your own GDB/IDE"
	@echo "Missing tools are installed by scripts/setup (make run and make test call it)."

# Every flag that goes into the kernel, one file each for the kernel and the host tests. A file
# is rewritten only when its text changes, and what is built with those flags depends on it, so
# `make CC=clang` after a GCC build (or new CFLAGS) rebuilds everything instead of linking stale
# objects, while a make with the same flags rebuilds nothing.
KERNEL_FLAGS_FILE := $(BUILD)/kernel.flags
KERNEL_FLAGS_TEXT := CC=$(CC) $(CFLAGS) $(KERNEL_CFLAGS) $(UBSAN_CFLAGS) NASM=$(NASM) $(NASMFLAGS) \
	LD=$(LD) $(KERNEL_LDFLAGS)
# write_if_changed(file, text): text may hold single quotes (the -D of KEEL_VERSION does).
define write_if_changed
	@mkdir -p $(dir $(1))
	@printf '%s\n' '$(subst ','\'',$(2))' | cmp -s - $(1) || \
		printf '%s\n' '$(subst ','\'',$(2))' > $(1)
endef
$(KERNEL_FLAGS_FILE): FORCE
	$(call write_if_changed,$@,$(KERNEL_FLAGS_TEXT))

# The build's scripts run with the program $(PYTHON) names, found once per build folder (a file
# for each value of PYTHON): a version manager's python3 can be a shell script (pyenv's shim) that
# takes a tenth of a second or more to find it, on every call. -S: the scripts use only Python's
# standard library, and the start-up hooks of the site packages can cost as much again. The file
# is read where a recipe runs; the first scripts of a clean build, which must not wait for it,
# run $(PYTHON) itself. It is made early (a prerequisite of the first link) for the ones after.
PYTHON_PATH := $(BUILD)/python/$(subst /,_,$(PYTHON))
RUN_PYTHON = $(or $(wildcard $(file <$(PYTHON_PATH))),$(PYTHON)) -S
$(PYTHON_PATH):
	@mkdir -p $(@D)
	$(PYTHON) -S -c 'import sys; print(sys.executable)' > $@

# The folders of the kernel's objects, each made once: an order-only prerequisite, so that a
# folder's date never makes its objects stale.
OBJECT_DIRS := $(sort $(patsubst %/,%,$(dir $(OBJECTS))))
$(OBJECT_DIRS):
	@mkdir -p $@
$(OBJECTS): | $(OBJECT_DIRS)

$(BUILD)/%.o: %.c Makefile $(KERNEL_FLAGS_FILE)
	$(CC) $(CFLAGS) $(KERNEL_CFLAGS) $(UBSAN_CFLAGS) -c $< -o $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c Makefile $(KERNEL_FLAGS_FILE)
	$(CC) $(CFLAGS) $(KERNEL_CFLAGS) $(UBSAN_CFLAGS) -c $< -o $@

$(BUILD)/gen/font.c: scripts/psf2c scripts/psf.py $(FONT_FILE)
	@mkdir -p $(@D)
	$(RUN_PYTHON) scripts/psf2c $(FONT_FILE) -o $@

$(BUILD)/%.o: %.asm Makefile $(KERNEL_FLAGS_FILE)
	$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP -o $@ $<

# Backtraces name functions (kmain+0x4c), so the kernel carries a table of its own symbols
# (kernel/symbols.h). The table can only be made from a linked kernel, so the kernel is linked
# twice: first with an empty table, then with the table scripts/symbols2c makes from the first
# link's functions. The table lives in .rodata, which the linker script places after .text, so
# it cannot move a function; the second link is checked against the first all the same.
NM ?= nm
SYMBOL_TABLE_EMPTY := $(BUILD)/gen/symbols-empty.o
SYMBOL_TABLE := $(BUILD)/gen/symbols.o

$(BUILD)/gen/symbols-empty.c: scripts/symbols2c
	@mkdir -p $(@D)
	$(RUN_PYTHON) scripts/symbols2c --empty -o $@

# The list of objects, rewritten only when it changes: removing a source file relinks the kernel.
$(BUILD)/objects.list: FORCE
	@mkdir -p $(@D)
	@echo '$(OBJECTS)' | cmp -s - $@ || echo '$(OBJECTS)' > $@
.PHONY: FORCE

# The first link is read only for its functions' addresses: --strip-debug, which places nothing
# (the debug sections are not loaded) and spares the linker copying the objects' DWARF. (The
# generated sources come first among the prerequisites, whatever the order of the link: make
# starts jobs in the order of the prerequisites, and their scripts must not wait for 100 objects.)
$(BUILD)/keel.pass1.elf: $(SYMBOL_TABLE_EMPTY) $(GEN_SOURCES:%.c=%.o) $(OBJECTS) linker/kernel.ld \
		$(BUILD)/objects.list $(KERNEL_FLAGS_FILE) | $(PYTHON_PATH)
	$(LD) $(KERNEL_LDFLAGS) --strip-debug -o $@ $(SYMBOL_TABLE_EMPTY) $(OBJECTS)

# The first link's functions: the table is made from them, and the second link must keep them.
$(BUILD)/keel.pass1.functions: $(BUILD)/keel.pass1.elf
	$(NM) -n $< | grep -i ' t ' > $@

$(BUILD)/gen/symbols.c: $(BUILD)/keel.pass1.functions scripts/symbols2c | $(PYTHON_PATH)
	$(RUN_PYTHON) scripts/symbols2c -o $@ < $<

$(BUILD)/keel.linked.elf: $(OBJECTS) $(SYMBOL_TABLE) $(BUILD)/keel.pass1.functions linker/kernel.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(SYMBOL_TABLE) $(OBJECTS)
	@$(NM) -n $@ | grep -i ' t ' | cmp -s - $(BUILD)/keel.pass1.functions || { rm -f $@; \
		echo "error: adding the symbol table moved functions; see kernel/symbols.h" >&2; exit 1; }

# Two files from the second link, made side by side: the kernel GDB reads, with all its symbols
# and debug information (NASM's made independent of the build's folder, see the script), and the
# kernel the image carries, without either. GRUB's multiboot2 loader copies every section that is
# not loaded into memory as well, for the ELF sections tag (which keel does not read): through the
# BIOS from a CD, the 450 KiB of DWARF alone took about 100 ms of every boot (make bench).
$(KERNEL): $(BUILD)/keel.linked.elf scripts/fix-nasm-dwarf | $(PYTHON_PATH)
	cp $< $@
	OBJCOPY=$(OBJCOPY) $(RUN_PYTHON) scripts/fix-nasm-dwarf $(CURDIR) $@

BOOT_KERNEL := $(BUILD)/keel.stripped.elf
$(BOOT_KERNEL): $(BUILD)/keel.linked.elf
	$(OBJCOPY) --strip-all $< $@

# ---- The bootable image: GRUB's boot images, built once, packed with xorriso ----
# Instead of grub-mkrescue, which rebuilds GRUB's images on every call and copies every module and
# font into the image: GRUB's BIOS (El Torito) and UEFI boot images are built here with only the
# modules keel's menus use, compiled into them, and rebuilt only when GRUB, the module list or the
# early config changes. xorriso then packs them with the kernel and the menu into a hybrid image
# (CD and USB stick, BIOS and UEFI), as grub-mkrescue would, in a fraction of a second.
GRUB_MKIMAGE ?= grub-mkimage
GRUB_LIB ?= /usr/lib/grub
XORRISO ?= xorriso
GRUB_DIR := $(BUILD)/grub
# What iso/grub.cfg and tests/boot/grub.cfg use: the file systems and partition tables GRUB reads
# the image, or the test disk, from (iso9660, fat, part_*), search and source (configfile), the
# menu (normal, test, echo, keystatus, sleep), multiboot2 and boot, the serial terminal, and the
# video drivers (all_video: efi_gop on UEFI, vbe on BIOS). biosdisk reads disks on BIOS.
GRUB_MODULES := iso9660 fat part_msdos part_gpt search search_fs_file configfile normal test echo \
	keystatus sleep multiboot2 boot serial terminal all_video
GRUB_EARLY_CFG := iso/grub-early.cfg

$(GRUB_DIR)/eltorito.img: $(GRUB_EARLY_CFG) $(GRUB_LIB)/i386-pc/moddep.lst Makefile
	@mkdir -p $(@D)
	$(GRUB_MKIMAGE) -O i386-pc-eltorito -p /boot/grub -c $(GRUB_EARLY_CFG) -o $@ \
		biosdisk $(GRUB_MODULES)

$(GRUB_DIR)/bootx64.efi: $(GRUB_EARLY_CFG) $(GRUB_LIB)/x86_64-efi/moddep.lst Makefile
	@mkdir -p $(@D)
	$(GRUB_MKIMAGE) -O x86_64-efi -p /boot/grub -c $(GRUB_EARLY_CFG) -o $@ $(GRUB_MODULES)

# The UEFI boot image is a small FAT file system holding EFI/BOOT/BOOTX64.EFI, the path UEFI
# firmware boots from removable media; 64 KiB to spare for FAT's own tables. -N: a fixed volume
# serial number, instead of a random one. Its file dates are those of the installed GRUB, not of
# the last commit: the image is built once and kept across commits, and must stay the same.
$(GRUB_DIR)/efi.img: export SOURCE_DATE_EPOCH = $(shell stat -c %Y $(GRUB_LIB)/x86_64-efi/moddep.lst 2>/dev/null || echo 0)
$(GRUB_DIR)/efi.img: $(GRUB_DIR)/bootx64.efi
	@rm -f $@
	mformat -i $@ -C -T $$(( ($$(stat -c %s $<) + 65536 + 511) / 512 )) -h 1 -s 32 -N 4b45454c ::
	mmd -i $@ ::/EFI ::/EFI/BOOT
	mcopy -i $@ $< ::/EFI/BOOT/BOOTX64.EFI

GRUB_IMAGES := $(GRUB_DIR)/eltorito.img $(GRUB_DIR)/efi.img

# make_iso(grub.cfg[, kernel]): packs the kernel ($(BOOT_KERNEL) unless given), GRUB's images and a menu into a hybrid BIOS/UEFI image.
# GRUB would refuse a kernel it cannot load only at boot time; refuse it here instead.
# --grub2-mbr and --grub2-boot-info: an MBR that starts the El Torito image from a USB stick;
# --efi-boot with -efi-boot-part --efi-boot-image: the FAT image as El Torito's UEFI entry and as
# a partition, for UEFI from a stick.
define make_iso
	@$(GRUB_FILE) --is-x86-multiboot2 $(or $(2),$(BOOT_KERNEL)) || \
		{ echo "error: $(or $(2),$(BOOT_KERNEL)) is not a multiboot2 kernel GRUB can load" >&2; exit 1; }
	$(XORRISO) -report_about SORRY -as mkisofs -quiet -graft-points -r -V KEEL \
		--set_all_file_dates =$(SOURCE_DATE_EPOCH) \
		-b boot/grub/eltorito.img -no-emul-boot -boot-load-size 4 -boot-info-table \
		--grub2-boot-info --grub2-mbr $(GRUB_LIB)/i386-pc/boot_hybrid.img \
		--efi-boot boot/grub/efi.img -efi-boot-part --efi-boot-image --protective-msdos-label \
		-o $@ boot/keel.elf=$(or $(2),$(BOOT_KERNEL)) boot/grub/grub.cfg=$(1) \
		boot/grub/eltorito.img=$(GRUB_DIR)/eltorito.img boot/grub/efi.img=$(GRUB_DIR)/efi.img \
		2> $@.log || { grep -v '^xorriso [0-9.]* :\|^$$' $@.log >&2; rm -f $@ $@.log; exit 1; }
	@rm -f $@.log
	@test -s $@
endef
# ---- end of the bootable image ----

# The images carry SOURCE_DATE_EPOCH's dates: this file changes with it (a new commit), and so
# repacks them.
$(BUILD)/source-date-epoch: FORCE
	@mkdir -p $(@D)
	@echo '$(SOURCE_DATE_EPOCH)' | cmp -s - $@ || echo '$(SOURCE_DATE_EPOCH)' > $@

# (GDB, make debug and the tests read build/keel.elf too.) GRUB's images come first among the
# prerequisites, so that a clean build makes them while it compiles, not after.
iso: $(ISO) $(KERNEL)
$(ISO): $(GRUB_IMAGES) $(BOOT_KERNEL) iso/grub.cfg $(BUILD)/source-date-epoch
	$(call make_iso,iso/grub.cfg)

# The same kernel with the test menu, which takes its boot commands from a disk (tests/boot/).
.PHONY: test-iso
test-iso: $(BUILD)/test/keel-test.iso
$(BUILD)/test/keel-test.iso: $(BOOT_KERNEL) tests/boot/grub.cfg $(GRUB_IMAGES) $(BUILD)/source-date-epoch
	@mkdir -p $(@D)
	$(call make_iso,tests/boot/grub.cfg)

# Host unit tests: kernel code compiled natively and linked with cmocka. Each tests/host/*.mk adds
# a test to HOST_TESTS and lists its sources in <test>_SRCS.
HOST_TESTS :=
include $(sort $(wildcard tests/host/*.mk))
HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -I. -DKEEL_HOST_TEST \
	-DKEEL_VERSION='"$(VERSION)"' -include tests/host/host_names.h -MMD -MP

HOST_FLAGS_FILE := $(BUILD)/host/host.flags
$(HOST_FLAGS_FILE): FORCE
	$(call write_if_changed,$@,HOST_CC=$(HOST_CC) $(HOST_CFLAGS))

$(BUILD)/host/%.o: %.c Makefile $(HOST_FLAGS_FILE)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

define host_test_rule
$(BUILD)/host/$(1): $$(patsubst %.c,$(BUILD)/host/%.o,$$($(1)_SRCS)) $(HOST_FLAGS_FILE)
	$(HOST_CC) $(HOST_CFLAGS) -o $$@ $$(filter %.o,$$^) -lcmocka
endef
$(foreach test,$(HOST_TESTS),$(eval $(call host_test_rule,$(test))))

.PHONY: host-tests
host-tests: $(HOST_TESTS:%=$(BUILD)/host/%)

# The boot information parser under libFuzzer, with AddressSanitizer and UBSan watching every read.
# `make fuzz FUZZ_SECONDS=600` for a longer run; new inputs go to $(BUILD)/fuzz/corpus, the seeds
# in tests/fuzz/corpus stay as they are.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZER := $(BUILD)/fuzz/fuzz_boot_info
.PHONY: fuzz fuzzer
fuzzer: $(FUZZER)
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I. -DKEEL_HOST_TEST -include tests/host/host_names.h
$(BUILD)/fuzz/fuzz.flags: FORCE
	$(call write_if_changed,$@,FUZZ_CC=$(FUZZ_CC) $(FUZZ_CFLAGS))
$(FUZZER): tests/fuzz/fuzz_boot_info.c $(BOOT_INFO_SOURCES) $(wildcard kernel/boot_info*.h) \
		kernel/multiboot2.h kernel/string.c $(BUILD)/fuzz/fuzz.flags
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_boot_info.c $(BOOT_INFO_SOURCES) kernel/string.c -o $@

# The heap under libFuzzer: sequences of kmalloc/kfree/krealloc/kcalloc (tests/fuzz/fuzz_kmalloc.c).
FUZZER_KMALLOC := $(BUILD)/fuzz/fuzz_kmalloc
FUZZ_KMALLOC_SRCS := tests/fuzz/fuzz_kmalloc.c $(HEAP_SRCS)
$(FUZZER_KMALLOC): $(FUZZ_KMALLOC_SRCS) $(wildcard kernel/*.h tests/host/*.h) $(BUILD)/fuzz/fuzz.flags
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_KMALLOC_SRCS) -o $@

fuzz: $(FUZZER) $(FUZZER_KMALLOC)
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/corpus_kmalloc
	$(FUZZER) -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 \
		$(BUILD)/fuzz/corpus tests/fuzz/corpus/boot_info
	$(FUZZER_KMALLOC) -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
		$(BUILD)/fuzz/corpus_kmalloc

# The heap built for the host with -O2 and no sanitizers, for tests/bench/kmalloc.bench.
BENCH_KMALLOC := $(BUILD)/bench/kmalloc_bench
$(BENCH_KMALLOC): tests/bench/kmalloc_bench.c $(HEAP_SRCS) $(wildcard kernel/*.h tests/host/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) -std=c11 -O2 -g -Wall -Wextra -Werror -I. -DKEEL_HOST_TEST \
		-include tests/host/host_names.h tests/bench/kmalloc_bench.c $(HEAP_SRCS) -o $@

# The ACPI table parser the same way, over fake physical memory (tests/host/acpi_fake_memory.c):
# `make fuzz-acpi`. Seeds: the tables captured from firmware, tests/fuzz/corpus/acpi.
ACPI_FUZZER := $(BUILD)/fuzz/fuzz_acpi
ACPI_FUZZER_SRCS := tests/fuzz/fuzz_acpi.c kernel/acpi.c kernel/acpi_madt.c kernel/acpi_fadt.c \
	kernel/acpi_hpet.c kernel/acpi_mcfg.c kernel/acpi_print.c kernel/kprintf.c kernel/string.c \
	tests/host/acpi_fake_memory.c tests/host/console_stub.c
.PHONY: fuzz-acpi fuzzer-acpi
fuzzer-acpi: $(ACPI_FUZZER)
$(ACPI_FUZZER): $(ACPI_FUZZER_SRCS) kernel/acpi.h kernel/acpi_tables.h kernel/kprintf.h \
		tests/host/acpi_fake_memory.h tests/host/console_stub.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I. -DKEEL_HOST_TEST -include tests/host/host_names.h $(ACPI_FUZZER_SRCS) -o $@
fuzz-acpi: $(ACPI_FUZZER)
	@mkdir -p $(BUILD)/fuzz/corpus-acpi
	$(ACPI_FUZZER) -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -print_final_stats=1 \
		$(BUILD)/fuzz/corpus-acpi tests/fuzz/corpus/acpi
# ---- Editors and checks: compile_commands.json, make format, make format-check, make analyze ----
# The compilation database for clangd and clang-tidy, written by every build from the variables
# the compile rules above use: the kernel's sources with the kernel's flags, the host tests' own
# sources with the host flags. clangd finds it in build/.
COMPDB := $(BUILD)/compile_commands.json
COMPDB_KERNEL_CFLAGS = $(filter-out $(FRAME_POINTER_GCC_ONLY),$(KERNEL_CFLAGS))
HOST_ONLY_SOURCES = $(sort $(filter tests/%.c,$(foreach test,$(HOST_TESTS),$($(test)_SRCS))))
define newline


endef
.PHONY: compdb
compdb: $(COMPDB)
$(COMPDB): Makefile $(wildcard tests/host/*.mk) scripts/compdb $(KERNEL_FLAGS_FILE) | $(PYTHON_PATH)
	@# (make expands the whole recipe before it runs it: the folder is made in the expansion.)
	$(shell mkdir -p $(@D))$(file >$@.in,$(foreach src,$(C_SOURCES),$(src) $(CC) $(CFLAGS) $(COMPDB_KERNEL_CFLAGS) $(UBSAN_CFLAGS) -c $(src) \
		-o $(BUILD)/$(src:.c=.o)$(newline))$(foreach src,$(HOST_ONLY_SOURCES),$(src) $(HOST_CC) \
		$(HOST_CFLAGS) -c $(src) -o $(BUILD)/host/$(src:.c=.o)$(newline)))
	$(RUN_PYTHON) scripts/compdb $(CURDIR) < $@.in > $@
	@rm -f $@.in
all: $(COMPDB)

# Formatting: .clang-format is the arbiter, for every C file in git.
CLANG_FORMAT ?= clang-format
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
.PHONY: format format-check
format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)
format-check:
	$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES)

# Static analysis (tests/build/analysis.test): clang-tidy with the checks in .clang-tidy, cppcheck
# with the suppressions, each with its reason, in tests/cppcheck-suppressions.txt.
CLANG_TIDY ?= clang-tidy
CPPCHECK ?= cppcheck
.PHONY: analyze
analyze: SHELL := /bin/bash
analyze: $(COMPDB)
	@# A few files per clang-tidy, two at a time: it takes a second or two per file.
	@printf '%s\n' $(C_SOURCES) $(HOST_ONLY_SOURCES) | \
		xargs -n 4 -P 2 $(CLANG_TIDY) --quiet -p $(BUILD) 2>&1 | grep -v '^[0-9]* warnings* generated'; \
		test "$${PIPESTATUS[1]}" -eq 0
	$(CPPCHECK) --quiet --error-exitcode=1 --std=c11 --platform=unix64 \
		--enable=warning,style,performance,portability --inline-suppr \
		--suppressions-list=tests/cppcheck-suppressions.txt -I. -DKEEL_VERSION='"$(VERSION)"' \
		-D__x86_64__ kernel arch
# The flags the kernel's C is compiled with, for tests/build/docs.test.
.PHONY: kernel-cflags
kernel-cflags:
	@echo '$(CFLAGS) $(KERNEL_CFLAGS)'

# docs/boot-flow.svg, drawn from docs/boot-flow.dot (both in git; Graphviz's dot draws it).
DOT ?= dot
.PHONY: docs
docs: docs/boot-flow.svg
docs/boot-flow.svg: docs/boot-flow.dot
	$(DOT) -Tsvg $< -o $@
# ---- end of editors and checks ----

# run and test first install what is missing, then build with a fresh make (so the tools exist
# before any rule needs them).
run:
	@scripts/setup --if-missing
	@$(MAKE) --no-print-directory iso
	@KEEL_DISPLAY=$(DISPLAY_MODE) QEMU=$(QEMU) ACCEL=$(ACCEL) SMP=$(SMP) scripts/run-qemu $(ISO)

run-uefi:
	@scripts/setup --if-missing
	@$(MAKE) --no-print-directory iso
	@KEEL_DISPLAY=$(DISPLAY_MODE) QEMU=$(QEMU) ACCEL=$(ACCEL) SMP=$(SMP) scripts/run-qemu --uefi $(ISO)

# ---- Debugging: make debug, make debug-uefi (scripts/debug, scripts/gdb/keel.gdb) ----
# QEMU waits at reset with its GDB stub on localhost:$(GDB_PORT); GDB breaks at kmain.
# DEBUG_ATTACH=1 starts only QEMU, for your own GDB or IDE.
GDB_PORT ?= 1234
DEBUG_ATTACH ?=
.PHONY: debug debug-uefi
debug debug-uefi:
	@scripts/setup --if-missing
	@$(MAKE) --no-print-directory iso
	@KEEL_DISPLAY=$(DISPLAY_MODE) QEMU=$(QEMU) ACCEL=$(ACCEL) SMP=$(SMP) GDB_PORT=$(GDB_PORT) \
		DEBUG_ATTACH=$(DEBUG_ATTACH) scripts/debug $(if $(filter debug-uefi,$@),--uefi) \
		$(ISO) $(KERNEL)
# ---- end of debugging ----

# The README's pictures of the BIOS and the UEFI boot screen, docs/screenshots/{bios,uefi}.png.
screenshots: iso
	@QEMU=$(QEMU) scripts/screenshots $(ISO)

# Writes the image to a USB stick; scripts/write-usb refuses anything that is not one.
usb: iso
	@scripts/write-usb $(DEVICE)

test:
	@scripts/setup --if-missing
	@tests/run

# Every planted bug of tests/mutation/mutants, one at a time in a copy under $(BUILD)/mutation/:
# fails if the host tests miss one, or if a mutant's original text is no longer in its file.
mutation:
	@scripts/mutation-check -j2

# Measurements, not tests: every tests/bench/*.bench, one table, $(BUILD)/bench.json.
bench:
	@scripts/setup --if-missing
	@$(MAKE) --no-print-directory all iso test-iso bench-images
	@scripts/bench

# ---- make bench: the trivial multiboot2 kernel that tests/bench/boot.bench measures keel against,
# on the same GRUB menu ----
BENCH_DIR := $(BUILD)/bench
.PHONY: bench-images
bench-images: $(BENCH_DIR)/trivial.iso
$(BENCH_DIR)/trivial.elf: tests/bench/trivial/trivial.asm
	@mkdir -p $(@D)
	$(NASM) -f elf32 -w+all -Werror -o $(@:.elf=.o) $<
	$(LD) -m elf_i386 -nostdlib -static -n --no-dynamic-linker -Ttext=0x100000 -e _start \
		-o $@ $(@:.elf=.o)
$(BENCH_DIR)/trivial.iso: $(BENCH_DIR)/trivial.elf iso/grub.cfg $(GRUB_IMAGES)
	$(call make_iso,iso/grub.cfg,$(BENCH_DIR)/trivial.elf)
# ---- end of make bench ----

clean:
	rm -rf $(BUILD)

-include $(OBJECTS:.o=.d) $(wildcard $(BUILD)/host/*/*.d $(BUILD)/host/*/*/*.d)
