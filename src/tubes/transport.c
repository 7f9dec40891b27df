/* transport: boxes that carry closed tubes from a site to the lab (SPEC §3 transport). A box
 * is opened at a site for a round, filled with closed tubes, sealed, handed over to a courier
 * and received by the lab; each step keeps its time and who did it, so the chain of custody
 * of every tube can be read back. Receipt makes every tube in the box "received", which is
 * what the lab needs before it may record a result.
 *
 * A box's site comes through testing.h (fk_testing_site_desk); only the box list joins
 * testing's sites and site_registrars, to filter by scope and registrar in SQL. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "tubes/internal.h"

#define BOX_COLS                                                                                   \
	"b.id, b.round_id, b.site_id, b.created_by, b.sealed_by, b.handed_by, b.received_by, "     \
	"b.code, b.status, b.n, b.created_at, b.sealed_at, b.handed_at, b.received_at, "           \
	"b.handed_to"
#define BOX_NCOLS 15

/* The box list's site columns: a list filters by the site's path and registrars in SQL. */
#define BOX_SITE_COLS                                                                              \
	", s.area_path, (SELECT COUNT(*) FROM site_registrars sr "                                 \
	"WHERE sr.site_id = b.site_id AND sr.user_id = ?)"

static void box_row(struct fk_q *q, struct tb_box *b)
{
	memset(b, 0, sizeof(*b));
	b->id = fk_q_i64(q, 0);
	b->round_id = fk_q_i64(q, 1);
	b->site_id = fk_q_i64(q, 2);
	b->created_by = fk_q_i64(q, 3);
	b->sealed_by = fk_q_i64(q, 4);
	b->handed_by = fk_q_i64(q, 5);
	b->received_by = fk_q_i64(q, 6);
	fk_copy_text(b->code, sizeof(b->code), fk_q_text(q, 7));
	fk_copy_text(b->status, sizeof(b->status), fk_q_text(q, 8));
	b->n = (int)fk_q_i64(q, 9);
	b->created_at = fk_q_i64(q, 10);
	b->sealed_at = fk_q_i64(q, 11);
	b->handed_at = fk_q_i64(q, 12);
	b->received_at = fk_q_i64(q, 13);
	fk_copy_text(b->handed_to, sizeof(b->handed_to), fk_q_text(q, 14));
}

/* The box's site, as the testing module gives it to a desk. */
static int box_site(struct fk_db *db, const struct fk_principal *who, struct tb_box *b,
		    struct fk_err *err)
{
	struct fk_site_desk s;
	int rc = fk_testing_site_desk(db, b->site_id, who ? who->user_id : 0, &s, err);

	if (rc < 0)
		return rc;
	fk_copy_text(b->site_path, sizeof(b->site_path), s.path);
	b->bound = s.bound;
	return 0;
}

static int unknown_box(const char *code, struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "unknown_box", "code", "转运箱 %.40s 不存在",
			  "there is no box %.40s", code);
}

static int box_read(struct fk_db *db, const struct fk_principal *who, const char *code,
		    struct tb_box *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " BOX_COLS " FROM boxes b WHERE b.code = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, code);
	rc = fk_q_step(q, err);
	if (rc > 0)
		box_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc == 0 ? unknown_box(code, err) : box_site(db, who, out, err);
}

int tb_box_get(struct fk_db *db, const struct fk_principal *who, const char *code,
	       struct tb_box *out, struct fk_err *err)
{
	int rc = tb_code_check(code, "code", err);

	if (rc == 0)
		rc = box_read(db, who, code, out, err);
	if (rc == 0)
		rc = tb_site_access(who, out->bound, out->site_path);
	return rc == FK_ENOTFOUND ? unknown_box(code, err) : rc;
}

static bool box_is(const struct tb_box *b, const char *status)
{
	return strcmp(b->status, status) == 0;
}

static int box_state(const struct tb_box *b, const char *key, const char *zh, const char *en,
		     struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, key, "code", "转运箱 %s %s%.0s（状态：%s）",
			  "box %s %.0s%s (status: %s)", b->code, zh, en, b->status);
}

/* ---- opening and filling ---- */

int tb_box_create(struct fk_db *db, const struct fk_principal *who, const char *code,
		  int64_t round_id, int64_t site_id, struct tb_box *out, bool *created,
		  struct fk_err *err)
{
	struct fk_round r;
	struct fk_site_desk s;
	int64_t known = 0, rc = tb_code_check(code, "code", err);

	*created = false;

	if (rc == 0)
		rc = fk_round_get(db, round_id, &r, err);
	if (rc == 0)
		rc = tb_site_read(db, who, site_id, &s, err);
	if (rc == 0 && r.status == FK_ROUND_PLANNED)
		rc = fk_err_set(err, FK_EUNPROC, "round_not_open", "round_id",
				"本轮检测尚未开始采样", "the round is not open for sampling yet");
	if (rc == 0)
		rc = fk_db_one_i64(db, err, &known, "SELECT id FROM boxes WHERE code = ?", "t",
				   code);
	if (rc < 0)
		return (int)rc;
	if (rc > 0) {
		rc = tb_box_get(db, who, code, out, err);
		if (rc == 0 &&
		    (out->round_id != round_id || out->site_id != site_id || !box_is(out, "open")))
			rc = fk_err_set(err, FK_ECONFLICT, "box_code_taken", "code",
					"箱码 %s 已被另一个转运箱使用",
					"box code %s is already used by another box", code);
		return (int)rc;
	}
	rc = fk_db_run(db, err,
		       "INSERT INTO boxes (id, code, round_id, site_id, status, n, created_by, "
		       "created_at) VALUES (?, ?, ?, ?, 'open', 0, ?, ?)",
		       "itiiii", fk_id_next(), code, round_id, site_id, who->user_id, fk_now_ms());
	*created = rc > 0;
	return rc < 0 ? (int)rc : tb_box_get(db, who, code, out, err);
}

static int tube_fits(const struct tb_box *b, const struct tb_tube *t, struct fk_err *err)
{
	if (t->round_id != b->round_id)
		return fk_err_set(err, FK_EUNPROC, "wrong_round", "tube_code",
				  "试管 %s 不属于此转运箱的检测轮次",
				  "tube %s belongs to another round than the box", t->code);
	if (strcmp(t->status, "closed") == 0)
		return 0;
	if (strcmp(t->status, "open") == 0)
		return fk_err_set(err, FK_ECONFLICT, "tube_not_closed", "tube_code",
				  "试管 %s 尚未封管", "tube %s is not closed yet", t->code);
	if (strcmp(t->status, "voided") == 0)
		return fk_err_set(err, FK_ECONFLICT, "tube_voided", "tube_code", "试管 %s 已作废",
				  "tube %s has been voided", t->code);
	return fk_err_set(err, FK_ECONFLICT, "tube_in_box", "tube_code", "试管 %s 已在转运箱 %s 中",
			  "tube %s is already in box %s", t->code, t->box_code);
}

int tb_box_add(struct fk_db *db, const struct fk_principal *who, const char *box_code,
	       const char *tube_code, struct tb_box *out, struct fk_err *err)
{
	struct tb_tube t;
	int64_t rc = tb_box_get(db, who, box_code, out, err);

	if (rc < 0)
		return (int)rc;
	if (!box_is(out, "open"))
		return box_state(out, "box_not_open", "已封箱", "is sealed", err);
	rc = tb_code_check(tube_code, "tube_code", err);
	if (rc == 0)
		rc = tb_tube_read(db, who, tube_code, &t, err);
	if (rc == 0)
		rc = tb_site_access(who, t.bound, t.site_path);
	if (rc == FK_ENOTFOUND)
		return tb_unknown_tube(tube_code, "tube_code", err);
	if (rc == 0)
		rc = tube_fits(out, &t, err);
	if (rc == 0)
		rc = fk_db_run(db, err,
			       "UPDATE tubes SET status = 'boxed', box_id = ?, boxed_at = ? "
			       "WHERE id = ? AND status = 'closed'",
			       "iii", out->id, fk_now_ms(), t.id);
	if (rc >= 0)
		rc = fk_db_run(db, err, "UPDATE boxes SET n = n + 1 WHERE id = ?", "i", out->id);
	return rc < 0 ? (int)rc : tb_box_get(db, who, box_code, out, err);
}

/* ---- the chain of custody ---- */

int tb_box_seal(struct fk_db *db, const struct fk_principal *who, const char *code,
		struct tb_box *out, struct fk_err *err)
{
	int64_t rc = tb_box_get(db, who, code, out, err);

	if (rc < 0 || box_is(out, "sealed"))
		return (int)rc;
	if (!box_is(out, "open"))
		return box_state(out, "box_not_open", "已交接", "was handed over", err);
	if (out->n == 0)
		return fk_err_set(err, FK_EUNPROC, "box_empty", "code", "转运箱 %s 是空的",
				  "box %s is empty", code);
	rc = fk_db_run(db, err,
		       "UPDATE boxes SET status = 'sealed', sealed_at = ?, sealed_by = ? "
		       "WHERE id = ? AND status = 'open'",
		       "iii", fk_now_ms(), who->user_id, out->id);
	return rc < 0 ? (int)rc : tb_box_get(db, who, code, out, err);
}

static int courier_check(const char *to, char *out, size_t size, struct fk_err *err)
{
	snprintf(out, size, "%s", to ? to : "");
	fk_utf8_trim(out);
	if (!out[0] || strlen(to) >= size || fk_utf8_chars(out) > 50)
		return fk_err_set(err, FK_EINVAL, "invalid_courier", "to",
				  "请填写接收人（转运人员姓名或单位，最多 50 字）",
				  "give the courier who takes the box (a name, at most 50 "
				  "characters)");
	return 0;
}

int tb_box_handover(struct fk_db *db, const struct fk_principal *who, const char *code,
		    const char *to, struct tb_box *out, struct fk_err *err)
{
	char courier[sizeof(out->handed_to)];
	int64_t rc = courier_check(to, courier, sizeof(courier), err);

	if (rc == 0)
		rc = tb_box_get(db, who, code, out, err);
	if (rc < 0 || (box_is(out, "handed") && strcmp(out->handed_to, courier) == 0))
		return (int)rc;
	if (!box_is(out, "sealed"))
		return box_state(out, "box_not_sealed", "不是待交接的封箱状态",
				 "is not sealed and waiting for hand-over", err);
	rc = fk_db_run(db, err,
		       "UPDATE boxes SET status = 'handed', handed_at = ?, handed_by = ?, "
		       "handed_to = ? WHERE id = ? AND status = 'sealed'",
		       "iiti", fk_now_ms(), who->user_id, courier, out->id);
	return rc < 0 ? (int)rc : tb_box_get(db, who, code, out, err);
}

int tb_box_receive(struct fk_db *db, const struct fk_principal *who, const char *code,
		   struct tb_box *out, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	int64_t rc = tb_box_get(db, who, code, out, err);

	if (rc < 0 || box_is(out, "received"))
		return (int)rc;
	if (!box_is(out, "handed"))
		return box_state(out, "box_not_handed", "尚未交接转运", "was not handed over", err);
	rc = fk_db_run(db, err,
		       "UPDATE boxes SET status = 'received', received_at = ?, received_by = ? "
		       "WHERE id = ? AND status = 'handed'",
		       "iii", now, who->user_id, out->id);
	if (rc >= 0)
		rc = fk_db_run(db, err,
			       "UPDATE tubes SET status = 'received', received_at = ? "
			       "WHERE box_id = ? AND status = 'boxed'",
			       "ii", now, out->id);
	return rc < 0 ? (int)rc : tb_box_get(db, who, code, out, err);
}

/* ---- reading ---- */

static void box_tube_row(struct fk_q *q, void *rec)
{
	struct tb_box_tube *t = rec;

	fk_copy_text(t->code, sizeof(t->code), fk_q_text(q, 0));
	fk_copy_text(t->status, sizeof(t->status), fk_q_text(q, 1));
	fk_copy_text(t->result, sizeof(t->result), fk_q_text(q, 2));
	t->n = (int)fk_q_i64(q, 3);
}

int tb_box_tubes(struct fk_db *db, int64_t box_id, struct tb_box_tube **out, int *n,
		 struct fk_err *err)
{
	struct fk_q *q;
	void *rows;
	int rc = fk_db_query(db, &q,
			     "SELECT code, status, result, n FROM tubes WHERE box_id = ? "
			     "ORDER BY boxed_at, id",
			     err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, box_id);
	rc = fk_q_collect(q, sizeof(**out), box_tube_row, &rows, n, err);
	*out = rows;
	return rc;
}

static void list_row(struct fk_q *q, struct tb_box *b)
{
	box_row(q, b);
	fk_copy_text(b->site_path, sizeof(b->site_path), fk_q_text(q, BOX_NCOLS));
	b->bound = fk_q_i64(q, BOX_NCOLS + 1) > 0;
}

/* Boxes at sites in who's scope; a registrar's only at the sites it is bound to. */
static void list_sql(const struct fk_principal *who, int64_t round_id, const char *status,
		     struct fk_buf *sql)
{
	fk_buf_puts(sql, "SELECT " BOX_COLS BOX_SITE_COLS
			 " FROM boxes b JOIN sites s ON s.id = b.site_id WHERE ");
	fk_scope_sql(who, "s.area_path", sql);
	if (who->role == FK_ROLE_REGISTRAR)
		fk_buf_puts(sql, " AND EXISTS (SELECT 1 FROM site_registrars r "
				 "WHERE r.site_id = b.site_id AND r.user_id = ?)");
	if (round_id > 0)
		fk_buf_puts(sql, " AND b.round_id = ?");
	if (status && *status)
		fk_buf_puts(sql, " AND b.status = ?");
	fk_buf_puts(sql, " ORDER BY b.created_at DESC, b.id DESC LIMIT ?");
}

int tb_box_list(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		const char *status, int limit, struct tb_box **out, int *n, struct fk_err *err)
{
	struct fk_buf sql;
	struct fk_q *q;
	int i, rc;

	*out = NULL;
	*n = 0;
	fk_buf_init(&sql, FK_BUF_SQL_MAX);
	list_sql(who, round_id, status, &sql);
	rc = fk_db_query(db, &q, sql.data, err);
	fk_buf_release(&sql);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, who->user_id);
	i = fk_scope_bind(who, q, 2);
	if (who->role == FK_ROLE_REGISTRAR)
		fk_q_bind_i64(q, i++, who->user_id);
	if (round_id > 0)
		fk_q_bind_i64(q, i++, round_id);
	if (status && *status)
		fk_q_bind_text(q, i++, status);
	fk_q_bind_i64(q, i, limit);
	*out = fk_xcalloc((size_t)limit, sizeof(**out));
	while (*n < limit && (rc = fk_q_step(q, err)) > 0)
		list_row(q, &(*out)[(*n)++]);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
