/*
 * sha256.h - SHA-256 for the digests caseaudit records: imported files,
 * applied migrations, sample populations.
 *
 * A thin layer over OpenSSL's libcrypto (already a dependency of libpq),
 * which uses the CPU's SHA instructions where it has them: a 1 GB extract
 * is hashed while it streams, and a portable C SHA-256 (about 250 MB/s
 * here) was the slowest part of an import.  Digests are shown to users and
 * stored as 64 lowercase hex characters.
 */
#ifndef CASEAUDIT_SHA256_H
#define CASEAUDIT_SHA256_H

#include <stddef.h>

#define CA_SHA256_HEX_LEN 64

typedef struct ca_sha256 {
	void *ctx;   /* EVP_MD_CTX */
} ca_sha256;

/* Returns 0, or -1 when libcrypto could not allocate its context. */
int  ca_sha256_init(ca_sha256 *c);
void ca_sha256_update(ca_sha256 *c, const void *data, size_t len);
/* Finish, write the digest as hex (65 bytes with the NUL), free the context. */
void ca_sha256_final_hex(ca_sha256 *c, char out[CA_SHA256_HEX_LEN + 1]);
/* Free without finishing (an abandoned digest). */
void ca_sha256_abandon(ca_sha256 *c);

/* One-shot convenience. */
void ca_sha256_hex(const void *data, size_t len, char out[CA_SHA256_HEX_LEN + 1]);

#endif
