/* postgres: the scale-out store backend over libpq. Statements are prepared once per
 * connection under generated names (s1, s2, ...); parameters go as text and the server infers
 * their types from the statement; results come back as text and the getters parse them. A
 * statement runs on its first fk_q_step and the rows are then read from the result.
 *
 * Prefix ranges compare bytes, so the database must use the C (or POSIX) collation; open
 * refuses any other. */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "base/xmalloc.h"
#include "store/backend.h"

struct pg_db {
	struct fk_db base;
	PGconn *conn;
	unsigned next_name;
};

/* One parameter: numbers are written into num, text is copied into a buffer kept (and only
 * grown) across executions, so binding does not allocate once warm. */
struct pg_param {
	char *text;
	size_t cap;
	char num[32];
};

struct pg_q {
	struct fk_q base;
	char name[16];
	int nparams;
	struct pg_param *params;
	const char **values;
	PGresult *res;
	int row, nrows;
};

static const struct fk_backend pg_backend;

static PGconn *pg_conn(struct fk_db *db)
{
	return ((struct pg_db *)db)->conn;
}

/* libpq messages end in a newline; errors keep the first line only. */
static void first_line(const char *msg, char *out, size_t cap)
{
	size_t n = msg ? strcspn(msg, "\n") : 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(out, msg, n);
	out[n] = '\0';
}

/* "Key (id_number)=(...) already exists." names the column in the unique violation. */
static void dup_field(const PGresult *res, struct fk_err *err)
{
	const char *d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	size_t n;
	if (!err || !d || strncmp(d, "Key (", 5) != 0)
		return;
	d += 5;
	n = strcspn(d, ",)");
	if (n >= sizeof(err->field))
		n = sizeof(err->field) - 1;
	memcpy(err->field, d, n);
	err->field[n] = '\0';
}

static int pg_fail_res(const PGresult *res, PGconn *conn, const char *what, struct fk_err *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char msg[256];
	int rc;

	first_line(primary ? primary : PQerrorMessage(conn), msg, sizeof(msg));
	if (state && strcmp(state, "23505") == 0) {
		rc = fk_err_set(err, FK_ECONFLICT, "duplicate", NULL, "记录重复：%s",
				"duplicate: %s", msg);
		dup_field(res, err);
		return rc;
	}
	/* A serialization failure, a deadlock, or a writer's lock wait past its lock_timeout. */
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
		      strcmp(state, "55P03") == 0))
		return fk_err_set(err, FK_ECONFLICT, "retry", NULL, "并发冲突，请重试：%s",
				  "concurrent update, try again: %s", msg);
	return fk_db_fail(err, what, msg);
}

static int pg_check(PGresult *res, PGconn *conn, const char *what, struct fk_err *err)
{
	ExecStatusType st = PQresultStatus(res);
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_fail_res(res, conn, what, err);
	PQclear(res);
	return rc;
}

static int pg_exec(struct fk_db *db, const char *sql, struct fk_err *err)
{
	PGconn *conn = pg_conn(db);
	return pg_check(PQexec(conn, sql), conn, "exec", err);
}

static int check_collation(PGconn *conn, struct fk_err *err)
{
	PGresult *res = PQexec(conn, "SELECT datcollate FROM pg_database "
				     "WHERE datname = current_database()");
	char coll[64] = "";
	int rc = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = pg_fail_res(res, conn, "open", err);
		goto out;
	}
	if (PQntuples(res) == 1)
		first_line(PQgetvalue(res, 0, 0), coll, sizeof(coll));
	if (strcmp(coll, "C") != 0 && strcmp(coll, "POSIX") != 0)
		rc = fk_err_set(
		    err, FK_EDB, "collation", "db",
		    "PostgreSQL 数据库的排序规则为 %s，需要 C：请用 CREATE DATABASE ... "
		    "LC_COLLATE 'C' TEMPLATE template0 创建数据库",
		    "the PostgreSQL database has collation %s but fangkong needs C: "
		    "create it with CREATE DATABASE ... LC_COLLATE 'C' TEMPLATE template0",
		    coll);
out:
	PQclear(res);
	return rc;
}

int fk_pg_open(const char *url, struct fk_db **out, struct fk_err *err)
{
	struct pg_db *db = fk_xcalloc(1, sizeof(*db));
	char msg[256];
	int rc;

	*out = NULL;
	fk_db_init(&db->base, &pg_backend);
	db->conn = PQconnectdb(url);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		first_line(PQerrorMessage(db->conn), msg, sizeof(msg));
		rc = fk_err_set(err, FK_EDB, "db_open", "db", "无法连接 PostgreSQL：%s",
				"cannot connect to PostgreSQL: %s", msg);
		goto fail;
	}
	rc = pg_exec(&db->base, "SET client_min_messages = warning", err);
	if (rc == 0)
		rc = check_collation(db->conn, err);
	if (rc < 0)
		goto fail;
	*out = &db->base;
	return 0;
fail:
	PQfinish(db->conn);
	free(db);
	return rc;
}

static void pg_close(struct fk_db *db)
{
	fk_db_cache_clear(db);
	PQfinish(pg_conn(db));
	free(db);
}

static int pg_begin(struct fk_db *db, bool write, struct fk_err *err)
{
	return pg_exec(db, write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		       err);
}

/* COMMIT of a transaction that already failed "succeeds" with the tag ROLLBACK. */
static int pg_commit(struct fk_db *db, struct fk_err *err)
{
	PGconn *conn = pg_conn(db);
	PGresult *res = PQexec(conn, "COMMIT");
	if (PQresultStatus(res) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		PQclear(res);
		return fk_err_set(err, FK_EDB, "tx_aborted", NULL, "事务已因先前的错误回滚",
				  "the transaction was rolled back after an earlier error");
	}
	return pg_check(res, conn, "commit", err);
}

static void pg_rollback(struct fk_db *db)
{
	PGconn *conn = pg_conn(db);
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
}

/* Held until the transaction ends; the key is arbitrary but fixed ("fk" + "mig"). */
static int pg_lock_schema(struct fk_db *db, struct fk_err *err)
{
	return pg_exec(db, "SELECT pg_advisory_xact_lock(1718250087)", err);
}

/* Runs sql, a pg_try_advisory_lock* of key answering 1 or 0, into *got. */
static int try_advisory(struct fk_db *db, const char *sql, int64_t key, bool *got,
			struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql, err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, key);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*got = fk_q_i64(q, 0) == 1;
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* A session-level advisory lock: it outlives transactions, so a job holds it while it runs. */
static int pg_try_lock(struct fk_db *db, int64_t key, bool *got, struct fk_err *err)
{
	return try_advisory(
	    db, "SELECT CASE WHEN pg_try_advisory_lock(CAST(? AS BIGINT)) THEN 1 ELSE 0 END", key,
	    got, err);
}

/* Session-level too: it lasts until the connection closes. */
static int pg_hold_store(struct fk_db *db, int64_t key, bool alone, bool *got, struct fk_err *err)
{
	if (alone)
		return pg_try_lock(db, key, got, err);
	return try_advisory(
	    db, "SELECT CASE WHEN pg_try_advisory_lock_shared(CAST(? AS BIGINT)) THEN 1 ELSE 0 END",
	    key, got, err);
}

static int pg_unlock(struct fk_db *db, int64_t key, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT pg_advisory_unlock(CAST(? AS BIGINT))", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, key);
	rc = fk_q_step(q, err);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int pg_has_table(struct fk_db *db, const char *name, bool *found, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT to_regclass(?) IS NOT NULL", err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, name);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*found = fk_q_i64(q, 0) != 0;
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static bool pg_healthy(struct fk_db *db)
{
	return PQstatus(pg_conn(db)) == CONNECTION_OK;
}

static int pg_prepare(struct fk_db *db, const char *sql, struct fk_q **out, struct fk_err *err)
{
	struct pg_db *pdb = (struct pg_db *)db;
	struct pg_q *q = fk_xcalloc(1, sizeof(*q));
	char *text = fk_sql_dollar_params(sql, &q->nparams);
	int rc;

	snprintf(q->name, sizeof(q->name), "s%u", ++pdb->next_name);
	rc = pg_check(PQprepare(pdb->conn, q->name, text, q->nparams, NULL), pdb->conn, "prepare",
		      err);
	free(text);
	if (rc < 0) {
		free(q);
		return rc;
	}
	q->params = fk_xcalloc((size_t)q->nparams + 1, sizeof(*q->params));
	q->values = fk_xcalloc((size_t)q->nparams + 1, sizeof(*q->values));
	*out = &q->base;
	return 0;
}

/* DEALLOCATE fails inside an aborted transaction; the server then keeps the statement until
 * the connection closes, which is harmless. */
static void pg_finalize(struct fk_q *fq)
{
	struct pg_q *q = (struct pg_q *)fq;
	char sql[32];
	PQclear(q->res);
	if (PQstatus(pg_conn(fq->db)) == CONNECTION_OK &&
	    PQtransactionStatus(pg_conn(fq->db)) != PQTRANS_INERROR) {
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", q->name);
		PQclear(PQexec(pg_conn(fq->db), sql));
	}
	for (int i = 0; i < q->nparams; i++)
		free(q->params[i].text);
	free(q->params);
	free(q->values);
	free(q);
}

static void pg_reset(struct fk_q *fq)
{
	struct pg_q *q = (struct pg_q *)fq;
	PQclear(q->res);
	q->res = NULL;
	q->row = q->nrows = 0;
	memset(q->values, 0, (size_t)q->nparams * sizeof(*q->values));
}

static struct pg_q *pq(struct fk_q *q)
{
	return (struct pg_q *)q;
}

static int pg_bind_i64(struct fk_q *fq, int idx, int64_t v)
{
	struct pg_q *q = pq(fq);
	if (idx < 1 || idx > q->nparams)
		return FK_EINTERNAL;
	snprintf(q->params[idx - 1].num, sizeof(q->params[idx - 1].num), "%" PRId64, v);
	q->values[idx - 1] = q->params[idx - 1].num;
	return 0;
}

/* %.17g reads back as the same double. */
static int pg_bind_double(struct fk_q *fq, int idx, double v)
{
	struct pg_q *q = pq(fq);
	if (idx < 1 || idx > q->nparams)
		return FK_EINTERNAL;
	snprintf(q->params[idx - 1].num, sizeof(q->params[idx - 1].num), "%.17g", v);
	q->values[idx - 1] = q->params[idx - 1].num;
	return 0;
}

static int pg_bind_text(struct fk_q *fq, int idx, const char *s)
{
	struct pg_q *q = pq(fq);
	struct pg_param *p;
	size_t n = strlen(s) + 1;
	if (idx < 1 || idx > q->nparams)
		return FK_EINTERNAL;
	p = &q->params[idx - 1];
	if (n > p->cap) {
		p->cap = n < 64 ? 64 : n;
		p->text = fk_xrealloc(p->text, p->cap);
	}
	memcpy(p->text, s, n);
	q->values[idx - 1] = p->text;
	return 0;
}

static int pg_bind_null(struct fk_q *fq, int idx)
{
	struct pg_q *q = pq(fq);
	if (idx < 1 || idx > q->nparams)
		return FK_EINTERNAL;
	q->values[idx - 1] = NULL;
	return 0;
}

static int pg_run(struct pg_q *q, struct fk_err *err)
{
	PGconn *conn = pg_conn(q->base.db);
	ExecStatusType st;

	q->res = PQexecPrepared(conn, q->name, q->nparams, q->values, NULL, NULL, 0);
	st = PQresultStatus(q->res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = pg_fail_res(q->res, conn, "step", err);
		PQclear(q->res);
		q->res = NULL;
		return rc;
	}
	q->nrows = PQntuples(q->res);
	q->row = -1;
	return 0;
}

static int pg_step(struct fk_q *fq, struct fk_err *err)
{
	struct pg_q *q = pq(fq);
	if (!q->res) {
		int rc = pg_run(q, err);
		if (rc < 0)
			return rc;
	}
	if (q->row < q->nrows)
		q->row++;
	return q->row < q->nrows ? 1 : 0;
}

static bool pg_valid(struct pg_q *q, int col)
{
	return q->res && q->row >= 0 && q->row < q->nrows && col >= 0 && col < PQnfields(q->res);
}

static int pg_columns(struct fk_q *fq)
{
	return pq(fq)->res ? PQnfields(pq(fq)->res) : 0;
}

static bool pg_isnull(struct fk_q *fq, int col)
{
	struct pg_q *q = pq(fq);
	return !pg_valid(q, col) || PQgetisnull(q->res, q->row, col);
}

static const char *pg_text(struct fk_q *fq, int col)
{
	struct pg_q *q = pq(fq);
	if (pg_isnull(fq, col))
		return NULL;
	return PQgetvalue(q->res, q->row, col);
}

/* Booleans come back as "t"/"f"; numeric results ("12.00") read as their integer part. */
static int64_t pg_i64(struct fk_q *fq, int col)
{
	const char *s = pg_text(fq, col);
	if (!s)
		return 0;
	if (s[0] == 't' && s[1] == '\0')
		return 1;
	return strtoll(s, NULL, 10);
}

static double pg_double(struct fk_q *fq, int col)
{
	const char *s = pg_text(fq, col);
	return s ? strtod(s, NULL) : 0;
}

static int64_t pg_changes(struct fk_q *fq)
{
	struct pg_q *q = pq(fq);
	const char *n = q->res ? PQcmdTuples(q->res) : "";
	return *n ? strtoll(n, NULL, 10) : 0;
}

/* ---- LISTEN / NOTIFY ---- */

static int pg_listen(struct fk_db *db, const char *channel, struct fk_err *err)
{
	PGconn *conn = pg_conn(db);
	char *ident = PQescapeIdentifier(conn, channel, strlen(channel));
	char sql[128];
	int rc;

	if (!ident)
		return pg_fail_res(NULL, conn, "listen", err);
	snprintf(sql, sizeof(sql), "LISTEN %s", ident);
	PQfreemem(ident);
	rc = pg_exec(db, sql, err);
	return rc;
}

/* Reads what the server sent and drains the notifications; 1 when there was one. */
static int drain(PGconn *conn, struct fk_err *err)
{
	PGnotify *n;
	int got = 0;

	if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK)
		return pg_fail_res(NULL, conn, "wait", err);
	while ((n = PQnotifies(conn))) {
		got = 1;
		PQfreemem(n);
	}
	return got;
}

static int pg_wait(struct fk_db *db, int wake_fd, int timeout_ms, struct fk_err *err)
{
	PGconn *conn = pg_conn(db);
	struct pollfd fds[2] = {{.fd = PQsocket(conn), .events = POLLIN},
				{.fd = wake_fd, .events = POLLIN}};
	int rc = drain(conn, err);

	if (rc != 0)
		return rc;
	if (fds[0].fd < 0)
		return pg_fail_res(NULL, conn, "wait", err);
	rc = poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
	if (rc < 0 || !(fds[0].revents & (POLLIN | POLLERR | POLLHUP)))
		return 0;
	return drain(conn, err);
}

/* A writer connection of the group commit waits at most PG_WRITER_LOCK_MS for a row lock:
 * two writers' batches that took the same counter rows in opposite orders would otherwise
 * wait for the server's deadlock check (deadlock_timeout, 1 s by default) while every reply of
 * both batches waits too. The write that gives up leaves its batch and runs in the next. */
#define PG_WRITER_LOCK_MS "200ms"

static void pg_tune_writer(struct fk_db *db)
{
	PQclear(PQexec(pg_conn(db), "SET lock_timeout = '" PG_WRITER_LOCK_MS "'"));
}

static const struct fk_backend pg_backend = {
    .kind = FK_DB_POSTGRES,
    .name = "postgres",
    .tune_writer = pg_tune_writer,
    .close = pg_close,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .lock_schema = pg_lock_schema,
    .has_table = pg_has_table,
    .try_lock = pg_try_lock,
    .unlock = pg_unlock,
    .hold_store = pg_hold_store,
    .healthy = pg_healthy,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_i64 = pg_bind_i64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .columns = pg_columns,
    .isnull = pg_isnull,
    .col_i64 = pg_i64,
    .col_double = pg_double,
    .col_text = pg_text,
    .changes = pg_changes,
    .listen = pg_listen,
    .wait = pg_wait,
    .tables_sql = "SELECT table_name::text FROM information_schema.tables "
		  "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    .columns_sql = "SELECT column_name::text, CASE WHEN data_type IN ('double precision', "
		   "'real') THEN 1 ELSE 0 END FROM information_schema.columns "
		   "WHERE table_schema = current_schema() AND table_name::text = ? "
		   "ORDER BY ordinal_position",
    .pkey_sql = "SELECT k.column_name::text FROM information_schema.table_constraints c "
		"JOIN information_schema.key_column_usage k ON k.constraint_name = "
		"c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = "
		"c.table_name WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = "
		"current_schema() AND c.table_name::text = ? ORDER BY k.ordinal_position",
};
