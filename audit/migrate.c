/*
 * migrate.c - applying migrations in order, once each; see migrate.h.
 */
#include "migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "sha256.h"
#include "strbuf.h"

/* "caseaudi" in ASCII as a big-endian 64-bit integer: the advisory lock
 * key every migrate run takes. */
#define MIGRATE_LOCK_KEY "7161131761759773801"

typedef struct migration_set {
	struct ca_migration *items;
	char **owned;        /* loaded from a directory: names and texts to free */
	size_t n;
} migration_set;

static void
set_free(migration_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->owned != NULL) {
			free(s->owned[i]);
			free((char *)s->items[i].name);
		}
	}
	free(s->owned);
	free(s->items);
	memset(s, 0, sizeof *s);
}

static int
is_migration_name(const char *name)
{
	size_t len = strlen(name);

	if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return 0;
	for (int i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	for (size_t i = 5; i < len - 4; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return 0;
	return 1;
}

static int
read_file(const char *path, char **buf, size_t *len, ca_err *err)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 8192, n = 0, got;
	char *b;

	if (f == NULL)
		return ca_err_set(err, CA_EX_NOINPUT, "cannot read %s: %s", path, strerror(errno));
	b = malloc(cap);
	while (b != NULL && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0) {
			char *nb = realloc(b, cap * 2);

			if (nb == NULL) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	if (b == NULL || ferror(f)) {
		int e = errno;

		fclose(f);
		free(b);
		return ca_err_set(err, CA_EX_NOINPUT, "cannot read %s: %s", path, strerror(e));
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
load_dir(const char *dir, migration_set *s, ca_err *err)
{
	struct dirent **ents = NULL;
	char path[4096];
	int n, rc = 0;

	n = scandir(dir, &ents, NULL, by_name);
	if (n < 0)
		return ca_err_set(err, CA_EX_NOINPUT, "cannot read migrations directory %s: %s",
		    dir, strerror(errno));
	s->items = calloc((size_t)n + 1, sizeof *s->items);
	s->owned = calloc((size_t)n + 1, sizeof *s->owned);
	if (s->items == NULL || s->owned == NULL)
		rc = ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
	for (int i = 0; i < n; i++) {
		if (rc == 0 && is_migration_name(ents[i]->d_name)) {
			struct ca_migration *m = &s->items[s->n];
			char *sql = NULL;
			size_t len = 0;

			snprintf(path, sizeof path, "%s/%s", dir, ents[i]->d_name);
			rc = read_file(path, &sql, &len, err);
			if (rc == 0) {
				m->name = strdup(ents[i]->d_name);
				m->sql = sql;
				m->len = len;
				s->owned[s->n++] = sql;
			}
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static int
load_embedded(migration_set *s, ca_err *err)
{
	size_t n = 0;

	while (ca_migrations_embedded[n].name != NULL)
		n++;
	s->items = calloc(n + 1, sizeof *s->items);
	if (s->items == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
	memcpy(s->items, ca_migrations_embedded, n * sizeof *s->items);
	s->n = n;
	return 0;
}

/* The digest stored for a migration covers exactly its bytes. */
static void
digest(const struct ca_migration *m, char hex[65])
{
	ca_sha256_hex(m->sql, m->len, hex);
}

static const char *bootstrap_sql =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" name text PRIMARY KEY,"
	" sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),"
	" applied_at timestamptz NOT NULL DEFAULT now())";

/* Migrations the database has that this program does not: the database
 * was migrated by a newer caseaudit. */
static int
count_unknown(PGconn *conn, const migration_set *s, ca_migrate_result *result, ca_err *err)
{
	ca_strbuf names;
	PGresult *res;

	ca_strbuf_init(&names);
	ca_strbuf_adds(&names, "{");
	for (size_t i = 0; i < s->n; i++)
		ca_strbuf_addf(&names, "%s\"%s\"", i ? "," : "", s->items[i].name);
	ca_strbuf_adds(&names, "}");
	res = ca_strbuf_failed(&names) ? NULL : ca_db_query(conn, err, "reading schema_migrations",
	    "SELECT name FROM schema_migrations WHERE name <> ALL ($1::text[]) ORDER BY name",
	    1, (const char *[]){ names.data });
	ca_strbuf_free(&names);
	if (res == NULL)
		return err->code ? err->code : ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
	result->unknown = PQntuples(res);
	if (result->unknown > 0)
		snprintf(result->first_unknown, sizeof result->first_unknown, "%s",
		    PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Refuse to go on if any applied migration's file has changed since. */
static int
check_applied(PGconn *conn, const migration_set *s, int *applied, ca_err *err)
{
	PGresult *res;
	char hex[65];

	for (size_t i = 0; i < s->n; i++) {
		const char *p[1] = { s->items[i].name };

		applied[i] = 0;
		res = ca_db_query(conn, err, "reading schema_migrations",
		    "SELECT sha256, to_char(applied_at, 'DD/MM/YYYY HH24:MI') "
		    "FROM schema_migrations WHERE name = $1", 1, p);
		if (res == NULL)
			return err->code;
		if (PQntuples(res) == 1) {
			digest(&s->items[i], hex);
			if (strcmp(hex, PQgetvalue(res, 0, 0)) != 0) {
				ca_err_set(err, CA_EX_DATAERR,
				    "migrations/%s: changed after it was applied on %s "
				    "(recorded SHA-256 %.12s…, file now %.12s…); "
				    "released migrations are never edited: add a new one",
				    s->items[i].name, PQgetvalue(res, 0, 1),
				    PQgetvalue(res, 0, 0), hex);
				PQclear(res);
				return CA_EX_DATAERR;
			}
			applied[i] = 1;
		}
		PQclear(res);
	}
	return 0;
}

static int
apply_one(PGconn *conn, const struct ca_migration *m, ca_err *err)
{
	char hex[65], what[300];
	const char *p[2] = { m->name, hex };
	int rc;

	digest(m, hex);
	snprintf(what, sizeof what, "applying migration %s", m->name);
	if ((rc = ca_db_begin(conn, err)) != 0)
		return rc;
	if ((rc = ca_db_exec_script(conn, err, what, m->sql)) != 0 ||
	    (rc = ca_db_exec(conn, err, what,
	    "INSERT INTO schema_migrations (name, sha256) VALUES ($1, $2)", 2, p)) != 0 ||
	    (rc = ca_db_commit(conn, err)) != 0) {
		ca_db_rollback(conn);
		return rc;
	}
	return 0;
}

int
ca_migrate(PGconn *conn, const char *dir, FILE *out,
    ca_migrate_result *result, ca_err *err)
{
	migration_set set = { 0 };
	int *applied = NULL;
	int rc;

	memset(result, 0, sizeof *result);
	rc = dir ? load_dir(dir, &set, err) : load_embedded(&set, err);
	if (rc != 0)
		goto out;
	if ((rc = ca_db_exec(conn, err, "waiting for other migrations",
	    "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", 0, NULL)) != 0)
		goto out;
	applied = calloc(set.n + 1, sizeof *applied);
	if (applied == NULL) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
		goto unlock;
	}
	if ((rc = ca_db_exec(conn, err, "creating schema_migrations", bootstrap_sql, 0, NULL)) != 0 ||
	    (rc = check_applied(conn, &set, applied, err)) != 0 ||
	    (rc = count_unknown(conn, &set, result, err)) != 0)
		goto unlock;
	for (size_t i = 0; i < set.n; i++) {
		if (applied[i]) {
			result->present++;
			continue;
		}
		if ((rc = apply_one(conn, &set.items[i], err)) != 0)
			goto unlock;
		result->applied++;
		if (out != NULL)
			fprintf(out, "applied %s\n", set.items[i].name);
	}
unlock:
	PQclear(PQexec(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")"));
out:
	free(applied);
	set_free(&set);
	return rc;
}

void
ca_migrations_fingerprint(char out[65])
{
	ca_sha256 c;
	char hex[65];

	if (ca_sha256_init(&c) != 0) {
		memset(out, '0', 64);
		out[64] = '\0';
		return;
	}
	for (const struct ca_migration *m = ca_migrations_embedded; m->name; m++) {
		digest(m, hex);
		ca_sha256_update(&c, m->name, strlen(m->name));
		ca_sha256_update(&c, hex, 64);
	}
	ca_sha256_final_hex(&c, out);
}
