/*
 * test_forms.c - checklists and screening rule sets: checked with every
 * problem reported at its place, stored as immutable versions identified by
 * content, listed and shown; and the three standard checklists load.
 *
 * Each test gets a fresh database and drives the real binary, checking the
 * exit status, the exact messages and the rows left behind.  The canonical
 * form is also pinned through the library, since changing it would make a
 * new version of every stored checklist.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forms.h"
#include "support.h"
#include "yamltree.h"

static char dbname[80];
static PGconn *conn;

static int
setup(void **state)
{
	(void)state;
	if (test_db_create("forms", dbname, sizeof dbname) != 0)
		return -1;
	conn = test_db_connect(dbname);
	return conn == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	PQfinish(conn);
	conn = NULL;
	test_db_drop(dbname);
	return 0;
}

/* A fixture path; several may be in use at once. */
static const char *
fx(const char *name)
{
	static char paths[8][4096];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 4096, "%s/forms/%s", CASEAUDIT_FIXTURES, name);
	return p;
}

/* A file of the real forms/ folder. */
static const char *
standard(const char *name)
{
	static char paths[8][4096];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 4096, "%s/forms/%s", CASEAUDIT_SOURCE_DIR, name);
	return p;
}

/* `caseaudit forms ARGS...` against this test's database. */
static void
forms(test_run *r, ...)
{
	const char *argv[32] = { "caseaudit", "forms" };
	int n = 2;
	va_list ap;

	va_start(ap, r);
	while (n < 31 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(test_run_cli(r, dbname, NULL, argv), 0);
}

/* Every table a load may touch, as one fingerprint. */
static char *
database_state(void)
{
	return test_db_value(conn,
	    "SELECT (SELECT count(*) FROM forms) || '/' || (SELECT count(*) FROM form_versions)"
	    " || '/' || (SELECT count(*) FROM form_sections)"
	    " || '/' || (SELECT count(*) FROM form_questions)"
	    " || '/' || (SELECT count(*) FROM screening_rule_sets)"
	    " || '/' || (SELECT count(*) FROM events)"
	    " || '/' || coalesce((SELECT rule_set_id FROM screening_rules_current), 0)"
	    " || '/' || coalesce((SELECT string_agg(name || '=' || coalesce(current_version_id, 0),"
	    "  ',' ORDER BY name) FROM forms), '')");
}

static void
assert_nothing_stored(void)
{
	char *s = database_state();

	assert_string_equal(s, "0/0/0/0/0/0/0/");
	free(s);
}

/* Does text hold this exact line? */
static int
has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *p = text; p != NULL && *p; ) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n == len && memcmp(p, line, len) == 0)
			return 1;
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

static size_t
count_lines_starting(const char *text, const char *prefix)
{
	size_t n = 0, len = strlen(prefix);

	for (const char *p = text; p != NULL && *p; ) {
		const char *nl = strchr(p, '\n');

		n += strncmp(p, prefix, len) == 0;
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

static void
expect_line(const char *text, const char *line)
{
	if (!has_line(text, line))
		fail_msg("missing line:\n  %s\nin:\n%s", line, text);
}

/* A JSON text checked by PostgreSQL: it must parse, and the query (with
 * the document as $1::jsonb) must return "t". */
static void
expect_json(const char *json, const char *sql)
{
	const char *p[1] = { json };
	PGresult *res = PQexecParams(conn, sql, 1, NULL, p, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fail_msg("%s: %s\nJSON: %.2000s", sql, PQerrorMessage(conn), json);
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		fail_msg("not true: %s\nJSON: %.2000s", sql, json);
	PQclear(res);
}

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* text with the first `from` replaced by `to`, written to a temporary file. */
static char *
variant(const char *fixture, const char *from, const char *to, const char *name)
{
	char *text = read_all(fx(fixture), NULL), *at = strstr(text, from), *out, *path;
	size_t n;

	assert_non_null(at);
	n = strlen(text) - strlen(from) + strlen(to);
	out = malloc(n + 1);
	memcpy(out, text, (size_t)(at - text));
	memcpy(out + (at - text), to, strlen(to));
	memcpy(out + (at - text) + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
	path = test_write_file(name, out, n);
	free(out);
	free(text);
	return path;
}

static void
remove_temp(char *path)
{
	char *slash = strrchr(path, '/');

	unlink(path);
	if (slash != NULL) {
		*slash = '\0';
		rmdir(path);
	}
	free(path);
}

/* ---- every class of problem, with its exact place and message ------------ */

typedef struct bad_case {
	const char *fixture;
	const char *lines[20];     /* after "PATH", in order of place */
} bad_case;

static const bad_case cases[] = {
	{ "bad_syntax.yaml", {
	  ":3:11: did not find expected ',' or ']' while parsing a flow sequence" } },
	{ "bad_empty.yaml", {
	  ":1:1: the file is empty (a checklist starts with name:, title:, applies_to:, "
	  "scales: and sections:)" } },
	{ "bad_not_mapping.yaml", {
	  ":1:1: expected a checklist (a mapping that starts with name:), found a list" } },
	{ "bad_unknown_keys.yaml", {
	  ":1:1: the checklist has no \"title\"",
	  ":2:1: unknown key \"titel\" in the checklist (did you mean \"title\"?)",
	  ":3:1: unknown key \"version\" in the checklist (caseaudit numbers the versions itself: "
	  "loading changed content makes the next one)",
	  ":9:49: unknown key \"colour\" in a rating of scale \"standard\" (expected id, label or score)",
	  ":13:5: unknown key \"owner\" in section \"Risk\" (expected title, domain or questions)",
	  ":17:9: unknown key \"wieght\" in question \"risk_plan\" (did you mean \"weight\"?)",
	  ":18:71: unknown key \"excellent\" in guidance (expected good, partial or poor)" } },
	{ "bad_missing_keys.yaml", {
	  ":1:1: the checklist has no \"title\"",
	  ":4:5: a scale has no \"id\"",
	  ":6:9: a rating has no \"label\"",
	  ":8:5: a section has no \"title\"",
	  ":10:9: a question has no \"id\"",
	  ":11:19: guidance has no \"partial\"",
	  ":12:9: question \"no_text\" has no \"text\"",
	  ":12:9: question \"no_text\" has no \"guidance\"",
	  ":13:5: section \"No domain\" has no \"domain\"" } },
	{ "bad_types.yaml", {
	  ":1:7: name: expected a name such as care-act-assessment, found a list",
	  ":2:8: title: expected text, found a mapping",
	  ":4:3: description: expected text, found a list",
	  ":5:13: applies_to: expected a list such as [care_act_assessment], found \"review\"",
	  ":7:3: scales: expected a list, found a mapping",
	  ":10:13: domain: expected one of holistic, strengths, risk, carers, outcomes or "
	  "recording, found a list",
	  ":14:17: weight: expected a number greater than 0 and at most 100, found \"heavy\"",
	  ":15:19: required: expected yes or no without quotes, found \"yes\" in quotes",
	  ":16:32: evidence_required_for: expected a list such as [partially_met, not_met], "
	  "found \"not_met\"",
	  ":17:18: prompts: expected a list such as [person_voice], found \"risk_falls\"",
	  ":18:19: guidance: expected good:, partial: and poor: (what such evidence looks like), "
	  "found \"Good evidence looks good.\"",
	  ":21:17: weight: expected a number greater than 0 and at most 100, found \"0\"",
	  ":22:19: required: expected yes or no, found \"sometimes\"",
	  ":23:49: poor: is empty",
	  ":25:15: text: is empty",
	  ":26:17: weight: expected a number greater than 0 and at most 100, found \"101\"",
	  ":27:26: good: expected text, found a list",
	  ":28:5: sections: each section is a mapping with title, domain and questions, "
	  "found \"just text\"" } },
	{ "bad_duplicates.yaml", {
	  ":3:1: \"title\" appears twice in the checklist (first on line 2)",
	  ":4:43: applies_to: \"review\" is listed twice",
	  ":9:14: id: rating \"met\" appears twice in scale \"standard\" (first on line 8)",
	  ":10:9: id: scale \"standard\" appears twice (first on line 6)",
	  ":21:38: evidence_required_for: \"met\" is listed twice",
	  ":22:31: prompts: \"risk_falls\" is listed twice",
	  ":26:13: id: question id \"q1\" is used twice (first on line 18)" } },
	{ "bad_domain.yaml", {
	  ":11:13: domain: unknown domain \"holism\" (expected holistic, strengths, risk, carers, "
	  "outcomes or recording)",
	  ":17:13: domain: unknown domain \"Risk\" (expected holistic, strengths, risk, carers, "
	  "outcomes or recording)" } },
	{ "bad_scale_refs.yaml", {
	  ":21:33: evidence_required_for: \"unmet\" is not a rating of scale \"standard\" "
	  "(expected met, partially_met, not_met or not_applicable)",
	  ":26:33: evidence_required_for: \"not_met\" is not a rating of scale \"yes_no\" "
	  "(expected yes or no)",
	  ":30:16: scale: unknown scale \"three_point\" (expected standard or yes_no)" } },
	{ "bad_scores.yaml", {
	  ":7:7: ratings: no rating of scale \"standard\" counts in scores (give at least one a "
	  "score from 0 to 1)",
	  ":7:38: score: expected a number from 0 to 1, or excluded, found \"100\"",
	  ":8:46: score: expected a number from 0 to 1, or excluded, found \"-1\"",
	  ":9:40: score: expected a number from 0 to 1, or excluded, found \"half\"",
	  ":12:7: ratings: no rating of scale \"uncounted\" counts in scores (give at least one a "
	  "score from 0 to 1)",
	  ":16:7: ratings: scale \"lonely\" needs at least two ratings" } },
	{ "bad_applies_to.yaml", {
	  ":3:14: applies_to: unknown assessment type \"reviews\" (expected care_act_assessment, "
	  "carers_assessment or review)",
	  ":3:44: applies_to: unknown assessment type \"Carers_Assessment\" (expected "
	  "care_act_assessment, carers_assessment or review)" } },
	{ "bad_empty_sections.yaml", {
	  ":3:13: applies_to: name at least one assessment type (care_act_assessment, "
	  "carers_assessment or review)",
	  ":12:16: questions: section \"An empty list\" has no questions",
	  ":15:15: questions: section \"Nothing at all\" has no questions" } },
	{ "bad_no_sections.yaml", {
	  ":4:9: scales: a checklist needs at least one scale",
	  ":5:11: sections: a checklist needs at least one section" } },
	{ "bad_names.yaml", {
	  ":1:7: name: \"Care Act\" is not a valid name (lower-case letters, digits and hyphens, "
	  "starting with a letter, at most 64 characters, such as care-act-assessment)",
	  ":5:9: id: \"Standard Scale\" is not a valid id (lower-case letters, digits and "
	  "underscores, starting with a letter, at most 64 characters, such as risk_plan)",
	  ":8:14: id: \"2bad\" is not a valid id (lower-case letters, digits and underscores, "
	  "starting with a letter, at most 64 characters, such as risk_plan)",
	  ":13:13: id: \"Q1\" is not a valid id (lower-case letters, digits and underscores, "
	  "starting with a letter, at most 64 characters, such as risk_plan)",
	  ":16:13: id: \"a_very_long_question_id_that_goes_on_and...\" is not a valid id "
	  "(lower-case letters, digits and underscores, starting with a letter, at most 64 "
	  "characters, such as risk_plan)" } },
	/* Prompts are checked even when the file has other problems. */
	{ "bad_prompt.yaml", {
	  ":16:31: prompts: unknown screening rule \"risk_fals\" (not in RULES)",
	  ":16:42: prompts: \"no spaces allowed\" is not an id (letters, digits, _, - and ., at "
	  "most 64 characters)" } },
};

/* Each bad file is loaded beside a good one and the rules, so nothing at
 * all may be stored. */
static void
every_problem_reported_at_its_place(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const bad_case *c = &cases[i];
		char path[4096], want[8400], summary[4400], rules[4096];
		size_t n = 0;
		test_run r;

		snprintf(path, sizeof path, "%s", fx(c->fixture));
		snprintf(rules, sizeof rules, "%s", fx("rules_small.yaml"));
		forms(&r, "load", fx("good.yaml"), path, rules, NULL);
		if (r.status != 65)
			fail_msg("%s: exit %d, stderr:\n%s", c->fixture, r.status, r.err);
		for (; n < 20 && c->lines[n] != NULL; n++) {
			const char *rp = strstr(c->lines[n], "RULES");

			if (rp != NULL)
				snprintf(want, sizeof want, "%s%.*s%s%s", path, (int)(rp - c->lines[n]),
				    c->lines[n], rules, rp + 5);
			else
				snprintf(want, sizeof want, "%s%s", path, c->lines[n]);
			expect_line(r.err, want);
		}
		/* Exactly these problems: none missing and none extra. */
		snprintf(want, sizeof want, "%s:", path);
		if (count_lines_starting(r.err, want) != n)
			fail_msg("%s: expected %zu problems, got:\n%s", c->fixture, n, r.err);
		snprintf(summary, sizeof summary, "caseaudit: forms load: %zu problem%s in 1 of 3 "
		    "files; nothing was loaded", n, n == 1 ? "" : "s");
		expect_line(r.err, summary);
		assert_string_equal(r.out, "");
		assert_nothing_stored();
		test_run_free(&r);
	}
}

/* Problems come out in the order of the file, whatever order they were
 * found in, and a flood of them is cut short. */
static void
many_problems_are_capped(void **state)
{
	ca_strbuf b;
	char *path, want[4200];
	test_run r;

	(void)state;
	ca_strbuf_init(&b);
	for (int i = 0; i < 300; i++)
		ca_strbuf_addf(&b, "key_%d: x\n", i);
	path = test_write_file("flood.yaml", b.data, b.len);
	forms(&r, "load", path, NULL);
	assert_int_equal(r.status, 65);
	snprintf(want, sizeof want, "%s:1:1: unknown key \"key_0\" in the checklist (expected "
	    "name, title, description, applies_to, scales or sections)", path);
	assert_true(strncmp(r.err, want, strlen(want)) == 0);
	snprintf(want, sizeof want, "%s: 105 more problems not listed", path);
	expect_line(r.err, want);
	/* 200 problems and the line saying how many more. */
	snprintf(want, sizeof want, "%s:", path);
	assert_int_equal(count_lines_starting(r.err, want), 201);
	assert_nothing_stored();
	test_run_free(&r);
	remove_temp(path);
	ca_strbuf_free(&b);
}

/* ---- hostile input ------------------------------------------------------ */

static void
hostile_files_are_refused(void **state)
{
	static const struct { const char *name, *data; size_t len; const char *msg; } bad[] = {
		{ "nul.yaml", "name: x\ntitle: a\0b\n", 17,
		  ":2:9: contains a NUL byte: not a text file (save it as UTF-8 text)" },
		{ "latin1.yaml", "name: x\ntitle: Si\xe2n\n", 18,
		  ":2:10: not UTF-8 text (save the file as UTF-8)" },
		{ "utf16.yaml", "\xff\xfen\0a\0", 6,
		  ":1:1: not UTF-8 text (save the file as UTF-8)" },
		{ "control.yaml", "name: x\ntitle: \"bell\\a\"\n", 0,
		  ":2:8: title: contains a control character" },
		{ "tabs.yaml", "name: x\n\ttitle: y\n", 0,
		  ":2:1: found a tab character that violates indentation while scanning a plain "
		  "scalar" },
	};
	char want[4200];
	test_run r;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].data);
		char *path = test_write_file(bad[i].name, bad[i].data, len);

		forms(&r, "load", path, NULL);
		if (r.status != 65)
			fail_msg("%s: exit %d: %s", bad[i].name, r.status, r.err);
		snprintf(want, sizeof want, "%s%s", path, bad[i].msg);
		expect_line(r.err, want);
		assert_nothing_stored();
		test_run_free(&r);
		remove_temp(path);
	}
}

static void
huge_junk_and_deep_files_are_refused(void **state)
{
	size_t big = 4 * 1024 * 1024 + 10;
	char *data = malloc(big), *path, want[4200];
	uint32_t x = 12345;
	test_run r;

	(void)state;
	/* Larger than 4 MB: refused before it is parsed. */
	for (size_t i = 0; i < big; i++)
		data[i] = "a: b\n"[i % 5];
	path = test_write_file("huge.yaml", data, big);
	forms(&r, "load", path, NULL);
	assert_int_equal(r.status, 65);
	snprintf(want, sizeof want, "%s: larger than 4 MB; not a checklist or screening rules file",
	    path);
	expect_line(r.err, want);
	assert_nothing_stored();
	test_run_free(&r);
	remove_temp(path);

	/* Random bytes: refused, no crash, whatever they are. */
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < 4096; i++) {
			x = x * 1103515245u + 12345u;
			data[i] = (char)(x >> 16);
		}
		path = test_write_file("junk.yaml", data, 4096);
		forms(&r, "load", path, NULL);
		assert_int_equal(r.status, 65);
		assert_non_null(strstr(r.err, path));
		test_run_free(&r);
		remove_temp(path);
	}
	/* Printable junk that is valid UTF-8 goes through the YAML parser. */
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < 4096; i++) {
			x = x * 1103515245u + 12345u;
			data[i] = "ab: -[]{}\n\"'#&*!|>%@` ,?"[(x >> 16) % 25];
		}
		path = test_write_file("junk.yaml", data, 4096);
		forms(&r, "load", path, NULL);
		assert_true(r.status == 65);
		test_run_free(&r);
		remove_temp(path);
	}
	assert_nothing_stored();

	/* Nested deeper than any checklist: refused with its place. */
	memset(data, '[', 200);
	memset(data + 200, ']', 200);
	path = test_write_file("deep.yaml", data, 400);
	forms(&r, "load", path, NULL);
	assert_int_equal(r.status, 65);
	snprintf(want, sizeof want, "%s:1:65: nested too deeply", path);
	expect_line(r.err, want);
	test_run_free(&r);
	remove_temp(path);
	assert_nothing_stored();
	free(data);
}

/* Unicode survives; text that looks like SQL is only text. */
static void
unicode_and_sql_text_kept(void **state)
{
	char *path, *v;
	test_run r;

	(void)state;
	path = variant("good.yaml", "Used by the tests; not a real checklist.",
	    "\"Robert'); DROP TABLE forms;-- \\u00e9\"", "sql.yaml");
	forms(&r, "load", fx("rules_small.yaml"), path, NULL);
	assert_int_equal(r.status, 0);
	test_run_free(&r);
	v = test_db_value(conn, "SELECT title FROM form_versions");
	assert_string_equal(v, "Test checklist – Siân’s “audit” ✓ 測試");
	free(v);
	v = test_db_value(conn, "SELECT definition->>'description' FROM form_versions");
	assert_string_equal(v, "Robert'); DROP TABLE forms;-- é");
	free(v);
	v = test_db_value(conn, "SELECT text FROM form_questions WHERE question_id = 'person_voice'");
	assert_string_equal(v, "Is the person's own voice recorded — “in their words”?");
	free(v);
	forms(&r, "show", "test-checklist", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "test-checklist: Test checklist – Siân’s “audit” ✓ 測試\n"));
	test_run_free(&r);
	remove_temp(path);
}

/* ---- loading and versions ---------------------------------------------- */

static void
loads_and_reload_changes_nothing(void **state)
{
	char *before, *after, *v;
	struct passwd *pw = getpwuid(geteuid());
	test_run r;

	(void)state;
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: rule set 1 (new, 2 rules)\n"
	    "test-checklist: version 1 (new)\n");
	test_run_free(&r);
	before = database_state();
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_questions"), 2);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_sections"), 2);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_versions v"
	    " JOIN forms f ON f.current_version_id = v.id WHERE v.version = 1"
	    " AND v.applies_to = '{care_act_assessment,review}' AND v.source_file LIKE '%good.yaml'"
	    " AND v.source LIKE '# A small valid checklist%'"), 1);
	/* The rows derived from the definition agree with it. */
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_questions q"
	    " WHERE question_id = 'all_outcomes' AND section_position = 1 AND position = 1"
	    " AND weight = 2 AND required AND scale = 'standard'"
	    " AND evidence_required_for = '{partially_met,not_met}' AND prompts = '{risk_falls}'"
	    " AND guidance_poor = 'One or two; a single-issue assessment.'"), 1);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_questions q"
	    " WHERE question_id = 'person_voice' AND section_position = 2 AND position = 2"
	    " AND weight = 1 AND NOT required AND scale = 'yes_no'"
	    " AND evidence_required_for = '{}' AND prompts = '{person_voice_words,risk_falls}'"),
	    1);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_sections"
	    " WHERE (position, domain) IN ((1, 'holistic'), (2, 'strengths'))"), 2);
	/* The trail says who loaded what. */
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM events"
	    " WHERE action = 'form.version_loaded' AND entity = 'form_version'"
	    " AND after->>'form' = 'test-checklist' AND (after->>'version')::int = 1"), 1);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM events"
	    " WHERE action = 'screening_rules.loaded' AND (after->>'rule_count')::int = 2"), 1);
	v = test_db_value(conn, "SELECT string_agg(DISTINCT actor, ',') FROM events");
	assert_string_equal(v, pw->pw_name);
	free(v);
	v = test_db_value(conn, "SELECT loaded_by FROM form_versions");
	assert_string_equal(v, pw->pw_name);
	free(v);

	/* The same files again: nothing at all changes. */
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: unchanged (rule set 1)\n"
	    "test-checklist: unchanged (version 1)\n");
	test_run_free(&r);
	after = database_state();
	assert_string_equal(before, after);
	free(after);

	/* Comments, layout, key order, quoting, defaults written out: the
	 * same content, so still nothing changes. */
	forms(&r, "load", fx("good_relaid.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "test-checklist: unchanged (version 1)\n");
	test_run_free(&r);
	after = database_state();
	assert_string_equal(before, after);
	free(after);
	free(before);
}

static void
changed_content_makes_a_new_version(void **state)
{
	char *path, *sha1, *v, *json;
	test_run r;

	(void)state;
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	assert_int_equal(r.status, 0);
	test_run_free(&r);
	sha1 = test_db_value(conn, "SELECT sha256 || loaded_at || source FROM form_versions");

	path = variant("good.yaml", "Are all ten eligibility outcomes considered?",
	    "Are all ten eligibility outcomes considered and recorded?", "changed.yaml");
	forms(&r, "load", path, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "test-checklist: version 2 (new)\n");
	test_run_free(&r);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_versions"), 2);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_questions"), 4);
	/* Version 1 is exactly as it was. */
	v = test_db_value(conn, "SELECT sha256 || loaded_at || source FROM form_versions"
	    " WHERE version = 1");
	assert_string_equal(v, sha1);
	free(v);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM forms f JOIN form_versions v"
	    " ON v.id = f.current_version_id WHERE v.version = 2"), 1);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM events"
	    " WHERE action = 'form.version_loaded' AND (before->>'version')::int = 1"
	    " AND (after->>'version')::int = 2"), 1);

	/* Both versions can be shown; the current one by default. */
	forms(&r, "show", "test-checklist", "--version", "1", "--format", "json", NULL);
	assert_int_equal(r.status, 0);
	expect_json(r.out, "SELECT ($1::jsonb->>'version')::int = 1"
	    " AND ($1::jsonb->>'current_version')::int = 2 AND ($1::jsonb->>'versions')::int = 2"
	    " AND $1::jsonb#>>'{definition,sections,0,questions,0,text}'"
	    "  = 'Are all ten eligibility outcomes considered?'");
	json = strdup(r.out);
	test_run_free(&r);
	v = test_db_value(conn, "SELECT sha256 FROM form_versions WHERE version = 1");
	expect_json(json, "SELECT $1::jsonb->>'sha256' = (SELECT sha256 FROM form_versions"
	    " WHERE version = 1)");
	free(v);
	free(json);
	forms(&r, "show", "test-checklist", "--format", "json", NULL);
	assert_int_equal(r.status, 0);
	expect_json(r.out, "SELECT ($1::jsonb->>'version')::int = 2"
	    " AND $1::jsonb#>>'{definition,sections,0,questions,0,text}'"
	    "  = 'Are all ten eligibility outcomes considered and recorded?'");
	test_run_free(&r);
	forms(&r, "show", "test-checklist", "--version", "1", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "version 1 (not current: version 2 is; 2 versions)"));
	test_run_free(&r);

	/* The old content again: version 1 becomes current, no copy is made. */
	forms(&r, "load", fx("good.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out,
	    "test-checklist: version 1 (current again; version 2 was current)\n");
	test_run_free(&r);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_versions"), 2);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM forms f JOIN form_versions v"
	    " ON v.id = f.current_version_id WHERE v.version = 1"), 1);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM events"
	    " WHERE action = 'form.version_restored' AND (before->>'version')::int = 2"
	    " AND (after->>'version')::int = 1"), 1);
	forms(&r, "load", fx("good.yaml"), NULL);
	assert_string_equal(r.out, "test-checklist: unchanged (version 1)\n");
	test_run_free(&r);
	/* And the newer content again is version 2, not 3. */
	forms(&r, "load", path, NULL);
	assert_string_equal(r.out,
	    "test-checklist: version 2 (current again; version 1 was current)\n");
	test_run_free(&r);
	free(sha1);
	remove_temp(path);
}

/* Every kind of content change is a change. */
static void
each_content_change_is_a_new_version(void **state)
{
	static const struct { const char *from, *to; } edits[] = {
		{ "weight: 2", "weight: 3" },
		{ "poor: One or two; a single-issue assessment.", "poor: One or two." },
		{ "evidence_required_for: [not_met, partially_met]", "evidence_required_for: [not_met]" },
		{ "prompts: [person_voice_words, risk_falls]", "prompts: [risk_falls, person_voice_words]" },
		{ "required: no", "required: yes" },
		{ "applies_to: [care_act_assessment, review]", "applies_to: [review]" },
		{ "score: 0.5", "score: 0.6" },
		{ "label: Not met", "label: Not met at all" },
		{ "domain: strengths", "domain: outcomes" },
		{ "description: Used by the tests; not a real checklist.\n", "" },
	};
	test_run r;

	(void)state;
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	test_run_free(&r);
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		char *path = variant("good.yaml", edits[i].from, edits[i].to, "edit.yaml"), want[64];

		forms(&r, "load", path, NULL);
		assert_int_equal(r.status, 0);
		snprintf(want, sizeof want, "test-checklist: version %zu (new)\n", i + 2);
		if (strcmp(r.out, want) != 0)
			fail_msg("edit %zu (%s): %s%s", i, edits[i].to, r.out, r.err);
		test_run_free(&r);
		remove_temp(path);
	}
	assert_int_equal(test_db_count(conn, "SELECT count(DISTINCT sha256) FROM form_versions"),
	    (long long)(sizeof edits / sizeof edits[0]) + 1);
}

static void
versions_cannot_be_changed(void **state)
{
	static const char *const refused[] = {
		"UPDATE form_versions SET title = 'Changed'",
		"UPDATE form_versions SET definition = '{}'",
		"DELETE FROM form_versions",
		"TRUNCATE form_versions CASCADE",
		"UPDATE form_questions SET text = 'Changed'",
		"DELETE FROM form_questions",
		"UPDATE form_sections SET domain = 'risk'",
		"DELETE FROM form_sections",
		"UPDATE screening_rule_sets SET source = 'rules: []'",
		"DELETE FROM screening_rule_sets",
		"TRUNCATE screening_rule_sets CASCADE",
		"DELETE FROM screening_rules_current",
		"TRUNCATE screening_rules_current",
		"UPDATE forms SET name = 'renamed'",
		"DELETE FROM forms",
	};
	char *before, *after;
	test_run r;

	(void)state;
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	assert_int_equal(r.status, 0);
	test_run_free(&r);
	before = database_state();
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		PGresult *res = PQexec(conn, refused[i]);

		if (PQresultStatus(res) != PGRES_FATAL_ERROR)
			fail_msg("allowed: %s", refused[i]);
		if (strstr(PQresultErrorMessage(res), "immutable") == NULL &&
		    strstr(PQresultErrorMessage(res), "only the current version may change") == NULL)
			fail_msg("%s: %s", refused[i], PQresultErrorMessage(res));
		PQclear(res);
	}
	after = database_state();
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* The current version of a form can only be one of its own. */
	{
		PGresult *res = PQexec(conn, "UPDATE forms SET current_version_id = 999999");

		assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
		assert_non_null(strstr(PQresultErrorMessage(res), "forms_current_version_fk"));
		PQclear(res);
	}
	/* The current rule set is one that is stored, and there is one. */
	{
		static const char *const bad[][2] = {
			{ "UPDATE screening_rules_current SET rule_set_id = 999999",
			  "screening_rules_current_rule_set_id_fkey" },
			{ "INSERT INTO screening_rules_current (one_row, rule_set_id) VALUES (false, 1)",
			  "screening_rules_current_one_row_check" },
			{ "INSERT INTO screening_rules_current (rule_set_id) VALUES (1)",
			  "screening_rules_current_pkey" },
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			PGresult *res = PQexec(conn, bad[i][0]);

			if (PQresultStatus(res) != PGRES_FATAL_ERROR ||
			    strstr(PQresultErrorMessage(res), bad[i][1]) == NULL)
				fail_msg("%s: %s", bad[i][0], PQresultErrorMessage(res));
			PQclear(res);
		}
		assert_int_equal(test_db_count(conn, "SELECT rule_set_id FROM screening_rules_current"),
		    1);
	}
}

/* ---- prompts and screening rules ----------------------------------------- */

static void
prompts_need_rules(void **state)
{
	char want[8400], *before;
	test_run r;

	(void)state;
	/* No rule set anywhere: the user is told what to do. */
	forms(&r, "load", fx("good.yaml"), NULL);
	assert_int_equal(r.status, 65);
	snprintf(want, sizeof want, "%s:31:19: prompts: no screening rules are loaded yet, so "
	    "prompts cannot be checked: load forms/screening.yaml first, or in the same command "
	    "(caseaudit forms load forms/screening.yaml %s)", fx("good.yaml"), fx("good.yaml"));
	expect_line(r.err, want);
	assert_nothing_stored();
	test_run_free(&r);

	/* The rules first, on their own; then the checklist is checked
	 * against the stored rule set. */
	forms(&r, "load", fx("rules_small.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: rule set 1 (new, 2 rules)\n");
	test_run_free(&r);
	forms(&r, "load", fx("bad_prompt.yaml"), NULL);
	assert_int_equal(r.status, 65);
	snprintf(want, sizeof want, "%s:16:31: prompts: unknown screening rule \"risk_fals\" "
	    "(not in the current screening rules, rule set 1)", fx("bad_prompt.yaml"));
	expect_line(r.err, want);
	test_run_free(&r);
	forms(&r, "load", fx("good.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "test-checklist: version 1 (new)\n");
	test_run_free(&r);

	/* A newer rule set without a rule that a stored checklist names is
	 * refused, and nothing is stored. */
	{
		char *rules = variant("rules_small.yaml", "  - id: risk_falls\n    category: risk\n"
		    "    patterns:\n      - '\\bfall(s|en)?\\b'\n", "", "fewer.yaml");

		before = database_state();
		forms(&r, "load", rules, NULL);
		assert_int_equal(r.status, 65);
		snprintf(want, sizeof want, "%s: rule risk_falls is missing, but checklist "
		    "test-checklist names it (question ", rules);
		assert_non_null(strstr(r.err, want));
		test_run_free(&r);
		{
			char *after = database_state();

			assert_string_equal(before, after);
			free(after);
		}
		free(before);
		remove_temp(rules);
	}

	/* A stored rule set that no longer compiles cannot vouch for prompts. */
	assert_int_equal(test_db_count(conn, "WITH i AS (INSERT INTO screening_rule_sets"
	    " (sha256, source, rule_count) VALUES (repeat('a', 64),"
	    " E'rules:\\n  - id: broken\\n    category: risk\\n    patterns: [''(x'']\\n', 1)"
	    " RETURNING id) SELECT id FROM i"), 3);
	forms(&r, "load", fx("good.yaml"), NULL);
	assert_int_equal(r.status, 65);
	assert_non_null(strstr(r.err, "caseaudit: the current screening rules (rule set 3) "
	    "cannot be used to check prompts ("));
	assert_non_null(strstr(r.err, "); load forms/screening.yaml again\n"));
	test_run_free(&r);
}

static void
rule_sets_are_versioned_by_content(void **state)
{
	char *relaid, *changed, want[4400];
	test_run r;

	(void)state;
	forms(&r, "load", fx("rules_small.yaml"), NULL);
	assert_int_equal(r.status, 0);
	test_run_free(&r);
	/* Comments and key order do not count. */
	relaid = variant("rules_small.yaml", "  - id: risk_falls\n    category: risk\n",
	    "  # falls\n  - category: risk   # the category\n    id: \"risk_falls\"\n", "relaid.yaml");
	forms(&r, "load", relaid, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: unchanged (rule set 1)\n");
	test_run_free(&r);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM screening_rule_sets"), 1);
	/* A pattern does. */
	changed = variant("rules_small.yaml", "fall(s|en)?", "fall(s|en|ing)?", "changed.yaml");
	forms(&r, "load", changed, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: rule set 2 (new, 2 rules)\n");
	test_run_free(&r);
	/* The first content again makes rule set 1 current (see
	 * older_rules_made_current_again). */
	forms(&r, "load", fx("rules_small.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: rule set 1 (current again; rule set 2 was "
	    "current)\n");
	test_run_free(&r);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM screening_rule_sets"
	    " WHERE rule_count = 2 AND loaded_by IS NOT NULL AND source LIKE '%fall(s|en|ing)?%'"),
	    1);

	/* A bad rules file is reported by the rules engine, at its place. */
	forms(&r, "load", fx("bad_rules.yaml"), NULL);
	assert_int_equal(r.status, 65);
	snprintf(want, sizeof want, "%s:6:9: ", fx("bad_rules.yaml"));
	assert_true(strncmp(r.err, want, strlen(want)) == 0);
	test_run_free(&r);
	/* One rules file at a time. */
	forms(&r, "load", fx("rules_small.yaml"), changed, NULL);
	assert_int_equal(r.status, 65);
	snprintf(want, sizeof want, "%s:1:1: only one screening rules file can be loaded at a "
	    "time (%s is one too)", changed, fx("rules_small.yaml"));
	expect_line(r.err, want);
	test_run_free(&r);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM screening_rule_sets"), 2);
	remove_temp(relaid);
	remove_temp(changed);
}

/*
 * Rule sets are current the way checklist versions are: loading an older
 * set's content makes it current again, with no copy, so a QA lead undoes an
 * edit of forms/screening.yaml by loading the file as it was.  What that
 * does to screening, sampling and audits is in test_rule_sets.c.
 */
/* The database is as `before` (from database_state) says; frees it. */
static void
expect_unchanged(char *before)
{
	char *after = database_state();

	assert_string_equal(before, after);
	free(after);
	free(before);
}

static void
older_rules_made_current_again(void **state)
{
	char *more, *tumble, *before, want[4400];
	test_run r;

	(void)state;
	more = variant("rules_small.yaml", "rules:\n", "rules:\n  - id: risk_tumble\n"
	    "    category: risk\n    patterns:\n      - '\\btumble\\b'\n", "more.yaml");
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	assert_int_equal(r.status, 0);
	test_run_free(&r);
	forms(&r, "load", more, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: rule set 2 (new, 3 rules)\n");
	test_run_free(&r);
	assert_int_equal(test_db_count(conn, "SELECT rule_set_id FROM screening_rules_current"), 2);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM events"
	    " WHERE action = 'screening_rules.loaded' AND entity_id = '2'"
	    " AND (before->>'rule_set_id')::int = 1"), 1);

	/* A dry run says what would happen and changes nothing. */
	before = database_state();
	forms(&r, "load", "--dry-run", fx("rules_small.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: rule set 1 (current again; rule set 2 was "
	    "current)\ndry run: nothing was stored\n");
	test_run_free(&r);
	expect_unchanged(before);

	/* The old content: rule set 1 is current again, no third set. */
	forms(&r, "load", fx("rules_small.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: rule set 1 (current again; rule set 2 was "
	    "current)\n");
	test_run_free(&r);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM screening_rule_sets"), 2);
	assert_int_equal(test_db_count(conn, "SELECT rule_set_id FROM screening_rules_current"), 1);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM events e"
	    " JOIN screening_rule_sets r ON r.id = 1"
	    " WHERE e.action = 'screening_rules.restored' AND e.entity = 'screening_rule_set'"
	    " AND e.entity_id = '1' AND (e.before->>'rule_set_id')::int = 2"
	    " AND (e.after->>'rule_set_id')::int = 1 AND e.after->>'sha256' = r.sha256"
	    " AND e.after->>'file' LIKE '%/rules_small.yaml'"), 1);
	before = database_state();
	forms(&r, "load", fx("rules_small.yaml"), NULL);
	assert_string_equal(r.out, "screening rules: unchanged (rule set 1)\n");
	test_run_free(&r);
	expect_unchanged(before);

	/* The list says which set screens, and that a newer one is not in use. */
	forms(&r, "list", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\nScreening rules: rule set 1 of 2 is current, 2 rules, "
	    "loaded "));
	assert_non_null(strstr(r.out, ".\nIt was made current again on "));
	assert_non_null(strstr(r.out, "; rule set 2 is newer but not in use.\n"));
	test_run_free(&r);

	/* Forward again, and a checklist that prompts with the new rule. */
	forms(&r, "load", more, NULL);
	assert_string_equal(r.out, "screening rules: rule set 2 (current again; rule set 1 was "
	    "current)\n");
	test_run_free(&r);
	tumble = variant("good.yaml", "prompts: [risk_falls]", "prompts: [risk_tumble]",
	    "tumble.yaml");
	forms(&r, "load", tumble, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "test-checklist: version 2 (new)\n");
	test_run_free(&r);

	/* Going back to rules without that rule would leave the checklist
	 * prompting with nothing: refused, nothing changes... */
	before = database_state();
	forms(&r, "load", fx("rules_small.yaml"), NULL);
	assert_int_equal(r.status, 65);
	snprintf(want, sizeof want, "%s: rule risk_tumble is missing, but checklist "
	    "test-checklist names it (question all_outcomes)", fx("rules_small.yaml"));
	expect_line(r.err, want);
	expect_line(r.err, "caseaudit: forms load: the older screening rules (rule set 1) lack 1 "
	    "prompt that stored checklists use; load those checklists, changed to match, in the "
	    "same command; nothing was loaded");
	assert_string_equal(r.out, "");
	test_run_free(&r);
	expect_unchanged(before);
	/* ...unless the checklist goes back in the same command. */
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: rule set 1 (current again; rule set 2 was "
	    "current)\ntest-checklist: version 1 (current again; version 2 was current)\n");
	test_run_free(&r);
	assert_int_equal(test_db_count(conn, "SELECT rule_set_id FROM screening_rules_current"), 1);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM screening_rule_sets"), 2);
	remove_temp(more);
	remove_temp(tumble);
}

/* ---- all or nothing ------------------------------------------------------- */

static void
one_bad_file_stores_nothing(void **state)
{
	char want[4400];
	test_run r;

	(void)state;
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), fx("bad_domain.yaml"), NULL);
	assert_int_equal(r.status, 65);
	assert_string_equal(r.out, "");
	expect_line(r.err, "caseaudit: forms load: 2 problems in 1 of 3 files; nothing was loaded");
	assert_nothing_stored();
	test_run_free(&r);

	/* A missing file: 66, and still nothing. */
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), fx("no-such-file.yaml"), NULL);
	assert_int_equal(r.status, 66);
	snprintf(want, sizeof want, "%s: cannot read: No such file or directory",
	    fx("no-such-file.yaml"));
	expect_line(r.err, want);
	assert_nothing_stored();
	test_run_free(&r);
	forms(&r, "load", CASEAUDIT_FIXTURES, NULL);
	assert_int_equal(r.status, 66);
	test_run_free(&r);

	/* Two files naming one checklist. */
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), fx("good_relaid.yaml"), NULL);
	assert_int_equal(r.status, 65);
	snprintf(want, sizeof want, "%s:7:7: name: \"test-checklist\" is also the name of the "
	    "checklist in %s", fx("good_relaid.yaml"), fx("good.yaml"));
	expect_line(r.err, want);
	assert_nothing_stored();
	test_run_free(&r);

	/* A dry run checks everything and stores nothing. */
	forms(&r, "load", "--dry-run", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "screening rules: rule set 1 (new, 2 rules)\n"
	    "test-checklist: version 1 (new)\ndry run: nothing was stored\n");
	assert_nothing_stored();
	test_run_free(&r);
}

/* ---- list and show ----------------------------------------------------- */

static void
list_in_every_format(void **state)
{
	char *today;
	test_run r;

	(void)state;
	forms(&r, "list", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "No checklists are loaded yet (caseaudit forms load "
	    "forms/*.yaml).\n\nScreening rules: none loaded yet (caseaudit forms load "
	    "forms/screening.yaml).\n");
	test_run_free(&r);
	forms(&r, "list", "--format", "json", NULL);
	assert_string_equal(r.out, "[]\n");
	test_run_free(&r);

	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	test_run_free(&r);
	today = test_db_value(conn, "SELECT to_char(now() AT TIME ZONE 'Europe/London', 'DD/MM/YYYY')");

	forms(&r, "list", NULL);
	assert_int_equal(r.status, 0);
	{
		/* Columns as wide as their widest value, counted in characters. */
		const char *head = "NAME            TITLE                                 VERSION"
		    "  VERSIONS  APPLIES TO                   QUESTIONS  LOADED\n";

		assert_true(strncmp(r.out, head, strlen(head)) == 0);
	}
	assert_non_null(strstr(r.out, "\ntest-checklist  Test checklist – Siân’s “audit” ✓ 測試  "
	    "1        1         care_act_assessment, review  2          "));
	assert_non_null(strstr(r.out, today));
	assert_non_null(strstr(r.out, "\nScreening rules: rule set 1 of 1 is current, 2 rules, "
	    "loaded "));
	assert_null(strstr(r.out, "made current again"));
	test_run_free(&r);

	forms(&r, "list", "--format", "csv", NULL);
	assert_int_equal(r.status, 0);
	{
		const char *head = "name,title,version,versions,applies_to,questions,loaded_at,"
		    "loaded_by,sha256\ntest-checklist,Test checklist – Siân’s “audit” ✓ 測試,1,1,"
		    "care_act_assessment;review,2,";

		assert_true(strncmp(r.out, head, strlen(head)) == 0);
	}
	assert_non_null(strstr(r.out, today));
	test_run_free(&r);

	forms(&r, "list", "--format", "json", NULL);
	assert_int_equal(r.status, 0);
	expect_json(r.out, "SELECT jsonb_array_length($1::jsonb) = 1"
	    " AND $1::jsonb->0->>'name' = 'test-checklist'"
	    " AND $1::jsonb->0->>'title' = 'Test checklist – Siân’s “audit” ✓ 測試'"
	    " AND ($1::jsonb->0->>'version')::int = 1 AND ($1::jsonb->0->>'versions')::int = 1"
	    " AND $1::jsonb->0->'applies_to' = '[\"care_act_assessment\", \"review\"]'"
	    " AND ($1::jsonb->0->>'questions')::int = 2"
	    " AND ($1::jsonb->0->>'loaded_at')::timestamptz = (SELECT loaded_at FROM form_versions)"
	    "   - (SELECT loaded_at - date_trunc('second', loaded_at) FROM form_versions)"
	    " AND $1::jsonb->0->>'sha256' = (SELECT sha256 FROM form_versions)"
	    " AND $1::jsonb->0 ?& array['loaded_by']");
	test_run_free(&r);
	free(today);
}

static void
show_in_every_format(void **state)
{
	test_run r;

	(void)state;
	forms(&r, "load", fx("rules_small.yaml"), fx("good.yaml"), NULL);
	test_run_free(&r);

	forms(&r, "show", "test-checklist", NULL);
	assert_int_equal(r.status, 0);
	{
		const char *head = "test-checklist: Test checklist – Siân’s “audit” ✓ 測試\n"
		    "  version 1 (current; 1 version), loaded ";

		assert_true(strncmp(r.out, head, strlen(head)) == 0);
	}
	assert_non_null(strstr(r.out, "\n  applies to: care_act_assessment, review\n"
	    "  Used by the tests; not a real checklist.\n"
	    "  scale standard: met \"Met\" (1), partially_met \"Partially met\" (0.5), not_met\n"
	    "    \"Not met\" (0), not_applicable \"Not applicable\" (not scored)\n"
	    "  scale yes_no: yes \"Yes\" (1), no \"No\" (0)\n"
	    "\n"
	    "1. Holistic consideration of needs [holistic]\n"
	    "\n"
	    "   all_outcomes (weight 2, required; scale standard)\n"
	    "     Are all ten eligibility outcomes considered?\n"
	    "     Evidence required for: partially_met, not_met\n"
	    "     Screening prompts: risk_falls\n"
	    "     Good:    All ten, each with a finding in the person's circumstances.\n"
	    "     Partial: Most of them, some only as ticks.\n"
	    "     Poor:    One or two; a single-issue assessment.\n"
	    "\n"
	    "2. Strengths-based practice [strengths]\n"
	    "\n"
	    "   person_voice (weight 1, optional; scale yes_no)\n"));
	test_run_free(&r);

	forms(&r, "show", "test-checklist", "--format", "json", NULL);
	assert_int_equal(r.status, 0);
	expect_json(r.out, "SELECT $1::jsonb ?& array['name', 'title', 'version', "
	    "'current_version', 'versions', 'sha256', 'applies_to', 'questions', 'loaded_at', "
	    "'loaded_by', 'source_file', 'definition']"
	    " AND $1::jsonb->'definition' = (SELECT definition FROM form_versions)"
	    " AND $1::jsonb#>'{definition,scales,0,ratings,3,score}' = 'null'"
	    " AND $1::jsonb#>>'{definition,scales,0,ratings,1,score}' = '0.5'"
	    " AND jsonb_array_length($1::jsonb#>'{definition,sections}') = 2"
	    " AND $1::jsonb#>'{definition,sections,1,questions,0}' ?& array['id', 'text', "
	    "  'guidance', 'scale', 'weight', 'required', 'evidence_required_for', 'prompts']"
	    " AND $1::jsonb#>'{definition,sections,1,questions,0,required}' = 'false'"
	    " AND $1::jsonb#>'{definition,sections,1,questions,0,guidance}' ?& array['good', "
	    "  'partial', 'poor']");
	test_run_free(&r);

	forms(&r, "show", "test-checklist", "--format", "csv", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "section,domain,question_id,text,scale,weight,required,"
	    "evidence_required_for,prompts,guidance_good,guidance_partial,guidance_poor\n"
	    "Holistic consideration of needs,holistic,all_outcomes,Are all ten eligibility outcomes "
	    "considered?,standard,2,yes,partially_met;not_met,risk_falls,\"All ten, each with a "
	    "finding in the person's circumstances.\",\"Most of them, some only as ticks.\","
	    "One or two; a single-issue assessment.\n"
	    "Strengths-based practice,strengths,person_voice,Is the person's own voice recorded — "
	    "“in their words”?,yes_no,1,no,,person_voice_words;risk_falls,Their words are quoted.,"
	    "Summarised.,Absent.\n");
	test_run_free(&r);

	/* What does not exist is 65, with a word on what does. */
	forms(&r, "show", "no-such", NULL);
	assert_int_equal(r.status, 65);
	assert_string_equal(r.err, "caseaudit: no such checklist 'no-such' (caseaudit forms list "
	    "shows the checklists there are)\n");
	test_run_free(&r);
	forms(&r, "show", "test-checklist", "--version", "9", NULL);
	assert_int_equal(r.status, 65);
	assert_string_equal(r.err, "caseaudit: checklist 'test-checklist' has no version 9 "
	    "(it has only version 1)\n");
	test_run_free(&r);
}

static void
usage_and_help(void **state)
{
	static const char *const usage[][8] = {
		{ NULL },
		{ "frobnicate", NULL },
		{ "load", NULL },
		{ "load", "--version", "2", "x.yaml", NULL },
		{ "load", "--format", "json", "x.yaml", NULL },
		{ "list", "--format", "xml", NULL },
		{ "list", "extra", NULL },
		{ "list", "--dry-run", NULL },
		{ "show", NULL },
		{ "show", "a", "b", NULL },
		{ "show", "a", "--version", "abc", NULL },
		{ "show", "a", "--version", "0", NULL },
		{ "show", "a", "--bogus", NULL },
	};
	test_run r;

	(void)state;
	for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
		const char *argv[12] = { "caseaudit", "forms" };
		int n = 2;

		for (int j = 0; usage[i][j] != NULL; j++)
			argv[n++] = usage[i][j];
		argv[n] = NULL;
		assert_int_equal(test_run_cli(&r, dbname, NULL, argv), 0);
		if (r.status != 64)
			fail_msg("case %zu: exit %d: %s", i, r.status, r.err);
		assert_non_null(strstr(r.err, "Try 'caseaudit forms"));
		test_run_free(&r);
	}
	forms(&r, "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "usage: caseaudit forms load FILE..."));
	test_run_free(&r);
	forms(&r, "load", "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "FILE:LINE:COL: problem"));
	test_run_free(&r);
	forms(&r, "list", "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "DD/MM/YYYY HH:MM"));
	test_run_free(&r);
	forms(&r, "show", "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "65 no such checklist or version"));
	test_run_free(&r);
	{
		const char *argv[] = { "caseaudit", "help", "forms", NULL };

		assert_int_equal(test_run_cli(&r, dbname, NULL, argv), 0);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, "caseaudit forms show NAME"));
		test_run_free(&r);
	}
	/* A server that is not there: 69. */
	{
		const char *env[] = { "PGHOST=/nonexistent", NULL };
		const char *argv[] = { "caseaudit", "forms", "list", NULL };

		assert_int_equal(test_run_cli(&r, dbname, env, argv), 0);
		assert_int_equal(r.status, 69);
		test_run_free(&r);
	}
}

/* ---- the standard checklists and the documented example --------------- */

static void
standard_checklists_load(void **state)
{
	static const char *const outcomes[] = {
		"managing and maintaining nutrition", "maintaining personal hygiene",
		"managing toilet needs", "being appropriately clothed",
		"being able to make use of the home safely", "maintaining a habitable home environment",
		"developing and maintaining family or other personal relationships",
		"accessing and engaging in work, training, education or volunteering",
		"making use of necessary facilities or services in the local community",
		"carrying out any caring responsibilities for a child",
	};
	static const char *const carer_outcomes[] = {
		"carrying out any caring responsibilities for a child",
		"providing care to other persons", "maintaining a habitable home environment",
		"managing and maintaining nutrition",
		"developing and maintaining family or other personal relationships",
		"engaging in work, training, education or volunteering",
		"making use of necessary facilities or services in the local community",
		"engaging in recreational activities",
	};
	char *before, *after, *text;
	test_run r;

	(void)state;
	if (access(standard("screening.yaml"), R_OK) != 0)
		skip();
	forms(&r, "load", standard("care-act-assessment.yaml"), standard("carers-assessment.yaml"),
	    standard("review.yaml"), standard("screening.yaml"), NULL);
	if (r.status != 0)
		fail_msg("exit %d:\n%s", r.status, r.err);
	assert_non_null(strstr(r.out, "care-act-assessment: version 1 (new)\n"
	    "carers-assessment: version 1 (new)\nreview: version 1 (new)\n"));
	assert_true(strncmp(r.out, "screening rules: rule set 1 (new, ", 34) == 0);
	test_run_free(&r);

	/* Each covers all six domains, in sections that apply to its type. */
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_versions v"
	    " WHERE (SELECT count(DISTINCT domain) FROM form_sections s"
	    "        WHERE s.form_version_id = v.id) = 6"), 3);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_versions v"
	    " JOIN forms f ON f.id = v.form_id WHERE (f.name, v.applies_to) IN"
	    " (('care-act-assessment', '{care_act_assessment}'),"
	    "  ('carers-assessment', '{carers_assessment}'), ('review', '{review}'))"), 3);
	/* Every question has guidance for good, partial and poor evidence,
	 * asks for evidence when it is not met, and the weightiest ones are
	 * prompted by screening. */
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_questions"
	    " WHERE length(guidance_good) < 15 OR length(guidance_partial) < 10"
	    " OR length(guidance_poor) < 10 OR NOT 'not_met' = ANY (evidence_required_for)"), 0);
	assert_true(test_db_count(conn, "SELECT min(n) FROM (SELECT count(*) AS n"
	    " FROM form_questions GROUP BY form_version_id) c") >= 20);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_versions v"
	    " WHERE (SELECT count(*) FROM form_questions q WHERE q.form_version_id = v.id"
	    "        AND cardinality(q.prompts) > 0) >= 5"), 3);

	/* The holistic questions name every eligibility outcome. */
	text = test_db_value(conn, "SELECT string_agg(lower(text), ' ') FROM form_questions q"
	    " JOIN form_versions v ON v.id = q.form_version_id JOIN forms f ON f.id = v.form_id"
	    " WHERE f.name = 'care-act-assessment'");
	for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
		if (strstr(text, outcomes[i]) == NULL)
			fail_msg("care-act-assessment does not name the outcome '%s'", outcomes[i]);
	free(text);
	text = test_db_value(conn, "SELECT string_agg(lower(text), ' ') FROM form_questions q"
	    " JOIN form_versions v ON v.id = q.form_version_id JOIN forms f ON f.id = v.form_id"
	    " WHERE f.name = 'carers-assessment'");
	for (size_t i = 0; i < sizeof carer_outcomes / sizeof carer_outcomes[0]; i++)
		if (strstr(text, carer_outcomes[i]) == NULL)
			fail_msg("carers-assessment does not name the outcome '%s'", carer_outcomes[i]);
	free(text);
	/* The review asks what a review must. */
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_questions q"
	    " JOIN form_versions v ON v.id = q.form_version_id JOIN forms f ON f.id = v.form_id"
	    " WHERE f.name = 'review' AND q.question_id IN ('outcomes_met', 'changes_since_last',"
	    " 'plan_still_meets_needs', 'personal_budget_reviewed', 'next_review_set')"), 5);

	/* Loading the folder again changes nothing. */
	before = database_state();
	forms(&r, "load", standard("care-act-assessment.yaml"), standard("carers-assessment.yaml"),
	    standard("review.yaml"), standard("screening.yaml"), NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "screening rules: unchanged (rule set 1)\n"
	    "care-act-assessment: unchanged (version 1)\n"
	    "carers-assessment: unchanged (version 1)\nreview: unchanged (version 1)\n"));
	test_run_free(&r);
	after = database_state();
	assert_string_equal(before, after);
	free(before);
	free(after);
	forms(&r, "show", "care-act-assessment", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "[holistic]"));
	assert_non_null(strstr(r.out, "[recording]"));
	test_run_free(&r);

	/* New rules that drop a rule the stored checklists name are refused,
	 * and nothing is stored. */
	{
		char *rules = read_all(standard("screening.yaml"), NULL), *at, *path;

		at = strstr(rules, "  - id: deficit_labels\n");
		assert_non_null(at);
		memcpy(at + strlen("  - id: deficit_label"), "z", 1);
		path = test_write_file("screening.yaml", rules, strlen(rules));
		before = database_state();
		forms(&r, "load", path, NULL);
		assert_int_equal(r.status, 65);
		assert_non_null(strstr(r.err, "rule deficit_labels is missing, but checklist "
		    "care-act-assessment names it (question "));
		after = database_state();
		assert_string_equal(before, after);
		free(before);
		free(after);
		test_run_free(&r);
		unlink(path);
		free(path);
		free(rules);
	}
}

/* The example in forms/README.md is a checklist that loads. */
static void
readme_example_loads(void **state)
{
	char *readme = read_all(standard("README.md"), NULL), *start, *end, *path;
	test_run r;

	(void)state;
	start = strstr(readme, "```yaml\n# A checklist for a thematic audit");
	assert_non_null(start);
	start += 8;
	end = strstr(start, "```");
	assert_non_null(end);
	path = test_write_file("example.yaml", start, (size_t)(end - start));
	forms(&r, "load", fx("rules_small.yaml"), path, NULL);
	if (r.status != 0)
		fail_msg("%s", r.err);
	assert_non_null(strstr(r.out, "falls-thematic: version 1 (new)\n"));
	test_run_free(&r);
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM form_questions"
	    " WHERE question_id = 'falls_referral_made' AND scale = 'yes_no' AND NOT required"), 1);
	remove_temp(path);
	free(readme);
}

/* ---- the canonical form, through the library ---------------------------- */

static ca_form *
parse_text(const char *text, char sha[CA_SHA256_HEX_LEN + 1], ca_strbuf *json)
{
	ca_yaml_doc *doc;
	ca_form_problems p;
	ca_form *f = NULL;
	ca_err err = { 0 };

	assert_int_equal(ca_yaml_parse("t.yaml", text, strlen(text), &doc, &err), 0);
	ca_form_problems_init(&p, "t.yaml");
	if (ca_form_from_yaml(doc, &p, &f, &err) != 0) {
		ca_form_problems_print(&p, stderr);
		fail();
	}
	ca_form_problems_free(&p);
	ca_yaml_free(doc);
	assert_int_equal(ca_form_digest(f, json, sha), 0);
	return f;
}

static void
canonical_json_is_pinned(void **state)
{
	static const char text[] =
		"name: tiny\ntitle: \" Tiny \\\"one\\\"\\t \"\napplies_to: [review, carers_assessment]\n"
		"scales:\n  - id: s\n    ratings:\n      - {id: a, label: A, score: 1}\n"
		"      - {id: b, label: B, score: .25}\n      - {id: c, label: C, score: excluded}\n"
		"sections:\n  - title: T\n    domain: recording\n    questions:\n"
		"      - id: q\n        text: |\n          Line one\n          line two\n"
		"        guidance: {good: G, partial: P, poor: X}\n"
		"        evidence_required_for: [c, a]\n";
	char sha[CA_SHA256_HEX_LEN + 1];
	ca_strbuf json;
	ca_form *f;

	(void)state;
	ca_strbuf_init(&json);
	f = parse_text(text, sha, &json);
	assert_string_equal(json.data,
	    "{\"name\":\"tiny\",\"title\":\"Tiny \\\"one\\\"\","
	    "\"applies_to\":[\"carers_assessment\",\"review\"],"
	    "\"scales\":[{\"id\":\"s\",\"ratings\":[{\"id\":\"a\",\"label\":\"A\",\"score\":1},"
	    "{\"id\":\"b\",\"label\":\"B\",\"score\":0.25},"
	    "{\"id\":\"c\",\"label\":\"C\",\"score\":null}]}],"
	    "\"sections\":[{\"title\":\"T\",\"domain\":\"recording\",\"questions\":[{\"id\":\"q\","
	    "\"text\":\"Line one\\nline two\",\"guidance\":{\"good\":\"G\",\"partial\":\"P\","
	    "\"poor\":\"X\"},\"scale\":\"s\",\"weight\":1,\"required\":true,"
	    "\"evidence_required_for\":[\"a\",\"c\"],\"prompts\":[]}]}]}");
	assert_int_equal(ca_form_question_count(f), 1);
	assert_null(ca_form_first_prompt(f));
	ca_form_free(f);
	ca_strbuf_free(&json);
}

static void
yaml_digest_ignores_layout_only(void **state)
{
	static const struct { const char *a, *b; int same; } pairs[] = {
		{ "a: 1\nb: [p, q]\n", "# c\nb:\n  - p\n  - \"q\"\na: 1\n", 1 },
		/* A plain y is a YAML 1.1 boolean; quoted it is a letter. */
		{ "a: y\n", "a: \"y\"\n", 0 },
		{ "a: foo\n", "a: 'foo'\n", 1 },
		{ "a: >-\n  one\n  two\n", "a: one two\n", 1 },
		{ "a: >\n  one\n", "a: one\n", 0 },
		{ "a: yes\n", "a: \"yes\"\n", 0 },
		{ "a: 3\n", "a: '3'\n", 0 },
		{ "a: [x, y]\n", "a: [y, x]\n", 0 },
		{ "a: {b: 1}\n", "a: {b: 2}\n", 0 },
		{ "a: ''\n", "a:\n", 0 },
	};
	ca_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char sa[CA_SHA256_HEX_LEN + 1], sb[CA_SHA256_HEX_LEN + 1];
		ca_yaml_doc *a, *b;

		assert_int_equal(ca_yaml_parse("a", pairs[i].a, strlen(pairs[i].a), &a, &err), 0);
		assert_int_equal(ca_yaml_parse("b", pairs[i].b, strlen(pairs[i].b), &b, &err), 0);
		assert_int_equal(ca_yaml_digest(a, sa), 0);
		assert_int_equal(ca_yaml_digest(b, sb), 0);
		if ((strcmp(sa, sb) == 0) != pairs[i].same)
			fail_msg("pair %zu: %s / %s", i, pairs[i].a, pairs[i].b);
		ca_yaml_free(a);
		ca_yaml_free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_json_is_pinned),
		cmocka_unit_test(yaml_digest_ignores_layout_only),
		cmocka_unit_test_setup_teardown(every_problem_reported_at_its_place, setup, teardown),
		cmocka_unit_test_setup_teardown(many_problems_are_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(hostile_files_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(huge_junk_and_deep_files_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(unicode_and_sql_text_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(loads_and_reload_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(changed_content_makes_a_new_version, setup, teardown),
		cmocka_unit_test_setup_teardown(each_content_change_is_a_new_version, setup, teardown),
		cmocka_unit_test_setup_teardown(versions_cannot_be_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(prompts_need_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(rule_sets_are_versioned_by_content, setup, teardown),
		cmocka_unit_test_setup_teardown(older_rules_made_current_again, setup, teardown),
		cmocka_unit_test_setup_teardown(one_bad_file_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(list_in_every_format, setup, teardown),
		cmocka_unit_test_setup_teardown(show_in_every_format, setup, teardown),
		cmocka_unit_test_setup_teardown(usage_and_help, setup, teardown),
		cmocka_unit_test_setup_teardown(standard_checklists_load, setup, teardown),
		cmocka_unit_test_setup_teardown(readme_example_loads, setup, teardown),
	};

	return cmocka_run_group_tests_name("forms", tests, NULL, NULL);
}
