/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_NL_H
#define P2PFENCECTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/genl/genl.h>
#include <linux/p2pfence.h>

/* the netlink plumbing shared by every online command */
struct pf_nl {
	struct nl_sock *sk;
	int family;
	int err;		/* from the last NLMSG_ERROR: 0 or -errno */
	bool done;
	char ext[512];		/* the kernel's extack message, if any */
	int (*valid)(struct nl_msg *msg, void *arg);
	void *arg;
	int cb_err;		/* a parse error inside the valid callback */
	bool broken;		/* a send or receive failed: the socket may be out of sync */
};

/*
 * pf_nl_open() - connect and resolve the "p2pfence" family.
 * Prints the reason on failure ("p2pfence module not loaded").
 * Return: 0 or -errno.
 */
int pf_nl_open(struct pf_nl *nl);
/* the same; with @quiet_enoent, says nothing when the module is not loaded (-ENOENT) */
int pf_nl_open_q(struct pf_nl *nl, bool quiet_enoent);
void pf_nl_close(struct pf_nl *nl);

/* a new request for @cmd; @flags e.g. NLM_F_DUMP. NULL on ENOMEM */
struct nl_msg *pf_nl_msg(struct pf_nl *nl, uint8_t cmd, int flags, size_t size);

/*
 * pf_nl_exec() - send @msg (consumed) and read replies until the ACK, the
 * end of a dump or an error; each reply goes to @valid (which returns
 * NL_OK, or NL_STOP / a negative errno to stop).
 * Return: 0 or -errno (the kernel's, or local).
 */
int pf_nl_exec(struct pf_nl *nl, struct nl_msg *msg,
	       int (*valid)(struct nl_msg *msg, void *arg), void *arg);

/*
 * pf_nl_report() - say why @what failed with @err (the kernel's extack text
 * when there is one) on stderr and return the exit code for it.
 */
int pf_nl_report(const struct pf_nl *nl, int err, const char *what);

/* the id (FM_ID) of domain + bdf */
static inline uint64_t pf_id(uint32_t domain, uint16_t bdf)
{
	return (uint64_t)domain << 16 | bdf;
}

#endif
