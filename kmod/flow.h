/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_FLOW_H
#define _CW_FLOW_H

#include "uapi/cellwall.h"
#include "dpi/dpi.h"
#include "threat/threat.h"

#include <linux/atomic.h>
#include <linux/netfilter.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct sk_buff;
struct netlink_callback;

/* A flow as its first packet saw it: initiator (src) to responder (dst). */
struct cw_flow_key {
	union nf_inet_addr src, dst;
	__be16 sport, dport;	/* ICMP echo: the id in both */
	u8 family;		/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 proto;		/* IPPROTO_*; ICMPv6 stays IPPROTO_ICMPV6 */
};

/* What one packet tells the flow table, besides its key. */
struct cw_packet {
	struct cw_flow_key key;	/* oriented as this packet: src sent it */
	unsigned int len;
	unsigned int l4_off;		/* where the TCP, UDP or ICMP header starts */
	unsigned int payload_off;	/* TCP, UDP: where the payload starts */
	unsigned int payload_len;
	u32 seq;		/* TCP: the sequence number, host order */
	u8 tcp_flags;		/* TCP: the flags byte (TCPHDR_*), else 0 */
	bool untracked;		/* ICMP errors, fragments past the first... */
};

/*
 * One connection. Everything after the key is written by the judging code
 * (hooks.c) and read by the dump; counters and state by cw_flow_seen().
 */
struct cw_flow {
	struct hlist_node node;
	struct rcu_head rcu;
	struct cw_flow_key key;
	unsigned long created;		/* jiffies */
	unsigned long last_seen;	/* jiffies */
	atomic64_t packets[2];		/* [0] initiator to responder, [1] back */
	atomic64_t bytes[2];
	u32 from_workload, to_workload;
	u32 from_group, to_group;
	u32 rule;
	u32 generation;			/* policy generation of the verdict */
	u8 state;			/* enum cw_flow_state */
	u8 verdict;			/* enum cw_action; NONE until judged */
	u8 mode;			/* enum cw_mode it was judged under */
	u8 hook;			/* enum cw_hook_point */
	u8 reported;			/* an event was sent for this verdict */
	u8 fins;			/* TCP: FIN seen, bit 0 initiator, 1 back */
	u8 pending;			/* allowed until its application is known */
	u8 mismatch;			/* violation: another application's port */
	/* Protocol identification (inspect.c), under dpi_lock. */
	u8 dpi_off;			/* not inspected: not TCP/UDP, DPI off... */
	u8 dpi_seq_known;		/* TCP: next_seq[] is set, bit per direction */
	/* Threat detection (detect.c; the payload checks under dpi_lock). */
	u8 client_data;			/* TCP: the initiator sent payload */
	u8 source_counted;		/* counted in its source's connections */
	u8 threat_blocked;		/* denied for a threat: stays denied */
	u8 scan_on;			/* payload checks started */
	u64 threats;			/* CW_THREAT_BIT()s reported for it */
	spinlock_t dpi_lock;
	struct cw_dpi dpi;
	struct cw_dpi_info info;
	struct cw_threat_scan scan;
};

/* What identification found, copied out for dumps and events. */
struct cw_flow_app {
	u8 dpi;				/* enum cw_dpi_state */
	u8 app;				/* enum cw_app */
	u8 mismatch;
	struct cw_dpi_info info;
};

/* Any context: a consistent copy of @flow's application and attributes. */
void cw_flow_app(struct cw_flow *flow, struct cw_flow_app *app);

struct cw_flow_counters {
	u32 active;
	u64 created, evicted, full_accepted, full_dropped, expired, held;
};

/* The flow table of one network namespace. */
struct cw_flow_table {
	struct hlist_head *buckets;
	spinlock_t *locks;		/* CW_FLOW_LOCKS, bucket i uses i % it */
	atomic_t count;
	atomic64_t created, evicted, full_accepted, full_dropped, expired;
	atomic64_t held;		/* TCP segments held back: out of order */
	struct delayed_work gc;
	siphash_key_t seed;
};

/* Reads the key, length and TCP flags; false for a truncated or malformed
 * packet (which the caller drops). Payload only via skb_header_pointer. */
bool cw_packet_parse(const struct sk_buff *skb, u8 family, struct cw_packet *pkt);

/* RCU. Finds the flow of @pkt in either direction; *reply tells which. */
struct cw_flow *cw_flow_find(struct cw_flow_table *t, const struct cw_packet *pkt,
			     bool *reply);

/*
 * RCU, any context. Adds a flow for @pkt (its initiator is pkt's src) and
 * returns it, or the flow another CPU added first. When the table holds
 * cw_max_flows, evicts the oldest unestablished flow near the new one's
 * bucket; if there is none, counts full_accepted or full_dropped (per
 * cw_fail_open) and returns NULL.
 */
struct cw_flow *cw_flow_create(struct cw_flow_table *t, const struct cw_packet *pkt,
			       u8 hook);

/* RCU, any context: counters, last_seen and TCP state for one packet. */
void cw_flow_seen(struct cw_flow *flow, const struct cw_packet *pkt, bool reply);

void cw_flow_counters(struct cw_flow_table *t, struct cw_flow_counters *c);

/*
 * Dump: resumes at cb->args[1] (bucket) and cb->args[2] (entry); returns 0
 * when the table is done, or the fill error (-EMSGSIZE) to resume later.
 */
int cw_flow_dump(struct cw_flow_table *t, struct sk_buff *skb,
		 struct netlink_callback *cb,
		 int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			     struct cw_flow *flow));

/* Starts garbage collection. destroy: after the hooks are gone. */
int cw_flow_table_init(struct cw_flow_table *t);
void cw_flow_table_destroy(struct cw_flow_table *t);

int cw_flow_init(void);		/* the slab cache */
void cw_flow_uninit(void);

#ifdef CW_DEBUG
bool cw_flow_selftest(void);
#endif

#endif /* _CW_FLOW_H */
