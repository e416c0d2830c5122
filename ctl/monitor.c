// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - `monitor`: print the module's events as they come (one line,
 * or one JSON object per line with -j), until interrupted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/genl/ctrl.h>
#include "bootacs.h"
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "show.h"
#include "util.h"

static int event_print(struct nl_msg *msg, void *arg)
{
	struct pf_event ev;
	int ret;

	ret = pf_event_parse(msg, &ev);
	if (ret) {
		if (ret == -ENOMEM)
			err_msg("out of memory (an event lost)");
		else if (ret < 0)
			err_msg("malformed event from the kernel (ignored)");
		pf_verdicts_free(&ev.v);
		return NL_OK;
	}
	bootctx_verdicts(arg, ev.v.v, ev.v.n);
	pf_event_print(&ev);
	out_end();
	bootctx_forget(arg);
	pf_verdicts_free(&ev.v);
	return NL_OK;
}

static int seq_any(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/*
 * The monitor joins a multicast group and turns sequence checks off: that
 * is its own socket, never the shared one of a -batch (whose next lines
 * would then read events as replies).
 */
int cmd_monitor(struct ctl *c, int argc, char **argv)
{
	struct nl_cb *cb = NULL;
	struct bootctx bc;
	struct pf_nl nl;
	int grp, ret, rc = EXIT_USAGE;

	(void)c;
	if (argc == 2 && is_help(argv[1])) {
		usage_for("monitor", 0);
		return EXIT_OK;
	}
	if (argc > 1)
		return usage_err("monitor", "monitor: unexpected argument '%s'", argv[1]);
	ret = pf_nl_open(&nl);
	if (ret)
		return EXIT_USAGE;
	/* the command line, once; the ports as the events name them */
	if (bootctx_live(&bc))
		err_msg("out of memory: the boot policy's notes are left out");
	grp = genl_ctrl_resolve_grp(nl.sk, P2PFENCE_FAMILY_NAME, P2PFENCE_MCGRP_MONITOR);
	if (grp < 0) {
		err_msg("monitor: no multicast group \"%s\": %s", P2PFENCE_MCGRP_MONITOR,
			nl_geterror(grp));
		goto out;
	}
	ret = nl_socket_add_membership(nl.sk, grp);
	if (ret < 0) {
		if (ret == -NLE_PERM)
			err_msg("monitor: permission denied: p2pfence needs CAP_NET_ADMIN (run as root)");
		else
			err_msg("monitor: cannot join the monitor group: %s", nl_geterror(ret));
		goto out;
	}
	nl_socket_disable_seq_check(nl.sk);
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		err_msg("out of memory");
		goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, event_print, &bc);
	/* events carry no sequence number: a fresh cb checks them by default */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any, NULL);
	/* runs until a signal ends it; every event is flushed by out_end() */
	for (;;) {
		ret = nl_recvmsgs(nl.sk, cb);
		if (ret < 0 && ret != -NLE_INTR && ret != -NLE_AGAIN) {
			err_msg("monitor: %s", nl_geterror(ret));
			goto out;
		}
	}
out:
	if (cb)
		nl_cb_put(cb);
	pf_nl_close(&nl);
	bootctx_free(&bc);
	return rc;
}
