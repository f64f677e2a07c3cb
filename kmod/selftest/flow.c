// SPDX-License-Identifier: GPL-2.0
/*
 * Included at the end of flow.c in debug builds: parses hand-built IPv4 and
 * IPv6 packets, then drives private tables (no netns needed) through
 * lookups both ways, the TCP tracker, expiry, a resumed dump, eviction and
 * the full-table accounting.
 */

#include <net/ndisc.h>

static bool st_success __initdata;

#define expect(cond) do {						\
		if (!(cond)) {						\
			pr_err("flow self-test: failed: %s (line %d)\n", \
			       #cond, __LINE__);			\
			st_success = false;				\
		}							\
	} while (0)

/* Initiator A, responder B. */
static void __init st_addrs(u8 family, bool reverse, union nf_inet_addr *src,
			    union nf_inet_addr *dst)
{
	union nf_inet_addr a = {}, b = {};

	if (family == NFPROTO_IPV4) {
		a.ip = htonl(0x0a000001);	/* 10.0.0.1 */
		b.ip = htonl(0x0a000002);
	} else {
		a.ip6[0] = htonl(0xfd000000);	/* fd00::1 */
		a.ip6[3] = htonl(1);
		b.ip6[0] = htonl(0xfd000000);
		b.ip6[3] = htonl(2);
	}
	*src = reverse ? b : a;
	*dst = reverse ? a : b;
}

/* An IP header (@proto in its protocol/next header field), then @l4. */
static struct sk_buff *__init st_skb(u8 family, u8 proto, const void *l4,
				     unsigned int len, __be16 frag_off,
				     bool reverse)
{
	union nf_inet_addr src, dst;
	struct sk_buff *skb;

	skb = alloc_skb(LL_MAX_HEADER + sizeof(struct ipv6hdr) + len, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	st_addrs(family, reverse, &src, &dst);

	if (family == NFPROTO_IPV4) {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(sizeof(*iph) + len);
		iph->frag_off = frag_off;
		iph->ttl = 64;
		iph->protocol = proto;
		iph->saddr = src.ip;
		iph->daddr = dst.ip;
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = skb_put_zero(skb, sizeof(*ip6h));

		ip6h->version = 6;
		ip6h->payload_len = htons(len);
		ip6h->nexthdr = proto;
		ip6h->hop_limit = 64;
		ip6h->saddr = src.in6;
		ip6h->daddr = dst.in6;
		skb->protocol = htons(ETH_P_IPV6);
	}
	skb_set_transport_header(skb, skb->len);
	skb_put_data(skb, l4, len);
	return skb;
}

static bool __init st_parse(u8 family, u8 proto, const void *l4,
			    unsigned int len, __be16 frag_off, bool reverse,
			    struct cw_packet *pkt)
{
	struct sk_buff *skb = st_skb(family, proto, l4, len, frag_off, reverse);
	bool ok;

	memset(pkt, 0, sizeof(*pkt));
	if (!skb) {
		pr_err("flow self-test: out of memory\n");
		st_success = false;
		return false;
	}
	ok = cw_packet_parse(skb, family, pkt);
	kfree_skb(skb);
	return ok;
}

static unsigned int __init iph_len(u8 family)
{
	return family == NFPROTO_IPV4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
}

static void __init st_tcp(struct tcphdr *th, u16 sport, u16 dport, u8 flags)
{
	memset(th, 0, sizeof(*th));
	th->source = htons(sport);
	th->dest = htons(dport);
	th->doff = sizeof(*th) / 4;
	((u8 *)th)[13] = flags;
	th->window = htons(65535);
}

static void __init st_parse_family(u8 family)
{
	u8 icmp = family == NFPROTO_IPV4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	u8 echo = family == NFPROTO_IPV4 ? ICMP_ECHO : ICMPV6_ECHO_REQUEST;
	u8 echo_reply = family == NFPROTO_IPV4 ? ICMP_ECHOREPLY : ICMPV6_ECHO_REPLY;
	u8 unreach = family == NFPROTO_IPV4 ? ICMP_DEST_UNREACH : ICMPV6_DEST_UNREACH;
	union nf_inet_addr a, b;
	struct cw_packet pkt;
	struct udphdr uh = {};
	u8 buf[64] = {};
	struct tcphdr th;

	st_addrs(family, false, &a, &b);

	st_tcp(&th, 40000, 80, TCPHDR_SYN);
	expect(st_parse(family, IPPROTO_TCP, &th, sizeof(th), 0, false, &pkt));
	expect(pkt.key.family == family && pkt.key.proto == IPPROTO_TCP);
	expect(nf_inet_addr_cmp(&pkt.key.src, &a) && nf_inet_addr_cmp(&pkt.key.dst, &b));
	expect(pkt.key.sport == htons(40000) && pkt.key.dport == htons(80));
	expect(pkt.tcp_flags == TCPHDR_SYN && !pkt.untracked);
	expect(pkt.len == iph_len(family) + sizeof(th));

	/* Truncated, a data offset below 5, options that are not there. */
	expect(!st_parse(family, IPPROTO_TCP, &th, 12, 0, false, &pkt));
	th.doff = 4;
	expect(!st_parse(family, IPPROTO_TCP, &th, sizeof(th), 0, false, &pkt));
	th.doff = 6;
	expect(!st_parse(family, IPPROTO_TCP, &th, sizeof(th), 0, false, &pkt));

	uh.source = htons(5353);
	uh.dest = htons(53);
	uh.len = htons(sizeof(uh));
	expect(st_parse(family, IPPROTO_UDP, &uh, sizeof(uh), 0, true, &pkt));
	expect(pkt.key.proto == IPPROTO_UDP && !pkt.untracked && !pkt.tcp_flags);
	expect(nf_inet_addr_cmp(&pkt.key.src, &b) && nf_inet_addr_cmp(&pkt.key.dst, &a));
	expect(pkt.key.sport == htons(5353) && pkt.key.dport == htons(53));
	expect(!st_parse(family, IPPROTO_UDP, &uh, 6, 0, false, &pkt));

	/* ICMP and ICMPv6 share the echo layout: type, code, csum, id, seq. */
	buf[0] = echo;
	buf[4] = 0x12;
	buf[5] = 0x34;
	expect(st_parse(family, icmp, buf, 8, 0, false, &pkt));
	expect(pkt.key.proto == icmp && !pkt.untracked);
	expect(pkt.key.sport == htons(0x1234) && pkt.key.dport == htons(0x1234));
	buf[0] = echo_reply;
	expect(st_parse(family, icmp, buf, 8, 0, true, &pkt));
	expect(!pkt.untracked && pkt.key.sport == htons(0x1234));
	buf[0] = unreach;
	expect(st_parse(family, icmp, buf, 36, 0, false, &pkt));
	expect(pkt.untracked);
	expect(!st_parse(family, icmp, buf, 4, 0, false, &pkt));
	if (family == NFPROTO_IPV6) {
		buf[0] = NDISC_NEIGHBOUR_SOLICITATION;
		expect(st_parse(family, icmp, buf, 24, 0, false, &pkt));
		expect(pkt.untracked);
		buf[0] = ICMPV6_MGM_REPORT;
		expect(st_parse(family, icmp, buf, 24, 0, false, &pkt));
		expect(pkt.untracked);
	} else {
		buf[0] = ICMP_TIMESTAMP;
		expect(st_parse(family, icmp, buf, 20, 0, false, &pkt));
		expect(pkt.untracked);
	}

	/* Other protocols: no ports. */
	expect(st_parse(family, IPPROTO_GRE, buf, 8, 0, false, &pkt));
	expect(pkt.key.proto == IPPROTO_GRE && !pkt.untracked);
	expect(!pkt.key.sport && !pkt.key.dport);
}

static void __init st_parse_special(void)
{
	struct cw_packet pkt;
	struct frag_hdr *fh;
	struct sk_buff *skb;
	u8 buf[64] = {};
	struct tcphdr th;

	/* IPv4 past the first fragment: no transport header to read. */
	expect(st_parse(NFPROTO_IPV4, IPPROTO_UDP, buf, 16, htons(185), false, &pkt));
	expect(pkt.untracked && pkt.key.proto == IPPROTO_UDP && !pkt.key.sport);
	/* The first fragment has the ports. */
	buf[1] = 53;
	expect(st_parse(NFPROTO_IPV4, IPPROTO_UDP, buf, 16, htons(IP_MF), false, &pkt));
	expect(!pkt.untracked && pkt.key.sport == htons(53));

	/* IPv6: hop-by-hop options (8 bytes), then TCP. */
	memset(buf, 0, sizeof(buf));
	buf[0] = IPPROTO_TCP;
	st_tcp(&th, 443, 50000, TCPHDR_SYN | TCPHDR_ACK);
	memcpy(buf + 8, &th, sizeof(th));
	expect(st_parse(NFPROTO_IPV6, NEXTHDR_HOP, buf, 8 + sizeof(th), 0, false, &pkt));
	expect(pkt.key.proto == IPPROTO_TCP && pkt.key.sport == htons(443));
	expect(pkt.tcp_flags == (TCPHDR_SYN | TCPHDR_ACK));
	/* The chain cut short. */
	expect(!st_parse(NFPROTO_IPV6, NEXTHDR_HOP, buf, 4, 0, false, &pkt));

	/* IPv6 fragments: the first has the ports, later ones are untracked. */
	memset(buf, 0, sizeof(buf));
	fh = (struct frag_hdr *)buf;
	fh->nexthdr = IPPROTO_UDP;
	fh->frag_off = htons(IP6_MF);
	buf[sizeof(*fh) + 1] = 53;
	expect(st_parse(NFPROTO_IPV6, NEXTHDR_FRAGMENT, buf, sizeof(*fh) + 8, 0, false,
			&pkt));
	expect(!pkt.untracked && pkt.key.proto == IPPROTO_UDP && pkt.key.sport == htons(53));
	fh->frag_off = htons(1480);
	expect(st_parse(NFPROTO_IPV6, NEXTHDR_FRAGMENT, buf, sizeof(*fh) + 8, 0, false,
			&pkt));
	expect(pkt.untracked && pkt.key.proto == IPPROTO_UDP && !pkt.key.sport);

	expect(st_parse(NFPROTO_IPV6, NEXTHDR_NONE, buf, 0, 0, false, &pkt));
	expect(pkt.key.proto == NEXTHDR_NONE);

	/* A wrong IP version, and a header cut short. */
	st_tcp(&th, 1, 2, TCPHDR_ACK);
	skb = st_skb(NFPROTO_IPV6, IPPROTO_TCP, &th, sizeof(th), 0, false);
	if (skb) {
		ipv6_hdr(skb)->version = 4;
		expect(!cw_packet_parse(skb, NFPROTO_IPV6, &pkt));
		kfree_skb(skb);
	}
	skb = st_skb(NFPROTO_IPV4, IPPROTO_TCP, &th, sizeof(th), 0, false);
	if (skb) {
		ip_hdr(skb)->version = 6;
		expect(!cw_packet_parse(skb, NFPROTO_IPV4, &pkt));
		ip_hdr(skb)->version = 4;
		skb_trim(skb, 12);
		expect(!cw_packet_parse(skb, NFPROTO_IPV4, &pkt));
		kfree_skb(skb);
	}
}

static struct cw_packet __init st_reverse(const struct cw_packet *pkt, u8 flags)
{
	struct cw_packet r = *pkt;

	r.key.src = pkt->key.dst;
	r.key.dst = pkt->key.src;
	r.key.sport = pkt->key.dport;
	r.key.dport = pkt->key.sport;
	r.tcp_flags = flags;
	return r;
}

static struct cw_packet __init st_flags(const struct cw_packet *pkt, u8 flags)
{
	struct cw_packet p = *pkt;

	p.tcp_flags = flags;
	return p;
}

/* Addresses only, to tell the flows apart. */
static unsigned long st_dumped[8] __initdata;
static unsigned int st_dump_count __initdata, st_dump_budget __initdata;

static int __init st_fill(struct sk_buff *skb, struct netlink_callback *cb,
			  struct cw_flow *flow)
{
	if (!st_dump_budget)
		return -EMSGSIZE;
	st_dump_budget--;
	if (st_dump_count < ARRAY_SIZE(st_dumped))
		st_dumped[st_dump_count] = (unsigned long)flow;
	st_dump_count++;
	return 0;
}

static void __init st_udp_key(struct cw_packet *pkt, u16 sport)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->key.family = NFPROTO_IPV4;
	pkt->key.proto = IPPROTO_UDP;
	pkt->key.src.ip = htonl(0x0a000101);
	pkt->key.dst.ip = htonl(0x0a000102);
	pkt->key.sport = htons(sport);
	pkt->key.dport = htons(53);
	pkt->len = 100;
}

/* Lookups, the trackers, a dump and expiry in one table. */
static void __init st_table(void)
{
	struct cw_packet syn, synack, ack6, udp6, echo, echo_reply, p, same[2];
	struct cw_flow *tcp, *flow;
	struct netlink_callback cb = {};
	struct cw_flow_counters c;
	struct cw_flow_table t;
	u8 buf[8] = { ICMP_ECHO, 0, 0, 0, 0x43, 0x21 };
	struct udphdr uh = {};
	unsigned int i, j, calls;
	struct tcphdr th;
	bool reply;
	u16 sport;
	int ret;

	if (cw_flow_table_init(&t)) {
		pr_err("flow self-test: out of memory\n");
		st_success = false;
		return;
	}

	st_tcp(&th, 40000, 80, TCPHDR_SYN);
	expect(st_parse(NFPROTO_IPV4, IPPROTO_TCP, &th, sizeof(th), 0, false, &syn));
	st_tcp(&th, 80, 40000, TCPHDR_SYN | TCPHDR_ACK);
	expect(st_parse(NFPROTO_IPV4, IPPROTO_TCP, &th, sizeof(th), 0, true, &synack));
	st_tcp(&th, 50000, 22, TCPHDR_ACK);
	expect(st_parse(NFPROTO_IPV6, IPPROTO_TCP, &th, sizeof(th), 0, false, &ack6));
	uh.source = htons(5353);
	uh.dest = htons(53);
	expect(st_parse(NFPROTO_IPV6, IPPROTO_UDP, &uh, sizeof(uh), 0, false, &udp6));
	expect(st_parse(NFPROTO_IPV4, IPPROTO_ICMP, buf, sizeof(buf), 0, false, &echo));
	buf[0] = ICMP_ECHOREPLY;
	expect(st_parse(NFPROTO_IPV4, IPPROTO_ICMP, buf, sizeof(buf), 0, true, &echo_reply));

	rcu_read_lock();

	expect(!cw_flow_find(&t, &syn, &reply));
	tcp = cw_flow_create(&t, &syn, CW_HOOK_EGRESS);
	expect(tcp);
	if (!tcp) {
		rcu_read_unlock();
		goto out;
	}
	expect(tcp->state == CW_FLOW_NEW && tcp->verdict == CW_ACTION_NONE);
	expect(tcp->hook == CW_HOOK_EGRESS && tcp->created == tcp->last_seen);
	expect(cw_flow_find(&t, &syn, &reply) == tcp && !reply);
	expect(cw_flow_find(&t, &synack, &reply) == tcp && reply);
	/* Created again, either way round: the same flow, nothing counted. */
	expect(cw_flow_create(&t, &syn, CW_HOOK_INGRESS) == tcp);
	expect(cw_flow_create(&t, &synack, CW_HOOK_INGRESS) == tcp);
	expect(atomic_read(&t.count) == 1 && atomic64_read(&t.created) == 1);

	/* The handshake, then a FIN each way. */
	cw_flow_seen(tcp, &syn, false);
	expect(tcp->state == CW_FLOW_NEW);
	cw_flow_seen(tcp, &synack, true);
	expect(tcp->state == CW_FLOW_SYN_RECV);
	p = st_flags(&syn, TCPHDR_ACK);
	cw_flow_seen(tcp, &p, false);
	expect(tcp->state == CW_FLOW_ESTABLISHED);
	expect(flow_timeout(tcp) == cw_timeouts[CW_TIMEOUT_TCP_ESTABLISHED] * HZ);
	/* A stray SYN does not undo the handshake. */
	cw_flow_seen(tcp, &syn, false);
	expect(tcp->state == CW_FLOW_ESTABLISHED);
	p = st_flags(&syn, TCPHDR_FIN | TCPHDR_ACK);
	cw_flow_seen(tcp, &p, false);
	expect(tcp->state == CW_FLOW_FIN);
	p = st_flags(&synack, TCPHDR_ACK);
	cw_flow_seen(tcp, &p, true);
	expect(tcp->state == CW_FLOW_FIN);
	expect(flow_timeout(tcp) == cw_timeouts[CW_TIMEOUT_TCP_FIN] * HZ);
	p = st_flags(&synack, TCPHDR_FIN | TCPHDR_ACK);
	cw_flow_seen(tcp, &p, true);
	expect(tcp->state == CW_FLOW_CLOSE);
	expect(flow_timeout(tcp) == cw_timeouts[CW_TIMEOUT_TCP_CLOSE] * HZ);
	expect(atomic64_read(&tcp->packets[0]) == 4 && atomic64_read(&tcp->packets[1]) == 3);
	expect(atomic64_read(&tcp->bytes[0]) == 4 * syn.len);
	expect(atomic64_read(&tcp->bytes[1]) == 3 * synack.len);

	/* Joined midway: established at once; a RST closes. */
	flow = cw_flow_create(&t, &ack6, CW_HOOK_INGRESS);
	expect(flow && flow->state == CW_FLOW_ESTABLISHED);
	if (flow) {
		p = st_reverse(&ack6, TCPHDR_RST);
		expect(cw_flow_find(&t, &p, &reply) == flow && reply);
		cw_flow_seen(flow, &p, true);
		expect(flow->state == CW_FLOW_CLOSE);
		expect(atomic64_read(&flow->packets[1]) == 1);
	}

	/* Other protocols: established by the first reply. */
	flow = cw_flow_create(&t, &udp6, CW_HOOK_EGRESS);
	expect(flow && flow->state == CW_FLOW_NEW);
	if (flow) {
		expect(flow_timeout(flow) == cw_timeouts[CW_TIMEOUT_UDP] * HZ);
		cw_flow_seen(flow, &udp6, false);
		expect(flow->state == CW_FLOW_NEW);
		p = st_reverse(&udp6, 0);
		cw_flow_seen(flow, &p, true);
		expect(flow->state == CW_FLOW_ESTABLISHED);
	}
	flow = cw_flow_create(&t, &echo, CW_HOOK_EGRESS);
	expect(flow);
	expect(cw_flow_find(&t, &echo_reply, &reply) == flow && reply);
	if (flow)
		expect(flow_timeout(flow) == cw_timeouts[CW_TIMEOUT_ICMP] * HZ);

	/* Two flows in one bucket, for the dump to resume inside it. */
	st_udp_key(&same[0], 1000);
	for (sport = 1001; sport; sport++) {
		st_udp_key(&same[1], sport);
		if (flow_bucket(&t, &same[1].key) == flow_bucket(&t, &same[0].key))
			break;
	}
	expect(sport);
	expect(cw_flow_create(&t, &same[0], CW_HOOK_EGRESS));
	expect(cw_flow_create(&t, &same[1], CW_HOOK_EGRESS));

	rcu_read_unlock();

	cw_flow_counters(&t, &c);
	expect(c.active == 6 && c.created == 6);
	expect(!c.evicted && !c.full_accepted && !c.full_dropped && !c.expired);

	/* One flow per dump call: every flow once, then the cursor resets. */
	for (calls = 0; calls < 10; calls++) {
		st_dump_budget = 1;
		ret = cw_flow_dump(&t, NULL, &cb, st_fill);
		if (ret != -EMSGSIZE)
			break;
	}
	/* The sixth call fills the last flow and finds the table done. */
	expect(ret == 0 && calls == 5 && st_dump_count == 6);
	expect(cb.args[1] == 0 && cb.args[2] == 0);
	for (i = 0; i < 6; i++)
		for (j = i + 1; j < 6; j++)
			expect(st_dumped[i] != st_dumped[j]);

	/* The closed connection has been idle past its timeout. */
	WRITE_ONCE(tcp->last_seen, jiffies - flow_timeout(tcp) - 1);
	gc_scan(&t);
	rcu_read_lock();
	expect(!cw_flow_find(&t, &syn, &reply));
	expect(cw_flow_find(&t, &udp6, &reply));
	rcu_read_unlock();
	cw_flow_counters(&t, &c);
	expect(c.active == 5 && c.expired == 1);

out:
	cw_flow_table_destroy(&t);
	expect(atomic_read(&t.count) == 0);
}

/* A full table: eviction of the oldest unestablished flow, else failure. */
static void __init st_full(void)
{
	int saved_max = cw_max_flows, saved_fail_open = cw_fail_open;
	struct cw_flow *flows[3], *flow;
	struct cw_packet new, near[4], p;
	unsigned int bucket, found = 0;
	struct cw_flow_counters c;
	struct cw_flow_table t;
	u16 sport;
	bool reply;

	if (cw_flow_table_init(&t)) {
		pr_err("flow self-test: out of memory\n");
		st_success = false;
		return;
	}

	/* Keys whose buckets the new flow's eviction search covers. */
	st_udp_key(&new, 1);
	bucket = flow_bucket(&t, &new.key);
	for (sport = 2; sport && found < ARRAY_SIZE(near); sport++) {
		st_udp_key(&near[found], sport);
		if (((flow_bucket(&t, &near[found].key) - bucket) &
		     (CW_FLOW_BUCKETS - 1)) < CW_FLOW_EVICT_SPAN)
			found++;
	}
	expect(found == ARRAY_SIZE(near));
	if (found < ARRAY_SIZE(near))
		goto out;

	WRITE_ONCE(cw_max_flows, 3);
	rcu_read_lock();
	for (found = 0; found < 3; found++) {
		flows[found] = cw_flow_create(&t, &near[found], CW_HOOK_EGRESS);
		expect(flows[found]);
		if (!flows[found])
			goto unlock;
	}
	/* The second is the oldest. */
	WRITE_ONCE(flows[0]->last_seen, jiffies - 10);
	WRITE_ONCE(flows[1]->last_seen, jiffies - 30);
	WRITE_ONCE(flows[2]->last_seen, jiffies - 20);

	flow = cw_flow_create(&t, &new, CW_HOOK_EGRESS);
	expect(flow);
	expect(!cw_flow_find(&t, &near[1], &reply));
	expect(cw_flow_find(&t, &near[0], &reply) == flows[0]);
	expect(cw_flow_find(&t, &near[2], &reply) == flows[2]);
	cw_flow_counters(&t, &c);
	expect(c.active == 3 && c.created == 4 && c.evicted == 1);
	expect(!c.full_accepted && !c.full_dropped);
	if (!flow)
		goto unlock;

	/* All established: nothing to evict, fail open, then closed. */
	flows[1] = flow;
	for (found = 0; found < 3; found++) {
		p = st_reverse(found == 1 ? &new : &near[found], 0);
		cw_flow_seen(flows[found], &p, true);
		expect(flows[found]->state == CW_FLOW_ESTABLISHED);
	}
	WRITE_ONCE(cw_fail_open, 1);
	expect(!cw_flow_create(&t, &near[3], CW_HOOK_EGRESS));
	WRITE_ONCE(cw_fail_open, 0);
	expect(!cw_flow_create(&t, &near[3], CW_HOOK_EGRESS));
	cw_flow_counters(&t, &c);
	expect(c.active == 3 && c.created == 4 && c.evicted == 1);
	expect(c.full_accepted == 1 && c.full_dropped == 1);
	/* Known flows are still found. */
	expect(cw_flow_find(&t, &new, &reply) == flow && !reply);

unlock:
	rcu_read_unlock();
	WRITE_ONCE(cw_max_flows, saved_max);
	WRITE_ONCE(cw_fail_open, saved_fail_open);
out:
	cw_flow_table_destroy(&t);
	expect(atomic_read(&t.count) == 0);
}

bool __init cw_flow_selftest(void)
{
	bool own_cache = !cw_flow_cache;

	st_success = true;
	/* Runs before or after cw_flow_init(). */
	if (own_cache && cw_flow_init()) {
		pr_err("flow self-test: out of memory\n");
		return false;
	}

	st_parse_family(NFPROTO_IPV4);
	st_parse_family(NFPROTO_IPV6);
	st_parse_special();
	st_table();
	st_full();

	if (own_cache)
		cw_flow_uninit();
	if (st_success)
		pr_info("flow self-tests: pass\n");
	return st_success;
}

#undef expect
