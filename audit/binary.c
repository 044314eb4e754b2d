/*
 * binary.c - PostgreSQL's binary format; see binary.h.
 */
#include "binary.h"

#include <string.h>

static uint32_t
get32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

int64_t
ca_bin_int8(const char *p)
{
	return (int64_t)((uint64_t)get32(p) << 32 | get32(p + 4));
}

int32_t
ca_bin_int4(const char *p)
{
	return (int32_t)get32(p);
}

double
ca_bin_float8(const char *p)
{
	uint64_t u = (uint64_t)get32(p) << 32 | get32(p + 4);
	double v;

	memcpy(&v, &u, sizeof v);
	return v;
}
