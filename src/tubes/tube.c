/* tube: tubes and the people scanned into them (SPEC §3 registration) — open a tube by its
 * barcode, scan people in until it closes itself at the round's pool size or by hand, undo a
 * wrong scan, void a tube. One person has at most one live sample per round; the partial
 * unique index on samples backs the check made here.
 *
 * A scan is the hot path of a sampling day: a handful of prepared statements in one short
 * write transaction. The tube's row is updated first, so on PostgreSQL two scans into the
 * same tube queue on its row lock and the capacity test in the UPDATE sees the other's n. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/xmalloc.h"
#include "tubes/internal.h"

/* ---- reading tubes ---- */

int tb_code_check(const char *code, const char *field, struct fk_err *err)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0 || n > TB_CODE_MAX ||
	    strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != n)
		return fk_err_set(err, FK_EINVAL, "invalid_code", field,
				  "条码“%.40s”无效：应为 1 到 %d 位字母、数字、- 或 _",
				  "barcode \"%.40s\" is not valid: 1 to %d letters, digits, - or _",
				  code ? code : "", TB_CODE_MAX);
	return 0;
}

static int round_status_parse(const char *s)
{
	if (s && strcmp(s, "sampling") == 0)
		return FK_ROUND_SAMPLING;
	if (s && strcmp(s, "closed") == 0)
		return FK_ROUND_CLOSED;
	return FK_ROUND_PLANNED;
}

#define TUBE_SQL                                                                                   \
	"SELECT t.id, t.round_id, t.site_id, t.box_id, t.opened_by, t.code, t.status, t.result, "  \
	"t.capacity, t.n, t.opened_at, t.closed_at, t.boxed_at, t.received_at, t.resulted_at, "    \
	"t.voided_at, b.code, s.area_path, s.name, r.status, "                                     \
	"(SELECT COUNT(*) FROM site_registrars sr WHERE sr.site_id = t.site_id "                   \
	"AND sr.user_id = ?) FROM tubes t JOIN sites s ON s.id = t.site_id "                       \
	"JOIN rounds r ON r.id = t.round_id LEFT JOIN boxes b ON b.id = t.box_id "

static void tube_row(struct fk_q *q, struct tb_tube *t)
{
	memset(t, 0, sizeof(*t));
	t->id = fk_q_i64(q, 0);
	t->round_id = fk_q_i64(q, 1);
	t->site_id = fk_q_i64(q, 2);
	t->box_id = fk_q_i64(q, 3);
	t->opened_by = fk_q_i64(q, 4);
	fk_copy_text(t->code, sizeof(t->code), fk_q_text(q, 5));
	fk_copy_text(t->status, sizeof(t->status), fk_q_text(q, 6));
	fk_copy_text(t->result, sizeof(t->result), fk_q_text(q, 7));
	t->capacity = (int)fk_q_i64(q, 8);
	t->n = (int)fk_q_i64(q, 9);
	t->opened_at = fk_q_i64(q, 10);
	t->closed_at = fk_q_i64(q, 11);
	t->boxed_at = fk_q_i64(q, 12);
	t->received_at = fk_q_i64(q, 13);
	t->resulted_at = fk_q_i64(q, 14);
	t->voided_at = fk_q_i64(q, 15);
	fk_copy_text(t->box_code, sizeof(t->box_code), fk_q_text(q, 16));
	fk_copy_text(t->site_path, sizeof(t->site_path), fk_q_text(q, 17));
	fk_copy_text(t->site_name, sizeof(t->site_name), fk_q_text(q, 18));
	t->round_status = round_status_parse(fk_q_text(q, 19));
	t->bound = fk_q_i64(q, 20) > 0;
}

int tb_unknown_tube(const char *code, const char *field, struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "unknown_tube", field, "试管 %.40s 不存在",
			  "there is no tube %.40s", code);
}

static int unknown_tube(const char *code, struct fk_err *err)
{
	return tb_unknown_tube(code, "code", err);
}

int tb_tube_read(struct fk_db *db, const struct fk_principal *who, const char *code,
		 struct tb_tube *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, TUBE_SQL "WHERE t.code = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, who ? who->user_id : 0);
	fk_q_bind_text(q, 2, code);
	rc = fk_q_step(q, err);
	if (rc > 0)
		tube_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc == 0 ? unknown_tube(code, err) : 0;
}

/* A site the caller may not work at is one it cannot see, so the reply is the one for a missing
 * thing, word for word: the caller fills it in (a registrar at a site it is not bound to could
 * otherwise tell which barcodes exist elsewhere). */
int tb_site_access(const struct fk_principal *who, bool bound, const char *site_path)
{
	if (!who || !fk_scope_covers(who, site_path))
		return FK_ENOTFOUND;
	if (who->role == FK_ROLE_REGISTRAR && !bound)
		return FK_ENOTFOUND;
	return 0;
}

static int tube_access(const struct fk_principal *who, const struct tb_tube *t, struct fk_err *err)
{
	int rc = tb_site_access(who, t->bound, t->site_path);

	return rc == FK_ENOTFOUND ? unknown_tube(t->code, err) : rc;
}

/* Reads a tube the caller may work on. */
static int tube_for(struct fk_db *db, const struct fk_principal *who, const char *code,
		    struct tb_tube *t, struct fk_err *err)
{
	int rc = tb_code_check(code, "code", err);

	if (rc == 0)
		rc = tb_tube_read(db, who, code, t, err);
	if (rc == 0)
		rc = tube_access(who, t, err);
	return rc;
}

static int round_not_sampling(int status, struct fk_err *err)
{
	if (status == FK_ROUND_CLOSED)
		return fk_err_set(err, FK_EUNPROC, "round_closed", "round_id",
				  "本轮检测已结束，不能再采样",
				  "the round is closed: no more sampling");
	return fk_err_set(err, FK_EUNPROC, "round_not_open", "round_id", "本轮检测尚未开始采样",
			  "the round is not open for sampling yet");
}

/* ---- opening ---- */

int tb_site_read(struct fk_db *db, const struct fk_principal *who, int64_t site_id,
		 struct fk_site_desk *s, struct fk_err *err)
{
	int rc = fk_testing_site_desk(db, site_id, who ? who->user_id : 0, s, err);

	if (rc == 0 && tb_site_access(who, s->bound, s->path) == FK_ENOTFOUND)
		rc = fk_testing_site_not_found("site_id", err);
	return rc;
}

/* The barcode is known: the same open tube at the same site and round is given back. */
static int open_known(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		      int64_t site_id, const char *code, struct tb_tube *out, struct fk_err *err)
{
	int rc = tb_tube_read(db, who, code, out, err);

	if (rc < 0)
		return rc;
	if (out->round_id == round_id && out->site_id == site_id &&
	    strcmp(out->status, "open") == 0)
		return 0;
	return fk_err_set(
	    err, FK_ECONFLICT, "tube_code_taken", "code", "条码 %s 已被另一支试管使用（状态：%s）",
	    "barcode %s is already used by another tube (status: %s)", code, out->status);
}

static int open_insert(struct fk_db *db, const struct fk_principal *who, const struct fk_round *r,
		       int64_t site_id, const char *code, struct fk_err *err)
{
	int64_t rc =
	    fk_db_run(db, err,
		      "INSERT INTO tubes (id, round_id, code, site_id, status, capacity, n, "
		      "opened_by, opened_at) VALUES (?, ?, ?, ?, 'open', ?, 0, ?, ?)",
		      "iitiiii", fk_id_next(), r->id, code, site_id, (int64_t)r->pool_size,
		      who->user_id, fk_now_ms());

	return rc < 0 ? (int)rc : 0;
}

int tb_tube_open(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		 int64_t site_id, const char *code, struct tb_tube *out, bool *created,
		 struct fk_err *err)
{
	struct fk_round r;
	struct fk_site_desk s;
	int64_t known = 0;
	int rc = tb_code_check(code, "code", err);

	*created = false;
	if (rc == 0)
		rc = fk_round_get(db, round_id, &r, err);
	if (rc == 0)
		rc = tb_site_read(db, who, site_id, &s, err);
	if (rc < 0)
		return rc;
	if (r.status != FK_ROUND_SAMPLING)
		return round_not_sampling((int)r.status, err);
	if (!s.active)
		return fk_err_set(err, FK_EUNPROC, "site_inactive", "site_id", "该采样点已停用",
				  "the site is not active");
	rc = fk_db_one_i64(db, err, &known, "SELECT id FROM tubes WHERE code = ?", "t", code);
	if (rc > 0)
		return open_known(db, who, round_id, site_id, code, out, err);
	if (rc == 0)
		rc = open_insert(db, who, &r, site_id, code, err);
	if (rc == 0)
		rc = tb_tube_read(db, who, code, out, err);
	*created = rc == 0;
	return rc;
}

/* ---- scanning ---- */

static int tube_state_error(const struct tb_tube *t, struct fk_err *err)
{
	if (strcmp(t->status, "closed") == 0 && t->n >= t->capacity)
		return fk_err_set(err, FK_ECONFLICT, "tube_full", "code",
				  "试管 %s 已满（%d 人），请扫描新试管",
				  "tube %s is full (%d people): scan a new tube", t->code, t->n);
	if (strcmp(t->status, "voided") == 0)
		return fk_err_set(err, FK_ECONFLICT, "tube_voided", "code", "试管 %s 已作废",
				  "tube %s has been voided", t->code);
	return fk_err_set(
	    err, FK_ECONFLICT, "tube_closed", "code", "试管 %s 已封管（状态：%s），不能再加入",
	    "tube %s is closed (status: %s): nobody more can go in", t->code, t->status);
}

/* The person's live sample in the round, if any: the code of its tube into other. */
static int live_tube(struct fk_db *db, int64_t round_id, int64_t person_id, char *other,
		     size_t size, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT t.code FROM samples s JOIN tubes t ON t.id = s.tube_id "
			     "WHERE s.round_id = ? AND s.person_id = ? AND s.voided = 0",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	fk_q_bind_i64(q, 2, person_id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		fk_copy_text(other, size, fk_q_text(q, 0));
	fk_q_done(q);
	return rc;
}

/* The person has a live sample in tube other already: this tube (a second scan of the same
 * code, harmless: "already_scanned") or another one. field is set by the caller, which knows
 * how the person was named. */
static int already_in_tube(const char *name, const char *other, const char *code,
			   struct fk_err *err)
{
	if (strcmp(other, code) == 0)
		return fk_err_set(err, FK_ECONFLICT, "already_scanned", NULL, "%s 已在本试管 %s 中",
				  "%s is already in this tube (%s)", name, code);
	return fk_err_set(err, FK_ECONFLICT, "already_in_tube", NULL,
			  "%s 本轮已在试管 %s 中采样，不能再加入其他试管（除非该管作废）",
			  "%s is already in tube %s this round (unless that tube is voided)", name,
			  other);
}

/* Why a place could not be taken: the round closed or the tube filled since the check. */
static int claim_refused(struct fk_db *db, const struct fk_principal *who, struct tb_tube *t,
			 struct fk_err *err)
{
	int rc = tb_tube_read(db, who, t->code, t, err);

	if (rc == 0 && t->round_status != FK_ROUND_SAMPLING)
		return round_not_sampling(t->round_status, err);
	return rc < 0 ? rc : tube_state_error(t, err);
}

/* Takes one place in the tube, closing it when that was the last, while the round samples. */
static int claim_place(struct fk_db *db, const struct fk_principal *who, struct tb_tube *t,
		       int64_t now, struct fk_err *err)
{
	struct fk_q *q;
	int64_t rc = fk_db_run(
	    db, err,
	    "UPDATE tubes SET n = n + 1, status = CASE WHEN n + 1 >= capacity THEN 'closed' "
	    "ELSE 'open' END, closed_at = CASE WHEN n + 1 >= capacity THEN CAST(? AS BIGINT) "
	    "ELSE NULL END WHERE id = ? AND status = 'open' AND n < capacity AND EXISTS "
	    "(SELECT 1 FROM rounds r WHERE r.id = tubes.round_id AND r.status = 'sampling')",
	    "ii", now, t->id);

	if (rc < 0)
		return (int)rc;
	if (rc == 0)
		return claim_refused(db, who, t, err);
	/* Read back rather than RETURNING, which costs SQLite a temporary table per row. */
	rc = fk_db_query(db, &q, "SELECT n, status, closed_at FROM tubes WHERE id = ?", err);
	if (rc < 0)
		return (int)rc;
	fk_q_bind_i64(q, 1, t->id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		t->n = (int)fk_q_i64(q, 0);
		fk_copy_text(t->status, sizeof(t->status), fk_q_text(q, 1));
		t->closed_at = fk_q_i64(q, 2);
	}
	fk_q_done(q);
	return rc < 0 ? (int)rc : 0;
}

/* The sample, unless the person already has a live one this round (the partial unique index
 * decides, also against a twin scan running at the same time): 1 inserted, 0 not. */
static int sample_insert(struct fk_db *db, const struct fk_principal *who, const struct tb_tube *t,
			 const struct tb_person *p, int64_t now, struct fk_err *err)
{
	int64_t rc =
	    fk_db_run(db, err,
		      "INSERT INTO samples (id, round_id, tube_id, person_id, building_id, "
		      "area_path, scanned_by, scanned_at, voided) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) "
		      "ON CONFLICT (round_id, person_id) WHERE voided = 0 DO NOTHING",
		      "iiiiitii", fk_id_next(), t->round_id, t->id, p->id, p->area_id, p->area_path,
		      who->user_id, now);

	return rc < 0 ? (int)rc : rc > 0;
}

int tb_scan_check(struct fk_db *db, const struct fk_principal *who, const char *code,
		  struct tb_tube *out, struct fk_err *err)
{
	int rc = tube_for(db, who, code, out, err);

	if (rc == 0 && out->round_status != FK_ROUND_SAMPLING)
		rc = round_not_sampling(out->round_status, err);
	if (rc == 0 && strcmp(out->status, "open") != 0)
		rc = tube_state_error(out, err);
	return rc;
}

static int single_tube_required(const struct tb_person *p, bool household, struct fk_err *err)
{
	if (household)
		return fk_err_set(err, FK_EUNPROC, "single_tube_required", NULL,
				  "%s 住在封控（高风险）区：一户一管，不能与其他住户混采",
				  "%s lives in a sealed (high) zone: one tube per household, not "
				  "pooled with others",
				  p->name);
	return fk_err_set(err, FK_EUNPROC, "single_tube_required", NULL,
			  "%s 住在封控（高风险）区：须单采单检，请换一支空试管",
			  "%s lives in a sealed (high) zone: sampled alone, use an empty tube",
			  p->name);
}

/* Live samples in tube_id of people outside person_id's household (same area and room). */
static int others_in_tube(struct fk_db *db, int64_t tube_id, int64_t person_id, int64_t *n,
			  struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT COUNT(*) FROM samples s JOIN people o ON o.id = s.person_id "
			     "JOIN people me ON me.id = ? WHERE s.tube_id = ? AND s.voided = 0 "
			     "AND (o.area_id <> me.area_id OR "
			     "COALESCE(o.household, '') <> COALESCE(me.household, ''))",
			     err);

	*n = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person_id);
	fk_q_bind_i64(q, 2, tube_id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*n = fk_q_i64(q, 0);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* After the place is taken (so twin scans see each other; the caller rolls a refusal back):
 * a person of a level-3 zone goes alone into the tube, which closes at once, or only with
 * their household when the zone samples one tube per household. */
static int zone_tube(struct fk_app *app, struct fk_db *db, struct tb_tube *t,
		     const struct tb_person *p, int64_t now, struct fk_err *err)
{
	struct fk_zone_rule z;
	int64_t others = 0;
	int rc = fk_zone_of(app, db, p->area_path, &z, err);

	if (rc < 0 || !z.single_tube)
		return rc;
	if (z.per_household) {
		rc = others_in_tube(db, t->id, p->id, &others, err);
		return rc < 0 ? rc : others > 0 ? single_tube_required(p, true, err) : 0;
	}
	if (t->n > 1)
		return single_tube_required(p, false, err);
	if (strcmp(t->status, "open") != 0)
		return 0;
	rc = (int)fk_db_run(db, err,
			    "UPDATE tubes SET status = 'closed', closed_at = ? WHERE id = ? "
			    "AND status = 'open'",
			    "ii", now, t->id);
	if (rc >= 0) {
		fk_copy_text(t->status, sizeof(t->status), "closed");
		t->closed_at = now;
	}
	return rc < 0 ? rc : 0;
}

int tb_scan_write(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
		  struct tb_tube *t, const struct tb_person *p, struct fk_err *err)
{
	char other[TB_CODE_MAX + 1] = "";
	int64_t now = fk_now_ms();
	int rc = claim_place(db, who, t, now, err);

	if (rc == 0)
		rc = zone_tube(app, db, t, p, now, err);

	if (rc == 0)
		rc = sample_insert(db, who, t, p, now, err);
	if (rc == 0) {
		/* The caller rolls the place taken back with the refusal. */
		rc = live_tube(db, t->round_id, p->id, other, sizeof(other), err);
		return rc < 0 ? rc : already_in_tube(p->name, other, t->code, err);
	}
	if (rc > 0)
		rc = fk_round_stats_add(db, t->round_id, p->area_id, 1, 0, 0, err);
	return rc;
}

int tb_scan(struct fk_app *app, struct fk_db *db, const struct fk_principal *who, const char *code,
	    const struct tb_person *p, struct tb_tube *out, struct fk_err *err)
{
	int rc = tb_scan_check(db, who, code, out, err);

	return rc < 0 ? rc : tb_scan_write(app, db, who, out, p, err);
}

/* ---- undo, close, void ---- */

static bool status_is(const struct tb_tube *t, const char *s)
{
	return strcmp(t->status, s) == 0;
}

static int not_in_tube(const char *code, struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "not_in_tube", "person_id", "此人不在试管 %s 中",
			  "the person is not in tube %s", code);
}

int tb_scan_undo(struct fk_db *db, const struct fk_principal *who, const char *code,
		 int64_t person_id, struct tb_tube *out, struct fk_err *err)
{
	struct fk_q *q;
	int64_t building = 0;
	int rc = tube_for(db, who, code, out, err);

	if (rc == 0 && !status_is(out, "open") && !status_is(out, "closed"))
		return tube_state_error(out, err);
	if (rc == 0 && out->round_status != FK_ROUND_SAMPLING)
		rc = round_not_sampling(out->round_status, err);
	if (rc == 0)
		rc = fk_db_query(db, &q,
				 "DELETE FROM samples WHERE tube_id = ? AND person_id = ? "
				 "AND voided = 0 RETURNING building_id",
				 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, out->id);
	fk_q_bind_i64(q, 2, person_id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		building = fk_q_i64(q, 0);
	while (rc > 0)
		rc = fk_q_step(q, err);
	fk_q_done(q);
	if (rc == 0 && building == 0)
		return not_in_tube(code, err);
	if (rc == 0)
		rc = (int)fk_db_run(db, err,
				    "UPDATE tubes SET n = n - 1, status = 'open', closed_at = NULL "
				    "WHERE id = ?",
				    "i", out->id);
	if (rc >= 0)
		rc = fk_round_stats_add(db, out->round_id, building, -1, 0, 0, err);
	if (rc < 0)
		return rc;
	return tb_tube_read(db, who, code, out, err);
}

int tb_tube_close(struct fk_db *db, const struct fk_principal *who, const char *code,
		  struct tb_tube *out, struct fk_err *err)
{
	int64_t rc = tube_for(db, who, code, out, err);

	if (rc < 0 || status_is(out, "closed"))
		return (int)rc;
	if (!status_is(out, "open"))
		return tube_state_error(out, err);
	if (out->n == 0)
		return fk_err_set(err, FK_EUNPROC, "tube_empty", "code",
				  "试管 %s 还是空的：请作废它，而不是封管",
				  "tube %s is empty: void it instead of closing it", code);
	rc = fk_db_run(db, err,
		       "UPDATE tubes SET status = 'closed', closed_at = ? WHERE id = ? "
		       "AND status = 'open'",
		       "ii", fk_now_ms(), out->id);
	if (rc < 0)
		return (int)rc;
	return tb_tube_read(db, who, code, out, err);
}

int tb_tube_buildings(struct fk_db *db, int64_t tube_id, struct tb_building *out, int max, int *n,
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT building_id, COUNT(*), MIN(area_path) FROM samples "
			     "WHERE tube_id = ? AND voided = 0 GROUP BY building_id",
			     err);

	*n = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, tube_id);
	while ((rc = fk_q_step(q, err)) > 0) {
		if (*n == max) {
			rc = fk_err_set(err, FK_EINTERNAL, "tube_too_mixed", NULL,
					"试管中的楼栋过多", "too many buildings in one tube");
			break;
		}
		out[*n].id = fk_q_i64(q, 0);
		out[*n].people = (int)fk_q_i64(q, 1);
		fk_copy_text(out[*n].path, sizeof(out[*n].path), fk_q_text(q, 2));
		++*n;
	}
	fk_q_done(q);
	return rc;
}

/* Takes the tube's live samples off the sampled counters of their buildings. */
static int stats_back(struct fk_db *db, const struct tb_tube *t, struct fk_err *err)
{
	struct tb_building b[TB_TUBE_MAX];
	int n, rc = tb_tube_buildings(db, t->id, b, TB_TUBE_MAX, &n, err);

	for (int i = 0; rc == 0 && i < n; i++)
		rc = fk_round_stats_add(db, t->round_id, b[i].id, -b[i].people, 0, 0, err);
	return rc;
}

int tb_tube_void(struct fk_db *db, const struct fk_principal *who, const char *code,
		 struct tb_tube *out, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	int64_t rc = tube_for(db, who, code, out, err);

	if (rc < 0 || status_is(out, "voided"))
		return (int)rc;
	if (!status_is(out, "open") && !status_is(out, "closed"))
		return fk_err_set(err, FK_ECONFLICT, "tube_in_box", "code",
				  "试管 %s 已装箱（状态：%s），不能作废",
				  "tube %s is already boxed (status: %s) and cannot be voided",
				  code, out->status);
	rc = stats_back(db, out, err);
	if (rc == 0)
		rc = fk_db_run(db, err,
			       "UPDATE samples SET voided = 1 WHERE tube_id = ? AND voided = 0",
			       "i", out->id);
	if (rc >= 0)
		rc = fk_db_run(db, err,
			       "UPDATE tubes SET status = 'voided', voided_at = ?, voided_by = ? "
			       "WHERE id = ?",
			       "iii", now, who->user_id, out->id);
	if (rc < 0)
		return (int)rc;
	return tb_tube_read(db, who, code, out, err);
}

/* ---- samples of a tube ---- */

static int samples_query(struct fk_db *db, const struct fk_principal *who, struct fk_q **q,
			 int *next, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = "SELECT s.person_id, p.name, p.id_number, s.scanned_at, s.result, "
		    "s.voided FROM samples s LEFT JOIN people p ON p.id = s.person_id AND ",
	    .col = "p.area_path",
	    .tail = " WHERE s.tube_id = ? ORDER BY s.scanned_at, s.id"};

	return fk_scoped_query(db, who, &sq, q, next, err);
}

static void sample_row(struct fk_q *q, void *rec)
{
	struct tb_sample *s = rec;

	s->person_id = fk_q_i64(q, 0);
	fk_copy_text(s->name, sizeof(s->name), fk_q_text(q, 1));
	fk_copy_text(s->id_number, sizeof(s->id_number), fk_q_text(q, 2));
	s->scanned_at = fk_q_i64(q, 3);
	fk_copy_text(s->result, sizeof(s->result), fk_q_text(q, 4));
	s->voided = fk_q_i64(q, 5) != 0;
}

int tb_tube_samples(struct fk_db *db, const struct fk_principal *who, int64_t tube_id,
		    struct tb_sample **out, int *n, struct fk_err *err)
{
	struct fk_q *q;
	void *rows;
	int next, rc = samples_query(db, who, &q, &next, err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, next, tube_id);
	rc = fk_q_collect(q, sizeof(**out), sample_row, &rows, n, err);
	*out = rows;
	return rc;
}
