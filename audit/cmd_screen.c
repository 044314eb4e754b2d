/*
 * cmd_screen.c - `caseaudit screen`: screen one narrative from standard
 * input, or the stored assessments that need it, with the screening rules.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "cli.h"
#include "db.h"
#include "rules.h"
#include "screen.h"
#include "strbuf.h"
#include "utf8.h"
#include "yamltree.h"

const char ca_help_screen[] =
	"usage: caseaudit screen [--all] [--batch N] [--format table|csv|json] [--verbose]\n"
	"                        [--db CONNINFO]\n"
	"       caseaudit screen --stdin [--rules FILE] [--format json|text] [--db CONNINFO]\n"
	"\n"
	"Screen assessment narratives with the screening rules: which of the ten\n"
	"Care Act eligibility outcomes a narrative covers, strengths-based and\n"
	"deficit language, risks with and without a plan, carers with and without\n"
	"the offer of a carer's assessment, and personal data.  Screening never\n"
	"grades a case: its flags prompt auditors and weight sampling.\n"
	"\n"
	"Without --stdin, screens the stored assessments that are new, have changed\n"
	"since they were screened, or have no screening under the current rule set,\n"
	"with that set; stores the results, and prints how many assessments carry\n"
	"each flag and a table of flags by partner organisation.  Safe to run again,\n"
	"or alongside another run: a second run screens only what is left.  The\n"
	"current rule set is the one last loaded by `caseaudit forms load\n"
	"forms/screening.yaml`, or an older one made current again by loading its\n"
	"content; screenings made under that older set before are used again where\n"
	"the narrative has not changed since.\n"
	"\n"
	"With --stdin, screens the narrative on standard input (UTF-8) and prints\n"
	"the result as JSON:\n"
	"  {\"outcomes\": [\"nutrition\", ...], \"outcome_count\": 3,\n"
	"   \"strengths_terms\": 4, \"deficit_terms\": 1, \"flags\": [\"single_issue\", ...],\n"
	"   \"matches\": [{\"rule\": ..., \"category\": ..., \"start\": 120, \"end\": 131}, ...],\n"
	"   \"limit_hits\": [{\"rule\": ..., \"pattern\": 1, \"limit\": \"match_limit\"}, ...]}\n"
	"Offsets are bytes into the input.  The rules come from --rules FILE, or else\n"
	"the current rule set stored in the database.\n"
	"\n"
	"flags:\n"
	"  single_issue          two eligibility outcomes or fewer are covered\n"
	"  no_person_voice       nothing of the person's own words, wishes or what\n"
	"                        matters to them\n"
	"  deficit_language      deficit terms outnumber strengths terms\n"
	"  risk_without_plan     a risk is named but no assessment, plan, contingency\n"
	"                        or mitigation\n"
	"  carer_without_offer   a carer is named but no carer's assessment offered,\n"
	"                        accepted or declined\n"
	"  safeguarding_concern  a safeguarding concern is recorded: check it was acted on\n"
	"  personal_data         an identifier that redaction would mask\n"
	"\n"
	"A rule that hits a PCRE2 limit on a narrative could not be evaluated there:\n"
	"it is listed under limit_hits (and, for stored assessments, logged by\n"
	"assessment_ref), never taken as \"no match\", and screening carries on.  A\n"
	"stored narrative that is not UTF-8 cannot be screened at all: it is logged,\n"
	"stored with the limit invalid_text and the personal_data flag, and the run\n"
	"goes on.\n"
	"\n"
	"options:\n"
	"  --all            screen every assessment again under the current rule set\n"
	"  --batch N        assessments per transaction (default 1000)\n"
	"  --stdin          screen standard input instead of stored assessments\n"
	"  --rules FILE     with --stdin: the rules file to use (forms/screening.yaml)\n"
	"  --format F       table (default), csv or json; with --stdin, json (default)\n"
	"                   or text\n"
	"  --verbose        log each batch to standard error (key=value)\n"
	"  --db CONNINFO    the database (default: libpq's PG* environment)\n"
	"\n"
	"exit status: 0 done (limit hits included), 64 usage, 65 invalid input or\n"
	"rules, 66 no rules (none stored, or FILE missing), 69 database unavailable,\n"
	"70 internal error, 74 output error\n";

/* Standard input is read whole; a narrative is never near this. */
#define MAX_STDIN (64u * 1024u * 1024u)

enum format { FMT_DEFAULT, FMT_TABLE, FMT_CSV, FMT_JSON, FMT_TEXT };

static int
read_stdin(ca_strbuf *b, ca_err *err)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
		if (b->len + n > MAX_STDIN)
			return ca_err_set(err, CA_EX_DATAERR, "screen: standard input is larger "
			    "than %u MB; a narrative is never that long", MAX_STDIN / (1024u * 1024u));
		ca_strbuf_add(b, chunk, n);
	}
	if (ferror(stdin))
		return ca_err_set(err, CA_EX_NOINPUT, "screen: cannot read standard input");
	if (ca_strbuf_failed(b))
		return ca_err_set(err, CA_EX_SOFTWARE, "screen: out of memory");
	return 0;
}

/* The rules for --stdin: a file, or the current stored set. */
static int
stdin_rules(const char *file, const char *conninfo, ca_ruleset **rs, ca_err *err)
{
	ca_yaml_doc *doc = NULL;
	long long id;
	PGconn *conn;
	int rc;

	if (file != NULL) {
		if ((rc = ca_yaml_load(file, &doc, err)) != 0)
			return rc;
		rc = ca_ruleset_from_yaml(doc, stderr, rs, err);
		ca_yaml_free(doc);
		return rc;
	}
	if ((conn = ca_db_connect(conninfo, err)) == NULL)
		return ca_err_prefix(err, "screen: no --rules FILE given, and the stored rules "
		    "cannot be read: ");
	rc = ca_screen_load_rules(conn, stderr, rs, &id, err);
	ca_db_close(conn);
	if (rc == 0 && *rs == NULL)
		rc = ca_err_set(err, CA_EX_NOINPUT, "screen: no screening rules are stored yet; "
		    "load them with `caseaudit forms load forms/screening.yaml`, or give "
		    "--rules FILE");
	return rc;
}

/* A short piece of the input for the text format: one line, at most 60
 * bytes, cut at a character boundary. */
static void
print_excerpt(const char *text, size_t start, size_t end)
{
	size_t len = end - start, cut = len > 60 ? 60 : len;

	while (cut < len && cut > 0 && ((unsigned char)text[start + cut] & 0xC0) == 0x80)
		cut--;
	putchar('"');
	for (size_t i = 0; i < cut; i++) {
		char c = text[start + i];

		putchar(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
	}
	printf("%s\"", cut < len ? "..." : "");
}

static void
print_text(const ca_screen_result *r, const char *text)
{
	int first = 1;

	printf("outcomes covered: %d of %d", r->outcome_count, CA_OUTCOME_COUNT);
	for (int o = 0; o < CA_OUTCOME_COUNT; o++)
		if (r->outcomes & (1u << o)) {
			printf("%s%s", first ? " (" : ", ", ca_outcome_ids[o]);
			first = 0;
		}
	printf("%s\n", first ? "" : ")");
	printf("strengths terms: %d, deficit terms: %d\n", r->strengths_terms, r->deficit_terms);
	printf("flags:%s\n", r->flags ? "" : " none");
	for (int f = 0; f < CA_FLAG_COUNT; f++)
		if (r->flags & (1u << f))
			printf("  %-21s %s\n", ca_flag_ids[f], ca_flag_meanings[f]);
	printf("matches:%s\n", r->nmatches ? "" : " none");
	for (size_t i = 0; i < r->nmatches; i++) {
		const ca_screen_match *m = &r->matches[i];

		printf("  %6zu-%-6zu %-14s %-30s ", m->start, m->end, m->category, m->rule);
		/* personal data is named, not repeated */
		if (m->rule_index < 0)
			printf("[%s]", m->rule + sizeof "personal_data." - 1);
		else
			print_excerpt(text, m->start, m->end);
		putchar('\n');
	}
	if (r->nlimits > 0) {
		printf("could not be evaluated (a limit was hit; not the same as no match):\n");
		for (size_t i = 0; i < r->nlimits; i++)
			printf("  rule %s, pattern %zu: %s\n", r->limits[i].rule,
			    r->limits[i].pattern, r->limits[i].limit);
	}
}

static int
screen_stdin(const char *rules_file, const char *conninfo, enum format fmt)
{
	ca_ruleset *rs = NULL;
	ca_screener *sc = NULL;
	const ca_screen_result *r;
	ca_strbuf in, out;
	ca_err err = { 0 };
	size_t where;
	int rc;

	ca_strbuf_init(&in);
	ca_strbuf_init(&out);
	if ((rc = read_stdin(&in, &err)) != 0)
		goto done;
	switch (ca_utf8_check((const unsigned char *)(in.data ? in.data : ""), in.len, &where)) {
	case CA_UTF8_INVALID:
		rc = ca_err_set(&err, CA_EX_DATAERR, "screen: standard input is not UTF-8 "
		    "(byte %zu); save the text as UTF-8", where);
		goto done;
	case CA_UTF8_NUL:
		rc = ca_err_set(&err, CA_EX_DATAERR, "screen: standard input holds a NUL byte "
		    "(byte %zu); it is not text", where);
		goto done;
	default:
		break;
	}
	if ((rc = stdin_rules(rules_file, conninfo, &rs, &err)) != 0 ||
	    (rc = ca_screener_new(rs, &sc, &err)) != 0 ||
	    (rc = ca_screen(sc, in.data ? in.data : "", in.len, &r, &err)) != 0)
		goto done;
	if (fmt == FMT_TEXT) {
		print_text(r, in.data);
	} else {
		ca_screen_json(r, &out);
		if (ca_strbuf_failed(&out)) {
			rc = ca_err_set(&err, CA_EX_SOFTWARE, "screen: out of memory");
			goto done;
		}
		printf("%s\n", out.data);
	}
	if (fflush(stdout) != 0)
		rc = ca_err_set(&err, CA_EX_IOERR, "screen: cannot write the result");
done:
	ca_screener_free(sc);
	ca_ruleset_free(rs);
	ca_strbuf_free(&in);
	ca_strbuf_free(&out);
	return rc != 0 ? ca_cli_fail(&err) : 0;
}

/* ---- stored assessments --------------------------------------------------- */

static void
print_json(const ca_screen_run *run, const ca_screen_provider *p, size_t np)
{
	ca_strbuf b;
	long long all = 0, flags[CA_FLAG_COUNT] = { 0 };

	ca_strbuf_init(&b);
	for (size_t i = 0; i < np; i++) {
		all += p[i].screened;
		for (int f = 0; f < CA_FLAG_COUNT; f++)
			flags[f] += p[i].flags[f];
	}
	ca_strbuf_addf(&b, "{\"rule_set_id\": %lld, \"screened\": %lld, \"up_to_date\": %lld, "
	    "\"unscreenable\": %lld, \"bytes\": %llu, \"seconds\": %.3f, "
	    "\"limit_hit_assessments\": %lld, \"limit_hits\": [", run->rule_set_id, run->screened,
	    run->up_to_date, run->unscreenable, run->bytes, run->seconds,
	    run->limit_assessments);
	for (size_t i = 0; i < run->nlimits; i++) {
		const ca_screen_run_limit *l = &run->limits[i];

		ca_strbuf_adds(&b, i ? ", {\"assessment_ref\": " : "{\"assessment_ref\": ");
		ca_json_string(&b, l->assessment_ref);
		ca_strbuf_adds(&b, ", \"rule\": ");
		ca_json_string(&b, l->rule);
		ca_strbuf_addf(&b, ", \"pattern\": %zu, \"limit\": ", l->pattern);
		ca_json_string(&b, l->limit);
		ca_strbuf_adds(&b, "}");
	}
	ca_strbuf_addf(&b, "], \"assessments\": %lld, \"flags\": {", all);
	for (int f = 0; f < CA_FLAG_COUNT; f++)
		ca_strbuf_addf(&b, "%s\"%s\": %lld", f ? ", " : "", ca_flag_ids[f], flags[f]);
	ca_strbuf_adds(&b, "}, \"providers\": [");
	for (size_t i = 0; i < np; i++) {
		ca_strbuf_adds(&b, i ? ", {\"provider\": " : "{\"provider\": ");
		ca_json_string(&b, p[i].name);
		ca_strbuf_addf(&b, ", \"screened\": %lld, \"flags\": {", p[i].screened);
		for (int f = 0; f < CA_FLAG_COUNT; f++)
			ca_strbuf_addf(&b, "%s\"%s\": %lld", f ? ", " : "", ca_flag_ids[f],
			    p[i].flags[f]);
		ca_strbuf_adds(&b, "}}");
	}
	ca_strbuf_adds(&b, "]}\n");
	if (!ca_strbuf_failed(&b))
		fputs(b.data, stdout);
	ca_strbuf_free(&b);
}

static void
print_csv(const ca_screen_provider *p, size_t np)
{
	printf("provider,screened");
	for (int f = 0; f < CA_FLAG_COUNT; f++)
		printf(",%s", ca_flag_ids[f]);
	putchar('\n');
	for (size_t i = 0; i < np; i++) {
		ca_csv_field(stdout, p[i].name);
		printf(",%lld", p[i].screened);
		for (int f = 0; f < CA_FLAG_COUNT; f++)
			printf(",%lld", p[i].flags[f]);
		putchar('\n');
	}
}

static double
percent(long long part, long long whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

static void
print_table(const ca_screen_run *run, const ca_screen_provider *p, size_t np)
{
	long long all = 0, flags[CA_FLAG_COUNT] = { 0 };
	int namew = (int)strlen("provider");

	for (size_t i = 0; i < np; i++) {
		all += p[i].screened;
		for (int f = 0; f < CA_FLAG_COUNT; f++)
			flags[f] += p[i].flags[f];
		if ((int)ca_display_width(p[i].name) > namew)
			namew = (int)ca_display_width(p[i].name);
	}
	printf("screened %lld assessment%s (%.1f MB) with rule set %lld in %.2f s",
	    run->screened, run->screened == 1 ? "" : "s", (double)run->bytes / 1e6,
	    run->rule_set_id, run->seconds);
	if (run->seconds > 0 && run->bytes > 0)
		printf(" (%.1f MB/s)", (double)run->bytes / 1e6 / run->seconds);
	printf("; %lld already up to date\n", run->up_to_date);
	if (run->limit_assessments > run->unscreenable)
		printf("%lld assessment%s had a rule that could not be evaluated (a limit was "
		    "hit; listed above by assessment_ref)\n",
		    run->limit_assessments - run->unscreenable,
		    run->limit_assessments - run->unscreenable == 1 ? "" : "s");
	if (run->unscreenable > 0)
		printf("%lld assessment%s could not be screened at all (the narrative is not "
		    "UTF-8; listed above by assessment_ref, stored as invalid_text and flagged "
		    "personal_data)\n", run->unscreenable, run->unscreenable == 1 ? "" : "s");
	printf("\nflags among the %lld assessment%s screened under rule set %lld:\n", all,
	    all == 1 ? "" : "s", run->rule_set_id);
	for (int f = 0; f < CA_FLAG_COUNT; f++)
		printf("  %-21s %7lld  %5.1f%%  %s\n", ca_flag_ids[f], flags[f],
		    percent(flags[f], all), ca_flag_meanings[f]);
	if (np == 0)
		return;
	printf("\nby provider (number of assessments with each flag):\n");
	printf("%-*s %8s", namew, "provider", "screened");
	for (int f = 0; f < CA_FLAG_COUNT; f++)
		printf(" %*s", (int)strlen(ca_flag_ids[f]), ca_flag_ids[f]);
	putchar('\n');
	for (size_t i = 0; i <= np; i++) {
		const char *name = i < np ? p[i].name : "all";
		const long long *fl = i < np ? p[i].flags : flags;

		printf("%s%*s %8lld", name, namew - (int)ca_display_width(name), "", i < np ? p[i].screened : all);
		for (int f = 0; f < CA_FLAG_COUNT; f++)
			printf(" %*lld", (int)strlen(ca_flag_ids[f]), fl[f]);
		putchar('\n');
	}
}

static int
screen_stored(const char *conninfo, int all, long batch, int verbose, enum format fmt)
{
	ca_screen_run_opts o = { .all = all, .batch = batch, .actor = ca_os_user(),
		.problems = stderr, .log = stderr, .verbose = verbose };
	ca_screen_run run = { 0 };
	ca_screen_provider *prov = NULL;
	size_t np = 0;
	ca_err err = { 0 };
	PGconn *conn;
	int rc;

	if ((rc = ca_cli_connect(conninfo, &conn)) != 0)
		return rc;
	/* Limit hits are logged as they happen, one key=value line each. */
	rc = ca_screen_stored(conn, &o, &run, &err);
	if (rc == 0)
		rc = ca_screen_by_provider(conn, run.rule_set_id, &prov, &np, &err);
	ca_db_close(conn);
	if (rc == 0) {
		if (fmt == FMT_JSON)
			print_json(&run, prov, np);
		else if (fmt == FMT_CSV)
			print_csv(prov, np);
		else
			print_table(&run, prov, np);
		if (fflush(stdout) != 0)
			rc = ca_err_set(&err, CA_EX_IOERR, "screen: cannot write the summary");
	}
	ca_screen_providers_free(prov, np);
	ca_screen_run_free(&run);
	return rc != 0 ? ca_cli_fail(&err) : 0;
}

int
ca_cmd_screen(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "batch", required_argument, NULL, 'b' },
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "stdin", no_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conninfo = NULL, *rules = NULL;
	enum format fmt = FMT_DEFAULT;
	int ch, all = 0, use_stdin = 0, verbose = 0;
	long batch = 1000;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_screen);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'b': {
			char *end;

			batch = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || batch < 1 || batch > 1000000)
				return ca_cli_usage("screen", "--batch is a number from 1 to 1000000, "
				    "not '%s'", optarg);
			break;
		}
		case 'd':
			conninfo = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "table") == 0)
				fmt = FMT_TABLE;
			else if (strcmp(optarg, "csv") == 0)
				fmt = FMT_CSV;
			else if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(optarg, "text") == 0)
				fmt = FMT_TEXT;
			else
				return ca_cli_usage("screen", "--format is table, csv, json or text, "
				    "not '%s'", optarg);
			break;
		case 'r':
			rules = optarg;
			break;
		case 's':
			use_stdin = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			return ca_cli_usage("screen", "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ca_cli_usage("screen", "unexpected argument '%s'", argv[optind]);
	if (use_stdin) {
		if (all)
			return ca_cli_usage("screen", "--all screens stored assessments; it cannot "
			    "go with --stdin");
		if (fmt == FMT_CSV)
			return ca_cli_usage("screen", "with --stdin the format is json or text");
		return screen_stdin(rules, conninfo, fmt == FMT_TEXT || fmt == FMT_TABLE ?
		    FMT_TEXT : FMT_JSON);
	}
	if (rules != NULL)
		return ca_cli_usage("screen", "--rules goes with --stdin; stored assessments are "
		    "screened with the stored rules (load them with `caseaudit forms load FILE`)");
	if (fmt == FMT_TEXT)
		fmt = FMT_TABLE;
	return screen_stored(conninfo, all, batch, verbose, fmt);
}
