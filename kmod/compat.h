/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - what Linux 6.1 lacks and 6.12 has, for the few things we use.
 */
#ifndef _P2PFENCE_COMPAT_H
#define _P2PFENCE_COMPAT_H

#include <net/genetlink.h>

/*
 * Linux 6.2 brought both struct genl_split_ops and NL_SET_ERR_MSG_FMT; the
 * macro is what a preprocessor can see. GENL_REQ_ATTR_CHECK is in both.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define P2PF_HAVE_SPLIT_OPS	1
#else
/* the generated hook prototypes name it; on 6.1 it stays incomplete */
struct genl_split_ops;
#endif

/*
 * NL_SET_ERR_MSG_FMT came with 6.2 (extack->_msg_buf). On 6.1 the message
 * must outlive the handler (the ack is built after it returns), so it goes
 * to a small ring of static buffers: never freed memory, at worst text from
 * a racing request when more than P2PF_EXTACK_RING are in flight at once.
 */
#ifndef NL_SET_ERR_MSG_FMT
#define P2PF_EXTACK_LEN		80
#define P2PF_EXTACK_RING	16
char *p2pf_extack_slot(void);
#define NL_SET_ERR_MSG_FMT(extack, fmt, args...) do {			\
	struct netlink_ext_ack *__extack = (extack);			\
									\
	if (__extack) {							\
		char *__buf = p2pf_extack_slot();			\
									\
		scnprintf(__buf, P2PF_EXTACK_LEN, fmt, ##args);		\
		__extack->_msg = __buf;					\
	}								\
} while (0)
#define P2PF_NEED_EXTACK_RING	1
#endif

#ifndef NL_SET_ERR_MSG_ATTR_FMT
#define NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, args...) do {	\
	struct netlink_ext_ack *__ex = (extack);			\
									\
	if (__ex)							\
		__ex->bad_attr = (attr);				\
	NL_SET_ERR_MSG_FMT(__ex, fmt, ##args);				\
} while (0)
#endif

/* The family: generated (split ops) on 6.2+, folded into genl_ops on 6.1. */
#ifdef P2PF_HAVE_SPLIT_OPS
extern struct genl_family p2pfence_nl_family;
#define p2pf_family	(&p2pfence_nl_family)
#else
extern struct genl_family p2pf_family61;
#define p2pf_family	(&p2pf_family61)
#endif

#endif /* _P2PFENCE_COMPAT_H */
