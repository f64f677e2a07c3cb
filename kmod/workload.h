/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_WORKLOAD_H
#define _CW_WORKLOAD_H

#include "uapi/cellwall.h"

#include <linux/atomic.h>
#include <linux/netlink.h>
#include <linux/types.h>

struct net;
struct sk_buff;
struct netlink_callback;

/* Event rate limit state of one (event type, source workload). */
struct cw_rate {
	unsigned long window;	/* jiffies the current second started */
	atomic_t sent;		/* events sent in that second */
	atomic_t suppressed;	/* dropped since the last one sent */
};

#define CW_EVENT_TYPES (CW_EVENT_THREAT + 1)

/*
 * A container: its cgroup and its network namespace, in a group. Readers
 * look workloads up under RCU; an update replaces the object.
 */
struct cw_workload {
	struct hlist_node id_node;
	struct hlist_node cgroup_node;
	struct rcu_head rcu;
	u32 id;
	u32 group;
	u64 cgroup_id;		/* 0: none */
	u64 netns_cookie;	/* 0: none */
	char name[CW_NAME_MAX];
	struct cw_rate rate[CW_EVENT_TYPES];
};

/* What the judging code needs to know about one end of a flow. */
struct cw_end {
	struct cw_workload *workload;	/* NULL: none registered */
	u32 group;
};

/*
 * RCU. The local end of a packet: the workload of @sk's cgroup (or its
 * nearest registered ancestor), else the owner of @net, else host (in the
 * initial netns) or unknown.
 */
void cw_workload_local(struct net *net, const struct sock *sk, struct cw_end *end);
/* RCU. */
struct cw_workload *cw_workload_find(u32 id);

/* Bumps the rate window; true if an event of @type may be sent now.
 * *suppressed gets the count dropped since the last one sent. */
bool cw_rate_allow(struct cw_rate *rate, u32 *suppressed);
/* The rate state of events whose source has no workload (host, unknown). */
struct cw_rate *cw_rate_of_group(u32 group, u8 type);

int cw_workload_set(u32 id, const char *name, const u32 *group,
		    const u64 *cgroup_id, const s32 *netns_fd,
		    struct netlink_ext_ack *extack);
int cw_workload_del(u32 id, struct netlink_ext_ack *extack);
int cw_workload_dump(struct sk_buff *skb, struct netlink_callback *cb,
		     int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
				 const struct cw_workload *workload));
/* A netns is going away: forget it as a workload's home. */
void cw_workload_netns_exit(struct net *net);
/* A group is going away: true if a workload is still in it. */
bool cw_workload_in_group(u32 group);

void cw_workloads_uninit(void);

#endif /* _CW_WORKLOAD_H */
