/*
 * migrate.h - bringing a database's schema up to date.
 *
 * Migrations are the numbered files migrations/NNNN_name.sql.  The build
 * embeds them in the program; `--dir` applies them from a directory
 * instead.  Each is applied in its own transaction and recorded in
 * schema_migrations with its SHA-256, so a second run is a no-op and an
 * applied file that was later edited is refused (65) by name.  A session
 * advisory lock makes concurrent runs wait for each other.
 */
#ifndef CASEAUDIT_MIGRATE_H
#define CASEAUDIT_MIGRATE_H

#include <stddef.h>
#include <stdio.h>
#include <libpq-fe.h>

#include "error.h"

struct ca_migration {
	const char *name;   /* "0001_foundation.sql" */
	const char *sql;
	size_t len;
};

/* The migrations compiled into this program, ending with a NULL name. */
extern const struct ca_migration ca_migrations_embedded[];

typedef struct ca_migrate_result {
	int applied;   /* newly applied by this run */
	int present;   /* already applied before */
	int unknown;   /* applied to the database but not known to this program
	                * (a newer caseaudit migrated it) */
	char first_unknown[128];
} ca_migrate_result;

/* Apply pending migrations from dir (NULL: the embedded ones).  Progress
 * lines go to out when it is not NULL. */
int ca_migrate(PGconn *conn, const char *dir, FILE *out,
    ca_migrate_result *result, ca_err *err);

/* A digest of the embedded migrations (names and contents): tests use it
 * to name a template database that is rebuilt when the schema changes. */
void ca_migrations_fingerprint(char out[65]);

#endif
