// SPDX-License-Identifier: GPL-2.0
/*
 * Threat detection in the packet path: attacks hidden in allowed traffic
 * and floods aimed at a workload. The payload checks are threat/'s (run by
 * inspect.c); here are the checks on headers, the rates, the per-source
 * counts, the fragments, and what each detection does: an event always,
 * and in protect mode, for a detection whose action is block, a dropped
 * packet and, for one that belongs to a connection, a reset.
 *
 * The checks run once per connection: in the network namespace of its
 * responder (the ingress flow), on both directions; on the egress flow only
 * when the remote end is outside the host, where no hook of ours sees it.
 *
 * Nothing here sleeps or allocates: rates live in the netns, per-source
 * counts and fragments in fixed tables with a lock per bucket.
 */

#include "detect.h"
#include "event.h"
#include "group.h"
#include "netns.h"
#include "sysctl.h"
#include "workload.h"

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/vmalloc.h>
#include <net/ipv6.h>
#include <net/tcp.h>

/* -- Configuration and counters --------------------------------------------- */

struct cw_threat_limits cw_threat_limits;
static u8 actions[CW_THREAT_MAX + 1];

struct counts {
	u64 n[CW_THREAT_MAX + 1];
};
static struct counts __percpu *counts;

int cw_threat_set(u8 id, const u8 *action, const u32 *threshold,
		  struct netlink_ext_ack *extack)
{
	const struct cw_threat_def *def = &cw_threat_defs[id];

	if (!id || id > CW_THREAT_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "no such threat");
		return -ENOENT;
	}
	if (threshold && !def->unit) {
		NL_SET_ERR_MSG_MOD(extack, "this threat has no threshold");
		return -EINVAL;
	}
	if (threshold && !*threshold) {
		NL_SET_ERR_MSG_MOD(extack, "the threshold must be at least 1");
		return -ERANGE;
	}
	/* Distinct ports are counted in a 64-bit set. */
	if (threshold && id == CW_THREAT_PORT_SCAN && *threshold > 64) {
		NL_SET_ERR_MSG_MOD(extack, "port_scan: the threshold is at most 64 ports");
		return -ERANGE;
	}
	if (action)
		WRITE_ONCE(actions[id], *action);
	if (threshold)
		WRITE_ONCE(cw_threat_limits.threshold[id], *threshold);
	return 0;
}

void cw_threat_get(u8 id, u8 *action, u32 *threshold, u64 *count)
{
	int cpu;

	*action = READ_ONCE(actions[id]);
	*threshold = READ_ONCE(cw_threat_limits.threshold[id]);
	*count = 0;
	for_each_possible_cpu(cpu)
		*count += READ_ONCE(per_cpu_ptr(counts, cpu)->n[id]);
}

static u32 limit(unsigned int id)
{
	return READ_ONCE(cw_threat_limits.threshold[id]);
}

/* -- Reporting and acting ----------------------------------------------------- */

/*
 * Counts @id and reports it; returns whether it blocks: its action is
 * block and the mode protect.
 */
static bool found(unsigned int id, u8 mode, struct net *net, struct cw_flow *flow,
		  const struct cw_threat_event *proto, const struct sk_buff *skb)
{
	u8 action = READ_ONCE(actions[id]);
	struct cw_threat_event t;
	struct cw_workload *wl;
	struct cw_rate *rate;
	u32 local;
	bool block;

	if (action == CW_THREAT_ACTION_OFF)
		return false;
	block = action == CW_THREAT_ACTION_BLOCK && mode == CW_MODE_PROTECT;
	this_cpu_inc(counts->n[id]);

	t = *proto;
	t.threat = id;
	t.mode = mode;
	t.flow = flow;
	t.verdict = block ? CW_ACTION_DENY : CW_ACTION_ALLOW;
	if (flow)
		local = flow->hook == CW_HOOK_EGRESS ? flow->from_workload : flow->to_workload;
	else
		local = t.workload;
	wl = local ? cw_workload_find(local) : NULL;
	rate = wl ? &wl->rate[CW_EVENT_THREAT] :
		    cw_rate_of_group(flow ? (flow->hook == CW_HOOK_EGRESS ? flow->from_group :
					     flow->to_group) : t.group, CW_EVENT_THREAT);
	cw_event_threat(net, &t, skb, rate);
	return block;
}

/* -- Rates: per second, per receiving netns --------------------------------- */

/* What one packet shows: threats to report, and limits it is over. */
struct findings {
	u64 report;		/* CW_THREAT_BIT()s to count and report */
	u64 over;		/* CW_THREAT_BIT()s of rates and counts it passes */
};


/* Counts a packet; true exactly when it is the first over @max this second. */
static bool meter_first_over(struct cw_meter *m, u32 max, bool *over)
{
	unsigned long now = jiffies, start = READ_ONCE(m->start);
	u32 n;

	if (time_after_eq(now, start + HZ) && cmpxchg(&m->start, start, now) == start)
		atomic_set(&m->count, 0);
	n = atomic_inc_return(&m->count);
	*over = n > max;
	return n == max + 1;
}

/* -- Per source: ports tried, connections held, failed logins --------------- */

#define SRC_BUCKETS 1024		/* a power of two */
#define SRC_WAYS 4
#define SCAN_WINDOW (10 * HZ)
#define AUTH_WINDOW (60 * HZ)

/* What one source did to one address of ours. */
struct src_entry {
	union nf_inet_addr src, dst;
	u8 family;
	unsigned long last;		/* jiffies; 0: free */
	unsigned long scan_start;
	u64 ports;			/* ports tried: a bit per port's hash */
	unsigned long auth_start;
	u32 auth_failures;
	u32 sessions;			/* open connections: from creation to close */
};

struct src_bucket {
	spinlock_t lock;
	struct src_entry e[SRC_WAYS];
};

static struct src_bucket *sources;
static u32 src_seed __read_mostly;

static unsigned int src_hash(const struct cw_flow_key *key)
{
	return jhash2((const u32 *)&key->src, sizeof(key->src) / 4,
		      jhash2((const u32 *)&key->dst, sizeof(key->dst) / 4,
			     src_seed ^ key->family)) & (SRC_BUCKETS - 1);
}

/*
 * Under the bucket's lock: the entry of @key's source and destination, or
 * a new one in place of the least recently used (one holding connections
 * last). NULL only if @create is false and there is none.
 */
static struct src_entry *src_find(struct src_bucket *b, const struct cw_flow_key *key,
				  bool create)
{
	struct src_entry *e, *victim = NULL;
	unsigned int i;

	for (i = 0; i < SRC_WAYS; i++) {
		e = &b->e[i];
		if (e->last && e->family == key->family &&
		    nf_inet_addr_cmp(&e->src, &key->src) && nf_inet_addr_cmp(&e->dst, &key->dst))
			return e;
		if (!victim || !e->last ||
		    (victim->last && (!!e->sessions < !!victim->sessions ||
				      (!!e->sessions == !!victim->sessions &&
				       time_before(e->last, victim->last)))))
			victim = e;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->src = key->src;
	victim->dst = key->dst;
	victim->family = key->family;
	return victim;
}

/* What a new connection from a source says. */
static void src_new_flow(struct cw_flow *flow, struct findings *f)
{
	struct src_bucket *b = &sources[src_hash(&flow->key)];
	u32 ports_max = limit(CW_THREAT_PORT_SCAN);
	u32 auth_max = limit(CW_THREAT_MYSQL_AUTH_FAILURES);
	unsigned long now = jiffies;
	struct src_entry *e;
	unsigned int n;

	spin_lock_bh(&b->lock);
	e = src_find(b, &flow->key, true);
	e->last = now | 1;

	if (!e->scan_start || time_after(now, e->scan_start + SCAN_WINDOW)) {
		e->scan_start = now | 1;
		e->ports = 0;
	}
	n = hweight64(e->ports);
	e->ports |= BIT_ULL(hash_32(ntohs(flow->key.dport), 6));
	/* Reported for each new port past the threshold: each is dropped. */
	if (hweight64(e->ports) >= ports_max && n < hweight64(e->ports))
		f->report |= CW_THREAT_BIT(CW_THREAT_PORT_SCAN);

	if (++e->sessions > limit(CW_THREAT_SESSION_LIMIT))
		f->report |= CW_THREAT_BIT(CW_THREAT_SESSION_LIMIT);
	flow->source_counted = 1;

	/* A source that failed too many logins stays out for the window. */
	if (e->auth_failures >= auth_max && time_before(now, e->auth_start + AUTH_WINDOW))
		f->report |= CW_THREAT_BIT(CW_THREAT_MYSQL_AUTH_FAILURES);
	spin_unlock_bh(&b->lock);
}

/* A failed login on @flow: true when its source reached the threshold. */
static bool src_auth_failed(const struct cw_flow *flow)
{
	struct src_bucket *b = &sources[src_hash(&flow->key)];
	unsigned long now = jiffies;
	struct src_entry *e;
	bool over;

	spin_lock_bh(&b->lock);
	e = src_find(b, &flow->key, true);
	e->last = now | 1;
	if (!e->auth_start || time_after(now, e->auth_start + AUTH_WINDOW)) {
		e->auth_start = now | 1;
		e->auth_failures = 0;
	}
	over = ++e->auth_failures >= limit(CW_THREAT_MYSQL_AUTH_FAILURES);
	spin_unlock_bh(&b->lock);
	return over;
}

void cw_detect_flow_gone(struct cw_flow *flow)
{
	struct src_bucket *b;
	struct src_entry *e;

	/* Once: when its connection closes, or when it leaves the table. */
	if (!READ_ONCE(flow->source_counted) || !xchg(&flow->source_counted, 0))
		return;
	b = &sources[src_hash(&flow->key)];
	spin_lock_bh(&b->lock);
	e = src_find(b, &flow->key, false);
	if (e && e->sessions)
		e->sessions--;
	spin_unlock_bh(&b->lock);
}

/* -- Headers ------------------------------------------------------------------ */

/* The MSS option of a SYN, 0 if it has none; whether it asks for Fast Open. */
static u16 syn_options(const struct sk_buff *skb, unsigned int thoff, bool *fastopen)
{
	u8 buf[MAX_TCP_OPTION_SPACE];
	const struct tcphdr *th;
	struct tcphdr _th;
	unsigned int len, i;
	const u8 *opt;
	u16 mss = 0;

	*fastopen = false;
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || th->doff * 4 <= sizeof(*th))
		return 0;
	len = th->doff * 4 - sizeof(*th);
	opt = skb_header_pointer(skb, thoff + sizeof(*th), len, buf);
	if (!opt)
		return 0;
	for (i = 0; i < len;) {
		u8 kind = opt[i], size;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			break;
		size = opt[i + 1];
		if (size < 2 || i + size > len)
			break;
		if (kind == TCPOPT_MSS && size == TCPOLEN_MSS)
			mss = get_unaligned_be16(&opt[i + 2]);
		/* Fast Open: its own kind, or the experimental one (RFC 7413). */
		if (kind == TCPOPT_FASTOPEN ||
		    (kind == TCPOPT_EXP && size >= 4 &&
		     get_unaligned_be16(&opt[i + 2]) == TCPOPT_FASTOPEN_MAGIC))
			*fastopen = true;
		i += size;
	}
	return mss;
}

static u16 tcp_window(const struct sk_buff *skb, unsigned int thoff)
{
	const struct tcphdr *th;
	struct tcphdr _th;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	return th ? ntohs(th->window) : U16_MAX;
}

/* Flags of a segment that no TCP sends; bits of CW_THREAT_BIT(). */
static u64 tcp_bad_flags(u8 flags)
{
	if ((flags & (TCPHDR_SYN | TCPHDR_FIN)) == (TCPHDR_SYN | TCPHDR_FIN) ||
	    (flags & (TCPHDR_SYN | TCPHDR_RST)) == (TCPHDR_SYN | TCPHDR_RST))
		return CW_THREAT_BIT(CW_THREAT_TCP_SYN_FIN);
	if (!(flags & ~(TCPHDR_ECE | TCPHDR_CWR)))
		return CW_THREAT_BIT(CW_THREAT_TCP_NULL_FLAGS);
	if ((flags & (TCPHDR_FIN | TCPHDR_PSH | TCPHDR_URG | TCPHDR_ACK)) ==
	    (TCPHDR_FIN | TCPHDR_PSH | TCPHDR_URG))
		return CW_THREAT_BIT(CW_THREAT_TCP_XMAS);
	return 0;
}

/* Counts @pkt in @m; the rate's threat goes to @f. */
static void meter(struct cw_meter *m, unsigned int id, struct findings *f)
{
	bool over;

	if (meter_first_over(m, limit(id), &over))
		f->report |= CW_THREAT_BIT(id);
	if (over)
		f->over |= CW_THREAT_BIT(id);
}

static u64 check_tcp(struct cw_flow *flow, const struct sk_buff *skb,
		     const struct cw_packet *pkt, bool reply, bool created,
		     struct cw_net *cn, struct findings *f)
{
	unsigned int thoff = pkt->l4_off;
	u8 flags = pkt->tcp_flags;
	u64 threats = tcp_bad_flags(flags);
	bool fastopen;
	u16 mss;

	/* The responder opens a connection of its own to the client. */
	if (reply)
		return threats | ((flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN ?
				  CW_THREAT_BIT(CW_THREAT_TCP_SPLIT_HANDSHAKE) : 0);

	if ((flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN) {
		mss = syn_options(skb, thoff, &fastopen);
		if (pkt->payload_len && !fastopen)
			threats |= CW_THREAT_BIT(CW_THREAT_TCP_SYN_DATA);
		if (mss && mss < limit(CW_THREAT_TCP_SMALL_MSS))
			threats |= CW_THREAT_BIT(CW_THREAT_TCP_SMALL_MSS);
		if (tcp_window(skb, thoff) < limit(CW_THREAT_TCP_SMALL_WINDOW))
			threats |= CW_THREAT_BIT(CW_THREAT_TCP_SMALL_WINDOW);
		if (created && flow->hook == CW_HOOK_INGRESS)
			meter(&cn->meters[CW_METER_SYN], CW_THREAT_SYN_FLOOD, f);
	} else if (flags & TCPHDR_ACK && !(flags & TCPHDR_RST) &&
		   atomic64_read(&flow->packets[0]) <= 2 && !tcp_window(skb, thoff)) {
		/* The handshake's last ACK closes the window at once (sockstress). */
		threats |= CW_THREAT_BIT(CW_THREAT_TCP_SMALL_WINDOW);
	}
	return threats;
}

static bool dst_broadcast(const struct sk_buff *skb, const struct cw_packet *pkt)
{
	if (skb->pkt_type == PACKET_BROADCAST || skb->pkt_type == PACKET_MULTICAST)
		return true;
	if (pkt->key.family == NFPROTO_IPV4)
		return ipv4_is_lbcast(pkt->key.dst.ip) || ipv4_is_multicast(pkt->key.dst.ip) ||
		       (skb_rtable(skb) && skb_rtable(skb)->rt_type == RTN_BROADCAST);
	return ipv6_addr_is_multicast(&pkt->key.dst.in6);
}

/* Echo messages only: ICMP makes no other flow. */
static u64 check_icmp(const struct cw_flow *flow, const struct sk_buff *skb,
		      const struct cw_packet *pkt, bool reply, struct cw_net *cn,
		      struct findings *f)
{
	u64 threats = 0;

	/* Echo data: what follows the 8 bytes of the ICMP header. */
	if (skb->len > pkt->l4_off + 8 &&
	    skb->len - pkt->l4_off - 8 > limit(CW_THREAT_ICMP_TUNNEL))
		threats |= CW_THREAT_BIT(CW_THREAT_ICMP_TUNNEL);
	if (reply)
		return threats;
	if (dst_broadcast(skb, pkt))
		threats |= CW_THREAT_BIT(CW_THREAT_SMURF);
	if (flow->hook == CW_HOOK_INGRESS)
		meter(&cn->meters[CW_METER_ICMP], CW_THREAT_ICMP_FLOOD, f);
	return threats;
}

static void check_udp(struct cw_flow *flow, const struct cw_packet *pkt, bool reply,
		      struct cw_net *cn, struct findings *f)
{
	if (reply || flow->hook != CW_HOOK_INGRESS)
		return;
	meter(&cn->meters[CW_METER_UDP], CW_THREAT_UDP_FLOOD, f);
	if (pkt->payload_len && (READ_ONCE(flow->dpi.app) == CW_APP_DNS ||
				 pkt->key.dport == htons(53)))
		meter(&cn->meters[CW_METER_DNS], CW_THREAT_DNS_FLOOD, f);
}

/* -- Per packet ------------------------------------------------------------- */

/* Whether the remote end of @flow is beyond the host: no hook of ours sees it. */
static bool remote_outside(const struct cw_flow *flow)
{
	bool egress = flow->hook == CW_HOOK_EGRESS;
	u32 workload = egress ? flow->to_workload : flow->from_workload;
	u32 group = egress ? flow->to_group : flow->from_group;

	/* Not judged yet: its remote end is not known either. */
	if (READ_ONCE(flow->verdict) == CW_ACTION_NONE)
		return true;
	return !workload && group != CW_GROUP_HOST && group != CW_GROUP_UNKNOWN;
}

bool cw_detect_wanted(const struct cw_flow *flow)
{
	return flow->hook == CW_HOOK_INGRESS || remote_outside(flow);
}

/* The server talks; its client has said nothing for too long. */
static u64 check_client_silent(struct cw_flow *flow, const struct cw_packet *pkt, bool reply)
{
	if (pkt->key.proto != IPPROTO_TCP || !pkt->payload_len)
		return 0;
	if (!reply) {
		if (!READ_ONCE(flow->client_data))
			WRITE_ONCE(flow->client_data, 1);
		return 0;
	}
	if (READ_ONCE(flow->client_data) ||
	    !time_after(jiffies, flow->created +
			(unsigned long)limit(CW_THREAT_TCP_NO_CLIENT_DATA) * HZ))
		return 0;
	return CW_THREAT_BIT(CW_THREAT_TCP_NO_CLIENT_DATA);
}

/* Floods: each packet over the rate is dropped, the connection goes on. */
#define PACKET_RATES (CW_THREAT_BIT(CW_THREAT_ICMP_FLOOD) | CW_THREAT_BIT(CW_THREAT_UDP_FLOOD) | \
		      CW_THREAT_BIT(CW_THREAT_DNS_FLOOD))
/* Reported for every packet that shows them, not once per connection. */
#define REPEATED (PACKET_RATES | CW_THREAT_BIT(CW_THREAT_SYN_FLOOD))

static bool blocks(unsigned int id, u8 mode)
{
	return mode == CW_MODE_PROTECT && READ_ONCE(actions[id]) == CW_THREAT_ACTION_BLOCK;
}

enum cw_detect_result cw_detect(struct cw_flow *flow, struct sk_buff *skb,
				const struct cw_packet *pkt, bool reply, bool created,
				u64 payload, const struct nf_hook_state *state)
{
	struct cw_net *cn = cw_net(state->net);
	struct cw_threat_event proto = {};
	struct findings f = { .report = payload };
	bool drop = false, block = false;
	unsigned int id;
	u64 once, all;
	u8 mode;

	/*
	 * A connection's checks run where it is judged for its responder (or
	 * for a local end whose peer is outside); a packet's, in the netns it
	 * arrives in (or leaves, for outside): once each, whatever injected it.
	 */
	if (pkt->tcp_flags & (TCPHDR_FIN | TCPHDR_RST))
		cw_detect_flow_gone(flow);
	if (cw_detect_wanted(flow))
		f.report |= check_client_silent(flow, pkt, reply);
	if (state->hook == NF_INET_LOCAL_OUT && !remote_outside(flow))
		goto judged;

	switch (pkt->key.proto) {
	case IPPROTO_TCP:
		f.report |= check_tcp(flow, skb, pkt, reply, created, cn, &f);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		f.report |= check_icmp(flow, skb, pkt, reply, cn, &f);
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		check_udp(flow, pkt, reply, cn, &f);
		break;
	}
	if (created && !reply && flow->hook == CW_HOOK_INGRESS &&
	    (pkt->key.proto == IPPROTO_TCP || pkt->key.proto == IPPROTO_UDP))
		src_new_flow(flow, &f);
judged:
	/* A failed login counts; the one that reaches the threshold reports. */
	if (f.report & CW_THREAT_BIT(CW_THREAT_MYSQL_AUTH_FAILURES) &&
	    !(created && !reply) && !src_auth_failed(flow))
		f.report &= ~CW_THREAT_BIT(CW_THREAT_MYSQL_AUTH_FAILURES);
	all = f.report | f.over;
	if (!all)
		return CW_DETECT_PASS;

	mode = READ_ONCE(flow->mode);
	for (id = 1; id <= CW_THREAT_MAX; id++) {
		if (!(all & CW_THREAT_BIT(id)) || !blocks(id, mode))
			continue;
		if (CW_THREAT_BIT(id) & PACKET_RATES)
			drop = true;
		else
			block = true;
	}
	if (block) {
		WRITE_ONCE(flow->threat_blocked, 1);
		WRITE_ONCE(flow->verdict, CW_ACTION_DENY);
	}

	/* A connection's detections are reported once for it. */
	once = f.report & ~REPEATED;
	f.report &= ~(once & READ_ONCE(flow->threats));
	if (once)
		WRITE_ONCE(flow->threats, READ_ONCE(flow->threats) | once);
	for (id = 1; id <= CW_THREAT_MAX; id++)
		if (f.report & CW_THREAT_BIT(id))
			found(id, mode, state->net, flow, &proto, skb);
	return drop ? CW_DETECT_DROP : CW_DETECT_PASS;
}

/* The receiver of a packet no flow takes: this netns's workload. */
static void packet_local(struct net *net, struct cw_threat_event *t)
{
	struct cw_end local;

	cw_workload_local(net, NULL, &local);
	t->workload = local.workload ? local.workload->id : 0;
	t->group = local.group;
	t->mode = cw_group_mode(local.group);
}

/* Reports @id for a packet without a flow; true if it is to be dropped. */
static bool packet_found(unsigned int id, struct sk_buff *skb,
			 const struct nf_hook_state *state, const struct cw_flow_key *key)
{
	struct cw_threat_event t = { .key = *key };

	packet_local(state->net, &t);
	return found(id, t.mode, state->net, NULL, &t, skb);
}

/* Addresses and protocol of an IPv4 or IPv6 packet, for events. */
static void packet_key(const struct sk_buff *skb, u8 family, struct cw_flow_key *key)
{
	memset(key, 0, sizeof(*key));
	key->family = family;
	if (family == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		key->src.ip = iph->saddr;
		key->dst.ip = iph->daddr;
		key->proto = iph->protocol;
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		key->src.in6 = ip6h->saddr;
		key->dst.in6 = ip6h->daddr;
		key->proto = ip6h->nexthdr;
	}
}

unsigned int cw_detect_malformed(struct sk_buff *skb, const struct nf_hook_state *state)
{
	struct cw_flow_key key;

	/* Someone else's: the perimeter it crosses is the receiver's. */
	if (state->hook != NF_INET_LOCAL_IN)
		return NF_DROP;
	packet_key(skb, state->pf, &key);
	return packet_found(CW_THREAT_MALFORMED_HEADER, skb, state, &key) ? NF_DROP : NF_ACCEPT;
}

/* -- Fragments: seen before reassembly ---------------------------------------- */

#define FRAG_BUCKETS 256		/* a power of two */
#define FRAG_RANGES 6
#define FRAG_TIMEOUT (30 * HZ)

/* The fragments of one datagram seen so far. */
struct frag_entry {
	union nf_inet_addr src, dst;
	u32 id;
	u8 family, proto, ranges;
	unsigned long time;		/* jiffies of the first; 0: free */
	struct {
		u32 start, end;		/* bytes of the datagram's payload */
	} range[FRAG_RANGES];
};

struct frag_bucket {
	spinlock_t lock;
	struct frag_entry e;
};

static struct frag_bucket *frags;

/* Adds [start, end) to the datagram's fragments; true if it overlaps one. */
static bool frag_overlaps(const struct cw_flow_key *key, u32 id, u32 start, u32 end)
{
	struct frag_bucket *b;
	struct frag_entry *e;
	unsigned long now = jiffies;
	bool overlap = false;
	unsigned int i;

	b = &frags[jhash2((const u32 *)&key->src, sizeof(key->src) / 4,
			  jhash_3words(key->dst.all[0] ^ key->dst.all[3], id,
				       key->proto, src_seed)) & (FRAG_BUCKETS - 1)];
	spin_lock_bh(&b->lock);
	e = &b->e;
	if (!e->time || time_after(now, e->time + FRAG_TIMEOUT) || e->id != id ||
	    e->family != key->family || e->proto != key->proto ||
	    !nf_inet_addr_cmp(&e->src, &key->src) || !nf_inet_addr_cmp(&e->dst, &key->dst)) {
		memset(e, 0, sizeof(*e));
		e->src = key->src;
		e->dst = key->dst;
		e->id = id;
		e->family = key->family;
		e->proto = key->proto;
		e->time = now | 1;
	}
	for (i = 0; i < e->ranges; i++)
		if (start < e->range[i].end && e->range[i].start < end)
			overlap = true;
	if (e->ranges < FRAG_RANGES) {
		e->range[e->ranges].start = start;
		e->range[e->ranges].end = end;
		e->ranges++;
	}
	spin_unlock_bh(&b->lock);
	return overlap;
}

static unsigned int frag_check(struct sk_buff *skb, const struct nf_hook_state *state,
			       u32 id, u32 start, u32 len)
{
	struct cw_flow_key key;
	bool drop = false;

	packet_key(skb, state->pf, &key);
	/* Reassembled, the datagram would pass the largest IP length. */
	if (start + len > 65535 && packet_found(CW_THREAT_PING_OF_DEATH, skb, state, &key))
		drop = true;
	if (len && frag_overlaps(&key, id, start, start + len) &&
	    packet_found(CW_THREAT_IP_FRAG_OVERLAP, skb, state, &key))
		drop = true;
	return drop ? NF_DROP : NF_ACCEPT;
}

static unsigned int cw_frag_hook4(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	u16 off = ntohs(iph->frag_off);

	if (!cw_sysctl_enabled() || !(off & (IP_MF | IP_OFFSET)))
		return NF_ACCEPT;
	return frag_check(skb, state, ntohs(iph->id), (off & IP_OFFSET) * 8,
			  ntohs(iph->tot_len) > ip_hdrlen(skb) ?
			  ntohs(iph->tot_len) - ip_hdrlen(skb) : 0);
}

static unsigned int cw_frag_hook6(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	const struct frag_hdr *fh;
	struct frag_hdr _fh;
	unsigned int thoff = 0;
	u16 off;

	if (!cw_sysctl_enabled() ||
	    ipv6_find_hdr(skb, &thoff, NEXTHDR_FRAGMENT, NULL, NULL) < 0)
		return NF_ACCEPT;
	fh = skb_header_pointer(skb, thoff, sizeof(_fh), &_fh);
	if (!fh)
		return NF_ACCEPT;
	off = ntohs(fh->frag_off);
	return frag_check(skb, state, ntohl(fh->identification), off & ~7,
			  skb->len > thoff + sizeof(*fh) ? skb->len - thoff - sizeof(*fh) : 0);
}

/* Before defragmentation (conntrack's at -400), which would hide them. */
static const struct nf_hook_ops cw_frag_ops[] = {
	{
		.hook = cw_frag_hook4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG - 1,
	},
	{
		.hook = cw_frag_hook6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_CONNTRACK_DEFRAG - 1,
	},
};

int cw_detect_register(struct net *net)
{
	return nf_register_net_hooks(net, cw_frag_ops, ARRAY_SIZE(cw_frag_ops));
}

void cw_detect_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, cw_frag_ops, ARRAY_SIZE(cw_frag_ops));
}

/* -- Setup ------------------------------------------------------------------ */

int __init cw_detect_init(void)
{
	unsigned int i;

	cw_threat_http_init();
	for (i = 1; i <= CW_THREAT_MAX; i++) {
		actions[i] = cw_threat_defs[i].action;
		cw_threat_limits.threshold[i] = cw_threat_defs[i].threshold;
	}
	src_seed = get_random_u32();
	counts = alloc_percpu(struct counts);
	sources = vzalloc(array_size(SRC_BUCKETS, sizeof(*sources)));
	frags = vzalloc(array_size(FRAG_BUCKETS, sizeof(*frags)));
	if (!counts || !sources || !frags) {
		cw_detect_uninit();
		return -ENOMEM;
	}
	for (i = 0; i < SRC_BUCKETS; i++)
		spin_lock_init(&sources[i].lock);
	for (i = 0; i < FRAG_BUCKETS; i++)
		spin_lock_init(&frags[i].lock);
	return 0;
}

void cw_detect_uninit(void)
{
	free_percpu(counts);
	vfree(sources);
	vfree(frags);
	counts = NULL;
	sources = NULL;
	frags = NULL;
}
