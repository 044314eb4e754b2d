/*
 * cmd_settings.c - `caseaudit settings`: the workflow settings a QA lead
 * may change (the feedback window, the share of audits moderated).  The
 * CLI and the daemon read the same rows; each change is in the trail.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "listing.h"
#include "workflow.h"

const char ca_help_settings[] =
	"usage: caseaudit settings [--format table|csv|json] [--db CONNINFO]\n"
	"       caseaudit settings set KEY VALUE --as STAFF [--db CONNINFO]\n"
	"\n"
	"List the workflow settings, or change one (a QA lead only; recorded in the\n"
	"trail).\n"
	"\n"
	"  feedback_window_days  days a partner may comment on the findings after\n"
	"                        submission before the audit closes (0-365; 14)\n"
	"  moderation_percent    share of submitted audits the daemon selects for\n"
	"                        moderation, in per cent (0-100; 10); at least one per\n"
	"                        auditor per quarter whatever this says\n"
	"  organisation_name     the council's name on the reports' covers (text, at\n"
	"                        most 200 characters)\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 not allowed or out of range, 69 database\n"
	"unavailable, 70 internal error\n";

/* A number from min to max, or text (max < 0) of at most TEXT_MAX bytes. */
#define TEXT_MAX 200

static const struct setting {
	const char *key;
	long min, max;
} settings[] = {
	{ "feedback_window_days", 0, 365 },
	{ "moderation_percent", 0, 100 },
	{ "organisation_name", 0, -1 },
};

static const ca_column columns[] = {
	{ "key", "SETTING", CA_COL_TEXT },
	{ "value", "VALUE", CA_COL_TEXT },
	{ "updated_by", "SET BY", CA_COL_TEXT },
	{ "updated_at", "SET AT", CA_COL_TEXT },
};

static int
set(PGconn *conn, const char *key, const char *value, const char *as, ca_err *err)
{
	const struct setting *s = NULL;
	const char *p[3] = { key, value, as };
	PGresult *res;
	uint64_t v;
	int rc;

	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if (strcmp(key, settings[i].key) == 0)
			s = &settings[i];
	if (s == NULL)
		return ca_err_set(err, CA_EX_USAGE, "there is no setting '%.64s' (see `caseaudit "
		    "settings --help`)", key);
	if (s->max < 0) {
		if ((rc = ca_wf_check_text(value, key, 1, err)) != 0)
			return rc;
		if (strlen(value) > TEXT_MAX || strchr(value, '\n') != NULL)
			return ca_err_set(err, CA_EX_DATAERR, "%s must be one line of at most %d "
			    "bytes", key, TEXT_MAX);
	} else if (ca_cli_parse_u64(value, (uint64_t)s->max, &v) != 0 || (long)v < s->min) {
		return ca_err_set(err, CA_EX_DATAERR, "%s must be a whole number from %ld to %ld, "
		    "not '%.40s'", key, s->min, s->max, value);
	}
	if ((rc = ca_db_begin(conn, err)) != 0)
		return rc;
	res = ca_db_query(conn, err, "checking who is acting",
	    "SELECT 'qa_lead' = ANY (roles) FROM staff WHERE staff_ref = $3 AND active"
	    " AND $1::text IS NOT NULL AND $2::text IS NOT NULL", 3, p);
	if (res == NULL)
		rc = err->code;
	else if (PQntuples(res) == 0)
		rc = ca_err_set(err, CA_EX_DATAERR, "there is no active member of staff '%.64s' "
		    "(--as)", as);
	else if (PQgetvalue(res, 0, 0)[0] != 't')
		rc = ca_err_set(err, CA_EX_DATAERR, "%s is not a QA lead; only a QA lead can change "
		    "settings", as);
	else
		rc = ca_db_exec(conn, err, "changing the setting",
		    "WITH old AS (SELECT value FROM settings WHERE key = $1),"
		    " upd AS (INSERT INTO settings (key, value, updated_by) VALUES ($1, $2, $3)"
		    "   ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,"
		    "   updated_by = EXCLUDED.updated_by, updated_at = now() RETURNING 1)"
		    " INSERT INTO events (actor, action, entity, entity_id, before, after)"
		    " SELECT $3, 'setting.changed', 'setting', $1,"
		    "  (SELECT jsonb_build_object('value', value) FROM old),"
		    "  jsonb_build_object('value', $2::text) FROM upd", 3, p);
	PQclear(res);
	if (rc == 0)
		return ca_db_commit(conn, err);
	ca_db_rollback(conn);
	return rc;
}

int
ca_cmd_settings(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "as", required_argument, NULL, 'a' },
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL, *as = NULL;
	ca_format fmt = CA_FORMAT_TABLE;
	ca_err err = { 0 };
	PGresult *res;
	PGconn *conn;
	int ch, rc;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_settings);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (ch == 'f') {
			if ((rc = ca_format_parse("settings", optarg, &fmt)) != 0)
				return rc;
		} else if (ch == 'a') {
			as = optarg;
		} else if (ch == 'd') {
			db = optarg;
		} else {
			return ca_cli_usage("settings", "unknown option");
		}
	}
	if (optind < argc && strcmp(argv[optind], "set") != 0)
		return ca_cli_usage("settings", "unknown subcommand '%s'; say set", argv[optind]);
	if (optind < argc && argc - optind != 3)
		return ca_cli_usage("settings", "settings set takes a KEY and a VALUE");
	if (optind < argc && as == NULL)
		return ca_cli_usage("settings", "--as STAFF is required: who is changing it");
	if ((rc = ca_cli_connect(db, &conn)) != 0)
		return rc;
	if (optind < argc) {
		rc = set(conn, argv[optind + 1], argv[optind + 2], as, &err);
		if (rc == 0)
			printf("%s is now %s\n", argv[optind + 1], argv[optind + 2]);
	} else if ((res = ca_db_query(conn, &err, "reading the settings",
	    "SELECT key, value, updated_by, to_char(updated_at AT TIME ZONE 'Europe/London',"
	    " 'DD/MM/YYYY HH24:MI') FROM settings ORDER BY key", 0, NULL)) == NULL) {
		rc = err.code;
	} else {
		ca_listing_print(stdout, res, columns, 4, fmt, "No settings.");
		PQclear(res);
	}
	ca_db_close(conn);
	return rc != 0 ? ca_cli_fail(&err) : 0;
}
