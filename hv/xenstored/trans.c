// SPDX-License-Identifier: GPL-2.0-only
/* trans.c: transactions. A transaction works on a private copy of the tree
 * taken at its start and remembers the generation of every node it touched
 * the first time it touched it. At commit, any of those nodes whose
 * generation in the live tree differs means someone else changed it: the
 * transaction fails with EAGAIN. Otherwise each node it wrote is copied
 * into the live tree (shallowest first) and the watches fire. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored/xsd.h"

int xs_tx_start(struct xs_conn *c, uint32_t *id)
{
	struct xsd *d = c->xsd;
	struct xs_tx *tx;

	if (!c->privileged && c->ntxs >= XSD_QUOTA_TRANSACTIONS)
		return ENOSPC;
	tx = calloc(1, sizeof(*tx));
	if (!tx)
		return ENOMEM;
	if (xs_tree_copy(&tx->tree, &d->tree)) {
		free(tx);
		return ENOMEM;
	}
	do {
		tx->id = d->next_tx_id++;
	} while (!tx->id || xs_tx_find(c, tx->id));
	tx->next = c->txs;
	c->txs = tx;
	c->ntxs++;
	*id = tx->id;
	return 0;
}

struct xs_tx *xs_tx_find(struct xs_conn *c, uint32_t id)
{
	struct xs_tx *tx;

	for (tx = c->txs; tx; tx = tx->next)
		if (tx->id == id)
			return tx;
	return NULL;
}

int xs_tx_touch(struct xs_conn *c, struct xs_tx *tx, const char *path, bool write)
{
	struct xs_node *n;
	unsigned int i;

	for (i = 0; i < tx->nacc; i++) {
		if (!strcmp(tx->acc[i].path, path)) {
			tx->acc[i].written |= write;
			return 0;
		}
	}
	if (!c->privileged && tx->nacc >= XSD_QUOTA_TX_NODES)
		return ENOSPC;
	if (tx->nacc == tx->capacc) {
		unsigned int cap = tx->capacc ? tx->capacc * 2 : 16;
		struct xs_access *a = realloc(tx->acc, cap * sizeof(*a));

		if (!a)
			return ENOMEM;
		tx->acc = a;
		tx->capacc = cap;
	}
	tx->acc[tx->nacc].path = strdup(path);
	if (!tx->acc[tx->nacc].path)
		return ENOMEM;
	n = xs_tree_lookup(&tx->tree, path);
	tx->acc[tx->nacc].gen = n ? n->gen : 0;
	tx->acc[tx->nacc].written = write;
	tx->nacc++;
	return 0;
}

static void tx_free(struct xs_tx *tx)
{
	unsigned int i;

	for (i = 0; i < tx->nacc; i++)
		free(tx->acc[i].path);
	free(tx->acc);
	xs_tree_free(&tx->tree);
	free(tx);
}

static void unlink_tx(struct xs_conn *c, struct xs_tx *tx)
{
	struct xs_tx **pp;

	for (pp = &c->txs; *pp; pp = &(*pp)->next) {
		if (*pp == tx) {
			*pp = tx->next;
			c->ntxs--;
			return;
		}
	}
}

/* Make the live node at PATH what the transaction left there. */
static int sync_node(struct xsd *d, struct xs_tx *tx, const char *path)
{
	struct xs_node *tn = xs_tree_lookup(&tx->tree, path);
	struct xs_node *mn = xs_tree_lookup(&d->tree, path);
	char kid[HVX_XENSTORE_ABS_PATH_MAX + 64];
	unsigned int i;
	int err;

	if (!tn) {
		if (mn)
			xsd_remove_node(d, mn, path);
		return 0;
	}
	if (!mn)
		mn = xs_tree_create(&d->tree, path, tn->perms, tn->nperms);
	if (!mn)
		return ENOMEM;
	err = xs_node_set_value(&d->tree, mn, tn->value, tn->vlen);
	if (!err)
		err = xs_node_set_perms(&d->tree, mn, tn->perms, tn->nperms);
	if (err)
		return err;
	for (i = 0; i < mn->nkids;) {
		struct xs_node *k = mn->kids[i];
		unsigned int j;

		for (j = 0; j < tn->nkids; j++)
			if (!strcmp(tn->kids[j]->name, k->name))
				break;
		if (j < tn->nkids) {
			i++;
			continue;
		}
		snprintf(kid, sizeof(kid), "%s/%s", strcmp(path, "/") ? path : "", k->name);
		xsd_remove_node(d, k, kid);
	}
	xs_watch_fire(d, path, tn->perms, tn->nperms, false);
	return 0;
}

static int by_depth(const void *a, const void *b)
{
	const struct xs_access *x = a, *y = b;
	unsigned int dx = xs_path_depth(x->path), dy = xs_path_depth(y->path);

	return dx < dy ? -1 : dx > dy;
}

int xs_tx_end(struct xs_conn *c, struct xs_tx *tx, bool commit)
{
	struct xsd *d = c->xsd;
	unsigned int i;
	int err = 0;

	unlink_tx(c, tx);
	if (!commit)
		goto out;
	for (i = 0; i < tx->nacc; i++) {
		struct xs_node *n = xs_tree_lookup(&d->tree, tx->acc[i].path);

		if ((n ? n->gen : 0) != tx->acc[i].gen) {
			err = EAGAIN;
			goto out;
		}
	}
	if (tx->nacc)
		qsort(tx->acc, tx->nacc, sizeof(tx->acc[0]), by_depth);
	for (i = 0; i < tx->nacc && !err; i++)
		if (tx->acc[i].written)
			err = sync_node(d, tx, tx->acc[i].path);
out:
	tx_free(tx);
	return err;
}

void xs_tx_free_all(struct xs_conn *c)
{
	struct xs_tx *tx;

	while ((tx = c->txs)) {
		c->txs = tx->next;
		tx_free(tx);
	}
	c->ntxs = 0;
}
