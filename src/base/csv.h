/* csv: reads CSV files as Excel writes them (RFC 4180 quoting via libcsv), in UTF-8 with or
 * without BOM, or GBK/GB18030 (converted with iconv). The encoding is detected (valid UTF-8,
 * else GB18030) or given. Each record is handed to a callback with its 1-based line number
 * (the physical line it starts on) and its fields as NUL-terminated UTF-8 strings.
 * A broken quote or a byte sequence invalid in the encoding fails with FK_EINVAL naming the
 * line; records already handed to the callback stay handed (the caller decides what to keep).
 * Error keys (all FK_EINVAL, err->line set): "csv_encoding" (bad bytes, or a NUL byte, on that
 * line), "csv_quote" (unbalanced quotes in the record starting on that line), "csv_too_big"
 * (more than FK_CSV_MAX_FIELDS fields or a field over FK_CSV_MAX_FIELD bytes). */
#ifndef FK_CSV_H
#define FK_CSV_H
#include <stddef.h>
#include "base/err.h"

enum fk_csv_enc { FK_ENC_AUTO = 0, FK_ENC_UTF8, FK_ENC_GB18030 };

/* "auto" (or NULL/""), "utf-8"/"utf8", "gbk"/"gb2312"/"gb18030"/"cp936" (any case) -> enc;
 * -1 if unknown. fk_csv_enc_name gives "auto", "utf-8" or "gb18030". */
int fk_csv_enc_parse(const char *s);
const char *fk_csv_enc_name(enum fk_csv_enc enc);

/* Return 0 to go on, non-zero to stop (that value is returned by fk_csv_parse). fields and the
 * strings they point to belong to the parser and are valid only during the call; the strings
 * may be modified in place. */
typedef int (*fk_csv_row_fn)(void *ctx, long line, char **fields, size_t nfields);

#define FK_CSV_MAX_FIELDS 256
#define FK_CSV_MAX_FIELD  65536

/* Parses a whole file held in memory. *enc_used (if not NULL) receives the encoding read
 * (FK_ENC_UTF8 or FK_ENC_GB18030; set before parsing, so also on a parse error). A leading BOM
 * is dropped. Blank lines and rows whose every field is empty (",,,") are skipped. Every field,
 * quoted or not, is trimmed of ASCII spaces/tabs and U+3000 at both ends. */
int fk_csv_parse(const char *data, size_t len, enum fk_csv_enc enc, fk_csv_row_fn fn, void *ctx,
		 enum fk_csv_enc *enc_used, struct fk_err *err);

/* Reads path into memory (at most max_bytes, which must be > 0) and parses it; errors name the
 * file: "csv_file" (FK_EINVAL, cannot read), "file_too_big" (FK_ETOOBIG). */
int fk_csv_parse_file(const char *path, size_t max_bytes, enum fk_csv_enc enc, fk_csv_row_fn fn,
		      void *ctx, enum fk_csv_enc *enc_used, struct fk_err *err);

/* Appends one field for writing CSV (RFC 4180) to b, quoted when it holds a comma, quote, CR,
 * LF or surrounding spaces; NULL writes an empty field. The caller adds the commas and "\r\n".
 * On failure (FK_ETOOBIG) b is left as it was. */
struct fk_buf;
int fk_csv_put_field(struct fk_buf *b, const char *s);

#endif
