/* graph: the transmission graph (SPEC §10) as ECharts draws it — one node per person (a person
 * in two chains, or a contact of two cases, appears once: a case over a close contact over a
 * secondary one), links "infected" (source case → case), "close" (case → contact) and
 * "secondary" (close contact → secondary contact), one per pair of people. A contact's
 * generation is the one it would have if infected (its case's + 1, secondary + 2). People
 * outside the caller's scope keep their place in the chain but not their name (name null,
 * hidden true). By case: the whole chain it is in (its first known ancestor and every
 * descendant, with their contacts); by area: the cases under it, their sources and contacts.
 * The chain is read with recursive queries, which both stores run. */
#include <stdio.h>
#include <string.h>
#include "base/id.h"
#include "trace/internal.h"

struct graph {
	const struct fk_principal *who;
	json_t *nodes, *links;
	json_t *index; /* person id -> node */
	json_t *pairs; /* "a>b" -> true, one link per pair */
};

static const char *const role_rank[] = {"secondary", "close", "case", NULL};

static int rank(const char *role)
{
	for (int i = 0; role_rank[i]; i++)
		if (strcmp(role_rank[i], role) == 0)
			return i;
	return -1;
}

/* The node of person (made, or raised to role when role ranks higher). */
static void node(struct graph *g, int64_t person, int64_t case_id, const char *role,
		 const char *status, int64_t generation, const char *name, const char *path)
{
	char key[24];
	json_t *n = json_object_get(g->index, fk_id_format(person, key));
	bool shown = fk_scope_covers(g->who, path);

	if (n && rank(role) <= rank(json_string_value(json_object_get(n, "role"))))
		return;
	if (!n) {
		n = json_object();
		json_object_set_new(g->index, key, n); /* the index holds one reference */
		json_array_append(g->nodes, n);
	}
	json_object_set_new(n, "id", json_string(key));
	json_object_set_new(n, "case_id", case_id ? fk_json_idv(case_id) : json_null());
	json_object_set_new(n, "name", shown ? fk_json_strv(name) : json_null());
	json_object_set_new(n, "hidden", json_boolean(!shown));
	json_object_set_new(n, "status", fk_json_strv(status));
	json_object_set_new(n, "generation", json_integer(generation));
	json_object_set_new(n, "role", json_string(role));
}

static void link(struct graph *g, int64_t from, int64_t to, const char *kind)
{
	char a[24], b[24], key[50];

	if (!from || !to || from == to)
		return;
	snprintf(key, sizeof(key), "%s>%s", fk_id_format(from, a), fk_id_format(to, b));
	if (json_object_get(g->pairs, key))
		return;
	json_object_set_new(g->pairs, key, json_true());
	json_array_append_new(g->links,
			      json_pack("{s:s, s:s, s:s}", "source", a, "target", b, "kind", kind));
}

/* A row of CASE_ROW: the case, then its source case (NULLs when none). */
#define CASE_ROW                                                                                   \
	"c.id, c.person_id, c.status, c.generation, c.area_path, p.name, s.person_id, s.id, "      \
	"s.status, s.generation, s.area_path, sp.name"
#define CASE_JOIN                                                                                  \
	" JOIN people p ON p.id = c.person_id LEFT JOIN cases s ON s.id = c.source_case_id LEFT "  \
	"JOIN people sp ON sp.id = s.person_id"

static void case_row(struct graph *g, struct fk_q *q)
{
	node(g, fk_q_i64(q, 1), fk_q_i64(q, 0), "case", fk_q_text(q, 2), fk_q_i64(q, 3),
	     fk_q_text(q, 5), fk_q_text(q, 4));
	if (fk_q_isnull(q, 6))
		return;
	node(g, fk_q_i64(q, 6), fk_q_i64(q, 7), "case", fk_q_text(q, 8), fk_q_i64(q, 9),
	     fk_q_text(q, 11), fk_q_text(q, 10));
	link(g, fk_q_i64(q, 6), fk_q_i64(q, 1), "infected");
}

/* A row of CONTACT_ROW: the contact, its case's person and generation, its via's person. */
#define CONTACT_ROW                                                                                \
	"k.person_id, k.kind, k.status, k.area_path, p.name, c.person_id, c.generation, "          \
	"v.person_id"
#define CONTACT_JOIN                                                                               \
	" JOIN people p ON p.id = k.person_id LEFT JOIN contacts v ON v.id = k.via_contact_id"

static void contact_row(struct graph *g, struct fk_q *q)
{
	const char *kind = fk_q_text(q, 1);
	bool close = strcmp(kind, "close") == 0;

	node(g, fk_q_i64(q, 0), 0, kind, fk_q_text(q, 2), fk_q_i64(q, 6) + (close ? 1 : 2),
	     fk_q_text(q, 4), fk_q_text(q, 3));
	link(g, close || fk_q_isnull(q, 7) ? fk_q_i64(q, 5) : fk_q_i64(q, 7), fk_q_i64(q, 0), kind);
}

static int rows(struct fk_q *q, struct graph *g, void (*fn)(struct graph *, struct fk_q *),
		struct fk_err *err)
{
	int rc;

	while ((rc = fk_q_step(q, err)) > 0)
		fn(g, q);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static void graph_init(struct graph *g, const struct fk_principal *who)
{
	g->who = who;
	g->nodes = json_array();
	g->links = json_array();
	g->index = json_object();
	g->pairs = json_object();
}

static int graph_end(struct graph *g, int rc, json_t **out)
{
	json_decref(g->index);
	json_decref(g->pairs);
	if (rc == 0) {
		*out = json_pack("{s:o, s:o}", "nodes", g->nodes, "links", g->links);
		return 0;
	}
	json_decref(g->nodes);
	json_decref(g->links);
	*out = NULL;
	return rc;
}

/* The first known ancestor of case id (itself when it has no source). */
static int chain_root(struct fk_db *db, int64_t id, int64_t *root, struct fk_err *err)
{
	int rc =
	    fk_db_one_i64(db, err, root,
			  "WITH RECURSIVE up(id, src, n) AS (SELECT id, source_case_id, 0 FROM "
			  "cases WHERE id = ? UNION ALL SELECT c.id, c.source_case_id, u.n + 1 "
			  "FROM cases c JOIN up u ON c.id = u.src WHERE u.n < 10000) SELECT id "
			  "FROM up ORDER BY n DESC LIMIT 1",
			  "i", id);

	return rc < 0 ? rc : 0;
}

#define CHAIN                                                                                      \
	"WITH RECURSIVE chain(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT c.id FROM cases c "    \
	"JOIN chain h ON c.source_case_id = h.id) "

int tc_graph_case(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		  struct fk_err *err)
{
	struct graph g;
	struct fk_q *q;
	int64_t root = id;
	int rc = tc_case_read(db, who, id, NULL, NULL, NULL, NULL, err);

	if (rc == 0)
		rc = chain_root(db, id, &root, err);
	if (rc < 0)
		return rc;
	graph_init(&g, who);
	rc = fk_db_query(db, &q,
			 CHAIN "SELECT " CASE_ROW
			       " FROM chain h JOIN cases c ON c.id = h.id" CASE_JOIN
			       " ORDER BY c.generation, c.id",
			 err);
	if (rc == 0) {
		fk_q_bind_i64(q, 1, root);
		rc = rows(q, &g, case_row, err);
	}
	if (rc == 0)
		rc = fk_db_query(db, &q,
				 CHAIN "SELECT " CONTACT_ROW " FROM chain h JOIN cases c ON c.id = "
				       "h.id JOIN contacts k ON k.case_id = c.id" CONTACT_JOIN
				       " WHERE k.status <> 'moved' ORDER BY k.kind, k.id",
				 err);
	if (rc == 0) {
		fk_q_bind_i64(q, 1, root);
		rc = rows(q, &g, contact_row, err);
	}
	return graph_end(&g, rc, out);
}

static int area_rows(struct fk_db *db, struct graph *g, const char *head, const char *under,
		     void (*fn)(struct graph *, struct fk_q *), struct fk_err *err)
{
	const struct fk_scoped_query sq = {.head = head, .col = "c.area_path", .under = under};
	struct fk_q *q;
	int next, rc = fk_scoped_query(db, g->who, &sq, &q, &next, err);

	return rc < 0 ? rc : rows(q, g, fn, err);
}

int tc_graph_area(struct fk_db *db, const struct fk_principal *who, int64_t area_id, json_t **out,
		  struct fk_err *err)
{
	struct fk_area a = {0};
	struct graph g;
	int rc = area_id ? fk_area_get_in_scope(db, who, area_id, "area_id", &a, err) : 0;

	if (rc < 0)
		return rc;
	graph_init(&g, who);
	rc = area_rows(db, &g, "SELECT " CASE_ROW " FROM cases c" CASE_JOIN " WHERE ",
		       area_id ? a.path : NULL, case_row, err);
	if (rc == 0)
		rc = area_rows(db, &g,
			       "SELECT " CONTACT_ROW " FROM cases c JOIN contacts k ON k.case_id = "
			       "c.id" CONTACT_JOIN " WHERE k.status <> 'moved' AND ",
			       area_id ? a.path : NULL, contact_row, err);
	fk_area_release(&a);
	return graph_end(&g, rc, out);
}
