// SPDX-License-Identifier: GPL-2.0
/*
 * The policy: rules loaded in one transaction, compiled into a table that
 * answers a lookup in constant time, and swapped in under RCU. Also the
 * table of what discover mode learned since the last commit.
 */

#include "policy.h"
#include "group.h"

#include <linux/atomic.h>
#include <linux/in.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stringify.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

/*
 * Ports [lo, hi] of one key: the lowest allow and deny ids on them of rules
 * for any application, and of rules for some (with those applications).
 */
struct policy_seg {
	u16 lo, hi;
	u32 allow, deny;	/* rule ids, 0 for none */
	u32 allow_app, deny_app;
	u64 allow_apps, deny_apps;
};

/* One (from, to, proto) in the open-addressing table; nr_segs 0: free. */
struct policy_key {
	u32 from, to;
	u32 first_seg, nr_segs;
	u8 proto;
};

struct cw_policy {
	struct cw_rule *rules;		/* load order, for the dump */
	struct policy_key *keys;	/* mask + 1 slots, NULL if no rule */
	struct policy_seg *segs;
	u32 nr_rules;
	u32 mask;
	u32 seed;
	u32 serial;			/* tells a dump that a commit happened */
};

#define LEARNED_SLOTS 16384
#define LEARNED_PROBES 16

enum { SLOT_EMPTY, SLOT_BUSY, SLOT_READY };

struct learned_slot {
	u32 from, to;
	u16 port;
	u8 proto;
	u8 app;
	u8 state;
};

struct learned_table {
	struct rcu_head rcu;		/* first: kvfree_rcu needs a small offset */
	u32 seed;
	u32 serial;
	struct learned_slot slots[LEARNED_SLOTS];
};

static struct cw_policy __rcu *policy;
static struct learned_table __rcu *learned;
/* Kept below INT_MAX so that commit can return it as a positive int. */
static atomic_t generation = ATOMIC_INIT(1);

/* The transaction, the commit and the swap of both tables. */
static DEFINE_MUTEX(policy_mutex);
static u32 serial;

/* Never 0: a dump that saw 0 as its previous part would not notice. */
static u32 next_serial(void)
{
	if (!++serial)
		serial = 1;
	return serial;
}

static struct {
	struct net *net;		/* NULL: no transaction */
	u32 portid;
	struct cw_rule *rules;
	u32 nr, cap;
} txn;

/* ICMPv6 shares ICMP's rules; only TCP and UDP have ports. */
static void normalise(u8 *proto, u16 *port)
{
	if (*proto == IPPROTO_ICMPV6)
		*proto = IPPROTO_ICMP;
	if (*proto != IPPROTO_TCP && *proto != IPPROTO_UDP)
		*port = 0;
}

static const struct policy_seg *find_seg(const struct cw_policy *p, u32 from,
					 u32 to, u8 proto, u16 port)
{
	const struct policy_key *key;
	const struct policy_seg *seg;
	u32 i, lo, hi;

	if (!p->keys)
		return NULL;
	/* At most half full: an empty slot ends every probe. */
	i = jhash_3words(from, to, proto, p->seed) & p->mask;
	for (key = &p->keys[i]; key->nr_segs; key = &p->keys[i]) {
		if (key->from == from && key->to == to && key->proto == proto)
			goto found;
		i = (i + 1) & p->mask;
	}
	return NULL;

found:
	/*
	 * The first segment that starts after the port: the one before it
	 * is the only one that can hold it.
	 */
	lo = key->first_seg;
	hi = key->first_seg + key->nr_segs;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (p->segs[mid].lo <= port)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == key->first_seg)
		return NULL;
	seg = &p->segs[lo - 1];
	return port <= seg->hi ? seg : NULL;
}

/* The lower of two rule ids, 0 meaning none. */
static u32 min_id(u32 a, u32 b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return min(a, b);
}

static void merge_seg(struct policy_seg *into, const struct policy_seg *seg)
{
	into->allow = min_id(into->allow, seg->allow);
	into->deny = min_id(into->deny, seg->deny);
	into->allow_app = min_id(into->allow_app, seg->allow_app);
	into->deny_app = min_id(into->deny_app, seg->deny_app);
	into->allow_apps |= seg->allow_apps;
	into->deny_apps |= seg->deny_apps;
}

static void set_verdict(struct cw_verdict *v, u8 action, u32 rule)
{
	v->action = action;
	v->rule = rule;
}

void cw_policy_lookup(u32 from, u32 to, u8 proto, u16 dport, u8 app, bool identifying,
		      struct cw_verdict *v)
{
	const struct policy_seg *seg;
	const struct cw_policy *p;
	struct policy_seg all = {};
	u64 bit = app ? BIT_ULL(app) : 0;

	normalise(&proto, &dport);

	rcu_read_lock();
	p = rcu_dereference(policy);
	seg = find_seg(p, from, to, proto, dport);
	if (seg)
		merge_seg(&all, seg);
	/* Rules for any protocol cover every port. */
	if (proto) {
		seg = find_seg(p, from, to, 0, 0);
		if (seg)
			merge_seg(&all, seg);
	}
	rcu_read_unlock();

	v->pending = false;
	v->mismatch = false;
	if (all.deny)
		return set_verdict(v, CW_ACTION_DENY, all.deny);
	/* Rules for some applications wait for the flow's to be known. */
	if (identifying && (all.deny_apps || (!all.allow && all.allow_apps))) {
		v->pending = true;
		return set_verdict(v, CW_ACTION_NONE, 0);
	}
	if (all.deny_apps & bit)
		return set_verdict(v, CW_ACTION_DENY, all.deny_app);
	if (all.allow)
		return set_verdict(v, CW_ACTION_ALLOW, all.allow);
	if (all.allow_apps & bit)
		return set_verdict(v, CW_ACTION_ALLOW, all.allow_app);
	/* The port is allowed, but for other applications. */
	v->mismatch = all.allow_apps;
	set_verdict(v, CW_ACTION_NONE, all.allow_app);
}

/*
 * Pairs with the fully ordered cmpxchg of the bump, which follows the
 * publication of a new policy: whoever reads a generation and then looks
 * up sees a policy at least as new as that generation.
 */
u32 cw_policy_generation(void)
{
	return atomic_read_acquire(&generation);
}

static u32 generation_bump(void)
{
	int old = atomic_read(&generation), new;

	do {
		new = old >= INT_MAX - 1 ? 1 : old + 1;
	} while (!atomic_try_cmpxchg(&generation, &old, new));
	return new;
}

void cw_generation_bump(void)
{
	generation_bump();
}

u32 cw_policy_rule_count(void)
{
	u32 count;

	rcu_read_lock();
	count = rcu_dereference(policy)->nr_rules;
	rcu_read_unlock();
	return count;
}

static void free_policy(struct cw_policy *p)
{
	if (!p)
		return;
	kvfree(p->rules);
	kvfree(p->keys);
	kvfree(p->segs);
	kfree(p);
}

/* A rule as the compiler sees it: sorted by key, then by id. */
struct span {
	u32 from, to, id;
	u64 apps;
	u16 lo, hi;
	u8 proto, action;
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

static bool same_key(const struct span *x, const struct span *y)
{
	return x->from == y->from && x->to == y->to && x->proto == y->proto;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Index of @value in the sorted, distinct @bounds (it is there). */
static u32 bound_index(const u32 *bounds, u32 nr, u32 value)
{
	u32 lo = 0, hi = nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (bounds[mid] < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first interval from @i on that no rule claimed yet (path halving). */
static u32 next_free(u32 *next, u32 i)
{
	while (next[i] != i) {
		next[i] = next[next[i]];
		i = next[i];
	}
	return i;
}

/* Per key scratch, sized for the largest key. */
struct scratch {
	u32 *bounds;
	u32 *ids[2];			/* allow, deny: per interval */
	u32 *next[2];			/* per interval, plus a sentinel */
	u32 *app_ids[2];		/* the same, of rules for some applications */
	u64 *apps[2];			/* ... and the union of their applications */
};

/*
 * Cuts the @nr spans of one key (sorted by id) into disjoint segments at
 * every rule boundary, gives each the lowest allow and deny ids covering
 * it, and appends them to @segs, merging neighbours that say the same.
 * Returns the segment count. O(nr log nr).
 */
static u32 cut_segments(const struct span *spans, u32 nr, struct scratch *s,
			struct policy_seg *segs)
{
	u32 nr_bounds = 0, nr_segs = 0, i, j, m;

	/* Interval m is [bounds[m], bounds[m + 1] - 1]; 65536 ends one. */
	for (i = 0; i < nr; i++) {
		s->bounds[nr_bounds++] = spans[i].lo;
		s->bounds[nr_bounds++] = (u32)spans[i].hi + 1;
	}
	sort(s->bounds, nr_bounds, sizeof(u32), cmp_u32, NULL);
	for (i = 1, j = 1; i < nr_bounds; i++)
		if (s->bounds[i] != s->bounds[j - 1])
			s->bounds[j++] = s->bounds[i];
	nr_bounds = j;

	for (m = 0; m < nr_bounds; m++) {
		s->ids[0][m] = 0;
		s->ids[1][m] = 0;
		s->next[0][m] = m;
		s->next[1][m] = m;
		s->app_ids[0][m] = 0;
		s->app_ids[1][m] = 0;
		s->apps[0][m] = 0;
		s->apps[1][m] = 0;
	}

	/*
	 * By increasing id, so the first rule to claim an interval is the
	 * lowest; claimed intervals are skipped, each is touched once.
	 */
	for (i = 0; i < nr; i++) {
		const struct span *span = &spans[i];
		int a = span->action == CW_ACTION_DENY;
		u32 end = bound_index(s->bounds, nr_bounds, (u32)span->hi + 1);

		/* Their applications add up: every interval is visited. */
		if (span->apps) {
			for (m = bound_index(s->bounds, nr_bounds, span->lo); m < end; m++) {
				if (!s->app_ids[a][m])
					s->app_ids[a][m] = span->id;
				s->apps[a][m] |= span->apps;
			}
			continue;
		}
		for (m = next_free(s->next[a],
				   bound_index(s->bounds, nr_bounds, span->lo));
		     m < end; m = next_free(s->next[a], m + 1)) {
			s->ids[a][m] = span->id;
			s->next[a][m] = m + 1;
		}
	}

	for (m = 0; m + 1 < nr_bounds; m++) {
		struct policy_seg *last = nr_segs ? &segs[nr_segs - 1] : NULL;
		struct policy_seg seg = {
			.lo = s->bounds[m],
			.hi = s->bounds[m + 1] - 1,
			.allow = s->ids[0][m],
			.deny = s->ids[1][m],
			.allow_app = s->app_ids[0][m],
			.deny_app = s->app_ids[1][m],
			.allow_apps = s->apps[0][m],
			.deny_apps = s->apps[1][m],
		};

		if (!seg.allow && !seg.deny && !seg.allow_app && !seg.deny_app)
			continue;
		if (last && (u32)last->hi + 1 == seg.lo &&
		    last->allow == seg.allow && last->deny == seg.deny &&
		    last->allow_app == seg.allow_app && last->deny_app == seg.deny_app &&
		    last->allow_apps == seg.allow_apps && last->deny_apps == seg.deny_apps) {
			last->hi = seg.hi;
			continue;
		}
		segs[nr_segs++] = seg;
	}
	return nr_segs;
}

static void add_key(struct cw_policy *p, const struct span *span,
		    u32 first_seg, u32 nr_segs)
{
	struct policy_key *key;
	u32 i;

	for (i = jhash_3words(span->from, span->to, span->proto, p->seed) & p->mask;
	     p->keys[i].nr_segs; i = (i + 1) & p->mask)
		;
	key = &p->keys[i];
	key->from = span->from;
	key->to = span->to;
	key->proto = span->proto;
	key->first_seg = first_seg;
	key->nr_segs = nr_segs;
}

/* Process context: builds a policy from the staged rules. */
static struct cw_policy *compile(const struct cw_rule *rules, u32 nr)
{
	u32 nr_keys = 0, widest = 0, nr_segs = 0, i, j;
	struct scratch s = {};
	struct span *spans;
	struct cw_policy *p;
	u32 *mem;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return NULL;
	p->seed = get_random_u32();
	if (!nr)
		return p;

	p->nr_rules = nr;
	p->rules = kvmalloc_array(nr, sizeof(*rules), GFP_KERNEL);
	spans = kvmalloc_array(nr, sizeof(*spans), GFP_KERNEL);
	/* A key of k rules has at most 2k - 1 segments. */
	p->segs = kvmalloc_array(nr, 2 * sizeof(*p->segs), GFP_KERNEL);
	if (!p->rules || !spans || !p->segs)
		goto err;
	memcpy(p->rules, rules, nr * sizeof(*rules));

	/* Validation made ICMP and any-protocol rules span every port. */
	for (i = 0; i < nr; i++)
		spans[i] = (struct span){
			.from = rules[i].from,
			.to = rules[i].to,
			.id = rules[i].id,
			.lo = rules[i].port_min,
			.hi = rules[i].port_max,
			.proto = rules[i].proto,
			.action = rules[i].action,
			.apps = rules[i].apps,
		};
	sort(spans, nr, sizeof(*spans), cmp_span, NULL);

	for (i = 0; i < nr; i = j) {
		for (j = i + 1; j < nr && same_key(&spans[i], &spans[j]); j++)
			;
		nr_keys++;
		widest = max(widest, j - i);
	}

	/* At most half full, so that probes stay short and always end. */
	p->mask = roundup_pow_of_two(2 * nr_keys) - 1;
	p->keys = kvcalloc(p->mask + 1, sizeof(*p->keys), GFP_KERNEL);
	/* bounds, four id arrays and two next arrays of 2 * widest + 1 (u32),
	 * two application arrays (u64). */
	mem = kvmalloc_array(11 * (2 * widest + 1) + 1, sizeof(u32), GFP_KERNEL);
	if (!p->keys || !mem)
		goto err_mem;
	s.bounds = mem;
	s.ids[0] = s.bounds + 2 * widest + 1;
	s.ids[1] = s.ids[0] + 2 * widest + 1;
	s.next[0] = s.ids[1] + 2 * widest + 1;
	s.next[1] = s.next[0] + 2 * widest + 1;
	s.app_ids[0] = s.next[1] + 2 * widest + 1;
	s.app_ids[1] = s.app_ids[0] + 2 * widest + 1;
	/* kvmalloc memory is page aligned, and 7 * (2 * widest + 1) is odd:
	 * one u32 of padding keeps the u64 arrays aligned. */
	s.apps[0] = (u64 *)(s.app_ids[1] + 2 * widest + 2);
	s.apps[1] = s.apps[0] + 2 * widest + 1;

	for (i = 0; i < nr; i = j) {
		u32 n;

		for (j = i + 1; j < nr && same_key(&spans[i], &spans[j]); j++)
			;
		n = cut_segments(&spans[i], j - i, &s, &p->segs[nr_segs]);
		add_key(p, &spans[i], nr_segs, n);
		nr_segs += n;
	}

	kvfree(mem);
	kvfree(spans);
	return p;

err_mem:
	kvfree(mem);
err:
	kvfree(spans);
	free_policy(p);
	return NULL;
}

static struct learned_table *learned_alloc(void)
{
	struct learned_table *t = kvzalloc(sizeof(*t), GFP_KERNEL);

	if (t)
		t->seed = get_random_u32();
	return t;
}

static bool txn_owner(struct net *net, u32 portid)
{
	return txn.net && net_eq(txn.net, net) && txn.portid == portid;
}

static void txn_drop(void)
{
	kvfree(txn.rules);
	txn.rules = NULL;
	txn.nr = 0;
	txn.cap = 0;
	/* The release notifier peeks at these without the mutex. */
	WRITE_ONCE(txn.net, NULL);
	WRITE_ONCE(txn.portid, 0);
}

int cw_policy_begin(struct net *net, u32 portid, struct netlink_ext_ack *extack)
{
	int ret = 0;

	mutex_lock(&policy_mutex);
	if (txn.net && !txn_owner(net, portid)) {
		NL_SET_ERR_MSG_MOD(extack, "another socket holds the policy transaction");
		ret = -EBUSY;
		goto out;
	}
	/* The owner beginning again starts afresh. */
	txn_drop();
	WRITE_ONCE(txn.portid, portid);
	WRITE_ONCE(txn.net, net);
out:
	mutex_unlock(&policy_mutex);
	return ret;
}

static bool valid_rule(const struct cw_rule *rule, struct netlink_ext_ack *extack)
{
	bool tcp_udp = rule->proto == IPPROTO_TCP || rule->proto == IPPROTO_UDP;

	if (!rule->id) {
		NL_SET_ERR_MSG_MOD(extack, "this rule has id 0: rule ids start at 1");
		return false;
	}
	if (rule->learned && rule->id < CW_RULE_ID_LEARNED) {
		NL_SET_ERR_MSG_MOD(extack, "this rule is learned but its id is below "
				   __stringify(CW_RULE_ID_LEARNED));
		return false;
	}
	if (!rule->learned && rule->id >= CW_RULE_ID_LEARNED) {
		NL_SET_ERR_MSG_MOD(extack, "this rule is not learned but its id is "
				   __stringify(CW_RULE_ID_LEARNED) " or more");
		return false;
	}
	if (!cw_group_exists(rule->from) || !cw_group_exists(rule->to)) {
		NL_SET_ERR_MSG_MOD(extack, "this rule names an unknown group");
		return false;
	}
	if (rule->action != CW_ACTION_ALLOW && rule->action != CW_ACTION_DENY) {
		NL_SET_ERR_MSG_MOD(extack, "this rule's action is neither allow nor deny");
		return false;
	}
	if (rule->proto && !tcp_udp && rule->proto != IPPROTO_ICMP) {
		NL_SET_ERR_MSG_MOD(extack, "this rule's protocol is not tcp, udp, icmp or any");
		return false;
	}
	if (rule->port_min > rule->port_max) {
		NL_SET_ERR_MSG_MOD(extack, "this rule's lowest port is above its highest");
		return false;
	}
	if (rule->apps & ~(GENMASK_ULL(CW_APP_MAX, 0) & ~BIT_ULL(CW_APP_UNKNOWN))) {
		NL_SET_ERR_MSG_MOD(extack, "this rule names an unknown application");
		return false;
	}
	if (rule->apps && rule->proto == IPPROTO_ICMP) {
		NL_SET_ERR_MSG_MOD(extack, "this rule has applications but its protocol is icmp");
		return false;
	}
	if (!tcp_udp && (rule->port_min != 0 || rule->port_max != U16_MAX)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "this rule has ports but its protocol is not tcp or udp");
		return false;
	}
	return true;
}

int cw_policy_stage(struct net *net, u32 portid, const struct cw_rule *rule,
		    struct netlink_ext_ack *extack)
{
	int ret = 0;

	mutex_lock(&policy_mutex);
	if (!txn_owner(net, portid)) {
		NL_SET_ERR_MSG_MOD(extack, "no policy transaction: send POLICY_BEGIN first");
		ret = -ENOENT;
		goto out;
	}
	if (!valid_rule(rule, extack)) {
		ret = -EINVAL;
		goto err;
	}
	if (txn.nr == CW_POLICY_MAX_RULES) {
		NL_SET_ERR_MSG_MOD(extack, "too many rules: a policy holds at most "
				   __stringify(CW_POLICY_MAX_RULES));
		ret = -E2BIG;
		goto err;
	}
	if (txn.nr == txn.cap) {
		u32 cap = txn.cap ? min(2 * txn.cap, (u32)CW_POLICY_MAX_RULES) : 64;
		struct cw_rule *rules;

		/*
		 * Charged to the loader: it chooses how much it stages.
		 * (Not kvrealloc(): its arguments differ between 6.1 and 6.12.)
		 */
		rules = kvmalloc_array(cap, sizeof(*rules), GFP_KERNEL_ACCOUNT);
		if (!rules) {
			ret = -ENOMEM;
			goto err;
		}
		if (txn.nr)
			memcpy(rules, txn.rules, txn.nr * sizeof(*rules));
		kvfree(txn.rules);
		txn.rules = rules;
		txn.cap = cap;
	}
	txn.rules[txn.nr++] = *rule;
	goto out;
err:
	txn_drop();
out:
	mutex_unlock(&policy_mutex);
	return ret;
}

int cw_policy_commit(struct net *net, u32 portid, u32 rules,
		     struct netlink_ext_ack *extack)
{
	struct learned_table *new_learned, *old_learned;
	struct cw_policy *new, *old;
	int ret;

	mutex_lock(&policy_mutex);
	if (!txn_owner(net, portid)) {
		NL_SET_ERR_MSG_MOD(extack, "no policy transaction: send POLICY_BEGIN first");
		ret = -ENOENT;
		goto out;
	}

	/* A RULES message the netlink core refused never reached us. */
	if (rules != txn.nr) {
		NL_SET_ERR_MSG_MOD(extack, "the transaction does not hold as many rules as the commit says were sent");
		ret = -EINVAL;
		goto drop;
	}

	/* Everything that can fail comes before anything is published. */
	new = compile(txn.rules, txn.nr);
	new_learned = learned_alloc();
	if (!new || !new_learned) {
		free_policy(new);
		kvfree(new_learned);
		NL_SET_ERR_MSG_MOD(extack, "out of memory compiling the policy");
		ret = -ENOMEM;
		goto drop;
	}
	new->serial = next_serial();
	new_learned->serial = new->serial;

	old = rcu_replace_pointer(policy, new, lockdep_is_held(&policy_mutex));
	/*
	 * Wait for every reader of the old policy before clearing what was
	 * learned: a packet judged by the old rules must not leave an entry
	 * in the new table. The old policy can then go at once.
	 */
	synchronize_rcu();
	free_policy(old);
	old_learned = rcu_replace_pointer(learned, new_learned,
					  lockdep_is_held(&policy_mutex));
	kvfree_rcu(old_learned, rcu);

	ret = generation_bump();
drop:
	txn_drop();
out:
	mutex_unlock(&policy_mutex);
	return ret;
}

int cw_policy_abort(struct net *net, u32 portid, struct netlink_ext_ack *extack)
{
	int ret = 0;

	mutex_lock(&policy_mutex);
	if (txn_owner(net, portid)) {
		txn_drop();
	} else {
		NL_SET_ERR_MSG_MOD(extack, "no policy transaction: send POLICY_BEGIN first");
		ret = -ENOENT;
	}
	mutex_unlock(&policy_mutex);
	return ret;
}

/* A loader that dies mid-transaction must not keep the policy locked. */
static int release_notify(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	const struct netlink_notify *n = ptr;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	/* Every generic netlink socket closing comes here: peek first. */
	if (READ_ONCE(txn.net) != n->net || READ_ONCE(txn.portid) != n->portid)
		return NOTIFY_DONE;

	mutex_lock(&policy_mutex);
	if (txn_owner(n->net, n->portid))
		txn_drop();
	mutex_unlock(&policy_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block release_nb = {
	.notifier_call = release_notify,
};

int cw_policy_dump(struct sk_buff *skb, struct netlink_callback *cb,
		   int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			       const struct cw_rule *rule))
{
	const struct cw_policy *p;
	unsigned long i;

	rcu_read_lock();
	p = rcu_dereference(policy);
	/*
	 * Differs from the previous part's after a commit: the caller's
	 * genl_dump_check_consistent flags the dump.
	 */
	cb->seq = p->serial;
	for (i = cb->args[0]; i < p->nr_rules; i++)
		if (fill(skb, cb, &p->rules[i]))
			break;
	cb->args[0] = i;
	rcu_read_unlock();
	return skb->len;
}

static u32 learned_hash(const struct learned_table *t, u32 from, u32 to,
			u8 proto, u16 port)
{
	return jhash_3words(from, to, (u32)proto << 16 | port, t->seed);
}

bool cw_learned_add(u32 from, u32 to, u8 proto, u16 port, u8 app)
{
	struct learned_table *t;
	bool added = false;
	u32 i, probe;

	normalise(&proto, &port);
	/* What a rule cannot name is learned as any protocol. */
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP && proto != IPPROTO_ICMP)
		proto = 0;

	rcu_read_lock();
	t = rcu_dereference(learned);
	i = learned_hash(t, from, to, proto, port);
	for (probe = 0; probe < LEARNED_PROBES; probe++, i++) {
		struct learned_slot *slot = &t->slots[i % LEARNED_SLOTS];
		/* Pairs with the release below: a ready key is complete. */
		u8 state = smp_load_acquire(&slot->state);

		if (state == SLOT_READY) {
			if (slot->from == from && slot->to == to &&
			    slot->proto == proto && slot->port == port && slot->app == app)
				break;
			continue;
		}
		/* Busy: another CPU is filling it in; look further. */
		if (state != SLOT_EMPTY ||
		    cmpxchg(&slot->state, SLOT_EMPTY, SLOT_BUSY) != SLOT_EMPTY)
			continue;
		slot->from = from;
		slot->to = to;
		slot->proto = proto;
		slot->port = port;
		slot->app = app;
		/* Readers compare the key only once they see it ready. */
		smp_store_release(&slot->state, SLOT_READY);
		added = true;
		break;
	}
	rcu_read_unlock();
	return added;
}

int cw_learned_dump(struct sk_buff *skb, struct netlink_callback *cb,
		    int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
				const struct cw_rule *rule))
{
	const struct learned_table *t;
	unsigned long i;

	rcu_read_lock();
	t = rcu_dereference(learned);
	cb->seq = t->serial;
	for (i = cb->args[0]; i < LEARNED_SLOTS; i++) {
		const struct learned_slot *slot = &t->slots[i];
		struct cw_rule rule = {
			.action = CW_ACTION_ALLOW,
			.learned = true,
		};

		/* The key is only stable once the slot is ready. */
		if (smp_load_acquire(&slot->state) != SLOT_READY)
			continue;
		rule.from = slot->from;
		rule.to = slot->to;
		rule.proto = slot->proto;
		rule.apps = slot->app ? BIT_ULL(slot->app) : 0;
		if (rule.proto == IPPROTO_TCP || rule.proto == IPPROTO_UDP) {
			rule.port_min = slot->port;
			rule.port_max = slot->port;
		} else {
			rule.port_max = U16_MAX;
		}
		if (fill(skb, cb, &rule))
			break;
	}
	cb->args[0] = i;
	rcu_read_unlock();
	return skb->len;
}

int __init cw_policy_init(void)
{
	struct learned_table *t;
	struct cw_policy *p;
	int ret = -ENOMEM;

	p = compile(NULL, 0);
	t = learned_alloc();
	if (!p || !t)
		goto err;
	p->serial = next_serial();
	t->serial = p->serial;

	ret = netlink_register_notifier(&release_nb);
	if (ret)
		goto err;
	rcu_assign_pointer(policy, p);
	rcu_assign_pointer(learned, t);
	return 0;

err:
	free_policy(p);
	kvfree(t);
	return ret;
}

/* Runs after the netlink family and the hooks are gone: no reader is left. */
void cw_policy_uninit(void)
{
	netlink_unregister_notifier(&release_nb);
	txn_drop();
	free_policy(rcu_dereference_protected(policy, true));
	kvfree(rcu_dereference_protected(learned, true));
	RCU_INIT_POINTER(policy, NULL);
	RCU_INIT_POINTER(learned, NULL);
}

#ifdef CW_DEBUG
#include "selftest/policy.c"
#endif
