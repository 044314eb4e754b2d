/*
 * cmd_moderate.c - `caseaudit moderate` (the moderator's view of an audit)
 * and `caseaudit moderation list|stats` (what is waiting for moderation,
 * and how far auditors and moderators agree).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "db.h"
#include "escalations.h"
#include "listing.h"
#include "moderation.h"
#include "period.h"

const char ca_help_moderate[] =
	"usage: caseaudit moderate ID --grade G --as STAFF [--agree Q1,Q2,...]\n"
	"                          [--disagree Q3:RATING,...] [--agree-rest]\n"
	"                          [--comment TEXT] [--return --reason TEXT]\n"
	"                          [--version N] [--today YYYY-MM-DD] [--db CONNINFO]\n"
	"\n"
	"A moderator (staff with the psw role: --as, or CASEAUDIT_AS in the\n"
	"environment) records their own, independent view of submitted audit ID:\n"
	"the grade they would give, and their rating of the questions the auditor\n"
	"answered.\n"
	"\n"
	"  --grade G          outstanding, good, requires_improvement or inadequate\n"
	"  --agree Q1,Q2      questions where the moderator gives the auditor's rating\n"
	"  --disagree Q:R,..  questions where the moderator gives rating R instead\n"
	"                     (R must be one of the question's scale)\n"
	"  --agree-rest       agree with the auditor on every answered question not\n"
	"                     listed.  Without it, an answered question in neither\n"
	"                     list is not rated: it counts neither for nor against\n"
	"                     agreement, so no rating is taken as agreed unless the\n"
	"                     moderator said so\n"
	"  --comment TEXT     the moderator's comment, for the auditor\n"
	"  --return           send the audit back to its auditor (with --reason TEXT),\n"
	"                     who answers again and resubmits; the new submission is\n"
	"                     drawn for moderation afresh\n"
	"  --version N        refuse (75) if the audit has changed since version N\n"
	"  --today D          the date the moderation is made (default: today)\n"
	"\n"
	"Who may: a moderator independent of the work (not the audit's auditor, not\n"
	"staff of the partner organisation assessed, not the assessor).  An audit\n"
	"the daemon selected for moderation is moderated by the moderator it was\n"
	"given (`caseaudit moderation list`); one waiting for a moderator, or not\n"
	"selected, may be moderated by any moderator (recorded as requested).  The\n"
	"audit must be submitted or in feedback; one selected before it closed may\n"
	"still be moderated, but no longer returned.  Each submission is moderated\n"
	"once.  Recorded in the trail.\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 not allowed or bad data (with the reason),\n"
	"69 database unavailable, 70 internal error, 75 the audit changed: retry\n";

const char ca_help_moderation[] =
	"usage: caseaudit moderation list [--moderator REF] [--status S]\n"
	"                                 [--format table|csv|json] [--db CONNINFO]\n"
	"       caseaudit moderation stats [--from P] [--to P]\n"
	"                                  [--by overall|auditor|question]\n"
	"                                  [--format table|csv|json] [--db CONNINFO]\n"
	"\n"
	"list: moderations, waiting and pending first: id, audit, submission, why it\n"
	"  was selected (sampled: the random draw; quarter_minimum: the auditor's\n"
	"  one for a quarter with none drawn; requested: by a moderator), status\n"
	"  (waiting: no moderator available yet; pending: with its moderator; done;\n"
	"  withdrawn: the audit was submitted again or cancelled), moderator,\n"
	"  auditor, date selected, the auditor's and the moderator's grades,\n"
	"  whether it was returned, and the date done.\n"
	"  --status S         waiting, pending, done or withdrawn\n"
	"\n"
	"stats: how far auditors and moderators agree, over the moderations done\n"
	"  for submissions made in the periods given (by the day each moderated\n"
	"  submission was made), overall (the default), per auditor or per\n"
	"  question: the number moderated; grades given the same by both, of all\n"
	"  moderated; Cohen's kappa for grades, linearly weighted over the ordered\n"
	"  grades (outstanding > good > requires_improvement > inadequate), with its\n"
	"  95% confidence interval; the same for question ratings (met >\n"
	"  partially_met > not_met, by the ratings' scores); rating pairs where\n"
	"  either said not_applicable, left out of the rating statistics and counted\n"
	"  apart (N/A); and what moderation changed: audits returned to their\n"
	"  auditor, and those resubmitted with another grade (regraded).\n"
	"  Kappa is 1 for full agreement and 0 for what chance alone gives; below\n"
	"  about 0.6 auditors need calibrating (note: calibrate).  Rows of fewer\n"
	"  than 5 moderations (or rated pairs) are shown, since auditors are staff\n"
	"  and calibrating them is the point, but without an interval: it would\n"
	"  not mean anything (note: under 5).  Kappa cannot be measured when both\n"
	"  gave every case the same grade or rating (note: all alike); full\n"
	"  agreement has no interval either (note: no interval).\n"
	"  --from P, --to P   the first and last period, YYYY-MM or YYYY-Qn\n"
	"  --by B             overall, auditor or question\n"
	"\n"
	"The daemon draws every submission once and selects it when the draw is\n"
	"below the moderation_percent setting (0 to 100; 10 by default); each draw\n"
	"is kept (moderation_draws) so the selection can be shown to be random.\n"
	"\n"
	"exit status: 0 ok, 64 usage, 69 database unavailable, 70 internal error\n";

/* ---- moderate ----------------------------------------------------------- */

int
ca_cmd_moderate(int argc, char **argv)
{
	static const struct option options[] = {
		{ "grade", required_argument, NULL, 'g' },
		{ "agree", required_argument, NULL, 'a' },
		{ "disagree", required_argument, NULL, 'x' },
		{ "agree-rest", no_argument, NULL, 'A' },
		{ "comment", required_argument, NULL, 'c' },
		{ "return", no_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ "as", required_argument, NULL, 's' },
		{ "version", required_argument, NULL, 'v' },
		{ "today", required_argument, NULL, 't' },
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	ca_moderation_request rq = { 0 };
	ca_moderation_outcome out;
	ca_actor actor = { 0 };
	const char *db = NULL;
	ca_err err = { 0 };
	PGconn *conn;
	uint64_t id, v;
	int ch, rc;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_moderate);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (ch) {
		case 'g': rq.grade = optarg; break;
		case 'a':
			if (rq.agree != NULL)
				return ca_cli_usage("moderate", "give --agree once, with the "
				    "questions separated by commas");
			rq.agree = optarg;
			break;
		case 'x':
			if (rq.disagree != NULL)
				return ca_cli_usage("moderate", "give --disagree once, with the "
				    "pairs separated by commas");
			rq.disagree = optarg;
			break;
		case 'A': rq.agree_rest = 1; break;
		case 'c': rq.comment = optarg; break;
		case 'r': rq.return_audit = 1; break;
		case 'R': rq.reason = optarg; break;
		case 's': actor.as = optarg; break;
		case 'v':
			if (ca_cli_parse_u64(optarg, INT32_MAX, &v) != 0 || v == 0)
				return ca_cli_usage("moderate", "--version is the audit's version "
				    "number as shown, not '%s'", optarg);
			actor.expect_version = (long)v;
			break;
		case 't':
			if (ca_date_parse(optarg, NULL) != 0)
				return ca_cli_usage("moderate", "--today is a date written "
				    "YYYY-MM-DD, not '%s'", optarg);
			actor.today = optarg;
			break;
		case 'd': db = optarg; break;
		default: return ca_cli_usage("moderate", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return ca_cli_usage("moderate", "moderate takes one audit ID");
	if (ca_cli_parse_u64(argv[optind], INT64_MAX, &id) != 0)
		return ca_cli_usage("moderate", "ID must be an audit number, not '%s'",
		    argv[optind]);
	if (rq.grade == NULL)
		return ca_cli_usage("moderate", "--grade G is required: the grade the moderator "
		    "would give");
	if ((actor.as = ca_cli_as(actor.as)) == NULL)
		return ca_cli_usage("moderate", "--as STAFF is required: who is moderating (or "
		    "set CASEAUDIT_AS)");
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	rc = ca_moderate(conn, &actor, (long long)id, &rq, &out, &err);
	ca_db_close(conn);
	if (rc == CA_EX_USAGE)
		return ca_cli_usage("moderate", "%s", err.msg);
	if (rc != 0)
		return ca_cli_fail(&err);
	printf("audit %llu moderated (submission %d%s): grade %s, the auditor's %s; "
	    "%ld rating%s agreed, %ld not", (unsigned long long)id, out.submission,
	    out.requested ? ", on request" : "", rq.grade, out.auditor_grade, out.agreed,
	    out.agreed == 1 ? "" : "s", out.disagreed);
	if (out.unrated > 0)
		printf(", %ld not rated", out.unrated);
	printf("%s\n", rq.return_audit ? "; returned to its auditor" : "");
	return 0;
}

/* ---- moderation list ---------------------------------------------------- */

/* The index of arg among the NULL-terminated words, or -1. */
static int
one_of(const char *arg, const char *const *words)
{
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	return -1;
}

static const ca_column list_columns[] = {
	{ "id", "MODERATION", CA_COL_NUMBER },
	{ "audit", "AUDIT", CA_COL_NUMBER },
	{ "submission", "SUB", CA_COL_NUMBER },
	{ "reason", "WHY", CA_COL_TEXT },
	{ "status", "STATUS", CA_COL_TEXT },
	{ "moderator", "MODERATOR", CA_COL_TEXT },
	{ "auditor", "AUDITOR", CA_COL_TEXT },
	{ "selected_on", "SELECTED", CA_COL_DATE },
	{ "auditor_grade", "AUDITOR'S GRADE", CA_COL_TEXT },
	{ "grade", "MODERATOR'S GRADE", CA_COL_TEXT },
	{ "returned", "RETURNED", CA_COL_BOOL },
	{ "done_on", "DONE", CA_COL_DATE },
};

static int
moderation_list(int argc, char **argv)
{
	static const struct option options[] = {
		{ "moderator", required_argument, NULL, 'm' },
		{ "status", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const statuses[] = { "waiting", "pending", "done", "withdrawn", NULL };
	const char *moderator = NULL, *status = NULL, *db = NULL;
	ca_format fmt = CA_FORMAT_TABLE;
	ca_err err = { 0 };
	PGconn *conn;
	PGresult *res;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (ch) {
		case 'm': moderator = optarg; break;
		case 's':
			if (one_of(optarg, statuses) < 0)
				return ca_cli_usage("moderation", "--status is waiting, pending, "
				    "done or withdrawn, not '%s'", optarg);
			status = optarg;
			break;
		case 'f':
			if ((rc = ca_format_parse("moderation", optarg, &fmt)) != 0)
				return rc;
			break;
		case 'd': db = optarg; break;
		default: return ca_cli_usage("moderation", "unknown option");
		}
	}
	if (optind != argc)
		return ca_cli_usage("moderation", "unexpected argument '%s'", argv[optind]);
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	{
		const char *p[2] = { moderator, status };

		res = ca_db_query(conn, &err, "listing moderations",
		    "SELECT * FROM (SELECT m.id, m.audit_id, m.submission, m.reason,"
		    "  CASE WHEN m.status = 'pending' AND m.moderator_id IS NULL THEN 'waiting'"
		    "   ELSE m.status END AS status, ms.staff_ref AS moderator, a.staff_ref,"
		    "  m.selected_on, m.auditor_grade, m.grade, m.returned, m.done_on"
		    " FROM moderations m JOIN audits au ON au.id = m.audit_id"
		    " LEFT JOIN staff ms ON ms.id = m.moderator_id"
		    " LEFT JOIN staff a ON a.id = au.auditor_id) x"
		    " WHERE ($1::text IS NULL OR moderator = $1)"
		    "   AND ($2::text IS NULL OR status = $2)"
		    " ORDER BY array_position(ARRAY['waiting', 'pending', 'done', 'withdrawn'],"
		    "  status), selected_on, id", 2, p);
		if (res != NULL && fmt == CA_FORMAT_TABLE &&
		    ca_escalations_banner(conn, stdout, &err) != 0) {
			PQclear(res);
			res = NULL;
		}
	}
	ca_db_close(conn);
	if (res == NULL)
		return ca_cli_fail(&err);
	ca_listing_print(stdout, res, list_columns, 12, fmt, "No moderations match.");
	PQclear(res);
	return 0;
}

/* ---- moderation stats --------------------------------------------------- */

/* Fewer pairs than this and a confidence interval says nothing. */
#define INTERVAL_MIN 5

/* Columns for scripts: the first is named after --by. */
static const ca_column stats_columns[] = {
	{ "overall", "", CA_COL_TEXT },
	{ "moderated", "", CA_COL_NUMBER },
	{ "grades_agreed", "", CA_COL_NUMBER },
	{ "grade_agreement", "", CA_COL_NUMBER },
	{ "grade_kappa", "", CA_COL_NUMBER },
	{ "grade_kappa_low", "", CA_COL_NUMBER },
	{ "grade_kappa_high", "", CA_COL_NUMBER },
	{ "ratings", "", CA_COL_NUMBER },
	{ "ratings_agreed", "", CA_COL_NUMBER },
	{ "rating_agreement", "", CA_COL_NUMBER },
	{ "rating_kappa", "", CA_COL_NUMBER },
	{ "rating_kappa_low", "", CA_COL_NUMBER },
	{ "rating_kappa_high", "", CA_COL_NUMBER },
	{ "not_applicable", "", CA_COL_NUMBER },
	{ "returned", "", CA_COL_NUMBER },
	{ "regraded", "", CA_COL_NUMBER },
	{ "note", "", CA_COL_TEXT },
};
enum { S_GROUP, S_MODERATED, S_GRADES_AGREED, S_GRADE_PCT, S_GRADE_K, S_GRADE_LO, S_GRADE_HI,
	S_RATINGS, S_RATINGS_AGREED, S_RATING_PCT, S_RATING_K, S_RATING_LO, S_RATING_HI, S_NA,
	S_RETURNED, S_REGRADED, S_NOTE, S_COLUMNS };

/* The same for people: agreement and kappa in one cell each. */
static const ca_column table_columns[] = {
	{ "", "OVERALL", CA_COL_TEXT },
	{ "", "MODERATED", CA_COL_NUMBER },
	{ "", "GRADES AGREED", CA_COL_TEXT },
	{ "", "GRADE KAPPA (95% CI)", CA_COL_TEXT },
	{ "", "RATINGS AGREED", CA_COL_TEXT },
	{ "", "RATING KAPPA (95% CI)", CA_COL_TEXT },
	{ "", "N/A", CA_COL_NUMBER },
	{ "", "RETURNED", CA_COL_NUMBER },
	{ "", "REGRADED", CA_COL_NUMBER },
	{ "", "NOTE", CA_COL_TEXT },
};
enum { T_GROUP, T_MODERATED, T_GRADES, T_GRADE_K, T_RATINGS, T_RATING_K, T_NA, T_RETURNED,
	T_REGRADED, T_NOTE, T_COLUMNS };

/* The columns a question row has: no grades, nothing returned. */
static int
question_column(int c, int table)
{
	if (table)
		return c != T_GRADES && c != T_GRADE_K && c != T_RETURNED && c != T_REGRADED;
	return c < S_GRADES_AGREED || (c >= S_RATINGS && c <= S_NA) || c == S_NOTE;
}

typedef char cell[96];

static void
count_cell(cell c, long v)
{
	snprintf(c, sizeof(cell), "%ld", v);
}

/* "7 of 10 (70%)" for people, or the percentage alone; empty for none. */
static void
agreement_cell(cell c, long agreed, long n, int table)
{
	if (n == 0)
		c[0] = '\0';
	else if (table)
		snprintf(c, sizeof(cell), "%ld of %ld (%.0f%%)", agreed, n, 100.0 * agreed / n);
	else
		snprintf(c, sizeof(cell), "%.1f", 100.0 * agreed / n);
}

/* Whether kappa has an interval worth showing: enough pairs, and a
 * standard error the formula could estimate (it gives 0, give or take
 * rounding, for full agreement and where agreement is exactly what chance
 * gives). */
static int
has_interval(const ca_kappa *kp)
{
	return kp->n >= INTERVAL_MIN && kp->se > 1e-9;
}

/* v with `places` decimals, never "-0.00". */
static void
number(char *c, int places, double v)
{
	snprintf(c, sizeof(cell), "%.*f", places, v);
	if (c[0] == '-' && strspn(c + 1, "0.") == strlen(c + 1))
		memmove(c, c + 1, strlen(c));
}

/* Kappa and its interval: "0.71 (0.43 to 0.98)" for people, four places
 * for scripts; nothing when kappa cannot be measured. */
static void
kappa_cells(cell k, cell lo, cell hi, int ok, const ca_kappa *kp, int table)
{
	int interval = ok && has_interval(kp);

	k[0] = lo[0] = hi[0] = '\0';
	if (!ok || isnan(kp->kappa))
		return;
	number(k, table ? 2 : 4, kp->kappa);
	if (!interval)
		return;
	number(lo, table ? 2 : 4, kp->lo);
	number(hi, table ? 2 : 4, kp->hi);
	if (table) {
		size_t len = strlen(k);

		snprintf(k + len, sizeof(cell) - len, " (%s to %s)", lo, hi);
		lo[0] = hi[0] = '\0';
	}
}

/* What a reader must know about a row, in few words (the help says
 * more): kappa unmeasurable, too few for an interval, no interval, or
 * low enough to calibrate. */
static void
note_cell(cell c, const ca_moderation_stat *s)
{
	struct { int ok; const ca_kappa *k; const char *what; } side[2] = {
		{ s->grade_ok, &s->grade, "grade" },
		{ s->rating_ok, &s->rating, "rating" },
	};
	size_t len = 0;

	c[0] = '\0';
	for (int i = 0; i < 2; i++) {
		const char *say = NULL;

		if (!side[i].ok)
			continue;
		if (isnan(side[i].k->kappa))
			say = "%ss all alike";
		else if (side[i].k->n < INTERVAL_MIN)
			say = "under 5 %ss";
		else if (side[i].k->kappa < 0.6)
			say = "%ss: calibrate";
		else if (!has_interval(side[i].k))
			say = "no %s interval";
		if (say == NULL)
			continue;
		if (len > 0)
			len += (size_t)snprintf(c + len, sizeof(cell) - len, "; ");
		if (len < sizeof(cell))
			len += (size_t)snprintf(c + len, sizeof(cell) - len, say, side[i].what);
	}
}

static int
set_cell(PGresult *res, int row, int col, const char *v)
{
	/* an empty cell is NULL: "-" in a table, null in JSON */
	return PQsetvalue(res, row, col, (char *)v, v[0] == '\0' ? -1 : (int)strlen(v));
}

/* The rows as a result the listing prints, with the columns of `all` a
 * row of its kind has, which go to cols. */
static PGresult *
stats_result(const ca_moderation_stat *rows, size_t n, ca_moderation_by by, int table,
    const ca_column *all, ca_column *cols, int *ncols)
{
	PGresAttDesc attr[S_COLUMNS];
	int map[S_COLUMNS], total = table ? T_COLUMNS : S_COLUMNS, k = 0;
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);

	if (res == NULL)
		return NULL;
	for (int c = 0; c < total; c++)
		if (by != CA_MODERATION_BY_QUESTION || question_column(c, table)) {
			memset(&attr[k], 0, sizeof attr[k]);
			attr[k].name = (char *)(table ? all[c].heading : all[c].name);
			attr[k].typid = 25;   /* text */
			attr[k].typlen = -1;
			cols[k] = all[c];
			map[k++] = c;
		}
	if (!PQsetResultAttrs(res, k, attr))
		goto fail;
	for (size_t r = 0; r < n; r++) {
		const ca_moderation_stat *s = &rows[r];
		cell v[S_COLUMNS];

		memset(v, 0, sizeof v);
		snprintf(v[0], sizeof v[0], "%s", s->group);
		count_cell(v[1], s->moderated);
		if (table) {
			cell lo, hi;

			agreement_cell(v[T_GRADES], s->grades_agreed, s->moderated, 1);
			kappa_cells(v[T_GRADE_K], lo, hi, s->grade_ok, &s->grade, 1);
			agreement_cell(v[T_RATINGS], s->ratings_agreed, s->ratings, 1);
			kappa_cells(v[T_RATING_K], lo, hi, s->rating_ok, &s->rating, 1);
			count_cell(v[T_NA], s->not_applicable);
			count_cell(v[T_RETURNED], s->returned);
			count_cell(v[T_REGRADED], s->regraded);
			note_cell(v[T_NOTE], s);
		} else {
			count_cell(v[S_GRADES_AGREED], s->grades_agreed);
			agreement_cell(v[S_GRADE_PCT], s->grades_agreed, s->moderated, 0);
			kappa_cells(v[S_GRADE_K], v[S_GRADE_LO], v[S_GRADE_HI], s->grade_ok,
			    &s->grade, 0);
			count_cell(v[S_RATINGS], s->ratings);
			count_cell(v[S_RATINGS_AGREED], s->ratings_agreed);
			agreement_cell(v[S_RATING_PCT], s->ratings_agreed, s->ratings, 0);
			kappa_cells(v[S_RATING_K], v[S_RATING_LO], v[S_RATING_HI], s->rating_ok,
			    &s->rating, 0);
			count_cell(v[S_NA], s->not_applicable);
			count_cell(v[S_RETURNED], s->returned);
			count_cell(v[S_REGRADED], s->regraded);
			note_cell(v[S_NOTE], s);
		}
		for (int c = 0; c < k; c++)
			if (!set_cell(res, (int)r, c, v[map[c]]))
				goto fail;
	}
	*ncols = k;
	return res;
fail:
	PQclear(res);
	return NULL;
}

/* --from P and --to P as the first and last day they cover. */
static int
period_day(const char *arg, const char *opt, int last, char *day)
{
	char first[11], end[11];
	ca_period per;

	if (ca_period_parse(arg, &per) != 0)
		return ca_cli_usage("moderation", "%s is a month (YYYY-MM) or a quarter (YYYY-Qn), "
		    "not '%s'", opt, arg);
	ca_period_bounds(&per, first, end);
	memcpy(day, last ? end : first, 11);
	return 0;
}

static int
moderation_stats(int argc, char **argv)
{
	static const struct option options[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'F' },
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const bys[] = { "overall", "auditor", "question", NULL };
	static const char *const headings[] = { "OVERALL", "AUDITOR", "QUESTION" };
	char from[11] = "", to[11] = "";
	const char *db = NULL;
	ca_moderation_by by = CA_MODERATION_BY_OVERALL;
	ca_moderation_stat *rows = NULL;
	ca_column all[S_COLUMNS], cols[S_COLUMNS];
	ca_format fmt = CA_FORMAT_TABLE;
	ca_err err = { 0 };
	PGresult *res;
	PGconn *conn;
	size_t n = 0;
	int ch, rc, ncols = 0, known;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((rc = period_day(optarg, "--from", 0, from)) != 0)
				return rc;
			break;
		case 't':
			if ((rc = period_day(optarg, "--to", 1, to)) != 0)
				return rc;
			break;
		case 'b':
			if ((known = one_of(optarg, bys)) < 0)
				return ca_cli_usage("moderation", "--by is overall, auditor or "
				    "question, not '%s'", optarg);
			by = (ca_moderation_by)known;
			break;
		case 'F':
			if ((rc = ca_format_parse("moderation", optarg, &fmt)) != 0)
				return rc;
			break;
		case 'd': db = optarg; break;
		default: return ca_cli_usage("moderation", "unknown option");
		}
	}
	if (optind != argc)
		return ca_cli_usage("moderation", "unexpected argument '%s'", argv[optind]);
	if (from[0] != '\0' && to[0] != '\0' && strcmp(from, to) > 0)
		return ca_cli_usage("moderation", "--from is after --to");
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	rc = ca_moderation_stats(conn, by, from[0] ? from : NULL, to[0] ? to : NULL, &rows, &n,
	    &err);
	ca_db_close(conn);
	if (rc != 0)
		return ca_cli_fail(&err);
	memcpy(all, fmt == CA_FORMAT_TABLE ? table_columns : stats_columns,
	    sizeof(ca_column) * (fmt == CA_FORMAT_TABLE ? T_COLUMNS : S_COLUMNS));
	if (fmt == CA_FORMAT_TABLE)
		all[0].heading = headings[by];
	else
		all[0].name = bys[by];
	res = stats_result(rows, n, by, fmt == CA_FORMAT_TABLE, all, cols, &ncols);
	free(rows);
	if (res == NULL) {
		ca_err_set(&err, CA_EX_SOFTWARE, "moderation stats: out of memory");
		return ca_cli_fail(&err);
	}
	ca_listing_print(stdout, res, cols, ncols, fmt, "No moderations were done for "
	    "submissions made in this period.");
	if (fmt == CA_FORMAT_TABLE && n > 0)
		printf("\nKappa: Cohen's, linearly weighted over the ordered grades and ratings, "
		    "with a 95%% interval;\n1 is full agreement, 0 what chance alone gives, "
		    "and below about 0.6 auditors need\ncalibrating.  Rating pairs where either "
		    "said not applicable are left out (N/A).\n");
	PQclear(res);
	return 0;
}

int
ca_cmd_moderation(int argc, char **argv)
{
	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_moderation);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return moderation_list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "stats") == 0)
		return moderation_stats(argc - 1, argv + 1);
	return ca_cli_usage("moderation", "say list or stats");
}
