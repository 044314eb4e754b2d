/*
 * cmd_audit.c - `caseaudit audit SUBCOMMAND`: acting on one audit.  Each
 * subcommand parses its options and calls one function of the workflow
 * (workflow.h); `audit show` is in cmd_audit_show.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "cli.h"
#include "date.h"
#include "db.h"
#include "workflow.h"

int ca_cmd_audit_show(int argc, char **argv);

const char ca_help_audit[] =
	"usage: caseaudit audit SUBCOMMAND ID ... --as STAFF [--version N] [--today DATE]\n"
	"                       [--db CONNINFO]\n"
	"\n"
	"Act on one audit.  --as names the member of staff acting (their staff ref;\n"
	"CASEAUDIT_AS in the environment if not given); the workflow refuses what\n"
	"they may not do, with the reason.  --version N is the version `audit show`\n"
	"printed: when given, the change is refused (exit 75) if anybody changed the\n"
	"audit since, so nobody overwrites another's work unseen.\n"
	"--today DATE makes the change as of that date (YYYY-MM-DD; for simulations).\n"
	"\n"
	"  show ID [--format table|json]\n"
	"        the case, its screening prompts, every question with its answer, the\n"
	"        grade, actions, escalations and history\n"
	"  answer ID QUESTION RATING [--evidence TEXT]       (the audit's auditor)\n"
	"        rate a question; the rating must be in its scale, and evidence is\n"
	"        required for the ratings the checklist says.  Answering again replaces\n"
	"        the answer (the history keeps both).  The first answer starts the\n"
	"        audit.  Rating a safeguarding question not met escalates at once.\n"
	"  note ID [--strengths TEXT] [--learning TEXT]      (the audit's auditor)\n"
	"        strengths noted and learning points, fed back with the findings\n"
	"  submit ID --grade G                               (the audit's auditor)\n"
	"        G: outstanding, good, requires_improvement or inadequate.  Every\n"
	"        required question must be answered.  Computes the domain scores,\n"
	"        freezes the answers and sends the findings to the partner\n"
	"        organisation and the assessor, who may comment for the feedback\n"
	"        window (`caseaudit settings`; 14 days unless changed).  The daemon\n"
	"        closes the audit when the window ends.\n"
	"  comment ID --text TEXT                  (staff of the partner assessed)\n"
	"        a factual-accuracy comment on the findings, within the window\n"
	"  concern ID --note TEXT                  (the auditor, a psw or a QA lead)\n"
	"        flag a safeguarding concern: the QA leads and the partner are told\n"
	"        at once, and the audit heads every listing until acknowledged\n"
	"  acknowledge ID                          (a psw or a QA lead)\n"
	"        acknowledge the audit's safeguarding escalations\n"
	"  return ID --reason TEXT                 (a moderator: psw, not the auditor)\n"
	"        send a submitted audit back to its auditor\n"
	"  cancel ID --reason TEXT                 (a QA lead)\n"
	"        the case was withdrawn; only before submission\n"
	"  reassign ID STAFF                       (a QA lead)\n"
	"        give an open audit to another auditor, who must be active, under\n"
	"        their maximum of open audits, and independent: not employed by the\n"
	"        partner organisation assessed, and not its assessor\n"
	"\n"
	"An audit moves unassigned -> assigned -> in_progress -> submitted ->\n"
	"(feedback) -> closed; a moderator may return it; a QA lead may cancel it.\n"
	"Every change is kept: `caseaudit history ID`.\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 not allowed (with the reason) or bad input,\n"
	"69 database unavailable, 70 internal error, 75 changed since read (--version)\n";

/* What every acting subcommand takes besides its own options. */
typedef struct act_args {
	ca_actor actor;
	const char *db;
	long long id;
	const char *text[3];       /* the subcommand's own text options */
	char **pos;                /* positional arguments after ID */
	int npos;
} act_args;

/* A text option of a subcommand: its name and which slot of text[] it
 * fills. */
typedef struct text_opt {
	const char *name;
	int slot;
} text_opt;

/*
 * Parse `SUB ID [POS...] [options]` for subcommand sub (argv[0]).  opts
 * lists the subcommand's text options; npos is how many positional
 * arguments follow ID.
 */
static int
parse_act(const char *sub, int argc, char **argv, const text_opt *opts, int nopts, int npos,
    act_args *a)
{
	enum { O_AS = 256, O_VERSION, O_TODAY, O_DB, O_TEXT };
	struct option options[16];
	uint64_t v;
	long days;
	int ch, k = 0, idx;

	memset(a, 0, sizeof *a);
	options[k++] = (struct option){ "as", required_argument, NULL, O_AS };
	options[k++] = (struct option){ "version", required_argument, NULL, O_VERSION };
	options[k++] = (struct option){ "today", required_argument, NULL, O_TODAY };
	options[k++] = (struct option){ "db", required_argument, NULL, O_DB };
	for (int i = 0; i < nopts; i++)
		options[k++] = (struct option){ opts[i].name, required_argument, NULL, O_TEXT + i };
	options[k] = (struct option){ NULL, 0, NULL, 0 };
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, &idx)) != -1) {
		switch (ch) {
		case O_AS: a->actor.as = optarg; break;
		case O_VERSION:
			if (ca_cli_parse_u64(optarg, 1000000000, &v) != 0 || v == 0)
				return ca_cli_usage("audit", "--version must be the audit's version "
				    "number as `audit show` printed it, not '%s'", optarg);
			a->actor.expect_version = (long)v;
			break;
		case O_TODAY:
			if (ca_date_parse(optarg, &days) != 0)
				return ca_cli_usage("audit", "--today must be a date as YYYY-MM-DD, "
				    "not '%s'", optarg);
			a->actor.today = optarg;
			break;
		case O_DB: a->db = optarg; break;
		default:
			if (ch >= O_TEXT && ch < O_TEXT + nopts) {
				a->text[opts[ch - O_TEXT].slot] = optarg;
				break;
			}
			return ca_cli_usage("audit", "unknown option for audit %s", sub);
		}
	}
	if (argc - optind != 1 + npos)
		return ca_cli_usage("audit", "audit %s takes an audit ID%s", sub,
		    npos == 0 ? "" : npos == 1 ? " and one more argument (see --help)"
		    : " and two more arguments (see --help)");
	if (ca_cli_parse_u64(argv[optind], INT64_MAX, &v) != 0 || v == 0)
		return ca_cli_usage("audit", "ID must be an audit number, not '%s'", argv[optind]);
	a->id = (long long)v;
	a->pos = argv + optind + 1;
	a->npos = npos;
	if (a->actor.as == NULL && (a->actor.as = getenv("CASEAUDIT_AS")) != NULL &&
	    a->actor.as[0] == '\0')
		a->actor.as = NULL;
	if (a->actor.as == NULL)
		return ca_cli_usage("audit", "--as STAFF is required: who is acting "
		    "(or set CASEAUDIT_AS)");
	return 0;
}

/* Connect, run the change, report. */
typedef int (*act_fn)(PGconn *conn, act_args *a, ca_err *err);

static int
run_act(act_args *a, act_fn fn)
{
	ca_err err = { 0 };
	PGconn *conn;
	int rc;

	if ((rc = ca_cli_connect(a->db, &conn)) != 0)
		return rc;
	rc = fn(conn, a, &err);
	ca_db_close(conn);
	return rc != 0 ? ca_cli_fail(&err) : 0;
}

static int
do_answer(PGconn *conn, act_args *a, ca_err *err)
{
	int replaced = 0, rc;

	rc = ca_audit_answer(conn, &a->actor, a->id, a->pos[0], a->pos[1], a->text[0],
	    &replaced, err);
	if (rc == 0)
		printf("audit %lld: %s %s %s\n", a->id, a->pos[0],
		    replaced ? "now rated" : "rated", a->pos[1]);
	return rc;
}

static int
do_note(PGconn *conn, act_args *a, ca_err *err)
{
	int rc = ca_audit_note(conn, &a->actor, a->id, a->text[0], a->text[1], err);

	if (rc == 0)
		printf("audit %lld: notes recorded\n", a->id);
	return rc;
}

static int
do_submit(PGconn *conn, act_args *a, ca_err *err)
{
	int rc;

	if (a->text[0] == NULL)
		return ca_err_set(err, CA_EX_USAGE, "audit submit: --grade G is required "
		    "(outstanding, good, requires_improvement or inadequate)");
	rc = ca_audit_submit(conn, &a->actor, a->id, a->text[0], err);
	if (rc == 0)
		printf("audit %lld submitted, graded %s; the findings have gone to the partner\n",
		    a->id, a->text[0]);
	return rc;
}

static int
do_comment(PGconn *conn, act_args *a, ca_err *err)
{
	int rc = ca_audit_comment(conn, &a->actor, a->id, a->text[0], err);

	if (rc == 0)
		printf("audit %lld: comment recorded for the auditor\n", a->id);
	return rc;
}

static int
do_concern(PGconn *conn, act_args *a, ca_err *err)
{
	int rc = ca_audit_concern(conn, &a->actor, a->id, a->text[0], err);

	if (rc == 0)
		printf("audit %lld: safeguarding concern escalated to the QA leads and the "
		    "partner\n", a->id);
	return rc;
}

static int
do_acknowledge(PGconn *conn, act_args *a, ca_err *err)
{
	long n = 0;
	int rc = ca_audit_acknowledge(conn, &a->actor, a->id, &n, err);

	if (rc == 0)
		printf("audit %lld: %ld safeguarding escalation%s acknowledged\n", a->id, n,
		    n == 1 ? "" : "s");
	return rc;
}

static int
do_return(PGconn *conn, act_args *a, ca_err *err)
{
	int rc = ca_audit_return(conn, &a->actor, a->id, a->text[0], err);

	if (rc == 0)
		printf("audit %lld returned to its auditor\n", a->id);
	return rc;
}

static int
do_cancel(PGconn *conn, act_args *a, ca_err *err)
{
	int rc = ca_audit_cancel(conn, &a->actor, a->id, a->text[0], err);

	if (rc == 0)
		printf("audit %lld cancelled\n", a->id);
	return rc;
}

static int
do_reassign(PGconn *conn, act_args *a, ca_err *err)
{
	int rc = ca_audit_reassign(conn, a->id, a->pos[0], a->actor.as, err);

	if (rc == 0)
		printf("audit %lld reassigned to %s\n", a->id, a->pos[0]);
	return rc;
}

static const text_opt opt_evidence[] = { { "evidence", 0 } };
static const text_opt opt_notes[] = { { "strengths", 0 }, { "learning", 1 } };
static const text_opt opt_grade[] = { { "grade", 0 } };
static const text_opt opt_text[] = { { "text", 0 } };
static const text_opt opt_note[] = { { "note", 0 } };
static const text_opt opt_reason[] = { { "reason", 0 } };

static const struct subcommand {
	const char *name;
	const text_opt *opts;
	int nopts;
	int npos;
	act_fn fn;
} subcommands[] = {
	{ "answer", opt_evidence, 1, 2, do_answer },
	{ "note", opt_notes, 2, 0, do_note },
	{ "submit", opt_grade, 1, 0, do_submit },
	{ "comment", opt_text, 1, 0, do_comment },
	{ "concern", opt_note, 1, 0, do_concern },
	{ "acknowledge", NULL, 0, 0, do_acknowledge },
	{ "return", opt_reason, 1, 0, do_return },
	{ "cancel", opt_reason, 1, 0, do_cancel },
	{ "reassign", NULL, 0, 1, do_reassign },
};

int
ca_cmd_audit(int argc, char **argv)
{
	act_args a;
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return argc < 2 ? ca_cli_usage("audit", "say what to do: show, answer, note, "
		    "submit, comment, concern, acknowledge, return, cancel or reassign")
		    : ca_cli_help(ca_help_audit);
	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_audit);
	if (strcmp(argv[1], "show") == 0)
		return ca_cmd_audit_show(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
		const struct subcommand *s = &subcommands[i];

		if (strcmp(argv[1], s->name) != 0)
			continue;
		if ((rc = parse_act(s->name, argc - 1, argv + 1, s->opts, s->nopts, s->npos, &a)) != 0)
			return rc;
		return run_act(&a, s->fn);
	}
	return ca_cli_usage("audit", "unknown subcommand '%s'", argv[1]);
}
