// SPDX-License-Identifier: GPL-2.0
/*
 * Remote ends: addresses of workloads (learned from their netns, or given)
 * and address groups (prefixes), matched by the longest prefix.
 */

#include "addr.h"
#include "group.h"
#include "netns.h"
#include "policy.h"
#include "workload.h"

#include <linux/hashtable.h>
#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/if_inet6.h>
#include <net/ipv6.h>

static DEFINE_HASHTABLE(addrs, 12);
/* Writers: netlink, and the address notifiers (which may run in softirq). */
static DEFINE_SPINLOCK(addrs_lock);
/* Entries per prefix length: lookups try only the lengths in use. */
static unsigned int prefix_count[2][129];
static u32 addrs_seed __read_mostly;

static int family_index(u8 family)
{
	return family == NFPROTO_IPV6;
}

static void mask(u8 family, const union nf_inet_addr *in, u8 prefix,
		 union nf_inet_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (family == NFPROTO_IPV4)
		out->ip = in->ip & inet_make_mask(prefix);
	else
		ipv6_addr_prefix(&out->in6, &in->in6, prefix);
}

static u32 hash(u8 family, u8 prefix, const union nf_inet_addr *addr)
{
	return jhash2(addr->all, 4, addrs_seed ^ (family << 8 | prefix));
}

static struct cw_addr *find(u8 family, u8 prefix, const union nf_inet_addr *addr)
{
	struct cw_addr *e;

	hash_for_each_possible_rcu(addrs, e, node, hash(family, prefix, addr),
				   lockdep_is_held(&addrs_lock))
		if (e->family == family && e->prefix == prefix &&
		    nf_inet_addr_cmp(&e->addr, addr))
			return e;
	return NULL;
}

void cw_addr_lookup(u8 family, const union nf_inet_addr *addr,
		    u32 *workload, u32 *group)
{
	int fi = family_index(family), prefix = fi ? 128 : 32;
	const struct cw_workload *w;
	union nf_inet_addr masked;
	const struct cw_addr *e;

	for (; prefix >= 0; prefix--) {
		if (!READ_ONCE(prefix_count[fi][prefix]))
			continue;
		mask(family, addr, prefix, &masked);
		e = find(family, prefix, &masked);
		if (!e)
			continue;
		if (!e->workload) {
			*workload = 0;
			*group = e->group;
			return;
		}
		w = cw_workload_find(e->workload);
		if (w) {	/* else: a workload deleted since; look further */
			*workload = w->id;
			*group = READ_ONCE(w->group);
			return;
		}
	}
	*workload = 0;
	*group = CW_GROUP_EXTERNAL;
}

/* Adds or replaces the entry for @entry's prefix. Takes addrs_lock. */
static int insert(const struct cw_addr *entry, gfp_t gfp)
{
	struct cw_addr *old, *new;

	new = kmemdup(entry, sizeof(*entry), gfp);
	if (!new)
		return -ENOMEM;
	spin_lock_bh(&addrs_lock);
	old = find(new->family, new->prefix, &new->addr);
	if (old) {
		hlist_replace_rcu(&old->node, &new->node);
		kfree_rcu(old, rcu);
	} else {
		hash_add_rcu(addrs, &new->node, hash(new->family, new->prefix, &new->addr));
		WRITE_ONCE(prefix_count[family_index(new->family)][new->prefix],
			   prefix_count[family_index(new->family)][new->prefix] + 1);
	}
	spin_unlock_bh(&addrs_lock);
	cw_generation_bump();
	return 0;
}

static void unlink(struct cw_addr *e)
{
	lockdep_assert_held(&addrs_lock);
	hash_del_rcu(&e->node);
	WRITE_ONCE(prefix_count[family_index(e->family)][e->prefix],
		   prefix_count[family_index(e->family)][e->prefix] - 1);
	kfree_rcu(e, rcu);
}

int cw_addr_set(const struct cw_addr *entry, struct netlink_ext_ack *extack)
{
	union nf_inet_addr masked;
	int ret = 0;

	mask(entry->family, &entry->addr, entry->prefix, &masked);
	if (!nf_inet_addr_cmp(&masked, &entry->addr)) {
		NL_SET_ERR_MSG_MOD(extack, "the address has bits set past its prefix length");
		return -EINVAL;
	}
	if (!entry->workload == !entry->group) {
		NL_SET_ERR_MSG_MOD(extack, "an address maps to a workload or to a group, one of them");
		return -EINVAL;
	}

	mutex_lock(&cw_config_mutex);
	if (entry->workload) {
		if (!cw_workload_find(entry->workload)) {
			NL_SET_ERR_MSG_MOD(extack, "unknown workload");
			ret = -ENOENT;
		} else if (entry->prefix != (entry->family == NFPROTO_IPV4 ? 32 : 128)) {
			NL_SET_ERR_MSG_MOD(extack, "a workload's address is a whole address, not a prefix");
			ret = -EINVAL;
		}
	} else if (!cw_group_exists(entry->group) || entry->group == CW_GROUP_UNKNOWN ||
		   entry->group == CW_GROUP_EXTERNAL) {
		NL_SET_ERR_MSG_MOD(extack, "unknown group (or one no address can join)");
		ret = -ENOENT;
	}
	if (!ret)
		ret = insert(entry, GFP_KERNEL);
	mutex_unlock(&cw_config_mutex);
	return ret;
}

int cw_addr_del(const struct cw_addr *entry, struct netlink_ext_ack *extack)
{
	struct cw_addr *e;
	int ret = 0;

	spin_lock_bh(&addrs_lock);
	e = find(entry->family, entry->prefix, &entry->addr);
	if (e)
		unlink(e);
	spin_unlock_bh(&addrs_lock);
	if (!e) {
		NL_SET_ERR_MSG_MOD(extack, "no such address entry");
		ret = -ENOENT;
	} else {
		cw_generation_bump();
	}
	return ret;
}

int cw_addr_dump(struct sk_buff *skb, struct netlink_callback *cb,
		 int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			     const struct cw_addr *entry))
{
	unsigned long bkt = cb->args[0], skip = cb->args[1], idx = 0;
	struct cw_addr *e;

	rcu_read_lock();
	for (; bkt < HASH_SIZE(addrs); bkt++, skip = 0) {
		idx = 0;
		hlist_for_each_entry_rcu(e, &addrs[bkt], node) {
			if (idx++ < skip)
				continue;
			if (fill(skb, cb, e))
				goto out;
		}
	}
out:
	rcu_read_unlock();
	cb->args[0] = bkt;
	cb->args[1] = idx ? idx - 1 : 0;
	return skb->len;
}

/* Who an interface address stands for: a workload, or the host. */
struct owner {
	u32 workload, group;
};

static void learn(u8 family, const void *addr, const struct owner *owner)
{
	struct cw_addr entry = {
		.family = family,
		.prefix = family == NFPROTO_IPV4 ? 32 : 128,
		.origin = CW_ADDR_ORIGIN_LEARNED,
		.workload = owner->workload,
		.group = owner->group,
	};

	memcpy(&entry.addr, addr, family == NFPROTO_IPV4 ? 4 : 16);
	/* Atomic: the IPv6 notifier may run in softirq. A failure only
	 * leaves the address external until it is seen again. */
	insert(&entry, GFP_ATOMIC);
}

static void unlearn(u8 family, const void *addr, const struct owner *owner)
{
	union nf_inet_addr key = {};
	struct cw_addr *e;

	memcpy(&key, addr, family == NFPROTO_IPV4 ? 4 : 16);
	spin_lock_bh(&addrs_lock);
	e = find(family, family == NFPROTO_IPV4 ? 32 : 128, &key);
	if (e && e->origin == CW_ADDR_ORIGIN_LEARNED && e->workload == owner->workload &&
	    e->group == owner->group)
		unlink(e);
	spin_unlock_bh(&addrs_lock);
	cw_generation_bump();
}

static bool learnable6(const struct in6_addr *addr)
{
	/* Link-local and loopback addresses repeat in every netns. */
	return !(ipv6_addr_type(addr) & (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_LOOPBACK));
}

static void learn_netns(struct net *net, const struct owner *owner)
{
	struct net_device *dev;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		struct in_device *in_dev = __in_dev_get_rcu(dev);
		struct inet6_dev *idev = __in6_dev_get(dev);
		const struct in_ifaddr *ifa;
		struct inet6_ifaddr *ifa6;

		if (dev->flags & IFF_LOOPBACK)
			continue;
		if (in_dev)
			in_dev_for_each_ifa_rcu(ifa, in_dev)
				learn(NFPROTO_IPV4, &ifa->ifa_local, owner);
		if (idev) {
			read_lock_bh(&idev->lock);
			list_for_each_entry(ifa6, &idev->addr_list, if_list)
				if (learnable6(&ifa6->addr))
					learn(NFPROTO_IPV6, &ifa6->addr, owner);
			read_unlock_bh(&idev->lock);
		}
	}
	rcu_read_unlock();
}

void cw_addr_learn_netns(struct net *net, u32 workload)
{
	struct owner owner = { .workload = workload };

	learn_netns(net, &owner);
}

static void forget(bool (*match)(const struct cw_addr *e, u32 id), u32 id)
{
	struct hlist_node *tmp;
	struct cw_addr *e;
	unsigned int bkt;

	spin_lock_bh(&addrs_lock);
	hash_for_each_safe(addrs, bkt, tmp, e, node)
		if (match(e, id))
			unlink(e);
	spin_unlock_bh(&addrs_lock);
	cw_generation_bump();
}

static bool learned_of(const struct cw_addr *e, u32 workload)
{
	return e->origin == CW_ADDR_ORIGIN_LEARNED && e->workload == workload;
}

static bool of_group(const struct cw_addr *e, u32 group)
{
	return e->group == group;
}

void cw_addr_forget_workload(u32 workload)
{
	forget(learned_of, workload);
}

void cw_addr_forget_group(u32 group)
{
	forget(of_group, group);
}

/*
 * The owner of the addresses of @dev: the workload living in its netns, or
 * the host in the initial netns; false if none.
 */
static bool owner_of(const struct net_device *dev, struct owner *owner)
{
	const struct net *net = dev_net(dev);

	if (dev->flags & IFF_LOOPBACK)
		return false;
	owner->workload = READ_ONCE(cw_net(net)->owner);
	owner->group = 0;
	if (!owner->workload) {
		if (!net_eq(net, &init_net))
			return false;
		owner->group = CW_GROUP_HOST;
	}
	return true;
}

static int inet_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	const struct in_ifaddr *ifa = ptr;
	struct owner owner;

	if (!owner_of(ifa->ifa_dev->dev, &owner))
		return NOTIFY_DONE;
	if (event == NETDEV_UP)
		learn(NFPROTO_IPV4, &ifa->ifa_local, &owner);
	else if (event == NETDEV_DOWN)
		unlearn(NFPROTO_IPV4, &ifa->ifa_local, &owner);
	return NOTIFY_DONE;
}

static int inet6_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	const struct inet6_ifaddr *ifa = ptr;
	struct owner owner;

	if (!learnable6(&ifa->addr) || !owner_of(ifa->idev->dev, &owner))
		return NOTIFY_DONE;
	if (event == NETDEV_UP)
		learn(NFPROTO_IPV6, &ifa->addr, &owner);
	else if (event == NETDEV_DOWN)
		unlearn(NFPROTO_IPV6, &ifa->addr, &owner);
	return NOTIFY_DONE;
}

static struct notifier_block inet_nb = { .notifier_call = inet_event };
static struct notifier_block inet6_nb = { .notifier_call = inet6_event };

/* After the per-netns state exists: the notifiers read it. */
int __init cw_addr_init(void)
{
	int ret;

	addrs_seed = get_random_u32();
	ret = register_inetaddr_notifier(&inet_nb);
	if (ret)
		return ret;
	ret = register_inet6addr_notifier(&inet6_nb);
	if (ret) {
		unregister_inetaddr_notifier(&inet_nb);
		return ret;
	}
	/* The host's own addresses are the host's, not external. */
	learn_netns(&init_net, &(struct owner){ .group = CW_GROUP_HOST });
	return 0;
}

static bool any(const struct cw_addr *e, u32 unused)
{
	return true;
}

/* After the netlink family is gone; the hooks may still look up. */
void cw_addr_uninit(void)
{
	unregister_inet6addr_notifier(&inet6_nb);
	unregister_inetaddr_notifier(&inet_nb);
	forget(any, 0);
}
