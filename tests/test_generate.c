/*
 * test_generate.c - the synthetic caseload generator and its narratives.
 *
 * One caseload is generated for the whole group and read back with a small
 * RFC 4180 reader (test-only: the product reads CSV through PostgreSQL).
 * Tests that write more files get their own temporary directories, made in
 * setup and removed in teardown so a failed assertion leaves nothing
 * behind.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* mkdtemp, strdup */
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "date.h"
#include "generate.h"
#include "narrative.h"
#include "narrative_bank.h"
#include "redact.h"
#include "rng.h"

#define ROWS 1500
#define SEED 7
#define AS_OF "2026-10-31"

enum {
	C_REF, C_PERSON, C_TYPE, C_PROVIDER, C_ASSESSOR, C_REQUESTED,
	C_COMPLETED, C_SUMMARY, C_PRIORITY, C_ELIGIBLE, C_DP, C_CARER,
	C_AGE, C_GENDER, C_ETHNICITY, C_REASON, C_COLUMNS
};
enum { S_REF, S_NAME, S_ORG, S_ROLE, S_TEAM, S_MAX, S_EMAIL, S_COLUMNS };

static const char assessments_header[] =
    "assessment_ref,person_ref,assessment_type,provider,assessor_ref,"
    "requested_on,completed_on,summary,priority,eligible,"
    "direct_payment_offered,carer_identified,age_band,gender,ethnicity,"
    "primary_support_reason\n";
static const char staff_header[] =
    "staff_ref,name,organisation,role,team,max_open_audits,email\n";

struct table {
	char ***rows;      /* rows[i][j], NUL-terminated, unquoted */
	int *nfields;
	size_t n, cap;
};

struct caseload {
	char dir[64];
	char *assessments, *staff;
	size_t assessments_len, staff_len;
	struct table a, s;       /* header row included */
	ca_generate_stats st;
};

/* ---- Helpers ------------------------------------------------------------- */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size + 1);
	if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf != NULL) {
		buf[size] = '\0';
		*len = (size_t)size;
	}
	return buf;
}

static void
remove_caseload_dir(const char *dir)
{
	static const char *const names[] = {
		"assessments.csv", "staff.csv", "README.md",
		".assessments.csv.tmp", ".staff.csv.tmp", ".README.md.tmp"
	};
	char path[256];

	if (dir[0] == '\0')
		return;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static int
make_temp_dir(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/caseaudit-gen-XXXXXX");
	return mkdtemp(buf) == NULL ? -1 : 0;
}

static void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (int j = 0; j < t->nfields[i]; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	free(t->rows);
	free(t->nfields);
	memset(t, 0, sizeof *t);
}

/* RFC 4180, LF records; returns -1 on malformed quoting. */
static int
parse_csv(const char *p, size_t len, struct table *t)
{
	const char *end = p + len;
	char *field = malloc(len + 1);

	if (field == NULL)
		return -1;
	while (p < end) {
		char **fields = NULL;
		int nf = 0, done = 0;

		while (!done) {
			size_t fl = 0;
			char **grown;

			if (p < end && *p == '"') {
				for (p++;; p++) {
					if (p >= end) {
						free(field);
						free(fields);
						return -1;
					}
					if (*p == '"') {
						if (p + 1 < end && p[1] == '"')
							field[fl++] = *p++;
						else {
							p++;
							break;
						}
					} else
						field[fl++] = *p;
				}
			} else
				while (p < end && *p != ',' && *p != '\n')
					field[fl++] = *p++;
			field[fl] = '\0';
			grown = realloc(fields, (size_t)(nf + 1) * sizeof *fields);
			if (grown == NULL) {
				free(field);
				free(fields);
				return -1;
			}
			fields = grown;
			fields[nf++] = strdup(field);
			if (p >= end || *p == '\n')
				done = 1;
			else if (*p != ',') {
				free(field);
				free(fields);
				return -1;
			}
			p++;
		}
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 256;
			t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
			t->nfields = realloc(t->nfields, t->cap * sizeof *t->nfields);
		}
		t->rows[t->n] = fields;
		t->nfields[t->n] = nf;
		t->n++;
	}
	free(field);
	return 0;
}

static int
generate_into(const char *dir, long rows, uint64_t seed, int staff_only,
    ca_generate_stats *st, ca_err *err)
{
	ca_generate_opts o = {
		.assessments = rows,
		.seed = seed,
		.as_of = AS_OF,
		.out_dir = dir,
		.staff_only = staff_only,
	};

	return ca_generate(&o, st, err);
}

/* A date in either accepted form, as days. */
static int
parse_any_date(const char *s, long *days)
{
	char iso[11];

	if (strlen(s) == 10 && s[2] == '/' && s[5] == '/') {
		snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
		return ca_date_parse(iso, days);
	}
	return ca_date_parse(s, days);
}

static int
count_words(const char *s)
{
	int words = 0, in = 0;

	for (; *s != '\0'; s++) {
		int space = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';

		if (!space && !in)
			words++;
		in = !space;
	}
	return words;
}

static long
file_size(const char *dir, const char *name)
{
	char path[256];
	struct stat sb;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* ---- Group fixture --------------------------------------------------------- */

static int
group_setup(void **state)
{
	struct caseload *cl = calloc(1, sizeof *cl);
	char path[256];
	ca_err err = { 0 };

	if (cl == NULL || make_temp_dir(cl->dir, sizeof cl->dir) != 0)
		return -1;
	*state = cl;
	if (generate_into(cl->dir, ROWS, SEED, 0, &cl->st, &err) != 0) {
		fprintf(stderr, "generate: %s\n", err.msg);
		return -1;
	}
	snprintf(path, sizeof path, "%s/assessments.csv", cl->dir);
	cl->assessments = slurp(path, &cl->assessments_len);
	snprintf(path, sizeof path, "%s/staff.csv", cl->dir);
	cl->staff = slurp(path, &cl->staff_len);
	if (cl->assessments == NULL || cl->staff == NULL)
		return -1;
	if (parse_csv(cl->assessments, cl->assessments_len, &cl->a) != 0 ||
	    parse_csv(cl->staff, cl->staff_len, &cl->s) != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	struct caseload *cl = *state;

	if (cl == NULL)
		return 0;
	remove_caseload_dir(cl->dir);
	table_free(&cl->a);
	table_free(&cl->s);
	free(cl->assessments);
	free(cl->staff);
	free(cl);
	return 0;
}

/* Per-test scratch directories for tests that write more caseloads. */
struct scratch {
	char dir[2][64];
	char *buf[6];
};

static int
scratch_setup(void **state)
{
	struct scratch *s = calloc(1, sizeof *s);

	if (s == NULL)
		return -1;
	*state = s;
	for (int i = 0; i < 2; i++)
		if (make_temp_dir(s->dir[i], sizeof s->dir[i]) != 0)
			return -1;
	return 0;
}

static int
scratch_teardown(void **state)
{
	struct scratch *s = *state;

	if (s == NULL)
		return 0;
	for (int i = 0; i < 2; i++)
		remove_caseload_dir(s->dir[i]);
	for (int i = 0; i < 6; i++)
		free(s->buf[i]);
	free(s);
	return 0;
}

/* The group's caseload lives in another state; tests that need both
 * reach it through this. */
static struct caseload *group;

static int
group_setup_keep(void **state)
{
	int rc = group_setup(state);

	group = *state;
	return rc;
}

/* ---- Tests ------------------------------------------------------------------ */

static void
test_headers(void **state)
{
	struct caseload *cl = *state;

	assert_true(cl->assessments_len > sizeof assessments_header);
	assert_memory_equal(cl->assessments, assessments_header,
	    sizeof assessments_header - 1);
	assert_memory_equal(cl->staff, staff_header, sizeof staff_header - 1);
	/* Nothing but data in the CSVs: no comments, LF only. */
	assert_null(memchr(cl->assessments, '\r', cl->assessments_len));
	assert_null(strstr(cl->assessments, "synthetic"));
	assert_null(strstr(cl->staff, "synthetic"));
}

static void
test_rows_and_fields(void **state)
{
	struct caseload *cl = *state;
	int newlines = 0, quotes = 0;

	assert_int_equal(cl->a.n, ROWS + 1);
	assert_int_equal(cl->st.assessments, ROWS);
	for (size_t i = 0; i < cl->a.n; i++) {
		assert_int_equal(cl->a.nfields[i], C_COLUMNS);
		if (i == 0)
			continue;
		newlines += strchr(cl->a.rows[i][C_SUMMARY], '\n') != NULL;
		quotes += strchr(cl->a.rows[i][C_SUMMARY], '"') != NULL;
	}
	/* The quoting is exercised both ways. */
	assert_true(newlines > 0);
	assert_true(quotes > 0);
	for (size_t i = 0; i < cl->s.n; i++)
		assert_int_equal(cl->s.nfields[i], S_COLUMNS);
}

static void
test_refs_and_values(void **state)
{
	struct caseload *cl = *state;
	static const char *const types[] = {
		"care_act_assessment", "review", "carers_assessment"
	};
	int seen[3] = { 0 };

	for (size_t i = 1; i < cl->a.n; i++) {
		char **r = cl->a.rows[i];
		char want[32];
		int t;

		snprintf(want, sizeof want, "AS-%07lu", (unsigned long)i);
		assert_string_equal(r[C_REF], want);
		assert_true(strncmp(r[C_PERSON], "P-", 2) == 0);
		assert_int_equal(strlen(r[C_PERSON]), 8);
		for (t = 0; t < 3; t++)
			if (strcmp(r[C_TYPE], types[t]) == 0)
				break;
		assert_true(t < 3);
		seen[t]++;
		assert_true(strcmp(r[C_ELIGIBLE], "yes") == 0 ||
		    strcmp(r[C_ELIGIBLE], "no") == 0 || r[C_ELIGIBLE][0] == '\0');
		assert_true(strcmp(r[C_CARER], "yes") == 0 ||
		    strcmp(r[C_CARER], "no") == 0);
		if (r[C_COMPLETED][0] == '\0')
			assert_string_equal(r[C_ELIGIBLE], "");
	}
	/* About 55 / 30 / 15 per cent. */
	assert_in_range(seen[0], ROWS * 45 / 100, ROWS * 65 / 100);
	assert_in_range(seen[1], ROWS * 22 / 100, ROWS * 38 / 100);
	assert_in_range(seen[2], ROWS * 9 / 100, ROWS * 21 / 100);
}

static void
test_assessors_belong_to_provider(void **state)
{
	struct caseload *cl = *state;

	for (size_t i = 1; i < cl->a.n; i++) {
		char **r = cl->a.rows[i];
		size_t j;

		for (j = 1; j < cl->s.n; j++)
			if (strcmp(cl->s.rows[j][S_REF], r[C_ASSESSOR]) == 0)
				break;
		assert_true(j < cl->s.n);
		assert_string_equal(cl->s.rows[j][S_ORG], r[C_PROVIDER]);
		assert_non_null(strstr(cl->s.rows[j][S_ROLE], "assessor"));
	}
}

static void
test_staff(void **state)
{
	struct caseload *cl = *state;
	int psw = 0, qa = 0, board = 0, auditors = 0, accented = 0;

	assert_true(cl->s.n - 1 >= 40);
	assert_int_equal(cl->st.staff, (long)cl->s.n - 1);
	assert_int_equal(cl->st.organisations, 9);
	for (size_t i = 1; i < cl->s.n; i++) {
		char **r = cl->s.rows[i];
		const char *role = r[S_ROLE];

		psw += strcmp(role, "psw") == 0;
		qa += strcmp(role, "qa_lead") == 0;
		board += strcmp(role, "board") == 0;
		if (strstr(role, "auditor") != NULL) {
			auditors++;
			assert_in_range(atoi(r[S_MAX]), 5, 15);
		} else
			assert_true(r[S_MAX][0] == '\0' ||
			    strcmp(r[S_MAX], "0") == 0);
		for (const unsigned char *c = (const unsigned char *)r[S_EMAIL];
		    *c != '\0'; c++)
			assert_true(*c < 0x80);
		for (const unsigned char *c = (const unsigned char *)r[S_NAME];
		    *c != '\0'; c++)
			accented += *c >= 0x80;
		/* Addresses are unique. */
		for (size_t j = 1; j < i; j++)
			assert_string_not_equal(cl->s.rows[j][S_EMAIL],
			    r[S_EMAIL]);
	}
	assert_int_equal(psw, 1);
	assert_int_equal(qa, 1);
	assert_true(board >= 2);
	assert_true(auditors >= 10);
	assert_true(accented > 0);
}

static void
test_dates(void **state)
{
	struct caseload *cl = *state;
	long as_of, earliest, waiting = 0;
	int day_first = 0;

	assert_int_equal(ca_date_parse(AS_OF, &as_of), 0);
	earliest = as_of - 18 * 31;
	for (size_t i = 1; i < cl->a.n; i++) {
		char **r = cl->a.rows[i];
		long req, done;

		day_first += r[C_REQUESTED][2] == '/';
		assert_int_equal(parse_any_date(r[C_REQUESTED], &req), 0);
		assert_true(req >= earliest);
		assert_true(req <= as_of);
		if (r[C_COMPLETED][0] == '\0') {
			waiting++;
			continue;
		}
		assert_int_equal(parse_any_date(r[C_COMPLETED], &done), 0);
		assert_true(done >= req);
		assert_true(done <= as_of);
		/* A row keeps one form of date. */
		assert_int_equal(r[C_REQUESTED][2] == '/',
		    r[C_COMPLETED][2] == '/');
	}
	assert_int_equal(waiting, cl->st.waiting);
	assert_true(waiting > 0 && waiting < ROWS / 2);
	assert_in_range(day_first, ROWS * 5 / 100, ROWS * 15 / 100);
}

static void
test_word_counts(void **state)
{
	struct caseload *cl = *state;

	for (size_t i = 1; i < cl->a.n; i++) {
		int w = count_words(cl->a.rows[i][C_SUMMARY]);

		assert_in_range(w, CA_NARR_MIN_WORDS, CA_NARR_MAX_WORDS);
	}
}

static void
test_same_person_same_details(void **state)
{
	struct caseload *cl = *state;
	int repeats = 0;

	/* Quadratic, but only over a few hundred rows. */
	for (size_t i = 1; i < cl->a.n && i < 400; i++) {
		for (size_t j = i + 1; j < cl->a.n; j++) {
			char **a = cl->a.rows[i], **b = cl->a.rows[j];

			if (strcmp(a[C_PERSON], b[C_PERSON]) != 0)
				continue;
			repeats++;
			assert_string_equal(a[C_PROVIDER], b[C_PROVIDER]);
			assert_string_equal(a[C_AGE], b[C_AGE]);
			assert_string_equal(a[C_GENDER], b[C_GENDER]);
			assert_string_equal(a[C_ETHNICITY], b[C_ETHNICITY]);
		}
	}
	assert_true(repeats > 0);
}

/* Ten digits, alone or spaced 3-3-4, not part of a longer number. */
static int
nhs_at(const char *s, const char *start, char out[11])
{
	static const int spaced[] = { 3, 3, 4 };
	const char *p = s;
	int k = 0;

	if (p > start && (p[-1] >= '0' && p[-1] <= '9'))
		return 0;
	for (int g = 0; g < 3; g++) {
		for (int i = 0; i < spaced[g]; i++, p++) {
			if (*p < '0' || *p > '9')
				return 0;
			out[k++] = *p;
		}
		if (g < 2 && *p == ' ')
			p++;
	}
	out[10] = '\0';
	return !(*p >= '0' && *p <= '9');
}

static void
test_nhs_numbers_valid(void **state)
{
	struct caseload *cl = *state;
	int found = 0;
	char digits[11];

	for (size_t i = 1; i < cl->a.n; i++) {
		const char *s = cl->a.rows[i][C_SUMMARY];

		for (const char *p = strstr(s, "NHS"); p != NULL;
		    p = strstr(p + 1, "NHS")) {
			const char *q = p;

			while (*q != '\0' && !(*q >= '0' && *q <= '9'))
				q++;
			if (*q != '\0' && nhs_at(q, s, digits)) {
				found++;
				assert_true(ca_nhs_check_digit_ok(digits));
			}
		}
	}
	assert_true(found > 0);
}

static void
test_deterministic(void **state)
{
	struct scratch *s = *state;
	static const char *const files[] = {
		"assessments.csv", "staff.csv", "README.md"
	};
	ca_generate_stats st;
	ca_err err = { 0 };
	char path[256];
	size_t len[6];

	assert_int_equal(generate_into(s->dir[0], ROWS, SEED, 0, &st, &err), 0);
	assert_int_equal(generate_into(s->dir[1], ROWS, SEED + 1, 0, &st, &err),
	    0);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", s->dir[0], files[i]);
		s->buf[i] = slurp(path, &len[i]);
		assert_non_null(s->buf[i]);
		snprintf(path, sizeof path, "%s/%s", group->dir, files[i]);
		s->buf[3 + i] = slurp(path, &len[3 + i]);
		assert_non_null(s->buf[3 + i]);
		assert_int_equal(len[i], len[3 + i]);
		assert_memory_equal(s->buf[i], s->buf[3 + i], len[i]);
	}
	/* Another seed, another caseload. */
	free(s->buf[0]);
	snprintf(path, sizeof path, "%s/assessments.csv", s->dir[1]);
	s->buf[0] = slurp(path, &len[0]);
	assert_non_null(s->buf[0]);
	assert_true(len[0] != len[3] ||
	    memcmp(s->buf[0], s->buf[3], len[0]) != 0);
}

static void
test_stats_bytes(void **state)
{
	struct caseload *cl = *state;
	long total = file_size(cl->dir, "assessments.csv") +
	    file_size(cl->dir, "staff.csv") + file_size(cl->dir, "README.md");
	char path[256];
	size_t len;
	char *readme;

	assert_int_equal((long)cl->st.bytes, total);
	snprintf(path, sizeof path, "%s/README.md", cl->dir);
	readme = slurp(path, &len);
	assert_non_null(readme);
	/* Says what it is before anything else. */
	assert_non_null(strstr(readme, "synthetic demo and test data"));
	assert_true(strstr(readme, "synthetic") - readme < 200);
	assert_non_null(strstr(readme, "--seed 7"));
	assert_non_null(strstr(readme, "No real people"));
	free(readme);
}

static void
test_staff_only(void **state)
{
	struct scratch *s = *state;
	ca_generate_stats st;
	ca_err err = { 0 };
	char path[256];
	size_t len;

	assert_int_equal(generate_into(s->dir[0], ROWS, SEED, 1, &st, &err), 0);
	assert_int_equal(st.assessments, 0);
	assert_int_equal(file_size(s->dir[0], "assessments.csv"), -1);
	snprintf(path, sizeof path, "%s/staff.csv", s->dir[0]);
	s->buf[0] = slurp(path, &len);
	assert_non_null(s->buf[0]);
	/* The same staff as the full run, so the two can be mixed. */
	assert_int_equal(len, group->staff_len);
	assert_memory_equal(s->buf[0], group->staff, len);
}

static void
test_zero_assessments(void **state)
{
	struct scratch *s = *state;
	ca_generate_stats st;
	ca_err err = { 0 };
	char path[256];
	size_t len;

	assert_int_equal(generate_into(s->dir[0], 0, 1, 0, &st, &err), 0);
	snprintf(path, sizeof path, "%s/assessments.csv", s->dir[0]);
	s->buf[0] = slurp(path, &len);
	assert_non_null(s->buf[0]);
	assert_int_equal(len, sizeof assessments_header - 1);
	assert_true(st.staff >= 40);
}

static void
test_creates_nested_dir(void **state)
{
	struct scratch *s = *state;
	char nested[128], mid[128];
	ca_generate_stats st;
	ca_err err = { 0 };

	snprintf(mid, sizeof mid, "%s/a", s->dir[0]);
	snprintf(nested, sizeof nested, "%s/a/b/", s->dir[0]);
	assert_int_equal(generate_into(nested, 10, 1, 0, &st, &err), 0);
	assert_true(file_size(nested, "assessments.csv") > 0);
	remove_caseload_dir(nested);
	rmdir(mid);
}

static void
test_unwritable(void **state)
{
	ca_generate_stats st;
	ca_err err = { 0 };

	(void)state;
	assert_int_equal(generate_into("/proc/forbidden", 10, 1, 0, &st, &err),
	    CA_EX_IOERR);
	assert_int_equal(err.code, CA_EX_IOERR);
	assert_true(strncmp(err.msg,
	    "cannot write /proc/forbidden/assessments.csv: ", 46) == 0);
}

static void
test_usage_errors(void **state)
{
	ca_generate_opts o = { .assessments = -1, .out_dir = "/tmp" };
	ca_err err = { 0 };

	(void)state;
	assert_int_equal(ca_generate(&o, NULL, &err), CA_EX_USAGE);
	o.assessments = CA_GENERATE_MAX_ASSESSMENTS + 1;
	assert_int_equal(ca_generate(&o, NULL, &err), CA_EX_USAGE);
	o.assessments = 1;
	o.as_of = "2026-02-29";
	assert_int_equal(ca_generate(&o, NULL, &err), CA_EX_USAGE);
	o.as_of = "31/10/2026";
	assert_int_equal(ca_generate(&o, NULL, &err), CA_EX_USAGE);
	o.as_of = AS_OF;
	o.out_dir = "";
	assert_int_equal(ca_generate(&o, NULL, &err), CA_EX_USAGE);

	assert_int_equal(ca_date_parse("2024-02-29", NULL), 0);
	assert_int_equal(ca_date_parse("2100-02-29", NULL), -1);
	assert_int_equal(ca_date_parse("2026-13-01", NULL), -1);
	assert_int_equal(ca_date_parse("2026-1-01", NULL), -1);
}

static void
test_date_arithmetic(void **state)
{
	long d;

	(void)state;
	assert_int_equal(ca_date_parse("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(ca_date_parse("2000-03-01", &d), 0);
	assert_int_equal(d, 11017);
	assert_int_equal(ca_date_parse("1900-01-01", &d), 0);
	assert_int_equal(d, -25567);
	assert_int_equal(ca_date_parse("2026-10-31", &d), 0);
	assert_int_equal(d, 20757);
}

/* ---- Narratives ------------------------------------------------------------- */

static const ca_narr_profile strong = { 900, 900, 900, 900, 900 };
static const ca_narr_profile weak = { 100, 100, 100, 100, 100 };

static ca_narr_person
person_for(int i)
{
	ca_narr_person p = {
		.title = i % 4 == 3 ? NULL : i % 4 == 0 ? "Mrs" :
		    i % 4 == 1 ? "Mr" : "Mx",
		.first = i % 3 == 0 ? "Siân" : "Łukasz",
		.surname = "O'Connor",
		.gender = i % 4,
		.age_band = i % CA_AGE_BANDS,
		.reason = i % CA_PSR_COUNT,
		.pool = i % 5,
		.age = 18 + (i * 7) % 80,
		.birth_year = 1950, .birth_month = 3, .birth_day = 12,
	};
	return p;
}

/* "{Wr}" belongs at the start of a sentence, "{wr}" inside one. */
static int
midsentence_capital(const char *text)
{
	static const char *const writers[] = { "The assessor", "The worker" };

	for (int i = 0; i < 2; i++)
		for (const char *p = strstr(text, writers[i]); p != NULL;
		    p = strstr(p + 1, writers[i]))
			if (p != text && !(p - text >= 2 && p[-2] == '.' &&
			    p[-1] == ' '))
				return 1;
	return 0;
}

static void
test_every_template_expands(void **state)
{
	ca_narr *n = *state;
	ca_rng r;

	ca_rng_seed(&r, 99);
	for (size_t b = 0; b < ca_bank_all_len; b++) {
		const ca_bank *bank = ca_bank_all[b];

		for (size_t t = 0; t < bank->n; t++) {
			for (int k = 0; k < 6; k++) {
				ca_narr_person p = person_for(k);
				ca_narr_case c = {
					.profile = &strong, .person = &p,
					.type = k % 3, .eligible = 1,
					.direct_payment = 1, .carer = 1,
					.wait_days = 40,
				};
				const char *text;

				if (ca_narrative_expand(n, &r, &c, bank->v[t]) != 0)
					fail_msg("unknown slot in %s[%zu]: %s",
					    bank->name, t, bank->v[t]);
				text = ca_narr_text(n);
				if (strchr(text, '{') != NULL ||
				    strstr(text, "  ") != NULL ||
				    midsentence_capital(text))
					fail_msg("%s[%zu] gives \"%s\"", bank->name,
					    t, text);
			}
		}
	}
}

static void
test_narratives_well_formed(void **state)
{
	ca_narr *n = *state;
	ca_rng r;
	unsigned all = 0;
	int pii[CA_PLANT_DOB + 1] = { 0 };

	ca_rng_seed(&r, 5);
	for (int i = 0; i < 3000; i++) {
		ca_narr_person p = person_for(i);
		ca_narr_case c = {
			.profile = i % 2 ? &strong : &weak, .person = &p,
			.type = i % 3, .waiting = i % 7 == 0,
			.eligible = i % 7 == 0 ? -1 : i % 5 == 0 ? 0 : 1,
			.direct_payment = i % 2, .carer = i % 3 != 1,
			.wait_days = 10 + i % 300,
		};
		ca_narr_facts f;
		const char *text;

		assert_int_equal(ca_narrative_compose(n, &r, &c, &f), 0);
		text = ca_narr_text(n);
		assert_int_equal(strlen(text), ca_narr_len(n));
		assert_int_equal(count_words(text), f.words);
		assert_in_range(f.words, CA_NARR_MIN_WORDS, CA_NARR_MAX_WORDS);
		if (strchr(text, '{') != NULL || strstr(text, "  ") != NULL ||
		    strstr(text, " .") != NULL || text[0] == ' ' ||
		    text[strlen(text) - 1] == ' ')
			fail_msg("badly formed: \"%s\"", text);
		all |= f.outcomes;
		pii[f.pii]++;
	}
	assert_int_equal(all, (1u << CA_OUT_COUNT) - 1);
	for (int k = 1; k <= CA_PLANT_DOB; k++)
		assert_true(pii[k] > 0);
	/* About 4% carry personal data. */
	assert_in_range(3000 - pii[CA_PLANT_NONE], 60, 200);
}

static void
test_profile_drives_content(void **state)
{
	ca_narr *n = *state;
	const ca_narr_profile *profiles[2] = { &weak, &strong };
	long outcomes[2] = { 0 }, strengths[2] = { 0 }, deficits[2] = { 0 };
	long risks[2] = { 0 }, planned[2] = { 0 }, offered[2] = { 0 };
	long carers[2] = { 0 };
	ca_rng r;

	ca_rng_seed(&r, 11);
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 1500; i++) {
			ca_narr_person p = person_for(i);
			ca_narr_case c = {
				.profile = profiles[k], .person = &p,
				.type = i % 2, .eligible = 1,
				.direct_payment = 0, .carer = 1,
				.wait_days = 30,
			};
			ca_narr_facts f;
			unsigned x;

			ca_narrative_compose(n, &r, &c, &f);
			for (x = f.outcomes; x != 0; x &= x - 1)
				outcomes[k]++;
			strengths[k] += f.strengths > 0;
			deficits[k] += f.deficits > 0;
			risks[k] += f.risks;
			planned[k] += f.risks_planned;
			carers[k] += f.carer_offer != CA_CARER_NONE;
			offered[k] += f.carer_offer >= CA_CARER_OFFERED;
		}
	}
	assert_true(outcomes[1] > outcomes[0] * 3 / 2);
	assert_true(strengths[1] > strengths[0] * 2);
	assert_true(deficits[0] > deficits[1] * 2);
	assert_true(planned[1] * risks[0] > planned[0] * risks[1] * 3);
	assert_true(offered[1] * carers[0] > offered[0] * carers[1] * 3);
}

static int
narr_setup(void **state)
{
	*state = ca_narr_new();
	return *state == NULL ? -1 : 0;
}

static int
narr_teardown(void **state)
{
	ca_narr_free(*state);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest caseload[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_rows_and_fields),
		cmocka_unit_test(test_refs_and_values),
		cmocka_unit_test(test_assessors_belong_to_provider),
		cmocka_unit_test(test_staff),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_word_counts),
		cmocka_unit_test(test_same_person_same_details),
		cmocka_unit_test(test_nhs_numbers_valid),
		cmocka_unit_test(test_stats_bytes),
		cmocka_unit_test_setup_teardown(test_deterministic,
		    scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_staff_only,
		    scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_zero_assessments,
		    scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_creates_nested_dir,
		    scratch_setup, scratch_teardown),
		cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_date_arithmetic),
	};
	const struct CMUnitTest narratives[] = {
		cmocka_unit_test_setup_teardown(test_every_template_expands,
		    narr_setup, narr_teardown),
		cmocka_unit_test_setup_teardown(test_narratives_well_formed,
		    narr_setup, narr_teardown),
		cmocka_unit_test_setup_teardown(test_profile_drives_content,
		    narr_setup, narr_teardown),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("generate", caseload,
	    group_setup_keep, group_teardown);
	failed += cmocka_run_group_tests_name("narrative", narratives, NULL,
	    NULL);
	return failed != 0;
}
