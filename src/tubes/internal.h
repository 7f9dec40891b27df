/* internal: what the files of the tubes module share and nobody else uses — tubes and scans
 * (tube.c), desk visitors (visitor.c), sampling codes and QR images (qr.c), transport boxes
 * (transport.c), lab results and plates (lab.c), the positive-pool reflex with its retests
 * (positive.c), a person's results by round (results.c), and the route table (module.c). What it
 * needs of rounds and sites comes through testing/testing.h.
 *
 * Rules take a principal and do their own access checks: a registrar works only at the sites
 * it is bound to (site_registrars), other roles only where the site's area is in their scope.
 * Unless said otherwise a function that writes expects the caller to hold a write
 * transaction (fk_tx_begin), so that the HTTP layer can store the reply of a keyed write in
 * the same transaction. */
#ifndef FK_TUBES_INTERNAL_H
#define FK_TUBES_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "base/buf.h"
#include "base/report.h"
#include "http/http.h"
#include "people/people.h"
#include "platform/keyed.h"
#include "testing/testing.h"
#include "tubes/tubes.h"

#define TB_CODE_MAX 32 /* tube and box barcodes: 1..32 of [A-Za-z0-9_-] */

/* Who may register (open tubes, scan, pack boxes) and who may read the lab's side. */
#define TB_ROLES_DESK (FK_R(REGISTRAR) | FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define TB_ROLES_LAB  (FK_R(LAB) | FK_R(ADMIN))

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
/* May who see / work on the tube (or box) at a site with this path? The site must be in who's
 * scope and, for a registrar, bound to it. 0, or FK_ENOTFOUND with no message: the caller
 * answers exactly as for a missing tube, box or site (tb_unknown_tube...), never otherwise. */
int tb_site_access(const struct fk_principal *who, bool bound, const char *site_path);
/* FK_ENOTFOUND "unknown_tube" naming field: the one reply for a tube that does not exist or
 * that the caller may not see. */
int tb_unknown_tube(const char *code, const char *field, struct fk_err *err);

/* Reads a site who may work at (fk_testing_site_desk, then tb_site_access); FK_ENOTFOUND
 * "site_not_found". */
int tb_site_read(struct fk_db *db, const struct fk_principal *who, int64_t site_id,
		 struct fk_site_desk *out, struct fk_err *err);

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
int tb_scan(struct fk_app *app, struct fk_db *db, const struct fk_principal *who, const char *code,
	    const struct tb_person *p, struct tb_tube *out, struct fk_err *err);
/* tb_scan in two steps: the check reads the tube and may run before the transaction (it
 * refuses early what it can); the write takes the place, still guarded against a tube that
 * filled or a round that closed since, and records the sample. A person of a level-3 zone
 * (fk_zone_of over app; app NULL: no zones) goes alone into a tube, which then closes, or
 * with the people of the same household only when the zone samples by household: into a
 * tube that holds someone else, FK_EUNPROC "single_tube_required". */
int tb_scan_check(struct fk_db *db, const struct fk_principal *who, const char *code,
		  struct tb_tube *out, struct fk_err *err);
int tb_scan_write(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
		  struct tb_tube *t, const struct tb_person *p, struct fk_err *err);
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
int tb_result_apply(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
		    int64_t round_id, const char *code, const char *result, struct tb_tube *out,
		    enum tb_outcome *outcome, struct fk_err *err);
/* Applies a plate file (CSV tube_code,result; or 管码/试管编码,结果/检测结果) to round_id in
 * one transaction of its own: rows with errors are reported in rep and change nothing, the
 * good rows apply (created = applied, unchanged = the same result again). A broken file
 * (quote, encoding, missing column) is FK_EINVAL naming the line, nothing applied. */
int tb_plate_apply(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
		   int64_t round_id, const char *data, size_t len, struct fk_import_report *rep,
		   struct fk_err *err);

/* ---- positive pools and retests (positive.c) ---- */

/* The reflex for a positive tube, in the caller's transaction: every live sample's person
 * gets result positive and a pending retest, the counters of each building move (resulted
 * and positive), one "positive_pool" alert per building is raised and the signal
 * FK_SIGNAL_POSITIVE_POOL goes to app's listeners (app may be NULL: none). *people gets the
 * number flagged. */
int tb_positive_reflex(struct fk_app *app, struct fk_db *db, const struct tb_tube *t, int64_t now,
		       int *people, struct fk_err *err);

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
 * person off the building's positive count; a positive one is signalled
 * (FK_SIGNAL_POSITIVE_RETEST, to app's listeners) in the caller's transaction. FK_ENOTFOUND
 * outside who's scope. */
int tb_retest_result(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
		     int64_t id, const char *result, struct tb_retest *out, struct fk_err *err);

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

/* The route table (module.c). */
extern const struct fk_route tb_routes[];

/* ---- a person's results (results.c) ---- */

/* Appends the samples of person_id to items, newest round first (at most 200): {round_id,
 * round_name, day, tube_code, sampled_at, result (pending|negative|positive|retest_pending|
 * void), result_at}. The caller checked the person may be read. */
int tb_person_results(struct fk_db *db, int64_t person_id, json_t *items, struct fk_err *err);
int tb_api_person_results(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
