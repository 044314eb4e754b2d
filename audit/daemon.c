/*
 * daemon.c - the loop of caseauditd: connections, the wait for work,
 * running jobs, heartbeats, signals, the configuration file and the log;
 * see daemon.h.
 *
 * One thread.  Jobs run one after another on the work connection; a
 * second connection does nothing but LISTEN, so that a notification can
 * wake the daemon while it sleeps in poll().  Signal handlers only set a
 * flag and write a byte to a pipe that the same poll() watches, so a
 * signal ends the wait at once but is acted on between jobs, never inside
 * one.
 */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "db.h"
#include "jobs.h"
#include "strbuf.h"
#include "version.h"

/* Reconnection backoff: from 1 s, doubling, never more than 30 s apart. */
#define BACKOFF_FIRST_MS 1000
#define BACKOFF_CAP_MS 30000
/* Finished jobs are kept a week for `caseaudit jobs --all`, then purged;
 * looking for them once an hour is plenty. */
#define PURGE_EVERY_S 3600
/* How soon the server notices that a daemon died in the middle of a long
 * statement: it then ends the statement and its backend, which makes the
 * daemon's job runnable (the claim checks that backend is alive). */
#define CLIENT_CHECK_INTERVAL "2s"

/* ---- signals ------------------------------------------------------------ */

static volatile sig_atomic_t got_stop, got_reload;
static int wake_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;
	ssize_t w;

	if (sig == SIGHUP)
		got_reload = 1;
	else
		got_stop = 1;
	/* The pipe is non-blocking: when it is full a wake is pending anyway. */
	w = write(wake_pipe[1], "s", 1);
	(void)w;
	errno = saved;
}

typedef struct saved_signals {
	struct sigaction term, intr, hup, pipe;
} saved_signals;

static int
signals_install(saved_signals *s, ca_err *err)
{
	struct sigaction sa;

	if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "daemon: cannot create a pipe: %s",
		    strerror(errno));
	got_stop = got_reload = 0;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	/* Restarting keeps libpq's reads and writes whole; the pipe, not
	 * EINTR, is what ends a wait. */
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, &s->term);
	sigaction(SIGINT, &sa, &s->intr);
	sigaction(SIGHUP, &sa, &s->hup);
	/* A server that vanishes mid-write must be an error, not our death. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &s->pipe);
	return 0;
}

static void
signals_restore(const saved_signals *s)
{
	sigaction(SIGTERM, &s->term, NULL);
	sigaction(SIGINT, &s->intr, NULL);
	sigaction(SIGHUP, &s->hup, NULL);
	sigaction(SIGPIPE, &s->pipe, NULL);
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	wake_pipe[0] = wake_pipe[1] = -1;
}

static void
drain_wake_pipe(void)
{
	char buf[64];

	while (read(wake_pipe[0], buf, sizeof buf) > 0)
		;
}

/* ---- clocks ------------------------------------------------------------- */

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
utc_stamp(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- the daemon's state ------------------------------------------------- */

typedef struct dstate {
	const ca_daemon_opts *o;
	ca_daemon_config base;   /* the defaults a configuration file starts from */
	ca_daemon_config cfg;    /* what is in force */
	PGconn *work;            /* claims, jobs, heartbeats */
	PGconn *listen;          /* LISTEN caseaudit_work only */
	int listen_broken;       /* PQconsumeInput failed on it */
	int down_logged;         /* db_unavailable logged, db_available not yet */
	int backoff_ms;
	unsigned jitter_seed;
	char host[256];
	char started[32];        /* when this process started, UTC */
	long long next_tick_ms;
	long long last_purge_ms;
	int purged_once;
	int jobs_done, jobs_failed, internal_errors;
} dstate;

/* ---- the log ------------------------------------------------------------ */

/* A value needs quotes when it would otherwise not read back as one
 * value: empty, or holding a space, quote, equals sign or control. */
static int
needs_quotes(const char *v)
{
	if (*v == '\0')
		return 1;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p == 0x7f)
			return 1;
	return 0;
}

static void
log_str(ca_strbuf *b, const char *key, const char *v)
{
	ca_strbuf_addf(b, " %s=", key);
	if (!needs_quotes(v)) {
		ca_strbuf_adds(b, v);
		return;
	}
	ca_strbuf_adds(b, "\"");
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			ca_strbuf_addf(b, "\\%c", *p);
		else if (*p < ' ' || *p == 0x7f)
			ca_strbuf_adds(b, " ");  /* one line per event, always */
		else
			ca_strbuf_add(b, p, 1);
	}
	ca_strbuf_adds(b, "\"");
}

static void
log_int(ca_strbuf *b, const char *key, long long v)
{
	ca_strbuf_addf(b, " %s=%lld", key, v);
}

/* A handler's summary is already key=value text; only line breaks are
 * taken out so that it stays on its line. */
static void
log_raw(ca_strbuf *b, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	ca_strbuf_adds(b, " ");
	for (const char *p = text; *p; p++)
		ca_strbuf_add(b, *p == '\n' || *p == '\r' ? " " : p, 1);
}

static void
log_begin(ca_strbuf *b, const char *level, const char *event)
{
	char ts[32];

	ca_strbuf_init(b);
	utc_stamp(time(NULL), ts, sizeof ts);
	ca_strbuf_addf(b, "ts=%s level=%s event=%s", ts, level, event);
}

/* One write per line, so that lines of daemons sharing a file never mix. */
static void
log_end(const dstate *d, ca_strbuf *b)
{
	ca_strbuf_adds(b, "\n");
	if (!ca_strbuf_failed(b)) {
		fwrite(b->data, 1, b->len, d->o->log);
		fflush(d->o->log);
	}
	ca_strbuf_free(b);
}

/* An event with string values: pairs of key and value, then NULL. */
static void
log_event(const dstate *d, const char *level, const char *event, ...)
{
	ca_strbuf b;
	const char *key, *val;
	va_list ap;

	log_begin(&b, level, event);
	va_start(ap, event);
	while ((key = va_arg(ap, const char *)) != NULL) {
		val = va_arg(ap, const char *);
		log_str(&b, key, val ? val : "");
	}
	va_end(ap);
	log_end(d, &b);
}

static void
log_job(ca_strbuf *b, const ca_job *job)
{
	log_int(b, "job", job->id);
	log_str(b, "kind", job->kind);
	log_str(b, "key", job->key);
	log_int(b, "attempts", job->attempts);
}

/* ---- configuration ------------------------------------------------------ */

typedef struct config_key {
	const char *name;
	size_t offset;
	int min, max;
} config_key;

static const config_key config_keys[] = {
	{ "tick_seconds", offsetof(ca_daemon_config, tick_seconds), 1, 3600 },
	{ "lease_seconds", offsetof(ca_daemon_config, lease_seconds), 5, 86400 },
	{ "remind_days", offsetof(ca_daemon_config, work.remind_days), 0, 365 },
	{ "escalate_days", offsetof(ca_daemon_config, work.escalate_days), 0, 365 },
	{ "screen_batch", offsetof(ca_daemon_config, work.screen_batch), 1, 1000000 },
	{ "report_after_days", offsetof(ca_daemon_config, work.report_after_days), 0, 365 },
};
#define NCONFIG_KEYS (sizeof config_keys / sizeof config_keys[0])

static void
add_problem(ca_config_problems *pr, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
add_problem(ca_config_problems *pr, int line, const char *fmt, ...)
{
	va_list ap;

	if (pr->count < CA_CONFIG_MAX_PROBLEMS) {
		pr->p[pr->count].line = line;
		va_start(ap, fmt);
		vsnprintf(pr->p[pr->count].text, sizeof pr->p[pr->count].text, fmt, ap);
		va_end(ap);
	}
	pr->count++;
}

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
	    end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static const config_key *
find_config_key(const char *name)
{
	for (size_t i = 0; i < NCONFIG_KEYS; i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return &config_keys[i];
	return NULL;
}

/* One `key = value` line (comment and blanks already gone). */
static void
config_line(char *text, int lineno, ca_daemon_config *c, int *seen,
    ca_config_problems *pr)
{
	char *eq = strchr(text, '='), *key, *val, *end;
	const config_key *k;
	long v;

	if (eq == NULL) {
		add_problem(pr, lineno, "expected `key = value`");
		return;
	}
	*eq = '\0';
	key = trim(text);
	val = trim(eq + 1);
	if ((k = find_config_key(key)) == NULL) {
		add_problem(pr, lineno, "unknown key '%.40s' (known: tick_seconds, lease_seconds, "
		    "remind_days, escalate_days, screen_batch, report_after_days)", key);
		return;
	}
	errno = 0;
	v = strtol(val, &end, 10);
	if (*val == '\0' || *end != '\0' || errno != 0 || v < k->min || v > k->max) {
		add_problem(pr, lineno, "%s must be a whole number from %d to %d, not '%.40s'",
		    k->name, k->min, k->max, val);
		return;
	}
	if (seen[k - config_keys] != 0) {
		add_problem(pr, lineno, "%s is set twice (first on line %d)", k->name,
		    seen[k - config_keys]);
		return;
	}
	seen[k - config_keys] = lineno;
	*(int *)(void *)((char *)c + k->offset) = (int)v;
}

int
ca_daemon_config_load(const char *path, const ca_daemon_config *base,
    ca_daemon_config *cfg, ca_config_problems *problems, ca_err *err)
{
	ca_daemon_config c = *base;
	int seen[NCONFIG_KEYS] = { 0 }, lineno = 0, skipping = 0;
	char line[1024], *hash;
	FILE *f;

	problems->count = 0;
	if ((f = fopen(path, "r")) == NULL)
		return ca_err_set(err, CA_EX_NOINPUT, "cannot read the configuration file %s: %s",
		    path, strerror(errno));
	while (fgets(line, sizeof line, f) != NULL) {
		size_t len = strlen(line);
		int whole = len > 0 && line[len - 1] == '\n';

		/* The tail of an over-long line is not a line of its own. */
		if (skipping) {
			skipping = !whole;
			continue;
		}
		lineno++;
		if (!whole && !feof(f)) {
			add_problem(problems, lineno, "line longer than %zu bytes",
			    sizeof line - 2);
			skipping = 1;
			continue;
		}
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if (*trim(line) == '\0')
			continue;
		config_line(trim(line), lineno, &c, seen, problems);
	}
	if (ferror(f)) {
		fclose(f);
		return ca_err_set(err, CA_EX_NOINPUT, "cannot read the configuration file %s", path);
	}
	fclose(f);
	if (problems->count > 0)
		return ca_err_set(err, CA_EX_USAGE, "the configuration file %s has %d problem%s; "
		    "see caseauditd --help", path, problems->count, problems->count == 1 ? "" : "s");
	*cfg = c;
	return 0;
}

/* ---- options ------------------------------------------------------------ */

void
ca_daemon_opts_defaults(ca_daemon_opts *o)
{
	char host[256];

	memset(o, 0, sizeof *o);
	o->lease_seconds = 300;
	o->tick_seconds = 60;
	o->log = stderr;
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	snprintf(o->daemon_id, sizeof o->daemon_id, "%s:%ld", host, (long)getpid());
}

/* ---- connections -------------------------------------------------------- */

static void
disconnect_all(dstate *d)
{
	ca_db_close(d->work);
	ca_db_close(d->listen);
	d->work = d->listen = NULL;
	d->listen_broken = 0;
}

static int
connected(const dstate *d)
{
	return d->work != NULL;
}

/* Whether the last failure was the database going away rather than a
 * statement going wrong. */
static int
conn_lost(const dstate *d)
{
	if (d->work == NULL || PQstatus(d->work) == CONNECTION_BAD)
		return 1;
	if (d->o->once)
		return 0;
	return d->listen == NULL || d->listen_broken || PQstatus(d->listen) == CONNECTION_BAD;
}

static int
connect_all(dstate *d, ca_err *err)
{
	d->work = ca_db_connect_as(d->o->conninfo, "caseauditd", err);
	if (d->work == NULL)
		return err->code;
	if (ca_db_exec(d->work, err, "setting up the work connection",
	    "SELECT set_config('client_connection_check_interval', $1, false)", 1,
	    (const char *const[]){ CLIENT_CHECK_INTERVAL }) != 0)
		goto fail;
	if (d->o->once)
		return 0;
	/* A dedicated connection: a notification can only be read while no
	 * query is running on it. */
	d->listen = ca_db_connect_as(d->o->conninfo, "caseauditd listen", err);
	if (d->listen == NULL ||
	    ca_db_exec(d->listen, err, "listening for work", "LISTEN caseaudit_work", 0, NULL) != 0)
		goto fail;
	return 0;
fail:
	disconnect_all(d);
	return err->code ? err->code : CA_EX_UNAVAILABLE;
}

/* Wait up to ms, or less when a signal arrives. */
static void
sleep_interruptible(int ms)
{
	struct pollfd p = { wake_pipe[0], POLLIN, 0 };

	if (got_stop)
		return;
	if (poll(&p, 1, ms) > 0)
		drain_wake_pipe();
}

/* The database went away: say so once per outage and drop what is left
 * of both connections. */
static void
outage(dstate *d, const ca_err *why)
{
	if (!d->down_logged) {
		log_event(d, "error", "db_unavailable", "error",
		    why && why->msg[0] ? why->msg : "the connection was lost",
		    "retry", "backoff from 1 s to 30 s", (char *)NULL);
		d->down_logged = 1;
		d->backoff_ms = BACKOFF_FIRST_MS;
	}
	disconnect_all(d);
}

/* One attempt to connect; on failure wait the backoff (with jitter, so
 * that daemons restarted together do not knock together) and double it. */
static int
reconnect(dstate *d)
{
	ca_err err = { 0 };
	int half, delay;

	if (connect_all(d, &err) == 0) {
		if (d->down_logged)
			log_event(d, "info", "db_available", (char *)NULL);
		d->down_logged = 0;
		d->backoff_ms = BACKOFF_FIRST_MS;
		return 0;
	}
	outage(d, &err);
	half = d->backoff_ms / 2;
	delay = half + (int)(rand_r(&d->jitter_seed) % (unsigned)(half + 1));
	sleep_interruptible(delay);
	d->backoff_ms = d->backoff_ms >= BACKOFF_CAP_MS / 2 ? BACKOFF_CAP_MS : d->backoff_ms * 2;
	return -1;
}

/* ---- heartbeats --------------------------------------------------------- */

static int
heartbeat(dstate *d, const char *state, long long job_id, ca_err *err)
{
	char pid[24], job[24];
	const char *params[7] = { d->o->daemon_id, d->host, pid, CASEAUDIT_VERSION,
		d->started, state, job_id > 0 ? job : NULL };

	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	snprintf(job, sizeof job, "%lld", job_id);
	return ca_db_exec(d->work, err, "recording the heartbeat",
	    "INSERT INTO daemon_heartbeats (daemon_id, host, pid, version, started_at, seen_at,"
	    " state, job_id) VALUES ($1, $2, $3, $4, $5, now(), $6, $7)"
	    " ON CONFLICT (daemon_id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid,"
	    " version = EXCLUDED.version, started_at = EXCLUDED.started_at, seen_at = now(),"
	    " state = EXCLUDED.state, job_id = EXCLUDED.job_id", 7, params);
}

/* A clean exit leaves no heartbeat behind: `status` would call it dead. */
static void
heartbeat_goodbye(dstate *d)
{
	ca_err err = { 0 };
	const char *params[1] = { d->o->daemon_id };

	if (!connected(d) || conn_lost(d))
		return;
	ca_db_rollback(d->work);
	if (heartbeat(d, "stopping", 0, &err) != 0 ||
	    ca_db_exec(d->work, &err, "removing the heartbeat",
	    "DELETE FROM daemon_heartbeats WHERE daemon_id = $1", 1, params) != 0)
		log_event(d, "warning", "heartbeat_not_removed", "error", err.msg, (char *)NULL);
}

/* ---- running one job ---------------------------------------------------- */

/* Lock the job's row for the whole of its transaction: while the lock is
 * held no other daemon can take the job over, however long the work takes
 * beyond the lease, and if this daemon dies the lock goes with it. */
static int
hold_job(dstate *d, const ca_job *job, int *lease_lost, ca_err *err)
{
	char id[24];
	const char *params[2] = { id, d->o->daemon_id };
	PGresult *res;
	int rows;

	snprintf(id, sizeof id, "%lld", job->id);
	res = ca_db_query(d->work, err, "holding the job",
	    "SELECT 1 FROM jobs WHERE id = $1 AND locked_by = $2 AND state = 'running'"
	    " FOR UPDATE", 2, params);
	if (res == NULL)
		return err->code;
	rows = PQntuples(res);
	PQclear(res);
	if (rows == 1)
		return 0;
	*lease_lost = 1;
	return ca_err_set(err, CA_EX_TEMPFAIL, "job %lld was taken over by another daemon "
	    "before it started here", job->id);
}

static int
finish_job(dstate *d, const ca_job *job, int *lease_lost, ca_err *err)
{
	int rc = ca_job_finish(d->work, job, d->o->daemon_id, err);

	if (rc == CA_EX_TEMPFAIL && !conn_lost(d))
		*lease_lost = 1;
	return rc;
}

/* The work and its `done` in one transaction: a crash anywhere leaves
 * neither, a success leaves both. */
static int
run_in_transaction(dstate *d, const ca_work_kind *k, const ca_job *job, char *summary,
    size_t size, int *lease_lost, ca_err *err)
{
	int rc;

	if ((rc = ca_db_begin(d->work, err)) != 0)
		return rc;
	if ((rc = hold_job(d, job, lease_lost, err)) == 0 &&
	    (rc = k->run(d->work, job, &d->cfg.work, summary, size, err)) == 0 &&
	    (rc = finish_job(d, job, lease_lost, err)) == 0)
		rc = ca_db_commit(d->work, err);
	if (rc != 0)
		ca_db_rollback(d->work);
	return rc;
}

/* A handler that commits as it goes (in batches) must be idempotent by
 * itself; its `done` follows in a small transaction of its own. */
static int
run_on_its_own(dstate *d, const ca_work_kind *k, const ca_job *job, char *summary,
    size_t size, int *lease_lost, ca_err *err)
{
	int rc = k->run(d->work, job, &d->cfg.work, summary, size, err);

	ca_db_rollback(d->work);  /* whatever the handler left open */
	if (rc != 0)
		return rc;
	if ((rc = ca_db_begin(d->work, err)) == 0 &&
	    (rc = finish_job(d, job, lease_lost, err)) == 0)
		rc = ca_db_commit(d->work, err);
	if (rc != 0)
		ca_db_rollback(d->work);
	return rc;
}

static void
log_failure(dstate *d, const ca_job *job, long long ms, const char *why)
{
	ca_strbuf b;
	int dead = job->attempts >= job->max_attempts;
	long long retry = 30;

	for (int i = 1; i < job->attempts && retry < 3600; i++)
		retry *= 2;
	log_begin(&b, dead ? "error" : "warning", "job_failed");
	log_job(&b, job);
	log_int(&b, "ms", ms);
	log_str(&b, "state", dead ? "dead" : "queued");
	if (!dead)
		log_int(&b, "retry_in_s", retry > 3600 ? 3600 : retry);
	log_str(&b, "error", why);
	log_end(d, &b);
}

/* Run a claimed job and record how it went.  Returns non-zero only when
 * the connection was lost (the job then stays claimed by a backend that
 * is gone, so the next claim anywhere takes it up). */
static int
run_job(dstate *d, const ca_job *job, ca_err *err)
{
	const ca_work_kind *k = ca_work_find(job->kind);
	char summary[512] = "";
	ca_err jerr = { 0 };
	ca_strbuf b;
	long long t0 = mono_ms(), ms;
	int rc, lease_lost = 0;

	if ((rc = heartbeat(d, "working", job->id, err)) != 0 && conn_lost(d))
		return rc;
	log_begin(&b, "info", "job_start");
	log_job(&b, job);
	log_end(d, &b);
	if (k == NULL)
		rc = ca_err_set(&jerr, CA_EX_SOFTWARE, "unknown job kind");
	else if (k->in_transaction)
		rc = run_in_transaction(d, k, job, summary, sizeof summary, &lease_lost, &jerr);
	else
		rc = run_on_its_own(d, k, job, summary, sizeof summary, &lease_lost, &jerr);
	ms = mono_ms() - t0;
	if (rc == 0) {
		d->jobs_done++;
		log_begin(&b, "info", "job_done");
		log_job(&b, job);
		log_int(&b, "ms", ms);
		log_raw(&b, summary);
		log_end(d, &b);
	} else if (conn_lost(d)) {
		log_begin(&b, "warning", "job_interrupted");
		log_job(&b, job);
		log_str(&b, "error", jerr.msg);
		log_end(d, &b);
		*err = jerr;
		return rc;
	} else if (lease_lost) {
		/* Another daemon owns it now; its outcome is that daemon's. */
		d->jobs_failed++;
		log_begin(&b, "warning", "job_lost");
		log_job(&b, job);
		log_str(&b, "error", jerr.msg);
		log_end(d, &b);
	} else {
		d->jobs_failed++;
		if (ca_job_fail(d->work, job, d->o->daemon_id, jerr.msg, err) != 0) {
			if (conn_lost(d))
				return err->code;
			log_event(d, "error", "job_fail_not_recorded", "error", err->msg, (char *)NULL);
		}
		log_failure(d, job, ms, jerr.msg);
	}
	if ((rc = heartbeat(d, "idle", 0, err)) != 0 && conn_lost(d))
		return rc;
	return 0;
}

/* ---- a cycle: schedule, then run what is runnable ------------------------ */

static int
refresh_today(dstate *d, ca_err *err)
{
	PGresult *res;

	if (d->o->today[0] != '\0') {
		memcpy(d->cfg.work.today, d->o->today, sizeof d->cfg.work.today);
		return 0;
	}
	/* The session's time zone is Europe/London (ca_db_connect), and the
	 * server's clock is the one every daemon shares. */
	res = ca_db_query(d->work, err, "reading today's date",
	    "SELECT to_char(current_date, 'YYYY-MM-DD')", 0, NULL);
	if (res == NULL)
		return err->code;
	snprintf(d->cfg.work.today, sizeof d->cfg.work.today, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
purge_if_due(dstate *d, ca_err *err)
{
	PGresult *res;
	long long now = mono_ms();

	if (d->purged_once && now - d->last_purge_ms < PURGE_EVERY_S * 1000LL)
		return 0;
	res = ca_db_query(d->work, err, "purging finished jobs",
	    "DELETE FROM jobs WHERE state = 'done' AND finished_at < now() - interval '7 days'",
	    0, NULL);
	if (res == NULL)
		return err->code;
	if (atoi(PQcmdTuples(res)) > 0)
		log_event(d, "info", "jobs_purged", "count", PQcmdTuples(res), (char *)NULL);
	PQclear(res);
	d->purged_once = 1;
	d->last_purge_ms = now;
	return 0;
}

static void reload_config(dstate *d);

/* A failed step that is not the connection is logged and the cycle goes
 * on: queued jobs still run when scheduling fails, and the next tick tries
 * again.  Returns non-zero only when the connection was lost. */
static int
step_failed(dstate *d, const char *event, const ca_err *err)
{
	if (conn_lost(d))
		return err->code ? err->code : CA_EX_TEMPFAIL;
	d->internal_errors++;
	ca_db_rollback(d->work);
	log_event(d, "error", event, "error", err->msg, (char *)NULL);
	return 0;
}

static int
cycle(dstate *d, ca_err *err)
{
	char n[16];
	ca_job *job;
	int queued = 0, rc;

	if (heartbeat(d, "idle", 0, err) != 0 && step_failed(d, "heartbeat_failed", err))
		return err->code;
	/* Without today's date there is nothing to schedule by; queued jobs
	 * still run. */
	if (refresh_today(d, err) != 0) {
		if (step_failed(d, "schedule_failed", err))
			return err->code;
	} else if (ca_work_schedule(d->work, &d->cfg.work, &queued, err) != 0) {
		if (step_failed(d, "schedule_failed", err))
			return err->code;
	} else if (queued > 0) {
		snprintf(n, sizeof n, "%d", queued);
		log_event(d, "info", "scheduled", "today", d->cfg.work.today, "queued", n,
		    (char *)NULL);
	}
	if (purge_if_due(d, err) != 0 && step_failed(d, "purge_failed", err))
		return err->code;
	while (!got_stop) {
		if (got_reload)
			reload_config(d);
		if (ca_job_claim(d->work, d->o->daemon_id, d->cfg.lease_seconds, &job, err) != 0) {
			if (step_failed(d, "claim_failed", err))
				return err->code;
			break;
		}
		if (job == NULL)
			break;
		rc = run_job(d, job, err);
		ca_job_free(job);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---- reloading ---------------------------------------------------------- */

static void
reload_config(dstate *d)
{
	ca_config_problems pr;
	ca_daemon_config next;
	ca_err err = { 0 };
	ca_strbuf b;
	char where[64];

	got_reload = 0;
	if (d->o->config_path == NULL) {
		log_event(d, "info", "config_reloaded", "file", "none", (char *)NULL);
		return;
	}
	if (ca_daemon_config_load(d->o->config_path, &d->base, &next, &pr, &err) != 0) {
		for (int i = 0; i < pr.count && i < CA_CONFIG_MAX_PROBLEMS; i++) {
			snprintf(where, sizeof where, "%d", pr.p[i].line);
			log_event(d, "error", "config_invalid", "file", d->o->config_path,
			    "line", where, "problem", pr.p[i].text, (char *)NULL);
		}
		log_event(d, "warning", "config_kept", "error", err.msg, (char *)NULL);
		return;
	}
	/* The work date stays whatever the last cycle found. */
	memcpy(next.work.today, d->cfg.work.today, sizeof next.work.today);
	d->cfg = next;
	log_begin(&b, "info", "config_reloaded");
	log_str(&b, "file", d->o->config_path);
	log_int(&b, "tick_seconds", d->cfg.tick_seconds);
	log_int(&b, "lease_seconds", d->cfg.lease_seconds);
	log_int(&b, "remind_days", d->cfg.work.remind_days);
	log_int(&b, "escalate_days", d->cfg.work.escalate_days);
	log_int(&b, "screen_batch", d->cfg.work.screen_batch);
	log_int(&b, "report_after_days", d->cfg.work.report_after_days);
	log_end(d, &b);
}

/* ---- waiting ------------------------------------------------------------ */

/* Sleep in poll() until the next tick, a notification or a signal: no
 * work and no CPU while idle.  Notifications are drained and dropped; they
 * only say "look now". */
static void
wait_for_work(dstate *d)
{
	struct pollfd p[2];
	long long left = d->next_tick_ms - mono_ms();
	PGnotify *n;
	int notified = 0;

	if (got_stop || got_reload || left <= 0)
		return;
	p[0] = (struct pollfd){ wake_pipe[0], POLLIN, 0 };
	p[1] = (struct pollfd){ PQsocket(d->listen), POLLIN, 0 };
	if (poll(p, 2, left > INT_MAX ? INT_MAX : (int)left) <= 0)
		return;
	if (p[0].revents)
		drain_wake_pipe();
	if (p[1].revents) {
		if (!PQconsumeInput(d->listen)) {
			d->listen_broken = 1;
			return;
		}
		while ((n = PQnotifies(d->listen)) != NULL) {
			PQfreemem(n);
			notified = 1;
		}
		/* Woken early: the cycle starts now, the timer from there. */
		if (notified)
			d->next_tick_ms = mono_ms();
	}
}

/* ---- the loop ----------------------------------------------------------- */

static int
start(dstate *d, const ca_daemon_opts *o, ca_err *err)
{
	ca_config_problems pr;
	char *colon;

	memset(d, 0, sizeof *d);
	d->o = o;
	d->base.tick_seconds = o->tick_seconds > 0 ? o->tick_seconds : 60;
	d->base.lease_seconds = o->lease_seconds > 0 ? o->lease_seconds : 300;
	ca_work_config_defaults(&d->base.work);
	d->cfg = d->base;
	if (o->config_path != NULL &&
	    ca_daemon_config_load(o->config_path, &d->base, &d->cfg, &pr, err) != 0) {
		for (int i = 0; i < pr.count && i < CA_CONFIG_MAX_PROBLEMS; i++)
			fprintf(o->log, "%s:%d: %s\n", o->config_path, pr.p[i].line, pr.p[i].text);
		if (pr.count > CA_CONFIG_MAX_PROBLEMS)
			fprintf(o->log, "%s: %d more problems not shown\n", o->config_path,
			    pr.count - CA_CONFIG_MAX_PROBLEMS);
		return err->code;
	}
	if (o->today[0] != '\0' && ca_date_parse(o->today, NULL) != 0)
		return ca_err_set(err, CA_EX_USAGE, "the date '%s' is not a real date written "
		    "YYYY-MM-DD", o->today);
	snprintf(d->host, sizeof d->host, "%.255s", o->daemon_id);
	if ((colon = strrchr(d->host, ':')) != NULL)
		*colon = '\0';
	utc_stamp(time(NULL), d->started, sizeof d->started);
	d->jitter_seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	d->backoff_ms = BACKOFF_FIRST_MS;
	return 0;
}

static void
log_start(const dstate *d)
{
	ca_strbuf b;

	log_begin(&b, "info", "starting");
	log_str(&b, "daemon", d->o->daemon_id);
	log_str(&b, "version", CASEAUDIT_VERSION);
	log_int(&b, "once", d->o->once != 0);
	log_int(&b, "tick_seconds", d->cfg.tick_seconds);
	log_int(&b, "lease_seconds", d->cfg.lease_seconds);
	if (d->o->today[0] != '\0')
		log_str(&b, "today", d->o->today);
	log_end(d, &b);
}

static void
log_stop(const dstate *d)
{
	ca_strbuf b;

	log_begin(&b, "info", "stopped");
	log_int(&b, "jobs_done", d->jobs_done);
	log_int(&b, "jobs_failed", d->jobs_failed);
	log_end(d, &b);
}

/* --once: connect or give up, one cycle, and an exit code that says
 * whether everything it ran went well. */
static int
run_once(dstate *d, ca_err *err)
{
	int rc;

	if ((rc = connect_all(d, err)) != 0)
		return rc;
	if ((rc = cycle(d, err)) != 0 || conn_lost(d)) {
		ca_err_prefix(err, "the connection to the database was lost: ");
		return CA_EX_TEMPFAIL;
	}
	heartbeat_goodbye(d);
	if (d->jobs_failed > 0)
		return ca_err_set(err, CA_EX_TEMPFAIL, "%d job%s failed and will be retried or "
		    "%s dead; see the log and `caseaudit jobs --failed`", d->jobs_failed,
		    d->jobs_failed == 1 ? "" : "s", d->jobs_failed == 1 ? "is" : "are");
	if (d->internal_errors > 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "a step failed; see the log");
	return 0;
}

static void
run_forever(dstate *d)
{
	ca_err err;

	while (!got_stop) {
		if (got_reload)
			reload_config(d);
		if (!connected(d) && reconnect(d) != 0)
			continue;
		ca_err_clear(&err);
		if (cycle(d, &err) != 0 || conn_lost(d)) {
			outage(d, &err);
			continue;
		}
		d->next_tick_ms = mono_ms() + d->cfg.tick_seconds * 1000LL;
		while (!got_stop && !got_reload && mono_ms() < d->next_tick_ms && !conn_lost(d))
			wait_for_work(d);
		if (conn_lost(d)) {
			ca_err_set(&err, CA_EX_TEMPFAIL, "the connection to the database was lost");
			outage(d, &err);
		}
	}
	heartbeat_goodbye(d);
}

int
ca_daemon_run(const ca_daemon_opts *o, ca_err *err)
{
	saved_signals saved;
	dstate d;
	int rc;

	if ((rc = start(&d, o, err)) != 0)
		return rc;
	if ((rc = signals_install(&saved, err)) != 0)
		return rc;
	log_start(&d);
	if (o->once) {
		rc = run_once(&d, err);
	} else {
		run_forever(&d);
		rc = 0;
	}
	disconnect_all(&d);
	log_stop(&d);
	signals_restore(&saved);
	return rc;
}
