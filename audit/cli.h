/*
 * cli.h - the caseaudit command line: dispatch, help and shared helpers.
 *
 * Each command lives in its own cmd_NAME.c as
 *     int ca_cmd_NAME(int argc, char **argv);   argv[0] is the command name
 *     extern const char ca_help_NAME[];          the text of `--help`
 * and is listed once in the table in cli.c.  A command returns its exit
 * code (sysexits, see error.h) and never calls exit().
 *
 * A program may add commands the library cannot hold: `report` lives in
 * reports/, which links this library, so the caseaudit program passes it
 * in through ca_cli_main_with.
 */
#ifndef CASEAUDIT_CLI_H
#define CASEAUDIT_CLI_H

#include <stddef.h>

#include "error.h"

typedef struct ca_cli_command {
	const char *name;
	const char *summary;    /* one line in `caseaudit help` */
	int (*run)(int argc, char **argv);
	const char *help;       /* `caseaudit NAME --help` */
} ca_cli_command;

int ca_cli_main(int argc, char **argv);

/* The same with nextra more commands, listed by `caseaudit help` after
 * the library's own. */
int ca_cli_main_with(int argc, char **argv, const ca_cli_command *extra, size_t nextra);

/* Print "caseaudit: MESSAGE" to stderr and return err->code. */
int ca_cli_fail(const ca_err *err);

/* Print a usage error and a pointer to --help; returns CA_EX_USAGE. */
int ca_cli_usage(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* True when argv holds -h or --help before any "--". */
int ca_cli_wants_help(int argc, char **argv);

/* Print a command's help text to stdout; returns 0. */
int ca_cli_help(const char *text);

/* Who is acting: `given` (--as), else CASEAUDIT_AS from the environment,
 * else NULL.  An empty value counts as none. */
const char *ca_cli_as(const char *given);

/* A whole number 0..max written in decimal digits only; 0 or -1. */
#include <stdint.h>
int ca_cli_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* A finite decimal number, the whole argument; 0 or -1. */
int ca_cli_parse_double(const char *s, double *out);

/* Connect (conninfo NULL: the libpq environment); on failure print the
 * reason and return its code (69). */
typedef struct pg_conn PGconn;
int ca_cli_connect(const char *conninfo, PGconn **conn);

#endif
