// SPDX-License-Identifier: GPL-2.0
/*
 * enforce.c - program the ACS control bits the engine says are needed.
 *
 * At each node where the engine needs bits, the control register becomes
 * (ctrl | need) with DT cleared, and EC cleared unless the fence programmed
 * it (it never does yet). Each write is read back; on any failure every
 * write of the transaction is undone, newest first, and the caller changes
 * nothing else either.
 *
 * Fail closed: the fence never clears a bit it set. Release and apply only
 * ever add bits (what the remaining assignments need); nothing is written
 * on unload. A redirect bit left set on a port nobody needs fenced any more
 * costs at most a detour through the root complex for peer-to-peer traffic
 * between host devices; a bit cleared too early is a hole.
 *
 * Caller holds the core's lock and pci_lock_rescan_remove() (fence.c).
 */
#include <linux/pci.h>
#include <linux/slab.h>

#include <net/netlink.h>

#include "compat.h"
#include "enforce.h"
#include "topology.h"

/**
 * p2pf_ctrl_wanted() - the ACS control word the fence wants
 * @ctrl: current control register
 * @need: bits the engine needs set (0: nothing to do here)
 * @flags: the node's FM_NODE_* flags
 *
 * Return: @ctrl when @need is 0, else @ctrl | @need without DT (and EC).
 */
u16 p2pf_ctrl_wanted(u16 ctrl, u16 need, u8 flags)
{
	if (!need)
		return ctrl;
	ctrl |= need;
	ctrl &= ~PCI_ACS_DT;
	if (!(flags & FM_NODE_EC_FENCE))
		ctrl &= ~PCI_ACS_EC;
	return ctrl;
}

static int p2pf_wlog_add(struct p2pf_wlog *log, const struct p2pf_write *w)
{
	if (log->n == log->cap) {
		u32 cap = log->cap ? log->cap * 2 : 8;
		struct p2pf_write *nw;

		nw = krealloc_array(log->w, cap, sizeof(*nw), GFP_KERNEL);
		if (!nw)
			return -ENOMEM;
		log->w = nw;
		log->cap = cap;
	}
	log->w[log->n++] = *w;
	return 0;
}

static struct pci_dev *p2pf_get_dev(u64 id)
{
	return pci_get_domain_bus_and_slot(FM_ID_DOMAIN(id), FM_ID_BUS(id),
					   FM_ID_DEVFN(id));
}

/* Program one node; the old value is logged before the write. */
static int p2pf_program(const struct p2pf_topo *t, u32 i, u16 need,
			struct p2pf_wlog *log, struct netlink_ext_ack *extack)
{
	const struct fm_node *nd = &t->nodes[i];
	struct p2pf_write w = { .id = nd->id, .pos = t->acs_pos[i] };
	struct pci_dev *dev;
	u16 rb = 0;
	int ret;

	dev = p2pf_get_dev(nd->id);
	if (!dev || !w.pos) {
		NL_SET_ERR_MSG_FMT(extack, "%s: ACS capability gone",
				   p2pf_ids(nd->id).s);
		ret = -EIO;
		goto out;
	}
	ret = pci_read_config_word(dev, w.pos + PCI_ACS_CTRL, &w.old);
	if (ret || w.old == 0xffff) {
		NL_SET_ERR_MSG_FMT(extack, "%s: ACS control unreadable",
				   p2pf_ids(nd->id).s);
		ret = -EIO;
		goto out;
	}
	w.val = p2pf_ctrl_wanted(w.old, need, nd->flags);
	if (w.val == w.old)
		goto out;	/* ret == 0 */
	ret = p2pf_wlog_add(log, &w);
	if (ret)
		goto out;
	pci_write_config_word(dev, w.pos + PCI_ACS_CTRL, w.val);
	ret = pci_read_config_word(dev, w.pos + PCI_ACS_CTRL, &rb);
	if (ret || rb != w.val) {
		NL_SET_ERR_MSG_FMT(extack,
				   "%s: ACS control reads back %#06x, wrote %#06x",
				   p2pf_ids(nd->id).s, rb, w.val);
		ret = -EIO;
		goto out;
	}
	pci_info(dev, "ACS control %#06x -> %#06x (fence)\n", w.old, w.val);
out:
	pci_dev_put(dev);
	return ret;
}

/**
 * p2pf_enforce() - set the needed ACS bits on every node of @t
 * @t: a built model (acs_pos, flags)
 * @need: t->n entries from the engine
 * @log: empty; gets every write done, for p2pf_enforce_rollback()
 * @extack: where a failure is explained
 *
 * On failure everything written is rolled back before returning.
 *
 * Return: 0, -EIO (a register did not take the value) or -ENOMEM.
 */
int p2pf_enforce(const struct p2pf_topo *t, const u16 *need,
		 struct p2pf_wlog *log, struct netlink_ext_ack *extack)
{
	u32 i;
	int ret;

	for (i = 0; i < t->n; i++) {
		if (!need[i])
			continue;
		ret = p2pf_program(t, i, need[i], log, extack);
		if (ret) {
			p2pf_enforce_rollback(log);
			return ret;
		}
	}
	return 0;
}

/**
 * p2pf_repair() - program every needed node on its own, without rollback
 * @t: the topology
 * @need: per node, the ACS bits the fence needs there
 * @log: records each write made and read back (failed ones are dropped)
 * @failed: per node (t->n entries, zeroed by the caller), set to 1 where
 *	programming failed; may be NULL
 *
 * For re-checks, audit and release: a node that cannot be programmed must
 * not undo the repairs of the others (the fence only adds bits). Each
 * failure is logged, naming the node.
 *
 * Return: the number of nodes that could not be programmed.
 */
u32 p2pf_repair(const struct p2pf_topo *t, const u16 *need,
		struct p2pf_wlog *log, u8 *failed)
{
	u32 i, n, nfail = 0;
	int ret;

	for (i = 0; i < t->n; i++) {
		if (!need[i])
			continue;
		n = log->n;
		ret = p2pf_program(t, i, need[i], log, NULL);
		if (!ret)
			continue;
		/* the log counts repairs that read back; this one did not */
		log->n = n;
		pr_err("%s: cannot repair the fence here (%d): ACS control lacks %#06x\n",
		       p2pf_ids(t->nodes[i].id).s, ret, need[i]);
		if (failed)
			failed[i] = 1;
		nfail++;
	}
	return nfail;
}

/**
 * p2pf_verdicts_repaired() - the fixable verdicts a repair did fix
 * @t: the topology, t->v holding @nv verdicts
 * @nv: how many
 * @failed: per node, 1 where the repair failed, or NULL
 * @out: room for @nv verdicts; may be NULL to count only
 *
 * Return: how many (for drift-repaired: only what really was).
 */
u32 p2pf_verdicts_repaired(const struct p2pf_topo *t, u32 nv, const u8 *failed,
			   struct fm_verdict *out)
{
	u32 i, k = 0;

	for (i = 0; i < nv; i++) {
		const struct fm_verdict *v = &t->v[i];

		if (!fm_kind_fixable(v->kind) ||
		    (failed && v->at >= 0 && failed[v->at]))
			continue;
		if (out)
			out[k] = *v;
		k++;
	}
	return k;
}

/**
 * p2pf_verdicts_left() - the verdicts a repair did not fix
 * @t: the topology, t->v holding @nv verdicts
 * @nv: how many
 * @enforce: whether a repair ran (else every verdict is left)
 * @failed: per node, 1 where the repair failed (from p2pf_repair()), or NULL
 * @out: room for @nv verdicts; may be NULL to count only
 *
 * Return: how many are left: the unfixable ones, and the fixable ones
 * whose node could not be programmed.
 */
u32 p2pf_verdicts_left(const struct p2pf_topo *t, u32 nv, bool enforce,
		       const u8 *failed, struct fm_verdict *out)
{
	u32 i, k = 0;

	for (i = 0; i < nv; i++) {
		const struct fm_verdict *v = &t->v[i];

		if (enforce && fm_kind_fixable(v->kind) &&
		    !(failed && v->at >= 0 && failed[v->at]))
			continue;
		if (out)
			out[k] = *v;
		k++;
	}
	return k;
}

/**
 * p2pf_enforce_rollback() - undo the writes of @log, newest first
 * @log: from p2pf_enforce(); emptied
 */
void p2pf_enforce_rollback(struct p2pf_wlog *log)
{
	while (log->n) {
		const struct p2pf_write *w = &log->w[--log->n];
		struct pci_dev *dev = p2pf_get_dev(w->id);

		if (!dev) {
			pr_warn("%s: gone, ACS control not rolled back\n",
				p2pf_ids(w->id).s);
			continue;
		}
		pci_write_config_word(dev, w->pos + PCI_ACS_CTRL, w->old);
		pci_info(dev, "ACS control %#06x -> %#06x (rollback)\n",
			 w->val, w->old);
		pci_dev_put(dev);
	}
}

/**
 * p2pf_wlog_free() - free a write log
 * @log: the log; left empty
 */
void p2pf_wlog_free(struct p2pf_wlog *log)
{
	kfree(log->w);
	memset(log, 0, sizeof(*log));
}
