/*
 * heading.h - a report's title, its section headings (which are also the
 * PDF's bookmarks) and its list of contents.
 */
#ifndef CASEAUDIT_HEADING_H
#define CASEAUDIT_HEADING_H

#include "doc.h"

/* The title block at the top of the first page: the title large, then
 * the subtitle (may be NULL) smaller, both wrapped. */
void ca_doc_title(ca_doc *d, const char *title, const char *subtitle);

/*
 * A heading, level 1 (section) or 2 (subsection); other levels count as
 * 2.  It is drawn with the block that follows it (several headings in a
 * row stay together), so it never ends a page.  Each becomes a bookmark,
 * level 2 under the level 1 before it.
 */
void ca_heading(ca_doc *d, int level, const char *text);

/*
 * Put a list of contents here, on pages of its own: every heading of the
 * document with its page number, each a link.  Headings come later, so
 * the pages are inserted when the document is rendered; the page numbers
 * account for them.  Once per document.
 */
void ca_doc_contents(ca_doc *d, const char *title);

#endif
