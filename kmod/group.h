/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_GROUP_H
#define _CW_GROUP_H

#include "uapi/cellwall.h"

#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/types.h>

struct sk_buff;
struct netlink_callback;

/* Serialises every change to groups, workloads and addresses. */
extern struct mutex cw_config_mutex;

/*
 * A workload group: a name and a mode. Readers look groups up under RCU;
 * writers (netlink, process context) serialise on the config mutex.
 */
struct cw_group {
	struct hlist_node node;
	struct rcu_head rcu;
	u32 id;
	u8 mode;
	char name[CW_NAME_MAX];
};

/* Group and workload names: letters, digits, '_', '.' and '-'. */
bool cw_valid_name(const char *name);

/* RCU or config: whether a group with this id exists. */
bool cw_group_exists(u32 id);
/* RCU: the mode of a group (the default mode for CW_GROUP_UNKNOWN),
 * CW_MODE_NONE if there is no such group. */
u8 cw_group_mode(u32 id);

int cw_group_set(u32 id, const char *name, u8 mode,
		 struct netlink_ext_ack *extack);
int cw_group_del(u32 id, struct netlink_ext_ack *extack);
/* Fills a dump: cb->args[0] is the bucket to resume at, [1] the entry. */
int cw_group_dump(struct sk_buff *skb, struct netlink_callback *cb,
		  int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			      const struct cw_group *group));

int cw_groups_init(void);
void cw_groups_uninit(void);

#endif /* _CW_GROUP_H */
