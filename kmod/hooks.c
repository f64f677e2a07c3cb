// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks: IPv4 and IPv6, local in, local out and forward, in
 * every network namespace. Each connection gets a flow, judged once under
 * the mode of the workload whose perimeter it crosses (egress: the
 * sender's, ingress: the receiver's) and again when the policy changes.
 */

#include "hooks.h"
#include "addr.h"
#include "detect.h"
#include "domain.h"
#include "event.h"
#include "flow.h"
#include "group.h"
#include "inspect.h"
#include "netns.h"
#include "policy.h"
#include "sysctl.h"
#include "workload.h"

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include <net/udp.h>

/*
 * After defragmentation and conntrack, just before the filter tables: we
 * see whole datagrams and judge before any iptables/nftables filter rule.
 */
#define CW_HOOK_PRIORITY (NF_IP_PRI_FILTER - 1)

static enum cw_dir hook_dir(unsigned int hook)
{
	switch (hook) {
	case NF_INET_LOCAL_IN:
		return CW_DIR_IN;
	case NF_INET_LOCAL_OUT:
		return CW_DIR_OUT;
	default:
		return CW_DIR_FWD;
	}
}

/* What a verdict may still wait for. */
struct wait {
	bool app;		/* the application: still identifying */
	bool name;		/* the name an external end gives (SNI, Host) */
};

/* Writes the verdict of @flow; returns the event to send, 0 for none. */
static u8 decide(struct cw_flow *flow, u8 mode, const struct cw_verdict *v,
		 u16 port, const struct wait *wait)
{
	bool same = flow->from_workload && flow->from_workload == flow->to_workload;

	flow->mode = mode;
	flow->rule = v->rule;
	flow->mismatch = v->mismatch;
	WRITE_ONCE(flow->pending, 0);
	/* Reset for a threat: no policy lets the connection go on. */
	if (READ_ONCE(flow->threat_blocked)) {
		flow->verdict = CW_ACTION_DENY;
		return 0;
	}
	/* A workload talking to itself crosses no perimeter. */
	if (v->action == CW_ACTION_ALLOW || same || mode == CW_MODE_NONE) {
		flow->verdict = CW_ACTION_ALLOW;
		return 0;
	}
	/*
	 * Judged once the application is known: rules for some applications
	 * need it, and so does what discover mode learns; and once an
	 * external end's name is, for domains. Until then the flow passes
	 * (its out-of-order segments do not, in protect).
	 */
	if ((wait->app && (v->pending || (mode == CW_MODE_DISCOVER &&
					  v->action == CW_ACTION_NONE))) ||
	    (wait->name && v->action != CW_ACTION_DENY)) {
		WRITE_ONCE(flow->pending, 1);
		flow->verdict = CW_ACTION_ALLOW;
		return 0;
	}
	/* A connection that ended before it said anything carried no other
	 * application. */
	if (v->mismatch && !READ_ONCE(flow->dpi.inspected[0]) &&
	    !READ_ONCE(flow->dpi.inspected[1])) {
		flow->verdict = CW_ACTION_ALLOW;
		return 0;
	}
	if (mode == CW_MODE_PROTECT) {
		flow->verdict = CW_ACTION_DENY;
		return CW_EVENT_VIOLATION;
	}
	flow->verdict = CW_ACTION_ALLOW;
	if (mode == CW_MODE_DISCOVER && v->action == CW_ACTION_NONE)
		return cw_learned_add(flow->from_group, flow->to_group,
				      flow->key.proto, port, flow->dpi.app) ?
		       CW_EVENT_LEARN : 0;
	return CW_EVENT_VIOLATION;
}

/*
 * The local socket an inbound connection reaches, found as the stack will
 * find it: in a netns several workloads share (the host's), its cgroup
 * tells which one is the receiver. TCP lookups hold a reference (*put).
 */
static struct sock *lookup_local(struct net *net, const struct cw_flow_key *key,
				 const struct net_device *in, bool *put)
{
	int dif = in ? in->ifindex : 0;

	*put = key->proto == IPPROTO_TCP;
	switch (key->proto) {
	case IPPROTO_TCP:
		if (key->family == NFPROTO_IPV4)
			return inet_lookup(net, net->ipv4.tcp_death_row.hashinfo, NULL, 0,
					   key->src.ip, key->sport, key->dst.ip,
					   key->dport, dif);
		return inet6_lookup(net, net->ipv4.tcp_death_row.hashinfo, NULL, 0,
				    &key->src.in6, key->sport, &key->dst.in6,
				    key->dport, dif);
	case IPPROTO_UDP:
		if (key->family == NFPROTO_IPV4)
			return __udp4_lib_lookup(net, key->src.ip, key->sport, key->dst.ip,
						 key->dport, dif, 0, &udp_table, NULL);
		return __udp6_lib_lookup(net, &key->src.in6, key->sport, &key->dst.in6,
					 key->dport, dif, 0, &udp_table, NULL);
	default:
		return NULL;
	}
}

static bool names_host(u8 app)
{
	return app == CW_APP_HTTP || app == CW_APP_TLS || app == CW_APP_HTTP2 ||
	       app == CW_APP_GRPC;
}

/*
 * The group of an otherwise external remote end, by its name: the name
 * the connection gives (TLS SNI, HTTP Host) decides once known; until
 * then, what the local workload's own DNS answers said of the address.
 */
static u32 external_group(struct cw_flow *flow, u32 workload,
			  const union nf_inet_addr *addr, bool *name_pending)
{
	struct cw_flow_app app;

	cw_flow_app(flow, &app);
	if (names_host(app.app) && app.info.name[0])
		return cw_domain_group(app.info.name, app.info.name_len) ?: CW_GROUP_EXTERNAL;
	*name_pending = app.dpi == CW_DPI_STATE_IDENTIFYING ||
			(app.dpi == CW_DPI_STATE_INSPECTING && names_host(app.app));
	return cw_dns_cache_lookup(workload, flow->key.family, addr) ?: CW_GROUP_EXTERNAL;
}

/* Judges @flow under the policy in force; sends the event it calls for. */
static void judge(struct cw_flow *flow, struct sk_buff *skb,
		  const struct nf_hook_state *state)
{
	u8 old_verdict = flow->verdict, old_mode = flow->mode, event, proto;
	bool egress = flow->hook == CW_HOOK_EGRESS;
	struct wait wait = {};
	const struct cw_flow_key *key = &flow->key;
	u32 old_rule = flow->rule, remote_wl, remote_group;
	struct sock *sk = skb->sk;
	struct cw_verdict v;
	struct cw_end local;
	bool put = false;
	u16 port = 0;

	/*
	 * Judged before: the same local end, in its group of now. The packet
	 * at hand may carry no socket (a reset, an answer), which would make
	 * it look like the host's.
	 */
	local.workload = old_verdict != CW_ACTION_NONE ?
			 cw_workload_find(egress ? flow->from_workload : flow->to_workload) : NULL;
	if (local.workload) {
		local.group = READ_ONCE(local.workload->group);
	} else {
		/* Inbound packets of new connections carry no socket yet. */
		if (!sk && state->hook == NF_INET_LOCAL_IN && !egress)
			sk = lookup_local(state->net, key, state->in, &put);
		cw_workload_local(state->net, sk, &local);
		if (sk && put)
			sock_gen_put(sk);
	}
	cw_addr_lookup(key->family, egress ? &key->dst : &key->src,
		       &remote_wl, &remote_group);
	if (egress && remote_group == CW_GROUP_EXTERNAL && cw_domains_any())
		remote_group = external_group(flow, local.workload ? local.workload->id : 0,
					      &key->dst, &wait.name);
	if (egress) {
		flow->from_workload = local.workload ? local.workload->id : 0;
		flow->from_group = local.group;
		flow->to_workload = remote_wl;
		flow->to_group = remote_group;
	} else {
		flow->from_workload = remote_wl;
		flow->from_group = remote_group;
		flow->to_workload = local.workload ? local.workload->id : 0;
		flow->to_group = local.group;
	}

	proto = key->proto;
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_UDPLITE)
		port = ntohs(key->dport);
	wait.app = cw_inspect_identifying(flow);
	cw_policy_lookup(flow->from_group, flow->to_group, proto, port,
			 READ_ONCE(flow->dpi.app), wait.app, &v);
	event = decide(flow, cw_group_mode(local.group), &v, port, &wait);

	/* One event per verdict: a re-judge that changes nothing is silent. */
	if (!event || (flow->reported && flow->verdict == old_verdict &&
		       flow->mode == old_mode && flow->rule == old_rule))
		return;
	flow->reported = 1;
	cw_event_flow(event, state->net, flow,
		      local.workload ? &local.workload->rate[event] :
				       cw_rate_of_group(local.group, event),
		      egress && state->hook == NF_INET_LOCAL_OUT);
}

/*
 * Makes a refused connection fail at once: a TCP reset to whoever sent
 * @skb, an ICMP administratively-prohibited for anything else.
 */
static void reject(struct sk_buff *skb, const struct nf_hook_state *state,
		   const struct cw_packet *pkt)
{
	if (pkt->key.proto == IPPROTO_TCP) {
		if (state->pf == NFPROTO_IPV4)
			nf_send_reset(state->net, state->sk, skb, state->hook);
		else
			nf_send_reset6(state->net, state->sk, skb, state->hook);
	} else {
		if (state->pf == NFPROTO_IPV4)
			nf_send_unreach(skb, ICMP_PKT_FILTERED, state->hook);
		else
			nf_send_unreach6(state->net, skb, ICMPV6_ADM_PROHIBITED,
					 state->hook);
	}
}

static unsigned int cw_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	const struct net_device *dev = state->in ?: state->out;
	struct cw_net *cn = cw_net(state->net);
	bool reply, created = false;
	struct cw_packet pkt;
	struct cw_flow *flow;
	u32 generation, seen;
	u64 threats = 0;

	if (!cw_sysctl_enabled())
		return NF_ACCEPT;

	cw_stats_count(cn, hook_dir(state->hook), skb->len);
	/* Routed through: the perimeters are those of both ends' netns. A
	 * workload's own loopback traffic crosses none. */
	if (state->hook == NF_INET_FORWARD || (dev && dev->flags & IFF_LOOPBACK))
		return NF_ACCEPT;
	if (!cw_packet_parse(skb, state->pf, &pkt))
		return cw_detect_malformed(skb, state);
	if (pkt.untracked)
		return NF_ACCEPT;

	flow = cw_flow_find(&cn->flows, &pkt, &reply);
	if (!flow) {
		flow = cw_flow_create(&cn->flows, &pkt,
				      state->hook == NF_INET_LOCAL_OUT ?
				      CW_HOOK_EGRESS : CW_HOOK_INGRESS);
		if (!flow)	/* table full, counted */
			return READ_ONCE(cw_fail_open) ? NF_ACCEPT : NF_DROP;
		reply = false;
		created = true;
	}
	cw_flow_seen(flow, &pkt, reply);

	switch (cw_inspect(flow, skb, &pkt, reply, &threats)) {
	case CW_INSPECT_CHANGED:
		/* Judged again below, with what was found. */
		WRITE_ONCE(flow->generation, 0);
		break;
	case CW_INSPECT_AHEAD:
		/*
		 * Held back until the verdict is final, or while its threat
		 * checks run (it would pass unchecked): TCP sends it again.
		 */
		if ((READ_ONCE(flow->pending) || cw_inspect_scanning(flow)) &&
		    READ_ONCE(flow->mode) == CW_MODE_PROTECT) {
			atomic64_inc(&cn->flows.held);
			return NF_DROP;
		}
		break;
	case CW_INSPECT_PASS:
		break;
	}
	/*
	 * A workload's own DNS answers give the addresses of domains' names:
	 * only from a server a rule lets it ask, or it could name any
	 * address after an allowed domain with a server of its own.
	 */
	if (reply && flow->hook == CW_HOOK_EGRESS && pkt.key.proto == IPPROTO_UDP &&
	    READ_ONCE(flow->dpi.app) == CW_APP_DNS && READ_ONCE(flow->rule) &&
	    READ_ONCE(flow->verdict) == CW_ACTION_ALLOW)
		cw_dns_snoop(flow, skb, &pkt);

	/* One CPU judges: the one that moves the flow to this generation. */
	generation = cw_policy_generation();
	seen = READ_ONCE(flow->generation);
	if (seen != generation && cmpxchg(&flow->generation, seen, generation) == seen)
		judge(flow, skb, state);

	if (cw_detect(flow, skb, &pkt, reply, created, threats, state) == CW_DETECT_DROP)
		return NF_DROP;

	if (READ_ONCE(flow->verdict) != CW_ACTION_DENY)
		return NF_ACCEPT;
	/* A reset tears the connection down: ours, or the peer's. */
	if (pkt.key.proto == IPPROTO_TCP && pkt.tcp_flags & TCPHDR_RST)
		return NF_ACCEPT;
	reject(skb, state, &pkt);
	return NF_DROP;
}

#define CW_HOOK(family, point) {		\
	.hook = cw_hook,			\
	.pf = family,				\
	.hooknum = point,			\
	.priority = CW_HOOK_PRIORITY,		\
}

static const struct nf_hook_ops cw_hook_ops[] = {
	CW_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN),
	CW_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_OUT),
	CW_HOOK(NFPROTO_IPV4, NF_INET_FORWARD),
	CW_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_IN),
	CW_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT),
	CW_HOOK(NFPROTO_IPV6, NF_INET_FORWARD),
};

int cw_hooks_register(struct net *net)
{
	int ret;

	ret = nf_register_net_hooks(net, cw_hook_ops, ARRAY_SIZE(cw_hook_ops));
	if (ret)
		return ret;
	ret = cw_detect_register(net);
	if (ret)
		nf_unregister_net_hooks(net, cw_hook_ops, ARRAY_SIZE(cw_hook_ops));
	return ret;
}

void cw_hooks_unregister(struct net *net)
{
	cw_detect_unregister(net);
	nf_unregister_net_hooks(net, cw_hook_ops, ARRAY_SIZE(cw_hook_ops));
}
