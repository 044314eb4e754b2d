/*
 * csvscan.c - finding CSV record boundaries; see csvscan.h.
 *
 * The loop copies runs of ordinary bytes at once and stops only at the
 * four bytes that matter to record structure: quote, comma, CR and LF.
 * A quote toggles the quoted state, exactly as PostgreSQL's CSV reader
 * does, so both agree on where every record ends.
 */
#include "csvscan.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"
#include "utf8.h"

#define READ_CHUNK (256 * 1024)

struct ca_csv_reader {
	int fd;
	unsigned char *in;        /* read buffer */
	size_t in_len, in_pos;
	int eof;
	int first_read;           /* a BOM may still come */

	char *rec;                /* the record being assembled */
	size_t rec_len, rec_cap, max_record;
	int overflow;

	long line;                /* physical line at the scan position */
	long rec_line;
	int fields;
	int in_quote;
	int was_quoted;           /* the record held a quote: not a blank line */
	int last_was_cr;          /* for CRLF: count one line, end one record */

	unsigned long long bytes;
	ca_sha256 sha;
	int digest_done;
	char digest_hex[65];
};

/* Bytes that end a run outside and inside quotes. */
static unsigned char stop_outside[256], stop_inside[256];

static void
init_tables(void)
{
	if (stop_outside['"'])
		return;
	stop_outside['"'] = stop_outside[','] = stop_outside['\r'] = stop_outside['\n'] = 1;
	stop_inside['"'] = stop_inside['\r'] = stop_inside['\n'] = 1;
}

int
ca_csv_open(ca_csv_reader **out, const char *path, size_t max_record, ca_err *err)
{
	ca_csv_reader *r;

	init_tables();
	*out = NULL;
	r = calloc(1, sizeof *r);
	if (r == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		int e = errno;

		free(r);
		return ca_err_set(err, CA_EX_NOINPUT, "cannot open %s: %s", path, strerror(e));
	}
	r->in = malloc(READ_CHUNK);
	r->rec_cap = 64 * 1024 < max_record ? 64 * 1024 : max_record;
	r->rec = malloc(r->rec_cap + 1);
	if (r->in == NULL || r->rec == NULL) {
		ca_csv_close(r);
		return ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
	}
	r->max_record = max_record;
	r->first_read = 1;
	r->line = 1;
	r->rec_line = 1;
	r->fields = 1;
	if (ca_sha256_init(&r->sha) != 0) {
		ca_csv_close(r);
		return ca_err_set(err, CA_EX_SOFTWARE, "cannot start a SHA-256 digest");
	}
	*out = r;
	return 0;
}

void
ca_csv_close(ca_csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);
	if (!r->digest_done)
		ca_sha256_abandon(&r->sha);
	free(r->in);
	free(r->rec);
	free(r);
}

static int
fill(ca_csv_reader *r, ca_err *err)
{
	ssize_t got;

	do
		got = read(r->fd, r->in, READ_CHUNK);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return ca_err_set(err, CA_EX_NOINPUT, "cannot read the file: %s", strerror(errno));
	r->in_len = (size_t)got;
	r->in_pos = 0;
	if (got == 0) {
		r->eof = 1;
		return 0;
	}
	ca_sha256_update(&r->sha, r->in, r->in_len);
	r->bytes += r->in_len;
	if (r->first_read) {
		r->first_read = 0;
		if (r->in_len >= 3 && memcmp(r->in, "\xEF\xBB\xBF", 3) == 0)
			r->in_pos = 3;
	}
	return 0;
}

/* Append to the record, keeping at most max_record bytes. */
static int
append(ca_csv_reader *r, const unsigned char *p, size_t n)
{
	if (r->rec_len + n > r->max_record) {
		r->overflow = 1;
		n = r->max_record - r->rec_len;
	}
	if (r->rec_len + n > r->rec_cap) {
		size_t cap = r->rec_cap * 2;
		char *nb;

		while (cap < r->rec_len + n)
			cap *= 2;
		if (cap > r->max_record)
			cap = r->max_record;
		nb = realloc(r->rec, cap + 1);
		if (nb == NULL)
			return -1;
		r->rec = nb;
		r->rec_cap = cap;
	}
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
	return 0;
}

/* Which field and physical line hold byte offset off of the record. */
static void
locate(const ca_csv_reader *r, size_t off, ca_csv_record *rec)
{
	int quoted = 0, field = 0;
	long line = r->rec_line;

	for (size_t i = 0; i < off && i < r->rec_len; i++) {
		char c = r->rec[i];

		if (c == '"')
			quoted = !quoted;
		else if (c == ',' && !quoted)
			field++;
		else if (c == '\n' || (c == '\r' && (i + 1 >= r->rec_len || r->rec[i + 1] != '\n')))
			line++;
	}
	rec->problem_field = field;
	rec->problem_line = line;
}

static void
finish_record(ca_csv_reader *r, ca_csv_record *rec, int at_eof)
{
	size_t where = 0;

	r->rec[r->rec_len] = '\0';
	rec->data = r->rec;
	rec->len = r->rec_len;
	rec->line = r->rec_line;
	rec->fields = r->fields;
	rec->problem = CA_CSV_OK;
	rec->problem_line = r->rec_line;
	rec->problem_field = 0;

	if (r->overflow) {
		/* The bytes were cut, perhaps inside a character: say why, and
		 * blame no column in particular. */
		rec->problem = CA_CSV_TOO_LONG;
		rec->problem_field = -1;
		return;
	}
	switch (ca_utf8_check((const unsigned char *)r->rec, r->rec_len, &where)) {
	case CA_UTF8_INVALID:
		rec->problem = CA_CSV_BAD_UTF8;
		locate(r, where, rec);
		break;
	case CA_UTF8_NUL:
		rec->problem = CA_CSV_NUL;
		locate(r, where, rec);
		break;
	case CA_UTF8_OK:
		break;
	}
	if (rec->problem == CA_CSV_OK && at_eof && r->in_quote) {
		rec->problem = CA_CSV_UNTERMINATED;
		locate(r, r->rec_len, rec);
		/* Point at the field whose quote never closed. */
		for (size_t i = r->rec_len; i-- > 0;) {
			if (r->rec[i] == '"') {
				locate(r, i, rec);
				break;
			}
		}
	}
}

static void
reset_record(ca_csv_reader *r)
{
	r->rec_len = 0;
	r->overflow = 0;
	r->fields = 1;
	r->in_quote = 0;
	r->was_quoted = 0;
	r->rec_line = r->line;
}

static int
blank(const ca_csv_reader *r)
{
	return r->rec_len == 0 && r->fields == 1 && !r->was_quoted;
}

int
ca_csv_next(ca_csv_reader *r, ca_csv_record *rec, ca_err *err)
{
	for (;;) {
		const unsigned char *p;
		size_t i, n;

		if (r->in_pos == r->in_len) {
			if (r->eof)
				break;
			if (fill(r, err) != 0)
				return -1;
			continue;
		}
		p = r->in;
		n = r->in_len;
		i = r->in_pos;
		while (i < n) {
			const unsigned char *stop = r->in_quote ? stop_inside : stop_outside;
			size_t start = i;
			unsigned char c;

			while (i < n && !stop[p[i]])
				i++;
			if (i > start) {
				r->last_was_cr = 0;
				if (append(r, p + start, i - start) != 0)
					goto nomem;
			}
			if (i == n)
				break;
			c = p[i++];
			if (c == '"') {
				r->in_quote = !r->in_quote;
				r->was_quoted = 1;
			} else if (c == ',') {
				if (r->fields < INT_MAX)
					r->fields++;
			} else if (c == '\n' && r->last_was_cr) {
				/* The LF of a CRLF: the CR already counted the line. */
				r->last_was_cr = 0;
				if (!r->in_quote) {
					r->rec_line = r->line;
					continue;
				}
			} else {
				r->line++;
				r->last_was_cr = (c == '\r');
				if (!r->in_quote) {
					if (blank(r)) {
						reset_record(r);
						continue;
					}
					r->in_pos = i;
					finish_record(r, rec, 0);
					reset_record(r);
					return 1;
				}
			}
			if (c != '\r' && c != '\n')
				r->last_was_cr = 0;
			if (append(r, &c, 1) != 0)
				goto nomem;
		}
		r->in_pos = i;
	}
	if (blank(r))
		return 0;
	finish_record(r, rec, 1);
	reset_record(r);
	return 1;
nomem:
	ca_err_set(err, CA_EX_SOFTWARE, "out of memory reading a record of %zu bytes", r->rec_len);
	return -1;
}

unsigned long long
ca_csv_bytes(const ca_csv_reader *r)
{
	return r->bytes;
}

void
ca_csv_digest(ca_csv_reader *r, char hex[65])
{
	if (!r->digest_done) {
		ca_sha256_final_hex(&r->sha, r->digest_hex);
		r->digest_done = 1;
	}
	memcpy(hex, r->digest_hex, 65);
}

const char *
ca_csv_problem_text(enum ca_csv_problem p)
{
	switch (p) {
	case CA_CSV_OK:
		return "no problem";
	case CA_CSV_BAD_UTF8:
		return "invalid UTF-8 (save the file as UTF-8)";
	case CA_CSV_NUL:
		return "contains a NUL byte";
	case CA_CSV_UNTERMINATED:
		return "quoted field is never closed (a missing \")";
	case CA_CSV_TOO_LONG:
		return "record is too long";
	}
	return "unknown problem";
}
