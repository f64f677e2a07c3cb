/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_POLICY_H
#define _CW_POLICY_H

#include "uapi/cellwall.h"

#include <linux/netlink.h>
#include <linux/types.h>

struct net;
struct sk_buff;
struct netlink_callback;

/* One rule as loaded (CW_RULE_A_*); port_min..port_max 0..65535 = any. */
struct cw_rule {
	u32 id;
	u32 from, to;		/* group ids */
	u16 port_min, port_max;
	u8 proto;		/* 0 (any), IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP */
	u8 action;		/* CW_ACTION_ALLOW or CW_ACTION_DENY */
	bool learned;
	u64 apps;		/* bit n: enum cw_app n; 0: any application */
};

struct cw_verdict {
	u8 action;		/* CW_ACTION_NONE: no rule matched */
	u32 rule;		/* id of the deciding rule, 0 if none */
	bool pending;		/* rules for some applications: ask again later */
	bool mismatch;		/* NONE because the port's rules are for other
				 * applications (rule: the lowest of them) */
};

/*
 * RCU, any context. The verdict of the policy in force for a connection
 * from group @from to group @to, protocol @proto (ICMPv6 is looked up as
 * ICMP) and destination port @dport (0 for ICMP and other protocols),
 * carrying application @app (CW_APP_UNKNOWN when not identified). While
 * @identifying, rules for some applications cannot decide yet: pending.
 * Explicit deny wins over allow; the cost does not grow with the rule count.
 */
void cw_policy_lookup(u32 from, u32 to, u8 proto, u16 dport, u8 app, bool identifying,
		      struct cw_verdict *v);

/*
 * Bumped by every change that can alter a verdict: a policy commit, and
 * (through cw_generation_bump) group, workload and address changes. Flows
 * judged under an older generation are judged again at their next packet.
 */
u32 cw_policy_generation(void);
void cw_generation_bump(void);
u32 cw_policy_rule_count(void);

/*
 * The load transaction, owned by one netlink socket (@net, @portid). Every
 * error drops the transaction and leaves the policy in force untouched.
 * cw_policy_stage checks one rule: its groups exist (cw_group_exists), its
 * ports are a range and only with TCP or UDP, learned ids are
 * >= CW_RULE_ID_LEARNED and others below, at most CW_POLICY_MAX_RULES.
 * cw_policy_commit checks that the transaction holds @rules rules (as many
 * as the loader sent), and returns the new generation, or a negative errno.
 */
int cw_policy_begin(struct net *net, u32 portid, struct netlink_ext_ack *extack);
int cw_policy_stage(struct net *net, u32 portid, const struct cw_rule *rule,
		    struct netlink_ext_ack *extack);
int cw_policy_commit(struct net *net, u32 portid, u32 rules,
		     struct netlink_ext_ack *extack);
int cw_policy_abort(struct net *net, u32 portid, struct netlink_ext_ack *extack);

/* Dumps the rules in force, in load order: cb->args[0] is the next index. */
int cw_policy_dump(struct sk_buff *skb, struct netlink_callback *cb,
		   int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			       const struct cw_rule *rule));

/*
 * Discover mode's memory, in a fixed table allocated at commit (no
 * allocation in the packet path). RCU, any context: true the first time
 * (from, to, proto, port, app) is seen since the last commit (emit LEARN then),
 * false after, and false when the table is full. A commit clears it.
 */
bool cw_learned_add(u32 from, u32 to, u8 proto, u16 port, u8 app);
/* Dumps what was learned as rules (id 0, allow, learned); args[0] index. */
int cw_learned_dump(struct sk_buff *skb, struct netlink_callback *cb,
		    int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
				const struct cw_rule *rule));

int cw_policy_init(void);
void cw_policy_uninit(void);

#ifdef CW_DEBUG
bool cw_policy_selftest(void);
#endif

#endif /* _CW_POLICY_H */
