/*
 * binary.h - reading PostgreSQL's binary wire format, for results of a
 * million rows (a sampling run's population) that would otherwise turn
 * every number into text and back.
 *
 * Values are big-endian on the wire whatever the machine.
 */
#ifndef CASEAUDIT_BINARY_H
#define CASEAUDIT_BINARY_H

#include <stdint.h>

/* Type oids (pg_type) of the values read in binary. */
#define CA_OID_INT8    20
#define CA_OID_INT4    23
#define CA_OID_TEXT    25
#define CA_OID_FLOAT8  701

/* A value of a binary result field (PQgetvalue with resultFormat 1). */
int64_t ca_bin_int8(const char *p);
int32_t ca_bin_int4(const char *p);
double  ca_bin_float8(const char *p);

#endif
