/*
 * cli.c - dispatching `caseaudit COMMAND ...`, help and version.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "heap.h"
#include "version.h"

int ca_cmd_migrate(int argc, char **argv);
int ca_cmd_import(int argc, char **argv);
int ca_cmd_demo(int argc, char **argv);
int ca_cmd_forms(int argc, char **argv);
int ca_cmd_screen(int argc, char **argv);
int ca_cmd_redact(int argc, char **argv);
int ca_cmd_plan(int argc, char **argv);
int ca_cmd_sample(int argc, char **argv);
int ca_cmd_audits(int argc, char **argv);
int ca_cmd_audit(int argc, char **argv);
int ca_cmd_jobs(int argc, char **argv);
int ca_cmd_status(int argc, char **argv);
int ca_cmd_history(int argc, char **argv);
int ca_cmd_settings(int argc, char **argv);
int ca_cmd_actions(int argc, char **argv);
int ca_cmd_action(int argc, char **argv);
int ca_cmd_moderate(int argc, char **argv);
int ca_cmd_moderation(int argc, char **argv);
extern const char ca_help_migrate[], ca_help_import[], ca_help_demo[];
extern const char ca_help_forms[], ca_help_screen[], ca_help_redact[];
extern const char ca_help_plan[], ca_help_sample[], ca_help_audits[], ca_help_audit[];
extern const char ca_help_jobs[], ca_help_status[], ca_help_history[], ca_help_settings[];
int ca_cmd_trends(int argc, char **argv);
extern const char ca_help_trends[];
extern const char ca_help_actions[], ca_help_action[];
extern const char ca_help_moderate[], ca_help_moderation[];

static const ca_cli_command commands[] = {
	{ "migrate", "apply pending database migrations (safe to repeat)",
	    ca_cmd_migrate, ca_help_migrate },
	{ "import", "import assessments or staff from a CSV extract",
	    ca_cmd_import, ca_help_import },
	{ "forms", "load, list and show audit checklists and screening rules",
	    ca_cmd_forms, ca_help_forms },
	{ "screen", "screen assessment narratives with the text rules",
	    ca_cmd_screen, ca_help_screen },
	{ "redact", "mask personal data in text (standard input to output)",
	    ca_cmd_redact, ca_help_redact },
	{ "plan", "create, list, show, pause and resume sampling plans",
	    ca_cmd_plan, ca_help_plan },
	{ "sample", "sample sizes; draw, show and verify sampling runs",
	    ca_cmd_sample, ca_help_sample },
	{ "audits", "list audits by auditor, status, run or overdue",
	    ca_cmd_audits, ca_help_audits },
	{ "audit", "one audit: show, answer, note, submit, comment, concern, return, ...",
	    ca_cmd_audit, ca_help_audit },
	{ "moderate", "record a moderator's view of a submitted audit",
	    ca_cmd_moderate, ca_help_moderate },
	{ "moderation", "moderations waiting and done; auditor-moderator agreement",
	    ca_cmd_moderation, ca_help_moderation },
	{ "history", "an audit's trail: every change, who made it, before and after",
	    ca_cmd_history, ca_help_history },
	{ "settings", "the feedback window and the share of audits moderated",
	    ca_cmd_settings, ca_help_settings },
	{ "trends", "audit figures by period, partner, domain or question",
	    ca_cmd_trends, ca_help_trends },
	{ "actions", "list actions agreed from audits: open, overdue, by owner",
	    ca_cmd_actions, ca_help_actions },
	{ "action", "mark an action done",
	    ca_cmd_action, ca_help_action },
	{ "jobs", "list the daemon's work queue; retry a dead job",
	    ca_cmd_jobs, ca_help_jobs },
	{ "status", "daemons alive, work waiting, next sampling runs",
	    ca_cmd_status, ca_help_status },
	{ "demo", "generate a synthetic caseload for demonstrations and tests",
	    ca_cmd_demo, ca_help_demo },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The program's own commands (ca_cli_main_with). */
static const ca_cli_command *extra;
static size_t nextra;

static void
overview(FILE *f)
{
	fprintf(f,
	    "caseaudit - quality assurance and case-file audit for adult social care\n"
	    "\n"
	    "usage: caseaudit COMMAND [OPTIONS]\n"
	    "       caseaudit help [COMMAND]\n"
	    "       caseaudit --version\n"
	    "\n"
	    "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	for (size_t i = 0; i < nextra; i++)
		fprintf(f, "  %-10s %s\n", extra[i].name, extra[i].summary);
	fprintf(f,
	    "\n"
	    "The database is chosen by libpq's environment (PGHOST, PGPORT, PGDATABASE,\n"
	    "PGUSER, PGSERVICE) or by --db CONNINFO on any command that uses it.\n"
	    "\n"
	    "exit status: 0 ok, 64 usage, 65 bad input data, 66 input file missing,\n"
	    "69 database unavailable, 70 internal error, 74 output error, 75 retry later\n"
	    "\n"
	    "`caseaudit COMMAND --help` explains one command.\n");
}

static const ca_cli_command *
find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	for (size_t i = 0; i < nextra; i++)
		if (strcmp(extra[i].name, name) == 0)
			return &extra[i];
	return NULL;
}

int
ca_cli_main(int argc, char **argv)
{
	return ca_cli_main_with(argc, argv, NULL, 0);
}

int
ca_cli_main_with(int argc, char **argv, const ca_cli_command *more, size_t nmore)
{
	const ca_cli_command *c;

	extra = more;
	nextra = nmore;

	/* Output order matters when stdout and stderr go to one terminal. */
	setvbuf(stderr, NULL, _IONBF, 0);
	ca_heap_tune();
	if (argc < 2) {
		overview(stderr);
		return CA_EX_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("caseaudit %s\n", CASEAUDIT_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc > 2) {
			if ((c = find(argv[2])) == NULL)
				return ca_cli_usage(NULL, "unknown command '%s'", argv[2]);
			return ca_cli_help(c->help);
		}
		overview(stdout);
		return 0;
	}
	if ((c = find(argv[1])) == NULL)
		return ca_cli_usage(NULL, "unknown command '%s'", argv[1]);
	return c->run(argc - 1, argv + 1);
}

int
ca_cli_fail(const ca_err *err)
{
	fprintf(stderr, "caseaudit: %s\n", err->msg[0] ? err->msg : "failed");
	return err->code ? err->code : CA_EX_SOFTWARE;
}

int
ca_cli_usage(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "caseaudit: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (command != NULL)
		fprintf(stderr, "\nTry 'caseaudit %s --help'.\n", command);
	else
		fprintf(stderr, "\nTry 'caseaudit help'.\n");
	return CA_EX_USAGE;
}

int
ca_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

int
ca_cli_help(const char *text)
{
	fputs(text, stdout);
	return 0;
}

const char *
ca_cli_as(const char *given)
{
	const char *as = given != NULL ? given : getenv("CASEAUDIT_AS");

	return as != NULL && as[0] != '\0' ? as : NULL;
}

int
ca_cli_connect(const char *conninfo, PGconn **conn)
{
	ca_err err = { 0 };

	*conn = ca_db_connect(conninfo, &err);
	if (*conn == NULL)
		return ca_cli_fail(&err);
	return 0;
}

int
ca_cli_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
ca_cli_parse_double(const char *s, double *out)
{
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && errno == 0 && isfinite(*out) ? 0 : -1;
}
