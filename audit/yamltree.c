/*
 * yamltree.c - libyaml's events gathered into a tree; see yamltree.h.
 */
#include "yamltree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define MAX_FILE (4 * 1024 * 1024)
#define MAX_DEPTH 64

static void
node_free(ca_yaml_node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys != NULL)
			node_free(n->keys[i]);
		node_free(n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n->value);
	free(n);
}

void
ca_yaml_free(ca_yaml_doc *doc)
{
	if (doc == NULL)
		return;
	node_free(doc->root);
	free(doc->path);
	free(doc);
}

static ca_yaml_node *
node_new(ca_yaml_kind kind, const yaml_mark_t *mark)
{
	ca_yaml_node *n = calloc(1, sizeof *n);

	if (n != NULL) {
		n->kind = kind;
		n->line = (int)mark->line + 1;
		n->col = (int)mark->column + 1;
	}
	return n;
}

/* Append child (and, for a mapping, its key) to parent. */
static int
add_child(ca_yaml_node *parent, ca_yaml_node *key, ca_yaml_node *child)
{
	ca_yaml_node **items = realloc(parent->items, (parent->n + 1) * sizeof *items);

	if (items == NULL)
		return -1;
	parent->items = items;
	if (parent->kind == CA_YAML_MAP) {
		ca_yaml_node **keys = realloc(parent->keys, (parent->n + 1) * sizeof *keys);

		if (keys == NULL)
			return -1;
		parent->keys = keys;
		keys[parent->n] = key;
	}
	items[parent->n++] = child;
	return 0;
}

typedef struct frame {
	ca_yaml_node *node;
	ca_yaml_node *key;        /* a mapping's key waiting for its value */
} frame;

typedef struct builder {
	frame stack[MAX_DEPTH];
	int depth;
	ca_yaml_node *root;
	int documents;
	const char *path;
	ca_err *err;
} builder;

static int
fail_at(builder *b, const yaml_mark_t *m, const char *what)
{
	return ca_err_set(b->err, CA_EX_DATAERR, "%s:%zu:%zu: %s", b->path,
	    m->line + 1, m->column + 1, what);
}

/* Place a finished node: as the root, a list item, a key or a value. */
static int
place(builder *b, ca_yaml_node *n, const yaml_mark_t *m)
{
	frame *f;

	if (b->depth == 0) {
		b->root = n;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->kind == CA_YAML_MAP && f->key == NULL) {
		if (n->kind != CA_YAML_SCALAR) {
			node_free(n);
			return fail_at(b, m, "a key must be a plain name, not a list or mapping");
		}
		f->key = n;
		return 0;
	}
	if (add_child(f->node, f->key, n) != 0) {
		node_free(n);
		return ca_err_set(b->err, CA_EX_SOFTWARE, "out of memory");
	}
	f->key = NULL;
	return 0;
}

static int
on_event(builder *b, yaml_event_t *e)
{
	const yaml_mark_t *m = &e->start_mark;
	ca_yaml_node *n;

	switch (e->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->documents > 1)
			return fail_at(b, m, "only one document per file (remove the second ---)");
		return 0;
	case YAML_ALIAS_EVENT:
		return fail_at(b, m, "aliases (*name) are not supported; write the value out");
	case YAML_SCALAR_EVENT:
		if (e->data.scalar.anchor != NULL)
			return fail_at(b, m, "anchors (&name) are not supported");
		if ((n = node_new(CA_YAML_SCALAR, m)) == NULL ||
		    (n->value = malloc(e->data.scalar.length + 1)) == NULL) {
			node_free(n);
			return ca_err_set(b->err, CA_EX_SOFTWARE, "out of memory");
		}
		memcpy(n->value, e->data.scalar.value, e->data.scalar.length);
		n->value[e->data.scalar.length] = '\0';
		n->len = e->data.scalar.length;
		n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return place(b, n, m);
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if ((e->type == YAML_MAPPING_START_EVENT ? e->data.mapping_start.anchor
		    : e->data.sequence_start.anchor) != NULL)
			return fail_at(b, m, "anchors (&name) are not supported");
		if (b->depth == MAX_DEPTH)
			return fail_at(b, m, "nested too deeply");
		n = node_new(e->type == YAML_MAPPING_START_EVENT ? CA_YAML_MAP : CA_YAML_SEQ, m);
		if (n == NULL)
			return ca_err_set(b->err, CA_EX_SOFTWARE, "out of memory");
		b->stack[b->depth].node = n;
		b->stack[b->depth].key = NULL;
		b->depth++;
		return 0;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		n = b->stack[--b->depth].node;
		return place(b, n, &(yaml_mark_t){ .line = (size_t)n->line - 1,
		    .column = (size_t)n->col - 1 });
	default:
		return 0;
	}
}

static int
check_size(const char *path, ca_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return ca_err_set(err, CA_EX_NOINPUT, "cannot read %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ca_err_set(err, CA_EX_NOINPUT, "cannot read %s: not a regular file", path);
	if (st.st_size > MAX_FILE)
		return ca_err_set(err, CA_EX_DATAERR, "%s: larger than 4 MB; not a checklist", path);
	return 0;
}

/* Parse whatever input the parser was given into a document. */
static int
build(yaml_parser_t *parser, const char *path, ca_yaml_doc **out, ca_err *err)
{
	yaml_event_t event;
	builder b = { .path = path, .err = err };
	ca_yaml_doc *doc;
	int rc = 0, done = 0;

	while (rc == 0 && !done) {
		if (!yaml_parser_parse(parser, &event)) {
			rc = ca_err_set(err, CA_EX_DATAERR, "%s:%zu:%zu: %s%s%s", path,
			    parser->problem_mark.line + 1, parser->problem_mark.column + 1,
			    parser->problem ? parser->problem : "not valid YAML",
			    parser->context ? " " : "", parser->context ? parser->context : "");
			break;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		rc = on_event(&b, &event);
		yaml_event_delete(&event);
	}
	while (b.depth > 0) {
		b.depth--;
		node_free(b.stack[b.depth].key);
		node_free(b.stack[b.depth].node);
	}
	if (rc != 0) {
		node_free(b.root);
		return rc;
	}
	doc = calloc(1, sizeof *doc);
	if (doc == NULL || (doc->path = strdup(path)) == NULL) {
		free(doc);
		node_free(b.root);
		return ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
	}
	doc->root = b.root;
	*out = doc;
	return 0;
}

int
ca_yaml_load(const char *path, ca_yaml_doc **out, ca_err *err)
{
	yaml_parser_t parser;
	FILE *f;
	int rc;

	*out = NULL;
	if ((rc = check_size(path, err)) != 0)
		return rc;
	if ((f = fopen(path, "rb")) == NULL)
		return ca_err_set(err, CA_EX_NOINPUT, "cannot read %s: %s", path, strerror(errno));
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		return ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
	}
	yaml_parser_set_input_file(&parser, f);
	rc = build(&parser, path, out, err);
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}

int
ca_yaml_parse(const char *name, const char *buf, size_t len, ca_yaml_doc **out, ca_err *err)
{
	yaml_parser_t parser;
	int rc;

	*out = NULL;
	if (len > MAX_FILE)
		return ca_err_set(err, CA_EX_DATAERR, "%s: larger than 4 MB", name);
	if (!yaml_parser_initialize(&parser))
		return ca_err_set(err, CA_EX_SOFTWARE, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	rc = build(&parser, name, out, err);
	yaml_parser_delete(&parser);
	return rc;
}

const ca_yaml_node *
ca_yaml_get(const ca_yaml_node *map, const char *key)
{
	if (map == NULL || map->kind != CA_YAML_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->items[i];
	return NULL;
}

const char *
ca_yaml_kind_name(const ca_yaml_node *node)
{
	if (node == NULL)
		return "nothing";
	switch (node->kind) {
	case CA_YAML_SCALAR:
		return "text";
	case CA_YAML_MAP:
		return "a mapping";
	case CA_YAML_SEQ:
		return "a list";
	}
	return "something";
}
