/*
 * listing.c - query rows as a table, CSV or JSON (see listing.h).
 */
#include "listing.h"

#include <string.h>

#include "cli.h"
#include "date.h"
#include "error.h"
#include "output.h"

/* Table cells longer than this are cut with "...": a listing is for
 * scanning; `show` commands and JSON give whole values. */
#define CELL_MAX 48

int
ca_format_parse(const char *command, const char *arg, ca_format *f)
{
	if (strcmp(arg, "table") == 0)
		*f = CA_FORMAT_TABLE;
	else if (strcmp(arg, "csv") == 0)
		*f = CA_FORMAT_CSV;
	else if (strcmp(arg, "json") == 0)
		*f = CA_FORMAT_JSON;
	else
		return ca_cli_usage(command, "--format is table, csv or json, not '%s'", arg);
	return 0;
}

/* The text of one cell as a table or CSV shows it, in buf. */
static const char *
cell_text(const PGresult *res, int r, int c, ca_col_kind kind, int table, char *buf,
    size_t size)
{
	const char *v;

	if (PQgetisnull(res, r, c))
		return table ? "-" : "";
	v = PQgetvalue(res, r, c);
	if (kind == CA_COL_BOOL)
		return v[0] == 't' ? "yes" : "no";
	if (kind == CA_COL_DATE && table) {
		ca_date_uk(v, buf);
		return buf;
	}
	if (table && ca_display_width(v) > CELL_MAX) {
		size_t cut = 0, chars = 0;

		/* cut at a character boundary */
		while (v[cut] != '\0' && chars < CELL_MAX - 3) {
			cut++;
			while (((unsigned char)v[cut] & 0xC0) == 0x80)
				cut++;
			chars++;
		}
		snprintf(buf, size, "%.*s...", (int)cut, v);
		return buf;
	}
	return v;
}

void
ca_listing_json_object(ca_strbuf *b, const PGresult *res, int r, const ca_column *cols,
    int ncols)
{
	ca_strbuf_adds(b, "{");
	for (int c = 0; c < ncols; c++) {
		const char *v = PQgetvalue(res, r, c);

		if (c > 0)
			ca_strbuf_adds(b, ", ");
		ca_json_string(b, cols[c].name);
		ca_strbuf_adds(b, ": ");
		if (PQgetisnull(res, r, c))
			ca_strbuf_adds(b, "null");
		else if (cols[c].kind == CA_COL_NUMBER || cols[c].kind == CA_COL_JSON)
			ca_strbuf_adds(b, v);
		else if (cols[c].kind == CA_COL_BOOL)
			ca_strbuf_adds(b, v[0] == 't' ? "true" : "false");
		else
			ca_json_string(b, v);
	}
	ca_strbuf_adds(b, "}");
}

static void
print_json(FILE *f, const PGresult *res, const ca_column *cols, int ncols)
{
	int rows = PQntuples(res);
	ca_strbuf b;

	ca_strbuf_init(&b);
	ca_strbuf_adds(&b, "[");
	for (int r = 0; r < rows; r++) {
		ca_strbuf_adds(&b, r > 0 ? ",\n " : "\n ");
		ca_listing_json_object(&b, res, r, cols, ncols);
	}
	ca_strbuf_adds(&b, rows > 0 ? "\n]\n" : "]\n");
	if (!ca_strbuf_failed(&b))
		fputs(b.data, f);
	ca_strbuf_free(&b);
}

static void
print_csv(FILE *f, const PGresult *res, const ca_column *cols, int ncols)
{
	char buf[CELL_MAX * 4 + 8];

	for (int c = 0; c < ncols; c++) {
		ca_csv_field(f, cols[c].name);
		fputc(c + 1 < ncols ? ',' : '\n', f);
	}
	for (int r = 0; r < PQntuples(res); r++)
		for (int c = 0; c < ncols; c++) {
			ca_csv_field(f, cell_text(res, r, c, cols[c].kind, 0, buf, sizeof buf));
			fputc(c + 1 < ncols ? ',' : '\n', f);
		}
}

static void
pad(FILE *f, const char *s, size_t width)
{
	size_t w = ca_display_width(s);

	fputs(s, f);
	while (w++ < width)
		fputc(' ', f);
}

static void
print_table(FILE *f, const PGresult *res, const ca_column *cols, int ncols)
{
	char buf[CELL_MAX * 4 + 8];
	size_t width[64];
	int rows = PQntuples(res);

	if (ncols > 64)
		ncols = 64;
	for (int c = 0; c < ncols; c++)
		width[c] = ca_display_width(cols[c].heading);
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < ncols; c++) {
			size_t w = ca_display_width(cell_text(res, r, c, cols[c].kind, 1, buf,
			    sizeof buf));

			if (w > width[c])
				width[c] = w;
		}
	for (int c = 0; c < ncols; c++)
		pad(f, cols[c].heading, c + 1 < ncols ? width[c] + 2 : 0);
	fputc('\n', f);
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < ncols; c++)
			pad(f, cell_text(res, r, c, cols[c].kind, 1, buf, sizeof buf),
			    c + 1 < ncols ? width[c] + 2 : 0);
		fputc('\n', f);
	}
}

void
ca_listing_print(FILE *f, const PGresult *res, const ca_column *cols, int ncols,
    ca_format fmt, const char *empty)
{
	switch (fmt) {
	case CA_FORMAT_JSON:
		print_json(f, res, cols, ncols);
		break;
	case CA_FORMAT_CSV:
		print_csv(f, res, cols, ncols);
		break;
	case CA_FORMAT_TABLE:
		if (PQntuples(res) == 0 && empty != NULL)
			fprintf(f, "%s\n", empty);
		else
			print_table(f, res, cols, ncols);
		break;
	}
}
