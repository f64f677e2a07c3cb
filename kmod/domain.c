// SPDX-License-Identifier: GPL-2.0
/*
 * Domains of address groups and the cache of what workloads' DNS answers
 * made of them (see domain.h). The domain table is small and changes
 * rarely: an RCU hash table under cw_config_mutex. The cache is a fixed
 * array of 4-way buckets, each with its own lock, allocated at load: the
 * packet path never allocates and takes no global lock.
 */

#include "domain.h"
#include "dpi/dns.h"
#include "group.h"
#include "policy.h"

#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>

#define CW_DOMAIN_BITS 8
#define CW_DOMAIN_LEN 253		/* the longest DNS name, in text */
#define CW_DNS_BUCKETS 1024		/* a power of two */
#define CW_DNS_WAYS 4
#define CW_DNS_ANSWERS 16		/* read per response */
#define CW_DNS_MSG 1232			/* EDNS's usual size; the rest is not read */
#define CW_DNS_TTL_MAX (24 * 3600)

struct cw_domain {
	struct hlist_node node;
	struct rcu_head rcu;
	u32 hash;			/* of name, read from its end */
	u32 group;
	bool wildcard;			/* "*.name": the names below name */
	u8 len;
	char name[];			/* lowercase; a wildcard's without "*." */
};

static DEFINE_HASHTABLE(domains, CW_DOMAIN_BITS);
static unsigned int domain_count;
/* Bumped when the table changes: older cache entries no longer count. */
static atomic_t domain_serial = ATOMIC_INIT(1);

struct dns_entry {
	union nf_inet_addr addr;
	unsigned long expires;		/* jiffies */
	u32 workload, group;
	u32 serial;			/* domain_serial when added; 0: free */
	u8 family;
};

struct dns_bucket {
	spinlock_t lock;
	struct dns_entry entries[CW_DNS_WAYS];
};

struct dns_scratch {
	u8 msg[CW_DNS_MSG];
	char name[CW_DOMAIN_LEN + 2];
	struct cw_dns_answer answers[CW_DNS_ANSWERS];
};

static struct dns_bucket *dns_cache;
static struct dns_scratch __percpu *scratch;
static siphash_key_t dns_seed;

/*
 * FNV-1a from the last character to the first: one pass over a name gives
 * the hash of each of its suffixes on the way.
 */
#define FNV_BASIS 2166136261u

static u32 fnv_step(u32 hash, char c)
{
	return (hash ^ (u8)c) * 16777619u;
}

static u32 name_hash(const char *name, unsigned int len)
{
	u32 hash = FNV_BASIS;

	while (len--)
		hash = fnv_step(hash, name[len]);
	return hash;
}

static struct cw_domain *find(u32 hash, bool wildcard, const char *name, unsigned int len)
{
	struct cw_domain *d;

	hash_for_each_possible_rcu(domains, d, node, hash)
		if (d->hash == hash && d->wildcard == wildcard && d->len == len &&
		    !memcmp(d->name, name, len))
			return d;
	return NULL;
}

bool cw_domains_any(void)
{
	return READ_ONCE(domain_count);
}

u32 cw_domain_group(const char *name, unsigned int len)
{
	const struct cw_domain *d;
	u32 hash = FNV_BASIS, group = 0;
	int i;

	if (!cw_domains_any() || !len || len > CW_DOMAIN_LEN)
		return 0;
	rcu_read_lock();
	/* Right to left: each wildcard found is longer than the one before. */
	for (i = len - 1; i >= 0; i--) {
		hash = fnv_step(hash, name[i]);
		if (i > 0 && name[i - 1] == '.') {
			d = find(hash, true, name + i, len - i);
			if (d)
				group = d->group;
		}
	}
	d = find(hash, false, name, len);
	if (d)
		group = d->group;
	rcu_read_unlock();
	return group;
}

/*
 * "example.com" or "*.example.com": labels of letters, digits, '-' and '_',
 * 1 to 63 each, at most CW_DOMAIN_LEN in all. Writes the lowercase name
 * (a wildcard's without "*.") to @out.
 */
static int parse_name(const char *text, char *out, bool *wildcard,
		      struct netlink_ext_ack *extack)
{
	unsigned int len = 0, label = 0;

	*wildcard = !strncmp(text, "*.", 2);
	if (*wildcard)
		text += 2;
	for (; *text; text++) {
		char c = tolower(*text);

		if (c == '.') {
			if (!label)
				goto bad;
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				goto bad;
		} else {
			goto bad;
		}
		if (len == CW_DOMAIN_LEN)
			goto bad;
		out[len++] = c;
	}
	if (!label)
		goto bad;
	out[len] = '\0';
	return len;
bad:
	NL_SET_ERR_MSG_MOD(extack, "not a domain name: labels of letters, digits, '-' "
			   "and '_' joined by dots, optionally after \"*.\"");
	return -EINVAL;
}

static void changed(void)
{
	atomic_inc(&domain_serial);
	cw_generation_bump();
}

int cw_domain_set(const char *text, u32 group, struct netlink_ext_ack *extack)
{
	char name[CW_DOMAIN_LEN + 1];
	struct cw_domain *d;
	bool wildcard;
	int len;
	u32 hash;

	lockdep_assert_held(&cw_config_mutex);
	len = parse_name(text, name, &wildcard, extack);
	if (len < 0)
		return len;
	if (group < CW_GROUP_FIRST_USER || !cw_group_exists(group)) {
		NL_SET_ERR_MSG_MOD(extack, "a domain belongs to a group of yours that exists");
		return -ENOENT;
	}
	hash = name_hash(name, len);
	d = find(hash, wildcard, name, len);
	if (d) {
		WRITE_ONCE(d->group, group);
		changed();
		return 0;
	}
	d = kzalloc(sizeof(*d) + len + 1, GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->hash = hash;
	d->group = group;
	d->wildcard = wildcard;
	d->len = len;
	memcpy(d->name, name, len + 1);
	hash_add_rcu(domains, &d->node, hash);
	WRITE_ONCE(domain_count, domain_count + 1);
	changed();
	return 0;
}

static void domain_free(struct cw_domain *d)
{
	hash_del_rcu(&d->node);
	kfree_rcu(d, rcu);
	WRITE_ONCE(domain_count, domain_count - 1);
}

int cw_domain_del(const char *text, struct netlink_ext_ack *extack)
{
	char name[CW_DOMAIN_LEN + 1];
	struct cw_domain *d;
	bool wildcard;
	int len;

	lockdep_assert_held(&cw_config_mutex);
	len = parse_name(text, name, &wildcard, extack);
	if (len < 0)
		return len;
	d = find(name_hash(name, len), wildcard, name, len);
	if (!d) {
		NL_SET_ERR_MSG_MOD(extack, "no such domain");
		return -ENOENT;
	}
	domain_free(d);
	changed();
	return 0;
}

void cw_domain_forget_group(u32 group)
{
	struct hlist_node *tmp;
	struct cw_domain *d;
	bool found = false;
	int bkt;

	lockdep_assert_held(&cw_config_mutex);
	hash_for_each_safe(domains, bkt, tmp, d, node) {
		if (d->group == group) {
			domain_free(d);
			found = true;
		}
	}
	if (found)
		changed();
}

int cw_domain_dump(struct sk_buff *skb, struct netlink_callback *cb,
		   int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			       const char *name, u32 group))
{
	unsigned long bkt = cb->args[0], skip = cb->args[1];
	char name[CW_DOMAIN_LEN + 3];
	struct cw_domain *d;

	rcu_read_lock();
	for (; bkt < HASH_SIZE(domains); bkt++, skip = 0) {
		unsigned long idx = 0;

		hlist_for_each_entry_rcu(d, &domains[bkt], node) {
			if (idx++ < skip)
				continue;
			snprintf(name, sizeof(name), "%s%s", d->wildcard ? "*." : "", d->name);
			if (fill(skb, cb, name, READ_ONCE(d->group))) {
				cb->args[0] = bkt;
				cb->args[1] = idx - 1;
				rcu_read_unlock();
				return skb->len;
			}
		}
	}
	cb->args[0] = bkt;
	cb->args[1] = 0;
	rcu_read_unlock();
	return skb->len;
}

/* -- The DNS answer cache --------------------------------------------------- */

static struct dns_bucket *bucket_of(u32 workload, u8 family, const union nf_inet_addr *addr)
{
	return &dns_cache[siphash_3u32(workload, family, (__force u32)addr->all[0] ^
				       (__force u32)addr->all[1] ^ (__force u32)addr->all[2] ^
				       (__force u32)addr->all[3], &dns_seed) &
			  (CW_DNS_BUCKETS - 1)];
}

static bool entry_is(const struct dns_entry *e, u32 workload, u8 family,
		     const union nf_inet_addr *addr)
{
	return e->serial && e->workload == workload && e->family == family &&
	       nf_inet_addr_cmp(&e->addr, addr);
}

static void cache_add(u32 workload, const struct cw_dns_answer *a, u32 group, u32 serial)
{
	u8 family = a->family == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	unsigned long now = jiffies;
	union nf_inet_addr addr = {};
	struct dns_entry *e, *victim = NULL;
	struct dns_bucket *b;
	unsigned int i;

	memcpy(&addr, a->addr, family == NFPROTO_IPV4 ? 4 : 16);
	b = bucket_of(workload, family, &addr);
	spin_lock_bh(&b->lock);
	for (i = 0; i < CW_DNS_WAYS; i++) {
		e = &b->entries[i];
		if (entry_is(e, workload, family, &addr)) {
			victim = e;
			break;
		}
		/* Else a free or expired way, or the one closest to expiring. */
		if (!victim || !e->serial || time_after(victim->expires, e->expires))
			victim = e;
	}
	victim->addr = addr;
	victim->family = family;
	victim->workload = workload;
	victim->group = group;
	victim->serial = serial;
	/* Honours the TTL; 0 still covers the connection the answer precedes. */
	victim->expires = now + clamp_t(u32, a->ttl, 1, CW_DNS_TTL_MAX) * HZ;
	spin_unlock_bh(&b->lock);
}

u32 cw_dns_cache_lookup(u32 workload, u8 family, const union nf_inet_addr *addr)
{
	u32 serial = atomic_read(&domain_serial), group = 0;
	struct dns_bucket *b;
	unsigned int i;

	if (!cw_domains_any())
		return 0;
	b = bucket_of(workload, family, addr);
	spin_lock_bh(&b->lock);
	for (i = 0; i < CW_DNS_WAYS; i++) {
		const struct dns_entry *e = &b->entries[i];

		if (entry_is(e, workload, family, addr) && e->serial == serial &&
		    time_before(jiffies, e->expires)) {
			group = e->group;
			break;
		}
	}
	spin_unlock_bh(&b->lock);
	return group;
}

void cw_dns_snoop(struct cw_flow *flow, const struct sk_buff *skb,
		  const struct cw_packet *pkt)
{
	unsigned int len = min_t(unsigned int, pkt->payload_len, CW_DNS_MSG);
	struct dns_scratch *s;
	u32 group, serial;
	const u8 *msg;
	int n, i;

	if (!cw_domains_any() || !len)
		return;
	/* The scratch is this CPU's: nothing else runs on it meanwhile. */
	local_bh_disable();
	s = this_cpu_ptr(scratch);
	msg = skb_header_pointer(skb, pkt->payload_off, len, s->msg);
	if (!msg)
		goto out;
	n = cw_dns_response(msg, len, s->name, sizeof(s->name), s->answers, CW_DNS_ANSWERS);
	if (n <= 0)
		goto out;
	group = cw_domain_group(s->name, strlen(s->name));
	if (!group)
		goto out;
	serial = atomic_read(&domain_serial);
	for (i = 0; i < n; i++)
		cache_add(flow->from_workload, &s->answers[i], group, serial);
out:
	local_bh_enable();
}

int __init cw_domain_init(void)
{
	unsigned int i;

	dns_cache = kvcalloc(CW_DNS_BUCKETS, sizeof(*dns_cache), GFP_KERNEL);
	scratch = alloc_percpu(struct dns_scratch);
	if (!dns_cache || !scratch) {
		kvfree(dns_cache);
		free_percpu(scratch);
		return -ENOMEM;
	}
	for (i = 0; i < CW_DNS_BUCKETS; i++)
		spin_lock_init(&dns_cache[i].lock);
	get_random_bytes(&dns_seed, sizeof(dns_seed));
	return 0;
}

/* After the hooks and the netlink family are gone. */
void cw_domain_uninit(void)
{
	struct hlist_node *tmp;
	struct cw_domain *d;
	int bkt;

	hash_for_each_safe(domains, bkt, tmp, d, node) {
		hash_del(&d->node);
		kfree(d);
	}
	domain_count = 0;
	kvfree(dns_cache);
	free_percpu(scratch);
}
