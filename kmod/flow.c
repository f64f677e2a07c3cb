// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table of one network namespace: a fixed array of RCU hash
 * buckets, looked up without locks from the packet path; inserts and
 * removals take the spinlock of the bucket's group. A delayed work expires
 * idle flows every few seconds.
 */

#include "detect.h"
#include "flow.h"
#include "inspect.h"
#include "sysctl.h"

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#define CW_FLOW_BUCKETS 8192		/* per netns; a power of two */
#define CW_FLOW_LOCKS 256		/* a power of two, <= CW_FLOW_BUCKETS */
#define CW_FLOW_EVICT_SPAN 8		/* buckets searched for a victim */
#define CW_FLOW_GC_INTERVAL (2 * HZ)

/* cw_flow.fins */
#define FIN_INITIATOR 1
#define FIN_RESPONDER 2

static struct kmem_cache *cw_flow_cache __read_mostly;

/* -- Parsing --------------------------------------------------------------- */

/* The byte that holds the TCP flags (TCPHDR_*), after the data offset. */
static u8 tcp_flags(const struct tcphdr *th)
{
	return ((const u8 *)th)[13];
}

static bool parse_tcp(const struct sk_buff *skb, unsigned int off,
		      struct cw_packet *pkt)
{
	const struct tcphdr *th;
	struct tcphdr _th;

	th = skb_header_pointer(skb, off, sizeof(_th), &_th);
	if (!th || th->doff < sizeof(_th) / 4)
		return false;
	/* The options the data offset claims must be there too. */
	if (skb->len - off < th->doff * 4U)
		return false;
	pkt->key.sport = th->source;
	pkt->key.dport = th->dest;
	pkt->tcp_flags = tcp_flags(th);
	pkt->seq = ntohl(th->seq);
	pkt->payload_off = off + th->doff * 4;
	pkt->payload_len = skb->len - pkt->payload_off;
	return true;
}

static bool parse_udp(const struct sk_buff *skb, unsigned int off,
		      struct cw_packet *pkt)
{
	const struct udphdr *uh;
	struct udphdr _uh;

	uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
	if (!uh)
		return false;
	pkt->key.sport = uh->source;
	pkt->key.dport = uh->dest;
	pkt->payload_off = off + sizeof(*uh);
	pkt->payload_len = skb->len > pkt->payload_off ? skb->len - pkt->payload_off : 0;
	return true;
}

/*
 * Only echo request and reply make a flow, keyed by the echo id on both
 * sides so that the reply finds the request's flow. Errors belong to the
 * flow they quote and everything else is one-shot: untracked.
 */
static bool parse_icmp(const struct sk_buff *skb, unsigned int off,
		       struct cw_packet *pkt)
{
	const struct icmphdr *ih;
	struct icmphdr _ih;

	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih)
		return false;
	if (ih->type == ICMP_ECHO || ih->type == ICMP_ECHOREPLY) {
		pkt->key.sport = ih->un.echo.id;
		pkt->key.dport = ih->un.echo.id;
	} else {
		pkt->untracked = true;
	}
	return true;
}

/* As ICMP; neighbour discovery, router discovery and MLD are untracked. */
static bool parse_icmpv6(const struct sk_buff *skb, unsigned int off,
			 struct cw_packet *pkt)
{
	const struct icmp6hdr *ih;
	struct icmp6hdr _ih;

	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih)
		return false;
	if (ih->icmp6_type == ICMPV6_ECHO_REQUEST ||
	    ih->icmp6_type == ICMPV6_ECHO_REPLY) {
		pkt->key.sport = ih->icmp6_identifier;
		pkt->key.dport = ih->icmp6_identifier;
	} else {
		pkt->untracked = true;
	}
	return true;
}

/* The transport header at @off; other protocols have no ports. */
static bool parse_transport(const struct sk_buff *skb, unsigned int off,
			    struct cw_packet *pkt)
{
	pkt->l4_off = off;
	switch (pkt->key.proto) {
	case IPPROTO_TCP:
		return parse_tcp(skb, off, pkt);
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		return parse_udp(skb, off, pkt);
	/* ICMP over IPv6 or ICMPv6 over IPv4: no stack takes it, drop it. */
	case IPPROTO_ICMP:
		return pkt->key.family == NFPROTO_IPV4 && parse_icmp(skb, off, pkt);
	case IPPROTO_ICMPV6:
		return pkt->key.family == NFPROTO_IPV6 && parse_icmpv6(skb, off, pkt);
	default:
		return true;
	}
}

static bool parse_ipv4(const struct sk_buff *skb, struct cw_packet *pkt)
{
	unsigned int off = skb_network_offset(skb);
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return false;
	pkt->key.src.ip = iph->saddr;
	pkt->key.dst.ip = iph->daddr;
	pkt->key.proto = iph->protocol;

	/* Only the first fragment carries the ports. */
	if (iph->frag_off & htons(IP_OFFSET)) {
		pkt->untracked = true;
		return true;
	}
	return parse_transport(skb, off + iph->ihl * 4, pkt);
}

static bool parse_ipv6(const struct sk_buff *skb, struct cw_packet *pkt)
{
	unsigned int off = skb_network_offset(skb);
	const struct ipv6hdr *ip6h;
	struct ipv6hdr _ip6h;
	__be16 frag_off;
	u8 nexthdr;
	int thoff;

	ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return false;
	pkt->key.src.in6 = ip6h->saddr;
	pkt->key.dst.in6 = ip6h->daddr;

	nexthdr = ip6h->nexthdr;
	if (nexthdr == NEXTHDR_NONE) {
		pkt->key.proto = nexthdr;
		return true;
	}
	/*
	 * -1 is a truncated chain, or one that ends in "no next header"
	 * after other extension headers: nothing a socket would take.
	 */
	thoff = ipv6_skip_exthdr(skb, off + sizeof(_ip6h), &nexthdr, &frag_off);
	if (thoff < 0)
		return false;

	if (frag_off & htons(IP6_OFFSET)) {
		const struct frag_hdr *fh;
		struct frag_hdr _fh;

		/* Past the first fragment: thoff is at the fragment header. */
		fh = skb_header_pointer(skb, thoff, sizeof(_fh), &_fh);
		if (!fh)
			return false;
		pkt->key.proto = fh->nexthdr;
		pkt->untracked = true;
		return true;
	}
	pkt->key.proto = nexthdr;
	return parse_transport(skb, thoff, pkt);
}

bool cw_packet_parse(const struct sk_buff *skb, u8 family, struct cw_packet *pkt)
{
	/* Zero the unused address bytes too: keys are hashed and compared whole. */
	memset(pkt, 0, sizeof(*pkt));
	pkt->key.family = family;
	pkt->len = skb->len;

	switch (family) {
	case NFPROTO_IPV4:
		return parse_ipv4(skb, pkt);
	case NFPROTO_IPV6:
		return parse_ipv6(skb, pkt);
	default:
		return false;
	}
}

/* -- Hashing and lookup ---------------------------------------------------- */

/* Both orientations of a flow hash the same: endpoints in a fixed order. */
struct flow_hash_input {
	union nf_inet_addr a, b;
	__be16 port_a, port_b;
	u8 family, proto;
} __aligned(SIPHASH_ALIGNMENT);

static unsigned int flow_bucket(const struct cw_flow_table *t,
				const struct cw_flow_key *key)
{
	struct flow_hash_input in;
	int cmp;

	cmp = memcmp(&key->src, &key->dst, sizeof(key->src));
	if (cmp < 0 || (cmp == 0 && (__force u16)key->sport <= (__force u16)key->dport)) {
		in.a = key->src;
		in.b = key->dst;
		in.port_a = key->sport;
		in.port_b = key->dport;
	} else {
		in.a = key->dst;
		in.b = key->src;
		in.port_a = key->dport;
		in.port_b = key->sport;
	}
	in.family = key->family;
	in.proto = key->proto;

	/* The tail padding is left out of the hash: it is not initialised. */
	return siphash(&in, offsetofend(struct flow_hash_input, proto), &t->seed) &
	       (CW_FLOW_BUCKETS - 1);
}

static spinlock_t *bucket_lock(const struct cw_flow_table *t, unsigned int bucket)
{
	return &t->locks[bucket & (CW_FLOW_LOCKS - 1)];
}

/* Whether @pkt (as oriented in the packet) belongs to @flow, and which way. */
static bool key_match(const struct cw_flow_key *flow, const struct cw_flow_key *pkt,
		      bool *reply)
{
	if (flow->proto != pkt->proto || flow->family != pkt->family)
		return false;
	if (flow->sport == pkt->sport && flow->dport == pkt->dport &&
	    nf_inet_addr_cmp(&flow->src, &pkt->src) &&
	    nf_inet_addr_cmp(&flow->dst, &pkt->dst)) {
		*reply = false;
		return true;
	}
	if (flow->sport == pkt->dport && flow->dport == pkt->sport &&
	    nf_inet_addr_cmp(&flow->src, &pkt->dst) &&
	    nf_inet_addr_cmp(&flow->dst, &pkt->src)) {
		*reply = true;
		return true;
	}
	return false;
}

/* Under RCU, or under the bucket's lock (@locked tells lockdep). */
static struct cw_flow *bucket_find(const struct cw_flow_table *t,
				   unsigned int bucket,
				   const struct cw_flow_key *key, bool *reply,
				   bool locked)
{
	struct cw_flow *flow;

	hlist_for_each_entry_rcu(flow, &t->buckets[bucket], node,
				 locked && lockdep_is_held(bucket_lock(t, bucket))) {
		if (key_match(&flow->key, key, reply))
			return flow;
	}
	return NULL;
}

struct cw_flow *cw_flow_find(struct cw_flow_table *t, const struct cw_packet *pkt,
			     bool *reply)
{
	return bucket_find(t, flow_bucket(t, &pkt->key), &pkt->key, reply, false);
}

/* -- Timeouts and freeing -------------------------------------------------- */

static unsigned long flow_timeout(const struct cw_flow *flow)
{
	static const u8 tcp_timeouts[] = {
		[CW_FLOW_NEW] = CW_TIMEOUT_TCP_SYN,
		[CW_FLOW_SYN_RECV] = CW_TIMEOUT_TCP_SYN,
		[CW_FLOW_ESTABLISHED] = CW_TIMEOUT_TCP_ESTABLISHED,
		[CW_FLOW_FIN] = CW_TIMEOUT_TCP_FIN,
		[CW_FLOW_CLOSE] = CW_TIMEOUT_TCP_CLOSE,
	};
	enum cw_timeout which;
	int secs;
	u8 state;

	switch (flow->key.proto) {
	case IPPROTO_TCP:
		state = READ_ONCE(flow->state);
		which = state < ARRAY_SIZE(tcp_timeouts) ? tcp_timeouts[state] :
							    CW_TIMEOUT_TCP_CLOSE;
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		which = CW_TIMEOUT_UDP;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		which = CW_TIMEOUT_ICMP;
		break;
	default:
		which = CW_TIMEOUT_OTHER;
		break;
	}
	secs = READ_ONCE(cw_timeouts[which]);
	return secs > 0 ? (unsigned long)secs * HZ : 0;
}

static bool flow_expired(const struct cw_flow *flow, unsigned long now)
{
	return time_after(now, READ_ONCE(flow->last_seen) + flow_timeout(flow));
}

static void flow_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(cw_flow_cache, container_of(rcu, struct cw_flow, rcu));
}

/*
 * Under the bucket's lock. The _init variant leaves the node unhashed, so
 * that whoever takes the lock next can tell the flow is already gone.
 */
static void flow_unlink(struct cw_flow *flow)
{
	cw_detect_flow_gone(flow);
	hlist_del_init_rcu(&flow->node);
	call_rcu(&flow->rcu, flow_free_rcu);
}

/* -- Insertion ------------------------------------------------------------- */

/* Takes one of the table's cw_max_flows slots, if one is free. */
static bool take_slot(struct cw_flow_table *t)
{
	int max = READ_ONCE(cw_max_flows);
	int n = atomic_read(&t->count);

	do {
		if (n >= max)
			return false;
	} while (!atomic_try_cmpxchg(&t->count, &n, n + 1));
	return true;
}

/*
 * RCU. Removes the oldest flow that is not established from @bucket and
 * the buckets after it, handing its slot in t->count to the caller.
 * 1 when it did, 0 when there is no candidate, -EAGAIN when the candidate
 * went away (expired, evicted) before we got its lock.
 */
static int evict_near(struct cw_flow_table *t, unsigned int bucket)
{
	struct cw_flow *flow, *victim = NULL;
	unsigned long victim_seen = 0;
	unsigned int i, b, victim_bucket = 0;
	spinlock_t *lock;
	bool gone;

	for (i = 0; i < CW_FLOW_EVICT_SPAN; i++) {
		b = (bucket + i) & (CW_FLOW_BUCKETS - 1);
		hlist_for_each_entry_rcu(flow, &t->buckets[b], node) {
			unsigned long seen = READ_ONCE(flow->last_seen);

			if (READ_ONCE(flow->state) == CW_FLOW_ESTABLISHED)
				continue;
			if (!victim || time_before(seen, victim_seen)) {
				victim = flow;
				victim_seen = seen;
				victim_bucket = b;
			}
		}
	}
	if (!victim)
		return 0;

	lock = bucket_lock(t, victim_bucket);
	spin_lock_bh(lock);
	/* A handshake may have completed meanwhile: let it live. */
	gone = hlist_unhashed(&victim->node) ||
	       READ_ONCE(victim->state) == CW_FLOW_ESTABLISHED;
	if (!gone)
		flow_unlink(victim);
	spin_unlock_bh(lock);
	if (gone)
		return -EAGAIN;
	atomic64_inc(&t->evicted);
	return 1;
}

/* A slot for a new flow near @bucket: a free one, or an evicted flow's. */
static bool reserve(struct cw_flow_table *t, unsigned int bucket)
{
	int tries;

	for (tries = 0; tries < 3; tries++) {
		if (take_slot(t))
			return true;
		switch (evict_near(t, bucket)) {
		case 1:
			return true;
		case 0:
			return false;
		}
	}
	return false;
}

static void count_full(struct cw_flow_table *t)
{
	if (READ_ONCE(cw_fail_open))
		atomic64_inc(&t->full_accepted);
	else
		atomic64_inc(&t->full_dropped);
}

struct cw_flow *cw_flow_create(struct cw_flow_table *t, const struct cw_packet *pkt,
			       u8 hook)
{
	unsigned int bucket = flow_bucket(t, &pkt->key);
	struct cw_flow *flow, *old;
	spinlock_t *lock;
	bool reply;

	if (!reserve(t, bucket))
		goto full;

	flow = kmem_cache_zalloc(cw_flow_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!flow) {
		atomic_dec(&t->count);
		goto full;
	}
	flow->key = pkt->key;
	flow->created = jiffies;
	flow->last_seen = flow->created;
	flow->verdict = CW_ACTION_NONE;
	flow->hook = hook;
	/*
	 * A TCP packet without SYN is a connection we joined midway (loaded
	 * under traffic, or its flow expired): its handshake is long done.
	 */
	if (pkt->key.proto == IPPROTO_TCP && !(pkt->tcp_flags & TCPHDR_SYN))
		flow->state = CW_FLOW_ESTABLISHED;
	else
		flow->state = CW_FLOW_NEW;
	cw_inspect_init(flow, pkt);

	lock = bucket_lock(t, bucket);
	spin_lock_bh(lock);
	/* Another CPU may have added it since the caller's lookup. */
	old = bucket_find(t, bucket, &pkt->key, &reply, true);
	if (!old)
		hlist_add_head_rcu(&flow->node, &t->buckets[bucket]);
	spin_unlock_bh(lock);

	if (old) {
		atomic_dec(&t->count);
		kmem_cache_free(cw_flow_cache, flow);	/* never published */
		return old;
	}
	atomic64_inc(&t->created);
	return flow;

full:
	count_full(t);
	return NULL;
}

/* -- Per packet ------------------------------------------------------------ */

static void set_state(struct cw_flow *flow, u8 old, u8 new)
{
	if (new != old)
		WRITE_ONCE(flow->state, new);
}

/*
 * Enough of TCP to pick timeouts and to tell established flows (kept when
 * the table is full) from the rest. No lock: two CPUs racing on one flow
 * may lose an update, which at worst picks a shorter or longer timeout.
 */
static void track_tcp(struct cw_flow *flow, u8 flags, bool reply)
{
	u8 state = READ_ONCE(flow->state);
	u8 fins;

	if (flags & TCPHDR_RST) {
		set_state(flow, state, CW_FLOW_CLOSE);
	} else if (flags & TCPHDR_SYN) {
		if (!reply && !(flags & TCPHDR_ACK)) {
			/*
			 * A new handshake, possibly reusing the tuple of a
			 * closed connection. A stray SYN does not demote an
			 * established flow.
			 */
			if (state != CW_FLOW_ESTABLISHED) {
				if (READ_ONCE(flow->fins))
					WRITE_ONCE(flow->fins, 0);
				set_state(flow, state, CW_FLOW_NEW);
			}
		} else if (reply && (flags & TCPHDR_ACK) && state == CW_FLOW_NEW) {
			set_state(flow, state, CW_FLOW_SYN_RECV);
		}
	} else if (flags & TCPHDR_FIN) {
		fins = READ_ONCE(flow->fins) | (reply ? FIN_RESPONDER : FIN_INITIATOR);
		if (fins != READ_ONCE(flow->fins))
			WRITE_ONCE(flow->fins, fins);
		if (fins == (FIN_INITIATOR | FIN_RESPONDER))
			set_state(flow, state, CW_FLOW_CLOSE);
		else if (state <= CW_FLOW_ESTABLISHED)
			set_state(flow, state, CW_FLOW_FIN);
	} else if ((flags & TCPHDR_ACK) && !reply && state == CW_FLOW_SYN_RECV) {
		set_state(flow, state, CW_FLOW_ESTABLISHED);
	}
}

void cw_flow_seen(struct cw_flow *flow, const struct cw_packet *pkt, bool reply)
{
	unsigned long now = jiffies;
	int dir = reply ? 1 : 0;

	atomic64_inc(&flow->packets[dir]);
	atomic64_add(pkt->len, &flow->bytes[dir]);
	/* Most packets of a flow share a jiffy: keep the line clean then. */
	if (READ_ONCE(flow->last_seen) != now)
		WRITE_ONCE(flow->last_seen, now);

	if (flow->key.proto == IPPROTO_TCP)
		track_tcp(flow, pkt->tcp_flags, reply);
	else if (reply && READ_ONCE(flow->state) == CW_FLOW_NEW)
		WRITE_ONCE(flow->state, CW_FLOW_ESTABLISHED);
}

/* -- Counters and dump ----------------------------------------------------- */

void cw_flow_counters(struct cw_flow_table *t, struct cw_flow_counters *c)
{
	c->active = max(atomic_read(&t->count), 0);
	c->created = atomic64_read(&t->created);
	c->evicted = atomic64_read(&t->evicted);
	c->full_accepted = atomic64_read(&t->full_accepted);
	c->full_dropped = atomic64_read(&t->full_dropped);
	c->expired = atomic64_read(&t->expired);
	c->held = atomic64_read(&t->held);
}

int cw_flow_dump(struct cw_flow_table *t, struct sk_buff *skb,
		 struct netlink_callback *cb,
		 int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			     struct cw_flow *flow))
{
	unsigned long bucket = cb->args[1], skip = cb->args[2];
	struct cw_flow *flow;
	int ret;

	rcu_read_lock();
	for (; bucket < CW_FLOW_BUCKETS; bucket++, skip = 0) {
		unsigned long idx = 0;

		hlist_for_each_entry_rcu(flow, &t->buckets[bucket], node) {
			if (idx < skip) {
				idx++;
				continue;
			}
			ret = fill(skb, cb, flow);
			if (ret) {
				rcu_read_unlock();
				cb->args[1] = bucket;
				cb->args[2] = idx;
				return ret;
			}
			idx++;
		}
	}
	rcu_read_unlock();
	cb->args[1] = 0;
	cb->args[2] = 0;
	return 0;
}

/* -- Garbage collection and life cycle ------------------------------------- */

static void gc_scan(struct cw_flow_table *t)
{
	unsigned long now = jiffies;
	unsigned int i;

	for (i = 0; i < CW_FLOW_BUCKETS; i++) {
		struct hlist_head *head = &t->buckets[i];
		spinlock_t *lock = bucket_lock(t, i);
		struct hlist_node *tmp;
		struct cw_flow *flow;

		if ((i & (CW_FLOW_LOCKS - 1)) == 0)
			cond_resched();
		/* Racy, but a flow added now is not due yet anyway. */
		if (hlist_empty(head))
			continue;

		spin_lock_bh(lock);
		hlist_for_each_entry_safe(flow, tmp, head, node) {
			if (!flow_expired(flow, now))
				continue;
			flow_unlink(flow);
			atomic_dec(&t->count);
			atomic64_inc(&t->expired);
		}
		spin_unlock_bh(lock);
	}
}

static void gc_work(struct work_struct *work)
{
	struct cw_flow_table *t = container_of(to_delayed_work(work),
					       struct cw_flow_table, gc);

	gc_scan(t);
	queue_delayed_work(system_power_efficient_wq, &t->gc, CW_FLOW_GC_INTERVAL);
}

int cw_flow_table_init(struct cw_flow_table *t)
{
	unsigned int i;

	t->buckets = kvcalloc(CW_FLOW_BUCKETS, sizeof(*t->buckets), GFP_KERNEL);
	if (!t->buckets)
		return -ENOMEM;
	t->locks = kvmalloc_array(CW_FLOW_LOCKS, sizeof(*t->locks), GFP_KERNEL);
	if (!t->locks) {
		kvfree(t->buckets);
		t->buckets = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < CW_FLOW_LOCKS; i++)
		spin_lock_init(&t->locks[i]);

	atomic_set(&t->count, 0);
	atomic64_set(&t->created, 0);
	atomic64_set(&t->evicted, 0);
	atomic64_set(&t->full_accepted, 0);
	atomic64_set(&t->full_dropped, 0);
	atomic64_set(&t->expired, 0);
	get_random_bytes(&t->seed, sizeof(t->seed));

	/* Not deferrable: an idle timer CPU must not leave the table full. */
	INIT_DELAYED_WORK(&t->gc, gc_work);
	queue_delayed_work(system_power_efficient_wq, &t->gc, CW_FLOW_GC_INTERVAL);
	return 0;
}

/*
 * No packet and no dump can reach the table any more (the caller's
 * guarantee), so the remaining flows go without a grace period.
 */
void cw_flow_table_destroy(struct cw_flow_table *t)
{
	struct hlist_node *tmp;
	struct cw_flow *flow;
	unsigned int i;

	cancel_delayed_work_sync(&t->gc);
	for (i = 0; i < CW_FLOW_BUCKETS; i++) {
		hlist_for_each_entry_safe(flow, tmp, &t->buckets[i], node) {
			hlist_del(&flow->node);
			cw_detect_flow_gone(flow);
			kmem_cache_free(cw_flow_cache, flow);
			atomic_dec(&t->count);
		}
	}
	WARN_ON(atomic_read(&t->count));
	kvfree(t->locks);
	kvfree(t->buckets);
	t->locks = NULL;
	t->buckets = NULL;
}

int __init cw_flow_init(void)
{
	/*
	 * Seven cache lines at most (2^16 flows per netns by default): three
	 * for the flow, one for its DPI state, two for what DPI found, one for
	 * its threat checks. Debug kernels' spinlocks are larger.
	 */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_DEBUG_SPINLOCK) && !IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) &&
		     sizeof(struct cw_flow) > 448);
	/* Bucket and lock indices are masks. */
	BUILD_BUG_ON(CW_FLOW_BUCKETS & (CW_FLOW_BUCKETS - 1));
	BUILD_BUG_ON(CW_FLOW_LOCKS & (CW_FLOW_LOCKS - 1));
	BUILD_BUG_ON(CW_FLOW_LOCKS > CW_FLOW_BUCKETS);

	cw_flow_cache = kmem_cache_create("cellwall_flow", sizeof(struct cw_flow),
					  0, 0, NULL);
	return cw_flow_cache ? 0 : -ENOMEM;
}

void cw_flow_uninit(void)
{
	/* Flows freed by call_rcu() still point into the cache. */
	rcu_barrier();
	kmem_cache_destroy(cw_flow_cache);
	cw_flow_cache = NULL;
}

#ifdef CW_DEBUG
#include "selftest/flow.c"
#endif
