/* Compiler attributes and small helpers that every kernel file may use. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define __packed            __attribute__((packed))
#define __aligned(n)        __attribute__((aligned(n)))
#define __unused            __attribute__((unused))
#define __section(name)     __attribute__((section(name)))
#define __used              __attribute__((used)) /* kept though nothing names it */
#define __printf_like(f, a) __attribute__((format(printf, f, a)))

/*
 * For the few functions that run while the stack protector's canary changes (kmain, which calls
 * stack_protector_init, and that function itself): a protected function whose frame is live at
 * that moment would find a different canary on its way out. GCC 11+ and Clang 7+ know it.
 */
#define __no_stack_protector __attribute__((no_stack_protector))

/*
 * Data written only while the kernel boots (the IDT, the option values, the console list, the
 * CPU's features): arch_protect_boot_data() makes its pages read-only before the first test or
 * anything else runs, so a stray write to it faults rather than corrupting it.
 */
#define __ro_after_init __section(".data.ro_after_init")

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Round to a power-of-two boundary. */
#define ALIGN_DOWN(x, a) ((x) & ~(((__typeof__(x))(a)) - 1))
#define ALIGN_UP(x, a)   ALIGN_DOWN((x) + (((__typeof__(x))(a)) - 1), (a))
#define IS_ALIGNED(x, a) (((x) & (((__typeof__(x))(a)) - 1)) == 0)

#define STRINGIFY_(x) #x
#define STRINGIFY(x)  STRINGIFY_(x)
