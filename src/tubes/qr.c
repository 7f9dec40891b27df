/* qr: residents' personal sampling codes and the QR images of codes and tube labels.
 *
 * A sampling code is the text "FK1:<person id>:<mac>", mac the first 4 bytes (8 hex digits) of
 * HMAC-SHA256 over "FK1:<person id>" under a key kept per store (table secrets, made on first
 * use), so a code cannot be made up from a guessed id. Images come from libqrencode (error
 * correction M): SVG for screens, sheets and labels, PNG through libpng. */
#include <png.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/mask.h"
#include "base/xmalloc.h"
#include "tubes/internal.h"

#define CODE_PREFIX "FK1:"
#define MAC_HEX	    8
#define QUIET	    4 /* modules of white border the QR standard asks for */

/* ---- the per-store key and the codes ---- */

static int key_read(struct fk_db *db, unsigned char key[crypto_auth_hmacsha256_KEYBYTES],
		    struct fk_err *err)
{
	struct fk_q *q;
	size_t len = 0;
	int rc = fk_db_query(db, &q, "SELECT value FROM secrets WHERE name = 'person_code'", err);

	if (rc < 0)
		return rc;
	rc = fk_q_step(q, err);
	if (rc > 0 && sodium_hex2bin(key, crypto_auth_hmacsha256_KEYBYTES, fk_q_text(q, 0),
				     strlen(fk_q_text(q, 0)), NULL, &len, NULL) != 0)
		rc = fk_err_set(err, FK_EINTERNAL, "bad_secret", NULL, "采样码密钥损坏",
				"the sampling code key is damaged");
	fk_q_done(q);
	return rc;
}

static int code_key(struct fk_db *db, unsigned char key[crypto_auth_hmacsha256_KEYBYTES],
		    struct fk_err *err)
{
	unsigned char fresh[crypto_auth_hmacsha256_KEYBYTES];
	char hex[2 * sizeof(fresh) + 1];
	int64_t rc = key_read(db, key, err);

	if (rc != 0)
		return rc > 0 ? 0 : (int)rc;
	crypto_auth_hmacsha256_keygen(fresh);
	sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
	rc = fk_db_run(db, err,
		       "INSERT INTO secrets (name, value, created_at) VALUES ('person_code', ?, ?) "
		       "ON CONFLICT (name) DO NOTHING",
		       "ti", hex, fk_now_ms());
	sodium_memzero(fresh, sizeof(fresh));
	sodium_memzero(hex, sizeof(hex));
	if (rc >= 0)
		rc = key_read(db, key, err);
	return rc > 0 ? 0 : rc == 0 ? FK_EINTERNAL : (int)rc;
}

static void code_with_key(const unsigned char *key, int64_t id, char out[TB_PERSON_CODE_MAX])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char hex[MAC_HEX + 1];
	int n = snprintf(out, TB_PERSON_CODE_MAX, CODE_PREFIX "%lld", (long long)id);

	crypto_auth_hmacsha256(mac, (const unsigned char *)out, (unsigned long long)n, key);
	sodium_bin2hex(hex, sizeof(hex), mac, MAC_HEX / 2);
	snprintf(out + n, (size_t)(TB_PERSON_CODE_MAX - n), ":%s", hex);
}

int tb_person_code(struct fk_db *db, int64_t person_id, char out[TB_PERSON_CODE_MAX],
		   struct fk_err *err)
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
	int rc = code_key(db, key, err);

	if (rc == 0)
		code_with_key(key, person_id, out);
	sodium_memzero(key, sizeof(key));
	return rc;
}

static int bad_code(struct fk_err *err)
{
	return fk_err_set(err, FK_EINVAL, "invalid_person_code", "person_code",
			  "这不是采样码（应为 FK1:编号:校验码）",
			  "this is not a sampling code (FK1:id:check)");
}

struct tb_code_key {
	pthread_mutex_t mu;
	bool known;
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
};

struct tb_code_key *tb_code_key_new(void)
{
	struct tb_code_key *k = fk_xcalloc(1, sizeof(*k));

	pthread_mutex_init(&k->mu, NULL);
	return k;
}

void tb_code_key_free(struct tb_code_key *k)
{
	if (!k)
		return;
	sodium_memzero(k->key, sizeof(k->key));
	pthread_mutex_destroy(&k->mu);
	free(k);
}

/* The key, from cache when it holds it, else from the store (and kept): 1, or 0 when the store
 * has none yet (never kept: it may be made later), or <0. */
static int key_for_parse(struct fk_db *db, struct tb_code_key *cache,
			 unsigned char key[crypto_auth_hmacsha256_KEYBYTES], struct fk_err *err)
{
	int rc;

	if (cache) {
		pthread_mutex_lock(&cache->mu);
		if (cache->known)
			memcpy(key, cache->key, sizeof(cache->key));
		rc = cache->known;
		pthread_mutex_unlock(&cache->mu);
		if (rc)
			return 1;
	}
	rc = key_read(db, key, err);
	if (rc > 0 && cache) {
		pthread_mutex_lock(&cache->mu);
		memcpy(cache->key, key, sizeof(cache->key));
		cache->known = true;
		pthread_mutex_unlock(&cache->mu);
	}
	return rc;
}

int tb_person_code_parse(struct fk_db *db, struct tb_code_key *cache, const char *code,
			 int64_t *person_id, struct fk_err *err)
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
	char id_text[24], want[TB_PERSON_CODE_MAX], got[MAC_HEX + 1];
	const char *colon, *s = code;
	size_t idlen;
	int rc;

	if (strncmp(s, CODE_PREFIX, strlen(CODE_PREFIX)) != 0)
		return bad_code(err);
	s += strlen(CODE_PREFIX);
	colon = strchr(s, ':');
	idlen = colon ? (size_t)(colon - s) : 0;
	if (idlen == 0 || idlen >= sizeof(id_text) || strlen(colon + 1) != MAC_HEX ||
	    strspn(colon + 1, "0123456789abcdefABCDEF") != MAC_HEX)
		return bad_code(err);
	memcpy(id_text, s, idlen);
	id_text[idlen] = '\0';
	if (!fk_id_parse(id_text, person_id))
		return bad_code(err);
	for (int i = 0; i < MAC_HEX; i++)
		got[i] = (char)(colon[1 + i] | 0x20); /* hex digits in lower case */
	got[MAC_HEX] = '\0';
	/* Read only: without a key no code was ever given out (and a read-only transaction
	 * could not make one). */
	rc = key_for_parse(db, cache, key, err);
	if (rc > 0)
		code_with_key(key, *person_id, want);
	sodium_memzero(key, sizeof(key));
	if (rc == 0 || (rc > 0 && sodium_memcmp(want + strlen(want) - MAC_HEX, got, MAC_HEX) != 0))
		return fk_err_set(err, FK_ENOTFOUND, "unknown_person", "person_code",
				  "采样码无效（校验码不符）", "the sampling code is not valid");
	return rc < 0 ? rc : 0;
}

/* ---- QR images ---- */

static int encode(const char *text, QRcode **out, struct fk_err *err)
{
	*out = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!*out)
		return fk_err_set(err, FK_EINVAL, "qr_failed", NULL, "无法生成二维码",
				  "the QR code could not be made");
	return 0;
}

/* One path of unit squares, each run of dark modules in a row as one rectangle. */
static void svg_path(const QRcode *qr, struct fk_buf *out)
{
	fk_buf_puts(out, "<path fill=\"#000\" d=\"");
	for (int y = 0; y < qr->width; y++) {
		for (int x = 0; x < qr->width;) {
			int run = 0;
			while (x + run < qr->width && (qr->data[y * qr->width + x + run] & 1))
				run++;
			if (run > 0)
				fk_buf_printf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run,
					      run);
			x += run > 0 ? run : 1;
		}
	}
	fk_buf_puts(out, "\"/>");
}

static void svg_body(const QRcode *qr, struct fk_buf *out)
{
	int w = qr->width + 2 * QUIET;

	fk_buf_printf(out,
		      "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
		      "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
		      w, w, w, w);
	svg_path(qr, out);
	fk_buf_puts(out, "</svg>");
}

int tb_qr_svg(const char *text, struct fk_buf *out, struct fk_err *err)
{
	QRcode *qr;
	int rc = encode(text, &qr, err);

	if (rc < 0)
		return rc;
	fk_buf_printf(out,
		      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
		      "xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" ",
		      (qr->width + 2 * QUIET) * 8, (qr->width + 2 * QUIET) * 8);
	svg_body(qr, out);
	QRcode_free(qr);
	return 0;
}

int fk_qr_svg(const char *text, struct fk_buf *out, struct fk_err *err)
{
	return tb_qr_svg(text, out, err);
}

int tb_qr_svg_at(const char *text, int x, int y, int px, struct fk_buf *out, struct fk_err *err)
{
	QRcode *qr;
	int rc = encode(text, &qr, err);

	if (rc < 0)
		return rc;
	fk_buf_printf(out, "<svg x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" ", x, y, px, px);
	svg_body(qr, out);
	QRcode_free(qr);
	return 0;
}

static void png_to_buf(png_structp png, png_bytep data, png_size_t len)
{
	fk_buf_append(png_get_io_ptr(png), data, len);
}

static void png_flush_none(png_structp png)
{
	(void)png;
}

static void png_row(const QRcode *qr, int y, int scale, unsigned char *row)
{
	int w = qr->width + 2 * QUIET;

	for (int x = 0; x < w; x++) {
		int mx = x - QUIET, my = y - QUIET;
		bool dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
			    (qr->data[my * qr->width + mx] & 1);
		memset(row + (size_t)x * (size_t)scale, dark ? 0 : 255, (size_t)scale);
	}
}

/* libpng reports errors by longjmp: nothing set after setjmp is read after it. */
static int png_write(const QRcode *qr, int scale, unsigned char *row, struct fk_buf *out)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	int w = qr->width + 2 * QUIET;

	if (!info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return FK_EINTERNAL;
	}
	png_set_write_fn(png, out, png_to_buf, png_flush_none);
	png_set_IHDR(png, info, (png_uint_32)(w * scale), (png_uint_32)(w * scale), 8,
		     PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < w; y++) {
		png_row(qr, y, scale, row);
		for (int k = 0; k < scale; k++)
			png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int tb_qr_png(const char *text, int scale, struct fk_buf *out, struct fk_err *err)
{
	QRcode *qr;
	unsigned char *row;
	int rc = encode(text, &qr, err);

	if (rc < 0)
		return rc;
	row = fk_xmalloc((size_t)(qr->width + 2 * QUIET) * (size_t)scale);
	rc = png_write(qr, scale, row, out);
	free(row);
	QRcode_free(qr);
	if (rc < 0)
		return fk_err_set(err, FK_EINTERNAL, "png_failed", NULL, "无法生成 PNG 图片",
				  "the PNG image could not be made");
	return 0;
}

int tb_tube_label(const char *code, struct fk_buf *out, struct fk_err *err)
{
	int rc;

	/* 50 x 25 mm at 0.25 mm per unit: the QR on the left, the barcode text on the right. */
	fk_buf_puts(out,
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
		    "xmlns=\"http://www.w3.org/2000/svg\" width=\"50mm\" height=\"25mm\" "
		    "viewBox=\"0 0 200 100\"><rect width=\"200\" height=\"100\" fill=\"#fff\"/>");
	rc = tb_qr_svg_at(code, 2, 2, 96, out, err);
	if (rc < 0)
		return rc;
	fk_buf_printf(out,
		      "<text x=\"102\" y=\"46\" font-family=\"monospace\" font-size=\"%d\" "
		      "font-weight=\"bold\">%s</text><text x=\"102\" y=\"70\" "
		      "font-family=\"sans-serif\" font-size=\"10\">fangkong 采样管</text></svg>",
		      strlen(code) > 12 ? 9 : 14, code);
	return 0;
}

/* ---- the printable sheet of a building ---- */

static void html_text(struct fk_buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fk_buf_puts(out, "&amp;");
			break;
		case '<':
			fk_buf_puts(out, "&lt;");
			break;
		case '>':
			fk_buf_puts(out, "&gt;");
			break;
		case '"':
			fk_buf_puts(out, "&quot;");
			break;
		case '\'':
			fk_buf_puts(out, "&#39;");
			break;
		default:
			fk_buf_putc(out, *s);
		}
	}
}

static void sheet_head(struct fk_buf *out, const struct fk_area *a, int64_t count)
{
	char when[32];

	fk_buf_puts(out,
		    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
	html_text(out, a->name);
	fk_buf_puts(out, " 采样码 Sampling codes</title><style>@page{size:A4;margin:10mm}"
			 "body{font-family:sans-serif;margin:0}h1{font-size:14pt;margin:0 0 2mm}"
			 "p{font-size:9pt;margin:0 0 4mm;color:#444}"
			 ".grid{display:grid;grid-template-columns:repeat(4,1fr);gap:3mm}"
			 ".card{border:1px dashed #999;padding:2mm;text-align:center;"
			 "break-inside:avoid}.card svg{width:36mm;height:36mm}"
			 ".n{font-size:12pt;font-weight:bold}.m{font-size:8pt;color:#333}"
			 "</style></head><body><h1>");
	html_text(out, a->name);
	fk_buf_puts(out, "（");
	html_text(out, a->code);
	fk_buf_printf(out, "）采样码 / Sampling codes</h1><p>%lld 人 people · %s</p>",
		      (long long)count, fk_iso8601(fk_now_ms(), when));
	fk_buf_puts(out, "<div class=\"grid\">");
}

static int sheet_card(const unsigned char *key, const struct fk_person *p,
		      const struct fk_principal *who, struct fk_buf *out, struct fk_err *err)
{
	char code[TB_PERSON_CODE_MAX], masked[48];
	int rc;

	code_with_key(key, p->id, code);
	fk_buf_puts(out, "<div class=\"card\">");
	rc = tb_qr_svg_at(code, 0, 0, 144, out, err);
	if (rc < 0)
		return rc;
	fk_buf_puts(out, "<div class=\"n\">");
	html_text(out, p->name);
	fk_buf_puts(out, "</div><div class=\"m\">");
	html_text(out, p->household);
	fk_buf_puts(out, " · ");
	html_text(out,
		  who->see_id ? p->id_number : fk_mask_id(p->id_number, masked, sizeof(masked)));
	fk_buf_puts(out, "</div></div>");
	return 0;
}

static int sheet_cards(struct fk_db *db, const struct fk_principal *who, int64_t area_id,
		       const unsigned char *key, struct fk_buf *out, int *count, struct fk_err *err)
{
	char cursor[600] = "";
	int rc = 0;

	do {
		struct fk_people_query f = {
		    .area_id = area_id, .limit = 500, .cursor = cursor[0] ? cursor : NULL};
		struct fk_person_list l = {0};
		rc = fk_people_search(db, who, &f, &l, err);
		for (int i = 0; rc == 0 && i < l.n && *count < TB_SHEET_MAX; i++, ++*count)
			rc = sheet_card(key, &l.items[i], who, out, err);
		snprintf(cursor, sizeof(cursor), "%s", rc == 0 ? l.next_cursor : "");
		fk_person_list_release(&l);
	} while (rc == 0 && cursor[0] && *count < TB_SHEET_MAX);
	return rc;
}

int tb_qr_sheet(struct fk_db *db, const struct fk_principal *who, int64_t area_id,
		struct fk_buf *out, int *count, struct fk_err *err)
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
	struct fk_area a = {0};
	int64_t residents = 0;
	int rc = fk_area_get_in_scope(db, who, area_id, "id", &a, err);

	*count = 0;
	if (rc == 0)
		rc = fk_area_residents_count(db, a.path, &residents, err);
	if (rc == 0 && residents > TB_SHEET_MAX)
		rc = fk_err_set(err, FK_EUNPROC, "too_many_people", "id",
				"该区域有 %lld 人，超过一张采样码表的上限 %d 人：请按楼栋打印",
				"the area holds %lld people, over the %d of one sheet: print per "
				"building",
				(long long)residents, TB_SHEET_MAX);
	if (rc == 0)
		rc = code_key(db, key, err);
	if (rc == 0) {
		sheet_head(out, &a, residents);
		rc = sheet_cards(db, who, area_id, key, out, count, err);
		fk_buf_puts(out, "</div></body></html>\n");
	}
	sodium_memzero(key, sizeof(key));
	fk_area_release(&a);
	return rc;
}

int fk_tubes_code_person(struct fk_app *app, struct fk_db *db, const char *code, int64_t *person_id,
			 struct fk_err *err)
{
	struct tb_code_key *cache = app ? fk_module_state(app, &fk_module_tubes) : NULL;

	return tb_person_code_parse(db, cache, code, person_id, err);
}
