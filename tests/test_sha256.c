/*
 * test_sha256.c - our SHA-256 layer against the FIPS 180-4 examples and
 * sha256sum, fed whole and in awkward pieces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void
known_vectors(void **state)
{
	char hex[65];

	(void)state;
	ca_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	ca_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ca_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* One million 'a's, fed in awkward pieces: the block boundary logic. */
static void
million_a_in_pieces(void **state)
{
	static char buf[1000];
	ca_sha256 c;
	char hex[65];
	size_t fed = 0, step = 1;

	(void)state;
	memset(buf, 'a', sizeof buf);
	assert_int_equal(ca_sha256_init(&c), 0);
	while (fed < 1000000) {
		size_t n = step % 997 + 1;

		if (n > 1000000 - fed)
			n = 1000000 - fed;
		ca_sha256_update(&c, buf, n);
		fed += n;
		step = step * 31 + 7;
	}
	ca_sha256_final_hex(&c, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Messages of 55, 56 and 64 bytes straddle the padding cases (expected
 * values from coreutils sha256sum). */
static void
padding_edges(void **state)
{
	char m[64], hex[65];

	(void)state;
	memset(m, 'x', sizeof m);
	ca_sha256_hex(m, 55, hex);
	assert_string_equal(hex, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
	ca_sha256_hex(m, 56, hex);
	assert_string_equal(hex, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
	ca_sha256_hex(m, 64, hex);
	assert_string_equal(hex, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_vectors),
		cmocka_unit_test(million_a_in_pieces),
		cmocka_unit_test(padding_edges),
	};

	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
