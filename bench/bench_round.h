/* bench_round: what the benchmarks that scan over HTTP share — the residents' sampling codes
 * read from a demo store, and a round over the district opened by the commander with a site
 * that registrar1 is bound to (a new round and site for each run). Header-only, as bench.h.
 *
 *   struct person *p = load_people(db, n);
 *   struct setup s = {.run = 1};
 *   set_up(port, &s); // s.round_id, s.site_id; s.reg holds registrar1's cookie and token */
#ifndef FK_BENCH_ROUND_H
#define FK_BENCH_ROUND_H
#include "bench_http.h"
#include "tubes/internal.h"

#define POOL 10 /* samples a tube */

/* ---- the people and their codes ---- */

struct person {
	int64_t id, area_id;
	char area_path[FK_AREA_PATH_MAX];
	char code[TB_PERSON_CODE_MAX];
};

static struct person *load_people(struct fk_db *db, long long n)
{
	struct person *p = fk_xcalloc((size_t)n, sizeof(*p));
	struct fk_err err = {0};
	struct fk_q *q;
	long long i = 0;

	if (fk_db_query(db, &q, "SELECT id, area_id, area_path FROM people ORDER BY id LIMIT ?",
			&err) < 0)
		bench_die("people", &err);
	fk_q_bind_i64(q, 1, n);
	while (i < n && fk_q_step(q, &err) > 0) {
		p[i].id = fk_q_i64(q, 0);
		p[i].area_id = fk_q_i64(q, 1);
		snprintf(p[i].area_path, sizeof(p[i].area_path), "%s", fk_q_text(q, 2));
		i++;
	}
	fk_q_done(q);
	if (i < n)
		bench_die("fewer residents than scans", NULL);
	for (i = 0; i < n; i++)
		if (tb_person_code(db, p[i].id, p[i].code, &err) < 0)
			bench_die("sampling code", &err);
	return p;
}

/* ---- setup over HTTP ---- */

struct setup {
	char round_id[24], site_id[24];
	struct conn reg;
	int run; /* a new round and site for each run */
};

static void set_up(int port, struct setup *s)
{
	struct conn *c = fk_xcalloc(1, sizeof(*c));
	char body[512], path[128], reg_id[24] = "", district[24], deadline[32];
	json_t *j, *v;
	size_t i;

	login(c, port, "admin");
	j = must(c, "GET", "/api/v1/users", NULL, 200);
	json_array_foreach(json_object_get(j, "items"), i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "username")), "registrar1") == 0)
			snprintf(reg_id, sizeof(reg_id), "%s",
				 json_string_value(json_object_get(v, "id")));
	}
	json_decref(j);
	j = must(c, "GET", "/api/v1/areas", NULL, 200);
	snprintf(district, sizeof(district), "%s",
		 json_string_value(
		     json_object_get(json_array_get(json_object_get(j, "items"), 0), "id")));
	json_decref(j);
	close(c->fd);
	login(c, port, "commander");
	snprintf(body, sizeof(body),
		 "{\"name\":\"bench\",\"area_ids\":[\"%s\"],\"deadline_at\":\"%s\","
		 "\"pool_size\":%d}",
		 district, fk_iso8601(fk_now_ms() + 86400000, deadline), POOL);
	id_of(must(c, "POST", "/api/v1/rounds", body, 201), "id", s->round_id, sizeof(s->round_id));
	snprintf(path, sizeof(path), "/api/v1/rounds/%s/open", s->round_id);
	json_decref(must(c, "POST", path, NULL, 200));
	snprintf(body, sizeof(body),
		 "{\"area_id\":\"%s\",\"code\":\"BENCH%d\",\"name\":\"bench\",\"kind\":\"fixed\","
		 "\"desks\":4}",
		 district, s->run);
	id_of(must(c, "POST", "/api/v1/sites", body, 201), "id", s->site_id, sizeof(s->site_id));
	snprintf(path, sizeof(path), "/api/v1/sites/%s/registrars", s->site_id);
	snprintf(body, sizeof(body), "{\"user_ids\":[\"%s\"]}", reg_id);
	json_decref(must(c, "PUT", path, body, 200));
	close(c->fd);
	free(c);
	login(&s->reg, port, "registrar1");
	close(s->reg.fd);
}

#endif
