/*
 * output.c - JSON, CSV and terminal helpers; see output.h.
 */
#include "output.h"

#include <pwd.h>
#include <string.h>
#include <unistd.h>

void
ca_json_string(ca_strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;

	ca_strbuf_add(b, "\"", 1);
	for (; *p; p++) {
		const char *esc = NULL;

		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (*p >= 0x20 && *p != 0x7F)
				continue;
		}
		ca_strbuf_add(b, run, (size_t)(p - run));
		if (esc != NULL)
			ca_strbuf_adds(b, esc);
		else
			ca_strbuf_addf(b, "\\u%04x", *p);
		run = p + 1;
	}
	ca_strbuf_add(b, run, (size_t)(p - run));
	ca_strbuf_add(b, "\"", 1);
}

void
ca_json_number(ca_strbuf *b, double v)
{
	if (v == (double)(long long)v && v > -1e15 && v < 1e15)
		ca_strbuf_addf(b, "%lld", (long long)v);
	else
		ca_strbuf_addf(b, "%.17g", v);
}

void
ca_csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

size_t
ca_display_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

const char *
ca_os_user(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return pw != NULL && pw->pw_name != NULL ? pw->pw_name : "unknown";
}
