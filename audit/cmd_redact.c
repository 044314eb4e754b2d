/*
 * cmd_redact.c - `caseaudit redact`: standard input to standard output
 * with personal data masked (redact.h).
 *
 * The whole input is read before anything is written, so that a problem
 * found anywhere (bytes that are not UTF-8, a rule that could not finish)
 * leaves standard output empty rather than half a document, part of it
 * unredacted.  Memory is therefore bounded by a cap on the input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "redact.h"
#include "strbuf.h"
#include "utf8.h"

/* Larger inputs are refused rather than read: split them. */
#define MAX_INPUT (64u * 1024 * 1024)

const char ca_help_redact[] =
	"usage: caseaudit redact [--format text|json]\n"
	"\n"
	"Read text from standard input and write it to standard output with the\n"
	"personal data in it masked:\n"
	"\n"
	"  NHS numbers      943 476 5919, 943-476-5919 or 9434765919, when the\n"
	"                   check digit is right               -> [NHS number]\n"
	"  postcodes        SW1A 1AA, M1 1AE, ls14ab, GIR 0AA  -> [postcode]\n"
	"  phone numbers    01632 960123, 020 7946 0123, 07700 900123,\n"
	"                   +44 (0)113 496 0123, (01632) 960123 -> [phone]\n"
	"  email addresses  anne.smith@example.org              -> [email]\n"
	"  dates of birth   a date after DOB, D.O.B., date of birth, born (on)\n"
	"                   or b.: 12/03/1941, 12-03-1941, 12.03.1941,\n"
	"                   1941-03-12, 12 March 1941, 12th March 1941,\n"
	"                   March 12, 1941; the words stay     -> DOB [date of birth]\n"
	"\n"
	"Left alone: ordinary dates (\"visited on 12/03/2026\"), references\n"
	"(AS-0000123, P-123456), money (£1,234.56), times, ages, years, and ten-\n"
	"digit numbers whose NHS check digit is wrong.  Where two findings\n"
	"overlap, the masked part covers both and takes the longer one's label.\n"
	"\n"
	"The input must be UTF-8, at most 64 MB.  Nothing is written unless all\n"
	"of it could be checked.\n"
	"\n"
	"options:\n"
	"  --format text    write the masked text (the default)\n"
	"  --format json    write only where the personal data is, as one JSON\n"
	"                   object: {\"spans\": [{\"kind\": \"phone\", \"start\": 12,\n"
	"                   \"end\": 25}, ...]}; offsets count bytes of the input\n"
	"                   from 0, end exclusive; kinds are nhs_number, postcode,\n"
	"                   phone, email, date_of_birth\n"
	"  -h, --help       show this help\n"
	"\n"
	"examples:\n"
	"  echo 'Seen at home (DOB 12/03/1941), tel 07700 900123.' | caseaudit redact\n"
	"      Seen at home (DOB [date of birth]), tel [phone].\n"
	"  caseaudit redact < notes.txt > notes-redacted.txt\n"
	"  caseaudit redact --format json < notes.txt\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 input not UTF-8 (the message gives the\n"
	"offset of the first bad byte, counting from 0) or over 64 MB, 66 standard\n"
	"input unreadable, 70 the text could not be fully checked (nothing is\n"
	"written), 74 output error\n";

/* All of standard input, up to MAX_INPUT bytes. */
static int
read_all(ca_strbuf *in, ca_err *err)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ca_err_set(err, CA_EX_NOINPUT,
			    "redact: cannot read standard input: %s", strerror(errno));
		}
		if (n == 0)
			break;
		if (in->len + (size_t)n > MAX_INPUT)
			return ca_err_set(err, CA_EX_DATAERR,
			    "redact: standard input is larger than %u MB; split it",
			    MAX_INPUT / (1024 * 1024));
		ca_strbuf_add(in, chunk, (size_t)n);
		if (ca_strbuf_failed(in))
			return ca_err_set(err, CA_EX_SOFTWARE, "redact: out of memory");
	}
	return 0;
}

static void
write_masked(const char *text, size_t len, const ca_pii_span *spans, size_t n)
{
	size_t at = 0;

	for (size_t i = 0; i < n; i++) {
		fwrite(text + at, 1, spans[i].start - at, stdout);
		fputs(ca_pii_label(spans[i].kind), stdout);
		at = spans[i].end;
	}
	fwrite(text + at, 1, len - at, stdout);
}

static void
write_json(const ca_pii_span *spans, size_t n)
{
	fputs("{\"spans\": [", stdout);
	for (size_t i = 0; i < n; i++)
		printf("%s{\"kind\": \"%s\", \"start\": %zu, \"end\": %zu}", i ? ", " : "",
		    ca_pii_name(spans[i].kind), spans[i].start, spans[i].end);
	fputs("]}\n", stdout);
}

int
ca_cmd_redact(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	ca_redactor *r = NULL;
	ca_pii_span *spans = NULL;
	ca_strbuf in;
	const char *text;
	ca_err err = { 0 };
	size_t n = 0, where;
	int ch, json = 0, rc;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_redact);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				return ca_cli_usage("redact", "--format is text or json, not '%s'",
				    optarg);
			break;
		default:
			return ca_cli_usage("redact", "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ca_cli_usage("redact", "redact reads standard input and takes no "
		    "file arguments: caseaudit redact < FILE");

	ca_strbuf_init(&in);
	if ((rc = read_all(&in, &err)) != 0)
		goto out;
	/* Checked here too, for a message that names standard input; the
	 * library's own check is the safety net for other callers.  NUL bytes
	 * pass through, as they would through any filter. */
	for (size_t off = 0; off < in.len; ) {
		size_t at;
		enum ca_utf8_result u = ca_utf8_check((const unsigned char *)in.data + off,
		    in.len - off, &at);

		if (u == CA_UTF8_OK)
			break;
		if (u == CA_UTF8_INVALID) {
			where = off + at;
			rc = ca_err_set(&err, CA_EX_DATAERR,
			    "redact: standard input is not valid UTF-8 (byte %zu)", where);
			goto out;
		}
		off += at + 1;
	}
	if ((rc = ca_redactor_new(&r, &err)) != 0)
		goto out;
	/* An empty buffer has no data pointer at all. */
	text = in.len ? in.data : "";
	if ((rc = ca_redact_find(r, text, in.len, &spans, &n, &err)) != 0)
		goto out;
	if (json)
		write_json(spans, n);
	else
		write_masked(text, in.len, spans, n);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = ca_err_set(&err, CA_EX_IOERR, "redact: cannot write standard output: %s",
		    strerror(errno));
out:
	free(spans);
	ca_redactor_free(r);
	ca_strbuf_free(&in);
	return rc != 0 ? ca_cli_fail(&err) : 0;
}
