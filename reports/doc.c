/*
 * doc.c - the document, its fonts and errors, the flow of content down
 * the pages, and the finished bytes (doc.h).
 */
#include "doc_private.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

int
ca_doc_fail(ca_doc *d, int code, const char *fmt, ...)
{
	va_list ap;

	if (d->err.code != 0)
		return d->err.code;
	va_start(ap, fmt);
	ca_err_setv(&d->err, code, fmt, ap);
	va_end(ap);
	return code;
}

int
ca_doc_error(const ca_doc *d, ca_err *err)
{
	if (err != NULL && d->err.code != 0)
		*err = d->err;
	return d->err.code;
}

/* libharu calls this for every error it raises; errors stay raised in
 * libharu too, so every later call fails at once and nothing is drawn
 * on a broken document.  Only the first is worth reporting. */
static void
on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	ca_doc *d = user;

	if (error_no == HPDF_FAILD_TO_ALLOC_MEM)
		ca_doc_fail(d, CA_EX_SOFTWARE, "rendering the PDF: out of memory");
	else
		ca_doc_fail(d, CA_EX_SOFTWARE, "rendering the PDF: libharu error 0x%04X (detail %u)",
		    (unsigned)error_no, (unsigned)detail_no);
}

const char *
ca_doc_font_dir(const char *font_dir)
{
	const char *env = getenv("CASEAUDIT_FONT_DIR");

	if (font_dir != NULL && *font_dir != '\0')
		return font_dir;
	return env != NULL && *env != '\0' ? env : CA_FONT_DIR;
}

/* Load dir/file as an embedded TrueType font with the UTF-8 encoder.
 * Checks the file can be read first, so a missing font is reported by
 * its path rather than as a libharu error number. */
static HPDF_Font
load_font(ca_doc *d, const char *dir, const char *file)
{
	char path[4096];
	const char *name;
	FILE *fp;
	int n = snprintf(path, sizeof path, "%s/%s", dir, file);

	if (n < 0 || (size_t)n >= sizeof path) {
		ca_doc_fail(d, CA_EX_NOINPUT, "loading the fonts: the font directory's path is too long");
		return NULL;
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		ca_doc_fail(d, CA_EX_NOINPUT, "loading the fonts: %s: %s (install fonts-dejavu-core"
		    " or set CASEAUDIT_FONT_DIR)", path, strerror(errno));
		return NULL;
	}
	fclose(fp);
	name = HPDF_LoadTTFontFromFile(d->pdf, path, HPDF_TRUE);
	if (name == NULL) {
		/* libharu's report went in first: replace it with one that
		 * names the file. */
		ca_err_set(&d->err, CA_EX_NOINPUT, "loading the fonts: %s: not a TrueType font"
		    " libharu can embed (libharu error 0x%04X)", path,
		    (unsigned)HPDF_GetError(d->pdf));
		return NULL;
	}
	return HPDF_GetFont(d->pdf, name, "UTF-8");
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, checked, as libharu's date. */
static int
parse_date(const char *s, HPDF_Date *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, da, h = 0, mi = 0, se = 0, end = 0;
	size_t len = s != NULL ? strlen(s) : 0;

	if (len == 10) {
		if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &da, &end) != 3 || end != 10)
			return -1;
	} else if (len == 20) {
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &da, &h, &mi, &se, &end) != 6 ||
		    end != 20)
			return -1;
	} else
		return -1;
	for (size_t i = 0; i < len; i++)
		if (strchr("0123456789-T:Z", s[i]) == NULL)
			return -1;
	if (y < 1900 || mo < 1 || mo > 12 || da < 1 ||
	    da > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 || se > 59)
		return -1;
	memset(out, 0, sizeof *out);
	out->year = y;
	out->month = mo;
	out->day = da;
	out->hour = h;
	out->minutes = mi;
	out->seconds = se;
	out->ind = 'Z';
	return 0;
}

static int
set_info(ca_doc *d, const ca_doc_info *info)
{
	static const struct { HPDF_InfoType type; size_t off; } text[] = {
		{ HPDF_INFO_TITLE, offsetof(ca_doc_info, title) },
		{ HPDF_INFO_SUBJECT, offsetof(ca_doc_info, subject) },
		{ HPDF_INFO_AUTHOR, offsetof(ca_doc_info, author) },
		{ HPDF_INFO_KEYWORDS, offsetof(ca_doc_info, keywords) },
	};
	const char *modified = info->modified != NULL ? info->modified : info->created;
	const char *bad = NULL;
	HPDF_Date created, changed;

	if (parse_date(info->created, &created) != 0)
		bad = info->created != NULL ? info->created : "";
	else if (parse_date(modified, &changed) != 0)
		bad = modified;
	if (bad != NULL)
		return ca_doc_fail(d, CA_EX_DATAERR, "making a PDF: the document date \"%.40s\" is"
		    " not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", bad);
	/* With the UTF-8 encoder current, libharu writes these strings as
	 * UTF-16 (with a byte order mark), which every reader shows. */
	HPDF_SetCurrentEncoder(d->pdf, "UTF-8");
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
		const char *v = *(const char *const *)((const char *)info + text[i].off);
		char *clean;

		if (v == NULL)
			continue;
		if ((clean = ca_doc_clean(d, v)) == NULL)
			return d->err.code;
		HPDF_SetInfoAttr(d->pdf, text[i].type, clean);
		free(clean);
	}
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "caseaudit " CASEAUDIT_VERSION);
	HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_CREATION_DATE, created);
	HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_MOD_DATE, changed);
	return d->err.code;
}

static int
setup(ca_doc *d, const ca_doc_info *info)
{
	const char *dir = ca_doc_font_dir(info->font_dir);

	if ((d->pdf = HPDF_New(on_hpdf_error, d)) == NULL)
		return ca_doc_fail(d, CA_EX_SOFTWARE, "making a PDF: out of memory");
	HPDF_UseUTFEncodings(d->pdf);
	HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
	HPDF_SetPageMode(d->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	if (d->err.code != 0)
		return d->err.code;
	if ((d->fonts.face[0] = load_font(d, dir, CA_FONT_REGULAR)) == NULL ||
	    (d->fonts.face[1] = load_font(d, dir, CA_FONT_BOLD)) == NULL)
		return ca_doc_fail(d, CA_EX_SOFTWARE, "loading the fonts: libharu failed");
	if ((d->title = ca_doc_clean(d, info->short_title != NULL ? info->short_title :
	    info->title)) == NULL ||
	    (d->footer = ca_doc_clean(d, info->footer ? info->footer : "")) == NULL)
		return d->err.code;
	return set_info(d, info);
}

int
ca_doc_new(ca_doc **out, const ca_doc_info *info, ca_err *err)
{
	ca_doc *d;
	int rc;

	*out = NULL;
	if (info == NULL || info->title == NULL || *info->title == '\0')
		return ca_err_set(err, CA_EX_USAGE, "making a PDF: a document needs a title");
	if ((d = calloc(1, sizeof *d)) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "making a PDF: out of memory");
	if ((rc = setup(d, info)) != 0) {
		ca_doc_error(d, err);
		ca_doc_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void
ca_doc_free(ca_doc *d)
{
	if (d == NULL)
		return;
	if (d->pdf != NULL)
		HPDF_Free(d->pdf);
	for (size_t i = 0; i < d->nheads; i++)
		free(d->heads[i].text);
	free(d->heads);
	free(d->pages);
	for (size_t i = 0; i < d->npending; i++)
		free(d->pending[i]);
	free(d->contents_title);
	free(d->title);
	free(d->footer);
	free(d->bytes);
	free(d);
}

char *
ca_doc_clean(ca_doc *d, const char *s)
{
	char *c;

	if (d->err.code != 0)
		return NULL;
	if (s == NULL)
		s = "";
	if ((c = ca_text_clean(s, strlen(s))) == NULL)
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
	return c;
}

/* --- the flow ------------------------------------------------------- */

ca_box
ca_doc_frame(const ca_doc *d)
{
	ca_box b = { MARGIN_X, BODY_BOTTOM, PAGE_W - 2 * MARGIN_X, BODY_TOP - BODY_BOTTOM };

	(void)d;
	return b;
}

double
ca_doc_room(const ca_doc *d)
{
	if (d->npages == 0 || d->break_pending)
		return BODY_TOP - BODY_BOTTOM;
	return d->y - BODY_BOTTOM;
}

int
ca_doc_at_top(const ca_doc *d)
{
	return d->npages == 0 || d->break_pending || d->fresh;
}

void
doc_new_page(ca_doc *d)
{
	HPDF_Page page;

	if (d->err.code != 0)
		return;
	if (d->npages == d->cap_pages) {
		size_t cap = d->cap_pages ? 2 * d->cap_pages : 16;
		HPDF_Page *v = realloc(d->pages, cap * sizeof *v);

		if (v == NULL) {
			ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: out of memory");
			return;
		}
		d->pages = v;
		d->cap_pages = cap;
	}
	if ((page = HPDF_AddPage(d->pdf)) == NULL)
		return;
	HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	d->pages[d->npages++] = page;
	d->y = BODY_TOP;
	d->fresh = 1;
	d->break_pending = 0;
}

void
ca_doc_keep(ca_doc *d, double h)
{
	double need;

	if (d->err.code != 0)
		return;
	if (d->finished) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: content added after rendering");
		return;
	}
	if (d->npages == 0 || d->break_pending)
		doc_new_page(d);
	need = h + heading_pending_height(d, d->fresh);
	if (!d->fresh && need > d->y - BODY_BOTTOM + 1e-6)
		doc_new_page(d);
	heading_draw_pending(d);
}

ca_box
ca_doc_take(ca_doc *d, double h)
{
	ca_box b = { MARGIN_X, 0, PAGE_W - 2 * MARGIN_X, h };

	if (h > BODY_TOP - BODY_BOTTOM + 1e-6)
		ca_doc_fail(d, CA_EX_SOFTWARE, "laying out the PDF: a block %.0f pt tall does not fit"
		    " on a page (%.0f pt)", h, BODY_TOP - BODY_BOTTOM);
	ca_doc_keep(d, h);
	if (d->err.code != 0) {
		b.y = BODY_BOTTOM;
		return b;
	}
	d->y -= h;
	d->fresh = 0;
	b.y = d->y;
	return b;
}

void
ca_doc_space(ca_doc *d, double h)
{
	if (d->err.code != 0 || ca_doc_at_top(d) || d->npending > 0)
		return;
	d->y -= h;
	if (d->y < BODY_BOTTOM + 1e-6)
		d->break_pending = 1;
}

void
ca_doc_page_break(ca_doc *d)
{
	if (d->err.code != 0)
		return;
	ca_doc_keep(d, 0);      /* a waiting heading goes on this page */
	if (!ca_doc_at_top(d))
		d->break_pending = 1;
}

HPDF_Page
ca_doc_page(ca_doc *d)
{
	return d->err.code == 0 && d->npages > 0 ? d->pages[d->npages - 1] : NULL;
}

const ca_fonts *
ca_doc_fonts(const ca_doc *d)
{
	return &d->fonts;
}

/* --- output --------------------------------------------------------- */

static void
finish(ca_doc *d)
{
	ca_doc_keep(d, 0);      /* a heading with nothing after it */
	d->finished = 1;
	heading_contents(d);
	running_draw(d);
}

static void
save(ca_doc *d)
{
	HPDF_UINT32 size, got;

	if (d->err.code != 0 || HPDF_SaveToStream(d->pdf) != HPDF_OK || d->err.code != 0)
		return;
	size = HPDF_GetStreamSize(d->pdf);
	if (size == 0 || (d->bytes = malloc(size)) == NULL) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "rendering the PDF: out of memory");
		return;
	}
	got = size;
	if (HPDF_ResetStream(d->pdf) != HPDF_OK ||
	    HPDF_ReadFromStream(d->pdf, d->bytes, &got) != HPDF_OK || got != size) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "rendering the PDF: read %u of %u bytes",
		    (unsigned)got, (unsigned)size);
		return;
	}
	d->nbytes = size;
}

int
ca_doc_render(ca_doc *d, unsigned char **pdf, size_t *len, ca_err *err)
{
	*pdf = NULL;
	*len = 0;
	if (!d->finished && d->err.code == 0) {
		finish(d);
		save(d);
	}
	if (d->err.code != 0 || d->bytes == NULL) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "rendering the PDF: nothing rendered");
		return ca_doc_error(d, err);
	}
	if ((*pdf = malloc(d->nbytes)) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "rendering the PDF: out of memory");
	memcpy(*pdf, d->bytes, d->nbytes);
	*len = d->nbytes;
	return 0;
}

size_t
ca_doc_page_count(const ca_doc *d)
{
	return d->npages;
}

int
ca_doc_write(const char *path, const unsigned char *pdf, size_t len, ca_err *err)
{
	FILE *fp = fopen(path, "wb");
	int saved;

	if (fp == NULL)
		return ca_err_set(err, CA_EX_IOERR, "writing %s: %s", path, strerror(errno));
	if (fwrite(pdf, 1, len, fp) != len || fflush(fp) != 0) {
		saved = errno;
		fclose(fp);
		remove(path);
		return ca_err_set(err, CA_EX_IOERR, "writing %s: %s", path, strerror(saved));
	}
	if (fclose(fp) != 0) {
		saved = errno;
		remove(path);
		return ca_err_set(err, CA_EX_IOERR, "writing %s: %s", path, strerror(saved));
	}
	return 0;
}
