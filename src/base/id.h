/* id: application-generated 64-bit ids, the same scheme on every store:
 * 41 bits of milliseconds since 2024-01-01 UTC | 10 bits node | 12 bits sequence.
 * Always positive as a signed 64-bit number; increasing within one process. Thread-safe.
 * JSON carries them as decimal strings. */
#ifndef FK_ID_H
#define FK_ID_H
#include <stdint.h>
#include <stdbool.h>

#define FK_ID_EPOCH_MS 1704067200000LL

void fk_id_set_node(unsigned node); /* 0..1023, default 0 (commands: --node / FANGKONG_NODE) */
/* Next id. If the wall clock steps back, ids continue from the last millisecond used; when
 * 4096 ids are used up in one millisecond it waits for the next (or, with the clock far behind,
 * takes the next millisecond ahead of the clock). FANGKONG_NODE is read on first use. */
int64_t fk_id_next(void);
/* Parses a decimal id string; returns false on anything but the canonical decimal form of
 * 1..INT64_MAX (digits only, no sign, no leading zero, no spaces); *out untouched then. */
bool fk_id_parse(const char *s, int64_t *out);
/* Writes the decimal form into out (at least 21 bytes); returns out. */
char *fk_id_format(int64_t id, char out[24]);

#endif
