/* tubes: what happens to a sample once a round is open (SPEC §3 registration, transport, lab)
 * — tubes opened at a site's desk and the people scanned into them, visitors registered at
 * the desk, personal sampling codes and their QR images, boxes carried to the lab, lab
 * results and plate files, and the reflex of a positive pool with its single-tube retests.
 * Rounds, sites and the coverage they move are the testing module's (testing/testing.h).
 *
 * Other modules reach it through its routes, the few reads below (for the zones module's
 * rules, and fk_tubes_code_person for the gates module at a checkpoint) and its signals. */
#ifndef FK_TUBES_H
#define FK_TUBES_H
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"

/* The signal of a positive pool (platform/signal.h), emitted in the transaction that records
 * the tube's positive result. Payload:
 *   {"round_id": "123", "tube_code": "T0001",
 *    "buildings": [{"area_id": "305", "area_path": "/1/12/305/", "people": 4}, ...]}
 * ids as strings, as the API writes them; one entry per area of the tube's people (the area
 * each lives in: a building, unit or household). */
#define FK_SIGNAL_POSITIVE_POOL "tubes.positive_pool"
/* The signal of a positive single-tube retest, emitted in the transaction that settles it
 * positive. Payload: {"retest_id": "9", "round_id": "123", "person_id": "42",
 * "area_path": "/1/12/305/"} (ids as strings; area_path the person's home area). */
#define FK_SIGNAL_POSITIVE_RETEST "tubes.positive_retest"
/* The signal of a tube opened at a site's desk, emitted in the transaction that opens it (not
 * for a retry that gives back the same open tube). Payload: {"site_id": "7", "tube_id": "88"}
 * (ids as strings). A listener must not refuse it: the supplies module draws the site's stock
 * with it. */
#define FK_SIGNAL_TUBE_OPENED "tubes.opened"

/* What the samples under an area say, for a rule that follows results (a zone's lift). */
struct fk_tubes_area_results {
	int64_t last_positive_at; /* the latest positive pool result or positive retest, 0 none */
	int sampled;		  /* live samples scanned from `from` to `to` */
	int negative;		  /* of those, resulted negative */
};
/* Fills out for the people sampled at or under area_path: the last positive up to `to`, and
 * the samples scanned in [from, to). 0 or a store error. */
int fk_tubes_area_results(struct fk_db *db, const char *area_path, int64_t from, int64_t to,
			  struct fk_tubes_area_results *out, struct fk_err *err);
/* Whether tube code has a positive result: *positive; FK_ENOTFOUND "unknown_tube" naming field
 * when no tube has the code. */
int fk_tubes_is_positive(struct fk_db *db, const char *code, const char *field, bool *positive,
			 struct fk_err *err);

extern const struct fk_module fk_module_tubes;

/* The person id a resident's sampling code ("FK1:<id>:<mac>", what the QR code holds) names,
 * when its MAC is right under the store's key. Reads only. FK_EINVAL "invalid_person_code"
 * when code is not a sampling code, FK_ENOTFOUND "unknown_person" (both naming person_code)
 * when its MAC is wrong; it does not say whether the person still exists. app (may be NULL:
 * the key is read each time) keeps the key once read. */
int fk_tubes_code_person(struct fk_app *app, struct fk_db *db, const char *code, int64_t *person_id,
			 struct fk_err *err);

/* A QR code of text (libqrencode, error correction M) as a standalone SVG document appended
 * to out, for other modules' links (a screening campaign's public form). FK_EINVAL when text
 * cannot be encoded; FK_ETOOBIG past out's cap. */
struct fk_buf;
int fk_qr_svg(const char *text, struct fk_buf *out, struct fk_err *err);
/* Replies 200 image/svg+xml with the QR code of a public link: path (e.g. "/v/<token>") after
 * the origin the browser shows (?origin=, an http(s):// address) or else http:// and the Host
 * header. FK_EINVAL "invalid_origin" naming origin for a bad ?origin=; fk_qr_svg's errors. */
struct fk_req;
struct fk_resp;
int fk_qr_link_reply(struct fk_req *req, struct fk_resp *resp, const char *path,
		     struct fk_err *err);

/* ---- figures (daily report) ---- */

/* The day's testing at or under area path `under` over [from, to) (epoch ms, one China
 * Standard Time day for the daily report): *tested, the live samples scanned; *positives, the
 * samples whose tube's result came back positive in it. Reads only; 0 or a store error. */
int fk_tubes_day_figures(struct fk_db *db, const char *under, int64_t from, int64_t to,
			 int64_t *tested, int64_t *positives, struct fk_err *err);

/* ---- rows (exports) ---- */

/* The columns of fk_tubes_results_page, NULL-ended: keys and headings (Chinese). */
extern const char *const fk_tubes_results_keys[];
extern const char *const fk_tubes_results_heads[];
/* Round round_id's live samples of people at or under area path `under`, by sample id (the
 * cursor is the last id read), up to limit, each given to row as text columns (see
 * fk_people_export_page: the same contract, unmasked). 0 or an error. */
int fk_tubes_results_page(struct fk_db *db, int64_t round_id, const char *under, const char *after,
			  int limit, int (*row)(void *ctx, const char *const *v, int n), void *ctx,
			  char *next, size_t next_size, struct fk_err *err);

#endif
