/* SPDX-License-Identifier: ISC */
/*
 * jval.c: the first-problem keeper, member lookup and bounded parsing
 * that the reply and stream validators share (jval.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "jval.h"

void
ctl_jfail(struct ctl_jctx *v, const char *fmt, ...)
{
	va_list ap;

	if (v->failed)
		return;
	v->failed = true;
	va_start(ap, fmt);
	vsnprintf(v->err, v->errsz, fmt, ap);
	va_end(ap);
}

yajl_val
ctl_jget(yajl_val obj, const char *key)
{
	if (!YAJL_IS_OBJECT(obj))
		return NULL;
	for (size_t i = 0; i < obj->u.object.len; i++)
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return obj->u.object.values[i];
	return NULL;
}

void
ctl_jparse(struct ctl_jctx *v, const char *what, const char *line,
    size_t len, yajl_val *root)
{
	char ebuf[256] = "";

	if (ctl_doc_shape(line, len, ebuf, sizeof(ebuf)) < 0) {
		ctl_jfail(v, "%s", ebuf);
		return;
	}
	*root = yajl_tree_parse(line, ebuf, sizeof(ebuf));
	if (*root == NULL) {
		/* yajl's message spans lines quoting the text: one will do. */
		ebuf[strcspn(ebuf, "\n")] = '\0';
		ctl_jfail(v, "%s is not valid JSON (%s)", what,
		    *ebuf ? ebuf : "out of memory");
	} else if (!YAJL_IS_OBJECT(*root)) {
		ctl_jfail(v, "%s is not a JSON object", what);
	} else if (ctl_doc_unique_keys(*root, ebuf, sizeof(ebuf)) < 0) {
		ctl_jfail(v, "%s", ebuf);
	}
}
