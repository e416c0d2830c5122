// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - libnl-genl-3 plumbing: resolve the family, send, receive, and show
 * the kernel's extack message on error.
 *
 * libnl3 hands the error callback the struct nlmsgerr but does not parse
 * the extended ACK TLVs after it, so err_cb() does that itself
 * (NETLINK_EXT_ACK must be enabled on the socket for the kernel to send
 * them; NETLINK_CAP_ACK keeps our request out of the error message).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include "nl.h"
#include "util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int pf_nl_open(struct pf_nl *nl)
{
	return pf_nl_open_q(nl, false);
}

int pf_nl_open_q(struct pf_nl *nl, bool quiet_enoent)
{
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		err_msg("out of memory");
		return -ENOMEM;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		err_msg("cannot open a generic netlink socket: %s", nl_geterror(ret));
		ret = -EIO;
		goto fail;
	}
	/* best effort: old kernels lack them and still work, without text */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_enable_msg_peek(nl->sk);
	nl->family = genl_ctrl_resolve(nl->sk, P2PFENCE_FAMILY_NAME);
	if (nl->family < 0) {
		if (nl->family == -NLE_OBJ_NOTFOUND) {
			if (!quiet_enoent)
				err_msg("p2pfence module not loaded (no generic netlink family \"%s\"; "
					"modprobe p2pfence)", P2PFENCE_FAMILY_NAME);
			ret = -ENOENT;
		} else {
			err_msg("cannot resolve the \"%s\" family: %s", P2PFENCE_FAMILY_NAME,
				nl_geterror(nl->family));
			ret = -EIO;
		}
		goto fail;
	}
	return 0;
fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return ret;
}

void pf_nl_close(struct pf_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *pf_nl_msg(struct pf_nl *nl, uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *msg;

	msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags, cmd,
			 P2PFENCE_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct pf_nl *nl = arg;
	size_t off, total;

	(void)nla;
	nl->err = e->error;
	nl->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return NL_STOP;
	off = NLMSG_ALIGN(off);
	total = nlh->nlmsg_len - NLMSG_HDRLEN;
	if (off >= total)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      (int)(total - off), NULL) < 0)
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->ext, sizeof(nl->ext), "%.*s", nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	/* a string attribute carries its NUL; drop trailing newlines too */
	nl->ext[strcspn(nl->ext, "\n")] = '\0';
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct pf_nl *nl = arg;

	(void)msg;
	nl->done = true;
	return NL_STOP;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct pf_nl *nl = arg;

	(void)msg;
	nl->done = true;
	return NL_STOP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct pf_nl *nl = arg;
	int r;

	if (!nl->valid || nl->cb_err)
		return NL_OK;
	r = nl->valid(msg, nl->arg);
	if (r < 0) {
		nl->cb_err = r;
		return NL_OK;	/* keep reading to the ACK so the socket stays in sync */
	}
	return r;
}

int pf_nl_exec(struct pf_nl *nl, struct nl_msg *msg,
	       int (*valid)(struct nl_msg *msg, void *arg), void *arg)
{
	struct nl_cb *cb;
	int ret;

	nl->err = 0;
	nl->cb_err = 0;
	nl->done = false;
	nl->ext[0] = '\0';
	nl->valid = valid;
	nl->arg = arg;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, nl);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, nl);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, nl);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, nl);
	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		ret = ret == -NLE_MSGSIZE ? -EMSGSIZE : -EIO;
		nl->broken = true;
		goto out;
	}
	ret = 0;
	while (!nl->done) {
		int r = nl_recvmsgs(nl->sk, cb);

		if (r < 0 && !nl->done) {
			ret = r == -NLE_PERM ? -EPERM : -EIO;
			nl->broken = true;
			snprintf(nl->ext, sizeof(nl->ext), "receive failed: %s", nl_geterror(r));
			goto out;
		}
	}
	ret = nl->err ? nl->err : nl->cb_err;
out:
	nl_cb_put(cb);
	return ret;
}

int pf_nl_report(const struct pf_nl *nl, int err, const char *what)
{
	if (!err)
		return EXIT_OK;
	if (err == -EPERM)
		err_msg("%s: permission denied: p2pfence needs CAP_NET_ADMIN (run as root)%s%s",
			what, nl->ext[0] ? ": " : "", nl->ext);
	else if (err == -EXDEV || err == -EBUSY)
		/* the module's refusals: the kernel's text says why */
		err_msg("%s: refused: %s", what,
			nl->ext[0] ? nl->ext : err == -EXDEV ?
			"the hardware cannot isolate it" :
			"owned by another tenant, or bound to a driver other than vfio-pci");
	else if (nl->ext[0])
		err_msg("%s: %s (%s)", what, nl->ext, strerror(-err));
	else
		err_msg("%s: %s", what, strerror(-err));
	return exit_for_errno(err);
}
