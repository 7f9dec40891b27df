/* lab: results of received tubes (SPEC §3 lab), one by one or from a plate file. A result
 * goes to every person in the tube at once, and the per-building counters move in the same
 * transaction: negative counts the people resulted; positive sets off the reflex (positive.c);
 * invalid voids the samples so the people count as missing again and are sampled anew.
 *
 * Checks come before writes, so a refused result (and a bad plate row) has written nothing;
 * a failure after the first write is a store failure and undoes the whole transaction. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "base/clock.h"
#include "base/csv.h"
#include "tubes/internal.h"

const char *tb_result_norm(const char *s)
{
	static const char *const names[][3] = {
	    {"negative", "阴性", "neg"},
	    {"positive", "阳性", "pos"},
	    {"invalid", "无效", "inv"},
	};
	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		for (int k = 0; k < 3; k++)
			if (strcasecmp(s, names[i][k]) == 0)
				return names[i][0];
	return NULL;
}

static int bad_result(const char *s, struct fk_err *err)
{
	return fk_err_set(err, FK_EINVAL, "invalid_result", "result",
			  "结果“%.40s”无效：应为 阴性/negative、阳性/positive 或 无效/invalid",
			  "result \"%.40s\" is not valid: negative, positive or invalid",
			  s ? s : "");
}

/* Everything that may refuse the result, before anything is written. 1 = the tube already has
 * this result (nothing to do). */
static int result_check(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
			const char *code, const char *result, struct tb_tube *t, struct fk_err *err)
{
	int rc = tb_code_check(code, "tube_code", err);

	if (rc == 0 && !result)
		return bad_result("", err);
	if (rc == 0)
		rc = tb_tube_read(db, who, code, t, err);
	if (rc == 0)
		rc = tb_site_access(who, t->bound, t->site_path);
	if (rc == FK_ENOTFOUND)
		return tb_unknown_tube(code, "tube_code", err);
	if (rc < 0)
		return rc;
	if (round_id > 0 && t->round_id != round_id)
		return fk_err_set(err, FK_EUNPROC, "wrong_round", "tube_code",
				  "试管 %s 不属于本轮检测", "tube %s belongs to another round",
				  code);
	if (strcmp(t->status, "resulted") == 0) {
		if (strcmp(t->result, result) == 0)
			return 1;
		return fk_err_set(err, FK_ECONFLICT, "already_resulted", "result",
				  "试管 %s 已有结果：%s", "tube %s already has a result: %s", code,
				  t->result);
	}
	if (strcmp(t->status, "received") != 0)
		return fk_err_set(err, FK_ECONFLICT, "tube_not_received", "tube_code",
				  "试管 %s 尚未被实验室接收（状态：%s），不能录入结果",
				  "tube %s was not received by the lab (status: %s): no result yet",
				  code, t->status);
	return 0;
}

/* voided is set only for invalid: naming it in the SET would rewrite the samples' entries in
 * both indexes that hold it, ten times per tube. */
static int samples_set(struct fk_db *db, const struct tb_tube *t, const char *result,
		       struct fk_err *err)
{
	int64_t rc;

	if (strcmp(result, "invalid") == 0)
		rc =
		    fk_db_run(db, err,
			      "UPDATE samples SET result = 'invalid', voided = 1 WHERE tube_id = ? "
			      "AND voided = 0",
			      "i", t->id);
	else
		rc = fk_db_run(db, err,
			       "UPDATE samples SET result = ? WHERE tube_id = ? AND voided = 0",
			       "ti", result, t->id);
	return rc < 0 ? (int)rc : 0;
}

/* negative: the people count as resulted; invalid: they are no longer sampled. */
static int counters(struct fk_db *db, const struct tb_tube *t, const char *result,
		    struct fk_err *err)
{
	struct tb_building b[TB_TUBE_MAX];
	bool invalid = strcmp(result, "invalid") == 0;
	int n, rc = tb_tube_buildings(db, t->id, b, TB_TUBE_MAX, &n, err);

	for (int i = 0; rc == 0 && i < n; i++)
		rc = fk_round_stats_add(db, t->round_id, b[i].id, invalid ? -b[i].people : 0,
					invalid ? 0 : b[i].people, 0, err);
	return rc;
}

static int result_write(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
			struct tb_tube *t, const char *result, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	int people = 0;
	int64_t rc = fk_db_run(db, err,
			       "UPDATE tubes SET status = 'resulted', result = ?, resulted_at = ?, "
			       "resulted_by = ? WHERE id = ? AND status = 'received'",
			       "tiii", result, now, who ? who->user_id : 0, t->id);

	if (rc >= 0 && strcmp(result, "positive") == 0)
		rc = tb_positive_reflex(app, db, t, now, &people, err);
	else if (rc >= 0)
		rc = counters(db, t, result, err);
	if (rc >= 0 && strcmp(result, "positive") != 0)
		rc = samples_set(db, t, result, err);
	if (rc < 0)
		return (int)rc;
	snprintf(t->status, sizeof(t->status), "resulted");
	snprintf(t->result, sizeof(t->result), "%s", result);
	t->resulted_at = now;
	return 0;
}

int tb_result_apply(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
		    int64_t round_id, const char *code, const char *result, struct tb_tube *out,
		    enum tb_outcome *outcome, struct fk_err *err)
{
	const char *r = tb_result_norm(result);
	int rc = r ? result_check(db, who, round_id, code, r, out, err) : bad_result(result, err);

	*outcome = TB_UNCHANGED;
	if (rc != 0)
		return rc > 0 ? 0 : rc;
	*outcome = TB_APPLIED;
	return result_write(app, db, who, out, r, err);
}

/* ---- plate files ---- */

struct plate {
	struct fk_app *app;
	struct fk_db *db;
	const struct fk_principal *who;
	int64_t round_id;
	struct fk_import_report *rep;
	int col_code, col_result; /* 0-based columns; -1 until the header is read */
	int fatal;		  /* a store failure: stop, undo everything */
	struct fk_err *err;
};

static int header_index(char **fields, size_t n, const char *const *names)
{
	for (size_t i = 0; i < n; i++)
		for (int k = 0; names[k]; k++)
			if (strcasecmp(fields[i], names[k]) == 0)
				return (int)i;
	return -1;
}

static int plate_header(struct plate *p, long line, char **fields, size_t n)
{
	static const char *const code_names[] = {"tube_code", "code",	  "tube", "管码",
						 "试管编码",  "试管条码", "条码", NULL};
	static const char *const result_names[] = {"result", "结果", "检测结果", NULL};

	p->col_code = header_index(fields, n, code_names);
	p->col_result = header_index(fields, n, result_names);
	if (p->col_code >= 0 && p->col_result >= 0)
		return 0;
	fk_err_set(p->err, FK_EINVAL, "missing_column", p->col_code < 0 ? "tube_code" : "result",
		   "第 %ld 行：缺少列 %s（表头应为 tube_code,result 或 管码,结果）",
		   "line %ld: the column %s is missing (header tube_code,result or 管码,结果)",
		   line, p->col_code < 0 ? "tube_code" : "result");
	p->err->line = line;
	p->fatal = FK_EINVAL;
	return 1;
}

static void row_error(struct plate *p, long line, const struct fk_err *e)
{
	int column = strcmp(e->field, "result") == 0 ? p->col_result + 1 : p->col_code + 1;

	fk_report_add_err(p->rep, line, column, e);
	p->rep->failed++;
}

static int plate_row(void *ctx, long line, char **fields, size_t n)
{
	struct plate *p = ctx;
	struct fk_err e = {0};
	struct tb_tube t;
	const char *code, *result;
	int rc;

	if (p->col_code < 0)
		return plate_header(p, line, fields, n);
	p->rep->total++;
	code = (size_t)p->col_code < n ? fields[p->col_code] : "";
	result = (size_t)p->col_result < n ? fields[p->col_result] : "";
	rc = tb_result_norm(result)
		 ? result_check(p->db, p->who, p->round_id, code, tb_result_norm(result), &t, &e)
		 : bad_result(result, &e);
	if (rc == 0)
		rc = result_write(p->app, p->db, p->who, &t, tb_result_norm(result), p->err);
	else if (rc < 0 && rc != FK_EDB && rc != FK_EINTERNAL) {
		row_error(p, line, &e);
		return 0;
	} else if (rc < 0) {
		*p->err = e;
	}
	if (rc < 0) {
		p->fatal = rc;
		return 1;
	}
	if (rc > 0)
		p->rep->unchanged++;
	else
		p->rep->created++;
	return 0;
}

int tb_plate_apply(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
		   int64_t round_id, const char *data, size_t len, struct fk_import_report *rep,
		   struct fk_err *err)
{
	struct fk_tx tx;
	struct plate p = {.app = app,
			  .db = db,
			  .who = who,
			  .round_id = round_id,
			  .rep = rep,
			  .col_code = -1,
			  .col_result = -1,
			  .err = err};
	int rc = fk_tx_begin(db, &tx, err);

	if (rc < 0)
		return rc;
	rc = fk_csv_parse(data, len, FK_ENC_AUTO, plate_row, &p, &rep->enc, err);
	if (p.fatal)
		rc = p.fatal;
	else if (rc == 0 && p.col_code < 0)
		rc = fk_err_set(err, FK_EINVAL, "empty_file", NULL, "文件是空的",
				"the file is empty");
	return fk_tx_end(db, &tx, rc < 0 ? rc : 0, err);
}
