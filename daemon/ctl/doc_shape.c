/* SPDX-License-Identifier: ISC */
/*
 * doc_shape.c: the checks on a reply as a whole, before any field is
 * read: its size and nesting as text, and no repeated keys once parsed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

/*
 * yajl_tree frees a document recursively, so a reply of a few million '['
 * would exhaust the stack there; and it grows containers one element at a
 * time, so a few million values cost far more than their bytes. Counting
 * brackets and commas outside strings bounds both.
 */
int
ctl_doc_shape(const char *s, size_t len, char *err, size_t errsz)
{
	size_t items[CTL_DEPTH_MAX + 1] = { 0 }, total = 0;
	unsigned depth = 0;
	bool in_str = false, esc = false;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '[' || c == '{') {
			if (depth == CTL_DEPTH_MAX) {
				snprintf(err, errsz, "reply nests deeper than "
				    "%d levels", CTL_DEPTH_MAX);
				return -EPROTO;
			}
			items[++depth] = 0;
			total++;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		} else if (c == ',') {
			total++;
			if (++items[depth] >= CTL_ITEMS_MAX) {
				snprintf(err, errsz, "reply has a list of more "
				    "than %d items", CTL_ITEMS_MAX);
				return -EPROTO;
			}
		}
		if (total >= CTL_VALUES_MAX) {
			snprintf(err, errsz, "reply has more than %d values",
			    CTL_VALUES_MAX);
			return -EPROTO;
		}
	}
	return 0;
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorting a copy of the keys finds a repeat in n log n, not n squared. */
static int
keys_unique(yajl_val obj, char *err, size_t errsz)
{
	size_t n = obj->u.object.len;
	const char **keys;
	int r = 0;

	if (n < 2)
		return 0;
	keys = malloc(n * sizeof(*keys));
	if (keys == NULL) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	memcpy(keys, obj->u.object.keys, n * sizeof(*keys));
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < n && r == 0; i++) {
		if (strcmp(keys[i - 1], keys[i]) == 0) {
			snprintf(err, errsz, "reply has a duplicate key "
			    "\"%.40s\"", keys[i]);
			r = -EPROTO;
		}
	}
	free(keys);
	return r;
}

/*
 * RFC 8259 leaves a repeated name in an object to the parser, and parsers
 * disagree: doc.c's member() finds the first, jq keeps the last, so
 * {"status":"ok",...,"status":"critical"} would exit 0 here while a
 * script reading --json sees critical. Such a reply is ambiguous and is
 * refused, wherever the repeat is. ctl_doc_shape() bounds the recursion.
 */
int
ctl_doc_unique_keys(yajl_val x, char *err, size_t errsz)
{
	int r = 0;

	if (YAJL_IS_OBJECT(x)) {
		r = keys_unique(x, err, errsz);
		for (size_t i = 0; i < x->u.object.len && r == 0; i++)
			r = ctl_doc_unique_keys(x->u.object.values[i], err,
			    errsz);
	} else if (YAJL_IS_ARRAY(x)) {
		for (size_t i = 0; i < x->u.array.len && r == 0; i++)
			r = ctl_doc_unique_keys(x->u.array.values[i], err,
			    errsz);
	}
	return r;
}
