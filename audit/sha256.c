/*
 * sha256.c - SHA-256 through libcrypto's EVP interface; see sha256.h.
 */
#include "sha256.h"

#include <string.h>
#include <openssl/evp.h>

static void
to_hex(const unsigned char *d, unsigned int n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned int i = 0; i < n; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * n] = '\0';
}

int
ca_sha256_init(ca_sha256 *c)
{
	c->ctx = EVP_MD_CTX_new();
	if (c->ctx == NULL)
		return -1;
	if (EVP_DigestInit_ex(c->ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c->ctx);
		c->ctx = NULL;
		return -1;
	}
	return 0;
}

void
ca_sha256_update(ca_sha256 *c, const void *data, size_t len)
{
	if (c->ctx != NULL)
		EVP_DigestUpdate(c->ctx, data, len);
}

void
ca_sha256_final_hex(ca_sha256 *c, char out[CA_SHA256_HEX_LEN + 1])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (c->ctx == NULL || EVP_DigestFinal_ex(c->ctx, d, &n) != 1 || n != 32) {
		/* Cannot happen once init succeeded; never show a wrong digest. */
		memset(out, '0', CA_SHA256_HEX_LEN);
		out[CA_SHA256_HEX_LEN] = '\0';
	} else
		to_hex(d, n, out);
	ca_sha256_abandon(c);
}

void
ca_sha256_abandon(ca_sha256 *c)
{
	EVP_MD_CTX_free(c->ctx);
	c->ctx = NULL;
}

void
ca_sha256_hex(const void *data, size_t len, char out[CA_SHA256_HEX_LEN + 1])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(data, len, d, &n, EVP_sha256(), NULL) != 1 || n != 32) {
		memset(out, '0', CA_SHA256_HEX_LEN);
		out[CA_SHA256_HEX_LEN] = '\0';
		return;
	}
	to_hex(d, n, out);
}
