/* backup_manifest: the JSON manifest beside a backup file and the file's checksum. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "cmd/backup.h"
#include "cmd/cmd.h"

#define READ_CHUNK (1 << 16)

void manifest_path(const char *file, char *out, size_t size)
{
	if ((size_t)snprintf(out, size, "%s.manifest.json", file) >= size)
		die("%s: the path is too long", file);
}

bool url_is_postgres(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

void file_blake2b(const char *path, int64_t *bytes, char hex[FK_DIGEST_HEX])
{
	FILE *f = fopen(path, "rb");
	crypto_generichash_state st;
	unsigned char h[32];
	unsigned char *chunk;
	size_t n;

	if (!f)
		die("%s: %s", path, strerror(errno));
	chunk = fk_xmalloc(READ_CHUNK);
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	*bytes = 0;
	while ((n = fread(chunk, 1, READ_CHUNK, f)) > 0) {
		crypto_generichash_update(&st, chunk, n);
		*bytes += (int64_t)n;
	}
	if (ferror(f))
		die("%s: reading failed: %s", path, strerror(errno));
	fclose(f);
	free(chunk);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(hex, FK_DIGEST_HEX, h, sizeof(h));
}

json_t *schema_versions(struct fk_db *db)
{
	struct fk_err err = {0};
	struct fk_q *q;
	json_t *o = json_object();
	int rc;

	if (fk_db_query(db, &q,
			"SELECT module, MAX(version) FROM module_migrations GROUP BY module "
			"ORDER BY module",
			&err) < 0)
		die_err("schema versions", &err);
	while ((rc = fk_q_step(q, &err)) > 0)
		json_object_set_new(o, fk_q_text(q, 0), json_integer(fk_q_i64(q, 1)));
	fk_q_done(q);
	if (rc < 0)
		die_err("schema versions", &err);
	return o;
}

static json_t *tables_json(const struct manifest *m)
{
	json_t *a = json_array();

	for (int i = 0; i < m->ntables; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:s}", "name", m->tables[i].name,
						   "rows", (json_int_t)m->tables[i].rows, "blake2b",
						   m->tables[i].blake2b));
	return a;
}

void manifest_write(const char *path, const struct manifest *m)
{
	char part[4096];
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:O, s:o}", "format", BACKUP_FORMAT,
			      "fangkong", FK_VERSION, "store", m->store, "created_at",
			      m->created_at, "bytes", (json_int_t)m->bytes, "blake2b", m->blake2b,
			      "schema", m->schema, "tables", tables_json(m));

	snprintf(part, sizeof(part), "%s.part", path);
	if (!o || json_dump_file(o, part, JSON_INDENT(1) | JSON_SORT_KEYS) < 0)
		die("%s: cannot write the manifest", part);
	json_decref(o);
	if (rename(part, path) < 0)
		die("%s: %s", path, strerror(errno));
}

static void read_tables(const char *path, json_t *a, struct manifest *m)
{
	size_t i;
	json_t *t;

	if (!json_is_array(a))
		die("%s: \"tables\" must be an array", path);
	m->ntables = (int)json_array_size(a);
	m->tables = fk_xcalloc(m->ntables ? (size_t)m->ntables : 1, sizeof(*m->tables));
	json_array_foreach(a, i, t)
	{
		const char *name = json_string_value(json_object_get(t, "name"));
		const char *sum = json_string_value(json_object_get(t, "blake2b"));
		json_t *rows = json_object_get(t, "rows");

		if (!name || !sum || !json_is_integer(rows))
			die("%s: tables[%zu] needs name, rows and blake2b", path, i);
		fk_copy_text(m->tables[i].name, sizeof(m->tables[i].name), name);
		fk_copy_text(m->tables[i].blake2b, sizeof(m->tables[i].blake2b), sum);
		m->tables[i].rows = json_integer_value(rows);
	}
}

void manifest_read(const char *path, struct manifest *m)
{
	json_error_t je;
	json_t *o = json_load_file(path, 0, &je);
	const char *format, *store, *sum;

	memset(m, 0, sizeof(*m));
	if (!o)
		die("%s: line %d: not a backup manifest: %s", path, je.line, je.text);
	format = json_string_value(json_object_get(o, "format"));
	store = json_string_value(json_object_get(o, "store"));
	sum = json_string_value(json_object_get(o, "blake2b"));
	if (!format || strcmp(format, BACKUP_FORMAT) != 0)
		die("%s: field \"format\" is not \"%s\"", path, BACKUP_FORMAT);
	if (!store || (strcmp(store, "sqlite") != 0 && strcmp(store, "postgres") != 0))
		die("%s: field \"store\" must be \"sqlite\" or \"postgres\"", path);
	if (!sum || !json_is_integer(json_object_get(o, "bytes")))
		die("%s: fields \"bytes\" and \"blake2b\" are required", path);
	fk_copy_text(m->store, sizeof(m->store), store);
	fk_copy_text(m->blake2b, sizeof(m->blake2b), sum);
	fk_copy_text(m->created_at, sizeof(m->created_at),
		     json_string_value(json_object_get(o, "created_at")));
	m->bytes = json_integer_value(json_object_get(o, "bytes"));
	m->schema = json_incref(json_object_get(o, "schema"));
	read_tables(path, json_object_get(o, "tables"), m);
	json_decref(o);
}

void manifest_release(struct manifest *m)
{
	json_decref(m->schema);
	free(m->tables);
	memset(m, 0, sizeof(*m));
}

const struct fk_table_digest *manifest_table(const struct manifest *m, const char *name)
{
	for (int i = 0; i < m->ntables; i++)
		if (strcmp(m->tables[i].name, name) == 0)
			return &m->tables[i];
	return NULL;
}
