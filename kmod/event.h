/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_EVENT_H
#define _CW_EVENT_H

#include "flow.h"
#include "threat/threat.h"

#include <linux/sched.h>
#include <linux/types.h>

struct cw_rate;

/* One event, as queued by the packet path and sent by the worker. */
struct cw_event {
	u64 time_ns;
	u64 netns_cookie;
	u64 lost;		/* CW_EVENT_LOST only */
	struct cw_flow_key key;
	u32 from_workload, to_workload, from_group, to_group, rule;
	u32 pid;		/* 0: no local process known */
	u32 suppressed;
	u8 type, hook, verdict, mode;
	u8 threat, severity;	/* CW_EVENT_THREAT only */
	u8 packet_len;
	char comm[TASK_COMM_LEN];
	struct cw_flow_app app;
	u8 packet[CW_THREAT_PACKET_BYTES];	/* from the IP header */
};

/* A threat to report: about @flow, or about a packet no flow takes. */
struct cw_threat_event {
	u8 threat;		/* enum cw_threat */
	u8 verdict;		/* what was done: CW_ACTION_DENY or _ALLOW */
	u8 mode;		/* the mode it was judged under */
	struct cw_flow *flow;	/* NULL: the fields below */
	struct cw_flow_key key;
	u32 workload, group;	/* the receiver */
};

/*
 * Any context, never blocks or allocates: queues an event about @flow for
 * the events multicast group, subject to @rate. The local process is the
 * current task when the packet is sent from process context.
 */
void cw_event_flow(u8 type, struct net *net, struct cw_flow *flow,
		   struct cw_rate *rate, bool local_task);
/* The same for a threat; @skb (may be NULL) gives the packet's first bytes. */
void cw_event_threat(struct net *net, const struct cw_threat_event *t,
		     const struct sk_buff *skb, struct cw_rate *rate);
u64 cw_events_lost(void);

int cw_events_init(void);
/* Before the netlink family goes: no event is sent after this. */
void cw_events_stop(void);
/* After the hooks are gone. */
void cw_events_uninit(void);

#endif /* _CW_EVENT_H */
