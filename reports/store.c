/*
 * store.c - keeping rendered reports in the `reports` table (report.h).
 *
 * The bytes go to the database as bytea's hex text, so the statement
 * stays an ordinary text-parameter query like every other.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* "\x" and two hex digits a byte: bytea's input form. */
static char *
bytea_hex(const unsigned char *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 3), *p;

	if (s == NULL)
		return NULL;
	p = s;
	*p++ = '\\';
	*p++ = 'x';
	for (size_t i = 0; i < n; i++) {
		*p++ = digits[b[i] >> 4];
		*p++ = digits[b[i] & 15];
	}
	*p = '\0';
	return s;
}

static int
meta_check(const ca_report_meta *m, ca_err *err)
{
	int audit = m->kind != NULL && strcmp(m->kind, "audit") == 0;
	int provider = m->kind != NULL && strcmp(m->kind, "provider") == 0;

	if (m->kind == NULL || (!audit && !provider && strcmp(m->kind, "board") != 0))
		return ca_err_set(err, CA_EX_DATAERR, "storing the report: unknown kind");
	if (audit != (m->audit_id > 0) || provider != (m->provider_id > 0) ||
	    audit != (m->period == NULL) || m->generated_by == NULL)
		return ca_err_set(err, CA_EX_DATAERR, "storing the report: a %s report needs %s",
		    m->kind, audit ? "an audit and no period" : provider ?
		    "a period and a partner" : "a period only");
	return 0;
}

/* Insert the row, or find the one with the same digest; then the event. */
static int
store(PGconn *conn, const ca_report_meta *m, const ca_report_pdf *pdf, const char *hex,
    ca_report_stored *out, ca_err *err)
{
	char provider[24], audit[24], pages[24], bytes[24];
	const char *p[10] = { m->kind, m->period, m->provider_id > 0 ? provider : NULL,
		m->audit_id > 0 ? audit : NULL, pdf->as_of, out->sha256, pages, hex,
		m->generated_by, bytes };
	PGresult *res;

	snprintf(provider, sizeof provider, "%lld", m->provider_id);
	snprintf(audit, sizeof audit, "%lld", m->audit_id);
	snprintf(pages, sizeof pages, "%d", pdf->pages);
	snprintf(bytes, sizeof bytes, "%zu", pdf->len);
	/* The unique key treats NULLs as equal, so ON CONFLICT finds the row
	 * of the same report whatever it is about.  A row stored by another
	 * statement shows in `found` only once that statement committed. */
	res = ca_db_query(conn, err, "storing the report",
	    "WITH ins AS (INSERT INTO reports (kind, period, provider_id, audit_id, as_of,"
	    "   sha256, pages, bytes, generated_by)"
	    "  VALUES ($1, $2, $3::bigint, $4::bigint, $5::timestamptz, $6, $7::int, $8::bytea, $9)"
	    "  ON CONFLICT (kind, period, provider_id, audit_id, sha256) DO NOTHING"
	    "  RETURNING id, false AS existed),"
	    " found AS (SELECT id, existed FROM ins"
	    "  UNION ALL SELECT id, true FROM reports WHERE kind = $1"
	    "   AND period IS NOT DISTINCT FROM $2 AND provider_id IS NOT DISTINCT FROM $3::bigint"
	    "   AND audit_id IS NOT DISTINCT FROM $4::bigint AND sha256 = $6"
	    "   AND NOT EXISTS (SELECT 1 FROM ins)),"
	    " ev AS (INSERT INTO events (actor, action, entity, entity_id, after)"
	    "  SELECT $9, 'report.rendered', 'report', id::text, jsonb_build_object('kind', $1,"
	    "   'period', $2, 'provider', $3::bigint, 'audit', $4::bigint, 'as_of', $5,"
	    "   'sha256', $6, 'pages', $7::int, 'bytes', $10::bigint, 'existed', existed)"
	    "  FROM found)"
	    " SELECT id, existed FROM found", 10, p);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return ca_err_set(err, CA_EX_TEMPFAIL, "storing the report: the same report was "
		    "being stored at the same moment; try again");
	}
	out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	out->existed = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	return 0;
}

int
ca_report_store(PGconn *conn, const ca_report_meta *m, const ca_report_pdf *pdf,
    ca_report_stored *out, ca_err *err)
{
	int own = PQtransactionStatus(conn) == PQTRANS_IDLE, rc;
	char *hex;

	memset(out, 0, sizeof *out);
	if ((rc = meta_check(m, err)) != 0)
		return rc;
	ca_sha256_hex(pdf->bytes, pdf->len, out->sha256);
	if ((hex = bytea_hex(pdf->bytes, pdf->len)) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "storing the report: out of memory");
	if (own && (rc = ca_db_begin(conn, err)) != 0) {
		free(hex);
		return rc;
	}
	rc = store(conn, m, pdf, hex, out, err);
	free(hex);
	if (own) {
		if (rc == 0)
			return ca_db_commit(conn, err);
		ca_db_rollback(conn);
	}
	return rc;
}
