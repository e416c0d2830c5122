// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - `monitor`: print the module's events as they come (one line,
 * or one JSON object per line with -j), until interrupted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/genl/ctrl.h>
#include "cmds.h"
#include "json.h"
#include "nl.h"
#include "util.h"

static const char *const event_names[] = {
	[P2PFENCE_EVENT_ASSIGNED] = "assigned",
	[P2PFENCE_EVENT_RELEASED] = "released",
	[P2PFENCE_EVENT_REFUSED] = "refused",
	[P2PFENCE_EVENT_VIOLATION] = "violation",
	[P2PFENCE_EVENT_DRIFT_REPAIRED] = "drift-repaired",
	[P2PFENCE_EVENT_WRITE_BLOCKED] = "write-blocked",
	[P2PFENCE_EVENT_DEVICE_REMOVED] = "device-removed",
};

static struct nla_policy event_pol[P2PFENCE_A_EVENT_MAX + 1] = {
	[P2PFENCE_A_EVENT_EVENT] = { .type = NLA_U32 },
	[P2PFENCE_A_EVENT_DOMAIN] = { .type = NLA_U32 },
	[P2PFENCE_A_EVENT_BDF] = { .type = NLA_U16 },
	[P2PFENCE_A_EVENT_TENANT] = { .type = NLA_U32 },
	[P2PFENCE_A_EVENT_COMM] = { .type = NLA_STRING },
	[P2PFENCE_A_EVENT_VERDICT] = { .type = NLA_NESTED },
};

static int event_print(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_EVENT_MAX + 1], *a;
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct pf_verdict v;
	char d[DEV_STRLEN], k[24];
	uint32_t ev;
	int rem;

	(void)arg;
	if (g->cmd != P2PFENCE_CMD_EVENT)
		return NL_OK;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, P2PFENCE_A_EVENT_MAX, event_pol) < 0 ||
	    !tb[P2PFENCE_A_EVENT_EVENT]) {
		err_msg("malformed event from the kernel (ignored)");
		return NL_OK;
	}
	ev = nla_get_u32(tb[P2PFENCE_A_EVENT_EVENT]);
	if (ev < sizeof(event_names) / sizeof(event_names[0]) && event_names[ev])
		snprintf(k, sizeof(k), "%s", event_names[ev]);
	else
		snprintf(k, sizeof(k), "event-%u", ev);
	out_obj_open(NULL);
	out_str("event", "%s", k);
	if (tb[P2PFENCE_A_EVENT_DOMAIN] && tb[P2PFENCE_A_EVENT_BDF])
		out_str("dev", " %s", fmt_dev(pf_id(nla_get_u32(tb[P2PFENCE_A_EVENT_DOMAIN]),
						   nla_get_u16(tb[P2PFENCE_A_EVENT_BDF])), d));
	else
		out_null("dev", NULL);
	if (tb[P2PFENCE_A_EVENT_TENANT])
		out_uint("tenant", " tenant %llu", nla_get_u32(tb[P2PFENCE_A_EVENT_TENANT]));
	if (tb[P2PFENCE_A_EVENT_COMM])
		out_str("comm", " by %s", nla_get_string(tb[P2PFENCE_A_EVENT_COMM]));
	out_text("\n");
	out_arr_open("violations");
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_EVENT_VERDICT || pf_nl_verdict(a, &v))
			continue;
		out_text("  ");
		verdict_print(&v, false);
	}
	out_arr_close();
	out_obj_close();
	out_end();
	return NL_OK;
}

static int seq_any(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int cmd_monitor(int argc, char **argv)
{
	struct nl_cb *cb = NULL;
	struct pf_nl nl;
	int grp, ret, rc = EXIT_USAGE;

	if (argc == 2 && is_help(argv[1])) {
		usage_for("monitor", 0);
		return EXIT_OK;
	}
	if (argc > 1)
		return usage_err("monitor", "monitor: unexpected argument '%s'", argv[1]);
	ret = pf_nl_open(&nl);
	if (ret)
		return EXIT_USAGE;
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
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, event_print, NULL);
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
	return rc;
}
