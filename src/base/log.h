/* log: one line per event, key=value, to stderr. Values with spaces are quoted by the caller's
 * format (msg="two words"). Thread-safe (one write(2) per line; lines over 4 KiB are cut).
 * The threshold is read from FANGKONG_LOG_LEVEL (debug/info/warn/error, default info) on first
 * use; fk_log_set_level overrides it. */
#ifndef FK_LOG_H
#define FK_LOG_H

enum fk_log_level { FK_LOG_DEBUG, FK_LOG_INFO, FK_LOG_WARN, FK_LOG_ERROR };

void fk_log_set_level(enum fk_log_level level);
/* Writes "ts=... level=... " then the formatted text and a newline. */
void fk_log(enum fk_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define fk_info(...)  fk_log(FK_LOG_INFO, __VA_ARGS__)
#define fk_warn(...)  fk_log(FK_LOG_WARN, __VA_ARGS__)
#define fk_error(...) fk_log(FK_LOG_ERROR, __VA_ARGS__)
#define fk_debug(...) fk_log(FK_LOG_DEBUG, __VA_ARGS__)

/* A broken invariant: logs file:line and aborts. */
#define FK_BUG(msg) fk_bug(__FILE__, __LINE__, (msg))
_Noreturn void fk_bug(const char *file, int line, const char *msg);

#endif
