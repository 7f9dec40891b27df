/* plan: the round plan — how many people each sampling site serves in the round and whether
 * its desks and the round's sites are enough by the planning rules of SPEC §3, read from the
 * current policies (one site per 2,000-3,000 people, one desk per 600-800, samplers about
 * population / 360 by default), and which buildings no site serves. Counted within the
 * caller's part of the round. People are the round's expected counters once it is open, the
 * residents before. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "testing/internal.h"

/* The planning rules of one policy version. */
struct rules {
	int64_t version;
	int64_t site_min, site_max, desk_min, desk_max, sampler;
};

struct plan {
	struct fk_db *db;
	const struct fk_round *r;
	struct tr_round_areas *top; /* the caller's part of the round */
	json_t *warnings;
	struct rules rules;
};

static void rules_read(struct fk_db *db, struct rules *out)
{
	struct fk_policy_snap *s = fk_policy_snap(db);

	out->version = fk_policy_snap_version(s);
	out->site_min = fk_policy_snap_i64(s, TR_POLICY(SITE_PEOPLE_MIN));
	out->site_max = fk_policy_snap_i64(s, TR_POLICY(SITE_PEOPLE_MAX));
	out->desk_min = fk_policy_snap_i64(s, TR_POLICY(DESK_PEOPLE_MIN));
	out->desk_max = fk_policy_snap_i64(s, TR_POLICY(DESK_PEOPLE_MAX));
	out->sampler = fk_policy_snap_i64(s, TR_POLICY(SAMPLER_PEOPLE));
	fk_policy_snap_release(s);
}

static json_t *rules_json(const struct rules *r)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "policy_version", (json_int_t)r->version,
			 "site_people_min", (json_int_t)r->site_min, "site_people_max",
			 (json_int_t)r->site_max, "desk_people_min", (json_int_t)r->desk_min,
			 "desk_people_max", (json_int_t)r->desk_max, "sampler_people",
			 (json_int_t)r->sampler);
}

/* "one site per 2000-3000 people" / "one desk per 600-800 people", in each language. */
static void per_people(char *zh, char *en, size_t n, const char *zh_what, const char *en_what,
		       int64_t lo, int64_t hi)
{
	snprintf(zh, n, "%s：每 %lld–%lld 人需 1 个", zh_what, (long long)lo, (long long)hi);
	snprintf(en, n, "%s: one per %lld-%lld people", en_what, (long long)lo, (long long)hi);
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	return a <= 0 ? 0 : (a + b - 1) / b;
}

static void warn(json_t *list, const char *code, json_t *args, const char *zh, const char *en)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "code", code, "message_zh", zh, "message_en", en);

	json_object_update(o, args);
	json_decref(args);
	json_array_append_new(list, o);
}

/* People under path: the counters of an open round, else the residents. */
static int people_under(struct plan *p, const char *path, int64_t *out, struct fk_err *err)
{
	struct tr_counts c;
	int rc;

	if (p->r->status == FK_ROUND_PLANNED)
		return fk_area_residents_count(p->db, path, out, err);
	rc = tr_counts_under(p->db, p->r->id, path, &c, err);
	*out = c.expected;
	return rc;
}

/* People of an assigned area that fall in the caller's part of the round. */
static int people_in_round(struct plan *p, const char *path, int64_t *out, struct fk_err *err)
{
	int rc = 0;

	*out = 0;
	for (int i = 0; rc == 0 && i < p->top->n; i++) {
		const char *t = p->top->a[i].path;
		int64_t n = 0;
		if (tr_path_under(path, t))
			rc = people_under(p, path, &n, err);
		else if (tr_path_under(t, path))
			rc = people_under(p, t, &n, err);
		*out += n;
	}
	return rc;
}

struct site_load {
	int64_t id, people;
	int desks;
	char code[64], name[FK_AREA_NAME_MAX * 4 + 1], kind[8];
};

/* Active sites whose assigned areas meet the caller's part of the round, with their areas. */
static const char sql_sites[] =
    "SELECT s.id, s.code, s.name, s.kind, s.desks, sa.area_path FROM sites s "
    "JOIN site_areas sa ON sa.site_id = s.id WHERE s.active = 1 AND "
    "((sa.area_path >= ? AND sa.area_path < ?) OR "
    "(CAST(? AS TEXT) >= sa.area_path AND CAST(? AS TEXT) < (sa.area_path || '~'))) "
    "ORDER BY s.code, sa.area_path";

static struct site_load *site_slot(struct site_load **l, int *n, int *cap, int64_t id)
{
	for (int i = 0; i < *n; i++)
		if ((*l)[i].id == id)
			return NULL; /* seen under another round area: counted there */
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*l = fk_xrealloc(*l, (size_t)*cap * sizeof(**l));
	}
	memset(&(*l)[*n], 0, sizeof(**l));
	return &(*l)[(*n)++];
}

struct assigned {
	int64_t site;
	char path[FK_AREA_PATH_MAX];
};

static int read_assigned(struct plan *p, const char *t, struct site_load **l, int *n, int *cap,
			 struct assigned **as, int *nas, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_q *q;
	int rc;

	rc = fk_db_query(p->db, &q, sql_sites, err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, t);
	fk_q_bind_text(q, 2, tr_upper(t, upper));
	fk_q_bind_text(q, 3, t);
	fk_q_bind_text(q, 4, t);
	while ((rc = fk_q_step(q, err)) > 0) {
		int64_t id = fk_q_i64(q, 0);
		struct site_load *s = *n && (*l)[*n - 1].id == id ? NULL : site_slot(l, n, cap, id);
		if (s) {
			s->id = id;
			snprintf(s->code, sizeof(s->code), "%s", fk_q_text(q, 1));
			snprintf(s->name, sizeof(s->name), "%s", fk_q_text(q, 2));
			snprintf(s->kind, sizeof(s->kind), "%s", fk_q_text(q, 3));
			s->desks = (int)fk_q_i64(q, 4);
		}
		*as = fk_xrealloc(*as, (size_t)(*nas + 1) * sizeof(**as));
		(*as)[*nas].site = id;
		snprintf((*as)[(*nas)++].path, sizeof((*as)[0].path), "%s", fk_q_text(q, 5));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static json_t *site_json(const struct rules *ru, const struct site_load *s)
{
	int64_t need_desks = ceil_div(s->people, ru->desk_max);
	int64_t need_sites = ceil_div(s->people, ru->site_max);
	json_t *w = json_array();
	json_t *o = json_pack("{s:o, s:s, s:s, s:s, s:i, s:I, s:I, s:I, s:I}", "id",
			      fk_json_idv(s->id), "code", s->code, "name", s->name, "kind", s->kind,
			      "desks", s->desks, "people", (json_int_t)s->people, "sites_needed",
			      (json_int_t)need_sites, "desks_needed", (json_int_t)need_desks,
			      "samplers_needed", (json_int_t)ceil_div(s->people, ru->sampler));
	char zh[160], en[160];

	per_people(zh, en, sizeof zh, "该采样点服务人数超标，需增设采样点",
		   "the site serves too many people; add sites", ru->site_min, ru->site_max);
	if (need_sites > 1)
		warn(w, "site_overloaded",
		     json_pack("{s:s, s:I}", "site", s->code, "sites_needed",
			       (json_int_t)need_sites),
		     zh, en);
	per_people(zh, en, sizeof zh, "采样台不足", "too few desks", ru->desk_min, ru->desk_max);
	if (s->desks < need_desks)
		warn(w, "desks_short",
		     json_pack("{s:s, s:I}", "site", s->code, "desks_needed",
			       (json_int_t)need_desks),
		     zh, en);
	json_object_set_new(o, "warnings", w);
	return o;
}

/* Is assigned entry i repeated earlier, or inside another area of the same site? */
static bool redundant(const struct assigned *as, int n, int i)
{
	for (int j = 0; j < n; j++) {
		if (j == i || as[j].site != as[i].site || !tr_path_under(as[i].path, as[j].path))
			continue;
		if (strcmp(as[i].path, as[j].path) != 0 || j < i)
			return true;
	}
	return false;
}

static int site_people(struct plan *p, struct site_load *l, int n, const struct assigned *as,
		       int nas, struct fk_err *err)
{
	int rc = 0;

	for (int i = 0; rc == 0 && i < nas; i++) {
		int64_t people = 0;
		if (redundant(as, nas, i))
			continue;
		rc = people_in_round(p, as[i].path, &people, err);
		for (int k = 0; rc == 0 && k < n; k++)
			if (l[k].id == as[i].site)
				l[k].people += people;
	}
	return rc;
}

/* Buildings of the caller's part of the round that no active site serves. */
static int unassigned(struct plan *p, int64_t *out, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int rc = 0;

	*out = 0;
	for (int i = 0; rc == 0 && i < p->top->n; i++) {
		int64_t n = 0;
		rc = fk_db_one_i64(
		    p->db, err, &n,
		    "SELECT COUNT(*) FROM areas b WHERE b.kind = 'building' AND b.path >= ? AND "
		    "b.path < ? AND NOT EXISTS (SELECT 1 FROM site_areas sa JOIN sites s ON "
		    "s.id = sa.site_id WHERE s.active = 1 AND b.path >= sa.area_path AND "
		    "b.path < (sa.area_path || '~'))",
		    "tt", p->top->a[i].path, tr_upper(p->top->a[i].path, upper));
		rc = rc < 0 ? rc : 0;
		*out += n;
	}
	return rc;
}

static json_t *totals_json(struct plan *p, int64_t population, int nsites, int64_t desks,
			   int64_t no_site)
{
	const struct rules *ru = &p->rules;
	int64_t need_sites = ceil_div(population, ru->site_max);
	int64_t need_desks = ceil_div(population, ru->desk_max);
	char zh[160], en[160];

	per_people(zh, en, sizeof zh, "采样点不足", "too few sampling sites", ru->site_min,
		   ru->site_max);
	if (nsites < need_sites)
		warn(p->warnings, "sites_short",
		     json_pack("{s:i, s:I}", "sites", nsites, "sites_needed",
			       (json_int_t)need_sites),
		     zh, en);
	per_people(zh, en, sizeof zh, "采样台不足", "too few desks", ru->desk_min, ru->desk_max);
	if (desks < need_desks)
		warn(p->warnings, "desks_short",
		     json_pack("{s:I, s:I}", "desks", (json_int_t)desks, "desks_needed",
			       (json_int_t)need_desks),
		     zh, en);
	if (no_site > 0)
		warn(p->warnings, "buildings_without_site",
		     json_pack("{s:I}", "buildings", (json_int_t)no_site), "有楼栋未分配采样点",
		     "some buildings are served by no sampling site");
	return json_pack("{s:I, s:i, s:I, s:I, s:I, s:I, s:I}", "population",
			 (json_int_t)population, "sites", nsites, "desks", (json_int_t)desks,
			 "sites_needed", (json_int_t)need_sites, "desks_needed",
			 (json_int_t)need_desks, "samplers_needed",
			 (json_int_t)ceil_div(population, ru->sampler), "buildings_without_site",
			 (json_int_t)no_site);
}

static int plan_sites(struct plan *p, json_t *sites, int *nsites, int64_t *desks,
		      struct fk_err *err)
{
	struct site_load *l = NULL;
	struct assigned *as = NULL;
	int n = 0, cap = 0, nas = 0, rc = 0;

	for (int i = 0; rc == 0 && i < p->top->n; i++)
		rc = read_assigned(p, p->top->a[i].path, &l, &n, &cap, &as, &nas, err);
	if (rc == 0)
		rc = site_people(p, l, n, as, nas, err);
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o = site_json(&p->rules, &l[i]);
		json_array_extend(p->warnings, json_object_get(o, "warnings"));
		json_array_append_new(sites, o);
		*desks += l[i].desks;
	}
	*nsites = n;
	free(l);
	free(as);
	return rc;
}

int tr_round_plan(struct fk_db *db, const struct fk_principal *who, const struct fk_round *r,
		  const struct tr_round_areas *ra, json_t **out, struct fk_err *err)
{
	struct plan p = {db, r, fk_xmalloc(sizeof(*p.top)), json_array(), {0}};
	json_t *sites = json_array();
	int64_t population = 0, desks = 0, no_site = 0;
	int nsites = 0, rc = 0;

	if (rc == 0)
		tr_top_areas(who, ra, p.top);
	rules_read(db, &p.rules);
	for (int i = 0; rc == 0 && i < p.top->n; i++) {
		int64_t n = 0;
		rc = people_under(&p, p.top->a[i].path, &n, err);
		population += n;
	}
	if (rc == 0)
		rc = plan_sites(&p, sites, &nsites, &desks, err);
	if (rc == 0)
		rc = unassigned(&p, &no_site, err);
	*out = NULL;
	if (rc == 0) {
		json_t *totals = totals_json(&p, population, nsites, desks, no_site);
		*out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "round_id", fk_json_idv(r->id),
				 "totals", totals, "sites", sites, "warnings", p.warnings, "rules",
				 rules_json(&p.rules));
	} else {
		json_decref(sites);
		json_decref(p.warnings);
	}
	free(p.top);
	return rc;
}
