// SPDX-License-Identifier: GPL-2.0-only
/* tree.c: the store's node tree and path rules; permissions are checked by
 * the callers (ops.c), this file only keeps the structure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored/xsd.h"

static struct xs_node *node_new(const char *name, size_t len,
				const struct xs_perm *perms, unsigned int nperms)
{
	struct xs_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strndup(name, len);
	n->value = calloc(1, 1);
	n->perms = malloc(sizeof(*perms) * (nperms ? nperms : 1));
	if (!n->name || !n->value || !n->perms) {
		free(n->name);
		free(n->value);
		free(n->perms);
		free(n);
		return NULL;
	}
	memcpy(n->perms, perms, sizeof(*perms) * nperms);
	n->nperms = nperms;
	return n;
}

static void node_free(struct xs_node *n)
{
	unsigned int i;

	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->value);
	free(n->perms);
	free(n);
}

static int node_add_kid(struct xs_node *parent, struct xs_node *kid)
{
	if (parent->nkids == parent->capkids) {
		unsigned int cap = parent->capkids ? parent->capkids * 2 : 4;
		struct xs_node **k = realloc(parent->kids, cap * sizeof(*k));

		if (!k)
			return -1;
		parent->kids = k;
		parent->capkids = cap;
	}
	parent->kids[parent->nkids++] = kid;
	kid->parent = parent;
	return 0;
}

static struct xs_node *node_kid(const struct xs_node *n, const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < n->nkids; i++)
		if (!strncmp(n->kids[i]->name, name, len) && !n->kids[i]->name[len])
			return n->kids[i];
	return NULL;
}

int xs_tree_init(struct xs_tree *t)
{
	static const char *const initial[] = { "/local/domain", "/tool", "/vm" };
	static const struct xs_perm dom0 = { .id = 0, .mode = 0 };
	unsigned int i;

	t->gen = 0;
	t->root = node_new("", 0, &dom0, 1);
	if (!t->root)
		return -1;
	t->root->gen = ++t->gen;
	for (i = 0; i < sizeof(initial) / sizeof(initial[0]); i++)
		if (!xs_tree_create(t, initial[i], &dom0, 1)) {
			xs_tree_free(t);
			return -1;
		}
	return 0;
}

static struct xs_node *node_copy(const struct xs_node *src)
{
	struct xs_node *n = node_new(src->name, strlen(src->name), src->perms, src->nperms);
	unsigned int i;

	if (!n)
		return NULL;
	n->gen = src->gen;
	free(n->value);
	n->value = malloc(src->vlen + 1);
	if (!n->value) {
		n->value = calloc(1, 1);
		node_free(n);
		return NULL;
	}
	memcpy(n->value, src->value, src->vlen + 1);
	n->vlen = src->vlen;
	for (i = 0; i < src->nkids; i++) {
		struct xs_node *k = node_copy(src->kids[i]);

		if (!k || node_add_kid(n, k)) {
			if (k)
				node_free(k);
			node_free(n);
			return NULL;
		}
	}
	return n;
}

int xs_tree_copy(struct xs_tree *dst, const struct xs_tree *src)
{
	dst->root = node_copy(src->root);
	dst->gen = src->gen;
	return dst->root ? 0 : -1;
}

void xs_tree_free(struct xs_tree *t)
{
	if (t->root)
		node_free(t->root);
	t->root = NULL;
}

/* Walk PATH as far as it exists; *REST points at what is left. */
static struct xs_node *walk(const struct xs_tree *t, const char *path, const char **rest)
{
	struct xs_node *n = t->root;
	const char *p = path;

	while (*p == '/')
		p++;
	while (*p) {
		size_t len = strcspn(p, "/");
		struct xs_node *k = node_kid(n, p, len);

		if (!k)
			break;
		n = k;
		p += len;
		while (*p == '/')
			p++;
	}
	*rest = p;
	return n;
}

struct xs_node *xs_tree_lookup(const struct xs_tree *t, const char *path)
{
	const char *rest;
	struct xs_node *n = walk(t, path, &rest);

	return *rest ? NULL : n;
}

struct xs_node *xs_tree_nearest(const struct xs_tree *t, const char *path)
{
	const char *rest;

	return walk(t, path, &rest);
}

struct xs_node *xs_tree_create(struct xs_tree *t, const char *path,
			       const struct xs_perm *perms, unsigned int nperms)
{
	const char *p;
	struct xs_node *n = walk(t, path, &p);

	while (*p) {
		size_t len = strcspn(p, "/");
		struct xs_node *k = node_new(p, len, perms, nperms);

		if (!k || node_add_kid(n, k)) {
			if (k)
				node_free(k);
			return NULL;
		}
		/* The parent's child list changed: a transaction that listed
		 * it must see a conflict. */
		n->gen = ++t->gen;
		k->gen = ++t->gen;
		n = k;
		p += len;
		while (*p == '/')
			p++;
	}
	return n;
}

int xs_node_set_value(struct xs_tree *t, struct xs_node *n, const char *v, unsigned int len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return ENOMEM;
	memcpy(copy, v, len);
	copy[len] = '\0';
	free(n->value);
	n->value = copy;
	n->vlen = len;
	n->gen = ++t->gen;
	return 0;
}

int xs_node_set_perms(struct xs_tree *t, struct xs_node *n,
		      const struct xs_perm *p, unsigned int np)
{
	struct xs_perm *copy;

	if (!np)
		return EINVAL;
	copy = malloc(sizeof(*p) * np);
	if (!copy)
		return ENOMEM;
	memcpy(copy, p, sizeof(*p) * np);
	free(n->perms);
	n->perms = copy;
	n->nperms = np;
	n->gen = ++t->gen;
	return 0;
}

void xs_tree_remove(struct xs_tree *t, struct xs_node *n)
{
	struct xs_node *parent = n->parent;
	unsigned int i;

	if (!parent)
		return;
	for (i = 0; i < parent->nkids; i++) {
		if (parent->kids[i] != n)
			continue;
		memmove(&parent->kids[i], &parent->kids[i + 1],
			(parent->nkids - i - 1) * sizeof(parent->kids[0]));
		parent->nkids--;
		break;
	}
	parent->gen = ++t->gen;
	node_free(n);
}

unsigned int xs_tree_count_owned(const struct xs_node *n, unsigned int domid)
{
	unsigned int count = n->perms[0].id == domid, i;

	for (i = 0; i < n->nkids; i++)
		count += xs_tree_count_owned(n->kids[i], domid);
	return count;
}

static void chown_all(struct xs_tree *t, struct xs_node *n, unsigned int from, unsigned int to)
{
	unsigned int i;

	if (n->perms[0].id == from) {
		n->perms[0].id = (uint16_t)to;
		n->gen = ++t->gen;
	}
	for (i = 0; i < n->nkids; i++)
		chown_all(t, n->kids[i], from, to);
}

void xs_tree_chown_all(struct xs_tree *t, unsigned int from, unsigned int to)
{
	chown_all(t, t->root, from, to);
}

unsigned int xs_path_depth(const char *path)
{
	unsigned int depth = 0;

	for (; *path; path++)
		if (*path == '/' && path[1])
			depth++;
	return depth;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '@';
}

bool xs_path_valid(const char *path)
{
	const char *p;

	if (path[0] != '/')
		return false;
	if (!path[1])
		return true;
	for (p = path + 1; *p; p++) {
		if (*p == '/') {
			if (p[-1] == '/' || !p[1])
				return false;
		} else if (!name_char(*p)) {
			return false;
		}
	}
	return true;
}

bool xs_path_is_under(const char *child, const char *parent)
{
	size_t len = strlen(parent);

	if (!strcmp(parent, "/"))
		return child[0] == '/';
	return !strncmp(child, parent, len) && (child[len] == '\0' || child[len] == '/');
}
