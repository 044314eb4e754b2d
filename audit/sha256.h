/*
 * sha256.h - SHA-256 (FIPS 180-4) for the digests caseaudit records:
 * imported files, applied migrations, sample populations.
 *
 * Streaming: feed any number of chunks, then finish.  Digests are shown to
 * users and stored as 64 lowercase hex characters.
 */
#ifndef CASEAUDIT_SHA256_H
#define CASEAUDIT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define CA_SHA256_HEX_LEN 64

typedef struct ca_sha256 {
	uint32_t h[8];
	uint64_t total;          /* bytes fed so far */
	unsigned char block[64];
	size_t used;             /* bytes waiting in block */
} ca_sha256;

void ca_sha256_init(ca_sha256 *c);
void ca_sha256_update(ca_sha256 *c, const void *data, size_t len);
void ca_sha256_final(ca_sha256 *c, unsigned char out[32]);

/* Finish and write the digest as hex into out (65 bytes with the NUL). */
void ca_sha256_final_hex(ca_sha256 *c, char out[CA_SHA256_HEX_LEN + 1]);

/* One-shot convenience. */
void ca_sha256_hex(const void *data, size_t len, char out[CA_SHA256_HEX_LEN + 1]);

#endif
