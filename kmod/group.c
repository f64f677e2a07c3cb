// SPDX-License-Identifier: GPL-2.0
/* Workload groups: names and modes, looked up by id. */

#include "group.h"
#include "addr.h"
#include "domain.h"
#include "policy.h"
#include "sysctl.h"
#include "workload.h"

#include <linux/ctype.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/genetlink.h>

static DEFINE_HASHTABLE(groups, 8);
/* Serialises every change to the configuration (netlink, process context). */
DEFINE_MUTEX(cw_config_mutex);
/* Bumped on every change, so that a dump can tell it saw a moving table. */
static unsigned int groups_seq = 1;

static struct cw_group *find_by_id(u32 id)
{
	struct cw_group *group;

	hash_for_each_possible_rcu(groups, group, node, id,
				   lockdep_is_held(&cw_config_mutex))
		if (group->id == id)
			return group;
	return NULL;
}

bool cw_group_exists(u32 id)
{
	bool found;

	rcu_read_lock();
	found = find_by_id(id);
	rcu_read_unlock();
	return found;
}

u8 cw_group_mode(u32 id)
{
	const struct cw_group *group;
	u8 mode = CW_MODE_NONE;

	if (id == CW_GROUP_UNKNOWN)
		return READ_ONCE(cw_default_mode);
	rcu_read_lock();
	group = find_by_id(id);
	if (group)
		mode = group->mode;
	rcu_read_unlock();
	return mode;
}

/* Writers only, under the config mutex. */
static struct cw_group *find_by_name(const char *name)
{
	struct cw_group *group;
	unsigned int bkt;

	hash_for_each(groups, bkt, group, node)
		if (!strcmp(group->name, name))
			return group;
	return NULL;
}

bool cw_valid_name(const char *name)
{
	const char *c;

	if (!*name)
		return false;
	for (c = name; *c; c++)
		if (!isalnum(*c) && *c != '_' && *c != '.' && *c != '-')
			return false;
	return true;
}

int cw_group_set(u32 id, const char *name, u8 mode,
		 struct netlink_ext_ack *extack)
{
	struct cw_group *old, *new, *other;
	int ret = 0;

	if (name && !cw_valid_name(name)) {
		NL_SET_ERR_MSG_MOD(extack, "group names are letters, digits, '_', '.' and '-'");
		return -EINVAL;
	}

	mutex_lock(&cw_config_mutex);
	old = find_by_id(id);
	if (!old && id < CW_GROUP_FIRST_USER) {
		NL_SET_ERR_MSG_MOD(extack, "group ids below 16 are reserved");
		ret = -EINVAL;
		goto out;
	}
	if (!old && (!name || mode == CW_MODE_NONE)) {
		NL_SET_ERR_MSG_MOD(extack, "a new group needs a name and a mode");
		ret = -EINVAL;
		goto out;
	}
	if (old && (old->id == CW_GROUP_EXTERNAL || old->id == CW_GROUP_UNKNOWN)) {
		NL_SET_ERR_MSG_MOD(extack, "the external and unknown groups cannot be changed (unknown follows net.cellwall.default_mode)");
		ret = -EPERM;
		goto out;
	}
	if (old && old->id == CW_GROUP_HOST && name && strcmp(name, old->name)) {
		NL_SET_ERR_MSG_MOD(extack, "the host group cannot be renamed");
		ret = -EPERM;
		goto out;
	}
	other = name ? find_by_name(name) : NULL;
	if (other && other != old) {
		NL_SET_ERR_MSG_MOD(extack, "another group has that name");
		ret = -EEXIST;
		goto out;
	}

	/* Readers see either the old group or the new one, never half. */
	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new) {
		ret = -ENOMEM;
		goto out;
	}
	new->id = id;
	new->mode = mode != CW_MODE_NONE ? mode : old->mode;
	strscpy(new->name, name ?: old->name, sizeof(new->name));
	if (old) {
		hlist_replace_rcu(&old->node, &new->node);
		kfree_rcu(old, rcu);
	} else {
		hash_add_rcu(groups, &new->node, id);
	}
	groups_seq++;
	cw_generation_bump();
out:
	mutex_unlock(&cw_config_mutex);
	return ret;
}

int cw_group_del(u32 id, struct netlink_ext_ack *extack)
{
	struct cw_group *group;
	int ret = 0;

	mutex_lock(&cw_config_mutex);
	group = find_by_id(id);
	if (!group) {
		NL_SET_ERR_MSG_MOD(extack, "unknown group");
		ret = -ENOENT;
	} else if (id < CW_GROUP_FIRST_USER) {
		NL_SET_ERR_MSG_MOD(extack, "the kernel's own groups cannot be deleted");
		ret = -EPERM;
	} else if (cw_workload_in_group(id)) {
		NL_SET_ERR_MSG_MOD(extack, "workloads are still in that group");
		ret = -EBUSY;
	} else {
		hash_del_rcu(&group->node);
		kfree_rcu(group, rcu);
		cw_addr_forget_group(id);
		cw_domain_forget_group(id);
		groups_seq++;
		cw_generation_bump();
	}
	mutex_unlock(&cw_config_mutex);
	return ret;
}

int cw_group_dump(struct sk_buff *skb, struct netlink_callback *cb,
		  int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			      const struct cw_group *group))
{
	unsigned long bkt = cb->args[0], skip = cb->args[1], idx = 0;
	struct cw_group *group;

	mutex_lock(&cw_config_mutex);
	cb->seq = groups_seq;
	for (; bkt < HASH_SIZE(groups); bkt++, skip = 0) {
		idx = 0;
		hlist_for_each_entry(group, &groups[bkt], node) {
			if (idx++ < skip)
				continue;
			if (fill(skb, cb, group))
				goto out;
		}
	}
out:
	mutex_unlock(&cw_config_mutex);
	cb->args[0] = bkt;
	cb->args[1] = idx ? idx - 1 : 0;
	return skb->len;
}

static int add_kernel_group(u32 id, const char *name, u8 mode)
{
	struct cw_group *group = kzalloc(sizeof(*group), GFP_KERNEL);

	if (!group)
		return -ENOMEM;
	group->id = id;
	group->mode = mode;
	strscpy(group->name, name, sizeof(group->name));
	hash_add_rcu(groups, &group->node, id);
	return 0;
}

int __init cw_groups_init(void)
{
	int ret;

	/* The host learns until told otherwise: nothing breaks at install. */
	ret = add_kernel_group(CW_GROUP_HOST, "host", CW_MODE_DISCOVER);
	if (!ret)
		ret = add_kernel_group(CW_GROUP_EXTERNAL, "external", CW_MODE_NONE);
	if (!ret)
		ret = add_kernel_group(CW_GROUP_UNKNOWN, "unknown", CW_MODE_NONE);
	if (ret)
		cw_groups_uninit();
	return ret;
}

/* Runs after the netlink family and the hooks are gone: no reader is left. */
void cw_groups_uninit(void)
{
	struct hlist_node *tmp;
	struct cw_group *group;
	unsigned int bkt;

	hash_for_each_safe(groups, bkt, tmp, group, node) {
		hash_del(&group->node);
		kfree(group);
	}
}
