/*
 * paragraph.h - running text: paragraphs, bulleted items and notes,
 * broken into lines at spaces (text.h), bold as a whole or in runs.
 *
 * A paragraph breaks across pages between lines, but never leaves its
 * first line alone at the foot of a page or its last alone at the top of
 * the next.
 */
#ifndef CASEAUDIT_PARAGRAPH_H
#define CASEAUDIT_PARAGRAPH_H

#include <stddef.h>

#include "doc.h"

/* A run of text in one weight; runs join without adding spaces. */
typedef struct ca_run {
	const char *text;
	int bold;
} ca_run;

void ca_para(ca_doc *d, const char *text);
void ca_para_bold(ca_doc *d, const char *text);
/* e.g. { "Concern: ", 1 }, { "two partners are below the lower limit.", 0 } */
void ca_para_runs(ca_doc *d, const ca_run *runs, size_t n);

/* An item of a bulleted list: a bullet, the text indented after it. */
void ca_bullet(ca_doc *d, const char *text);
void ca_bullet_runs(ca_doc *d, const ca_run *runs, size_t n);

/* Small grey text: a chart's source, a footnote on small numbers. */
void ca_note(ca_doc *d, const char *text);

#endif
