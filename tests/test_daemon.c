/*
 * test_daemon.c - the real caseauditd binary end to end: --once and its
 * exit codes, SIGTERM finishing the job in hand, SIGKILL leaving nothing
 * committed and the next daemon finishing the job, two daemons sharing a
 * queue of 100 jobs with each done once, SIGHUP reloading (and refusing a
 * bad file), waking on NOTIFY while using no CPU when idle, and a database
 * (a throwaway cluster of its own) going away and coming back.
 *
 * Waits poll for a condition with a deadline; no test relies on a fixed
 * sleep being long enough.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

/* ---- the job the tests run ------------------------------------------------
 * Everything that depends on the kinds work.c provides is in this block.
 * Until the real work.c lands, the daemon's one kind is the placeholder
 * "sleep": it waits for payload {"seconds": x} inside its transaction and
 * changes nothing else, so "its work is not visible" means "the job is not
 * done".  When real kinds arrive, change TEST_KIND and test_job_payload,
 * and make test_job_effects count the rows the kind writes. */
#define TEST_KIND "sleep"

static void
test_job_payload(char *buf, size_t size, double seconds)
{
	snprintf(buf, size, "{\"seconds\": %.3f}", seconds);
}

/* How many times the work of the job with this key has been committed. */
static long long
test_job_effects(PGconn *c, const char *key)
{
	const char *p[1] = { key };
	PGresult *r = PQexecParams(c, "SELECT count(*) FROM jobs WHERE key = $1"
	    " AND state = 'done'", 1, NULL, p, NULL, NULL, 0);
	long long n = PQresultStatus(r) == PGRES_TUPLES_OK ? atoll(PQgetvalue(r, 0, 0)) : -1;

	PQclear(r);
	return n;
}
/* ---- end of what depends on work.c ------------------------------------- */

static void
exec_sql(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
}

static void
enqueue_test_job(PGconn *c, const char *key, double seconds)
{
	char payload[64];
	const char *p[3] = { TEST_KIND, key, payload };
	PGresult *r;

	test_job_payload(payload, sizeof payload, seconds);
	r = PQexecParams(c, "INSERT INTO jobs (kind, key, payload) VALUES ($1, $2, $3::jsonb)",
	    3, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("enqueue: %s", PQerrorMessage(c));
	PQclear(r);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- daemons the tests start -------------------------------------------- */

#define MAX_DAEMONS 4
static pid_t started[MAX_DAEMONS];
static char *scratch;   /* a temporary directory per test */

/* Start caseauditd with args (after the program name), its standard error
 * to log, PGDATABASE set to db unless NULL. */
static pid_t
spawn(const char *db, const char *log, const char *const *args)
{
	const char *argv[16] = { CASEAUDITD_BIN };
	pid_t pid;
	int n = 1;

	for (; args != NULL && *args != NULL && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(fd, 2);
		if (db != NULL)
			setenv("PGDATABASE", db, 1);
		execv(CASEAUDITD_BIN, (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < MAX_DAEMONS; i++)
		if (started[i] == 0) {
			started[i] = pid;
			break;
		}
	return pid;
}

static void
forget(pid_t pid)
{
	for (int i = 0; i < MAX_DAEMONS; i++)
		if (started[i] == pid)
			started[i] = 0;
}

/* The exit status (or 128 + signal), or -1 if still running at the
 * deadline. */
static int
wait_exit(pid_t pid, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;
	int status;

	do {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			forget(pid);
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		sleep_ms(10);
	} while (now_ms() < end);
	return -1;
}

static int
alive(pid_t pid)
{
	int status;

	return waitpid(pid, &status, WNOHANG) == 0;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static int
count_in(const char *path, const char *needle)
{
	char *text = slurp(path), *p = text;
	int n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	free(text);
	return n;
}

static int
wait_log(const char *path, const char *needle, int times, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	do {
		if (count_in(path, needle) >= times)
			return 1;
		sleep_ms(20);
	} while (now_ms() < end);
	return 0;
}

static int
wait_count(PGconn *c, const char *sql, long long want, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	do {
		if (test_db_count(c, sql) == want)
			return 1;
		sleep_ms(20);
	} while (now_ms() < end);
	return 0;
}

static char *
path_in(const char *name)
{
	size_t n = strlen(scratch) + strlen(name) + 2;
	char *p = malloc(n);

	snprintf(p, n, "%s/%s", scratch, name);
	return p;
}

static char *
write_config(const char *name, const char *text)
{
	char *p = path_in(name);
	FILE *f = fopen(p, "w");

	fputs(text, f);
	fclose(f);
	return p;
}

static void
remove_tree(const char *dir)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execlp("rm", "rm", "-rf", dir, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
}

/* Each test: an empty queue, no heartbeats, a scratch directory; and no
 * daemon left running whatever happened. */
static int
fresh(void **state)
{
	(void)state;
	exec_sql(test_group.conn, "TRUNCATE jobs RESTART IDENTITY");
	exec_sql(test_group.conn, "DELETE FROM daemon_heartbeats");
	scratch = test_tempdir();
	return 0;
}

static int
tidy(void **state)
{
	(void)state;
	for (int i = 0; i < MAX_DAEMONS; i++)
		if (started[i] > 0) {
			kill(started[i], SIGKILL);
			waitpid(started[i], NULL, 0);
			started[i] = 0;
		}
	remove_tree(scratch);
	free(scratch);
	scratch = NULL;
	return 0;
}

/* ---- --once --------------------------------------------------------------- */

static void
test_once(void **state)
{
	const char *once[] = { "--once", NULL };
	const char *unreachable[] = { "--once", "--db", "host=/nonexistent port=1", NULL };
	const char *bad_today[] = { "--once", "--today", "2026-02-30", NULL };
	char *log = path_in("once.log"), *bad, *text;
	const char *bad_config[] = { "--once", "--config", NULL, NULL };
	PGconn *c = test_group.conn;

	(void)state;
	enqueue_test_job(c, "once-1", 0.05);
	enqueue_test_job(c, "once-2", 0.05);
	enqueue_test_job(c, "once-3", 0);
	assert_int_equal(wait_exit(spawn(test_group.name, log, once), 20000), 0);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM jobs WHERE state = 'done'"
	    " AND attempts = 1"), 3);
	assert_int_equal(count_in(log, " event=job_done job="), 3);
	assert_int_equal(count_in(log, " event=stopped jobs_done=3 jobs_failed=0"), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM daemon_heartbeats"), 0);
	/* the log's shape: a UTC timestamp first, one event per line */
	text = slurp(log);
	assert_true(strncmp(text, "ts=", 3) == 0 && text[22] == 'Z');
	assert_non_null(strstr(text, " level=info event=job_done job=1 kind=" TEST_KIND
	    " key=once-1 attempts=1 ms="));
	free(text);
	/* a kind this version does not know fails, is queued again, exit 75 */
	exec_sql(c, "INSERT INTO jobs (kind, key) VALUES ('from_the_future', 'f-1')");
	assert_int_equal(wait_exit(spawn(test_group.name, log, once), 20000), 75);
	assert_int_equal(count_in(log, "event=job_failed job=4 kind=from_the_future key=f-1 "
	    "attempts=1 ms="), 1);
	assert_int_equal(count_in(log, "state=queued retry_in_s=30 error=\"unknown job kind\""),
	    1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM jobs WHERE key = 'f-1'"
	    " AND state = 'queued' AND last_error = 'unknown job kind'"
	    " AND run_after > now() + interval '20 seconds'"), 1);
	/* --once does not wait for a database it cannot reach */
	assert_int_equal(wait_exit(spawn(NULL, log, unreachable), 20000), 69);
	assert_int_equal(wait_exit(spawn(NULL, log, bad_today), 5000), 64);
	/* a bad configuration file stops it at start, with FILE:LINE */
	bad = write_config("bad.conf", "# settings\ntick_seconds = 10\nlease_seconds = soon\n"
	    "colour = blue\n");
	bad_config[2] = bad;
	assert_int_equal(wait_exit(spawn(test_group.name, log, bad_config), 5000), 64);
	text = slurp(log);
	assert_non_null(strstr(text, "bad.conf:3: lease_seconds must be a whole number from 5 "
	    "to 86400, not 'soon'\n"));
	assert_non_null(strstr(text, "bad.conf:4: unknown key 'colour'"));
	free(text);
	free(bad);
	free(log);
}

/* ---- signals ------------------------------------------------------------ */

static const char *const quick_tick[] = { "tick_seconds = 1\n" };

static void
test_sigterm_finishes_job(void **state)
{
	char *log = path_in("term.log"), *conf = write_config("d.conf", quick_tick[0]);
	const char *args[] = { "--config", conf, NULL };
	PGconn *c = test_group.conn;
	pid_t pid;

	(void)state;
	enqueue_test_job(c, "term-1", 1.5);
	enqueue_test_job(c, "term-2", 0);
	pid = spawn(test_group.name, log, args);
	assert_true(wait_count(c, "SELECT count(*) FROM jobs WHERE key = 'term-1'"
	    " AND state = 'running'", 1, 10000));
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM daemon_heartbeats"
	    " WHERE state = 'working' AND job_id = 1"), 1);
	kill(pid, SIGTERM);
	assert_int_equal(wait_exit(pid, 15000), 0);
	/* the job in hand was finished; the next one was left for later */
	assert_int_equal(test_job_effects(c, "term-1"), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM jobs WHERE key = 'term-2'"
	    " AND state = 'queued' AND attempts = 0"), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM daemon_heartbeats"), 0);
	assert_int_equal(count_in(log, "event=stopped jobs_done=1 jobs_failed=0"), 1);
	free(conf);
	free(log);
}

static void
test_sigkill_then_restart(void **state)
{
	char *log = path_in("kill.log"), *conf = write_config("d.conf", quick_tick[0]);
	const char *args[] = { "--config", conf, NULL };
	PGconn *c = test_group.conn;
	pid_t pid;

	(void)state;
	enqueue_test_job(c, "kill-1", 2);
	pid = spawn(test_group.name, log, args);
	assert_true(wait_count(c, "SELECT count(*) FROM jobs WHERE key = 'kill-1'"
	    " AND state = 'running'", 1, 10000));
	kill(pid, SIGKILL);
	assert_int_equal(wait_exit(pid, 5000), 128 + SIGKILL);
	/* nothing of the job's work is visible, and it is not done */
	assert_int_equal(test_job_effects(c, "kill-1"), 0);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM jobs WHERE key = 'kill-1'"
	    " AND state = 'running' AND finished_at IS NULL"), 1);
	/* the next daemon takes it up (once the server has noticed that the
	 * first one's backend lost its client) and finishes it */
	pid = spawn(test_group.name, log, args);
	assert_true(wait_count(c, "SELECT count(*) FROM jobs WHERE key = 'kill-1'"
	    " AND state = 'done' AND attempts = 2", 1, 20000));
	assert_int_equal(test_job_effects(c, "kill-1"), 1);
	kill(pid, SIGTERM);
	assert_int_equal(wait_exit(pid, 10000), 0);
	free(conf);
	free(log);
}

/* ---- two daemons, one queue --------------------------------------------- */

#define SHARED_JOBS 100

static void
done_ids(const char *log, int *seen)
{
	char *text = slurp(log), *p = text;

	while ((p = strstr(p, " event=job_done job=")) != NULL) {
		int id = atoi(p + strlen(" event=job_done job="));

		if (id >= 1 && id <= SHARED_JOBS)
			seen[id]++;
		p++;
	}
	free(text);
}

static void
test_two_daemons_share_queue(void **state)
{
	char *logs[2] = { path_in("a.log"), path_in("b.log") };
	const char *once[] = { "--once", NULL };
	int seen[SHARED_JOBS + 1] = { 0 }, ran_a = 0;
	PGconn *c = test_group.conn;
	pid_t pids[2];
	char key[32];

	(void)state;
	for (int i = 1; i <= SHARED_JOBS; i++) {
		snprintf(key, sizeof key, "shared-%d", i);
		enqueue_test_job(c, key, 0.01);
	}
	pids[0] = spawn(test_group.name, logs[0], once);
	pids[1] = spawn(test_group.name, logs[1], once);
	assert_int_equal(wait_exit(pids[0], 30000), 0);
	assert_int_equal(wait_exit(pids[1], 30000), 0);
	/* every job done, each on its first attempt: nobody ran one twice */
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM jobs WHERE state = 'done'"
	    " AND attempts = 1"), SHARED_JOBS);
	done_ids(logs[0], seen);
	for (int i = 1; i <= SHARED_JOBS; i++)
		ran_a += seen[i];
	done_ids(logs[1], seen);
	for (int i = 1; i <= SHARED_JOBS; i++)
		assert_int_equal(seen[i], 1);
	print_message("two daemons: %d and %d jobs\n", ran_a, SHARED_JOBS - ran_a);
	free(logs[0]);
	free(logs[1]);
}

/* ---- reload ------------------------------------------------------------- */

static void
test_sighup_reloads(void **state)
{
	char *log = path_in("hup.log"), *conf = write_config("d.conf", "tick_seconds = 1\n");
	const char *args[] = { "--config", conf, NULL };
	PGconn *c = test_group.conn;
	pid_t pid;

	(void)state;
	pid = spawn(test_group.name, log, args);
	assert_true(wait_count(c, "SELECT count(*) FROM daemon_heartbeats", 1, 10000));
	/* a bad file is reported and the old settings kept */
	free(write_config("d.conf", "tick_seconds = 2\nremind_days = -1\n"));
	kill(pid, SIGHUP);
	assert_true(wait_log(log, "event=config_kept", 1, 10000));
	assert_int_equal(count_in(log, "level=error event=config_invalid file="), 1);
	assert_int_equal(count_in(log, " line=2 problem=\"remind_days must be a whole number "
	    "from 0 to 365, not '-1'\""), 1);
	assert_int_equal(count_in(log, "event=config_reloaded"), 0);
	free(write_config("d.conf", "tick_seconds = 2\nremind_days = 5 # sooner\n"));
	kill(pid, SIGHUP);
	assert_true(wait_log(log, "event=config_reloaded", 1, 10000));
	assert_int_equal(count_in(log, "event=config_reloaded file="), 1);
	assert_int_equal(count_in(log, " tick_seconds=2 lease_seconds=300 remind_days=5 "
	    "escalate_days=7 screen_batch=1000\n"), 1);
	assert_true(alive(pid));
	kill(pid, SIGTERM);
	assert_int_equal(wait_exit(pid, 10000), 0);
	free(conf);
	free(log);
}

/* ---- idle: no CPU, woken by NOTIFY -------------------------------------- */

static long
cpu_ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long utime = 0, stime = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* fields after the command name: state is 3rd, utime 14th, stime 15th */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &utime, &stime) != 2)
		return -1;
	return (long)(utime + stime);
}

static void
test_idle_and_notify(void **state)
{
	char *log = path_in("idle.log"), *conf = write_config("d.conf", "tick_seconds = 60\n");
	const char *args[] = { "--config", conf, NULL };
	PGconn *c = test_group.conn;
	long before, after, hz = sysconf(_SC_CLK_TCK);
	long long t0;
	pid_t pid;

	(void)state;
	pid = spawn(test_group.name, log, args);
	assert_true(wait_count(c, "SELECT count(*) FROM daemon_heartbeats WHERE state = 'idle'",
	    1, 10000));
	sleep_ms(200);
	before = cpu_ticks(pid);
	sleep_ms(2000);
	after = cpu_ticks(pid);
	assert_true(before >= 0 && after >= before);
	print_message("idle for 2 s: %ld clock ticks of CPU (%ld a second)\n", after - before, hz);
	/* generous: a busy loop would use about 2 * hz */
	assert_true(after - before <= hz / 5);
	/* the tick is a minute away; the insert's NOTIFY wakes it now */
	t0 = now_ms();
	enqueue_test_job(c, "woken", 0);
	assert_true(wait_count(c, "SELECT count(*) FROM jobs WHERE key = 'woken'"
	    " AND state = 'done'", 1, 10000));
	assert_true(now_ms() - t0 < 10000);
	kill(pid, SIGTERM);
	assert_int_equal(wait_exit(pid, 10000), 0);
	free(conf);
	free(log);
}

/* ---- the database goes away --------------------------------------------- */

/* A throwaway PostgreSQL cluster of this test's own, in scratch: stopping
 * the shared server would break every other test running. */
typedef struct cluster {
	char bindir[512];
	char data[600];
	char port[8];
	char conninfo[800];
} cluster;

static cluster cl;

static int
find_bindir(char *out, size_t size)
{
	FILE *p = popen("pg_config --bindir 2>/dev/null", "r");
	char line[512] = "", probe[600];
	glob_t g;

	if (p != NULL) {
		if (fgets(line, sizeof line, p) == NULL)
			line[0] = '\0';
		pclose(p);
		line[strcspn(line, "\n")] = '\0';
		snprintf(probe, sizeof probe, "%s/pg_ctl", line);
		if (line[0] && access(probe, X_OK) == 0) {
			snprintf(out, size, "%s", line);
			return 0;
		}
	}
	if (glob("/usr/lib/postgresql/*/bin/pg_ctl", 0, NULL, &g) == 0 && g.gl_pathc > 0) {
		snprintf(out, size, "%.*s", (int)(strlen(g.gl_pathv[g.gl_pathc - 1]) -
		    strlen("/pg_ctl")), g.gl_pathv[g.gl_pathc - 1]);
		globfree(&g);
		return 0;
	}
	return -1;
}

/* Run a server program as the cluster's owner: `postgres` when we are
 * root (initdb refuses root), else ourselves.  Output goes to a log. */
static int
as_owner(const char *prog, const char *const *args)
{
	const char *argv[24];
	char path[700], *log = path_in("pgctl.log");
	int n = 0, status;
	pid_t pid;

	snprintf(path, sizeof path, "%s/%s", cl.bindir, prog);
	if (geteuid() == 0) {
		argv[n++] = "runuser";
		argv[n++] = "-u";
		argv[n++] = "postgres";
		argv[n++] = "--";
	}
	argv[n++] = path;
	for (; *args != NULL && n < 23; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	free(log);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
cluster_start(void)
{
	char opts[800], *log = path_in("server.log");
	const char *args[] = { "-w", "-t", "30", "-D", cl.data, "-l", log, "-o", opts, "start",
		NULL };
	int rc;

	snprintf(opts, sizeof opts, "-c listen_addresses='' -k %s -p %s -c fsync=off",
	    scratch, cl.port);
	rc = as_owner("pg_ctl", args);
	free(log);
	return rc;
}

static int
cluster_stop(const char *mode)
{
	const char *args[] = { "-w", "-D", cl.data, "-m", mode, "stop", NULL };

	return as_owner("pg_ctl", args);
}

static int
cluster_setup(void **state)
{
	const char *initdb[] = { "-A", "trust", "--no-sync", "-U", "postgres", "-E", "UTF8",
		"--locale=C.UTF-8", "-D", cl.data, NULL };
	struct passwd *pw;

	fresh(state);
	if (find_bindir(cl.bindir, sizeof cl.bindir) != 0) {
		fprintf(stderr, "test: no PostgreSQL server programs found\n");
		return -1;
	}
	if (geteuid() == 0) {
		if ((pw = getpwnam("postgres")) == NULL || chown(scratch, pw->pw_uid, pw->pw_gid) != 0)
			return -1;
	}
	snprintf(cl.data, sizeof cl.data, "%s/data", scratch);
	/* Unix socket only, in our own directory: any port is free there. */
	snprintf(cl.port, sizeof cl.port, "%d", 6543);
	snprintf(cl.conninfo, sizeof cl.conninfo, "host=%s port=%s dbname=postgres user=postgres",
	    scratch, cl.port);
	if (as_owner("initdb", initdb) != 0 || cluster_start() != 0) {
		fprintf(stderr, "test: the throwaway cluster did not start (see %s)\n", scratch);
		return -1;
	}
	return 0;
}

static int
cluster_teardown(void **state)
{
	for (int i = 0; i < MAX_DAEMONS; i++)
		if (started[i] > 0) {
			kill(started[i], SIGKILL);
			waitpid(started[i], NULL, 0);
			started[i] = 0;
		}
	cluster_stop("immediate");
	return tidy(state);
}

static PGconn *
cluster_connect(void)
{
	PGconn *c = PQconnectdb(cl.conninfo);

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("throwaway cluster: %s", PQerrorMessage(c));
	return c;
}

static void
test_database_outage(void **state)
{
	char *log = path_in("outage.log"), *conf = write_config("d.conf", "tick_seconds = 1\n");
	const char *migrate[] = { "caseaudit", "migrate", "--db", cl.conninfo, NULL };
	const char *args[] = { "--config", conf, "--db", cl.conninfo, NULL };
	long long t0;
	test_run r;
	PGconn *c;
	pid_t pid;

	(void)state;
	test_run_cli(&r, NULL, NULL, migrate);
	assert_int_equal(r.status, 0);
	test_run_free(&r);
	pid = spawn(NULL, log, args);
	c = cluster_connect();
	assert_true(wait_count(c, "SELECT count(*) FROM daemon_heartbeats", 1, 10000));
	PQfinish(c);
	assert_int_equal(cluster_stop("fast"), 0);
	assert_true(wait_log(log, "event=db_unavailable", 1, 10000));
	/* it keeps trying, and says so only once */
	t0 = now_ms();
	while (now_ms() - t0 < 2500) {
		assert_true(alive(pid));
		sleep_ms(100);
	}
	assert_int_equal(count_in(log, "event=db_unavailable"), 1);
	assert_int_equal(cluster_start(), 0);
	c = cluster_connect();
	enqueue_test_job(c, "after-outage", 0);
	/* the backoff is at most 30 s; here it has reached 4 s or so */
	assert_true(wait_count(c, "SELECT count(*) FROM jobs WHERE key = 'after-outage'"
	    " AND state = 'done' AND attempts = 1", 1, 40000));
	assert_int_equal(count_in(log, "event=db_available"), 1);
	assert_int_equal(count_in(log, "event=db_unavailable"), 1);
	assert_int_equal(count_in(log, "event=job_done"), 1);
	kill(pid, SIGTERM);
	assert_int_equal(wait_exit(pid, 10000), 0);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM daemon_heartbeats"), 0);
	PQfinish(c);
	free(conf);
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_once, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_sigterm_finishes_job, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_sigkill_then_restart, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_two_daemons_share_queue, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_sighup_reloads, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_idle_and_notify, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_database_outage, cluster_setup,
		    cluster_teardown),
	};

	return cmocka_run_group_tests_name("daemon", tests, test_group_setup,
	    test_group_teardown);
}
