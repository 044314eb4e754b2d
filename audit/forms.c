/*
 * forms.c - a checklist file read, checked and made canonical; see forms.h.
 *
 * The checks follow the file from top to bottom and never stop early: a QA
 * lead who mistyped three keys should learn of all three at once.  Each
 * message names the key it is about and quotes a value only when short,
 * with control characters masked, so a message is one clean line.
 * forms/README.md is the users' description of the same rules: change both.
 */
#include "forms.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output.h"
#include "utf8.h"

const char *const ca_form_domains[] = {
	"holistic", "strengths", "risk", "carers", "outcomes", "recording", NULL
};
const char *const ca_form_types[] = {
	"care_act_assessment", "carers_assessment", "review", NULL
};

#define MAX_ID 64
#define MAX_WEIGHT 100.0

/* ---- problems --------------------------------------------------------- */

void
ca_form_problems_init(ca_form_problems *p, const char *path)
{
	memset(p, 0, sizeof *p);
	p->path = strdup(path != NULL ? path : "-");
	if (p->path == NULL)
		p->oom = 1;
}

void
ca_form_problems_free(ca_form_problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].msg);
	free(p->items);
	free(p->path);
	memset(p, 0, sizeof *p);
}

static void
problems_addv(ca_form_problems *p, int line, int col, const char *fmt, va_list ap)
{
	ca_form_problem *items;
	va_list copy;
	char *msg;
	int len;

	if (p->n >= CA_FORM_MAX_PROBLEMS) {
		p->dropped++;
		return;
	}
	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0 || (msg = malloc((size_t)len + 1)) == NULL) {
		p->oom = 1;
		return;
	}
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;

		if ((items = realloc(p->items, cap * sizeof *items)) == NULL) {
			free(msg);
			p->oom = 1;
			return;
		}
		p->items = items;
		p->cap = cap;
	}
	p->items[p->n].line = line;
	p->items[p->n].col = col;
	p->items[p->n].msg = msg;
	p->n++;
}

void
ca_form_problems_add(ca_form_problems *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problems_addv(p, line, col, fmt, ap);
	va_end(ap);
}

void
ca_form_problems_print(ca_form_problems *p, FILE *out)
{
	/* Insertion sort: stable, and a file has at most a few hundred. */
	for (size_t i = 1; i < p->n; i++) {
		ca_form_problem t = p->items[i];
		size_t j = i;

		while (j > 0 && (p->items[j - 1].line > t.line ||
		    (p->items[j - 1].line == t.line && p->items[j - 1].col > t.col))) {
			p->items[j] = p->items[j - 1];
			j--;
		}
		p->items[j] = t;
	}
	for (size_t i = 0; i < p->n; i++)
		fprintf(out, "%s:%d:%d: %s\n", p->path, p->items[i].line, p->items[i].col,
		    p->items[i].msg);
	if (p->dropped > 0)
		fprintf(out, "%s: %zu more problems not listed\n", p->path, p->dropped);
	if (p->oom)
		fprintf(out, "%s: some problems could not be listed (out of memory)\n", p->path);
}

/* ---- the checker ------------------------------------------------------ */

typedef struct checker {
	ca_form_problems *p;
	int oom;
} checker;

static void
problem(checker *c, const ca_yaml_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(checker *c, const ca_yaml_node *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problems_addv(c->p, at != NULL ? at->line : 1, at != NULL ? at->col : 1, fmt, ap);
	va_end(ap);
}

static char *
dup_or_oom(checker *c, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		c->oom = 1;
	return d;
}

/* A scalar's value fit to quote in a message: at most 40 bytes, cut at a
 * character boundary, control characters and quotes masked. */
static const char *
shown(const ca_yaml_node *n, char buf[64])
{
	size_t i, o = 0, len;

	if (n == NULL || n->kind != CA_YAML_SCALAR)
		return "";
	len = n->len;
	for (i = 0; i < len && o < 40; i++) {
		unsigned char ch = (unsigned char)n->value[i];

		buf[o++] = ch < 0x20 || ch == 0x7f || ch == '"' ? '?' : (char)ch;
	}
	if (i < len) {
		while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
			o--;
		if (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
			o--;
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o] = '\0';
	return buf;
}

/* "text \"x\"", "a list", "a mapping": what was found instead. */
static const char *
found(const ca_yaml_node *n, char buf[96])
{
	char v[64];

	if (n == NULL)
		return "nothing";
	if (n->kind != CA_YAML_SCALAR)
		return ca_yaml_kind_name(n);
	if (n->plain && n->len == 0)
		return "nothing";
	snprintf(buf, 96, "\"%s\"%s", shown(n, v), n->plain ? "" : " in quotes");
	return buf;
}

static int
in_list(const char *s, const char *const *list)
{
	for (int i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

/* "a, b or c" for messages. */
static void
join_or(char *buf, size_t size, const char *const *items, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++) {
		int w = snprintf(buf + o, size - o, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
		    items[i]);

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

static size_t
count_list(const char *const *list)
{
	size_t n = 0;

	while (list[n] != NULL)
		n++;
	return n;
}

/* Edit distance, for "did you mean": keys are short, so the plain table. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[MAX_ID + 1];

	if (la > MAX_ID || lb > MAX_ID)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static const char *
nearest(const char *key, const char *const *allowed)
{
	const char *best = NULL;
	size_t bestd = 3;

	for (int i = 0; allowed[i] != NULL; i++) {
		size_t d;

		if (strcasecmp(key, allowed[i]) == 0)
			return allowed[i];
		d = distance(key, allowed[i]);
		if (d < bestd) {
			bestd = d;
			best = allowed[i];
		}
	}
	return best;
}

/* Every key known, none twice, every required one there.  `where` names
 * the thing for messages ("the checklist", "question \"x\""). */
static void
check_keys(checker *c, const ca_yaml_node *map, const char *where,
    const char *const *allowed, const char *const *required)
{
	char v[64], list[512];

	for (size_t i = 0; i < map->n; i++) {
		const ca_yaml_node *k = map->keys[i];
		const char *near;

		if (in_list(k->value, allowed) < 0 || strlen(k->value) != k->len) {
			if (strcmp(where, "the checklist") == 0 && strcmp(k->value, "version") == 0) {
				problem(c, k, "unknown key \"version\" in %s (caseaudit numbers the "
				    "versions itself: loading changed content makes the next one)", where);
				continue;
			}
			near = nearest(k->value, allowed);
			if (near != NULL) {
				problem(c, k, "unknown key \"%s\" in %s (did you mean \"%s\"?)",
				    shown(k, v), where, near);
			} else {
				join_or(list, sizeof list, allowed, count_list(allowed));
				problem(c, k, "unknown key \"%s\" in %s (expected %s)", shown(k, v),
				    where, list);
			}
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(map->keys[j]->value, k->value) == 0) {
				problem(c, k, "\"%s\" appears twice in %s (first on line %d)",
				    k->value, where, map->keys[j]->line);
				break;
			}
		}
	}
	for (int r = 0; required[r] != NULL; r++)
		if (ca_yaml_get(map, required[r]) == NULL)
			problem(c, map, "%s has no \"%s\"", where, required[r]);
}

static int
is_null_word(const ca_yaml_node *n)
{
	return n->plain && (n->len == 0 || strcmp(n->value, "~") == 0 ||
	    strcmp(n->value, "null") == 0 || strcmp(n->value, "Null") == 0 ||
	    strcmp(n->value, "NULL") == 0);
}

/* A text value, trimmed.  NULL (with a problem) when it is not text, is
 * empty, or holds what no text should: NUL, control characters, bad UTF-8. */
static char *
text_of(checker *c, const ca_yaml_node *n, const char *key)
{
	char buf[96];
	size_t start = 0, end, where;

	if (n == NULL)
		return NULL;
	if (n->kind != CA_YAML_SCALAR) {
		problem(c, n, "%s: expected text, found %s", key, found(n, buf));
		return NULL;
	}
	if (is_null_word(n)) {
		problem(c, n, "%s: is empty", key);
		return NULL;
	}
	if (ca_utf8_check((const unsigned char *)n->value, n->len, &where) != CA_UTF8_OK) {
		problem(c, n, "%s: contains a NUL character or bytes that are not UTF-8", key);
		return NULL;
	}
	for (size_t i = 0; i < n->len; i++) {
		unsigned char ch = (unsigned char)n->value[i];

		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
			problem(c, n, "%s: contains a control character", key);
			return NULL;
		}
	}
	end = n->len;
	while (start < end && strchr(" \t\n", n->value[start]) != NULL)
		start++;
	while (end > start && strchr(" \t\n", n->value[end - 1]) != NULL)
		end--;
	if (start == end) {
		problem(c, n, "%s: is empty", key);
		return NULL;
	}
	{
		char *s = malloc(end - start + 1);

		if (s == NULL) {
			c->oom = 1;
			return NULL;
		}
		memcpy(s, n->value + start, end - start);
		s[end - start] = '\0';
		return s;
	}
}

/* Ids: a lower-case letter, then letters, digits and `sep` characters. */
static int
id_shape(const char *s, size_t len, char sep)
{
	if (len == 0 || len > MAX_ID || strlen(s) != len || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == sep))
			return 0;
	return 1;
}

/* An id (sep '_') or a checklist name (sep '-'), kept as written. */
static char *
id_of(checker *c, const ca_yaml_node *n, const char *key, char sep)
{
	char buf[96];

	if (n == NULL)
		return NULL;
	if (n->kind != CA_YAML_SCALAR || is_null_word(n)) {
		problem(c, n, "%s: expected %s, found %s", key,
		    sep == '-' ? "a name such as care-act-assessment" : "an id such as risk_plan",
		    found(n, buf));
		return NULL;
	}
	if (!id_shape(n->value, n->len, sep)) {
		char v[64];

		if (sep == '-')
			problem(c, n, "%s: \"%s\" is not a valid name (lower-case letters, digits "
			    "and hyphens, starting with a letter, at most %d characters, such as "
			    "care-act-assessment)", key, shown(n, v), MAX_ID);
		else
			problem(c, n, "%s: \"%s\" is not a valid id (lower-case letters, digits and "
			    "underscores, starting with a letter, at most %d characters, such as "
			    "risk_plan)", key, shown(n, v), MAX_ID);
		return NULL;
	}
	return dup_or_oom(c, n->value);
}

/* A plain decimal number: digits with an optional fraction.  No signs,
 * exponents, hex or infinities: a weight or score is written as people
 * write numbers. */
static int
number_of(checker *c, const ca_yaml_node *n, const char *key, const char *range,
    double lo, int lo_open, double hi, double *out)
{
	char buf[96];
	size_t i = 0, digits = 0;

	if (n->kind == CA_YAML_SCALAR && n->plain && n->len > 0 && n->len <= 20) {
		while (i < n->len && n->value[i] >= '0' && n->value[i] <= '9')
			i++, digits++;
		if (i < n->len && n->value[i] == '.') {
			size_t frac = 0;

			for (i++; i < n->len && n->value[i] >= '0' && n->value[i] <= '9'; i++)
				frac++;
			/* "0.5" and ".5" are numbers; "5." and "." are not. */
			digits = frac == 0 ? 0 : digits + frac;
		}
		if (digits > 0 && i == n->len) {
			double v = strtod(n->value, NULL);

			if ((lo_open ? v > lo : v >= lo) && v <= hi) {
				*out = v;
				return 0;
			}
		}
	}
	problem(c, n, "%s: expected %s, found %s", key, range, found(n, buf));
	return -1;
}

static int
bool_of(checker *c, const ca_yaml_node *n, const char *key, int *out)
{
	static const char *const yes[] = { "yes", "true", NULL }, *const no[] = { "no", "false", NULL };
	char buf[96];

	if (n->kind == CA_YAML_SCALAR && n->plain) {
		for (int i = 0; yes[i] != NULL; i++) {
			if (strcasecmp(n->value, yes[i]) == 0) {
				*out = 1;
				return 0;
			}
			if (strcasecmp(n->value, no[i]) == 0) {
				*out = 0;
				return 0;
			}
		}
	}
	problem(c, n, "%s: expected yes or no%s, found %s", key,
	    n->kind == CA_YAML_SCALAR && !n->plain ? " without quotes" : "", found(n, buf));
	return -1;
}

/* A list under key; a missing or empty value (`key:` with nothing) counts
 * as an empty list and gives *empty = 1. */
static const ca_yaml_node *
list_of(checker *c, const ca_yaml_node *n, const char *key, const char *example)
{
	char buf[96];

	if (n == NULL)
		return NULL;
	if (n->kind == CA_YAML_SEQ)
		return n;
	if (n->kind == CA_YAML_SCALAR && is_null_word(n))
		return n;        /* an empty list, written as nothing */
	problem(c, n, "%s: expected a list%s%s, found %s", key, example ? " such as " : "",
	    example ? example : "", found(n, buf));
	return NULL;
}

static size_t
items_of(const ca_yaml_node *list)
{
	return list != NULL && list->kind == CA_YAML_SEQ ? list->n : 0;
}

/* ---- scales ----------------------------------------------------------- */

static const char *const scale_keys[] = { "id", "ratings", NULL };
static const char *const scale_required[] = { "id", "ratings", NULL };
static const char *const rating_keys[] = { "id", "label", "score", NULL };
static const char *const rating_required[] = { "id", "label", "score", NULL };

static void
parse_rating(checker *c, const ca_yaml_node *n, const char *scale_id, ca_form_rating *r)
{
	const ca_yaml_node *v;
	char where[128], buf[96];

	if (scale_id != NULL)
		snprintf(where, sizeof where, "a rating of scale \"%s\"", scale_id);
	else
		snprintf(where, sizeof where, "a rating");
	if (n->kind != CA_YAML_MAP) {
		problem(c, n, "ratings: each rating is a mapping with id, label and score, found %s",
		    found(n, buf));
		return;
	}
	check_keys(c, n, where, rating_keys, rating_required);
	r->id = id_of(c, ca_yaml_get(n, "id"), "id", '_');
	r->label = text_of(c, ca_yaml_get(n, "label"), "label");
	if ((v = ca_yaml_get(n, "score")) != NULL) {
		if (v->kind == CA_YAML_SCALAR && v->plain && strcmp(v->value, "excluded") == 0)
			r->scored = 0;
		else if (number_of(c, v, "score", "a number from 0 to 1, or excluded", 0, 0, 1,
		    &r->score) == 0)
			r->scored = 1;
	}
}

static void
parse_scale(checker *c, const ca_yaml_node *n, ca_form_scale *s)
{
	const ca_yaml_node *ratings;
	char where[128], buf[96];
	int any_scored = 0;

	if (n->kind != CA_YAML_MAP) {
		problem(c, n, "scales: each scale is a mapping with id and ratings, found %s",
		    found(n, buf));
		return;
	}
	s->id = id_of(c, ca_yaml_get(n, "id"), "id", '_');
	snprintf(where, sizeof where, "scale \"%s\"", s->id ? s->id : "?");
	check_keys(c, n, s->id ? where : "a scale", scale_keys, scale_required);
	ratings = list_of(c, ca_yaml_get(n, "ratings"), "ratings", NULL);
	if (ratings == NULL)
		return;
	if (items_of(ratings) < 2) {
		problem(c, ratings, "ratings: scale \"%s\" needs at least two ratings",
		    s->id ? s->id : "?");
		if (items_of(ratings) == 0)
			return;
	}
	if ((s->ratings = calloc(ratings->n, sizeof *s->ratings)) == NULL) {
		c->oom = 1;
		return;
	}
	s->n_ratings = ratings->n;
	for (size_t i = 0; i < ratings->n; i++) {
		parse_rating(c, ratings->items[i], s->id, &s->ratings[i]);
		any_scored |= s->ratings[i].scored;
		for (size_t j = 0; s->ratings[i].id != NULL && j < i; j++)
			if (s->ratings[j].id != NULL && strcmp(s->ratings[j].id, s->ratings[i].id) == 0) {
				problem(c, ca_yaml_get(ratings->items[i], "id"),
				    "id: rating \"%s\" appears twice in scale \"%s\" (first on line %d)",
				    s->ratings[i].id, s->id ? s->id : "?",
				    ratings->items[j]->line);
				break;
			}
	}
	if (!any_scored)
		problem(c, ratings, "ratings: no rating of scale \"%s\" counts in scores "
		    "(give at least one a score from 0 to 1)", s->id ? s->id : "?");
}

static void
parse_scales(checker *c, const ca_yaml_node *n, ca_form *f)
{
	const ca_yaml_node *list = list_of(c, n, "scales", NULL);

	if (list == NULL)
		return;
	if (items_of(list) == 0) {
		problem(c, list, "scales: a checklist needs at least one scale");
		return;
	}
	if ((f->scales = calloc(list->n, sizeof *f->scales)) == NULL) {
		c->oom = 1;
		return;
	}
	f->n_scales = list->n;
	for (size_t i = 0; i < list->n; i++) {
		parse_scale(c, list->items[i], &f->scales[i]);
		for (size_t j = 0; f->scales[i].id != NULL && j < i; j++)
			if (f->scales[j].id != NULL && strcmp(f->scales[j].id, f->scales[i].id) == 0) {
				problem(c, ca_yaml_get(list->items[i], "id"),
				    "id: scale \"%s\" appears twice (first on line %d)",
				    f->scales[i].id, list->items[j]->line);
				break;
			}
	}
}

/* ---- questions and sections ------------------------------------------- */

static const char *const question_keys[] = {
	"id", "text", "guidance", "scale", "weight", "required", "evidence_required_for",
	"prompts", NULL
};
static const char *const question_required[] = { "id", "text", "guidance", NULL };
static const char *const guidance_keys[] = { "good", "partial", "poor", NULL };
static const char *const section_keys[] = { "title", "domain", "questions", NULL };
static const char *const section_required[] = { "title", "domain", "questions", NULL };

static const ca_form_rating *
rating_named(const ca_form_scale *s, const char *id)
{
	for (size_t i = 0; i < s->n_ratings; i++)
		if (s->ratings[i].id != NULL && strcmp(s->ratings[i].id, id) == 0)
			return &s->ratings[i];
	return NULL;
}

static void
scale_ratings_list(const ca_form_scale *s, char *buf, size_t size)
{
	const char *ids[32];
	size_t n = 0;

	for (size_t i = 0; i < s->n_ratings && n < 32; i++)
		if (s->ratings[i].id != NULL)
			ids[n++] = s->ratings[i].id;
	join_or(buf, size, ids, n);
}

static void
parse_guidance(checker *c, const ca_yaml_node *n, ca_form_question *q)
{
	char buf[96];

	if (n->kind != CA_YAML_MAP) {
		problem(c, n, "guidance: expected good:, partial: and poor: (what such evidence "
		    "looks like), found %s", found(n, buf));
		return;
	}
	check_keys(c, n, "guidance", guidance_keys, guidance_keys);
	q->good = text_of(c, ca_yaml_get(n, "good"), "good");
	q->partial = text_of(c, ca_yaml_get(n, "partial"), "partial");
	q->poor = text_of(c, ca_yaml_get(n, "poor"), "poor");
}

/* What may name a rating or a screening rule: ids are shown in lists
 * joined with commas and typed on command lines, so nothing else. */
static int
ref_shape(const ca_yaml_node *n)
{
	if (n->len == 0 || n->len > MAX_ID || strlen(n->value) != n->len)
		return 0;
	for (size_t i = 0; i < n->len; i++) {
		char ch = n->value[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.'))
			return 0;
	}
	return 1;
}

/* A list of ids with places; a repeated one is reported. */
static void
parse_refs(checker *c, const ca_yaml_node *list, const char *key, ca_form_ref **out,
    size_t *n_out)
{
	char buf[96], v[64];
	ca_form_ref *refs;
	size_t n = 0;

	if (items_of(list) == 0)
		return;
	if ((refs = calloc(list->n, sizeof *refs)) == NULL) {
		c->oom = 1;
		return;
	}
	for (size_t i = 0; i < list->n; i++) {
		const ca_yaml_node *it = list->items[i];
		int dup = 0;

		if (it->kind != CA_YAML_SCALAR || is_null_word(it)) {
			problem(c, it, "%s: expected an id, found %s", key, found(it, buf));
			continue;
		}
		if (!ref_shape(it)) {
			problem(c, it, "%s: \"%s\" is not an id (letters, digits, _, - and ., "
			    "at most %d characters)", key, shown(it, v), MAX_ID);
			continue;
		}
		for (size_t j = 0; j < n && !dup; j++)
			if (strcmp(refs[j].id, it->value) == 0) {
				problem(c, it, "%s: \"%s\" is listed twice", key, shown(it, v));
				dup = 1;
			}
		if (dup)
			continue;
		if ((refs[n].id = dup_or_oom(c, it->value)) == NULL)
			continue;
		refs[n].line = it->line;
		refs[n].col = it->col;
		n++;
	}
	*out = refs;
	*n_out = n;
}

static void
parse_question(checker *c, const ca_yaml_node *n, const ca_form *f, ca_form_question *q)
{
	const ca_yaml_node *v, *list;
	char where[128], buf[96], names[512];
	const ca_form_scale *scale = NULL;
	int scale_ok = 1;

	q->line = n->line;
	q->col = n->col;
	q->weight = 1;
	q->required = 1;
	if (n->kind != CA_YAML_MAP) {
		problem(c, n, "questions: each question is a mapping with id, text and guidance, "
		    "found %s", found(n, buf));
		return;
	}
	if ((v = ca_yaml_get(n, "id")) != NULL) {
		/* A repeated id is reported where the id itself stands. */
		q->id = id_of(c, v, "id", '_');
		q->line = v->line;
		q->col = v->col;
	}
	snprintf(where, sizeof where, "question \"%s\"", q->id ? q->id : "?");
	check_keys(c, n, q->id ? where : "a question", question_keys, question_required);
	q->text = text_of(c, ca_yaml_get(n, "text"), "text");
	if ((v = ca_yaml_get(n, "guidance")) != NULL)
		parse_guidance(c, v, q);
	if ((v = ca_yaml_get(n, "weight")) != NULL)
		number_of(c, v, "weight", "a number greater than 0 and at most 100", 0, 1,
		    MAX_WEIGHT, &q->weight);
	if ((v = ca_yaml_get(n, "required")) != NULL)
		bool_of(c, v, "required", &q->required);
	if ((v = ca_yaml_get(n, "scale")) != NULL) {
		char *id = id_of(c, v, "scale", '_');

		scale_ok = 0;
		for (size_t i = 0; id != NULL && i < f->n_scales; i++)
			if (f->scales[i].id != NULL && strcmp(f->scales[i].id, id) == 0) {
				q->scale = i;
				scale_ok = 1;
			}
		if (id != NULL && !scale_ok && f->n_scales > 0) {
			const char *ids[32];
			size_t k = 0;

			for (size_t i = 0; i < f->n_scales && k < 32; i++)
				if (f->scales[i].id != NULL)
					ids[k++] = f->scales[i].id;
			join_or(names, sizeof names, ids, k);
			problem(c, v, "scale: unknown scale \"%s\" (expected %s)", id, names);
		}
		free(id);
	}
	if (scale_ok && q->scale < f->n_scales)
		scale = &f->scales[q->scale];
	list = list_of(c, ca_yaml_get(n, "evidence_required_for"), "evidence_required_for",
	    "[partially_met, not_met]");
	parse_refs(c, list, "evidence_required_for", &q->evidence, &q->n_evidence);
	for (size_t i = 0; scale != NULL && i < q->n_evidence; i++) {
		if (rating_named(scale, q->evidence[i].id) != NULL)
			continue;
		scale_ratings_list(scale, names, sizeof names);
		ca_form_problems_add(c->p, q->evidence[i].line, q->evidence[i].col,
		    "evidence_required_for: \"%s\" is not a rating of scale \"%s\" (expected %s)",
		    q->evidence[i].id, scale->id ? scale->id : "?", names);
	}
	list = list_of(c, ca_yaml_get(n, "prompts"), "prompts", "[person_voice]");
	parse_refs(c, list, "prompts", &q->prompts, &q->n_prompts);
}

static void
parse_section(checker *c, const ca_yaml_node *n, const ca_form *f, ca_form_section *s)
{
	const ca_yaml_node *v, *list;
	char where[256], buf[96], v64[64], names[256];

	if (n->kind != CA_YAML_MAP) {
		problem(c, n, "sections: each section is a mapping with title, domain and "
		    "questions, found %s", found(n, buf));
		return;
	}
	s->title = text_of(c, ca_yaml_get(n, "title"), "title");
	if (s->title != NULL)
		snprintf(where, sizeof where, "section \"%.60s\"", s->title);
	check_keys(c, n, s->title ? where : "a section", section_keys, section_required);
	if ((v = ca_yaml_get(n, "domain")) != NULL) {
		int d = v->kind == CA_YAML_SCALAR ? in_list(v->value, ca_form_domains) : -1;

		if (d >= 0 && strlen(v->value) == v->len) {
			s->domain = ca_form_domains[d];
		} else {
			join_or(names, sizeof names, ca_form_domains, CA_FORM_NDOMAINS);
			if (v->kind == CA_YAML_SCALAR && !is_null_word(v))
				problem(c, v, "domain: unknown domain \"%s\" (expected %s)",
				    shown(v, v64), names);
			else
				problem(c, v, "domain: expected one of %s, found %s", names,
				    found(v, buf));
		}
	}
	v = ca_yaml_get(n, "questions");
	if (v == NULL)
		return;
	list = list_of(c, v, "questions", NULL);
	if (list == NULL)
		return;
	if (items_of(list) == 0) {
		problem(c, v, "questions: %s has no questions", s->title ? where : "this section");
		return;
	}
	if ((s->questions = calloc(list->n, sizeof *s->questions)) == NULL) {
		c->oom = 1;
		return;
	}
	s->n_questions = list->n;
	for (size_t i = 0; i < list->n; i++)
		parse_question(c, list->items[i], f, &s->questions[i]);
}

/* Question ids are unique across the whole checklist: answers name them. */
static void
check_question_ids(checker *c, const ca_form *f)
{
	for (size_t s = 0; s < f->n_sections; s++) {
		for (size_t i = 0; i < f->sections[s].n_questions; i++) {
			const ca_form_question *q = &f->sections[s].questions[i];
			int done = 0;

			if (q->id == NULL)
				continue;
			for (size_t s2 = 0; s2 <= s && !done; s2++) {
				size_t end = s2 == s ? i : f->sections[s2].n_questions;

				for (size_t j = 0; j < end && !done; j++) {
					const ca_form_question *o = &f->sections[s2].questions[j];

					if (o->id != NULL && strcmp(o->id, q->id) == 0) {
						ca_form_problems_add(c->p, q->line, q->col,
						    "id: question id \"%s\" is used twice (first on line %d)",
						    q->id, o->line);
						done = 1;
					}
				}
			}
		}
	}
}

static void
parse_applies_to(checker *c, const ca_yaml_node *n, ca_form *f)
{
	const ca_yaml_node *list = list_of(c, n, "applies_to", "[care_act_assessment]");
	char names[256], v[64], buf[96];

	if (list == NULL)
		return;
	join_or(names, sizeof names, ca_form_types, CA_FORM_NTYPES);
	for (size_t i = 0; i < items_of(list); i++) {
		const ca_yaml_node *it = list->items[i];
		int t = it->kind == CA_YAML_SCALAR && strlen(it->value) == it->len ?
		    in_list(it->value, ca_form_types) : -1;

		if (t < 0) {
			if (it->kind == CA_YAML_SCALAR)
				problem(c, it, "applies_to: unknown assessment type \"%s\" (expected %s)",
				    shown(it, v), names);
			else
				problem(c, it, "applies_to: expected an assessment type (%s), found %s",
				    names, found(it, buf));
		} else if (f->applies[t]) {
			problem(c, it, "applies_to: \"%s\" is listed twice", it->value);
		} else {
			f->applies[t] = 1;
		}
	}
	if (items_of(list) == 0)
		problem(c, list, "applies_to: name at least one assessment type (%s)", names);
}

static const char *const form_keys[] = {
	"name", "title", "description", "applies_to", "scales", "sections", NULL
};
static const char *const form_required[] = {
	"name", "title", "applies_to", "scales", "sections", NULL
};

int
ca_form_from_yaml(const ca_yaml_doc *doc, ca_form_problems *problems, ca_form **out,
    ca_err *err)
{
	checker c = { .p = problems };
	const ca_yaml_node *root = doc->root, *v, *list;
	size_t before = problems->n + problems->dropped;
	char buf[96];
	ca_form *f;

	*out = NULL;
	if (root == NULL || (root->kind == CA_YAML_SCALAR && is_null_word(root))) {
		ca_form_problems_add(problems, 1, 1, "the file is empty (a checklist starts "
		    "with name:, title:, applies_to:, scales: and sections:)");
		return CA_EX_DATAERR;
	}
	if (root->kind != CA_YAML_MAP) {
		problem(&c, root, "expected a checklist (a mapping that starts with name:), found %s",
		    found(root, buf));
		return CA_EX_DATAERR;
	}
	if ((f = calloc(1, sizeof *f)) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
	check_keys(&c, root, "the checklist", form_keys, form_required);
	if ((v = ca_yaml_get(root, "name")) != NULL) {
		f->name = id_of(&c, v, "name", '-');
		f->name_line = v->line;
		f->name_col = v->col;
	}
	f->title = text_of(&c, ca_yaml_get(root, "title"), "title");
	if ((v = ca_yaml_get(root, "description")) != NULL)
		f->description = text_of(&c, v, "description");
	if ((v = ca_yaml_get(root, "applies_to")) != NULL)
		parse_applies_to(&c, v, f);
	if ((v = ca_yaml_get(root, "scales")) != NULL)
		parse_scales(&c, v, f);
	if ((v = ca_yaml_get(root, "sections")) != NULL &&
	    (list = list_of(&c, v, "sections", NULL)) != NULL) {
		if (items_of(list) == 0) {
			problem(&c, list, "sections: a checklist needs at least one section");
		} else if ((f->sections = calloc(list->n, sizeof *f->sections)) == NULL) {
			c.oom = 1;
		} else {
			f->n_sections = list->n;
			for (size_t i = 0; i < list->n; i++)
				parse_section(&c, list->items[i], f, &f->sections[i]);
			check_question_ids(&c, f);
		}
	}
	if (c.oom || problems->oom) {
		ca_form_free(f);
		return ca_err_set(err, CA_EX_SOFTWARE, "%s: out of memory", problems->path);
	}
	/* Even a checklist with problems goes back to the caller, so that its
	 * prompts can be checked too and every problem reported in one run. */
	*out = f;
	return problems->n + problems->dropped > before ? CA_EX_DATAERR : 0;
}

void
ca_form_free(ca_form *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n_scales; i++) {
		for (size_t j = 0; j < f->scales[i].n_ratings; j++) {
			free(f->scales[i].ratings[j].id);
			free(f->scales[i].ratings[j].label);
		}
		free(f->scales[i].ratings);
		free(f->scales[i].id);
	}
	free(f->scales);
	for (size_t i = 0; i < f->n_sections; i++) {
		ca_form_section *s = &f->sections[i];

		for (size_t j = 0; j < s->n_questions; j++) {
			ca_form_question *q = &s->questions[j];

			free(q->id);
			free(q->text);
			free(q->good);
			free(q->partial);
			free(q->poor);
			for (size_t k = 0; k < q->n_evidence; k++)
				free(q->evidence[k].id);
			free(q->evidence);
			for (size_t k = 0; k < q->n_prompts; k++)
				free(q->prompts[k].id);
			free(q->prompts);
		}
		free(s->questions);
		free(s->title);
	}
	free(f->sections);
	free(f->name);
	free(f->title);
	free(f->description);
	free(f);
}

size_t
ca_form_check_prompts(const ca_form *f, const ca_ruleset *rs, const char *source,
    ca_form_problems *problems)
{
	size_t unknown = 0;

	for (size_t s = 0; s < f->n_sections; s++)
		for (size_t i = 0; i < f->sections[s].n_questions; i++) {
			const ca_form_question *q = &f->sections[s].questions[i];

			for (size_t k = 0; k < q->n_prompts; k++) {
				if (ca_ruleset_has(rs, q->prompts[k].id))
					continue;
				ca_form_problems_add(problems, q->prompts[k].line, q->prompts[k].col,
				    "prompts: unknown screening rule \"%.64s\" (not in %s)",
				    q->prompts[k].id, source);
				unknown++;
			}
		}
	return unknown;
}

size_t
ca_form_question_count(const ca_form *f)
{
	size_t n = 0;

	for (size_t s = 0; s < f->n_sections; s++)
		n += f->sections[s].n_questions;
	return n;
}

const ca_form_ref *
ca_form_first_prompt(const ca_form *f)
{
	for (size_t s = 0; s < f->n_sections; s++)
		for (size_t i = 0; i < f->sections[s].n_questions; i++)
			if (f->sections[s].questions[i].n_prompts > 0)
				return &f->sections[s].questions[i].prompts[0];
	return NULL;
}

/* ---- canonical JSON ----------------------------------------------------- */

static void
key(ca_strbuf *b, const char *k, int first)
{
	if (!first)
		ca_strbuf_add(b, ",", 1);
	ca_json_string(b, k);
	ca_strbuf_add(b, ":", 1);
}

static void
question_json(ca_strbuf *b, const ca_form *f, const ca_form_question *q)
{
	const ca_form_scale *sc = &f->scales[q->scale];
	int first = 1;

	ca_strbuf_adds(b, "{");
	key(b, "id", 1);
	ca_json_string(b, q->id);
	key(b, "text", 0);
	ca_json_string(b, q->text);
	key(b, "guidance", 0);
	ca_strbuf_adds(b, "{");
	key(b, "good", 1);
	ca_json_string(b, q->good);
	key(b, "partial", 0);
	ca_json_string(b, q->partial);
	key(b, "poor", 0);
	ca_json_string(b, q->poor);
	ca_strbuf_adds(b, "}");
	key(b, "scale", 0);
	ca_json_string(b, sc->id);
	key(b, "weight", 0);
	ca_json_number(b, q->weight);
	key(b, "required", 0);
	ca_strbuf_adds(b, q->required ? "true" : "false");
	/* A set: written in the scale's order, however the file lists it. */
	key(b, "evidence_required_for", 0);
	ca_strbuf_adds(b, "[");
	for (size_t r = 0; r < sc->n_ratings; r++)
		for (size_t k = 0; k < q->n_evidence; k++)
			if (strcmp(q->evidence[k].id, sc->ratings[r].id) == 0) {
				if (!first)
					ca_strbuf_adds(b, ",");
				ca_json_string(b, sc->ratings[r].id);
				first = 0;
			}
	ca_strbuf_adds(b, "]");
	/* Prompts keep their order: it is the order auditors see them in. */
	key(b, "prompts", 0);
	ca_strbuf_adds(b, "[");
	for (size_t k = 0; k < q->n_prompts; k++) {
		if (k > 0)
			ca_strbuf_adds(b, ",");
		ca_json_string(b, q->prompts[k].id);
	}
	ca_strbuf_adds(b, "]}");
}

void
ca_form_to_json(const ca_form *f, ca_strbuf *b)
{
	int first = 1;

	ca_strbuf_adds(b, "{");
	key(b, "name", 1);
	ca_json_string(b, f->name);
	key(b, "title", 0);
	ca_json_string(b, f->title);
	if (f->description != NULL) {
		key(b, "description", 0);
		ca_json_string(b, f->description);
	}
	/* A set too: always in the contract's order of types. */
	key(b, "applies_to", 0);
	ca_strbuf_adds(b, "[");
	for (int t = 0; t < CA_FORM_NTYPES; t++)
		if (f->applies[t]) {
			if (!first)
				ca_strbuf_adds(b, ",");
			ca_json_string(b, ca_form_types[t]);
			first = 0;
		}
	ca_strbuf_adds(b, "]");
	key(b, "scales", 0);
	ca_strbuf_adds(b, "[");
	for (size_t i = 0; i < f->n_scales; i++) {
		const ca_form_scale *s = &f->scales[i];

		ca_strbuf_adds(b, i > 0 ? ",{" : "{");
		key(b, "id", 1);
		ca_json_string(b, s->id);
		key(b, "ratings", 0);
		ca_strbuf_adds(b, "[");
		for (size_t j = 0; j < s->n_ratings; j++) {
			ca_strbuf_adds(b, j > 0 ? ",{" : "{");
			key(b, "id", 1);
			ca_json_string(b, s->ratings[j].id);
			key(b, "label", 0);
			ca_json_string(b, s->ratings[j].label);
			key(b, "score", 0);
			if (s->ratings[j].scored)
				ca_json_number(b, s->ratings[j].score);
			else
				ca_strbuf_adds(b, "null");
			ca_strbuf_adds(b, "}");
		}
		ca_strbuf_adds(b, "]}");
	}
	ca_strbuf_adds(b, "]");
	key(b, "sections", 0);
	ca_strbuf_adds(b, "[");
	for (size_t i = 0; i < f->n_sections; i++) {
		const ca_form_section *s = &f->sections[i];

		ca_strbuf_adds(b, i > 0 ? ",{" : "{");
		key(b, "title", 1);
		ca_json_string(b, s->title);
		key(b, "domain", 0);
		ca_json_string(b, s->domain);
		key(b, "questions", 0);
		ca_strbuf_adds(b, "[");
		for (size_t j = 0; j < s->n_questions; j++) {
			if (j > 0)
				ca_strbuf_adds(b, ",");
			question_json(b, f, &s->questions[j]);
		}
		ca_strbuf_adds(b, "]}");
	}
	ca_strbuf_adds(b, "]}");
}

int
ca_form_digest(const ca_form *f, ca_strbuf *json, char sha[CA_SHA256_HEX_LEN + 1])
{
	ca_strbuf_reset(json);
	ca_form_to_json(f, json);
	if (ca_strbuf_failed(json))
		return -1;
	ca_sha256_hex(json->data, json->len, sha);
	return 0;
}

/* ---- a digest of any YAML document -------------------------------------- */

/* Would YAML read this plain scalar as something other than text (null,
 * a boolean, a number)?  Then quoting it changes its meaning. */
static int
plain_is_typed(const ca_yaml_node *n)
{
	static const char *const words[] = {
		"~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
		"NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off",
		"Off", "OFF", ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", NULL
	};
	const char *s = n->value;

	if (n->len == 0 || in_list(s, words) >= 0)
		return 1;
	if (*s == '-' || *s == '+')
		s++;
	if (*s == '.')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || strchr("_.:+-", *s) != NULL))
			return 0;
	return 1;
}

static void
digest_bytes(ca_sha256 *h, char tag, const char *s, size_t len)
{
	char head[32];
	int n = snprintf(head, sizeof head, "%c%zu:", tag, len);

	ca_sha256_update(h, head, (size_t)n);
	ca_sha256_update(h, s, len);
}

/* A mapping's or list's header: its kind and how many entries follow. */
static void
digest_count(ca_sha256 *h, char tag, size_t n)
{
	char head[32];
	int len = snprintf(head, sizeof head, "%c%zu:", tag, n);

	ca_sha256_update(h, head, (size_t)len);
}

typedef struct pair {
	const ca_yaml_node *k, *v;
} pair;

static int
pair_cmp(const void *a, const void *b)
{
	const ca_yaml_node *x = ((const pair *)a)->k, *y = ((const pair *)b)->k;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->value, y->value, n);

	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static int
digest_node(ca_sha256 *h, const ca_yaml_node *n)
{
	pair *pairs;

	if (n == NULL) {
		digest_bytes(h, 'Z', "", 0);
		return 0;
	}
	switch (n->kind) {
	case CA_YAML_SCALAR:
		digest_bytes(h, n->plain && plain_is_typed(n) ? 'P' : 'T', n->value, n->len);
		return 0;
	case CA_YAML_SEQ:
		digest_count(h, 'S', n->n);
		for (size_t i = 0; i < n->n; i++)
			if (digest_node(h, n->items[i]) != 0)
				return -1;
		return 0;
	case CA_YAML_MAP:
		digest_count(h, 'M', n->n);
		if (n->n == 0)
			return 0;
		if ((pairs = malloc(n->n * sizeof *pairs)) == NULL)
			return -1;
		for (size_t i = 0; i < n->n; i++) {
			pairs[i].k = n->keys[i];
			pairs[i].v = n->items[i];
		}
		qsort(pairs, n->n, sizeof *pairs, pair_cmp);
		for (size_t i = 0; i < n->n; i++) {
			if (digest_node(h, pairs[i].k) != 0 || digest_node(h, pairs[i].v) != 0) {
				free(pairs);
				return -1;
			}
		}
		free(pairs);
		return 0;
	}
	return -1;
}

int
ca_yaml_digest(const ca_yaml_doc *doc, char sha[CA_SHA256_HEX_LEN + 1])
{
	ca_sha256 h;

	if (ca_sha256_init(&h) != 0)
		return -1;
	if (digest_node(&h, doc->root) != 0) {
		ca_sha256_abandon(&h);
		return -1;
	}
	ca_sha256_final_hex(&h, sha);
	return 0;
}
