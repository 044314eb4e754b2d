/*
 * test_yamltree.c - YAML files become trees that know where each node
 * stands; what our files must never hold is refused with its place.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "yamltree.h"

static int
load_text(const char *text, ca_yaml_doc **doc, ca_err *err)
{
	char *path = test_write_file("t.yaml", text, strlen(text));
	int rc = ca_yaml_load(path, doc, err);

	unlink(path);
	free(path);
	return rc;
}

static void
tree_with_marks(void **state)
{
	ca_yaml_doc *doc;
	ca_err err = { 0 };
	const ca_yaml_node *q, *item;

	(void)state;
	assert_int_equal(load_text("name: review\n"
	    "title: \"Review – Siân\"\n"
	    "questions:\n"
	    "  - id: h1\n"
	    "    weight: 2\n"
	    "    required: yes\n", &doc, &err), 0);
	assert_int_equal(doc->root->kind, CA_YAML_MAP);
	assert_string_equal(ca_yaml_get(doc->root, "name")->value, "review");
	assert_string_equal(ca_yaml_get(doc->root, "title")->value, "Review – Siân");
	assert_false(ca_yaml_get(doc->root, "title")->plain);
	q = ca_yaml_get(doc->root, "questions");
	assert_int_equal(q->kind, CA_YAML_SEQ);
	assert_int_equal(q->n, 1);
	item = q->items[0];
	assert_int_equal(item->line, 4);
	assert_int_equal(item->col, 5);
	assert_int_equal(ca_yaml_get(item, "weight")->line, 5);
	assert_int_equal(ca_yaml_get(item, "weight")->col, 13);
	assert_true(ca_yaml_get(item, "required")->plain);
	assert_null(ca_yaml_get(item, "missing"));
	assert_null(ca_yaml_get(q, "id"));
	assert_string_equal(ca_yaml_kind_name(q), "a list");
	ca_yaml_free(doc);
}

static void
refused_with_place(void **state)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "a: [1, 2\nb: 3\n", ":2:2: did not find expected ',' or ']'" },
		{ "a: &x 1\nb: *x\n", ":1:4: anchors" },
		{ "a: 1\n---\nb: 2\n", ":2:1: only one document" },
		{ "? [1, 2]\n: x\n", ":1:3: a key must be a plain name" },
		{ "a: \"unterminated\n", ":2:1: found unexpected end of stream" },
		{ "\t- tab indent\n", ":1:1: found character that cannot start any token" },
	};
	ca_yaml_doc *doc;
	ca_err err;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(load_text(bad[i].text, &doc, &err), 65);
		if (strstr(err.msg, bad[i].msg) == NULL)
			fail_msg("%s: got '%s', want '%s'", bad[i].text, err.msg, bad[i].msg);
	}
}

static void
deep_nesting_and_missing_file(void **state)
{
	char text[400];
	ca_yaml_doc *doc;
	ca_err err = { 0 };

	(void)state;
	memset(text, '[', 100);
	text[100] = '\0';
	assert_int_equal(load_text(text, &doc, &err), 65);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	assert_int_equal(ca_yaml_load("/no/such/form.yaml", &doc, &err), 66);
	assert_int_equal(load_text("", &doc, &err), 0);
	assert_null(doc->root);
	ca_yaml_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tree_with_marks),
		cmocka_unit_test(refused_with_place),
		cmocka_unit_test(deep_nesting_and_missing_file),
	};

	return cmocka_run_group_tests_name("yamltree", tests, NULL, NULL);
}
