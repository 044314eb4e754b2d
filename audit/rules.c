/*
 * rules.c - reading, checking and compiling the screening rules; see
 * rules.h.
 *
 * Three parts:
 *   - checking a rules document (ca_ruleset_from_yaml): every problem is
 *     reported with its place, so that the QA lead fixes the file in one
 *     pass, and nothing is kept unless the whole file is sound;
 *   - compiling each pattern once (UTF, UCP, caseless, JIT where the
 *     platform has it) under one match context carrying the limits;
 *   - the literal prefilter: for each pattern, a set of plain strings one of
 *     which every match needs, proved from the pattern's syntax, and one
 *     Aho-Corasick automaton over all of them.  Most rules cannot match most
 *     narratives; one pass of the automaton tells which patterns are worth
 *     running at all.  Where such strings also stand a bounded distance
 *     from the start of every match, the pattern is compiled a second time
 *     anchored, and screen.c tries it only just before each occurrence
 *     instead of scanning the text.  Together these make screening about
 *     forty times faster than running every pattern over every narrative.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "rules.h"

#include <pcre2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const ca_outcome_ids[CA_OUTCOME_COUNT] = {
	"nutrition", "personal_hygiene", "toilet_needs", "clothing", "home_safety",
	"habitable_home", "relationships", "work_education", "community_services",
	"caring_for_child",
};

const char *const ca_category_ids[CA_CAT_COUNT] = {
	"outcome", "person_voice", "strengths", "deficit", "risk", "risk_plan",
	"carer", "carer_offer", "safeguarding", "capacity", "advocacy", "negation",
};

#define MAX_ID 64
/* Prefilter strings shorter than this occur in nearly every text: a
 * pattern whose best string is shorter simply always runs. */
#define MIN_LITERAL 3
/* A prefix of a required string is required too; longer ones only make
 * the automaton bigger. */
#define MAX_LITERAL 16
/* Anchoring pays while a match can start only a few characters before
 * its string; beyond that the pattern scans the whole text instead. */
#define MAX_ANCHOR_BACK 24
/* "(?:is|was) (?:her|his) carer" is read as the strings "is her carer",
 * "was her carer" ...: as long as there are no more than this many. */
#define MAX_CROSS 32

/* The automaton: a complete DFA over byte classes.  In next[], a target
 * is the offset of its row, with AC_OUTPUT set when strings end there. */
#define AC_OUTPUT 0x80000000u

typedef struct ac_state {
	uint32_t out;                     /* first index into out_ids, or UINT32_MAX */
	uint32_t nout;                    /* literals ending exactly here */
	uint32_t dict;                    /* nearest suffix state with output, or 0 */
	uint32_t fail;
} ac_state;

struct ca_ruleset {
	ca_rule *rules;
	size_t n;
	pcre2_match_context *mctx;
	char **lits;                      /* distinct prefilter strings */
	size_t nlits, caplits;
	/* the automaton */
	unsigned char cls[256];           /* byte -> class, 0 for "no literal has it" */
	unsigned ncls;
	uint32_t *next;                   /* [state * ncls + class] */
	ac_state *states;
	uint32_t nstates;
	uint32_t *out_ids;
	size_t nout_ids;
};

int
ca_category_named(const char *id)
{
	for (int i = 0; i < CA_CAT_COUNT; i++)
		if (strcmp(id, ca_category_ids[i]) == 0)
			return i;
	return -1;
}

int
ca_outcome_named(const char *id)
{
	for (int i = 0; i < CA_OUTCOME_COUNT; i++)
		if (strcmp(id, ca_outcome_ids[i]) == 0)
			return i;
	return -1;
}

int
ca_yaml_is_ruleset(const ca_yaml_doc *doc)
{
	return doc != NULL && doc->root != NULL && ca_yaml_get(doc->root, "rules") != NULL;
}

/* ---- the literal prefilter: what every match of a pattern needs -------- */

/*
 * The pattern is read with a small recursive-descent reader that follows
 * only the syntax it is sure of and gives up ("bail") on anything else, in
 * which case the pattern simply always runs.  For every sequence it tracks
 * runs of plain characters that every match must contain, and how many
 * characters a match can hold before each: what must be there (for the
 * prefilter) and where a match can start (for anchoring).
 */

#define LEN_INF SIZE_MAX

/* A set of strings one of which every match needs; n == 0 means none
 * could be proved.  back: at most this many characters of a match come
 * before the string (LEN_INF when unbounded). */
typedef struct lset {
	char **s;
	size_t n;
	size_t back;
} lset;

/* What a sequence, group or alternation needs, and its longest match in
 * characters. */
typedef struct lres {
	lset best;                        /* the most selective set */
	lset anchor;                      /* the set nearest the start */
	lset exact;                       /* all it can match, when only plain strings */
	size_t maxlen;
	int starts_b;                     /* every alternative begins with \b */
} lres;

typedef struct lparse {
	const char *p;
	size_t i, len;
	int bail;                         /* syntax this reader does not follow */
	int depth;
} lparse;

static size_t
sat_add(size_t a, size_t b)
{
	return a == LEN_INF || b == LEN_INF || a + b < a ? LEN_INF : a + b;
}

static size_t
sat_mul(size_t a, size_t b)
{
	if (a == 0 || b == 0)
		return 0;
	if (a == LEN_INF || b == LEN_INF || a > LEN_INF / b)
		return LEN_INF;
	return a * b;
}

static void
lset_clear(lset *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->s[i]);
	free(l->s);
	l->s = NULL;
	l->n = 0;
}

static void
lres_clear(lres *r)
{
	lset_clear(&r->best);
	lset_clear(&r->anchor);
	lset_clear(&r->exact);
}

/* Words so common in any English text that a string made of one of them
 * (with spaces around it or not) filters nothing. */
static const char *const common_words[] = {
	"a", "about", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can",
	"could", "for", "from", "had", "has", "have", "he", "her", "him", "his", "if", "in",
	"is", "it", "no", "not", "of", "on", "or", "out", "she", "than", "that", "the",
	"their", "them", "then", "there", "they", "this", "to", "was", "were", "who",
	"will", "with", "would",
};

/* How selective a string is: its length, or nothing for a common word. */
static size_t
literal_score(const char *s)
{
	size_t len = strlen(s), a = 0, b = len;

	while (a < b && s[a] == ' ')
		a++;
	while (b > a && s[b - 1] == ' ')
		b--;
	for (size_t i = 0; i < sizeof common_words / sizeof common_words[0]; i++)
		if (strlen(common_words[i]) == b - a && memcmp(common_words[i], s + a, b - a) == 0)
			return 1;
	return len;
}

/* A set is as selective as its least selective string. */
static size_t
lset_score(const lset *l)
{
	size_t min = SIZE_MAX;

	if (l->n == 0)
		return 0;
	for (size_t i = 0; i < l->n; i++) {
		size_t k = literal_score(l->s[i]);

		if (k < min)
			min = k;
	}
	return min;
}

/* The length of a set's shortest string.  An anchor need not be selective
 * (a common word is found quickly, and trying a pattern at each of its few
 * occurrences still beats scanning the text), only long enough for the
 * automaton. */
static size_t
lset_len(const lset *l)
{
	size_t min = SIZE_MAX;

	if (l->n == 0)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->s[i]) < min)
			min = strlen(l->s[i]);
	return min;
}

static int
lset_add(lset *l, const char *s, size_t len)
{
	char **ns, *copy;

	if (len > MAX_LITERAL)
		len = MAX_LITERAL;
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->s[i]) == len && memcmp(l->s[i], s, len) == 0)
			return 0;
	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	if ((ns = realloc(l->s, (l->n + 1) * sizeof *ns)) == NULL) {
		free(copy);
		return -1;
	}
	l->s = ns;
	l->s[l->n++] = copy;
	return 0;
}

static int
lset_copy(lset *dst, const lset *src)
{
	*dst = (lset){ NULL, 0, src->back };
	for (size_t i = 0; i < src->n; i++)
		if (lset_add(dst, src->s[i], strlen(src->s[i])) != 0) {
			lset_clear(dst);
			return -1;
		}
	return 0;
}

/* Is cand more selective than best? */
static int
better_best(const lset *cand, const lset *best)
{
	size_t a = lset_score(best), b = lset_score(cand);

	return b > a || (b == a && b > 0 && cand->n < best->n);
}

/* What anchoring on l costs, roughly: the places a match could start
 * before each occurrence, times how often a string that short turns up
 * in English text ("has" in every sentence, "accidents" hardly ever). */
static size_t
anchor_cost(const lset *l)
{
	static const size_t rarity[] = { 256, 256, 256, 64, 16, 4, 2 };
	size_t len = lset_score(l);

	return sat_mul(sat_add(l->back, 1),
	    sat_mul(l->n, len < sizeof rarity / sizeof rarity[0] ? rarity[len] : 1));
}

/* Is cand a usable anchor, and a cheaper one than anchor? */
static int
better_anchor(const lset *cand, const lset *anchor)
{
	if (lset_len(cand) < MIN_LITERAL || cand->back > MAX_ANCHOR_BACK)
		return 0;
	return anchor->n == 0 || anchor_cost(cand) < anchor_cost(anchor);
}

/* Offer a candidate for both roles; cand is left as it was. */
static void
offer(lparse *x, lres *r, const lset *cand, int as_anchor)
{
	lset copy;

	if (cand->n == 0)
		return;
	if (better_best(cand, &r->best)) {
		if (lset_copy(&copy, cand) != 0) {
			x->bail = 1;
			return;
		}
		lset_clear(&r->best);
		r->best = copy;
	}
	if (as_anchor && better_anchor(cand, &r->anchor)) {
		if (lset_copy(&copy, cand) != 0) {
			x->bail = 1;
			return;
		}
		lset_clear(&r->anchor);
		r->anchor = copy;
	}
}

/* An optional quantifier after an atom: its minimum is returned, its
 * maximum put in *max (1 and 1 when there is none); *q says whether there
 * was one. */
static size_t
quantifier(lparse *x, int *q, size_t *max)
{
	size_t min = 1;

	*q = 0;
	*max = 1;
	if (x->i >= x->len)
		return 1;
	switch (x->p[x->i]) {
	case '?':
		min = 0;
		break;
	case '*':
		min = 0;
		*max = LEN_INF;
		break;
	case '+':
		*max = LEN_INF;
		break;
	case '{': {
		size_t j = x->i + 1, lo = 0, hi = 0, digits = 0;

		while (j < x->len && x->p[j] >= '0' && x->p[j] <= '9' && digits < 6) {
			lo = lo * 10 + (size_t)(x->p[j] - '0');
			j++;
			digits++;
		}
		if (digits == 0) {
			/* `{,n}` and a literal `{` differ between PCRE2
			 * releases: do not guess. */
			x->bail = 1;
			return 1;
		}
		hi = lo;
		if (j < x->len && x->p[j] == ',') {
			j++;
			digits = 0;
			hi = 0;
			while (j < x->len && x->p[j] >= '0' && x->p[j] <= '9' && digits < 6) {
				hi = hi * 10 + (size_t)(x->p[j] - '0');
				j++;
				digits++;
			}
			if (digits == 0)
				hi = LEN_INF;
		}
		if (j >= x->len || x->p[j] != '}') {
			x->bail = 1;
			return 1;
		}
		x->i = j;
		min = lo;
		*max = hi;
		break;
	}
	default:
		return 1;
	}
	x->i++;
	*q = 1;
	/* Lazy or possessive forms change nothing about what is required. */
	if (x->i < x->len && (x->p[x->i] == '?' || x->p[x->i] == '+'))
		x->i++;
	return min;
}

static void alternatives(lparse *x, lres *out);

/* Skip a character class, its ']' included. */
static void
skip_class(lparse *x)
{
	x->i++;                               /* '[' */
	if (x->i < x->len && x->p[x->i] == '^')
		x->i++;
	if (x->i < x->len && x->p[x->i] == ']')
		x->i++;                       /* a leading ']' is a member */
	while (x->i < x->len && x->p[x->i] != ']') {
		if (x->p[x->i] == '\\') {
			if (x->i + 1 < x->len && x->p[x->i + 1] == 'Q') {
				x->bail = 1;
				return;
			}
			x->i += 2;
		} else if (x->p[x->i] == '[' && x->i + 1 < x->len && x->p[x->i + 1] == ':') {
			const char *end = memchr(x->p + x->i + 2, ']', x->len - x->i - 2);

			if (end == NULL) {
				x->bail = 1;
				return;
			}
			x->i = (size_t)(end - x->p) + 1;
		} else
			x->i++;
	}
	if (x->i >= x->len)
		x->bail = 1;
	else
		x->i++;
}

/* Skip to just past the next `stop` character, or bail. */
static void
skip_past(lparse *x, char stop)
{
	const char *end = x->i < x->len ? memchr(x->p + x->i, stop, x->len - x->i) : NULL;

	if (end == NULL)
		x->bail = 1;
	else
		x->i = (size_t)(end - x->p) + 1;
}

/* A group after its '(' has been seen.  *out gets what the group needs
 * (nothing for negative lookarounds and optional groups; no anchor for
 * lookarounds, which consume nothing) and its longest match. */
static void
group(lparse *x, lres *out)
{
	enum { PLAIN, LOOKAHEAD, LOOKBEHIND, NEGATIVE } kind = PLAIN;
	size_t min, max;
	int q;

	memset(out, 0, sizeof *out);
	x->i++;                               /* '(' */
	if (x->i < x->len && x->p[x->i] == '*') {
		x->bail = 1;                  /* verbs and alpha assertions */
		return;
	}
	if (x->i < x->len && x->p[x->i] == '?') {
		char c = x->i + 1 < x->len ? x->p[x->i + 1] : '\0';

		x->i += 2;
		switch (c) {
		case ':':
		case '>':
		case '|':
			break;
		case '=':
			kind = LOOKAHEAD;
			break;
		case '!':
			kind = NEGATIVE;
			break;
		case '<':
			if (x->i < x->len && x->p[x->i] == '=') {
				x->i++;
				kind = LOOKBEHIND;
			} else if (x->i < x->len && x->p[x->i] == '!') {
				x->i++;
				kind = NEGATIVE;
			} else if (x->i < x->len && x->p[x->i] != '*')
				skip_past(x, '>');    /* (?<name>...) */
			else
				x->bail = 1;
			break;
		case '\'':
			skip_past(x, '\'');
			break;
		case 'P':
			if (x->i < x->len && x->p[x->i] == '<')
				skip_past(x, '>');
			else
				x->bail = 1;  /* (?P=name) (?P>name) */
			break;
		case '#':
			skip_past(x, ')');
			return;               /* a comment needs nothing */
		default: {
			/* Option settings: (?i) (?-i) (?i:...).  Extended mode
			 * changes what spaces and # mean: not followed here. */
			size_t j = x->i - 1;

			while (j < x->len && x->p[j] != '\0' && strchr("imnsUJ-^", x->p[j]) != NULL)
				j++;
			if (j >= x->len || (x->p[j] != ')' && x->p[j] != ':') || j == x->i - 1) {
				x->bail = 1;
				return;
			}
			x->i = j + 1;
			if (x->p[j] == ')')
				return;       /* changes options, needs nothing */
			break;
		}
		}
		if (x->bail)
			return;
	}
	if (++x->depth > 50) {
		x->bail = 1;
		return;
	}
	alternatives(x, out);
	x->depth--;
	if (x->bail || x->i >= x->len || x->p[x->i] != ')') {
		x->bail = 1;
		lres_clear(out);
		return;
	}
	x->i++;
	min = quantifier(x, &q, &max);
	if (kind != PLAIN || q)
		lset_clear(&out->exact);
	if (kind != PLAIN) {
		/* consumes nothing; a positive one still needs its text */
		lset_clear(&out->anchor);
		if (kind == NEGATIVE)
			lset_clear(&out->best);
		out->maxlen = 0;
		return;
	}
	out->maxlen = sat_mul(out->maxlen, max);
	if (min == 0)
		lres_clear(out);
}

/* The strings every match holds that end at the reader's position: one
 * string after a run of plain characters, several after a group of plain
 * alternatives ("(?:oral|foot) care" gives "oral care" and "foot care"). */
typedef struct strings {
	char s[MAX_CROSS][MAX_LITERAL + 1];
	size_t len[MAX_CROSS];
	size_t n;
	size_t back;                      /* characters of a match before them */
	int on;
} strings;

/* What has been built becomes a candidate, and building starts afresh. */
static void
cur_end(lparse *x, lres *r, strings *cur)
{
	lset cand = { NULL, 0, cur->back };

	if (cur->on) {
		for (size_t i = 0; i < cur->n && !x->bail; i++)
			if (cur->len[i] > 0 && lset_add(&cand, cur->s[i], cur->len[i]) != 0)
				x->bail = 1;
		if (!x->bail && cand.n == cur->n)
			offer(x, r, &cand, 1);
		lset_clear(&cand);
	}
	cur->on = 0;
	cur->n = 0;
}

static void
cur_start(strings *cur, size_t back)
{
	cur->on = 1;
	cur->n = 1;
	cur->len[0] = 0;
	cur->back = back;
}

/* One more plain character after every string. */
static void
cur_char(lparse *x, lres *r, strings *cur, char c, size_t pre)
{
	if (cur->on)
		for (size_t i = 0; i < cur->n; i++)
			if (cur->len[i] == MAX_LITERAL) {
				/* a prefix of a required string is required */
				cur_end(x, r, cur);
				break;
			}
	if (!cur->on)
		cur_start(cur, pre);
	for (size_t i = 0; i < cur->n; i++)
		cur->s[i][cur->len[i]++] = c;
}

/* The strings times a group's plain alternatives, while there are few. */
static void
cur_cross(lparse *x, lres *r, strings *cur, const lset *alts, size_t pre)
{
	strings next;

	if (cur->on) {
		int fits = cur->n * alts->n <= MAX_CROSS;

		for (size_t i = 0; fits && i < cur->n; i++)
			for (size_t j = 0; fits && j < alts->n; j++)
				fits = cur->len[i] + strlen(alts->s[j]) <= MAX_LITERAL;
		if (fits) {
			next.n = 0;
			next.on = 1;
			next.back = cur->back;
			for (size_t i = 0; i < cur->n; i++)
				for (size_t j = 0; j < alts->n; j++) {
					size_t k = strlen(alts->s[j]);

					memcpy(next.s[next.n], cur->s[i], cur->len[i]);
					memcpy(next.s[next.n] + cur->len[i], alts->s[j], k);
					next.len[next.n++] = cur->len[i] + k;
				}
			*cur = next;
			return;
		}
		cur_end(x, r, cur);
	}
	if (alts->n > MAX_CROSS)
		return;
	cur->on = 1;
	cur->back = pre;
	cur->n = alts->n;
	for (size_t j = 0; j < alts->n; j++) {
		cur->len[j] = strlen(alts->s[j]);
		memcpy(cur->s[j], alts->s[j], cur->len[j]);
	}
}

/* One alternative: a sequence of atoms up to '|' or ')'.  A sequence of
 * nothing but plain characters (and groups of them) also gives the exact
 * strings it matches, for the sequence around its group. */
static void
sequence(lparse *x, lres *out)
{
	strings cur;
	size_t pre = 0, max, begin = x->i;
	int q, pure = 1;

	memset(out, 0, sizeof *out);
	cur.on = 0;
	cur.n = 0;
	while (!x->bail && x->i < x->len && x->p[x->i] != '|' && x->p[x->i] != ')') {
		unsigned char c = (unsigned char)x->p[x->i];
		size_t width = 1;             /* characters one repetition takes */
		int lit = -1;

		if (c == '\\') {
			unsigned char d = x->i + 1 < x->len ? (unsigned char)x->p[x->i + 1] : 0;

			if (d == 'b' && x->i == begin)
				out->starts_b = 1;
			x->i += 2;
			if (d == 0 || d >= 0x80) {
				x->bail = 1;
				continue;
			}
			if (d == 'E')
				continue;             /* a stray \E is ignored */
			if (strchr("AGK", d) != NULL) {
				/* \A and \G depend on where matching starts, \K on where a
				 * match is said to start: an anchored copy tried at each
				 * literal would change what they mean.  No prefilter. */
				x->bail = 1;
				continue;
			}
			if (strchr("bBzZ", d) != NULL) {
				/* takes no characters, but what follows is no longer
				 * the same string */
				cur_end(x, out, &cur);
				pure = 0;
				continue;
			}
			if (strchr("sSwWdDhHvVRXNpP", d) != NULL) {
				cur_end(x, out, &cur);
				pure = 0;
				if (d == 'N' && x->i < x->len && x->p[x->i] == '{') {
					x->bail = 1;  /* \N{U+...} */
					continue;
				}
				if (d == 'p' || d == 'P') {
					if (x->i < x->len && x->p[x->i] == '{')
						skip_past(x, '}');
					else
						x->i++;
				}
				width = d == 'R' ? 2 : d == 'X' ? LEN_INF : 1;
				quantifier(x, &q, &max);
				pre = sat_add(pre, sat_mul(width, max));
				continue;
			}
			if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9')) {
				x->bail = 1;          /* \Q, \x, \1, \g, \k, \c ... */
				continue;
			}
			lit = d;                      /* an escaped punctuation mark */
		} else if (c == '[') {
			cur_end(x, out, &cur);
			pure = 0;
			skip_class(x);
			quantifier(x, &q, &max);
			pre = sat_add(pre, max);
			continue;
		} else if (c == '(') {
			lres g;

			group(x, &g);
			offer(x, out, &g.best, 0);
			if (g.anchor.n > 0) {
				g.anchor.back = sat_add(pre, g.anchor.back);
				offer(x, out, &g.anchor, 1);
			}
			if (g.exact.n > 0)
				cur_cross(x, out, &cur, &g.exact, pre);
			else {
				cur_end(x, out, &cur);
				pure = 0;
			}
			pre = sat_add(pre, g.maxlen);
			lres_clear(&g);
			continue;
		} else if (c == '^' || c == '$') {
			cur_end(x, out, &cur);
			pure = 0;
			x->i++;
			continue;
		} else if (c == '*' || c == '+' || c == '?' || c == '{') {
			x->bail = 1;                  /* a quantifier on nothing we know */
			continue;
		} else if (c == '.' || c >= 0x80 || c < 0x20 || c == 0x7F) {
			/* Any character, or one outside ASCII: only ASCII strings
			 * are kept. */
			cur_end(x, out, &cur);
			pure = 0;
			x->i++;
			while (c >= 0x80 && x->i < x->len && ((unsigned char)x->p[x->i] & 0xC0) == 0x80)
				x->i++;
			quantifier(x, &q, &max);
			pre = sat_add(pre, max);
			continue;
		} else {
			lit = c;
			x->i++;
		}
		/* a plain character */
		if (quantifier(x, &q, &max) == 0) {
			cur_end(x, out, &cur);
			pure = 0;
			pre = sat_add(pre, max);
			continue;
		}
		cur_char(x, out, &cur, (char)(lit >= 'A' && lit <= 'Z' ? lit - 'A' + 'a' : lit), pre);
		pre = sat_add(pre, 1);
		if (q) {
			cur_end(x, out, &cur);
			pure = 0;
			pre = sat_add(pre, max == LEN_INF ? LEN_INF : max - 1);
		}
	}
	/* Exact strings: only from a sequence built in one piece. */
	if (pure && cur.on && cur.back == 0 && !x->bail) {
		for (size_t i = 0; i < cur.n; i++)
			if (lset_add(&out->exact, cur.s[i], cur.len[i]) != 0)
				x->bail = 1;
	}
	cur_end(x, out, &cur);
	out->maxlen = pre;
}

/* Union b into a (a set that does not exist stays so); an anchor's strings
 * need only be long enough, a filter's selective too. */
static void
union_into(lparse *x, lset *a, const lset *b, int *ok, int anchor)
{
	if (!*ok)
		return;
	if (b->n == 0 || (anchor ? lset_len(b) : lset_score(b)) < MIN_LITERAL) {
		*ok = 0;
		return;
	}
	for (size_t i = 0; i < b->n; i++)
		if (lset_add(a, b->s[i], strlen(b->s[i])) != 0)
			x->bail = 1;
	if (b->back > a->back)
		a->back = b->back;
}

/* Alternatives up to the end or an unmatched ')': every one must need
 * something, and the union of what they need is what the whole needs;
 * it can start as far back as its furthest alternative. */
static void
alternatives(lparse *x, lres *out)
{
	int ok_best = 1, ok_anchor = 1, ok_exact = 1, first = 1, starts_b = 1;

	memset(out, 0, sizeof *out);
	for (;;) {
		lres a;

		sequence(x, &a);
		if (first)
			out->anchor.back = a.anchor.back;
		first = 0;
		starts_b &= a.starts_b;
		union_into(x, &out->best, &a.best, &ok_best, 0);
		union_into(x, &out->anchor, &a.anchor, &ok_anchor, 1);
		if (a.exact.n == 0)
			ok_exact = 0;
		for (size_t i = 0; ok_exact && i < a.exact.n; i++)
			if (lset_add(&out->exact, a.exact.s[i], strlen(a.exact.s[i])) != 0)
				x->bail = 1;
		if (a.maxlen > out->maxlen)
			out->maxlen = a.maxlen;
		lres_clear(&a);
		if (x->bail || x->i >= x->len || x->p[x->i] != '|')
			break;
		x->i++;
	}
	if (!ok_best || x->bail)
		lset_clear(&out->best);
	if (!ok_exact || x->bail || out->exact.n > MAX_CROSS)
		lset_clear(&out->exact);
	if (!ok_anchor || x->bail || out->anchor.back > MAX_ANCHOR_BACK)
		lset_clear(&out->anchor);
	out->starts_b = starts_b && !x->bail;
}

/* What every match of pattern p needs (best) and where it can start
 * (anchor); either may be empty.  *starts_b: every match begins with \b,
 * tested where the match starts. */
static void
pattern_literals(const char *p, size_t len, lset *best, lset *anchor, int *starts_b)
{
	lparse x = { .p = p, .len = len };
	lres r;

	alternatives(&x, &r);
	*starts_b = r.starts_b && !x.bail && x.i == len;
	if (x.bail || x.i != len)
		lres_clear(&r);
	if (lset_score(&r.best) < MIN_LITERAL)
		lset_clear(&r.best);
	if (lset_len(&r.anchor) < MIN_LITERAL || r.anchor.back > MAX_ANCHOR_BACK)
		lset_clear(&r.anchor);
	lset_clear(&r.exact);
	*best = r.best;
	*anchor = r.anchor;
}

/* ---- the automaton ----------------------------------------------------- */

static int
intern_literal(ca_ruleset *rs, const char *s, unsigned *id)
{
	for (size_t i = 0; i < rs->nlits; i++)
		if (strcmp(rs->lits[i], s) == 0) {
			*id = (unsigned)i;
			return 0;
		}
	if (rs->nlits == rs->caplits) {
		size_t cap = rs->caplits ? rs->caplits * 2 : 64;
		char **nl = realloc(rs->lits, cap * sizeof *nl);

		if (nl == NULL)
			return -1;
		rs->lits = nl;
		rs->caplits = cap;
	}
	if ((rs->lits[rs->nlits] = strdup(s)) == NULL)
		return -1;
	*id = (unsigned)rs->nlits++;
	return 0;
}

static int
build_automaton(ca_ruleset *rs)
{
	size_t total = 1, head = 0, tail = 0, nout = 0;
	uint32_t *queue = NULL, **own = NULL;
	size_t *nown = NULL;
	int rc = -1;

	memset(rs->cls, 0, sizeof rs->cls);
	rs->ncls = 1;
	for (size_t i = 0; i < rs->nlits; i++) {
		for (const unsigned char *p = (const unsigned char *)rs->lits[i]; *p; p++) {
			if (rs->cls[*p] == 0) {
				rs->cls[*p] = (unsigned char)rs->ncls;
				if (*p >= 'a' && *p <= 'z')
					rs->cls[*p - 'a' + 'A'] = (unsigned char)rs->ncls;
				rs->ncls++;
			}
		}
		total += strlen(rs->lits[i]);
	}
	if (total > (AC_OUTPUT - 1) / 256)
		return -1;
	rs->next = calloc(total * rs->ncls, sizeof *rs->next);
	rs->states = calloc(total, sizeof *rs->states);
	own = calloc(total, sizeof *own);
	nown = calloc(total, sizeof *nown);
	queue = malloc(total * sizeof *queue);
	if (rs->next == NULL || rs->states == NULL || own == NULL || nown == NULL || queue == NULL)
		goto out;
	/* The trie; state 0 is the root, and 0 in next[] means "no edge yet". */
	rs->nstates = 1;
	for (size_t i = 0; i < rs->nlits; i++) {
		uint32_t s = 0;
		uint32_t *grown;

		for (const unsigned char *p = (const unsigned char *)rs->lits[i]; *p; p++) {
			uint32_t *e = &rs->next[(size_t)s * rs->ncls + rs->cls[*p]];

			if (*e == 0)
				*e = rs->nstates++;
			s = *e;
		}
		if ((grown = realloc(own[s], (nown[s] + 1) * sizeof *grown)) == NULL)
			goto out;
		own[s] = grown;
		own[s][nown[s]++] = (uint32_t)i;
		nout++;
	}
	/* Breadth first: failure links, dictionary links, and the missing
	 * edges filled in from the failure state, giving a complete DFA. */
	for (unsigned c = 0; c < rs->ncls; c++) {
		uint32_t t = rs->next[c];

		if (t != 0) {
			rs->states[t].fail = 0;
			queue[tail++] = t;
		}
	}
	while (head < tail) {
		uint32_t s = queue[head++];
		uint32_t f = rs->states[s].fail;

		rs->states[s].dict = nown[f] > 0 ? f : rs->states[f].dict;
		for (unsigned c = 0; c < rs->ncls; c++) {
			uint32_t *e = &rs->next[(size_t)s * rs->ncls + c];
			uint32_t via = rs->next[(size_t)f * rs->ncls + c];

			if (*e != 0) {
				rs->states[*e].fail = via;
				queue[tail++] = *e;
			} else
				*e = via;
		}
	}
	rs->out_ids = malloc((nout ? nout : 1) * sizeof *rs->out_ids);
	if (rs->out_ids == NULL)
		goto out;
	for (uint32_t s = 0; s < rs->nstates; s++) {
		rs->states[s].out = (uint32_t)rs->nout_ids;
		rs->states[s].nout = (uint32_t)nown[s];
		for (size_t k = 0; k < nown[s]; k++)
			rs->out_ids[rs->nout_ids++] = own[s][k];
	}
	/* Store each target as the offset of its row, with a bit saying
	 * whether any string ends there: the scan then needs one load and no
	 * multiplication per byte. */
	for (size_t i = 0; i < (size_t)rs->nstates * rs->ncls; i++) {
		uint32_t t = rs->next[i];

		rs->next[i] = t * (uint32_t)rs->ncls |
		    (rs->states[t].nout > 0 || rs->states[t].dict != 0 ? AC_OUTPUT : 0);
	}
	rc = 0;
out:
	for (size_t s = 0; own != NULL && s < total; s++)
		free(own[s]);
	free(own);
	free(nown);
	free(queue);
	return rc;
}

/* Where a scan puts what it finds (ca_ruleset_find_literals): the strings
 * present, and the occurrences, in v (the first stretch, or the only one)
 * or w (the second), with room for `room` more between them before the
 * hits' max is reached. */
typedef struct marks {
	unsigned char *present;
	unsigned *found;
	size_t *nfound;
	ca_literal_hits *hits;
	size_t room;
} marks;

static int
record(ca_literal_hit **v, size_t *n, size_t *cap, size_t end, unsigned id)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		ca_literal_hit *nv = realloc(*v, c * sizeof *nv);

		if (nv == NULL)
			return -1;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = (ca_literal_hit){ end, id };
	return 0;
}

/* Mark the strings ending at state s (and at its dictionary suffixes),
 * and record where they end, in the second stretch's list when second.
 * Kept out of line: the scan loop then keeps its state in a register. */
__attribute__((noinline)) static int
mark_state(const ca_ruleset *rs, uint32_t s, size_t end, marks *mk, int second)
{
	ca_literal_hits *h = mk->hits;

	while (s != 0) {
		const ac_state *st = &rs->states[s];

		for (uint32_t k = 0; k < st->nout; k++) {
			unsigned id = rs->out_ids[st->out + k];

			if (!mk->present[id]) {
				mk->present[id] = 1;
				if (mk->found != NULL)
					mk->found[(*mk->nfound)++] = id;
			}
			if (h == NULL || h->overflow)
				continue;
			if (mk->room == 0) {
				h->overflow = 1;
				continue;
			}
			mk->room--;
			if (second ? record(&h->tmp, &h->ntmp, &h->captmp, end, id) :
			    record(&h->v, &h->n, &h->cap, end, id))
				return -1;
		}
		s = st->dict;
	}
	return 0;
}

/* One step of the automaton: the character at *pp (one byte, or the two
 * characters outside ASCII that match an ASCII letter when case is
 * ignored, KELVIN SIGN for k and LONG S for s), from the row given. */
static inline __attribute__((always_inline)) uint32_t
ac_step(const unsigned char *cls, const uint32_t *next, const unsigned char **pp,
    const unsigned char *end, uint32_t row)
{
	const unsigned char *p = *pp;
	unsigned char b = *p++;
	unsigned c = cls[b];

	if (__builtin_expect(b == 0xE2 || b == 0xC5, 0)) {
		if (b == 0xE2 && end - p >= 2 && p[0] == 0x84 && p[1] == 0xAA) {
			c = cls['k'];
			p += 2;
		} else if (b == 0xC5 && end - p >= 1 && p[0] == 0xBF) {
			c = cls['s'];
			p += 1;
		}
	}
	*pp = p;
	return next[row + c];
}

/* A text shorter than this is scanned in one stretch. */
#define SPLIT_MIN 256
/* The automaton's state depends only on the last MAX_LITERAL characters
 * read (no string is longer), and a character takes at most 3 bytes here
 * (KELVIN SIGN): a stretch started at least this many bytes early is in
 * the state a scan from the start would be in by the time it matters. */
#define WARM_BYTES (3 * MAX_LITERAL)

static int
is_continuation(unsigned char b)
{
	return (b & 0xC0) == 0x80;
}

/*
 * The automaton is one dependent table lookup per byte, so a single scan
 * runs at the latency of a load.  Two stretches of a text, scanned side by
 * side, overlap their lookups: the first half [0, mid), and the second
 * from WARM_BYTES or more before mid to the end, reporting only strings
 * that end after mid (those ending sooner are the first stretch's).  Both start on
 * character boundaries, so they read the text's characters as a scan from
 * the start does; and by mid the second has read at least MAX_LITERAL of
 * them, so from there on its state is the one a single scan would have.
 * Each occurrence is therefore reported once, as a single scan would, and
 * in the same order: the second stretch's are kept aside and put after the
 * first's.
 */
int
ca_ruleset_find_literals(const ca_ruleset *rs, const char *text, size_t len,
    unsigned char *present, unsigned *found, size_t *nfound, ca_literal_hits *hits)
{
	const unsigned char *start = (const unsigned char *)text, *end = start + len;
	const unsigned char *p1 = start, *p2, *mid;
	const unsigned char *cls = rs->cls;
	const uint32_t *next = rs->next;
	uint32_t r1 = 0, r2 = 0, ncls = (uint32_t)rs->ncls;
	marks mk = { present, found, nfound, hits, hits != NULL ? hits->max : 0 };

	if (hits != NULL) {
		hits->n = 0;
		hits->ntmp = 0;
		hits->overflow = 0;
	}
	if (rs->nlits == 0)
		return 0;
	/* a short text is one stretch, the first: the second is empty */
	mid = p2 = end;
	if (len >= SPLIT_MIN) {
		mid = start + len / 2;
		while (mid < end && is_continuation(*mid))
			mid++;
		p2 = mid - WARM_BYTES;
		while (p2 > start && is_continuation(*p2))
			p2--;
	}
	while (p1 < mid && p2 < end) {
		r1 = ac_step(cls, next, &p1, end, r1);
		r2 = ac_step(cls, next, &p2, end, r2);
		if (__builtin_expect((r1 | r2) & AC_OUTPUT, 0)) {
			if (r1 & AC_OUTPUT) {
				r1 &= ~AC_OUTPUT;
				if (mark_state(rs, r1 / ncls, (size_t)(p1 - start), &mk, 0) != 0)
					return -1;
			}
			if (r2 & AC_OUTPUT) {
				r2 &= ~AC_OUTPUT;
				if (p2 > mid &&
				    mark_state(rs, r2 / ncls, (size_t)(p2 - start), &mk, 1) != 0)
					return -1;
			}
		}
	}
	while (p1 < mid) {
		r1 = ac_step(cls, next, &p1, end, r1);
		if (__builtin_expect(r1 & AC_OUTPUT, 0)) {
			r1 &= ~AC_OUTPUT;
			if (mark_state(rs, r1 / ncls, (size_t)(p1 - start), &mk, 0) != 0)
				return -1;
		}
	}
	while (p2 < end) {
		r2 = ac_step(cls, next, &p2, end, r2);
		if (__builtin_expect(r2 & AC_OUTPUT, 0)) {
			r2 &= ~AC_OUTPUT;
			if (p2 > mid && mark_state(rs, r2 / ncls, (size_t)(p2 - start), &mk, 1) != 0)
				return -1;
		}
	}
	/* The second stretch's occurrences all end after the first's: after
	 * them, the list is in order of end. */
	if (hits != NULL && hits->ntmp > 0) {
		if (hits->n + hits->ntmp > hits->cap) {
			ca_literal_hit *v = realloc(hits->v, (hits->n + hits->ntmp) * sizeof *v);

			if (v == NULL)
				return -1;
			hits->v = v;
			hits->cap = hits->n + hits->ntmp;
		}
		memcpy(hits->v + hits->n, hits->tmp, hits->ntmp * sizeof *hits->v);
		hits->n += hits->ntmp;
	}
	return 0;
}

size_t
ca_ruleset_literal_count(const ca_ruleset *rs)
{
	return rs->nlits;
}

const char *
ca_ruleset_literal(const ca_ruleset *rs, size_t i)
{
	return i < rs->nlits ? rs->lits[i] : NULL;
}

/* ---- checking the document --------------------------------------------- */

typedef struct checker {
	const char *path;
	FILE *out;
	int problems;
	int oom;
} checker;

static void
problem(checker *c, const ca_yaml_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(checker *c, const ca_yaml_node *at, const char *fmt, ...)
{
	va_list ap;

	c->problems++;
	if (c->out == NULL)
		return;
	fprintf(c->out, "%s:%d:%d: ", c->path, at ? at->line : 1, at ? at->col : 1);
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
}

/* A value from the file quoted in a message: short, printable, one line. */
static const char *
shown(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	for (; *s && o + 4 < size; s++)
		buf[o++] = (unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s;
	if (*s) {
		/* Cut at a character boundary: drop the bytes of a character
		 * whose continuation was not copied, then an ellipsis. */
		while (o > 0 && ((unsigned char)*s & 0xC0) == 0x80) {
			o--;
			s--;
		}
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o] = '\0';
	return buf;
}

static const char *
kind_word(const ca_yaml_node *n)
{
	if (n->kind == CA_YAML_SCALAR && n->plain && n->len == 0)
		return "nothing";
	return ca_yaml_kind_name(n);
}

/* Text a key must hold: a scalar that is not an empty plain one. */
static int
is_text(const ca_yaml_node *n)
{
	return n->kind == CA_YAML_SCALAR && !(n->plain && n->len == 0);
}

static int
valid_id(const char *s, size_t len)
{
	if (len == 0 || len > MAX_ID || strlen(s) != len)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* Report keys given twice and keys not in `allowed` (NULL-terminated). */
static void
check_keys(checker *c, const ca_yaml_node *map, const char *who,
    const char *const *allowed, const char *expected)
{
	char b1[64];

	for (size_t i = 0; i < map->n; i++) {
		const ca_yaml_node *k = map->keys[i];
		int known = 0;

		for (size_t j = 0; j < i; j++)
			if (strcmp(map->keys[j]->value, k->value) == 0) {
				problem(c, k, "%s'%s' is given twice (first on line %d)", who,
				    shown(k->value, b1, sizeof b1), map->keys[j]->line);
				break;
			}
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, k->value) == 0)
				known = 1;
		if (!known)
			problem(c, k, "%sunknown key '%s' (expected %s)", who,
			    shown(k->value, b1, sizeof b1), expected);
	}
}

/* The key node for value v in map, for placing a message at the key. */
static const ca_yaml_node *
key_of(const ca_yaml_node *map, const char *key)
{
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->keys[i];
	return map;
}

static char *
dup_text(checker *c, const ca_yaml_node *n)
{
	char *s = malloc(n->len + 1);

	if (s == NULL) {
		c->oom = 1;
		return NULL;
	}
	memcpy(s, n->value, n->len);
	s[n->len] = '\0';
	return s;
}

static const char category_list[] =
	"outcome, person_voice, strengths, deficit, risk, risk_plan, carer, "
	"carer_offer, safeguarding, capacity, advocacy or negation";
static const char outcome_list[] =
	"nutrition, personal_hygiene, toilet_needs, clothing, home_safety, "
	"habitable_home, relationships, work_education, community_services or "
	"caring_for_child";

static int
category_of(checker *c, const ca_yaml_node *v, const char *who)
{
	char b[64];
	int cat;

	if (!is_text(v)) {
		problem(c, v, "%scategory: expected one of %s, found %s", who, category_list,
		    kind_word(v));
		return -1;
	}
	if ((cat = ca_category_named(v->value)) < 0)
		problem(c, v, "%sunknown category '%s' (expected %s)", who,
		    shown(v->value, b, sizeof b), category_list);
	return cat;
}

/* negates: a category or a list of them. */
static unsigned
negates_of(checker *c, const ca_yaml_node *v, const char *who)
{
	const ca_yaml_node *one = v;
	unsigned mask = 0;
	size_t n = 1;
	char b[64];

	if (v->kind == CA_YAML_SEQ && v->n == 0) {
		problem(c, v, "%snegates: the list is empty", who);
		return 0;
	}
	if (v->kind != CA_YAML_SEQ && !is_text(v)) {
		problem(c, v, "%snegates: expected a category or a list of categories, found %s",
		    who, kind_word(v));
		return 0;
	}
	if (v->kind == CA_YAML_SEQ)
		n = v->n;
	for (size_t i = 0; i < n; i++) {
		int cat;

		if (v->kind == CA_YAML_SEQ)
			one = v->items[i];
		if (!is_text(one)) {
			problem(c, one, "%snegates: expected a category, found %s", who,
			    kind_word(one));
			continue;
		}
		cat = ca_category_named(one->value);
		if (cat < 0)
			problem(c, one, "%snegates: unknown category '%s' (expected %s)", who,
			    shown(one->value, b, sizeof b), category_list);
		else if (cat == CA_CAT_NEGATION)
			problem(c, one, "%snegates: a negation cannot cancel another negation", who);
		else
			mask |= 1u << cat;
	}
	return mask;
}

static void
compile_pattern(checker *c, const ca_yaml_node *v, const char *who, ca_rule_pattern *pat,
    pcre2_compile_context *cctx)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE where;
	uint32_t minlen = 0;
	size_t jitsize = 0;
	int code;

	if (!is_text(v)) {
		problem(c, v, "%spattern: expected text, found %s", who, kind_word(v));
		return;
	}
	if (v->len == 0) {
		problem(c, v, "%spattern is empty", who);
		return;
	}
	if (v->len > CA_RULES_MAX_PATTERN) {
		problem(c, v, "%spattern is %zu bytes long, more than %d: split it into "
		    "several shorter patterns", who, v->len, CA_RULES_MAX_PATTERN);
		return;
	}
	for (size_t i = 0; i < v->len; i++) {
		unsigned char ch = (unsigned char)v->value[i];

		if (ch < 0x20 && ch != '\t') {
			/* "\b" in double quotes is a backspace to YAML */
			problem(c, v, "%spattern holds a control character at offset %zu "
			    "(write patterns in 'single quotes' so that \\b and \\s reach PCRE2)",
			    who, i);
			return;
		}
	}
	pat->code = pcre2_compile((PCRE2_SPTR)v->value, v->len,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_NEVER_BACKSLASH_C,
	    &code, &where, cctx);
	if (pat->code == NULL) {
		if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
			memcpy(msg, "unknown error", sizeof "unknown error");
		problem(c, v, "%spattern does not compile: %s at offset %zu", who,
		    (const char *)msg, (size_t)where);
		return;
	}
	if (pcre2_pattern_info(pat->code, PCRE2_INFO_MINLENGTH, &minlen) == 0 && minlen == 0) {
		problem(c, v, "%spattern can match empty text, so it would match everywhere", who);
		pcre2_code_free(pat->code);
		pat->code = NULL;
		return;
	}
	/* No JIT on this platform is not an error: the interpreter runs the
	 * pattern under the depth and heap limits instead. */
	if (pcre2_jit_compile(pat->code, PCRE2_JIT_COMPLETE) == 0 &&
	    pcre2_pattern_info(pat->code, PCRE2_INFO_JITSIZE, &jitsize) == 0)
		pat->jit = jitsize > 0;
	if ((pat->source = dup_text(c, v)) != NULL)
		pat->len = v->len;
	pat->line = v->line;
	pat->col = v->col;
}

static const char *const rule_keys[] = {
	"id", "category", "outcome", "negates", "description", "patterns", NULL
};
static const char *const top_keys[] = { "rules", "title", "description", NULL };

static void
check_rule(checker *c, const ca_yaml_node *item, size_t pos, ca_rule *r,
    const ca_yaml_node **ids, pcre2_compile_context *cctx)
{
	const ca_yaml_node *v;
	char who[MAX_ID + 16], b[64];
	int cat = -1;

	r->outcome = -1;
	r->line = item->line;
	r->col = item->col;
	snprintf(who, sizeof who, "rule #%zu: ", pos + 1);
	if (item->kind != CA_YAML_MAP) {
		problem(c, item, "%sexpected a mapping with id, category and patterns, found %s",
		    who, kind_word(item));
		return;
	}
	if ((v = ca_yaml_get(item, "id")) == NULL)
		problem(c, item, "%smissing 'id'", who);
	else if (!is_text(v))
		problem(c, v, "%sid: expected text, found %s", who, kind_word(v));
	else if (!valid_id(v->value, v->len))
		problem(c, v, "%sid '%s' must be 1 to %d lower-case letters, digits and _", who,
		    shown(v->value, b, sizeof b), MAX_ID);
	else {
		snprintf(who, sizeof who, "rule %s: ", v->value);
		for (size_t j = 0; j < pos; j++)
			if (ids[j] != NULL && strcmp(ids[j]->value, v->value) == 0) {
				problem(c, v, "%sthe id is used again (first on line %d)", who,
				    ids[j]->line);
				break;
			}
		ids[pos] = v;
		r->id = dup_text(c, v);
	}
	check_keys(c, item, who, rule_keys,
	    "id, category, outcome, negates, description or patterns");

	if ((v = ca_yaml_get(item, "category")) == NULL)
		problem(c, item, "%smissing 'category' (one of %s)", who, category_list);
	else if ((cat = category_of(c, v, who)) >= 0)
		r->category = (ca_rule_category)cat;

	v = ca_yaml_get(item, "outcome");
	if (cat == CA_CAT_OUTCOME && v == NULL)
		problem(c, item, "%san outcome rule needs 'outcome:' (one of %s)", who, outcome_list);
	else if (v != NULL && cat >= 0 && cat != CA_CAT_OUTCOME)
		problem(c, key_of(item, "outcome"), "%s'outcome' is only for rules of category "
		    "outcome", who);
	else if (v != NULL && !is_text(v))
		problem(c, v, "%soutcome: expected one of %s, found %s", who, outcome_list,
		    kind_word(v));
	else if (v != NULL && (r->outcome = ca_outcome_named(v->value)) < 0)
		problem(c, v, "%sunknown outcome '%s' (expected %s)", who,
		    shown(v->value, b, sizeof b), outcome_list);

	v = ca_yaml_get(item, "negates");
	if (cat == CA_CAT_NEGATION && v == NULL)
		problem(c, item, "%sa negation rule needs 'negates:' (the categories it cancels)",
		    who);
	else if (v != NULL && cat >= 0 && cat != CA_CAT_NEGATION)
		problem(c, key_of(item, "negates"), "%s'negates' is only for rules of category "
		    "negation", who);
	else if (v != NULL)
		r->negates = negates_of(c, v, who);

	if ((v = ca_yaml_get(item, "description")) != NULL) {
		if (v->kind != CA_YAML_SCALAR)
			problem(c, v, "%sdescription: expected text, found %s", who, kind_word(v));
		else if (v->len > 0)
			r->description = dup_text(c, v);
	}

	if ((v = ca_yaml_get(item, "patterns")) == NULL) {
		problem(c, item, "%smissing 'patterns' (a list of one or more patterns)", who);
		return;
	}
	if (v->kind != CA_YAML_SEQ) {
		problem(c, v, "%spatterns: expected a list of patterns, found %s", who,
		    kind_word(v));
		return;
	}
	if (v->n == 0) {
		problem(c, v, "%spatterns: the list is empty", who);
		return;
	}
	if ((r->patterns = calloc(v->n, sizeof *r->patterns)) == NULL) {
		c->oom = 1;
		return;
	}
	r->npatterns = v->n;
	for (size_t i = 0; i < v->n; i++)
		compile_pattern(c, v->items[i], who, &r->patterns[i], cctx);
}

static void
free_rule(ca_rule *r)
{
	free(r->id);
	free(r->description);
	for (size_t i = 0; i < r->npatterns; i++) {
		pcre2_code_free(r->patterns[i].code);
		pcre2_code_free(r->patterns[i].anchored);
		free(r->patterns[i].source);
		free(r->patterns[i].literals);
		free(r->patterns[i].anchors);
	}
	free(r->patterns);
}

void
ca_ruleset_free(ca_ruleset *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->n; i++)
		free_rule(&rs->rules[i]);
	free(rs->rules);
	pcre2_match_context_free(rs->mctx);
	for (size_t i = 0; i < rs->nlits; i++)
		free(rs->lits[i]);
	free(rs->lits);
	free(rs->next);
	free(rs->states);
	free(rs->out_ids);
	free(rs);
}

static int
intern_all(ca_ruleset *rs, lset *l, unsigned **ids, size_t *n)
{
	*n = 0;
	if (l->n == 0)
		return 0;
	if ((*ids = calloc(l->n, sizeof **ids)) == NULL)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		if (intern_literal(rs, l->s[i], &(*ids)[i]) != 0)
			return -1;
	*n = l->n;
	return 0;
}

/* Work out every pattern's prefilter strings and anchors, compile the
 * anchored copies, then build the automaton. */
static int
prepare_prefilter(ca_ruleset *rs)
{
	for (size_t r = 0; r < rs->n; r++) {
		for (size_t p = 0; p < rs->rules[r].npatterns; p++) {
			ca_rule_pattern *pat = &rs->rules[r].patterns[p];
			lset best, anchor;
			int rc = 0;

			pattern_literals(pat->source, pat->len, &best, &anchor, &pat->starts_b);
			if (intern_all(rs, &best, &pat->literals, &pat->nliterals) != 0 ||
			    intern_all(rs, &anchor, &pat->anchors, &pat->nanchors) != 0)
				rc = -1;
			pat->anchor_back = anchor.back;
			lset_clear(&best);
			lset_clear(&anchor);
			if (rc != 0)
				return -1;
			/* The anchored copy is tried at a few places instead of
			 * a scan of the text; JIT where the platform has it. */
			if (pat->nanchors > 0) {
				PCRE2_SIZE where;
				size_t jitsize = 0;
				int code;

				pat->anchored = pcre2_compile((PCRE2_SPTR)pat->source, pat->len,
				    PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_NEVER_BACKSLASH_C |
				    PCRE2_ANCHORED, &code, &where, NULL);
				if (pat->anchored != NULL &&
				    pcre2_jit_compile(pat->anchored, PCRE2_JIT_COMPLETE) == 0 &&
				    pcre2_pattern_info(pat->anchored, PCRE2_INFO_JITSIZE, &jitsize) == 0)
					pat->anchored_jit = jitsize > 0;
			}
		}
	}
	return build_automaton(rs);
}

int
ca_ruleset_from_yaml(const ca_yaml_doc *doc, FILE *problems, ca_ruleset **out, ca_err *err)
{
	checker c = { .path = doc->path ? doc->path : "rules", .out = problems };
	const ca_yaml_node *root = doc->root, *list;
	const ca_yaml_node **ids = NULL;
	pcre2_compile_context *cctx = NULL;
	ca_ruleset *rs;

	*out = NULL;
	if ((rs = calloc(1, sizeof *rs)) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the screening rules: out of memory");
	if (root == NULL) {
		problem(&c, NULL, "the file is empty: expected 'rules:' and a list of rules");
		goto done;
	}
	if (root->kind != CA_YAML_MAP) {
		problem(&c, root, "expected a mapping with 'rules:', found %s", kind_word(root));
		goto done;
	}
	check_keys(&c, root, "", top_keys, "rules, title or description");
	for (size_t i = 0; i < root->n; i++) {
		const char *k = root->keys[i]->value;

		if ((strcmp(k, "title") == 0 || strcmp(k, "description") == 0) &&
		    root->items[i]->kind != CA_YAML_SCALAR)
			problem(&c, root->items[i], "%s: expected text, found %s", k,
			    kind_word(root->items[i]));
	}
	if ((list = ca_yaml_get(root, "rules")) == NULL) {
		problem(&c, root, "missing 'rules:' (the list of rules)");
		goto done;
	}
	if (list->kind != CA_YAML_SEQ) {
		problem(&c, list, "rules: expected a list of rules, found %s", kind_word(list));
		goto done;
	}
	if (list->n == 0) {
		problem(&c, list, "rules: the list is empty");
		goto done;
	}
	cctx = pcre2_compile_context_create(NULL);
	rs->rules = calloc(list->n, sizeof *rs->rules);
	ids = calloc(list->n, sizeof *ids);
	if (cctx == NULL || rs->rules == NULL || ids == NULL) {
		c.oom = 1;
		goto done;
	}
	rs->n = list->n;
	for (size_t i = 0; i < list->n; i++)
		check_rule(&c, list->items[i], i, &rs->rules[i], ids, cctx);
done:
	free(ids);
	pcre2_compile_context_free(cctx);
	if (c.oom) {
		ca_ruleset_free(rs);
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the screening rules: out of memory");
	}
	if (c.problems > 0) {
		ca_ruleset_free(rs);
		return ca_err_set(err, CA_EX_DATAERR, "%s: %d problem%s in the screening rules; "
		    "nothing was loaded", c.path, c.problems, c.problems == 1 ? "" : "s");
	}
	if ((rs->mctx = pcre2_match_context_create(NULL)) == NULL || prepare_prefilter(rs) != 0) {
		ca_ruleset_free(rs);
		return ca_err_set(err, CA_EX_SOFTWARE, "compiling the screening rules: out of memory");
	}
	pcre2_set_match_limit(rs->mctx, CA_RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mctx, CA_RULES_DEPTH_LIMIT);
	pcre2_set_heap_limit(rs->mctx, CA_RULES_HEAP_LIMIT_KB);
	*out = rs;
	return 0;
}

int
ca_ruleset_has(const ca_ruleset *rs, const char *rule_id)
{
	return ca_ruleset_find(rs, rule_id) != NULL;
}

const ca_rule *
ca_ruleset_find(const ca_ruleset *rs, const char *rule_id)
{
	if (rs == NULL || rule_id == NULL)
		return NULL;
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->rules[i].id, rule_id) == 0)
			return &rs->rules[i];
	return NULL;
}

size_t
ca_ruleset_count(const ca_ruleset *rs)
{
	return rs != NULL ? rs->n : 0;
}

const ca_rule *
ca_ruleset_rule(const ca_ruleset *rs, size_t i)
{
	return rs != NULL && i < rs->n ? &rs->rules[i] : NULL;
}

size_t
ca_ruleset_patterns(const ca_ruleset *rs, size_t *jit_compiled)
{
	size_t n = 0, j = 0;

	for (size_t r = 0; rs != NULL && r < rs->n; r++)
		for (size_t p = 0; p < rs->rules[r].npatterns; p++) {
			n++;
			j += rs->rules[r].patterns[p].jit != 0;
		}
	if (jit_compiled != NULL)
		*jit_compiled = j;
	return n;
}

const struct pcre2_real_match_context_8 *
ca_ruleset_match_context(const ca_ruleset *rs)
{
	return rs->mctx;
}
