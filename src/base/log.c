/* log: key=value lines to stderr, each written with one write(2) so lines from different
 * threads never interleave. The threshold is info until fk_log_set_level (the commands set it
 * from --log-level or FANGKONG_LOG_LEVEL, through serve's settings table). */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/log.h"

#define LOG_LINE_MAX 4096

static atomic_int log_level = FK_LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void fk_log_set_level(enum fk_log_level level)
{
	atomic_store(&log_level, (int)level);
}

static void write_all(const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDERR_FILENO, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void log_vwrite(enum fk_log_level level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX], ts[32];
	int n, m;

	if ((unsigned)level > FK_LOG_ERROR)
		level = FK_LOG_ERROR;
	n = snprintf(line, sizeof(line), "ts=%s level=%s ", fk_iso8601(fk_now_ms(), ts),
		     level_names[level]);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2; /* truncated: still one whole line */
	line[n++] = '\n';
	write_all(line, (size_t)n);
}

void fk_log(enum fk_log_level level, const char *fmt, ...)
{
	va_list ap;

	if ((int)level < atomic_load(&log_level))
		return;
	va_start(ap, fmt);
	log_vwrite(level, fmt, ap);
	va_end(ap);
}

_Noreturn void fk_bug(const char *file, int line, const char *msg)
{
	fk_log(FK_LOG_ERROR, "msg=\"BUG\" file=%s line=%d what=\"%s\"", file, line, msg);
	abort();
}
