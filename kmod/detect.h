/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_DETECT_H
#define _CW_DETECT_H

#include "flow.h"
#include "threat/threat.h"

#include <linux/netlink.h>

struct net;
struct nf_hook_state;
struct sk_buff;

/* Packets per second to one workload's network namespace, per kind. */
enum cw_meter_kind {
	CW_METER_SYN,
	CW_METER_ICMP,
	CW_METER_UDP,
	CW_METER_DNS,
	CW_METER_COUNT
};

struct cw_meter {
	unsigned long start;	/* jiffies the current second started */
	atomic_t count;		/* packets in that second */
};

/* The thresholds in force, read by the payload checks (threat/). */
extern struct cw_threat_limits cw_threat_limits;

/* What the packet at hand calls for. */
enum cw_detect_result {
	CW_DETECT_PASS,
	CW_DETECT_DROP,		/* drop this packet (the flow may go on) */
};

/* Whether the threat checks of @flow run here: see detect.c. */
bool cw_detect_wanted(const struct cw_flow *flow);

/*
 * RCU, any context, after the flow was judged: the header, rate and
 * payload (@payload: CW_THREAT_BIT()s from cw_inspect()) checks of one
 * packet. A threat that blocks a connection sets the flow's verdict to
 * deny (the caller rejects the packet); one that blocks only this packet
 * returns CW_DETECT_DROP.
 */
enum cw_detect_result cw_detect(struct cw_flow *flow, struct sk_buff *skb,
				const struct cw_packet *pkt, bool reply, bool created,
				u64 payload, const struct nf_hook_state *state);

/*
 * RCU, any context: a packet no flow takes, that cw_packet_parse() found
 * malformed. Returns NF_ACCEPT or NF_DROP.
 */
unsigned int cw_detect_malformed(struct sk_buff *skb, const struct nf_hook_state *state);

/* The flow's connection closes, or it leaves the table: it no longer counts for its source. */
void cw_detect_flow_gone(struct cw_flow *flow);

/* Configuration and counters, for netlink. */
int cw_threat_set(u8 id, const u8 *action, const u32 *threshold,
		  struct netlink_ext_ack *extack);
void cw_threat_get(u8 id, u8 *action, u32 *threshold, u64 *count);

int cw_detect_init(void);
void cw_detect_uninit(void);
int cw_detect_register(struct net *net);
void cw_detect_unregister(struct net *net);

#endif /* _CW_DETECT_H */
