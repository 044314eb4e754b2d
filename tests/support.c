/*
 * support.c - test databases and running the CLI; see support.h.
 */
#include "support.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "migrate.h"

static PGconn *
connect_to(const char *dbname)
{
	const char *keys[] = { "dbname", NULL };
	const char *vals[] = { dbname, NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 0);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "test: cannot connect to %s: %s", dbname, PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	return c;
}

static int
exec_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		fprintf(stderr, "test: %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

static int
db_exists(PGconn *c, const char *name)
{
	const char *p[1] = { name };
	PGresult *r = PQexecParams(c, "SELECT 1 FROM pg_database WHERE datname = $1",
	    1, NULL, p, NULL, NULL, 0);
	int yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;

	PQclear(r);
	return yes;
}

/* Templates of earlier schemas are of no further use. */
static void
drop_old_templates(PGconn *admin, const char *keep)
{
	const char *p[1] = { keep };
	PGresult *r = PQexecParams(admin, "SELECT datname FROM pg_database"
	    " WHERE datname LIKE 'caseaudit\\_tpl\\_%' AND datname <> $1", 1, NULL, p, NULL, NULL, 0);
	char sql[256];

	for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", PQgetvalue(r, i, 0));
		exec_ok(admin, sql);
	}
	PQclear(r);
}

/* Build the template once per schema version; concurrent test programs
 * wait on an advisory lock, and the final rename marks it complete. */
static int
ensure_template(PGconn *admin, char *tpl, size_t size)
{
	char fp[65], sql[256], building[80];
	ca_migrate_result res;
	ca_err err = { 0 };
	PGconn *c;
	int rc = -1;

	ca_migrations_fingerprint(fp);
	snprintf(tpl, size, "caseaudit_tpl_%.16s", fp);
	snprintf(building, sizeof building, "caseaudit_tplnew_%.16s", fp);
	if (exec_ok(admin, "SELECT pg_advisory_lock(4242)") != 0)
		return -1;
	if (db_exists(admin, tpl)) {
		rc = 0;
		goto out;
	}
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", building);
	if (exec_ok(admin, sql) != 0)
		goto out;
	snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", building);
	if (exec_ok(admin, sql) != 0)
		goto out;
	if ((c = connect_to(building)) == NULL)
		goto out;
	if (ca_migrate(c, NULL, NULL, &res, &err) != 0) {
		fprintf(stderr, "test: migrating the template: %s\n", err.msg);
		PQfinish(c);
		goto out;
	}
	PQfinish(c);
	snprintf(sql, sizeof sql, "ALTER DATABASE %s RENAME TO %s", building, tpl);
	rc = exec_ok(admin, sql);
	if (rc == 0)
		drop_old_templates(admin, tpl);
out:
	exec_ok(admin, "SELECT pg_advisory_unlock(4242)");
	return rc;
}

static int
create_from(const char *group, char *name, size_t size, int migrated)
{
	char tpl[80] = "template0", sql[256];
	PGconn *admin = connect_to("postgres");
	int rc = -1;

	if (admin == NULL)
		return -1;
	if (!migrated || ensure_template(admin, tpl, sizeof tpl) == 0) {
		snprintf(name, size, "caseaudit_t_%s_%ld", group, (long)getpid());
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
		exec_ok(admin, sql);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", name, tpl);
		rc = exec_ok(admin, sql);
	}
	PQfinish(admin);
	return rc;
}

int
test_db_create(const char *group, char *name, size_t size)
{
	return create_from(group, name, size, 1);
}

int
test_db_create_empty(const char *group, char *name, size_t size)
{
	return create_from(group, name, size, 0);
}

void
test_db_drop(const char *name)
{
	char sql[256];
	PGconn *admin = connect_to("postgres");

	if (admin == NULL)
		return;
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	exec_ok(admin, sql);
	PQfinish(admin);
}

PGconn *
test_db_connect(const char *name)
{
	return connect_to(name);
}

test_group_db test_group;

/* Named after the test program, so concurrent groups never collide. */
static int
group_open(int migrated)
{
	const char *prog = program_invocation_short_name;

	if (strncmp(prog, "test_", 5) == 0)
		prog += 5;
	if (create_from(prog, test_group.name, sizeof test_group.name, migrated) != 0)
		return -1;
	test_group.conn = connect_to(test_group.name);
	return test_group.conn ? 0 : -1;
}

int
test_group_setup(void **state)
{
	(void)state;
	return group_open(1);
}

int
test_group_setup_empty(void **state)
{
	(void)state;
	return group_open(0);
}

int
test_group_teardown(void **state)
{
	(void)state;
	PQfinish(test_group.conn);
	test_group.conn = NULL;
	test_db_drop(test_group.name);
	return 0;
}

char *
test_db_value(PGconn *conn, const char *sql)
{
	PGresult *r = PQexec(conn, sql);
	char *v = NULL;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		v = strdup(PQgetvalue(r, 0, 0));
	else if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fprintf(stderr, "test: %s: %s", sql, PQerrorMessage(conn));
	PQclear(r);
	return v;
}

void
test_db_clear_sampling(void)
{
	test_db_exec(test_group.conn, "TRUNCATE reminders, audits, sampling_run_members,"
	    " sampling_run_strata, sampling_runs, sampling_plan_providers, sampling_plans, jobs"
	    " RESTART IDENTITY CASCADE");
}

long long
test_db_count(PGconn *conn, const char *sql)
{
	char *v = test_db_value(conn, sql);
	long long n = v ? atoll(v) : -1;

	free(v);
	return n;
}

void
test_db_exec(PGconn *conn, const char *sql)
{
	PGresult *r = PQexec(conn, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(conn));
	PQclear(r);
}

int
test_run_cli(test_run *r, const char *db, const char *const *extra_env,
    const char *const *argv)
{
	/* Standard input is empty: a command that reads it sees end-of-file
	 * at once rather than waiting on the test's own terminal. */
	return test_run_cli_stdin(r, db, extra_env, argv, NULL, 0);
}

/* Feed standard input while reading both output pipes, so that no stream
 * of the child can block on a full pipe. */
int
test_run_cli_stdin(test_run *r, const char *db, const char *const *extra_env,
    const char *const *argv, const void *in, size_t inlen)
{
	const char *bin = strcmp(argv[0], "caseauditd") == 0 ? CASEAUDITD_BIN : CASEAUDIT_BIN;
	int pi[2], po[2], pe[2], status, open_fds = 2;
	size_t len[2] = { 0, 0 }, cap[2] = { 4096, 4096 }, sent = 0;
	char *buf[2];
	struct pollfd p[3];
	pid_t pid;

	memset(r, 0, sizeof *r);
	if (pipe(pi) != 0 || pipe(po) != 0 || pipe(pe) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int n = 0;
		char **args;

		while (argv[n] != NULL)
			n++;
		args = calloc((size_t)n + 1, sizeof *args);
		args[0] = (char *)bin;
		for (int i = 1; i < n; i++)
			args[i] = (char *)argv[i];
		dup2(pi[0], 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(pi[0]); close(pi[1]); close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
		if (db != NULL)
			setenv("PGDATABASE", db, 1);
		for (const char *const *e = extra_env; e != NULL && *e != NULL; e++)
			putenv((char *)*e);
		execv(bin, args);
		_exit(127);
	}
	close(pi[0]);
	close(po[1]);
	close(pe[1]);
	/* A program that stops reading must not make the test hang on a
	 * write, nor kill it with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	fcntl(pi[1], F_SETFL, fcntl(pi[1], F_GETFL) | O_NONBLOCK);
	buf[0] = malloc(cap[0]);
	buf[1] = malloc(cap[1]);
	p[0] = (struct pollfd){ po[0], POLLIN, 0 };
	p[1] = (struct pollfd){ pe[0], POLLIN, 0 };
	p[2] = (struct pollfd){ inlen > 0 ? pi[1] : -1, POLLOUT, 0 };
	if (inlen == 0)
		close(pi[1]);
	while (open_fds > 0 || p[2].fd >= 0) {
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[2].fd >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(p[2].fd, (const char *)in + sent, inlen - sent);

			if (w > 0)
				sent += (size_t)w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == inlen) {
				close(p[2].fd);
				p[2].fd = -1;
			}
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (cap[i] - len[i] < 4096) {
				cap[i] *= 2;
				buf[i] = realloc(buf[i], cap[i]);
			}
			n = read(p[i].fd, buf[i] + len[i], cap[i] - len[i] - 1);
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
			} else
				len[i] += (size_t)n;
		}
	}
	buf[0][len[0]] = '\0';
	buf[1][len[1]] = '\0';
	r->out = buf[0];
	r->err = buf[1];
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

const char *
test_sqlf(const char *fmt, ...)
{
	static char sql[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return sql;
}

int
test_cli(test_run *r, const char *a1, ...)
{
	const char *argv[24] = { strcmp(a1, "--once") == 0 ? "caseauditd" : "caseaudit", a1 };
	va_list ap;
	int n = 2;

	va_start(ap, a1);
	while (n < 23 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(test_run_cli(r, test_group.name, NULL, argv), 0);
	return r->status;
}

void
test_run_free(test_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

char *
test_capture(const char *fmt, ...)
{
	char cmd[4096], *out = NULL;
	size_t len = 0, cap = 0, got;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	do {
		if (len + 4096 + 1 > cap) {
			cap = 2 * cap + 8192;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		got = fread(out + len, 1, 4096, p);
		len += got;
	} while (got > 0);
	out[len] = '\0';
	if (pclose(p) != 0)
		fail_msg("`%s` failed", cmd);
	return out;
}

size_t
test_count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

int
test_forms_load(const char *first, ...)
{
	char paths[8][4200];
	const char *argv[12] = { "caseaudit", "forms", "load" };
	const char *f = first;
	int n = 3, rc = 0;
	test_run r;
	va_list ap;

	va_start(ap, first);
	for (int i = 0; f != NULL && i < 8; i++, f = va_arg(ap, const char *)) {
		if (f[0] == '/')
			snprintf(paths[i], sizeof paths[i], "%s", f);
		else
			snprintf(paths[i], sizeof paths[i], "%s/%s", CASEAUDIT_SOURCE_DIR, f);
		argv[n++] = paths[i];
	}
	va_end(ap);
	argv[n] = NULL;
	if (test_run_cli(&r, test_group.name, NULL, argv) != 0 || r.status != 0) {
		fprintf(stderr, "forms load: %s%s\n", r.out ? r.out : "", r.err ? r.err : "");
		rc = -1;
	}
	test_run_free(&r);
	return rc;
}

char *
test_write_file(const char *name, const void *data, size_t len)
{
	char *dir = test_tempdir(), *path;
	size_t n = strlen(dir) + strlen(name) + 2;
	FILE *f;

	path = malloc(n);
	snprintf(path, n, "%s/%s", dir, name);
	free(dir);
	f = fopen(path, "wb");
	if (f == NULL)
		return path;
	fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

const char *
test_fixture(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof path, "%s/%s", CASEAUDIT_FIXTURES, name);
	return path;
}

/* Temporary directories go when the test program ends, however it ends
 * short of a crash: a suite run every few minutes must not fill /tmp.
 * Only the process that made them removes them (forked children do not). */
static struct {
	char *dir[64];
	int n;
	pid_t owner;
} tempdirs;

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	remove(path);
	return 0;
}

static void
remove_tempdirs(void)
{
	if (getpid() != tempdirs.owner)
		return;
	for (int i = 0; i < tempdirs.n; i++) {
		nftw(tempdirs.dir[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		free(tempdirs.dir[i]);
	}
	tempdirs.n = 0;
}

static void
remember_tempdir(const char *d)
{
	if (tempdirs.n == 0 && tempdirs.owner == 0) {
		tempdirs.owner = getpid();
		atexit(remove_tempdirs);
	}
	if (tempdirs.n < 64 && getpid() == tempdirs.owner)
		tempdirs.dir[tempdirs.n++] = strdup(d);
}

char *
test_tempdir(void)
{
	char tmpl[] = "/tmp/caseaudit-test-XXXXXX";
	char *d = mkdtemp(tmpl);

	if (d != NULL)
		remember_tempdir(d);
	return strdup(d ? d : "/tmp");
}

int
test_fixture_load(const char *const *sql, size_t n)
{
	if (test_forms_load("forms/screening.yaml", "forms/care-act-assessment.yaml", NULL) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		PGresult *res = PQexec(test_group.conn, sql[i]);
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		    PQresultStatus(res) == PGRES_TUPLES_OK;

		if (!ok)
			fprintf(stderr, "fixture %zu: %s\n", i, PQerrorMessage(test_group.conn));
		PQclear(res);
		if (!ok)
			return -1;
	}
	return 0;
}
