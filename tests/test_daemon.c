/*
 * test_daemon.c - the real caseauditd binary end to end, doing real work
 * (sample, assign and chase jobs) over a synthetic caseload that is
 * generated, imported and screened through the caseaudit binary.  There is
 * no test hook in the product: where a test needs the daemon stopped in the
 * middle of a job, it holds a row lock that the job needs late in its
 * transaction.
 *
 * What must hold:
 *   - `--once --today D` opens a run for every period that has ended,
 *     assigns its audits and exits 0; a second `--once` changes nothing;
 *     exit 69 without a database, 64 for a bad date or configuration file
 *     (with FILE:LINE);
 *   - SIGKILL in the middle of a sampling run leaves nothing of it
 *     visible and the job not done, and the next daemon draws the run once,
 *     and it verifies;
 *   - SIGTERM finishes the job in hand, leaves the next one queued, removes
 *     the heartbeat and exits 0;
 *   - two daemons sharing a queue of a hundred sampling jobs do each once,
 *     on its first attempt, and open exactly one run per plan and period;
 *   - SIGHUP reloads the configuration, or keeps it when the file is bad;
 *     an idle daemon uses no processor time and a new job wakes it;
 *   - a database (a throwaway cluster of the test's own) stopped under a
 *     running daemon is reported once, and work queued after it comes back
 *     is done once.
 *
 * Waits poll a condition with a deadline; no test relies on a fixed sleep
 * being long enough.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

/* The day the tests schedule by unless they say otherwise: monthly plans
 * from January then have three ended periods, January to March. */
#define TODAY "2026-04-01"
#define FIRST_PERIOD "2026-01"

static char *scratch;   /* a temporary directory per test */
static char *caseload;  /* the demo files, for the whole group */

/* ---- clocks and waiting ------------------------------------------------- */

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

/* Ask ok(arg) every 20 ms until it says yes or timeout_ms have passed;
 * returns whether it said yes.  Every wait in this file is one of these. */
static int
wait_for(int (*ok)(void *), void *arg, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	for (;;) {
		if (ok(arg))
			return 1;
		if (now_ms() >= end)
			return 0;
		sleep_ms(20);
	}
}

/* ---- SQL ------------------------------------------------------------------ */

/* One value (malloc'd, or NULL), or a count (-1 when the query fails). */
#define valuef(c, ...) test_db_value((c), test_sqlf(__VA_ARGS__))
#define countf(c, ...) test_db_count((c), test_sqlf(__VA_ARGS__))

typedef struct count_probe {
	PGconn *conn;
	const char *sql;
	long long want;
} count_probe;

static int
count_is(void *arg)
{
	count_probe *p = arg;

	return test_db_count(p->conn, p->sql) == p->want;
}

static int
wait_count(PGconn *c, const char *sql, long long want, int timeout_ms)
{
	count_probe p = { c, sql, want };

	return wait_for(count_is, &p, timeout_ms);
}

/* ---- files and logs ----------------------------------------------------- */

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

typedef struct log_probe {
	const char *path, *needle;
	int times;
} log_probe;

static int
log_has(void *arg)
{
	log_probe *p = arg;

	return count_in(p->path, p->needle) >= p->times;
}

static int
wait_log(const char *path, const char *needle, int times, int timeout_ms)
{
	log_probe p = { path, needle, times };

	return wait_for(log_has, &p, timeout_ms);
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

/* ---- the caseaudit binary ----------------------------------------------- */

/* Run caseaudit on db (NULL: the environment's) with a NULL-terminated
 * argv after the program name; the command must succeed. */
static int
caseaudit_ok(const char *db, const char *const *args)
{
	const char *argv[24] = { "caseaudit" };
	test_run r;
	int n = 1, ok;

	for (; *args != NULL && n < 23; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (test_run_cli(&r, db, NULL, argv) != 0)
		return 0;
	ok = r.status == 0;
	if (!ok)
		fprintf(stderr, "test: caseaudit %s exited %d: %s%s", argv[1], r.status, r.out,
		    r.err);
	test_run_free(&r);
	return ok;
}

#define CASEAUDIT_OK(db, ...) \
	assert_true(caseaudit_ok((db), (const char *const[]){ __VA_ARGS__, NULL }))

/* A random monthly plan of `size` cases from FIRST_PERIOD; its id.  No
 * exclusion window, so that plans sampling the same months do not take
 * each other's cases away. */
static long long
plan_create(const char *name, const char *size)
{
	CASEAUDIT_OK(test_group.name, "plan", "create", name, "--form", "care-act-assessment",
	    "--method", "random", "--size", size, "--every", "month", "--from", FIRST_PERIOD,
	    "--exclusion-months", "0");
	return countf(test_group.conn, "SELECT id FROM sampling_plans WHERE name = '%s'", name);
}

/* `caseaudit sample verify` on every run of the plan: the daemon's draws
 * can be drawn again from what they recorded. */
static void
verify_runs(long long plan)
{
	char *ids = valuef(test_group.conn, "SELECT string_agg(id::text, ' ' ORDER BY id)"
	    " FROM sampling_runs WHERE plan_id = %lld", plan), *save = NULL;
	const char *argv[] = { "caseaudit", "sample", "verify", NULL, NULL };
	test_run r;

	assert_non_null(ids);
	for (char *id = strtok_r(ids, " ", &save); id != NULL; id = strtok_r(NULL, " ", &save)) {
		argv[3] = id;
		assert_int_equal(test_run_cli(&r, test_group.name, NULL, argv), 0);
		if (r.status != 0 || strstr(r.out, "verified") == NULL)
			fail_msg("run %s does not verify: %s%s", id, r.out, r.err);
		test_run_free(&r);
	}
	free(ids);
}

/* ---- daemons the tests start -------------------------------------------- */

#define MAX_DAEMONS 4
static pid_t started[MAX_DAEMONS];

/* Start caseauditd with a NULL-terminated argv after the program name,
 * its standard error appended to log, PGDATABASE set to db unless NULL. */
static pid_t
daemon_start(const char *db, const char *log, const char *const *args)
{
	const char *argv[16] = { CASEAUDITD_BIN };
	pid_t pid;
	int n = 1;

	for (; *args != NULL && n < 15; args++)
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

#define DAEMON(db, log, ...) daemon_start((db), (log), (const char *const[]){ __VA_ARGS__, NULL })

static void
forget(pid_t pid)
{
	for (int i = 0; i < MAX_DAEMONS; i++)
		if (started[i] == pid)
			started[i] = 0;
}

typedef struct exit_probe {
	pid_t pid;
	int status;   /* the exit status, or 128 + signal */
} exit_probe;

static int
exited(void *arg)
{
	exit_probe *p = arg;
	int status;

	if (waitpid(p->pid, &status, WNOHANG) != p->pid)
		return 0;
	forget(p->pid);
	p->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 1;
}

/* The exit status (or 128 + signal), or -1 if still running at the
 * deadline. */
static int
wait_exit(pid_t pid, int timeout_ms)
{
	exit_probe p = { pid, -1 };

	return wait_for(exited, &p, timeout_ms) ? p.status : -1;
}

static int
alive(pid_t pid)
{
	int status;

	return waitpid(pid, &status, WNOHANG) == 0;
}

static void
kill_started(void)
{
	for (int i = 0; i < MAX_DAEMONS; i++)
		if (started[i] > 0) {
			kill(started[i], SIGKILL);
			waitpid(started[i], NULL, 0);
			started[i] = 0;
		}
}

/* Whether sig has been delivered to pid, i.e. is no longer pending: a
 * signal sent to a process blocked in a query is acted on later, but it
 * must have been received before the test lets the query go on. */
typedef struct signal_probe {
	pid_t pid;
	int sig;
} signal_probe;

static int
signal_taken(void *arg)
{
	signal_probe *p = arg;
	char path[64], line[256];
	unsigned long long mask, bit = 1ULL << (p->sig - 1);
	int pending = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)p->pid);
	if ((f = fopen(path, "r")) == NULL)
		return 1;
	while (fgets(line, sizeof line, f) != NULL)
		if ((sscanf(line, "SigPnd: %llx", &mask) == 1 ||
		    sscanf(line, "ShdPnd: %llx", &mask) == 1) && (mask & bit))
			pending = 1;
	fclose(f);
	return !pending;
}

static void
send_signal(pid_t pid, int sig)
{
	signal_probe p = { pid, sig };

	assert_int_equal(kill(pid, sig), 0);
	assert_true(wait_for(signal_taken, &p, 5000));
}

/* ---- holding the daemon in the middle of a job ----------------------------
 * A sampling job inserts its run, strata and members, then its audits,
 * already assigned; each audit's foreign key to its auditor takes a key
 * share lock on the staff row.  A connection of the test that holds every
 * staff row FOR UPDATE therefore stops the daemon there, inside the job's
 * transaction, with the real code and no hook. */

/* The connection holding the staff, if any: the teardown closes it, so
 * that a failed test's lock does not stop the next test's daemons. */
static PGconn *holder;

static void
hold_staff(void)
{
	holder = test_db_connect(test_group.name);
	assert_non_null(holder);
	test_db_exec(holder, "BEGIN");
	test_db_exec(holder, "SELECT 1 FROM staff FOR UPDATE");
}

/* End the holder's transaction with `how` (COMMIT or ROLLBACK). */
static void
release_staff(const char *how)
{
	test_db_exec(holder, how);
	PQfinish(holder);
	holder = NULL;
}

typedef struct blocked_probe {
	int holder;   /* the holding connection's server process */
	int backend;  /* the daemon's, once found waiting for it */
} blocked_probe;

static int
daemon_blocked(void *arg)
{
	blocked_probe *p = arg;
	char *pid = valuef(test_group.conn, "SELECT pid FROM pg_stat_activity"
	    " WHERE datname = current_database() AND application_name = 'caseauditd'"
	    " AND wait_event_type = 'Lock' AND %d = ANY (pg_blocking_pids(pid))", p->holder);

	p->backend = pid ? atoi(pid) : 0;
	free(pid);
	return p->backend > 0;
}

/* The daemon's server process once it waits for the holder's lock; and
 * proof that it is then in the middle of a sampling job: its transaction
 * has written a run, its strata, members and audits, none committed. */
static int
wait_daemon_blocked(void)
{
	blocked_probe p = { PQbackendPID(holder), 0 };

	assert_true(wait_for(daemon_blocked, &p, 20000));
	assert_int_equal(countf(test_group.conn, "SELECT count(DISTINCT relation) FROM pg_locks"
	    " WHERE pid = %d AND mode = 'RowExclusiveLock' AND relation IN"
	    " ('sampling_runs'::regclass, 'sampling_run_strata'::regclass,"
	    "  'sampling_run_members'::regclass, 'audits'::regclass)", p.backend), 4);
	return p.backend;
}

/* ---- fixtures ------------------------------------------------------------ */

/* Once per group: a caseload as a council would have it, imported and
 * screened through the binary, so that no screen job is due and the
 * daemon's work is sampling, assigning and chasing. */
static int
group_setup(void **state)
{
	char forms[3][4200], staff[4200], ass[4200];
	const char *g[] = { "demo", "generate", "--assessments", "600", "--seed", "3", "--out",
		NULL, NULL };
	const char *f[] = { "forms", "load", forms[0], forms[1], forms[2], NULL };
	const char *s[] = { "import", "staff", staff, NULL };
	const char *a[] = { "import", "assessments", ass, NULL };
	const char *sc[] = { "screen", NULL };

	if (test_group_setup(state) != 0)
		return -1;
	caseload = test_tempdir();
	g[7] = caseload;
	snprintf(forms[0], sizeof forms[0], "%s/forms/screening.yaml", CASEAUDIT_SOURCE_DIR);
	snprintf(forms[1], sizeof forms[1], "%s/forms/care-act-assessment.yaml",
	    CASEAUDIT_SOURCE_DIR);
	snprintf(forms[2], sizeof forms[2], "%s/forms/review.yaml", CASEAUDIT_SOURCE_DIR);
	snprintf(staff, sizeof staff, "%s/staff.csv", caseload);
	snprintf(ass, sizeof ass, "%s/assessments.csv", caseload);
	return caseaudit_ok(NULL, g) && caseaudit_ok(test_group.name, f) &&
	    caseaudit_ok(test_group.name, s) && caseaudit_ok(test_group.name, a) &&
	    caseaudit_ok(test_group.name, sc) ? 0 : -1;
}

static void
remove_tree(const char *dir)
{
	pid_t pid;
	int status;

	if (dir == NULL)
		return;
	fflush(NULL);
	if ((pid = fork()) == 0) {
		execlp("rm", "rm", "-rf", dir, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
}

static int
group_teardown(void **state)
{
	remove_tree(caseload);
	free(caseload);
	return test_group_teardown(state);
}

/* Each test: the caseload with no plans, runs, audits or jobs, no
 * heartbeats, and a scratch directory. */
static int
fresh(void **state)
{
	(void)state;
	test_db_clear_sampling();
	test_db_exec(test_group.conn, "DELETE FROM daemon_heartbeats");
	scratch = test_tempdir();
	return 0;
}

/* No daemon is left running, whatever happened. */
static int
tidy(void **state)
{
	(void)state;
	kill_started();
	if (holder != NULL) {
		PQfinish(holder);
		holder = NULL;
	}
	remove_tree(scratch);
	free(scratch);
	scratch = NULL;
	return 0;
}

/* ---- --once --------------------------------------------------------------- */

/* Everything a daemon could change, as one text: runs, audits with their
 * auditors, the jobs, and how long the events trail is. */
static char *
snapshot(void)
{
	char *s = test_db_value(test_group.conn, "SELECT"
	    " coalesce((SELECT string_agg(concat_ws(':', id, plan_id, period, seed, draw,"
	    "   population_sha256), ',' ORDER BY id) FROM sampling_runs), '') || '|' ||"
	    " coalesce((SELECT string_agg(concat_ws(':', id, run_id, assessment_id, status,"
	    "   auditor_id, due_on), ',' ORDER BY id) FROM audits), '') || '|' ||"
	    " coalesce((SELECT string_agg(concat_ws(':', id, key, state, attempts), ','"
	    "   ORDER BY id) FROM jobs), '') || '|' ||"
	    " (SELECT count(*) FROM reminders) || '|' || (SELECT count(*) FROM events)");

	assert_non_null(s);
	return s;
}

static void
test_once(void **state)
{
	char *log = path_in("once.log"), *log2 = path_in("again.log"), *bad, *text, *before;
	PGconn *c = test_group.conn;
	long long plan;

	(void)state;
	plan = plan_create("once", "3");
	assert_int_equal(wait_exit(DAEMON(test_group.name, log, "--once", "--today", TODAY),
	    20000), 0);
	/* a run for each month that has ended by 1 April, none for April */
	text = valuef(c, "SELECT string_agg(period, ',' ORDER BY period) FROM sampling_runs"
	    " WHERE plan_id = %lld", plan);
	assert_string_equal(text, "2026-01,2026-02,2026-03");
	free(text);
	/* each run's cases are audits, every one assigned */
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM audits WHERE status = 'assigned'"
	    " AND auditor_id IS NOT NULL"), 9);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM audits"), 9);
	assert_int_equal(test_db_count(c, "SELECT sum(sample_size) FROM sampling_runs"), 9);
	/* three sample jobs and the day's chase, each done on its first go */
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM jobs WHERE state = 'done'"
	    " AND attempts = 1"), 4);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM jobs"), 4);
	assert_int_equal(count_in(log, " event=job_done job="), 4);
	assert_int_equal(count_in(log, " kind=sample key=sample:1:2026-"), 6);
	assert_int_equal(count_in(log, " event=stopped jobs_done=4 jobs_failed=0"), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM daemon_heartbeats"), 0);
	/* the log's shape: a UTC timestamp first, one event per line */
	text = slurp(log);
	assert_true(strncmp(text, "ts=", 3) == 0 && text[22] == 'Z');
	assert_non_null(strstr(text, " level=info event=job_done job=1 kind=sample"
	    " key=sample:1:2026-01 attempts=1 ms="));
	free(text);
	verify_runs(plan);
	/* again: nothing is due, so nothing changes, not even the trail */
	before = snapshot();
	assert_int_equal(wait_exit(DAEMON(test_group.name, log2, "--once", "--today", TODAY),
	    20000), 0);
	text = snapshot();
	assert_string_equal(text, before);
	free(text);
	free(before);
	assert_int_equal(count_in(log2, " event=job_start"), 0);
	assert_int_equal(count_in(log2, " event=stopped jobs_done=0 jobs_failed=0"), 1);
	/* --once does not wait for a database it cannot reach; a bad date or
	 * configuration file stops it before it touches one */
	before = snapshot();
	assert_int_equal(wait_exit(DAEMON(NULL, log, "--once", "--db", "host=/nonexistent port=1"),
	    20000), 69);
	assert_int_equal(wait_exit(DAEMON(test_group.name, log, "--once", "--today",
	    "2026-02-30"), 5000), 64);
	assert_int_equal(count_in(log, "--today is a date written YYYY-MM-DD, not '2026-02-30'"), 1);
	/* a bad configuration file stops it at start, with FILE:LINE */
	bad = write_config("bad.conf", "# settings\ntick_seconds = 10\nlease_seconds = soon\n"
	    "colour = blue\n");
	assert_int_equal(wait_exit(DAEMON(test_group.name, log, "--once", "--config", bad),
	    5000), 64);
	text = slurp(log);
	assert_non_null(strstr(text, "bad.conf:3: lease_seconds must be a whole number from 5 "
	    "to 86400, not 'soon'\n"));
	assert_non_null(strstr(text, "bad.conf:4: unknown key 'colour'"));
	free(text);
	text = snapshot();
	assert_string_equal(text, before);
	free(text);
	free(before);
	free(bad);
	free(log2);
	free(log);
}

/* ---- signals ------------------------------------------------------------ */

static int
backend_gone(void *arg)
{
	return countf(test_group.conn, "SELECT count(*) FROM pg_stat_activity WHERE pid = %d",
	    *(int *)arg) == 0;
}

static void
test_sigkill_mid_run(void **state)
{
	char *log = path_in("kill.log"), *events;
	PGconn *c = test_group.conn;
	long long plan;
	int backend;
	pid_t pid;

	(void)state;
	plan = plan_create("killed", "4");
	events = test_db_value(c, "SELECT count(*) FROM events");
	hold_staff();
	/* January is the only period ended by 1 February */
	pid = DAEMON(test_group.name, log, "--once", "--today", "2026-02-01");
	backend = wait_daemon_blocked();
	kill(pid, SIGKILL);
	assert_int_equal(wait_exit(pid, 5000), 128 + SIGKILL);
	/* The server notices the dead client within its check interval even
	 * while the statement waits for a lock, and ends the transaction. */
	assert_true(wait_for(backend_gone, &backend, 20000));
	release_staff("ROLLBACK");
	/* nothing half-done: no run, no audits, nothing in the trail, and the
	 * job is not done */
	assert_int_equal(countf(c, "SELECT count(*) FROM sampling_runs WHERE plan_id = %lld",
	    plan), 0);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM sampling_run_members"), 0);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM audits"), 0);
	assert_int_equal(countf(c, "SELECT count(*) - %s FROM events", events), 0);
	assert_int_equal(countf(c, "SELECT count(*) FROM jobs WHERE key = 'sample:%lld:2026-01'"
	    " AND state = 'running' AND attempts = 1 AND finished_at IS NULL", plan), 1);
	assert_int_equal(count_in(log, " event=job_done"), 0);
	/* the next daemon takes the job over at once and draws the run */
	assert_int_equal(wait_exit(DAEMON(test_group.name, log, "--once", "--today",
	    "2026-02-01"), 20000), 0);
	assert_int_equal(countf(c, "SELECT count(*) FROM jobs WHERE key = 'sample:%lld:2026-01'"
	    " AND state = 'done' AND attempts = 2", plan), 1);
	assert_int_equal(countf(c, "SELECT count(*) FROM sampling_runs WHERE plan_id = %lld"
	    " AND period = '2026-01'", plan), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM sampling_runs"), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM audits a JOIN sampling_runs r"
	    " ON r.id = a.run_id WHERE a.status = 'assigned'"), 4);
	assert_true(countf(c, "SELECT count(*) - %s FROM events", events) > 0);
	verify_runs(plan);
	free(events);
	free(log);
}

static void
test_sigterm_finishes_job(void **state)
{
	char *log = path_in("term.log");
	PGconn *c = test_group.conn;
	long long plan;
	pid_t pid;

	(void)state;
	plan = plan_create("termed", "3");
	hold_staff();
	/* January and February have ended by 1 March: two jobs, January's first */
	pid = DAEMON(test_group.name, log, "--today", "2026-03-01");
	wait_daemon_blocked();
	assert_int_equal(countf(c, "SELECT count(*) FROM daemon_heartbeats h JOIN jobs j"
	    " ON j.id = h.job_id WHERE h.state = 'working' AND j.key = 'sample:%lld:2026-01'",
	    plan), 1);
	/* asked to stop while the job waits; then the job may go on */
	send_signal(pid, SIGTERM);
	release_staff("COMMIT");
	assert_int_equal(wait_exit(pid, 20000), 0);
	/* the job in hand was finished, the next one left for later */
	assert_int_equal(countf(c, "SELECT count(*) FROM jobs WHERE key = 'sample:%lld:2026-01'"
	    " AND state = 'done' AND attempts = 1", plan), 1);
	assert_int_equal(countf(c, "SELECT count(*) FROM sampling_runs WHERE plan_id = %lld"
	    " AND period = '2026-01'", plan), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM audits WHERE status = 'assigned'"),
	    3);
	assert_int_equal(countf(c, "SELECT count(*) FROM jobs WHERE key = 'sample:%lld:2026-02'"
	    " AND state = 'queued' AND attempts = 0", plan), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM sampling_runs"), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM daemon_heartbeats"), 0);
	assert_int_equal(count_in(log, "event=stopped jobs_done=1 jobs_failed=0"), 1);
	verify_runs(plan);
	free(log);
}

/* ---- two daemons, one queue --------------------------------------------- */

#define SHARED_PLANS 10
#define SHARED_TODAY "2026-11-01"  /* ten months ended: 2026-01 to 2026-10 */

/* How many job_done lines in log name each job id (1..max). */
static int
count_done_ids(const char *log, int *seen, long long max)
{
	static const char tag[] = " event=job_done job=";
	char *text = slurp(log), *p = text;
	int lines = 0;

	while ((p = strstr(p, tag)) != NULL) {
		long long id = atoll(p + strlen(tag));

		if (id >= 1 && id <= max)
			seen[id]++;
		lines++;
		p++;
	}
	free(text);
	return lines;
}

static void
test_two_daemons_share_queue(void **state)
{
	char *logs[2] = { path_in("a.log"), path_in("b.log") }, name[16];
	PGconn *c = test_group.conn;
	long long jobs, max_id;
	int *seen, done[2];
	PGresult *ids;
	pid_t pids[2];

	(void)state;
	for (int i = 0; i < SHARED_PLANS; i++) {
		snprintf(name, sizeof name, "shared-%d", i);
		plan_create(name, "1");
	}
	/* both at once: each schedules (the same work, queued once) and
	 * claims from the same queue */
	for (int i = 0; i < 2; i++)
		pids[i] = DAEMON(test_group.name, logs[i], "--once", "--today", SHARED_TODAY);
	for (int i = 0; i < 2; i++)
		assert_int_equal(wait_exit(pids[i], 45000), 0);
	/* a hundred sampling jobs, and one run per plan and period: each
	 * plan's ten months and nothing else */
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM jobs WHERE kind = 'sample'"),
	    SHARED_PLANS * 10);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM sampling_runs"),
	    SHARED_PLANS * 10);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM (SELECT plan_id FROM sampling_runs"
	    " GROUP BY plan_id HAVING count(DISTINCT period) = 10 AND min(period) = '2026-01'"
	    " AND max(period) = '2026-10') p"), SHARED_PLANS);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM audits"), SHARED_PLANS * 10);
	/* every job done on its first attempt: nobody ran one twice, nor
	 * failed one */
	jobs = test_db_count(c, "SELECT count(*) FROM jobs");
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM jobs WHERE state = 'done'"
	    " AND attempts = 1"), jobs);
	/* and the logs agree: each job in one job_done line of one daemon
	 * (ids have gaps: an insert that met the other daemon's used one) */
	max_id = test_db_count(c, "SELECT max(id) FROM jobs");
	seen = calloc((size_t)max_id + 1, sizeof *seen);
	for (int i = 0; i < 2; i++) {
		done[i] = count_done_ids(logs[i], seen, max_id);
		assert_int_equal(count_in(logs[i], " event=job_failed"), 0);
		assert_int_equal(count_in(logs[i], " event=job_lost"), 0);
	}
	assert_int_equal(done[0] + done[1], jobs);
	ids = PQexec(c, "SELECT id FROM jobs ORDER BY id");
	assert_int_equal(PQntuples(ids), jobs);
	for (int r = 0; r < PQntuples(ids); r++) {
		long long id = atoll(PQgetvalue(ids, r, 0));

		if (seen[id] != 1)
			fail_msg("job %lld is in %d job_done lines", id, seen[id]);
	}
	PQclear(ids);
	/* and they did share it: a daemon that waited for the other to finish
	 * would have found nothing left */
	print_message("two daemons: %d and %d of %lld jobs\n", done[0], done[1], jobs);
	assert_true(done[0] > 0 && done[1] > 0);
	free(seen);
	free(logs[0]);
	free(logs[1]);
}

/* ---- reload ------------------------------------------------------------- */

/* Rewrite the daemon's configuration file, ask it to read the file again,
 * and wait until it says what it made of it (event). */
static void
reload(pid_t pid, const char *log, const char *text, const char *event)
{
	free(write_config("d.conf", text));
	send_signal(pid, SIGHUP);
	assert_true(wait_log(log, event, 1, 10000));
}

static void
test_sighup_reloads(void **state)
{
	char *log = path_in("hup.log"), *conf = write_config("d.conf", "tick_seconds = 1\n");
	PGconn *c = test_group.conn;
	pid_t pid;

	(void)state;
	pid = DAEMON(test_group.name, log, "--config", conf, "--today", TODAY);
	assert_true(wait_count(c, "SELECT count(*) FROM daemon_heartbeats", 1, 10000));
	/* a bad file is reported and the old settings kept */
	reload(pid, log, "tick_seconds = 2\nremind_days = -1\n", "event=config_kept");
	assert_int_equal(count_in(log, "level=error event=config_invalid file="), 1);
	assert_int_equal(count_in(log, " line=2 problem=\"remind_days must be a whole number "
	    "from 0 to 365, not '-1'\""), 1);
	assert_int_equal(count_in(log, "event=config_reloaded"), 0);
	reload(pid, log, "tick_seconds = 2\nremind_days = 5 # sooner\n", "event=config_reloaded");
	assert_int_equal(count_in(log, "event=config_reloaded file="), 1);
	assert_int_equal(count_in(log, " tick_seconds=2 lease_seconds=300 remind_days=5 "
	    "escalate_days=7 screen_batch=1000 report_after_days=0\n"), 1);
	assert_true(alive(pid));
	send_signal(pid, SIGTERM);
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
	PGconn *c = test_group.conn;
	long before, after, hz = sysconf(_SC_CLK_TCK);
	long long t0;
	pid_t pid;

	(void)state;
	pid = DAEMON(test_group.name, log, "--config", conf, "--today", TODAY);
	/* its first cycle's work (the day's chase) done, it waits */
	assert_true(wait_count(c, "SELECT count(*) FROM jobs WHERE key = 'chase:" TODAY "'"
	    " AND state = 'done'", 1, 10000));
	assert_true(wait_count(c, "SELECT count(*) FROM daemon_heartbeats WHERE state = 'idle'",
	    1, 10000));
	before = cpu_ticks(pid);
	sleep_ms(2000);
	after = cpu_ticks(pid);
	assert_true(before >= 0 && after >= before);
	print_message("idle for 2 s: %ld clock ticks of CPU (%ld a second)\n", after - before, hz);
	/* generous: a busy loop would use about 2 * hz */
	assert_true(after - before <= hz / 5);
	/* the tick is a minute away; the insert's NOTIFY wakes it now */
	t0 = now_ms();
	test_db_exec(c, "INSERT INTO jobs (kind, key, payload) VALUES ('chase', 'chase:2026-03-15',"
	    " '{\"date\": \"2026-03-15\"}')");
	assert_true(wait_count(c, "SELECT count(*) FROM jobs WHERE key = 'chase:2026-03-15'"
	    " AND state = 'done' AND attempts = 1", 1, 10000));
	assert_true(now_ms() - t0 < 10000);
	send_signal(pid, SIGTERM);
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
	int running;
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
	cl.running = rc == 0;
	return rc;
}

static int
cluster_stop(const char *mode)
{
	const char *args[] = { "-w", "-D", cl.data, "-m", mode, "stop", NULL };
	int rc = as_owner("pg_ctl", args);

	if (rc == 0)
		cl.running = 0;
	return rc;
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

/* The daemons first (they would only reconnect), then the cluster, even
 * when the test failed half-way with it stopped or running. */
static int
cluster_teardown(void **state)
{
	kill_started();
	if (cl.running)
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
	char done[128], *id;
	long long t0;
	PGconn *c;
	pid_t pid;

	(void)state;
	CASEAUDIT_OK(NULL, "migrate", "--db", cl.conninfo);
	pid = DAEMON(NULL, log, "--config", conf, "--db", cl.conninfo, "--today", TODAY);
	c = cluster_connect();
	assert_true(wait_count(c, "SELECT count(*) FROM daemon_heartbeats WHERE state = 'idle'",
	    1, 10000));
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
	/* real work queued while it may still be backing off */
	c = cluster_connect();
	test_db_exec(c, "INSERT INTO jobs (kind, key, payload) VALUES ('chase', 'chase:2026-03-15',"
	    " '{\"date\": \"2026-03-15\"}')");
	/* the backoff is at most 30 s; here it has reached 4 s or so */
	assert_true(wait_count(c, "SELECT count(*) FROM jobs WHERE key = 'chase:2026-03-15'"
	    " AND state = 'done' AND attempts = 1", 1, 40000));
	assert_int_equal(count_in(log, "event=db_available"), 1);
	assert_int_equal(count_in(log, "event=db_unavailable"), 1);
	/* the job's id depends on how many jobs the daemon's own ticks queued first */
	id = test_db_value(c, "SELECT id FROM jobs WHERE key = 'chase:2026-03-15'");
	assert_non_null(id);
	snprintf(done, sizeof done, " event=job_done job=%s kind=chase key=chase:2026-03-15"
	    " attempts=1 ", id);
	free(id);
	assert_int_equal(count_in(log, done), 1);
	assert_int_equal(count_in(log, " key=chase:2026-03-15 "), 2);  /* start and done */
	send_signal(pid, SIGTERM);
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
		cmocka_unit_test_setup_teardown(test_sigkill_mid_run, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_sigterm_finishes_job, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_two_daemons_share_queue, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_sighup_reloads, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_idle_and_notify, fresh, tidy),
		cmocka_unit_test_setup_teardown(test_database_outage, cluster_setup,
		    cluster_teardown),
	};

	return cmocka_run_group_tests_name("daemon", tests, group_setup, group_teardown);
}
