/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_ADDR_H
#define _CW_ADDR_H

#include "uapi/cellwall.h"

#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/types.h>

struct net;
struct sk_buff;
struct netlink_callback;

/* An address or prefix and what it stands for. */
struct cw_addr {
	struct hlist_node node;
	struct rcu_head rcu;
	union nf_inet_addr addr;	/* host bits zero */
	u8 family;			/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 prefix;
	u8 origin;			/* enum cw_addr_origin */
	u32 workload;			/* 0: a group entry */
	u32 group;			/* 0: a workload entry */
};

/*
 * RCU, any context. The remote end at @addr: the longest matching prefix,
 * a workload entry giving that workload and its group; else external.
 * The cost grows with the number of distinct prefix lengths in use only.
 */
void cw_addr_lookup(u8 family, const union nf_inet_addr *addr,
		    u32 *workload, u32 *group);

int cw_addr_set(const struct cw_addr *entry, struct netlink_ext_ack *extack);
int cw_addr_del(const struct cw_addr *entry, struct netlink_ext_ack *extack);
int cw_addr_dump(struct sk_buff *skb, struct netlink_callback *cb,
		 int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			     const struct cw_addr *entry));

/* Learned addresses: those of the netns a workload lives in. */
void cw_addr_learn_netns(struct net *net, u32 workload);
void cw_addr_forget_workload(u32 workload);
/* Entries naming this group or workload go (a group or workload is deleted). */
void cw_addr_forget_group(u32 group);

int cw_addr_init(void);
void cw_addr_uninit(void);

#endif /* _CW_ADDR_H */
