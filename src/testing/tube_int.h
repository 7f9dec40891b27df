/* tube_int: what the tubes half of the testing module shares inside the module — tubes and
 * scans (tube.c), idempotency keys (scan_key.c), desk visitors (visitor.c), sampling codes and
 * QR images (qr.c), transport boxes (transport.c), lab results and plates (lab.c) and the
 * positive-pool reflex with its retests (positive.c); and the route entries module.c lists.
 *
 * Rules take a principal and do their own access checks: a registrar works only at the sites
 * it is bound to (site_registrars), other roles only where the site's area is in their scope.
 * Unless said otherwise a function that writes expects the caller to hold a write
 * transaction (tb_tx_begin), so that the HTTP layer can store the reply of a keyed write in
 * the same transaction. */
#ifndef FK_TESTING_TUBE_INT_H
#define FK_TESTING_TUBE_INT_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "base/buf.h"
#include "base/report.h"
#include "http/http.h"
#include "people/people.h"
#include "testing/testing.h"

#define TB_CODE_MAX 32 /* tube and box barcodes: 1..32 of [A-Za-z0-9_-] */
#define TB_KEY_MAX  64 /* client keys: 8..64 of [A-Za-z0-9_.:-] */

/* Who may register (open tubes, scan, pack boxes) and who may read the lab's side. */
#define TB_ROLES_DESK (FK_R(REGISTRAR) | FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define TB_ROLES_LAB  (FK_R(LAB) | FK_R(ADMIN))

/* ---- transactions (tube.c) ---- */

/* A write transaction. On SQLite the writers of this process queue on a mutex first, so
 * that they wait their turn instead of sleeping in SQLite's busy handler. */
int tb_tx_begin(struct fk_db *db, struct fk_err *err);
/* Commits when rc == 0, else rolls back, and lets the next writer in; returns rc or the
 * commit's error. Harmless after a tb_tx_begin that failed. */
int tb_tx_end(struct fk_db *db, int rc, struct fk_err *err);

/* ---- tubes (tube.c) ---- */

struct tb_tube {
	int64_t id, round_id, site_id, box_id, opened_by;
	char code[TB_CODE_MAX + 1];
	char status[12]; /* open, closed, boxed, received, resulted, voided */
	char result[12]; /* "" until resulted: negative, positive, invalid */
	int capacity, n;
	int64_t opened_at, closed_at, boxed_at, received_at, resulted_at, voided_at;
	char box_code[TB_CODE_MAX + 1];	  /* "" when in no box */
	char site_path[FK_AREA_PATH_MAX]; /* the site's area path */
	char site_name[260];
	int round_status; /* enum fk_round_status */
	bool bound;	  /* the caller is a registrar of the site */
};

/* A person as a scan sees it (read within the scanner's scope). */
struct tb_person {
	int64_t id, area_id;
	char name[FK_PERSON_NAME_MAX * 4 + 1];
	char id_number[40];
	char area_path[FK_AREA_PATH_MAX];
};

/* FK_EINVAL "invalid_code" naming field unless code is 1..TB_CODE_MAX of [A-Za-z0-9_-]. */
int tb_code_check(const char *code, const char *field, struct fk_err *err);

/* Reads tube code with its site and round status; FK_ENOTFOUND "unknown_tube". bound is set
 * for who (may be NULL). */
int tb_tube_read(struct fk_db *db, const struct fk_principal *who, const char *code,
		 struct tb_tube *out, struct fk_err *err);
/* May who see / work on the tube (or box) at a site with this path? A registrar must be bound
 * to the site (FK_EPERM "not_site_registrar"); other roles need the site in scope
 * (FK_ENOTFOUND "unknown_tube" as for a missing tube). */
int tb_site_access(const struct fk_principal *who, bool bound, const char *site_path,
		   const char *what_key, struct fk_err *err);

struct tb_site {
	int64_t area_id;
	char path[FK_AREA_PATH_MAX];
	bool active, bound;
};
/* Reads a site who may work at (tb_site_access); FK_ENOTFOUND "site_not_found". */
int tb_site_read(struct fk_db *db, const struct fk_principal *who, int64_t site_id,
		 struct tb_site *out, struct fk_err *err);

/* Opens a tube with this barcode at site_id in round_id (status sampling, else FK_EUNPROC
 * "round_closed"/"round_not_open"); capacity = the round's pool size. Scanning the barcode of
 * a tube already open at the same site and round gives that tube back (*created false);
 * any other use of a known barcode is FK_ECONFLICT "tube_code_taken". */
int tb_tube_open(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		 int64_t site_id, const char *code, struct tb_tube *out, bool *created,
		 struct fk_err *err);
/* Scans person p into tube code. The tube closes itself at capacity. Errors: FK_ENOTFOUND
 * "unknown_tube"; FK_EUNPROC "round_closed"; FK_ECONFLICT "tube_full", "tube_closed",
 * "already_in_tube" (the message names the tube the person is in), "already_scanned" (in this
 * very tube already); these two name no field. On success out holds the tube after the
 * scan. */
int tb_scan(struct fk_db *db, const struct fk_principal *who, const char *code,
	    const struct tb_person *p, struct tb_tube *out, struct fk_err *err);
/* tb_scan in two steps: the check reads the tube and may run before the transaction (it
 * refuses early what it can); the write takes the place, still guarded against a tube that
 * filled or a round that closed since, and records the sample. */
int tb_scan_check(struct fk_db *db, const struct fk_principal *who, const char *code,
		  struct tb_tube *out, struct fk_err *err);
int tb_scan_write(struct fk_db *db, const struct fk_principal *who, struct tb_tube *t,
		  const struct tb_person *p, struct fk_err *err);
/* Takes person_id out of tube code (a wrong scan). Allowed while the tube is open or closed
 * but not yet boxed; a closed tube opens again. FK_ENOTFOUND "not_in_tube". */
int tb_scan_undo(struct fk_db *db, const struct fk_principal *who, const char *code,
		 int64_t person_id, struct tb_tube *out, struct fk_err *err);
/* Closes an open tube by hand (FK_EUNPROC "tube_empty" with no samples); closing a closed
 * tube again changes nothing. */
int tb_tube_close(struct fk_db *db, const struct fk_principal *who, const char *code,
		  struct tb_tube *out, struct fk_err *err);
/* Voids an open or closed tube: its samples are voided, so their people may be sampled again,
 * and the counters go back. FK_ECONFLICT "tube_in_box" once boxed. */
int tb_tube_void(struct fk_db *db, const struct fk_principal *who, const char *code,
		 struct tb_tube *out, struct fk_err *err);

/* The buildings of a tube's live samples: how many people of each, and the path of the area
 * they live in. TB_TUBE_MAX covers the largest pool. */
#define TB_TUBE_MAX 20
struct tb_building {
	int64_t id;
	int people;
	char path[FK_AREA_PATH_MAX];
};
int tb_tube_buildings(struct fk_db *db, int64_t tube_id, struct tb_building *out, int max, int *n,
		      struct fk_err *err);

struct tb_sample {
	int64_t person_id;
	char name[FK_PERSON_NAME_MAX * 4 + 1];
	char id_number[40];
	int64_t scanned_at;
	char result[12];
	bool voided;
};
/* The samples of a tube in scan order (malloc'd *out, *n of them); names and ID numbers only
 * of people in who's scope ("" otherwise). */
int tb_tube_samples(struct fk_db *db, const struct fk_principal *who, int64_t tube_id,
		    struct tb_sample **out, int *n, struct fk_err *err);

/* The person a scan names, read within who's scope: by the id in a sampling code (parsed by
 * tb_person_code_parse), or by an ID number. FK_ENOTFOUND "unknown_person" (field person_code
 * or id_number) for anyone missing or out of scope; FK_EINVAL "invalid_id_number". */
int tb_person_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		  struct tb_person *out, struct fk_err *err);
int tb_person_by_number(struct fk_db *db, const struct fk_principal *who, const char *id_number,
			struct tb_person *out, struct fk_err *err);

/* ---- idempotency keys (scan_key.c) ---- */

/* FK_EINVAL "invalid_client_key" unless key is 8..TB_KEY_MAX of [A-Za-z0-9_.:-]. */
int tb_key_check(const char *key, struct fk_err *err);
/* 1 and the stored status and reply (in arena) when key was used by user_id for op; 0 when
 * unused; FK_ECONFLICT "client_key_reused" when it was used by someone else or for another
 * operation. */
int tb_key_find(struct fk_db *db, struct fk_arena *arena, const char *key, int64_t user_id,
		const char *op, int *status, const char **reply, struct fk_err *err);
int tb_key_store(struct fk_db *db, const char *key, int64_t user_id, const char *op, int status,
		 const char *reply, struct fk_err *err);
/* Forgets keys older than before_ms. */
int tb_key_purge(struct fk_db *db, int64_t before_ms, struct fk_err *err);
/* The job that purges keys older than TB_KEY_RETENTION_MS (module.c runs it hourly). */
int tb_key_purge_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);

/* A keyed write over HTTP: the body's client_key is checked, then the op's parse (may be
 * NULL) on the request's own thread and connection: what needs no lock nor the latest rows,
 * such as checking the body and a sampling code's HMAC, kept off the writer. A key seen
 * before answers its stored reply byte for byte and runs nothing; otherwise the op's prep
 * (may be NULL: reads that need no lock) runs, then its write in a write transaction, and
 * the write's reply
 * (status, JSON) is stored under the key in the same transaction; committed (may be NULL)
 * runs after the commit of a write that was not a replay. On SQLite the write runs in the
 * group commit and the reply is deferred (the handler returns tb_api_keyed's FK_DEFERRED as
 * it is), so ctx must live as long as the request: allocate it in req->arena. */
typedef int (*tb_prep_fn)(struct fk_req *req, void *ctx, struct fk_err *err);
typedef int (*tb_keyed_fn)(struct fk_req *req, void *ctx, int *status, json_t **reply,
			   struct fk_err *err);
struct tb_keyed_op {
	const char *name; /* what a key is stored for: "tube.scan" */
	tb_prep_fn parse;
	tb_prep_fn prep;
	tb_keyed_fn write;
	void (*committed)(struct fk_req *req, void *ctx);
};
int tb_api_keyed(struct fk_req *req, struct fk_resp *resp, const struct tb_keyed_op *op, void *ctx,
		 struct fk_err *err);

/* ---- group commit (batch.c) ---- */

/* A write waiting for its turn: run is called inside a write transaction on the writer
 * connection and returns 0 or <0 with err filled. */
struct tb_job {
	struct fk_req *req; /* run with req->db swapped for the writer connection */
	struct fk_err *err;
	int (*run)(struct tb_job *job);	  /* inside the batch's transaction */
	void (*done)(struct tb_job *job); /* after the commit; rc is the outcome */
	int rc;
	struct tb_job *next;
};
/* Queues job for the writer thread of store (started by the first job; SQLite), which runs
 * it in a transaction shared with the jobs queued beside it, under its own savepoint, then
 * calls its done (with rc the job's result, or the commit's failure). The job must live until
 * done runs. FK_EINTERNAL when there is no writer thread (stopping). */
int tb_batch_submit(struct fk_store *store, struct tb_job *job, struct fk_err *err);
/* From a job's run: undoes what the job wrote so far (its savepoint stays open). */
void tb_batch_undo(struct tb_job *job);
/* Lets the writer thread finish what is queued and stops it (the module's fini). */
void tb_batch_stop(void);

/* ---- desk visitors (visitor.c) ---- */

struct tb_visitor {
	const char *name, *id_type, *id_number, *phone, *household;
	int64_t area_id; /* 0 = the site's area */
};
/* Finds the person with this ID, or registers a visitor (residence "visitor") in the area
 * (default: the site of tube code's area) after checking the ID (fk_idcard_parse); fills
 * out for tb_scan. *created tells which. */
int tb_visitor_register(struct fk_db *db, const struct fk_principal *who, const char *code,
			const struct tb_visitor *v, struct tb_person *out, bool *created,
			struct fk_err *err);

/* ---- sampling codes and QR images (qr.c) ---- */

#define TB_PERSON_CODE_MAX 48

/* "FK1:<id>:<8 hex of HMAC-SHA256 under the store's key>". */
int tb_person_code(struct fk_db *db, int64_t person_id, char out[TB_PERSON_CODE_MAX],
		   struct fk_err *err);
/* The store's code key, kept once read: it never changes once made. One per store. */
struct tb_code_key;
struct tb_code_key *tb_code_key_new(void);
void tb_code_key_free(struct tb_code_key *k);
/* The person id in a code, if its MAC is right; FK_EINVAL "invalid_person_code" when it is
 * not a code, FK_ENOTFOUND "unknown_person" when the MAC is wrong. The key comes from cache
 * when it holds it (cache may be NULL: read from db each time). */
int tb_person_code_parse(struct fk_db *db, struct tb_code_key *cache, const char *code,
			 int64_t *person_id, struct fk_err *err);
/* A QR code of text as an SVG document (standalone) or an SVG element of size px placed at
 * x, y (inline, for sheets and labels). */
int tb_qr_svg(const char *text, struct fk_buf *out, struct fk_err *err);
int tb_qr_svg_at(const char *text, int x, int y, int px, struct fk_buf *out, struct fk_err *err);
/* A QR code of text as a PNG image, scale pixels per module. */
int tb_qr_png(const char *text, int scale, struct fk_buf *out, struct fk_err *err);
/* The label of a tube: its QR code and barcode text, as an SVG document. */
int tb_tube_label(const char *code, struct fk_buf *out, struct fk_err *err);
/* A printable HTML page of the sampling codes of everyone in area_id (a building, or any
 * area with at most TB_SHEET_MAX residents), within who's scope, names and masked IDs under
 * each code. FK_EUNPROC "too_many_people" above the cap. *count gets the number printed. */
#define TB_SHEET_MAX 3000
int tb_qr_sheet(struct fk_db *db, const struct fk_principal *who, int64_t area_id,
		struct fk_buf *out, int *count, struct fk_err *err);

/* ---- transport (transport.c) ---- */

struct tb_box {
	int64_t id, round_id, site_id, created_by, sealed_by, handed_by, received_by;
	char code[TB_CODE_MAX + 1];
	char status[12]; /* open, sealed, handed, received */
	int n;
	int64_t created_at, sealed_at, handed_at, received_at;
	char handed_to[200];
	char site_path[FK_AREA_PATH_MAX];
	bool bound;
};

/* Opens box code at site_id for round_id (open or closed round); the same code again at the
 * same site and round gives the open box back (*created false), otherwise FK_ECONFLICT
 * "box_code_taken". */
int tb_box_create(struct fk_db *db, const struct fk_principal *who, const char *code,
		  int64_t round_id, int64_t site_id, struct tb_box *out, bool *created,
		  struct fk_err *err);
/* Reads a box with its access check for who; FK_ENOTFOUND "unknown_box". */
int tb_box_get(struct fk_db *db, const struct fk_principal *who, const char *code,
	       struct tb_box *out, struct fk_err *err);
/* Puts a closed tube of the box's round into the open box. FK_ECONFLICT "box_not_open",
 * "tube_not_closed", "tube_in_box"; FK_EUNPROC "wrong_round". */
int tb_box_add(struct fk_db *db, const struct fk_principal *who, const char *box_code,
	       const char *tube_code, struct tb_box *out, struct fk_err *err);
/* open -> sealed (FK_EUNPROC "box_empty" without tubes). */
int tb_box_seal(struct fk_db *db, const struct fk_principal *who, const char *code,
		struct tb_box *out, struct fk_err *err);
/* sealed -> handed, to a named courier. */
int tb_box_handover(struct fk_db *db, const struct fk_principal *who, const char *code,
		    const char *to, struct tb_box *out, struct fk_err *err);
/* handed -> received by the lab: every tube in it becomes received. */
int tb_box_receive(struct fk_db *db, const struct fk_principal *who, const char *code,
		   struct tb_box *out, struct fk_err *err);
/* The codes and statuses of the box's tubes (malloc'd arrays of n). */
struct tb_box_tube {
	char code[TB_CODE_MAX + 1];
	char status[12];
	char result[12];
	int n;
};
int tb_box_tubes(struct fk_db *db, int64_t box_id, struct tb_box_tube **out, int *n,
		 struct fk_err *err);
/* Boxes of a round (0 = every round) with a status ("" = any), sites in who's reach, newest
 * first, at most limit. */
int tb_box_list(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		const char *status, int limit, struct tb_box **out, int *n, struct fk_err *err);

/* ---- lab (lab.c) ---- */

enum tb_outcome { TB_APPLIED = 'c', TB_UNCHANGED = '=' };

/* "negative"/"阴性", "positive"/"阳性", "invalid"/"无效" (any case) -> the English word;
 * NULL if unknown. */
const char *tb_result_norm(const char *s);
/* Records the result of a received tube (round_id > 0: the tube must be of that round,
 * else FK_EUNPROC "wrong_round"). The same result again is TB_UNCHANGED; another is
 * FK_ECONFLICT "already_resulted". A tube never received is FK_ECONFLICT "tube_not_received".
 * negative: every sample gets it; positive: the reflex (positive.c); invalid: the samples
 * are voided so their people are sampled again. Counters move in the same transaction. */
int tb_result_apply(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		    const char *code, const char *result, struct tb_tube *out,
		    enum tb_outcome *outcome, struct fk_err *err);
/* Applies a plate file (CSV tube_code,result; or 管码/试管编码,结果/检测结果) to round_id in
 * one transaction of its own: rows with errors are reported in rep and change nothing, the
 * good rows apply (created = applied, unchanged = the same result again). A broken file
 * (quote, encoding, missing column) is FK_EINVAL naming the line, nothing applied. */
int tb_plate_apply(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		   const char *data, size_t len, struct fk_import_report *rep, struct fk_err *err);

/* ---- positive pools and retests (positive.c) ---- */

/* The reflex for a positive tube, in the caller's transaction: every live sample's person
 * gets result positive and a pending retest, the counters of each building move (resulted
 * and positive), and one "positive_pool" alert per building is raised. *people gets the
 * number flagged. */
int tb_positive_reflex(struct fk_db *db, const struct tb_tube *t, int64_t now, int *people,
		       struct fk_err *err);

struct tb_retest {
	int64_t id, round_id, person_id, from_tube_id, building_id;
	char status[12];
	char person_name[FK_PERSON_NAME_MAX * 4 + 1];
	char id_number[40];
	char tube_code[TB_CODE_MAX + 1];
	char area_path[FK_AREA_PATH_MAX];
	int64_t created_at, sampled_at, settled_at;
};
/* Retests of round_id in who's scope, under area_id when > 0 (FK_ENOTFOUND if that area is
 * outside the scope), pending first. */
int tb_retest_list(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		   int64_t area_id, int limit, struct tb_retest **out, int *n, struct fk_err *err);
/* Moves retest id on: "sampled" (pending only), or settles it "negative"/"positive" (from
 * pending or sampled; the same result again changes nothing). A negative retest takes the
 * person off the building's positive count. FK_ENOTFOUND outside who's scope. */
int tb_retest_result(struct fk_db *db, const struct fk_principal *who, int64_t id,
		     const char *result, struct tb_retest *out, struct fk_err *err);

/* ---- HTTP (api_tube.c, api_lab.c, api_qr.c) ---- */

/* The tube as the API shows it (no people). */
json_t *tb_tube_json(const struct tb_tube *t);
/* An ID number as who may see it (masked unless who->see_id); buf holds the masked form. */
const char *tb_shown_id(const struct fk_principal *who, const char *id, char *buf, size_t size);

extern const struct fk_field tb_body_tube_open[], tb_body_scan[], tb_body_visitor[], tb_body_box[],
    tb_body_box_tube[], tb_body_handover[], tb_body_result[], tb_body_retest_result[];

int tb_api_tube_open(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_scan(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_scan_undo(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_tube_close(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_tube_void(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_visitor(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_tube_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_box_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_box_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_box_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_box_add(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_box_seal(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_box_handover(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_box_receive(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_result(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_plate(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_retests(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_retest_result(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_person_code(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_person_qr_svg(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_person_qr_png(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_qr_sheet(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tb_api_tube_label(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#define TB_ROLES_PEOPLE_QR (FK_ROLES_PEOPLE | FK_R(RESIDENT))
#define TB_ROLES_RETEST                                                                            \
	(FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY) | FK_R(GRID) | FK_R(BUILDING))
#define TB_ROLES_RETEST_WRITE (TB_ROLES_RETEST | FK_R(LAB) | FK_R(REGISTRAR))
#define TB_ROLES_BOX	      (TB_ROLES_DESK | FK_R(LAB))

/* The tubes half's entries of the module's route table (module.c). */
/* clang-format off */
#define TB_ROUTES \
	{"POST", "/api/v1/rounds/{id}/tubes", tb_api_tube_open, TB_ROLES_DESK, 0, tb_body_tube_open, 0, \
	 "Open a tube by its barcode at a site (registrars: their sites only); idempotent by client_key"}, \
	{"GET", "/api/v1/tubes/{code}", tb_api_tube_get, TB_ROLES_DESK | FK_R(LAB), 0, NULL, 0, \
	 "A tube: status, chain-of-custody times, result; its people (not for the lab)"}, \
	{"POST", "/api/v1/tubes/{code}/scans", tb_api_scan, TB_ROLES_DESK, 0, tb_body_scan, 0, \
	 "Scan a person (sampling code or ID number) into an open tube; idempotent by client_key"}, \
	{"DELETE", "/api/v1/tubes/{code}/scans/{person_id}", tb_api_scan_undo, TB_ROLES_DESK, 0, NULL, 0, \
	 "Undo a wrong scan while the tube is not yet boxed"}, \
	{"POST", "/api/v1/tubes/{code}/close", tb_api_tube_close, TB_ROLES_DESK, 0, NULL, 0, \
	 "Close a tube by hand"}, \
	{"POST", "/api/v1/tubes/{code}/void", tb_api_tube_void, TB_ROLES_DESK, 0, NULL, 0, \
	 "Void an open or closed tube; its people may be sampled again"}, \
	{"POST", "/api/v1/tubes/{code}/visitors", tb_api_visitor, TB_ROLES_DESK, 0, tb_body_visitor, 0, \
	 "Register a visitor at the desk (ID checked) and scan them into the tube"}, \
	{"GET", "/api/v1/tubes/{code}/label.svg", tb_api_tube_label, TB_ROLES_DESK, 0, NULL, 0, \
	 "Printable tube label: QR code of the barcode and its text (SVG)"}, \
	{"GET", "/api/v1/people/{id}/sampling-code", tb_api_person_code, TB_ROLES_PEOPLE_QR, 0, NULL, 0, \
	 "A resident's personal sampling code as text (what the QR code holds)"}, \
	{"GET", "/api/v1/people/{id}/qr.svg", tb_api_person_qr_svg, TB_ROLES_PEOPLE_QR, 0, NULL, 0, \
	 "A resident's personal sampling code as SVG"}, \
	{"GET", "/api/v1/people/{id}/qr.png", tb_api_person_qr_png, TB_ROLES_PEOPLE_QR, 0, NULL, 0, \
	 "A resident's personal sampling code as PNG (?scale=1..32)"}, \
	{"GET", "/api/v1/areas/{id}/qr-sheet", tb_api_qr_sheet, FK_ROLES_PEOPLE, 0, NULL, 0, \
	 "Printable HTML sheet of the sampling codes of everyone in a building (audited)"}, \
	{"GET", "/api/v1/boxes", tb_api_box_list, TB_ROLES_BOX, 0, NULL, 0, \
	 "Transport boxes: round_id, status, limit"}, \
	{"POST", "/api/v1/boxes", tb_api_box_create, TB_ROLES_DESK, 0, tb_body_box, 0, \
	 "Open a transport box at a site for a round"}, \
	{"GET", "/api/v1/boxes/{code}", tb_api_box_get, TB_ROLES_BOX, 0, NULL, 0, \
	 "A box with its chain of custody and tube codes"}, \
	{"POST", "/api/v1/boxes/{code}/tubes", tb_api_box_add, TB_ROLES_DESK, 0, tb_body_box_tube, 0, \
	 "Put a closed tube into an open box"}, \
	{"POST", "/api/v1/boxes/{code}/seal", tb_api_box_seal, TB_ROLES_DESK, 0, NULL, 0, \
	 "Seal a box"}, \
	{"POST", "/api/v1/boxes/{code}/handover", tb_api_box_handover, TB_ROLES_DESK, 0, tb_body_handover, 0, \
	 "Hand a sealed box over to a courier"}, \
	{"POST", "/api/v1/boxes/{code}/receive", tb_api_box_receive, FK_R(LAB) | FK_R(ADMIN), 0, NULL, 0, \
	 "Lab receipt of a handed-over box; its tubes become received"}, \
	{"POST", "/api/v1/tubes/{code}/result", tb_api_result, TB_ROLES_LAB, 0, tb_body_result, 0, \
	 "Record a received tube's result (negative, positive, invalid); idempotent by client_key"}, \
	{"POST", "/api/v1/rounds/{id}/plate", tb_api_plate, TB_ROLES_LAB, FK_RF_RAW_BODY, NULL, 8u << 20, \
	 "Apply a plate file (CSV tube_code,result): bad rows reported, good rows applied"}, \
	{"GET", "/api/v1/rounds/{id}/retests", tb_api_retests, TB_ROLES_RETEST, 0, NULL, 0, \
	 "Single-tube retests of people in positive pools, in scope (area_id, limit)"}, \
	{"POST", "/api/v1/retests/{id}/result", tb_api_retest_result, TB_ROLES_RETEST_WRITE, 0, tb_body_retest_result, 0, \
	 "Mark a retest sampled, or settle it negative or positive"}
/* clang-format on */

#endif
