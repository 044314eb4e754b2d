/*
 * cmd_forms.c - `caseaudit forms load|list|show`: the QA lead's checklists
 * and screening rules into the database, and back out for reading.
 *
 * `load` checks every file before it touches anything and stores all of
 * them in one transaction, so a run either loads everything or nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "cli.h"
#include "db.h"
#include "forms.h"
#include "rules.h"
#include "strbuf.h"
#include "utf8.h"
#include "yamltree.h"

#define MAX_FILE (4 * 1024 * 1024)

const char ca_help_forms[] =
	"usage: caseaudit forms load FILE... [--dry-run] [--db CONNINFO]\n"
	"       caseaudit forms list [--format table|csv|json] [--db CONNINFO]\n"
	"       caseaudit forms show NAME [--version V] [--format table|csv|json] [--db CONNINFO]\n"
	"\n"
	"Audit checklists and screening rules are YAML files (forms/*.yaml, described\n"
	"in forms/README.md).  `load` stores them as versions; `list` shows the\n"
	"checklists with their current version; `show` shows one checklist in full.\n"
	"`caseaudit forms COMMAND --help` says more about each.\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 a file has problems (nothing was loaded)\n"
	"or no such checklist or version, 66 a file is missing, 69 database\n"
	"unavailable, 70 internal error\n";

static const char help_load[] =
	"usage: caseaudit forms load FILE... [--dry-run] [--db CONNINFO]\n"
	"\n"
	"Check and store audit checklists and the screening rules file.  Every file\n"
	"is checked first and every problem listed as FILE:LINE:COL: problem; if\n"
	"there is any, nothing is stored and the exit status is 65.  Otherwise all\n"
	"files are stored in one transaction.\n"
	"\n"
	"A checklist is stored as a new version only when its content changed:\n"
	"comments, spacing and the order of keys do not count.  Loading the same\n"
	"content again changes nothing; loading the content of an older version\n"
	"makes that version current again.  Stored versions never change.\n"
	"\n"
	"A file whose top level has `rules:` is the screening rules file\n"
	"(forms/screening.yaml).  The rules are versioned the same way: new content\n"
	"is stored as a new rule set and screening uses it from then on; the\n"
	"content of an older rule set makes that set current again (to undo an\n"
	"edit, load the file as it was), and what is not yet screened under it is\n"
	"screened by the next `caseaudit screen` or the daemon.  Checklist prompts\n"
	"must name rules of the rule set loaded in the same command or, failing\n"
	"that, of the current one.\n"
	"\n"
	"options:\n"
	"  --dry-run        check everything, including against the database, and say\n"
	"                   what would be stored, but store nothing\n"
	"  --db CONNINFO    the database (default: libpq's PG* environment)\n"
	"\n"
	"output, one line per file:\n"
	"  care-act-assessment: version 2 (new)\n"
	"  review: unchanged (version 1)\n"
	"  screening rules: rule set 1 (new, 40 rules)\n"
	"  screening rules: rule set 1 (current again; rule set 2 was current)\n"
	"\n"
	"exit status: 0 loaded, 64 usage, 65 problems (nothing loaded), 66 a file is\n"
	"missing or unreadable, 69 database unavailable, 70 internal error\n";

static const char help_list[] =
	"usage: caseaudit forms list [--format table|csv|json] [--db CONNINFO]\n"
	"\n"
	"List the checklists: name, title, current version, how many versions,\n"
	"assessment types, number of questions and when the current version was\n"
	"loaded (DD/MM/YYYY HH:MM, UK time; JSON gives UTC in ISO 8601).  The table\n"
	"ends with the screening rule set in use, the current one: normally the\n"
	"newest, unless an older set's content was loaded again.\n"
	"\n"
	"exit status: 0 done, 64 usage, 69 database unavailable, 70 internal error\n";

static const char help_show[] =
	"usage: caseaudit forms show NAME [--version V] [--format table|csv|json]\n"
	"                            [--db CONNINFO]\n"
	"\n"
	"Show a checklist: title, version, SHA-256, scales, and each section with its\n"
	"domain and questions (id, text, weight, whether required, ratings that need\n"
	"written evidence, screening prompts and the guidance for auditors).\n"
	"\n"
	"options:\n"
	"  --version V      an earlier (or later) version; default: the current one\n"
	"  --format F       table (default), csv (one row per question) or json\n"
	"                   (the version's details and its full definition)\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 no such checklist or version,\n"
	"69 database unavailable, 70 internal error\n";

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

static int
parse_format(const char *cmd, const char *arg, enum format *f)
{
	if (strcmp(arg, "table") == 0)
		*f = FMT_TABLE;
	else if (strcmp(arg, "csv") == 0)
		*f = FMT_CSV;
	else if (strcmp(arg, "json") == 0)
		*f = FMT_JSON;
	else
		return ca_cli_usage(cmd, "--format is table, csv or json, not '%s'", arg);
	return 0;
}

/* ---- load ----------------------------------------------------------------- */

typedef struct input {
	const char *path;
	char *buf;
	size_t len;
	ca_yaml_doc *doc;
	int is_rules;
	ca_form *form;          /* also when it has problems: its prompts are checked */
	int form_ok;            /* no problems: may be stored */
	ca_ruleset *rules;
	int rule_count;
	char sha[CA_SHA256_HEX_LEN + 1];
	ca_strbuf json;
	ca_form_problems problems;
	ca_strbuf report;       /* lines printed as they are: parse errors, rules */
	size_t report_lines;
	int missing;            /* 66 rather than 65 */
} input;

static void
report_line(input *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
report_line(input *in, const char *fmt, ...)
{
	char line[CA_ERR_MSG_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ca_strbuf_adds(&in->report, line);
	ca_strbuf_adds(&in->report, "\n");
	in->report_lines++;
}

static size_t
problem_count(const input *in)
{
	return in->problems.n + in->problems.dropped + in->report_lines;
}

/* Where byte offset `at` stands, for a problem found before YAML parsing. */
static void
place_of(const char *buf, size_t at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < at; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* Read the whole file: the stored source is exactly the bytes checked. */
static int
read_input(input *in)
{
	struct stat st;
	size_t cap, where;
	FILE *f;
	int line, col;

	if ((f = fopen(in->path, "rb")) == NULL) {
		report_line(in, "%s: cannot read: %s", in->path, strerror(errno));
		in->missing = 1;
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		report_line(in, "%s: cannot read: not a regular file", in->path);
		in->missing = 1;
		fclose(f);
		return -1;
	}
	if (st.st_size > MAX_FILE) {
		report_line(in, "%s: larger than 4 MB; not a checklist or screening rules file",
		    in->path);
		fclose(f);
		return -1;
	}
	cap = (size_t)st.st_size + 1;
	if ((in->buf = malloc(cap + 1)) == NULL) {
		report_line(in, "%s: out of memory", in->path);
		fclose(f);
		return -1;
	}
	/* The size may change under us; read one byte more than stat said to
	 * notice a file that grew past the limit. */
	in->len = fread(in->buf, 1, cap, f);
	fclose(f);
	in->buf[in->len] = '\0';
	if (in->len > MAX_FILE) {
		report_line(in, "%s: larger than 4 MB; not a checklist or screening rules file",
		    in->path);
		return -1;
	}
	switch (ca_utf8_check((const unsigned char *)in->buf, in->len, &where)) {
	case CA_UTF8_OK:
		return 0;
	case CA_UTF8_NUL:
		place_of(in->buf, where, &line, &col);
		report_line(in, "%s:%d:%d: contains a NUL byte: not a text file (save it as UTF-8 text)",
		    in->path, line, col);
		return -1;
	default:
		place_of(in->buf, where, &line, &col);
		report_line(in, "%s:%d:%d: not UTF-8 text (save the file as UTF-8)", in->path,
		    line, col);
		return -1;
	}
}

/* Check a screening rules file with the rules engine, keeping its report. */
static int
check_rules(input *in)
{
	const ca_yaml_node *list = ca_yaml_get(in->doc->root, "rules");
	char *text = NULL;
	size_t len = 0;
	ca_err err = { 0 };
	FILE *mem;
	int rc;

	in->rule_count = list != NULL && list->kind == CA_YAML_SEQ ? (int)list->n : 0;
	if ((mem = open_memstream(&text, &len)) == NULL) {
		report_line(in, "%s: out of memory", in->path);
		return -1;
	}
	rc = ca_ruleset_from_yaml(in->doc, mem, &in->rules, &err);
	fclose(mem);
	if (rc != 0) {
		for (char *p = text; p != NULL && *p; ) {
			char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);

			report_line(in, "%.*s", (int)n, p);
			p += n + (nl != NULL);
		}
		/* The engine's own summary, when it listed nothing itself. */
		if (in->report_lines == 0)
			report_line(in, "%s: %s", in->path, err.msg[0] ? err.msg : "not valid rules");
		free(text);
		return -1;
	}
	free(text);
	if (ca_yaml_digest(in->doc, in->sha) != 0) {
		report_line(in, "%s: out of memory", in->path);
		return -1;
	}
	return 0;
}

static void
check_file(input *in, input *all, size_t index, const input **rules_file)
{
	ca_err err = { 0 };
	int rc;

	ca_form_problems_init(&in->problems, in->path);
	ca_strbuf_init(&in->json);
	ca_strbuf_init(&in->report);
	if (read_input(in) != 0)
		return;
	if (ca_yaml_parse(in->path, in->buf, in->len, &in->doc, &err) != 0) {
		report_line(in, "%s", err.msg);
		return;
	}
	if (in->doc->root != NULL && ca_yaml_is_ruleset(in->doc)) {
		in->is_rules = 1;
		if (*rules_file != NULL) {
			ca_form_problems_add(&in->problems, 1, 1, "only one screening rules file can "
			    "be loaded at a time (%s is one too)", (*rules_file)->path);
			return;
		}
		*rules_file = in;
		check_rules(in);
		return;
	}
	rc = ca_form_from_yaml(in->doc, &in->problems, &in->form, &err);
	if (rc != 0) {
		if (rc != CA_EX_DATAERR)
			report_line(in, "%s", err.msg);
		return;
	}
	in->form_ok = 1;
	if (ca_form_digest(in->form, &in->json, in->sha) != 0) {
		report_line(in, "%s: out of memory", in->path);
		return;
	}
	/* Two files with one name would make two versions of one checklist
	 * in one run, and which is current would depend on argument order. */
	for (size_t i = 0; i < index; i++)
		if (all[i].form_ok && strcmp(all[i].form->name, in->form->name) == 0) {
			ca_form_problems_add(&in->problems, in->form->name_line, in->form->name_col,
			    "name: \"%s\" is also the name of the checklist in %s",
			    in->form->name, all[i].path);
			in->form_ok = 0;
			return;
		}
}

static void
free_input(input *in)
{
	ca_form_free(in->form);
	ca_ruleset_free(in->rules);
	ca_yaml_free(in->doc);
	free(in->buf);
	ca_strbuf_free(&in->json);
	ca_strbuf_free(&in->report);
	ca_form_problems_free(&in->problems);
}

/* The rule set prompts are checked against when the command brings none:
 * the current one, compiled again from its stored source. */
static int
stored_rules(PGconn *conn, ca_ruleset **rs, char *label, size_t size, ca_err *err)
{
	ca_yaml_doc *doc = NULL;
	char *source, name[64];
	long long id;
	size_t len;
	int rc;

	*rs = NULL;
	if ((rc = ca_rules_current(conn, &id, &source, &len, err)) != 0)
		return rc;
	if (source == NULL)
		return 0;
	snprintf(name, sizeof name, "screening rule set %lld", id);
	snprintf(label, size, "the current screening rules, rule set %lld", id);
	rc = ca_yaml_parse(name, source, len, &doc, err);
	free(source);
	if (rc == 0) {
		rc = ca_ruleset_from_yaml(doc, NULL, rs, err);
		ca_yaml_free(doc);
	}
	if (rc != 0) {
		char why[CA_ERR_MSG_MAX];

		/* The engine's rules may have grown stricter since it was stored. */
		snprintf(why, sizeof why, "%s", err->msg[0] ? err->msg : "it does not compile");
		return ca_err_set(err, CA_EX_DATAERR, "the current screening rules (rule set "
		    "%lld) cannot be used to check prompts (%.300s); load forms/screening.yaml again",
		    id, why);
	}
	return 0;
}

/* True when a checklist of this name is among the files being loaded:
 * its prompts were checked against the rules already. */
static int
loaded_here(const input *in, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (in[i].form != NULL && strcmp(in[i].form->name, name) == 0)
			return 1;
	return 0;
}

/* A rule set that becomes the one screening uses, new or older, must have
 * every rule that the stored checklists' current versions name as prompts.
 * `which` says which set it is, for the message. */
static int
check_current_prompts(PGconn *conn, const input *in, size_t n, const input *rules_in,
    const char *which, ca_err *err)
{
	PGresult *res = ca_db_query(conn, err, "reading the checklists' prompts",
	    "SELECT f.name, q.question_id, p FROM forms f"
	    " JOIN form_questions q ON q.form_version_id = f.current_version_id,"
	    " unnest(q.prompts) AS p"
	    " ORDER BY f.name, q.section_position, q.position, p", 0, NULL);
	int missing = 0;

	if (res == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(res); r++) {
		const char *name = PQgetvalue(res, r, 0), *rule = PQgetvalue(res, r, 2);

		if (loaded_here(in, n, name) || ca_ruleset_has(rules_in->rules, rule))
			continue;
		fprintf(stderr, "%s: rule %s is missing, but checklist %s names it "
		    "(question %s)\n", rules_in->path, rule, name, PQgetvalue(res, r, 1));
		missing++;
	}
	PQclear(res);
	if (missing > 0)
		return ca_err_set(err, CA_EX_DATAERR, "forms load: %s lack %d prompt%s that "
		    "stored checklists use; load those checklists, changed to match, in the same "
		    "command; nothing was loaded", which, missing, missing == 1 ? "" : "s");
	return 0;
}

static int
store_all(PGconn *conn, input *in, size_t n, int dry_run, ca_strbuf *out, ca_err *err)
{
	const char *who = ca_os_user();
	char which[64] = "";
	int rc;

	/* Rules first: the events trail then reads in the order of cause. */
	for (size_t i = 0; i < n; i++) {
		ca_rules_stored rs;

		if (!in[i].is_rules)
			continue;
		if ((rc = ca_rules_store(conn, in[i].sha, in[i].buf, in[i].rule_count, in[i].path,
		    who, &rs, err)) != 0)
			return rc;
		switch (rs.outcome) {
		case CA_FORM_NEW:
			snprintf(which, sizeof which, "the new screening rules");
			ca_strbuf_addf(out, "screening rules: rule set %lld (new, %d rules)\n", rs.id,
			    in[i].rule_count);
			break;
		case CA_FORM_UNCHANGED:
			ca_strbuf_addf(out, "screening rules: unchanged (rule set %lld)\n", rs.id);
			break;
		case CA_FORM_RESTORED:
			snprintf(which, sizeof which, "the older screening rules (rule set %lld)",
			    rs.id);
			ca_strbuf_addf(out, "screening rules: rule set %lld (current again; rule set "
			    "%lld was current)\n", rs.id, rs.previous);
			break;
		}
		if (rs.outcome != CA_FORM_UNCHANGED &&
		    (rc = check_current_prompts(conn, in, n, &in[i], which, err)) != 0)
			return rc;
	}
	for (size_t i = 0; i < n; i++) {
		ca_form_stored fs;

		if (!in[i].form_ok)
			continue;
		if ((rc = ca_forms_store(conn, in[i].form, in[i].json.data, in[i].sha, in[i].buf,
		    in[i].path, who, &fs, err)) != 0)
			return ca_err_prefix(err, "%s: ", in[i].path);
		switch (fs.outcome) {
		case CA_FORM_NEW:
			ca_strbuf_addf(out, "%s: version %d (new)\n", in[i].form->name, fs.version);
			break;
		case CA_FORM_UNCHANGED:
			ca_strbuf_addf(out, "%s: unchanged (version %d)\n", in[i].form->name,
			    fs.version);
			break;
		case CA_FORM_RESTORED:
			ca_strbuf_addf(out, "%s: version %d (current again; version %d was current)\n",
			    in[i].form->name, fs.version, fs.previous);
			break;
		}
	}
	if (dry_run)
		ca_strbuf_adds(out, "dry run: nothing was stored\n");
	return 0;
}

static int
forms_load(int argc, char **argv, const char *conninfo, int dry_run)
{
	const input *rules_file = NULL;
	const ca_ruleset *rules = NULL;
	ca_ruleset *stored = NULL;
	char label[128] = "";
	size_t n = (size_t)argc, total = 0, bad_files = 0;
	ca_strbuf out;
	ca_err err = { 0 };
	PGconn *conn = NULL;
	input *in;
	int rc = 0, need_stored = 0, any_missing = 0, rules_bad = 0;

	if ((in = calloc(n, sizeof *in)) == NULL) {
		ca_err_set(&err, CA_EX_SOFTWARE, "forms load: out of memory");
		return ca_cli_fail(&err);
	}
	ca_strbuf_init(&out);
	for (size_t i = 0; i < n; i++) {
		in[i].path = argv[i];
		check_file(&in[i], in, i, &rules_file);
		total += problem_count(&in[i]);
	}
	if (rules_file != NULL) {
		rules = rules_file->rules;
		rules_bad = rules == NULL;
		snprintf(label, sizeof label, "%s", rules_file->path);
	}
	for (size_t i = 0; i < n; i++)
		if (in[i].form != NULL && rules_file == NULL && ca_form_first_prompt(in[i].form))
			need_stored = 1;

	/* The database is needed to store, and to check prompts when this run
	 * brings no rules; not to report problems already found. */
	if (total == 0 || need_stored) {
		conn = ca_db_connect(conninfo, &err);
		if (conn == NULL)
			goto report;
		if ((rc = ca_db_begin(conn, &err)) != 0 || (rc = ca_forms_lock(conn, &err)) != 0)
			goto report;
		if (need_stored) {
			if ((rc = stored_rules(conn, &stored, label, sizeof label, &err)) != 0)
				goto report;
			rules = stored;
		}
	}
	for (size_t i = 0; i < n && !rules_bad; i++) {
		const ca_form_ref *first;

		if (in[i].form == NULL || (first = ca_form_first_prompt(in[i].form)) == NULL)
			continue;
		if (rules == NULL && conn != NULL) {
			ca_form_problems_add(&in[i].problems, first->line, first->col,
			    "prompts: no screening rules are loaded yet, so prompts cannot be checked: "
			    "load forms/screening.yaml first, or in the same command "
			    "(caseaudit forms load forms/screening.yaml %s)", in[i].path);
			total++;
		} else if (rules != NULL) {
			total += ca_form_check_prompts(in[i].form, rules, label, &in[i].problems);
		}
	}
	if (total == 0)
		rc = store_all(conn, in, n, dry_run, &out, &err);

report:
	if (rc == 0 && err.code != 0)
		rc = err.code;
	for (size_t i = 0; i < n; i++) {
		if (problem_count(&in[i]) == 0)
			continue;
		bad_files++;
		any_missing |= in[i].missing;
		fputs(in[i].report.data != NULL ? in[i].report.data : "", stderr);
		ca_form_problems_print(&in[i].problems, stderr);
	}
	if (rc == 0 && total > 0) {
		fprintf(stderr, "caseaudit: forms load: %zu problem%s in %zu of %zu file%s; "
		    "nothing was loaded\n", total, total == 1 ? "" : "s", bad_files, n,
		    n == 1 ? "" : "s");
		rc = any_missing ? CA_EX_NOINPUT : CA_EX_DATAERR;
	} else if (rc != 0) {
		ca_cli_fail(&err);
		if (total > 0)
			fprintf(stderr, "caseaudit: forms load: nothing was loaded\n");
	}
	if (conn != NULL) {
		if (rc == 0 && !dry_run && (rc = ca_db_commit(conn, &err)) != 0)
			ca_cli_fail(&err);
		ca_db_rollback(conn);
		ca_db_close(conn);
	}
	if (rc == 0)
		fputs(out.data != NULL ? out.data : "", stdout);
	ca_ruleset_free(stored);
	for (size_t i = 0; i < n; i++)
		free_input(&in[i]);
	free(in);
	ca_strbuf_free(&out);
	return rc;
}

/* ---- output helpers ------------------------------------------------------- */

/* s cut to at most `width` columns, with an ellipsis when cut. */
static void
fit(char *buf, size_t size, const char *s, size_t width)
{
	size_t o = 0, cols = 0;

	for (const char *p = s; *p && o + 4 < size; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80) {
			if (cols + 1 == width && ca_display_width(p) > 1) {
				memcpy(buf + o, "…", 3);
				o += 3;
				break;
			}
			cols++;
		}
		buf[o++] = *p;
	}
	buf[o] = '\0';
}

static void
pad(const char *s, size_t width)
{
	size_t w = ca_display_width(s);

	fputs(s, stdout);
	while (w++ < width)
		putchar(' ');
}

static void
csv_field(const char *s, int last)
{
	ca_csv_field(stdout, s);
	putchar(last ? '\n' : ',');
}

static void
json_applies(ca_strbuf *b, const char *list)
{
	const char *p = list != NULL ? list : "";

	ca_strbuf_adds(b, "[");
	while (*p) {
		size_t len = strcspn(p, ",");
		char item[64];

		snprintf(item, sizeof item, "%.*s", (int)len, p);
		ca_json_string(b, item);
		p += len;
		if (*p == ',') {
			ca_strbuf_adds(b, ",");
			p++;
		}
	}
	ca_strbuf_adds(b, "]");
}

/* "care_act_assessment,review" as people read it. */
static void
applies_readable(char *buf, size_t size, const char *list, const char *sep)
{
	size_t o = 0;

	buf[0] = '\0';
	for (const char *p = list != NULL ? list : ""; *p && o + 3 < size; p++) {
		if (*p == ',') {
			int w = snprintf(buf + o, size - o, "%s", sep);

			o += w > 0 ? (size_t)w : 0;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o < size ? o : size - 1] = '\0';
}

static int
terminal_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col < 60 ? 60 : ws.ws_col > 120 ? 120 : ws.ws_col;
	return 80;
}

/* Print `label` at column `lead`, then text from column `indent` (or just
 * after a longer label), wrapped at width with later lines at `indent`;
 * the text's own line breaks are kept. */
static void
wrap(size_t lead, const char *label, size_t indent, const char *text, size_t width)
{
	size_t col = lead + ca_display_width(label);
	const char *p = text;
	int fresh = 1;            /* nothing of the text on this line yet */

	for (size_t i = 0; i < lead; i++)
		putchar(' ');
	fputs(label, stdout);
	for (; col < indent; col++)
		putchar(' ');
	while (*p) {
		size_t len, w = 0;

		if (*p == '\n' || *p == ' ') {
			if (*p == '\n') {
				putchar('\n');
				for (col = 0; col < indent; col++)
					putchar(' ');
				fresh = 1;
			}
			p++;
			continue;
		}
		len = strcspn(p, " \n");
		for (size_t i = 0; i < len; i++)
			w += ((unsigned char)p[i] & 0xC0) != 0x80;
		if (!fresh && col + 1 + w > width) {
			putchar('\n');
			for (col = 0; col < indent; col++)
				putchar(' ');
		} else if (!fresh) {
			putchar(' ');
			col++;
		}
		fwrite(p, 1, len, stdout);
		col += w;
		p += len;
		fresh = 0;
	}
	putchar('\n');
}

/* ---- list ----------------------------------------------------------------- */

/* The rule set in use closes the table.  After a roll-back it is not the
 * newest, and saying so stops a reader taking the newest for the one that
 * screens. */
static void
print_rules(const ca_rules_summary *rules)
{
	char count[32] = "";

	if (rules->id == 0) {
		printf("\nScreening rules: none loaded yet (caseaudit forms load "
		    "forms/screening.yaml).\n");
		return;
	}
	if (rules->rule_count >= 0)
		snprintf(count, sizeof count, ", %d rules", rules->rule_count);
	printf("\nScreening rules: rule set %lld of %lld is current%s, loaded %s.\n", rules->id,
	    rules->sets, count, rules->loaded_at);
	if (rules->newest != rules->id)
		printf("It was made current again on %s; rule set %lld is newer but not in use.\n",
		    rules->current_since, rules->newest);
}

static int
forms_list(PGconn *conn, enum format fmt)
{
	static const char *const heads[] = {
		"NAME", "TITLE", "VERSION", "VERSIONS", "APPLIES TO", "QUESTIONS", "LOADED"
	};
	ca_form_summary *rows;
	ca_rules_summary rules;
	ca_err err = { 0 };
	size_t n, widths[7];
	ca_strbuf b;
	int rc;

	if ((rc = ca_forms_list(conn, &rows, &n, &err)) != 0 ||
	    (rc = ca_rules_summary_get(conn, &rules, &err)) != 0) {
		if (rc != 0 && rows != NULL)
			ca_form_summaries_free(rows, n);
		return ca_cli_fail(&err);
	}
	if (fmt == FMT_JSON) {
		ca_strbuf_init(&b);
		ca_strbuf_adds(&b, "[");
		for (size_t i = 0; i < n; i++) {
			ca_strbuf_adds(&b, i > 0 ? ",\n {\"name\": " : "\n {\"name\": ");
			ca_json_string(&b, rows[i].name);
			ca_strbuf_adds(&b, ", \"title\": ");
			ca_json_string(&b, rows[i].title);
			ca_strbuf_addf(&b, ", \"version\": %d, \"versions\": %d, \"applies_to\": ",
			    rows[i].version, rows[i].versions);
			json_applies(&b, rows[i].applies_to);
			ca_strbuf_addf(&b, ", \"questions\": %ld, \"loaded_at\": ", rows[i].questions);
			ca_json_string(&b, rows[i].loaded_at_utc);
			ca_strbuf_adds(&b, ", \"loaded_by\": ");
			ca_json_string(&b, rows[i].loaded_by);
			ca_strbuf_adds(&b, ", \"sha256\": ");
			ca_json_string(&b, rows[i].sha256);
			ca_strbuf_adds(&b, "}");
		}
		ca_strbuf_adds(&b, n > 0 ? "\n]\n" : "]\n");
		fputs(ca_strbuf_failed(&b) ? "" : b.data, stdout);
		rc = ca_strbuf_failed(&b) ? CA_EX_SOFTWARE : 0;
		ca_strbuf_free(&b);
		ca_form_summaries_free(rows, n);
		return rc;
	}
	if (fmt == FMT_CSV) {
		fputs("name,title,version,versions,applies_to,questions,loaded_at,loaded_by,sha256\n",
		    stdout);
		for (size_t i = 0; i < n; i++) {
			char num[3][32], applies[128];

			snprintf(num[0], sizeof num[0], "%d", rows[i].version);
			snprintf(num[1], sizeof num[1], "%d", rows[i].versions);
			snprintf(num[2], sizeof num[2], "%ld", rows[i].questions);
			applies_readable(applies, sizeof applies, rows[i].applies_to, ";");
			csv_field(rows[i].name, 0);
			csv_field(rows[i].title, 0);
			csv_field(num[0], 0);
			csv_field(num[1], 0);
			csv_field(applies, 0);
			csv_field(num[2], 0);
			csv_field(rows[i].loaded_at, 0);
			csv_field(rows[i].loaded_by, 0);
			csv_field(rows[i].sha256, 1);
		}
		ca_form_summaries_free(rows, n);
		return 0;
	}

	if (n == 0) {
		printf("No checklists are loaded yet (caseaudit forms load forms/*.yaml).\n");
	} else {
		for (int c = 0; c < 7; c++)
			widths[c] = ca_display_width(heads[c]);
		for (size_t i = 0; i < n; i++) {
			char t[256], a[128];

			fit(t, sizeof t, rows[i].title, 44);
			applies_readable(a, sizeof a, rows[i].applies_to, ", ");
			if (ca_display_width(rows[i].name) > widths[0])
				widths[0] = ca_display_width(rows[i].name);
			if (ca_display_width(t) > widths[1])
				widths[1] = ca_display_width(t);
			if (ca_display_width(a) > widths[4])
				widths[4] = ca_display_width(a);
		}
		for (int c = 0; c < 7; c++) {
			pad(heads[c], c == 6 ? 0 : widths[c] + 2);
		}
		putchar('\n');
		for (size_t i = 0; i < n; i++) {
			char t[256], a[128], num[32];

			fit(t, sizeof t, rows[i].title, 44);
			applies_readable(a, sizeof a, rows[i].applies_to, ", ");
			pad(rows[i].name, widths[0] + 2);
			pad(t, widths[1] + 2);
			snprintf(num, sizeof num, "%d", rows[i].version);
			pad(num, widths[2] + 2);
			snprintf(num, sizeof num, "%d", rows[i].versions);
			pad(num, widths[3] + 2);
			pad(a, widths[4] + 2);
			snprintf(num, sizeof num, "%ld", rows[i].questions);
			pad(num, widths[5] + 2);
			printf("%s\n", rows[i].loaded_at);
		}
	}
	print_rules(&rules);
	ca_form_summaries_free(rows, n);
	return 0;
}

/* ---- show ----------------------------------------------------------------- */

static void
refs_joined(char *buf, size_t size, const ca_form_ref *refs, size_t n, const char *sep)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++) {
		int w = snprintf(buf + o, size - o, "%s%s", i > 0 ? sep : "", refs[i].id);

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

static void
show_json(const ca_form_version *v)
{
	ca_strbuf b;

	ca_strbuf_init(&b);
	ca_strbuf_adds(&b, "{\"name\": ");
	ca_json_string(&b, v->head.name);
	ca_strbuf_adds(&b, ", \"title\": ");
	ca_json_string(&b, v->head.title);
	ca_strbuf_addf(&b, ", \"version\": %d, \"current_version\": %d, \"versions\": %d, "
	    "\"sha256\": ", v->head.version, v->current, v->head.versions);
	ca_json_string(&b, v->head.sha256);
	ca_strbuf_adds(&b, ", \"applies_to\": ");
	json_applies(&b, v->head.applies_to);
	ca_strbuf_addf(&b, ", \"questions\": %ld, \"loaded_at\": ", v->head.questions);
	ca_json_string(&b, v->head.loaded_at_utc);
	ca_strbuf_adds(&b, ", \"loaded_by\": ");
	ca_json_string(&b, v->head.loaded_by);
	ca_strbuf_adds(&b, ", \"source_file\": ");
	if (v->source_file != NULL)
		ca_json_string(&b, v->source_file);
	else
		ca_strbuf_adds(&b, "null");
	ca_strbuf_adds(&b, ",\n \"definition\": ");
	ca_strbuf_adds(&b, v->definition != NULL ? v->definition : "null");
	ca_strbuf_adds(&b, "}\n");
	if (!ca_strbuf_failed(&b))
		fputs(b.data, stdout);
	ca_strbuf_free(&b);
}

static void
show_csv(const ca_form_version *v)
{
	const ca_form *f = v->form;

	fputs("section,domain,question_id,text,scale,weight,required,evidence_required_for,"
	    "prompts,guidance_good,guidance_partial,guidance_poor\n", stdout);
	for (size_t s = 0; s < f->n_sections; s++) {
		for (size_t i = 0; i < f->sections[s].n_questions; i++) {
			const ca_form_question *q = &f->sections[s].questions[i];
			char weight[32], ev[512], pr[1024];
			ca_strbuf w;

			ca_strbuf_init(&w);
			ca_json_number(&w, q->weight);
			snprintf(weight, sizeof weight, "%s", w.data != NULL ? w.data : "");
			ca_strbuf_free(&w);
			refs_joined(ev, sizeof ev, q->evidence, q->n_evidence, ";");
			refs_joined(pr, sizeof pr, q->prompts, q->n_prompts, ";");
			csv_field(f->sections[s].title, 0);
			csv_field(f->sections[s].domain, 0);
			csv_field(q->id, 0);
			csv_field(q->text, 0);
			csv_field(q->scale < f->n_scales ? f->scales[q->scale].id : "", 0);
			csv_field(weight, 0);
			csv_field(q->required ? "yes" : "no", 0);
			csv_field(ev, 0);
			csv_field(pr, 0);
			csv_field(q->good, 0);
			csv_field(q->partial, 0);
			csv_field(q->poor, 1);
		}
	}
}

static void
show_table(const ca_form_version *v)
{
	const ca_form *f = v->form;
	size_t width = (size_t)terminal_width();
	char line[2048], applies[128], ev[512], pr[1024], num[32];
	ca_strbuf w;

	printf("%s: %s\n", v->head.name, v->head.title);
	if (v->head.version == v->current)
		snprintf(line, sizeof line, "version %d (current; %d version%s)", v->head.version,
		    v->head.versions, v->head.versions == 1 ? "" : "s");
	else
		snprintf(line, sizeof line, "version %d (not current: version %d is; %d versions)",
		    v->head.version, v->current, v->head.versions);
	printf("  %s, loaded %s by %s%s%s\n", line, v->head.loaded_at, v->head.loaded_by,
	    v->source_file ? " from " : "", v->source_file ? v->source_file : "");
	printf("  SHA-256 %s\n", v->head.sha256);
	applies_readable(applies, sizeof applies, v->head.applies_to, ", ");
	printf("  applies to: %s\n", applies);
	if (f->description != NULL)
		wrap(2, "", 2, f->description, width);
	for (size_t i = 0; i < f->n_scales; i++) {
		const ca_form_scale *s = &f->scales[i];
		size_t o;

		char label[96];

		snprintf(label, sizeof label, "scale %s: ", s->id);
		o = 0;
		line[0] = '\0';
		for (size_t j = 0; j < s->n_ratings && o < sizeof line; j++) {
			ca_strbuf_init(&w);
			if (s->ratings[j].scored)
				ca_json_number(&w, s->ratings[j].score);
			snprintf(num, sizeof num, "%s", s->ratings[j].scored && w.data ? w.data
			    : "not scored");
			ca_strbuf_free(&w);
			o += (size_t)snprintf(line + o, sizeof line - o, "%s%s \"%s\" (%s)",
			    j > 0 ? ", " : "", s->ratings[j].id, s->ratings[j].label, num);
		}
		wrap(2, label, 4, line, width);
	}
	for (size_t s = 0; s < f->n_sections; s++) {
		const ca_form_section *sec = &f->sections[s];

		printf("\n%zu. %s [%s]\n", s + 1, sec->title, sec->domain);
		for (size_t i = 0; i < sec->n_questions; i++) {
			const ca_form_question *q = &sec->questions[i];

			ca_strbuf_init(&w);
			ca_json_number(&w, q->weight);
			printf("\n   %s (weight %s, %s%s%s)\n", q->id, w.data ? w.data : "?",
			    q->required ? "required" : "optional",
			    f->n_scales > 1 ? "; scale " : "",
			    f->n_scales > 1 ? f->scales[q->scale].id : "");
			ca_strbuf_free(&w);
			wrap(5, "", 5, q->text, width);
			if (q->n_evidence > 0) {
				refs_joined(ev, sizeof ev, q->evidence, q->n_evidence, ", ");
				wrap(5, "Evidence required for: ", 14, ev, width);
			}
			if (q->n_prompts > 0) {
				refs_joined(pr, sizeof pr, q->prompts, q->n_prompts, ", ");
				wrap(5, "Screening prompts: ", 14, pr, width);
			}
			wrap(5, "Good: ", 14, q->good, width);
			wrap(5, "Partial: ", 14, q->partial, width);
			wrap(5, "Poor: ", 14, q->poor, width);
		}
	}
}

static int
forms_show(PGconn *conn, const char *name, int version, enum format fmt)
{
	ca_form_version *v;
	ca_err err = { 0 };

	if (ca_forms_show(conn, name, version, &v, &err) != 0)
		return ca_cli_fail(&err);
	if (fmt == FMT_JSON)
		show_json(v);
	else if (fmt == FMT_CSV)
		show_csv(v);
	else
		show_table(v);
	ca_form_version_free(v);
	return 0;
}

/* ---- the command ---------------------------------------------------------- */

int
ca_cmd_forms(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "version", required_argument, NULL, 'V' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conninfo = NULL, *sub, *help, *cmd;
	enum format fmt = FMT_TABLE;
	int ch, version = 0, dry_run = 0, rc, version_given = 0, format_given = 0;
	PGconn *conn;

	if (argc < 2 || argv[1][0] == '-') {
		if (ca_cli_wants_help(argc, argv))
			return ca_cli_help(ca_help_forms);
		return ca_cli_usage("forms", "expected load, list or show");
	}
	sub = argv[1];
	if (strcmp(sub, "load") == 0)
		help = help_load, cmd = "forms load";
	else if (strcmp(sub, "list") == 0)
		help = help_list, cmd = "forms list";
	else if (strcmp(sub, "show") == 0)
		help = help_show, cmd = "forms show";
	else
		return ca_cli_usage("forms", "unknown forms command '%s': expected load, list or show",
		    sub);
	argc--;
	argv++;
	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(help);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			conninfo = optarg;
			break;
		case 'f':
			if ((rc = parse_format(cmd, optarg, &fmt)) != 0)
				return rc;
			format_given = 1;
			break;
		case 'V': {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *optarg == '\0' || *end != '\0' || v < 1 || v > 1000000)
				return ca_cli_usage(cmd, "--version is a version number such as 2, "
				    "not '%s'", optarg);
			version = (int)v;
			version_given = 1;
			break;
		}
		case 'n':
			dry_run = 1;
			break;
		default:
			return ca_cli_usage(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (strcmp(sub, "load") == 0) {
		if (version_given || format_given)
			return ca_cli_usage(cmd, "load takes files, --dry-run and --db");
		if (optind >= argc)
			return ca_cli_usage(cmd, "expected one or more files, such as forms/*.yaml");
		return forms_load(argc - optind, argv + optind, conninfo, dry_run);
	}
	if (dry_run)
		return ca_cli_usage(cmd, "--dry-run is for forms load");
	if (strcmp(sub, "list") == 0) {
		if (version_given)
			return ca_cli_usage(cmd, "--version is for forms show");
		if (optind != argc)
			return ca_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	} else if (argc - optind != 1) {
		return ca_cli_usage(cmd, "expected the name of one checklist, such as "
		    "care-act-assessment");
	}
	if ((rc = ca_cli_connect(conninfo, &conn)) != 0)
		return rc;
	if (strcmp(sub, "list") == 0)
		rc = forms_list(conn, fmt);
	else
		rc = forms_show(conn, argv[optind], version, fmt);
	ca_db_close(conn);
	return rc;
}
