/*
 * yamltree.h - a YAML file read into a small tree that remembers where
 * every node stands, so that checklist and screening-rule files can be
 * checked with messages of the form FILE:LINE:COL: problem.
 *
 * libyaml does the parsing.  Only what our files need is kept: mappings,
 * sequences and scalars.  Anchors and aliases are refused (a file the QA
 * lead edits has no use for them, and aliases make "billion laughs"
 * documents possible), as are several documents in one file, nesting
 * deeper than 64 and files larger than 4 MB.
 */
#ifndef CASEAUDIT_YAMLTREE_H
#define CASEAUDIT_YAMLTREE_H

#include <stddef.h>

#include "error.h"

typedef enum ca_yaml_kind {
	CA_YAML_SCALAR,
	CA_YAML_MAP,
	CA_YAML_SEQ
} ca_yaml_kind;

typedef struct ca_yaml_node ca_yaml_node;
struct ca_yaml_node {
	ca_yaml_kind kind;
	int line, col;            /* where the node starts, both 1-based */
	char *value;              /* CA_YAML_SCALAR: the text, NUL-terminated */
	size_t len;               /* its length in bytes (it may hold a NUL) */
	int plain;                /* a plain (unquoted) scalar: `yes`, `3` are
	                           * then booleans and numbers, "yes" is text */
	ca_yaml_node **keys;      /* CA_YAML_MAP: the keys (scalars), in order */
	ca_yaml_node **items;     /* CA_YAML_MAP: the values; CA_YAML_SEQ: items */
	size_t n;                 /* pairs or items */
};

typedef struct ca_yaml_doc {
	ca_yaml_node *root;       /* NULL for an empty file */
	char *path;               /* as given, for messages */
} ca_yaml_doc;

/* Read path.  A file that is not well-formed YAML gives 65 with err->msg
 * "PATH:LINE:COL: what libyaml says"; a missing file gives 66. */
int  ca_yaml_load(const char *path, ca_yaml_doc **out, ca_err *err);
/* The same from memory (a stored rule set); name stands for the path. */
int  ca_yaml_parse(const char *name, const char *buf, size_t len, ca_yaml_doc **out, ca_err *err);
void ca_yaml_free(ca_yaml_doc *doc);

/* The value under key in a mapping, or NULL (also when map is not one). */
const ca_yaml_node *ca_yaml_get(const ca_yaml_node *map, const char *key);

/* A word for a node's kind in messages: "a mapping", "a list", "text". */
const char *ca_yaml_kind_name(const ca_yaml_node *node);

#endif
