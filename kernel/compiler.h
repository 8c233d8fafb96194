/* Compiler attributes and small helpers that every kernel file may use. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define __packed          __attribute__((packed))
#define __aligned(n)      __attribute__((aligned(n)))
#define __unused          __attribute__((unused))
#define __section(name)   __attribute__((section(name)))
#define __used            __attribute__((used)) /* kept though nothing names it */
#define __printf_like(f, a) __attribute__((format(printf, f, a)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Round to a power-of-two boundary. */
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)   ALIGN_DOWN((x) + ((__typeof__(x))(a) - 1), (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)

#define STRINGIFY_(x) #x
#define STRINGIFY(x)  STRINGIFY_(x)
