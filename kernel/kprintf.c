/* printf-style formatting for the kernel: one formatter, three front ends. */
#include "kernel/kprintf.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/console.h"
#include "kernel/string.h"

/*
 * Widths and precisions are clipped to this: a larger one is a bug in the format, and clipping
 * keeps the arithmetic on them from overflowing an int.
 */
#define FIELD_MAX 1000

enum length { LENGTH_INT, LENGTH_CHAR, LENGTH_SHORT, LENGTH_LONG, LENGTH_LONG_LONG, LENGTH_SIZE };

/* %t and %j read their arguments as long, which ptrdiff_t and intmax_t are on x86_64. */
_Static_assert(sizeof(ptrdiff_t) == sizeof(long) && sizeof(intmax_t) == sizeof(long),
               "%t and %j need a length of their own");

struct spec {
    bool left_align; /* '-' */
    bool zero_pad;   /* '0' */
    bool plus_sign;  /* '+': a sign on non-negative signed numbers too */
    bool space_sign; /* ' ': a space where '+' would put its sign */
    bool alternate;  /* '#': 0x before %x, a leading 0 for %o */
    int width;
    int precision; /* -1: none given */
    enum length length;
};

struct output {
    format_sink sink;
    void *ctx;
    size_t count;
};

static void emit(struct output *out, const char *text, size_t len)
{
    if (len == 0)
        return;
    out->sink(out->ctx, text, len);
    out->count += len;
}

static void emit_repeated(struct output *out, char c, size_t times)
{
    for (; times > 0; times--)
        emit(out, &c, 1);
}

/* Writes text padded to the field width; zero padding goes after any sign or 0x prefix. */
static void emit_field(struct output *out, const struct spec *spec, const char *prefix,
                       const char *text, size_t len)
{
    size_t prefix_len = strlen(prefix);
    size_t width = (size_t)spec->width; /* parse_spec made it 0..FIELD_MAX */
    size_t padding = width > prefix_len + len ? width - (prefix_len + len) : 0;

    if (spec->zero_pad && !spec->left_align) {
        emit(out, prefix, prefix_len);
        emit_repeated(out, '0', padding);
    } else {
        if (!spec->left_align)
            emit_repeated(out, ' ', padding);
        emit(out, prefix, prefix_len);
    }
    emit(out, text, len);
    if (spec->left_align)
        emit_repeated(out, ' ', padding);
}

/*
 * Writes a number with at least min_digits digits (the precision of %d or %x, or 16 for %p).
 * As in C: a precision turns zero padding of the field off, a precision of 0 prints 0 as no
 * digits at all, and '#' makes %o start with a 0 (raising the precision if it must).
 */
static void emit_number(struct output *out, const struct spec *spec, uint64_t value, unsigned base,
                        bool upper, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buffer[32]; /* 22 digits of 2^64 in octal, or a precision of up to 32 */
    size_t start = sizeof(buffer);
    int min_digits = spec->precision < 0 ? 1 : spec->precision;
    struct spec field = *spec;
    bool leading_zero = false; /* the first digit is a 0 (there are none yet) */

    if (min_digits > (int)sizeof(buffer))
        min_digits = (int)sizeof(buffer);
    while (value || (int)(sizeof(buffer) - start) < min_digits) {
        buffer[--start] = digits[value % base];
        leading_zero = buffer[start] == '0';
        value /= base;
    }
    if (spec->alternate && base == 8 && !leading_zero)
        buffer[--start] = '0'; /* room is left: 22 digits and a 0 fit in 32 */
    if (spec->precision >= 0)
        field.zero_pad = false;
    emit_field(out, &field, prefix, buffer + start, sizeof(buffer) - start);
}

static int64_t signed_argument(va_list *args, enum length length)
{
    switch (length) {
    case LENGTH_CHAR:
        return (signed char)va_arg(*args, int);
    case LENGTH_SHORT:
        return (short)va_arg(*args, int);
    case LENGTH_LONG:
        return va_arg(*args, long);
    case LENGTH_LONG_LONG:
        return va_arg(*args, long long);
    case LENGTH_SIZE:
        /* %zd: the signed type matching size_t, which is long on x86_64. */
        return va_arg(*args, long);
    default:
        return va_arg(*args, int);
    }
}

static uint64_t unsigned_argument(va_list *args, enum length length)
{
    switch (length) {
    case LENGTH_CHAR:
        return (unsigned char)va_arg(*args, unsigned int);
    case LENGTH_SHORT:
        return (unsigned short)va_arg(*args, unsigned int);
    case LENGTH_LONG:
        return va_arg(*args, unsigned long);
    case LENGTH_LONG_LONG:
        return va_arg(*args, unsigned long long);
    case LENGTH_SIZE:
        return va_arg(*args, size_t);
    default:
        return va_arg(*args, unsigned int);
    }
}

/* Clips n to [-FIELD_MAX, FIELD_MAX]; negating the result can then never overflow. */
static int clip_count(int n)
{
    if (n > FIELD_MAX)
        return FIELD_MAX;
    if (n < -FIELD_MAX)
        return -FIELD_MAX;
    return n;
}

/* Reads a decimal number or '*' (taken from the arguments), clipped; advances *fmt. */
static int parse_count(const char **fmt, va_list *args)
{
    int n = 0;

    if (**fmt == '*') {
        (*fmt)++;
        return clip_count(va_arg(*args, int));
    }
    while (**fmt >= '0' && **fmt <= '9') {
        if (n <= FIELD_MAX)
            n = n * 10 + (**fmt - '0');
        (*fmt)++;
    }
    return clip_count(n);
}

/* Sets the flag c names and returns true, or returns false if c is not a flag. */
static bool parse_flag(char c, struct spec *spec)
{
    if (c == '-')
        spec->left_align = true;
    else if (c == '0')
        spec->zero_pad = true;
    else if (c == '+')
        spec->plus_sign = true;
    else if (c == ' ')
        spec->space_sign = true;
    else if (c == '#')
        spec->alternate = true;
    /* ' (grouping, POSIX) and I (locale digits, glibc) change nothing in the "C" locale. */
    else if (c != '\'' && c != 'I')
        return false;
    return true;
}

/* Length modifiers, longest first so that "hh" is not read as "h". */
static const struct {
    char text[3];
    enum length length;
} lengths[] = {
    {"hh", LENGTH_CHAR}, {"ll", LENGTH_LONG_LONG}, {"h", LENGTH_SHORT}, {"l", LENGTH_LONG},
    {"z", LENGTH_SIZE},  {"t", LENGTH_LONG},       {"j", LENGTH_LONG},
};

static const char *parse_spec(const char *fmt, struct spec *spec, va_list *args)
{
    *spec = (struct spec){.precision = -1, .length = LENGTH_INT};

    while (parse_flag(*fmt, spec))
        fmt++;
    spec->width = parse_count(&fmt, args);
    if (spec->width < 0) { /* C: a negative '*' width means left alignment */
        spec->left_align = true;
        spec->width = -spec->width;
    }
    if (*fmt == '.') {
        fmt++;
        spec->precision = parse_count(&fmt, args);
        if (spec->precision < 0) /* C: a negative '*' precision counts as none */
            spec->precision = -1;
    }

    for (size_t i = 0; i < ARRAY_SIZE(lengths); i++) {
        size_t len = strlen(lengths[i].text);

        if (strncmp(fmt, lengths[i].text, len) == 0) {
            spec->length = lengths[i].length;
            return fmt + len;
        }
    }
    return fmt;
}

static void convert_signed(struct output *out, struct spec *spec, va_list *args)
{
    int64_t value = signed_argument(args, spec->length);
    /* Negate in unsigned arithmetic: -INT64_MIN does not fit in int64_t. */
    uint64_t magnitude = value < 0 ? -(uint64_t)value : (uint64_t)value;
    const char *sign = "";

    if (value < 0)
        sign = "-";
    else if (spec->plus_sign)
        sign = "+";
    else if (spec->space_sign)
        sign = " ";
    emit_number(out, spec, magnitude, 10, false, sign);
}

/*
 * A conversion kprintf does not implement. Its argument is still taken, so that the ones after
 * it stay in place, and "%!" and the conversion letter appear in the text instead of a value:
 *  - %n (store the count so far) would let a format write memory: it takes its pointer, as do
 *    %ls and %S (wide strings);
 *  - %m (glibc: the errno text) takes no argument, and nor do the floating-point conversions:
 *    the kernel is built without SSE, so no kernel code can pass a double, and the x86_64 ABI
 *    passes doubles apart from the integer arguments anyway;
 *  - any other letter (%lc and %C, a wide character, among them) takes an integer of the size
 *    its length modifier says, int without one. The x86_64 ABI gives every integer and pointer
 *    argument one 8-byte slot, so whatever was passed, the next argument is read from its place.
 */
static void convert_unknown(struct output *out, char conversion, const struct spec *spec,
                            va_list *args)
{
    if (conversion == 'n' || conversion == 's' || conversion == 'S')
        (void)va_arg(*args, void *);
    else if (!strchr("maAeEfFgG", conversion))
        (void)unsigned_argument(args, spec->length);
    emit(out, "%!", 2);
    emit(out, &conversion, 1);
}

static void convert(struct output *out, char conversion, struct spec *spec, va_list *args)
{
    switch (conversion) {
    case 'c': {
        if (spec->length != LENGTH_INT) {
            convert_unknown(out, conversion, spec, args);
            break;
        }
        char c = (char)va_arg(*args, int);
        spec->zero_pad = false;
        emit_field(out, spec, "", &c, 1);
        break;
    }
    case 's': {
        if (spec->length != LENGTH_INT) {
            convert_unknown(out, conversion, spec, args);
            break;
        }
        const char *s = va_arg(*args, const char *);
        if (!s)
            s = "(null)";
        size_t len = spec->precision >= 0 ? strnlen(s, (size_t)spec->precision) : strlen(s);
        spec->zero_pad = false;
        emit_field(out, spec, "", s, len);
        break;
    }
    case 'd':
    case 'i':
        convert_signed(out, spec, args);
        break;
    case 'u':
        emit_number(out, spec, unsigned_argument(args, spec->length), 10, false, "");
        break;
    case 'o':
        emit_number(out, spec, unsigned_argument(args, spec->length), 8, false, "");
        break;
    case 'x':
    case 'X': {
        uint64_t value = unsigned_argument(args, spec->length);
        /* C: '#' puts 0x before a non-zero value only. */
        const char *prefix = spec->alternate && value ? (conversion == 'X' ? "0X" : "0x") : "";
        emit_number(out, spec, value, 16, conversion == 'X', prefix);
        break;
    }
    case 'p':
        /* Always all 16 digits: kernel addresses line up in columns that way. */
        spec->precision = 16;
        emit_number(out, spec, (uintptr_t)va_arg(*args, void *), 16, false, "0x");
        break;
    case '%':
        emit(out, "%", 1);
        break;
    default:
        convert_unknown(out, conversion, spec, args);
        break;
    }
}

size_t kvformat(format_sink sink, void *ctx, const char *fmt, va_list args)
{
    struct output out = {.sink = sink, .ctx = ctx};
    va_list ap;

    /* A copy, so that helpers can take a pointer to it (a va_list parameter may be an array). */
    va_copy(ap, args);
    while (*fmt) {
        const char *literal = fmt;
        while (*fmt && *fmt != '%')
            fmt++;
        emit(&out, literal, (size_t)(fmt - literal));
        if (!*fmt)
            break;

        struct spec spec;
        fmt = parse_spec(fmt + 1, &spec, &ap);
        if (!*fmt) { /* a lone '%' at the end */
            emit(&out, "%", 1);
            break;
        }
        convert(&out, *fmt++, &spec, &ap);
    }
    va_end(ap);
    return out.count;
}

struct buffer {
    char *data;
    size_t size;
    size_t used;
};

static void buffer_sink(void *ctx, const char *text, size_t len)
{
    struct buffer *buf = ctx;

    /* Keep one byte for the terminating NUL; drop what does not fit. */
    for (size_t i = 0; i < len && buf->used + 1 < buf->size; i++)
        buf->data[buf->used++] = text[i];
}

size_t kvsnprintf(char *data, size_t size, const char *fmt, va_list args)
{
    struct buffer buf = {.data = data, .size = size};
    size_t wanted = kvformat(buffer_sink, &buf, fmt, args);

    if (size > 0)
        data[buf.used] = '\0';
    return wanted;
}

size_t ksnprintf(char *data, size_t size, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    size_t wanted = kvsnprintf(data, size, fmt, args);
    va_end(args);
    return wanted;
}

static void console_sink(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    console_write(text, len);
}

size_t kvprintf(const char *fmt, va_list args)
{
    console_lock();
    size_t count = kvformat(console_sink, NULL, fmt, args);
    console_unlock();
    return count;
}

size_t kprintf(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    size_t count = kvprintf(fmt, args);
    va_end(args);
    return count;
}
