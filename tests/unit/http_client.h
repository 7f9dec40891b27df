/* http_client: a plain HTTP/1.1 client over a loopback socket for the unit tests that start
 * a real server (test_router, test_keyed): one request per connection, the whole reply read.
 * Header-only (static functions); include after cmocka.h. */
#ifndef FK_TEST_HTTP_CLIENT_H
#define FK_TEST_HTTP_CLIENT_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

struct reply {
	int status;
	char raw[65536];
	const char *body;
};

static inline int connect_to(uint16_t port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static inline void send_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		assert_true(n > 0);
		p += n;
		len -= (size_t)n;
	}
}

static inline void parse_reply(struct reply *r, size_t len)
{
	char *end;

	r->raw[len] = '\0';
	assert_int_equal(strncmp(r->raw, "HTTP/1.1 ", 9), 0);
	r->status = (int)strtol(r->raw + 9, NULL, 10);
	end = strstr(r->raw, "\r\n\r\n");
	assert_non_null(end);
	end[2] = '\0'; /* headers end with one "\r\n" */
	r->body = end + 4;
}

/* Sends text on a new connection (which it asks to close) and reads the whole reply. */
static inline void exchange(uint16_t port, const char *text, size_t len, struct reply *r)
{
	int fd = connect_to(port);
	size_t got = 0;
	ssize_t n;

	send_all(fd, text, len);
	while ((n = read(fd, r->raw + got, sizeof(r->raw) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	parse_reply(r, got);
}

static inline void request(uint16_t port, const char *method, const char *path, const char *headers,
			   const char *body, struct reply *r)
{
	char text[8192];
	int n;

	if (body)
		n = snprintf(text, sizeof(text),
			     "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s"
			     "Content-Length: %zu\r\n\r\n%s",
			     method, path, headers ? headers : "", strlen(body), body);
	else
		n = snprintf(text, sizeof(text),
			     "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s\r\n", method,
			     path, headers ? headers : "");
	assert_true(n > 0 && (size_t)n < sizeof(text));
	exchange(port, text, (size_t)n, r);
}

/* The value of a reply header, copied into buf ("" if absent). */
static inline const char *header(const struct reply *r, const char *name, char *buf, size_t size)
{
	char needle[128];
	const char *p;

	snprintf(needle, sizeof(needle), "\r\n%s: ", name);
	buf[0] = '\0';
	for (p = r->raw; *p; p++)
		if (strncasecmp(p, needle, strlen(needle)) == 0) {
			p += strlen(needle);
			snprintf(buf, size, "%.*s", (int)strcspn(p, "\r"), p);
			break;
		}
	return buf;
}

#endif
