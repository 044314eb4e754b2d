/*
 * output.h - small pieces every command's output is made of: JSON strings
 * and numbers, CSV fields, column widths in a terminal, and the name of
 * the operating-system account acting (for imports, loads and the trail).
 *
 * One place for each, so that every `--format json` escapes the same way
 * and every CSV opens the same in a spreadsheet.
 */
#ifndef CASEAUDIT_OUTPUT_H
#define CASEAUDIT_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "strbuf.h"

/* s as a JSON string: quoted, with quotes, backslashes and control
 * characters escaped (UTF-8 passes through). */
void ca_json_string(ca_strbuf *b, const char *s);

/* A number written one way only: whole numbers without a point, others
 * with the fewest digits that are exact for numbers people write. */
void ca_json_number(ca_strbuf *b, double v);

/* s as one CSV field (RFC 4180): quoted when it holds a comma, quote or
 * line break.  The caller writes the separators. */
void ca_csv_field(FILE *f, const char *s);

/* Columns a UTF-8 string takes in a terminal: one per character. */
size_t ca_display_width(const char *s);

/* The operating-system account running caseaudit, or "unknown". */
const char *ca_os_user(void);

#endif
