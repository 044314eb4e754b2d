/*
 * fuzz_support.c - what the fuzz targets share: a JSON well-formedness
 * checker and small checks on byte offsets into UTF-8 text.
 */
#include "fuzz_support.h"

#include <string.h>

#include "utf8.h"

/* ---- a JSON checker (RFC 8259), enough to say "well-formed" -------------- */

typedef struct jp {
	const char *s;
	size_t i, n;
	int depth;
} jp;

static int j_value(jp *p);

static int
j_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
j_ws(jp *p)
{
	while (p->i < p->n && j_space(p->s[p->i]))
		p->i++;
}

static int
j_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
j_string(jp *p)
{
	if (p->i >= p->n || p->s[p->i] != '"')
		return 0;
	for (p->i++; p->i < p->n; p->i++) {
		unsigned char c = (unsigned char)p->s[p->i];

		if (c == '"') {
			p->i++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (++p->i >= p->n)
				return 0;
			c = (unsigned char)p->s[p->i];
			if (c == 'u') {
				for (int k = 0; k < 4; k++)
					if (++p->i >= p->n || !j_hex(p->s[p->i]))
						return 0;
			} else if (c == '\0' || strchr("\"\\/bfnrt", c) == NULL)
				return 0;
		}
	}
	return 0;
}

static int
j_digits(jp *p)
{
	size_t start = p->i;

	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > start;
}

static int
j_number(jp *p)
{
	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0')
		p->i++;
	else if (!(p->i < p->n && p->s[p->i] >= '1' && p->s[p->i] <= '9') || !j_digits(p))
		return 0;
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (!j_digits(p))
			return 0;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (!j_digits(p))
			return 0;
	}
	return 1;
}

static int
j_word(jp *p, const char *w)
{
	size_t k = strlen(w);

	if (p->n - p->i < k || memcmp(p->s + p->i, w, k) != 0)
		return 0;
	p->i += k;
	return 1;
}

static int
j_value(jp *p)
{
	char open, close;

	j_ws(p);
	if (p->i >= p->n)
		return 0;
	open = p->s[p->i];
	if (open == '"')
		return j_string(p);
	if (open == 't')
		return j_word(p, "true");
	if (open == 'f')
		return j_word(p, "false");
	if (open == 'n')
		return j_word(p, "null");
	if (open != '{' && open != '[')
		return j_number(p);
	close = open == '{' ? '}' : ']';
	if (++p->depth > 100)
		return 0;
	p->i++;
	j_ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		p->depth--;
		return 1;
	}
	for (;;) {
		if (open == '{') {
			j_ws(p);
			if (!j_string(p))
				return 0;
			j_ws(p);
			if (p->i >= p->n || p->s[p->i++] != ':')
				return 0;
		}
		if (!j_value(p))
			return 0;
		j_ws(p);
		if (p->i >= p->n)
			return 0;
		if (p->s[p->i] == close) {
			p->i++;
			p->depth--;
			return 1;
		}
		if (p->s[p->i++] != ',')
			return 0;
	}
}

int
fuzz_json_ok(const char *s, size_t n)
{
	jp p = { s, 0, n, 0 };
	size_t where;

	if (ca_utf8_check((const unsigned char *)s, n, &where) != CA_UTF8_OK || !j_value(&p))
		return 0;
	j_ws(&p);
	return p.i == n;
}

int
fuzz_char_boundary(const uint8_t *s, size_t n, size_t at)
{
	return at == n || (s[at] & 0xC0) != 0x80;
}

int
fuzz_valid_text(const uint8_t *s, size_t n)
{
	size_t where;

	return n == 0 || ca_utf8_valid_for_matching((const char *)s, n, &where);
}
