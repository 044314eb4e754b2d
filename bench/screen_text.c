/*
 * screen_text.c - the C half of bench/screen: prepares the text that
 * caseaudit and rg both read, exports the rules' patterns for rg, and
 * times the screening library over that text.
 *
 *   screen_text extract CSV OUT
 *       The `summary` column of an assessments extract, one narrative per
 *       line, its own line breaks (LF, CR or CRLF) each turned into one
 *       space, so that rg (which searches line by line) and caseaudit see
 *       exactly the same bytes.
 *
 *   screen_text patterns RULES.yaml DIR
 *       Each rule's patterns, verbatim and one per line, in DIR/NNN_id.txt
 *       (NNN keeps file order), for `rg -f`.  A pattern holding a line
 *       break cannot be written that way: it is reported and the run fails.
 *
 *   screen_text screen RULES.yaml TEXT [--personal-data on|off]
 *                      [--prefilter on|off] [--threads N] [--repeat R]
 *                      [--label NAME] [--dump FILE]
 *       Screens every line of TEXT with the library, the text already in
 *       memory, so that only screening is timed (best of R runs, by CPU; the
 *       rules are compiled and the screeners made before the clock
 *       starts).  Prints one line
 *           result LABEL BYTES WALL_SECONDS CPU_SECONDS NARRATIVES MATCHES
 *       (BYTES counts the whole file, line ends included, as rg reads it;
 *       CPU_SECONDS is the process's, all threads together),
 *       then `info` lines: matches, flags, limit hits and how many patterns
 *       the prefilter let run.  --prefilter off runs every pattern over
 *       the whole text (the results must not change, only the time).
 *       With N threads each has its own screener
 *       (screen.h: one per thread) and takes narratives BATCH at a time.
 *       --dump FILE writes each narrative's result, as `screen --format
 *       json` gives it, one a line in text order, after the timing (and
 *       outside it): two builds, or the prefilter on and off, must write
 *       the same file byte for byte.  The JSON holds offsets and rule
 *       ids, never the text.
 *
 * Exit status: 0, 64 for a wrong command line, 65/66/70 as the library
 * reports them.  No narrative is ever printed.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "error.h"
#include "rules.h"
#include "screen.h"
#include "strbuf.h"
#include "yamltree.h"

/* Narratives a thread takes at a time: big enough that the shared counter
 * costs nothing, small enough that the threads finish together. */
#define BATCH 256

static void die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* "screen_text: what failed", and the exit status that says why. */
static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("screen_text: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void
usage(void)
{
	fputs("usage: screen_text extract CSV OUT\n"
	    "       screen_text patterns RULES.yaml DIR\n"
	    "       screen_text screen RULES.yaml TEXT [--personal-data on|off]"
	    " [--prefilter on|off] [--threads N] [--repeat R] [--label NAME]"
	    " [--dump FILE]\n", stderr);
	exit(CA_EX_USAGE);
}

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- extract ------------------------------------------------------------ */

/* A growable byte buffer for one field. */
typedef struct field {
	char *v;
	size_t n, cap;
} field;

static void
field_put(field *f, char c)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4096;
		if ((f->v = realloc(f->v, f->cap)) == NULL)
			die(CA_EX_SOFTWARE, "out of memory");
	}
	f->v[f->n++] = c;
}

/* The header name, trimmed of spaces, compared ignoring case, as the
 * importer matches columns. */
static int
is_summary(const field *f)
{
	size_t a = 0, b = f->n;

	if (b >= 3 && memcmp(f->v, "\xEF\xBB\xBF", 3) == 0)
		a = 3;                          /* a byte-order mark */
	while (a < b && (f->v[a] == ' ' || f->v[a] == '\t'))
		a++;
	while (b > a && (f->v[b - 1] == ' ' || f->v[b - 1] == '\t'))
		b--;
	return b - a == 7 && strncasecmp(f->v + a, "summary", 7) == 0;
}

/*
 * RFC 4180, read a byte at a time: fields separated by commas, records by
 * LF or CRLF, quoted fields with "" for a quote and line breaks inside.
 * Only the summary field is kept; CR/LF inside it become one space each
 * (a CRLF pair one space too).  The generator writes well-formed files;
 * this does not try to recover from broken ones.
 */
static int
extract(const char *csv, const char *out)
{
	FILE *in = fopen(csv, "rb"), *o;
	field f = { 0 };
	int col = 0, want = -1, quoted = 0, in_quotes = 0, header = 1, c;
	long records = 0;
	unsigned long long bytes = 0;

	if (in == NULL)
		die(CA_EX_NOINPUT, "cannot read %s: %s", csv, strerror(errno));
	if ((o = fopen(out, "wb")) == NULL)
		die(CA_EX_IOERR, "cannot write %s: %s", out, strerror(errno));
	setvbuf(in, NULL, _IOFBF, 1 << 20);
	setvbuf(o, NULL, _IOFBF, 1 << 20);

	for (;;) {
		c = getc(in);
		if (in_quotes) {
			if (c == EOF)
				die(CA_EX_DATAERR, "%s: a quoted field is never closed", csv);
			if (c == '"') {
				int d = getc(in);

				if (d == '"') {
					field_put(&f, '"');
					continue;
				}
				in_quotes = 0;
				if (d != EOF)
					ungetc(d, in);
				continue;
			}
			if (c == '\r' || c == '\n') {
				/* one space for CRLF, as for a lone CR or LF */
				if (c == '\r') {
					int d = getc(in);

					if (d != '\n' && d != EOF)
						ungetc(d, in);
				}
				field_put(&f, ' ');
				continue;
			}
			field_put(&f, (char)c);
			continue;
		}
		if (c == '"' && f.n == 0 && !quoted) {
			in_quotes = quoted = 1;
			continue;
		}
		if (c == ',' || c == '\n' || c == '\r' || c == EOF) {
			/* a blank line (skipped, as the importer does), or the
			 * end of the file after the last line end */
			int blank = col == 0 && f.n == 0 && !quoted;

			if (c == '\r') {
				int d = getc(in);

				if (d != '\n' && d != EOF)
					ungetc(d, in);
			}
			if (c != ',' && blank) {
				if (c == EOF)
					break;
				continue;
			}
			if (header) {
				if (is_summary(&f))
					want = col;
			} else if (col == want) {
				if (fwrite(f.v ? f.v : "", 1, f.n, o) != f.n || putc('\n', o) == EOF)
					die(CA_EX_IOERR, "cannot write %s: %s", out, strerror(errno));
				bytes += f.n + 1;
				records++;
			}
			f.n = 0;
			quoted = 0;
			if (c == ',') {
				col++;
				continue;
			}
			/* the end of a record */
			if (header && want < 0)
				die(CA_EX_DATAERR, "%s: the header has no summary column", csv);
			if (!header && col < want)
				die(CA_EX_DATAERR, "%s: record %ld has no summary field", csv, records + 1);
			header = 0;
			col = 0;
			if (c == EOF)
				break;
			continue;
		}
		field_put(&f, (char)c);
	}
	if (ferror(in))
		die(CA_EX_NOINPUT, "cannot read %s: %s", csv, strerror(errno));
	if (fclose(o) != 0)
		die(CA_EX_IOERR, "cannot write %s: %s", out, strerror(errno));
	fclose(in);
	free(f.v);
	printf("%ld narratives, %llu bytes\n", records, bytes);
	return 0;
}

/* ---- rules -------------------------------------------------------------- */

static ca_ruleset *
load_rules(const char *path)
{
	ca_yaml_doc *doc = NULL;
	ca_ruleset *rs = NULL;
	ca_err err = { 0 };
	int rc;

	if ((rc = ca_yaml_load(path, &doc, &err)) != 0 ||
	    (rc = ca_ruleset_from_yaml(doc, stderr, &rs, &err)) != 0) {
		ca_yaml_free(doc);
		if (err.msg[0] == '\0')
			die(rc, "%s: the rules have problems (listed above)", path);
		die(rc, "%s", err.msg);
	}
	ca_yaml_free(doc);
	return rs;
}

static int
patterns(const char *rules, const char *dir)
{
	ca_ruleset *rs = load_rules(rules);
	size_t n = ca_ruleset_count(rs), total = 0, jit = 0;
	int bad = 0;

	for (size_t r = 0; r < n; r++) {
		const ca_rule *rule = ca_ruleset_rule(rs, r);
		char path[4096];
		FILE *o;

		snprintf(path, sizeof path, "%s/%03zu_%s.txt", dir, r + 1, rule->id);
		if ((o = fopen(path, "w")) == NULL)
			die(CA_EX_IOERR, "cannot write %s: %s", path, strerror(errno));
		for (size_t p = 0; p < rule->npatterns; p++) {
			const ca_rule_pattern *pat = &rule->patterns[p];

			/* rg -f reads one pattern a line: a pattern with a line
			 * break in it would silently become two */
			if (memchr(pat->source, '\n', pat->len) != NULL ||
			    memchr(pat->source, '\r', pat->len) != NULL) {
				fprintf(stderr, "screen_text: rule %s, pattern %zu holds a line break "
				    "and cannot be given to rg -f\n", rule->id, p + 1);
				bad = 1;
				continue;
			}
			fwrite(pat->source, 1, pat->len, o);
			putc('\n', o);
			total++;
		}
		if (fclose(o) != 0)
			die(CA_EX_IOERR, "cannot write %s: %s", path, strerror(errno));
	}
	ca_ruleset_patterns(rs, &jit);
	printf("%zu rules, %zu patterns (%zu JIT-compiled by caseaudit)\n", n, total, jit);
	ca_ruleset_free(rs);
	return bad ? CA_EX_DATAERR : 0;
}

/* ---- screen ------------------------------------------------------------- */

typedef struct tally {
	unsigned long long matches, limit_hits, limit_narratives, personal_data;
	unsigned long long flags[CA_FLAG_COUNT];
	size_t ran, skipped;
	int rc;
	ca_err err;
} tally;

typedef struct job {
	const char *text;
	const size_t *line;       /* line i is text[line[i] .. line[i + 1] - 1) */
	size_t nlines;
	atomic_size_t next;
} job;

typedef struct worker {
	job *job;
	ca_screener *s;
	tally t;
	pthread_t tid;
} worker;

static void *
run(void *arg)
{
	worker *w = arg;
	job *j = w->job;

	for (;;) {
		size_t from = atomic_fetch_add(&j->next, BATCH), to;

		if (from >= j->nlines)
			break;
		to = from + BATCH < j->nlines ? from + BATCH : j->nlines;
		for (size_t i = from; i < to; i++) {
			const ca_screen_result *r;
			size_t a = j->line[i], b = j->line[i + 1] - 1;

			if ((w->t.rc = ca_screen(w->s, j->text + a, b - a, &r, &w->t.err)) != 0)
				return NULL;
			w->t.matches += r->nmatches;
			w->t.limit_hits += r->nlimits;
			w->t.limit_narratives += r->nlimits > 0;
			w->t.personal_data += (unsigned)r->personal_data;
			for (int f = 0; f < CA_FLAG_COUNT; f++)
				w->t.flags[f] += (r->flags >> f) & 1u;
		}
	}
	return NULL;
}

/* The whole file in memory, and where each line starts. */
static char *
slurp(const char *path, size_t *len, size_t **line, size_t *nlines)
{
	FILE *in = fopen(path, "rb");
	size_t cap = 1 << 24, n = 0, k = 0, capl = 1 << 16;
	char *buf = malloc(cap);
	size_t *v = malloc(capl * sizeof *v);

	if (in == NULL)
		die(CA_EX_NOINPUT, "cannot read %s: %s", path, strerror(errno));
	if (buf == NULL || v == NULL)
		die(CA_EX_SOFTWARE, "out of memory");
	for (;;) {
		size_t got;

		if (n == cap && (buf = realloc(buf, cap *= 2)) == NULL)
			die(CA_EX_SOFTWARE, "out of memory");
		if ((got = fread(buf + n, 1, cap - n, in)) == 0)
			break;
		n += got;
	}
	if (ferror(in))
		die(CA_EX_NOINPUT, "cannot read %s: %s", path, strerror(errno));
	fclose(in);
	if (n > 0 && buf[n - 1] != '\n')
		die(CA_EX_DATAERR, "%s: the last line has no line end", path);
	v[k++] = 0;
	for (const char *p = buf, *e = buf + n; p < e; ) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));

		if (k == capl && (v = realloc(v, (capl *= 2) * sizeof *v)) == NULL)
			die(CA_EX_SOFTWARE, "out of memory");
		v[k++] = (size_t)(nl - buf) + 1;
		p = nl + 1;
	}
	*len = n;
	*line = v;
	*nlines = k - 1;
	return buf;
}

/* Every narrative's result as JSON, one a line, with one screener. */
static void
dump(ca_screener *s, const job *j, const char *path)
{
	FILE *o = fopen(path, "w");
	ca_strbuf b;

	if (o == NULL)
		die(CA_EX_IOERR, "cannot write %s: %s", path, strerror(errno));
	ca_strbuf_init(&b);
	for (size_t i = 0; i < j->nlines; i++) {
		const ca_screen_result *r;
		size_t a = j->line[i], e = j->line[i + 1] - 1;
		ca_err err = { 0 };
		int rc;

		if ((rc = ca_screen(s, j->text + a, e - a, &r, &err)) != 0)
			die(rc, "narrative %zu: %s", i + 1, err.msg);
		ca_strbuf_reset(&b);
		ca_screen_json(r, &b);
		ca_strbuf_adds(&b, "\n");
		if (ca_strbuf_failed(&b))
			die(CA_EX_SOFTWARE, "out of memory");
		if (fwrite(b.data, 1, b.len, o) != b.len)
			die(CA_EX_IOERR, "cannot write %s: %s", path, strerror(errno));
	}
	ca_strbuf_free(&b);
	if (fclose(o) != 0)
		die(CA_EX_IOERR, "cannot write %s: %s", path, strerror(errno));
}

static int
screen(const char *rules, const char *path, int personal_data, int prefilter, int threads,
    int repeat, const char *label, const char *dumpto)
{
	ca_ruleset *rs = load_rules(rules);
	size_t len, *line, nlines;
	char *text = slurp(path, &len, &line, &nlines);
	worker *w = calloc((size_t)threads, sizeof *w);
	job j = { text, line, nlines, 0 };
	tally sum = { 0 };
	double wall0, cpu0, wall = 0, cpu = 0;

	if (w == NULL)
		die(CA_EX_SOFTWARE, "out of memory");
	/* Screeners (their redactors compile patterns) are made before the
	 * clock starts: a run makes them once, not per narrative. */
	for (int i = 0; i < threads; i++) {
		ca_err err = { 0 };
		int rc;

		w[i].job = &j;
		if ((rc = ca_screener_new(rs, &w[i].s, &err)) != 0)
			die(rc, "%s", err.msg);
		ca_screener_set_personal_data(w[i].s, personal_data);
		ca_screener_set_prefilter(w[i].s, prefilter);
	}

	/* Best of `repeat` runs: the figure least disturbed by whatever else
	 * the machine is doing.  "Best" is the least CPU time, as the target
	 * is per core; the wall clock of that same run is printed beside it.
	 * Each run starts from a clean tally. */
	for (int rep = 0; rep < repeat; rep++) {
		double w1, c1;

		atomic_store(&j.next, 0);
		for (int i = 0; i < threads; i++)
			memset(&w[i].t, 0, sizeof w[i].t);
		wall0 = clock_s(CLOCK_MONOTONIC);
		cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		if (threads == 1) {
			run(&w[0]);
		} else {
			for (int i = 0; i < threads; i++)
				if ((errno = pthread_create(&w[i].tid, NULL, run, &w[i])) != 0)
					die(CA_EX_SOFTWARE, "cannot start a thread: %s", strerror(errno));
			for (int i = 0; i < threads; i++)
				pthread_join(w[i].tid, NULL);
		}
		c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
		w1 = clock_s(CLOCK_MONOTONIC) - wall0;
		for (int i = 0; i < threads; i++)
			if (w[i].t.rc != 0)
				die(w[i].t.rc, "%s", w[i].t.err.msg);
		if (rep == 0 || c1 < cpu) {
			wall = w1;
			cpu = c1;
		}
	}

	for (int i = 0; i < threads; i++) {
		const tally *t = &w[i].t;
		size_t ran, skipped;

		sum.matches += t->matches;
		sum.limit_hits += t->limit_hits;
		sum.limit_narratives += t->limit_narratives;
		sum.personal_data += t->personal_data;
		for (int f = 0; f < CA_FLAG_COUNT; f++)
			sum.flags[f] += t->flags[f];
		/* the screener's counts run on over the repeats */
		ca_screener_stats(w[i].s, &ran, &skipped);
		sum.ran += ran / (size_t)repeat;
		sum.skipped += skipped / (size_t)repeat;
	}

	printf("result %s %zu %.6f %.6f %zu %llu\n", label, len, wall, cpu, nlines, sum.matches);
	printf("info %s: %zu narratives, %llu matches, %llu limit hits in %llu narratives\n",
	    label, nlines, sum.matches, sum.limit_hits, sum.limit_narratives);
	printf("info %s: personal-data spans %llu\n", label, sum.personal_data);
	printf("info %s: patterns run %zu, skipped by the prefilter %zu (%.1f%% skipped)\n",
	    label, sum.ran, sum.skipped,
	    sum.ran + sum.skipped ? 100.0 * (double)sum.skipped / (double)(sum.ran + sum.skipped) : 0.0);
	printf("info %s: flags:", label);
	for (int f = 0; f < CA_FLAG_COUNT; f++)
		printf(" %s=%llu", ca_flag_ids[f], sum.flags[f]);
	printf("\n");

	if (dumpto != NULL)
		dump(w[0].s, &j, dumpto);
	for (int i = 0; i < threads; i++)
		ca_screener_free(w[i].s);
	free(w);
	free(line);
	free(text);
	ca_ruleset_free(rs);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "extract") == 0 && argc == 4)
		return extract(argv[2], argv[3]);
	if (strcmp(argv[1], "patterns") == 0 && argc == 4)
		return patterns(argv[2], argv[3]);
	if (strcmp(argv[1], "screen") == 0 && argc >= 4) {
		int personal_data = 1, prefilter = 1, threads = 1, repeat = 1;
		const char *label = "caseaudit", *dumpto = NULL;

		for (int i = 4; i < argc; i++) {
			if (i + 1 >= argc)
				usage();
			if (strcmp(argv[i], "--personal-data") == 0) {
				const char *v = argv[++i];

				if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
					usage();
				personal_data = strcmp(v, "on") == 0;
			} else if (strcmp(argv[i], "--prefilter") == 0) {
				const char *v = argv[++i];

				if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
					usage();
				prefilter = strcmp(v, "on") == 0;
			} else if (strcmp(argv[i], "--threads") == 0) {
				char *end;
				long n = strtol(argv[++i], &end, 10);

				if (*end != '\0' || n < 1 || n > 256)
					usage();
				threads = (int)n;
			} else if (strcmp(argv[i], "--repeat") == 0) {
				char *end;
				long n = strtol(argv[++i], &end, 10);

				if (*end != '\0' || n < 1 || n > 100)
					usage();
				repeat = (int)n;
			} else if (strcmp(argv[i], "--label") == 0) {
				label = argv[++i];
			} else if (strcmp(argv[i], "--dump") == 0) {
				dumpto = argv[++i];
			} else {
				usage();
			}
		}
		return screen(argv[2], argv[3], personal_data, prefilter, threads, repeat, label,
		    dumpto);
	}
	usage();
	return CA_EX_USAGE;
}
