// SPDX-License-Identifier: GPL-2.0
/*
 * Workloads: which container a packet belongs to, by the cgroup of its
 * socket or by its network namespace.
 */

#include "workload.h"
#include "addr.h"
#include "group.h"
#include "netns.h"
#include "policy.h"
#include "sysctl.h"

#include <linux/cgroup.h>
#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>

static DEFINE_HASHTABLE(by_id, 10);
static DEFINE_HASHTABLE(by_cgroup, 10);
/* Workloads with a cgroup: none, and sockets need no cgroup walk. */
static unsigned int cgroup_workloads;
static unsigned int workloads_seq = 1;

/* Events whose source has no workload: per kernel group (host, unknown). */
static struct cw_rate group_rates[CW_GROUP_FIRST_USER][CW_EVENT_TYPES];

struct cw_workload *cw_workload_find(u32 id)
{
	struct cw_workload *w;

	hash_for_each_possible_rcu(by_id, w, id_node, id,
				   lockdep_is_held(&cw_config_mutex))
		if (w->id == id)
			return w;
	return NULL;
}

static struct cw_workload *find_by_cgroup(u64 cgroup_id)
{
	struct cw_workload *w;

	hash_for_each_possible_rcu(by_cgroup, w, cgroup_node, cgroup_id,
				   lockdep_is_held(&cw_config_mutex))
		if (w->cgroup_id == cgroup_id)
			return w;
	return NULL;
}

/* Writers only, under the config mutex. */
static struct cw_workload *find_by_name(const char *name)
{
	struct cw_workload *w;
	unsigned int bkt;

	hash_for_each(by_id, bkt, w, id_node)
		if (!strcmp(w->name, name))
			return w;
	return NULL;
}

void cw_workload_local(struct net *net, const struct sock *sk, struct cw_end *end)
{
	struct cw_workload *w = NULL;
	u32 owner;

	if (sk && READ_ONCE(cgroup_workloads)) {
		struct sock *full = sk_to_full_sk((struct sock *)sk);

		if (full && sk_fullsock(full)) {
			struct cgroup *cgrp = sock_cgroup_ptr(&full->sk_cgrp_data);

			/* The nearest registered ancestor: a container's
			 * processes may sit in sub-cgroups of it. */
			for (; cgrp && !w; cgrp = cgroup_parent(cgrp))
				w = find_by_cgroup(cgroup_id(cgrp));
		}
	}
	if (!w) {
		owner = READ_ONCE(cw_net(net)->owner);
		if (owner)
			w = cw_workload_find(owner);
	}
	end->workload = w;
	if (w)
		end->group = READ_ONCE(w->group);
	else
		end->group = net_eq(net, &init_net) ? CW_GROUP_HOST : CW_GROUP_UNKNOWN;
}

bool cw_rate_allow(struct cw_rate *rate, u32 *suppressed)
{
	unsigned long now = jiffies, start = READ_ONCE(rate->window);

	if (time_after_eq(now, start + HZ) &&
	    cmpxchg(&rate->window, start, now) == start)
		atomic_set(&rate->sent, 0);
	if (atomic_inc_return(&rate->sent) > READ_ONCE(cw_event_rate)) {
		atomic_inc(&rate->suppressed);
		return false;
	}
	*suppressed = atomic_xchg(&rate->suppressed, 0);
	return true;
}

struct cw_rate *cw_rate_of_group(u32 group, u8 type)
{
	if (group >= CW_GROUP_FIRST_USER || type >= CW_EVENT_TYPES)
		group = 0, type = 0;
	return &group_rates[group][type];
}

/* Forgets @id as the owner of any netns. */
static void clear_owner(u32 id)
{
	struct net *net;

	rcu_read_lock();
	for_each_net_rcu(net)
		if (READ_ONCE(cw_net(net)->owner) == id)
			WRITE_ONCE(cw_net(net)->owner, 0);
	rcu_read_unlock();
}

static void unlink_workload(struct cw_workload *w)
{
	hash_del_rcu(&w->id_node);
	if (w->cgroup_id) {
		hash_del_rcu(&w->cgroup_node);
		cgroup_workloads--;
	}
}

static void link_workload(struct cw_workload *w)
{
	hash_add_rcu(by_id, &w->id_node, w->id);
	if (w->cgroup_id) {
		hash_add_rcu(by_cgroup, &w->cgroup_node, w->cgroup_id);
		cgroup_workloads++;
	}
}

int cw_workload_set(u32 id, const char *name, const u32 *group,
		    const u64 *cgroup_id, const s32 *netns_fd,
		    struct netlink_ext_ack *extack)
{
	struct cw_workload *old, *new, *other;
	struct net *net = NULL;
	int ret = 0;

	if (name && !cw_valid_name(name)) {
		NL_SET_ERR_MSG_MOD(extack, "workload names are letters, digits, '_', '.' and '-'");
		return -EINVAL;
	}
	if (netns_fd) {
		net = get_net_ns_by_fd(*netns_fd);
		if (IS_ERR(net)) {
			NL_SET_ERR_MSG_MOD(extack, "the netns fd is not a network namespace");
			return PTR_ERR(net);
		}
	}

	mutex_lock(&cw_config_mutex);
	old = cw_workload_find(id);
	if (!old && (!name || !group)) {
		NL_SET_ERR_MSG_MOD(extack, "a new workload needs a name and a group");
		ret = -EINVAL;
		goto out;
	}
	/* unknown may hold workloads: containers no group selects. */
	if (group && (!cw_group_exists(*group) || *group == CW_GROUP_EXTERNAL)) {
		NL_SET_ERR_MSG_MOD(extack, "unknown group (or one no workload can join)");
		ret = -ENOENT;
		goto out;
	}
	other = name ? find_by_name(name) : NULL;
	if (other && other != old) {
		NL_SET_ERR_MSG_MOD(extack, "another workload has that name");
		ret = -EEXIST;
		goto out;
	}
	other = cgroup_id && *cgroup_id ? find_by_cgroup(*cgroup_id) : NULL;
	if (other && other != old) {
		NL_SET_ERR_MSG_MOD(extack, "another workload has that cgroup");
		ret = -EEXIST;
		goto out;
	}

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new) {
		ret = -ENOMEM;
		goto out;
	}
	new->id = id;
	strscpy(new->name, name ?: old->name, sizeof(new->name));
	new->group = group ? *group : old->group;
	new->cgroup_id = cgroup_id ? *cgroup_id : old ? old->cgroup_id : 0;
	new->netns_cookie = net ? net->net_cookie : old ? old->netns_cookie : 0;

	if (old) {
		unlink_workload(old);
		kfree_rcu(old, rcu);
	}
	link_workload(new);
	if (net) {
		clear_owner(id);
		cw_addr_forget_workload(id);
		/* One owner per netns: the pod's containers share theirs. */
		WRITE_ONCE(cw_net(net)->owner, id);
		cw_addr_learn_netns(net, id);
	}
	workloads_seq++;
	cw_generation_bump();
out:
	mutex_unlock(&cw_config_mutex);
	if (net)
		put_net(net);
	return ret;
}

int cw_workload_del(u32 id, struct netlink_ext_ack *extack)
{
	struct cw_workload *w;
	int ret = 0;

	mutex_lock(&cw_config_mutex);
	w = cw_workload_find(id);
	if (!w) {
		NL_SET_ERR_MSG_MOD(extack, "unknown workload");
		ret = -ENOENT;
		goto out;
	}
	unlink_workload(w);
	kfree_rcu(w, rcu);
	clear_owner(id);
	cw_addr_forget_workload(id);
	workloads_seq++;
	cw_generation_bump();
out:
	mutex_unlock(&cw_config_mutex);
	return ret;
}

int cw_workload_dump(struct sk_buff *skb, struct netlink_callback *cb,
		     int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
				 const struct cw_workload *workload))
{
	unsigned long bkt = cb->args[0], skip = cb->args[1], idx = 0;
	struct cw_workload *w;

	mutex_lock(&cw_config_mutex);
	cb->seq = workloads_seq;
	for (; bkt < HASH_SIZE(by_id); bkt++, skip = 0) {
		idx = 0;
		hlist_for_each_entry(w, &by_id[bkt], id_node) {
			if (idx++ < skip)
				continue;
			if (fill(skb, cb, w))
				goto out;
		}
	}
out:
	mutex_unlock(&cw_config_mutex);
	cb->args[0] = bkt;
	cb->args[1] = idx ? idx - 1 : 0;
	return skb->len;
}

void cw_workload_netns_exit(struct net *net)
{
	u32 owner = READ_ONCE(cw_net(net)->owner);

	/* Its devices and their addresses are about to go. */
	if (owner)
		cw_addr_forget_workload(owner);
}

bool cw_workload_in_group(u32 group)
{
	struct cw_workload *w;
	unsigned int bkt;

	lockdep_assert_held(&cw_config_mutex);
	hash_for_each(by_id, bkt, w, id_node)
		if (w->group == group)
			return true;
	return false;
}

/* After the hooks and the netlink family are gone: no reader is left. */
void cw_workloads_uninit(void)
{
	struct hlist_node *tmp;
	struct cw_workload *w;
	unsigned int bkt;

	hash_for_each_safe(by_id, bkt, tmp, w, id_node)
		kfree(w);
}
