/* static: the web app's files under `--web DIR` (a Vite build): sent with sendfile by MHD,
 * hashed /assets/ files cached for a year, everything else revalidated by ETag, and
 * index.html for any other non-API path so the app's own router can take it. Without --web,
 * GET / answers a small JSON that points at the API. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/log.h"
#include "base/xmalloc.h"
#include "http/internal.h"

struct fk_static {
	int dirfd;
};

int fk_static_open(const char *dir, struct fk_static **out, struct fk_err *err)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	*out = NULL;
	if (fd < 0)
		return fk_err_set(err, FK_EINVAL, "bad_web_dir", "web", "无法打开网页目录 %s：%s",
				  "cannot open the web directory %s: %s", dir, strerror(errno));
	if (fstatat(fd, "index.html", &st, 0) < 0)
		fk_warn("http web=%s has no index.html", dir);
	*out = fk_xcalloc(1, sizeof(**out));
	(*out)->dirfd = fd;
	return 0;
}

void fk_static_close(struct fk_static *st)
{
	if (!st)
		return;
	close(st->dirfd);
	free(st);
}

static const char *content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {"html", "text/html; charset=utf-8"},
	    {"js", "text/javascript; charset=utf-8"},
	    {"mjs", "text/javascript; charset=utf-8"},
	    {"css", "text/css; charset=utf-8"},
	    {"json", "application/json; charset=utf-8"},
	    {"map", "application/json; charset=utf-8"},
	    {"webmanifest", "application/manifest+json"},
	    {"svg", "image/svg+xml"},
	    {"png", "image/png"},
	    {"jpg", "image/jpeg"},
	    {"jpeg", "image/jpeg"},
	    {"gif", "image/gif"},
	    {"webp", "image/webp"},
	    {"ico", "image/x-icon"},
	    {"woff", "font/woff"},
	    {"woff2", "font/woff2"},
	    {"ttf", "font/ttf"},
	    {"txt", "text/plain; charset=utf-8"},
	    {"xml", "application/xml"},
	    {"wasm", "application/wasm"},
	    {"pdf", "application/pdf"},
	    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	    {"csv", "text/csv; charset=utf-8"},
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Only plain segments: no "..", no hidden files, no backslashes. */
static bool safe_path(const char *rel)
{
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || p[0] == '.' || memchr(p, '\\', n))
			return false;
		p += n + (p[n] == '/');
	}
	return true;
}

/* Vite names a built asset "name-HASH.ext" with an 8-character base64url hash; requiring a
 * digit or capital in it keeps "my-component.js" from looking hashed. */
static bool hashed_name(const char *rel)
{
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	const char *dot = strrchr(base, '.');
	bool mixed = false;

	if (strncmp(rel, "assets/", 7) != 0 || !dot || dot - base < 10)
		return false;
	for (const char *p = dot - 8; p < dot; p++) {
		if (!(*p == '_' || *p == '-' || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
		mixed |= (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
	}
	return mixed && memchr(base, '-', (size_t)(dot - 8 - base)) != NULL;
}

static bool etag_matches(const char *inm, const char *etag)
{
	return inm && (strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL);
}

/* 1 = sent (or 304), 0 = no such regular file. */
static int send_file(struct fk_req *req, struct fk_resp *resp, int dirfd, const char *rel)
{
	struct fk_exchange *x = fk_exchange_of(req);
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	char *etag;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	etag = fk_arena_printf(req->arena, "\"%" PRIx64 "-%" PRIx64 "\"", (uint64_t)st.st_size,
			       (uint64_t)st.st_mtim.tv_sec * 1000000000u +
				   (uint64_t)st.st_mtim.tv_nsec);
	fk_resp_header(resp, "ETag", etag);
	fk_resp_header(resp, "Content-Security-Policy", FK_CSP_APP);
	fk_resp_header(resp, "Cache-Control",
		       hashed_name(rel) ? "public, max-age=31536000, immutable" : "no-cache");
	if (etag_matches(fk_req_header(req, "If-None-Match"), etag)) {
		close(fd);
		resp->status = 304;
		return 1;
	}
	x->file_fd = fd;
	x->file_size = (uint64_t)st.st_size;
	resp->content_type = content_type(rel);
	resp->status = 200;
	return 1;
}

static int root_json(struct fk_req *req, struct fk_resp *resp)
{
	const char *version = fk_exchange_of(req)->srv->version;

	fk_resp_json(resp, 200,
		     json_pack("{s:s, s:s, s:s}", "name", "fangkong", "version",
			       version ? version : "", "api", "/api/v1"));
	return 0;
}

static int not_found(struct fk_req *req, struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "no_route", NULL, "没有这个地址：%s %s",
			  "no such route: %s %s", req->method, req->path);
}

int fk_static_handler(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_static *st = fk_exchange_of(req)->srv->web;
	const char *rel = req->path + 1;
	const char *base;

	if (!st)
		return strcmp(req->path, "/") == 0 ? root_json(req, resp) : not_found(req, err);
	if (!*rel)
		rel = "index.html";
	if (!safe_path(rel))
		return not_found(req, err);
	if (send_file(req, resp, st->dirfd, rel))
		return 0;
	/* A missing file that looks like one stays a 404; anything else is a page of the app. */
	base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	if (strncmp(rel, "assets/", 7) == 0 || strchr(base, '.'))
		return not_found(req, err);
	if (send_file(req, resp, st->dirfd, "index.html"))
		return 0;
	return not_found(req, err);
}
