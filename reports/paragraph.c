/*
 * paragraph.c - paragraphs, bullets and notes (paragraph.h).
 */
#include "paragraph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct para_style {
	double size, leading, indent, after;
	ca_colour colour;
	int bullet;
} para_style;

static const para_style body = { CA_BODY_SIZE, CA_BODY_LEADING, 0, 7, CA_INK, 0 };
static const para_style bullet = { CA_BODY_SIZE, CA_BODY_LEADING, 16, 3, CA_INK, 1 };
static const para_style note = { 8.5, 11.5, 0, 7, CA_MUTED, 0 };

#define BULLET "\xE2\x80\xA2"           /* U+2022 */

/* The runs cleaned and joined into one text with a weight per byte. */
static int
join(ca_doc *d, const ca_run *runs, size_t n, char **s, unsigned char **bold, size_t *len)
{
	size_t total = 0;
	char **parts = calloc(n + 1, sizeof *parts);
	int rc = -1;

	*s = NULL;
	*bold = NULL;
	if (parts == NULL)
		goto done;
	for (size_t i = 0; i < n; i++) {
		if ((parts[i] = ca_doc_clean(d, runs[i].text)) == NULL)
			goto done;
		total += strlen(parts[i]);
	}
	if ((*s = malloc(total + 1)) == NULL || (*bold = malloc(total + 1)) == NULL)
		goto done;
	*len = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(parts[i]);

		memcpy(*s + *len, parts[i], l);
		memset(*bold + *len, runs[i].bold != 0, l);
		*len += l;
	}
	(*s)[*len] = '\0';
	rc = 0;
done:
	for (size_t i = 0; parts != NULL && i < n; i++)
		free(parts[i]);
	free(parts);
	if (rc != 0) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
		free(*s);
		free(*bold);
	}
	return rc;
}

/* How many of the rem lines left go on this page, fit of them room:
 * never one line alone at the top of the next page, nor (first == 1)
 * one alone at the foot of this one. */
static size_t
lines_here(size_t fit, size_t rem, int first)
{
	size_t put = fit < rem ? fit : rem;

	if (put < rem && rem - put == 1 && put >= 2 && (!first || put > 2))
		put--;
	return put;
}

static void
draw_line(ca_doc *d, const ca_text *t, const ca_line *l, const para_style *st, int first)
{
	ca_box b = ca_doc_take(d, st->leading);
	HPDF_Page page = ca_doc_page(d);
	double base = ca_text_baseline(b.y + b.h, st->leading, st->size);

	if (page == NULL)
		return;
	ca_fill(page, st->colour);
	if (st->bullet && first) {
		ca_text bt = ca_text_plain(BULLET, 0, st->size);

		ca_text_draw(page, ca_doc_fonts(d), &bt, 0, bt.len, b.x + 4, base);
	}
	ca_text_draw(page, ca_doc_fonts(d), t, l->off, l->off + l->len, b.x + st->indent, base);
}

static void
flow(ca_doc *d, const ca_run *runs, size_t n, const para_style *st)
{
	char *s;
	unsigned char *bold;
	size_t len, nl, i = 0;
	ca_line *lines = NULL;
	ca_text t;

	if (ca_doc_error(d, NULL) != 0 || join(d, runs, n, &s, &bold, &len) != 0)
		return;
	t.s = s;
	t.len = len;
	t.bold = bold;
	t.weight = 0;
	t.size = st->size;
	if (ca_text_wrap(ca_doc_fonts(d), &t, ca_doc_frame(d).w - st->indent, &lines, &nl) != 0) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
		goto done;
	}
	ca_doc_keep(d, (double)(nl <= 3 ? nl : 2) * st->leading);
	while (i < nl && ca_doc_error(d, NULL) == 0) {
		size_t fit = (size_t)floor(ca_doc_room(d) / st->leading + 1e-9), put;

		if (fit == 0) {
			ca_doc_page_break(d);
			continue;
		}
		put = lines_here(fit, nl - i, i == 0);
		for (size_t k = 0; k < put; k++, i++)
			draw_line(d, &t, &lines[i], st, i == 0);
		if (i < nl)
			ca_doc_page_break(d);
	}
	ca_doc_space(d, st->after);
done:
	free(lines);
	free(s);
	free(bold);
}

/* One run of text in one weight. */
static void
flow_one(ca_doc *d, const char *text, int bold, const para_style *st)
{
	ca_run r = { text, bold };

	flow(d, &r, 1, st);
}

void
ca_para(ca_doc *d, const char *text)
{
	flow_one(d, text, 0, &body);
}

void
ca_para_bold(ca_doc *d, const char *text)
{
	flow_one(d, text, 1, &body);
}

void
ca_para_runs(ca_doc *d, const ca_run *runs, size_t n)
{
	flow(d, runs, n, &body);
}

void
ca_bullet(ca_doc *d, const char *text)
{
	flow_one(d, text, 0, &bullet);
}

void
ca_bullet_runs(ca_doc *d, const ca_run *runs, size_t n)
{
	flow(d, runs, n, &bullet);
}

void
ca_note(ca_doc *d, const char *text)
{
	flow_one(d, text, 0, &note);
}
