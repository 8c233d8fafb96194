/* The error status register's bits in words (lapic_esr.h). */
#include "arch/x86_64/apic/lapic_esr.h"

#include "kernel/compiler.h"
#include "kernel/kprintf.h"

static const char *const names[] = {
    "send checksum error",     "receive checksum error",   "send accept error",
    "receive accept error",    "redirectable IPI",         "send illegal vector",
    "received illegal vector", "illegal register address",
};

_Static_assert(ARRAY_SIZE(names) == 8, "one name per bit of LAPIC_ESR_KNOWN");

struct text {
    char *data;
    size_t size;
    size_t length; /* of the whole description so far, even past size */
};

/* Where the next piece goes, and how much room it has (none once the text is full). */
static char *rest(const struct text *text, size_t *room)
{
    if (text->length >= text->size) {
        *room = 0;
        return NULL;
    }
    *room = text->size - text->length;
    return text->data + text->length;
}

static const char *separator(const struct text *text)
{
    return text->length ? ", " : "";
}

size_t lapic_esr_describe(uint32_t esr, char *data, size_t size)
{
    struct text text = {.data = data, .size = size};
    size_t room;
    char *at;

    if (size)
        data[0] = '\0';
    for (unsigned bit = 0; bit < ARRAY_SIZE(names); bit++) {
        if (!(esr & (1u << bit)))
            continue;
        at = rest(&text, &room);
        text.length += ksnprintf(at, room, "%s%s", separator(&text), names[bit]);
    }
    if (esr & ~LAPIC_ESR_KNOWN) {
        at = rest(&text, &room);
        text.length +=
            ksnprintf(at, room, "%sreserved bits 0x%x", separator(&text), esr & ~LAPIC_ESR_KNOWN);
    }
    if (esr == 0) {
        at = rest(&text, &room);
        text.length += ksnprintf(at, room, "no error");
    }
    return text.length;
}
