// SPDX-License-Identifier: GPL-2.0
/* The "cellwall" generic netlink family (ABI: uapi/cellwall.h). */

#include "netlink.h"
#include "addr.h"
#include "detect.h"
#include "domain.h"
#include "event.h"
#include "flow.h"
#include "group.h"
#include "netns.h"
#include "policy.h"
#include "sysctl.h"
#include "workload.h"
#include "uapi/cellwall.h"

#include <linux/jiffies.h>
#include <net/genetlink.h>

static const struct nla_policy cw_group_policy[CW_GROUP_A_MAX + 1] = {
	[CW_GROUP_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[CW_GROUP_A_NAME] = { .type = NLA_NUL_STRING, .len = CW_NAME_MAX - 1 },
	[CW_GROUP_A_MODE] = NLA_POLICY_RANGE(NLA_U8, CW_MODE_DISCOVER, CW_MODE_MAX),
};

static const struct nla_policy cw_group_cmd_policy[CW_A_MAX + 1] = {
	[CW_A_GROUP] = NLA_POLICY_NESTED(cw_group_policy),
};

static const struct nla_policy cw_workload_policy[CW_WORKLOAD_A_MAX + 1] = {
	[CW_WORKLOAD_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[CW_WORKLOAD_A_NAME] = { .type = NLA_NUL_STRING, .len = CW_NAME_MAX - 1 },
	[CW_WORKLOAD_A_GROUP] = NLA_POLICY_MIN(NLA_U32, 1),
	[CW_WORKLOAD_A_CGROUP_ID] = { .type = NLA_U64 },
	[CW_WORKLOAD_A_NETNS_FD] = NLA_POLICY_MIN(NLA_S32, 0),
	[CW_WORKLOAD_A_NETNS_COOKIE] = { .type = NLA_REJECT },
};

static const struct nla_policy cw_workload_cmd_policy[CW_A_MAX + 1] = {
	[CW_A_WORKLOAD] = NLA_POLICY_NESTED(cw_workload_policy),
};

static const struct nla_policy cw_addr_policy[CW_ADDR_A_MAX + 1] = {
	[CW_ADDR_A_FAMILY] = { .type = NLA_U8 },
	[CW_ADDR_A_ADDR] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[CW_ADDR_A_PREFIX] = NLA_POLICY_MAX(NLA_U8, 128),
	[CW_ADDR_A_WORKLOAD] = NLA_POLICY_MIN(NLA_U32, 1),
	[CW_ADDR_A_GROUP] = NLA_POLICY_MIN(NLA_U32, 1),
	[CW_ADDR_A_ORIGIN] = { .type = NLA_REJECT },
};

static const struct nla_policy cw_addr_cmd_policy[CW_A_MAX + 1] = {
	[CW_A_ADDR] = NLA_POLICY_NESTED(cw_addr_policy),
};

static const struct nla_policy cw_domain_policy[CW_DOMAIN_A_MAX + 1] = {
	/* 253 characters and "*.": parse_name() checks the rest. */
	[CW_DOMAIN_A_NAME] = { .type = NLA_NUL_STRING, .len = 255 },
	[CW_DOMAIN_A_GROUP] = NLA_POLICY_MIN(NLA_U32, CW_GROUP_FIRST_USER),
};

static const struct nla_policy cw_domain_cmd_policy[CW_A_MAX + 1] = {
	[CW_A_DOMAIN] = NLA_POLICY_NESTED(cw_domain_policy),
};

static const struct nla_policy cw_threat_policy[CW_THREAT_A_MAX + 1] = {
	[CW_THREAT_A_ID] = NLA_POLICY_RANGE(NLA_U8, 1, CW_THREAT_MAX),
	[CW_THREAT_A_NAME] = { .type = NLA_REJECT },
	[CW_THREAT_A_SEVERITY] = { .type = NLA_REJECT },
	[CW_THREAT_A_ACTION] = NLA_POLICY_MAX(NLA_U8, CW_THREAT_ACTION_MAX),
	[CW_THREAT_A_THRESHOLD] = { .type = NLA_U32 },
	[CW_THREAT_A_COUNT] = { .type = NLA_REJECT },
};

static const struct nla_policy cw_threat_cmd_policy[CW_A_MAX + 1] = {
	[CW_A_THREAT] = NLA_POLICY_NESTED(cw_threat_policy),
};

static const struct nla_policy cw_rule_policy[CW_RULE_A_MAX + 1] = {
	[CW_RULE_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[CW_RULE_A_FROM] = NLA_POLICY_MIN(NLA_U32, 1),
	[CW_RULE_A_TO] = NLA_POLICY_MIN(NLA_U32, 1),
	[CW_RULE_A_PROTO] = { .type = NLA_U8 },
	[CW_RULE_A_PORT_MIN] = { .type = NLA_U16 },
	[CW_RULE_A_PORT_MAX] = { .type = NLA_U16 },
	[CW_RULE_A_ACTION] = NLA_POLICY_RANGE(NLA_U8, CW_ACTION_ALLOW, CW_ACTION_DENY),
	[CW_RULE_A_LEARNED] = { .type = NLA_FLAG },
	[CW_RULE_A_APPS] = { .type = NLA_U64 },
};

static const struct nla_policy cw_rules_policy[CW_RULES_A_MAX + 1] = {
	[CW_RULES_A_RULE] = NLA_POLICY_NESTED(cw_rule_policy),
};

static const struct nla_policy cw_rules_cmd_policy[CW_A_MAX + 1] = {
	[CW_A_RULES] = NLA_POLICY_NESTED(cw_rules_policy),
};

static const struct nla_policy cw_commit_cmd_policy[CW_A_MAX + 1] = {
	[CW_A_POLICY_RULES] = { .type = NLA_U32 },
};

/* GROUP_GET is a dump without attributes. */
static const struct nla_policy cw_empty_policy[CW_A_MAX + 1] = {
};

static struct genl_family cw_genl_family;

static const struct genl_multicast_group cw_genl_mcgrps[] = {
	{ .name = CW_MCGRP_EVENTS },
};

static int put_stats(struct sk_buff *msg, int attr, const struct cw_stats *s)
{
	struct nlattr *nest = nla_nest_start(msg, attr);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, CW_STATS_A_IN_PACKETS,
			      s->packets[CW_DIR_IN], CW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_STATS_A_IN_BYTES,
			      s->bytes[CW_DIR_IN], CW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_STATS_A_OUT_PACKETS,
			      s->packets[CW_DIR_OUT], CW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_STATS_A_OUT_BYTES,
			      s->bytes[CW_DIR_OUT], CW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_STATS_A_FWD_PACKETS,
			      s->packets[CW_DIR_FWD], CW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_STATS_A_FWD_BYTES,
			      s->bytes[CW_DIR_FWD], CW_STATS_A_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int put_flow_stats(struct sk_buff *msg, struct cw_flow_table *t)
{
	struct cw_flow_counters c;
	struct nlattr *nest;

	cw_flow_counters(t, &c);
	nest = nla_nest_start(msg, CW_A_FLOW_STATS);
	if (!nest ||
	    nla_put_u32(msg, CW_FLOW_STATS_A_ACTIVE, c.active) ||
	    nla_put_u64_64bit(msg, CW_FLOW_STATS_A_CREATED, c.created, CW_FLOW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_FLOW_STATS_A_EVICTED, c.evicted, CW_FLOW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_FLOW_STATS_A_FULL_ACCEPTED, c.full_accepted,
			      CW_FLOW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_FLOW_STATS_A_FULL_DROPPED, c.full_dropped,
			      CW_FLOW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_FLOW_STATS_A_EXPIRED, c.expired, CW_FLOW_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CW_FLOW_STATS_A_HELD, c.held, CW_FLOW_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int cw_nl_status(struct sk_buff *skb, struct genl_info *info)
{
	struct cw_stats netns_stats = {}, all_stats = {};
	struct cw_net *cn = cw_net(genl_info_net(info));
	struct sk_buff *msg;
	u32 netns_count;
	void *hdr;

	cw_stats_read(cn, &netns_stats);
	cw_stats_read_all(&all_stats, &netns_count);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &cw_genl_family, 0, CW_CMD_STATUS);
	if (!hdr)
		goto err_size;

	if (nla_put_string(msg, CW_A_VERSION, CW_VERSION) ||
	    nla_put_u8(msg, CW_A_ENABLED, cw_sysctl_enabled()) ||
	    nla_put_u32(msg, CW_A_NETNS_COUNT, netns_count) ||
	    put_stats(msg, CW_A_STATS_NETNS, &netns_stats) ||
	    put_stats(msg, CW_A_STATS_ALL, &all_stats) ||
	    nla_put_u32(msg, CW_A_POLICY_GENERATION, cw_policy_generation()) ||
	    nla_put_u32(msg, CW_A_POLICY_RULES, cw_policy_rule_count()) ||
	    nla_put_u32(msg, CW_A_FLOW_ENTRY_SIZE, sizeof(struct cw_flow)) ||
	    put_flow_stats(msg, &cn->flows) ||
	    nla_put_u64_64bit(msg, CW_A_EVENTS_LOST, cw_events_lost(), CW_A_PAD))
		goto err_size;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* Parses the CW_A_GROUP nest into @tb; the id is always required. */
static int parse_group(struct genl_info *info, struct nlattr **tb)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, CW_A_GROUP)) {
		NL_SET_ERR_MSG_MOD(info->extack, "the group is missing");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, CW_GROUP_A_MAX, info->attrs[CW_A_GROUP],
			       cw_group_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[CW_GROUP_A_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[CW_A_GROUP],
				     CW_GROUP_A_ID);
		NL_SET_ERR_MSG_MOD(info->extack, "the group id is missing");
		return -EINVAL;
	}
	return 0;
}

static int cw_nl_group_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[CW_GROUP_A_MAX + 1];
	int ret;

	ret = parse_group(info, tb);
	if (ret)
		return ret;
	return cw_group_set(nla_get_u32(tb[CW_GROUP_A_ID]),
			    tb[CW_GROUP_A_NAME] ? nla_data(tb[CW_GROUP_A_NAME]) : NULL,
			    tb[CW_GROUP_A_MODE] ? nla_get_u8(tb[CW_GROUP_A_MODE]) : CW_MODE_NONE,
			    info->extack);
}

static int cw_nl_group_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[CW_GROUP_A_MAX + 1];
	int ret;

	ret = parse_group(info, tb);
	if (ret)
		return ret;
	return cw_group_del(nla_get_u32(tb[CW_GROUP_A_ID]), info->extack);
}

static int fill_group(struct sk_buff *skb, struct netlink_callback *cb,
		      const struct cw_group *group)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &cw_genl_family, NLM_F_MULTI, CW_CMD_GROUP_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, CW_A_GROUP);
	if (!nest ||
	    nla_put_u32(skb, CW_GROUP_A_ID, group->id) ||
	    nla_put_string(skb, CW_GROUP_A_NAME, group->name) ||
	    nla_put_u8(skb, CW_GROUP_A_MODE, cw_group_mode(group->id))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static int cw_nl_group_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return cw_group_dump(skb, cb, fill_group);
}

/* Parses a required nest of the request into @tb. */
static int parse_nest(struct genl_info *info, int attr, int maxtype,
		      const struct nla_policy *policy, struct nlattr **tb,
		      const char *missing)
{
	if (GENL_REQ_ATTR_CHECK(info, attr)) {
		/* A static string, as NL_SET_ERR_MSG would keep. */
		if (info->extack)
			info->extack->_msg = missing;
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[attr], policy, info->extack);
}

/* Parses the CW_A_WORKLOAD nest into @tb; the id is always required. */
static int parse_workload(struct genl_info *info, struct nlattr **tb)
{
	int ret;

	ret = parse_nest(info, CW_A_WORKLOAD, CW_WORKLOAD_A_MAX, cw_workload_policy,
			 tb, KBUILD_MODNAME ": the workload is missing");
	if (ret)
		return ret;
	if (!tb[CW_WORKLOAD_A_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[CW_A_WORKLOAD], CW_WORKLOAD_A_ID);
		NL_SET_ERR_MSG_MOD(info->extack, "the workload id is missing");
		return -EINVAL;
	}
	return 0;
}

static int cw_nl_workload_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[CW_WORKLOAD_A_MAX + 1];
	u32 group;
	u64 cgroup_id;
	s32 fd;
	int ret;

	ret = parse_workload(info, tb);
	if (ret)
		return ret;
	if (tb[CW_WORKLOAD_A_GROUP])
		group = nla_get_u32(tb[CW_WORKLOAD_A_GROUP]);
	if (tb[CW_WORKLOAD_A_CGROUP_ID])
		cgroup_id = nla_get_u64(tb[CW_WORKLOAD_A_CGROUP_ID]);
	if (tb[CW_WORKLOAD_A_NETNS_FD])
		fd = nla_get_s32(tb[CW_WORKLOAD_A_NETNS_FD]);
	return cw_workload_set(nla_get_u32(tb[CW_WORKLOAD_A_ID]),
			       tb[CW_WORKLOAD_A_NAME] ? nla_data(tb[CW_WORKLOAD_A_NAME]) : NULL,
			       tb[CW_WORKLOAD_A_GROUP] ? &group : NULL,
			       tb[CW_WORKLOAD_A_CGROUP_ID] ? &cgroup_id : NULL,
			       tb[CW_WORKLOAD_A_NETNS_FD] ? &fd : NULL,
			       info->extack);
}

static int cw_nl_workload_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[CW_WORKLOAD_A_MAX + 1];
	int ret;

	ret = parse_workload(info, tb);
	if (ret)
		return ret;
	return cw_workload_del(nla_get_u32(tb[CW_WORKLOAD_A_ID]), info->extack);
}

static void *dump_header(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				&cw_genl_family, NLM_F_MULTI, cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

static int fill_workload(struct sk_buff *skb, struct netlink_callback *cb,
			 const struct cw_workload *w)
{
	struct nlattr *nest;
	void *hdr;

	hdr = dump_header(skb, cb, CW_CMD_WORKLOAD_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CW_A_WORKLOAD);
	if (!nest ||
	    nla_put_u32(skb, CW_WORKLOAD_A_ID, w->id) ||
	    nla_put_string(skb, CW_WORKLOAD_A_NAME, w->name) ||
	    nla_put_u32(skb, CW_WORKLOAD_A_GROUP, w->group) ||
	    nla_put_u64_64bit(skb, CW_WORKLOAD_A_CGROUP_ID, w->cgroup_id, CW_WORKLOAD_A_PAD) ||
	    nla_put_u64_64bit(skb, CW_WORKLOAD_A_NETNS_COOKIE, w->netns_cookie,
			      CW_WORKLOAD_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static int cw_nl_workload_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return cw_workload_dump(skb, cb, fill_workload);
}

static int parse_addr(struct genl_info *info, struct cw_addr *entry)
{
	struct nlattr *tb[CW_ADDR_A_MAX + 1];
	unsigned int len;
	int ret;

	ret = parse_nest(info, CW_A_ADDR, CW_ADDR_A_MAX, cw_addr_policy, tb,
			 KBUILD_MODNAME ": the address is missing");
	if (ret)
		return ret;
	if (!tb[CW_ADDR_A_FAMILY] || !tb[CW_ADDR_A_ADDR]) {
		NL_SET_ERR_MSG_MOD(info->extack, "an address needs its family and its bytes");
		return -EINVAL;
	}
	memset(entry, 0, sizeof(*entry));
	entry->family = nla_get_u8(tb[CW_ADDR_A_FAMILY]);
	if (entry->family != NFPROTO_IPV4 && entry->family != NFPROTO_IPV6) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CW_ADDR_A_FAMILY],
				    "the family is AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	len = entry->family == NFPROTO_IPV4 ? 4 : 16;
	if (nla_len(tb[CW_ADDR_A_ADDR]) != len) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CW_ADDR_A_ADDR],
				    "the address length does not match its family");
		return -EINVAL;
	}
	nla_memcpy(&entry->addr, tb[CW_ADDR_A_ADDR], len);
	entry->prefix = tb[CW_ADDR_A_PREFIX] ? nla_get_u8(tb[CW_ADDR_A_PREFIX]) : len * 8;
	if (entry->prefix > len * 8) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CW_ADDR_A_PREFIX],
				    "the prefix is longer than the address");
		return -EINVAL;
	}
	if (tb[CW_ADDR_A_WORKLOAD])
		entry->workload = nla_get_u32(tb[CW_ADDR_A_WORKLOAD]);
	if (tb[CW_ADDR_A_GROUP])
		entry->group = nla_get_u32(tb[CW_ADDR_A_GROUP]);
	entry->origin = CW_ADDR_ORIGIN_EXPLICIT;
	return 0;
}

static int cw_nl_addr_set(struct sk_buff *skb, struct genl_info *info)
{
	struct cw_addr entry;
	int ret = parse_addr(info, &entry);

	return ret ?: cw_addr_set(&entry, info->extack);
}

static int cw_nl_addr_del(struct sk_buff *skb, struct genl_info *info)
{
	struct cw_addr entry;
	int ret = parse_addr(info, &entry);

	return ret ?: cw_addr_del(&entry, info->extack);
}

static int fill_addr(struct sk_buff *skb, struct netlink_callback *cb,
		     const struct cw_addr *e)
{
	struct nlattr *nest;
	void *hdr;

	hdr = dump_header(skb, cb, CW_CMD_ADDR_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CW_A_ADDR);
	if (!nest ||
	    nla_put_u8(skb, CW_ADDR_A_FAMILY, e->family) ||
	    nla_put(skb, CW_ADDR_A_ADDR, e->family == NFPROTO_IPV4 ? 4 : 16, &e->addr) ||
	    nla_put_u8(skb, CW_ADDR_A_PREFIX, e->prefix) ||
	    (e->workload && nla_put_u32(skb, CW_ADDR_A_WORKLOAD, e->workload)) ||
	    (e->group && nla_put_u32(skb, CW_ADDR_A_GROUP, e->group)) ||
	    nla_put_u8(skb, CW_ADDR_A_ORIGIN, e->origin)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static int cw_nl_addr_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return cw_addr_dump(skb, cb, fill_addr);
}

/* SET: name and group; DEL: name. */
static int cw_nl_domain(struct sk_buff *skb, struct genl_info *info)
{
	bool set = info->genlhdr->cmd == CW_CMD_DOMAIN_SET;
	struct nlattr *tb[CW_DOMAIN_A_MAX + 1];
	int ret;

	ret = parse_nest(info, CW_A_DOMAIN, CW_DOMAIN_A_MAX, cw_domain_policy, tb,
			 KBUILD_MODNAME ": the domain is missing");
	if (ret)
		return ret;
	if (!tb[CW_DOMAIN_A_NAME]) {
		NL_SET_ERR_MSG_MOD(info->extack, "the domain's name is missing");
		return -EINVAL;
	}
	if (set && !tb[CW_DOMAIN_A_GROUP]) {
		NL_SET_ERR_MSG_MOD(info->extack, "the domain's group is missing");
		return -EINVAL;
	}
	mutex_lock(&cw_config_mutex);
	if (set)
		ret = cw_domain_set(nla_data(tb[CW_DOMAIN_A_NAME]),
				    nla_get_u32(tb[CW_DOMAIN_A_GROUP]), info->extack);
	else
		ret = cw_domain_del(nla_data(tb[CW_DOMAIN_A_NAME]), info->extack);
	mutex_unlock(&cw_config_mutex);
	return ret;
}

static int fill_domain(struct sk_buff *skb, struct netlink_callback *cb,
		       const char *name, u32 group)
{
	struct nlattr *nest;
	void *hdr;

	hdr = dump_header(skb, cb, CW_CMD_DOMAIN_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CW_A_DOMAIN);
	if (!nest || nla_put_string(skb, CW_DOMAIN_A_NAME, name) ||
	    nla_put_u32(skb, CW_DOMAIN_A_GROUP, group)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static int cw_nl_domain_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return cw_domain_dump(skb, cb, fill_domain);
}

/* SET: the action, the threshold, or both, of one detection. */
static int cw_nl_threat_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[CW_THREAT_A_MAX + 1];
	u8 action;
	u32 threshold;
	int ret;

	ret = parse_nest(info, CW_A_THREAT, CW_THREAT_A_MAX, cw_threat_policy, tb,
			 KBUILD_MODNAME ": the threat is missing");
	if (ret)
		return ret;
	if (!tb[CW_THREAT_A_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[CW_A_THREAT], CW_THREAT_A_ID);
		NL_SET_ERR_MSG_MOD(info->extack, "the threat's id is missing");
		return -EINVAL;
	}
	if (!tb[CW_THREAT_A_ACTION] && !tb[CW_THREAT_A_THRESHOLD]) {
		NL_SET_ERR_MSG_MOD(info->extack, "nothing to set: give an action or a threshold");
		return -EINVAL;
	}
	if (tb[CW_THREAT_A_ACTION])
		action = nla_get_u8(tb[CW_THREAT_A_ACTION]);
	if (tb[CW_THREAT_A_THRESHOLD])
		threshold = nla_get_u32(tb[CW_THREAT_A_THRESHOLD]);
	mutex_lock(&cw_config_mutex);
	ret = cw_threat_set(nla_get_u8(tb[CW_THREAT_A_ID]),
			    tb[CW_THREAT_A_ACTION] ? &action : NULL,
			    tb[CW_THREAT_A_THRESHOLD] ? &threshold : NULL, info->extack);
	mutex_unlock(&cw_config_mutex);
	if (ret && tb[CW_THREAT_A_THRESHOLD])
		NL_SET_BAD_ATTR(info->extack, tb[CW_THREAT_A_THRESHOLD]);
	return ret;
}

/* Every detection, one message each; cb->args[0] is the next id. */
static int cw_nl_threat_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *nest;
	u32 threshold;
	u64 count;
	u8 action;
	void *hdr;
	long id;

	for (id = max(cb->args[0], 1L); id <= CW_THREAT_MAX; id++) {
		const struct cw_threat_def *def = &cw_threat_defs[id];

		cw_threat_get(id, &action, &threshold, &count);
		hdr = dump_header(skb, cb, CW_CMD_THREAT_GET);
		if (!hdr)
			break;
		nest = nla_nest_start(skb, CW_A_THREAT);
		if (!nest || nla_put_u8(skb, CW_THREAT_A_ID, id) ||
		    nla_put_string(skb, CW_THREAT_A_NAME, def->name) ||
		    nla_put_u8(skb, CW_THREAT_A_SEVERITY, def->severity) ||
		    nla_put_u8(skb, CW_THREAT_A_ACTION, action) ||
		    nla_put_u32(skb, CW_THREAT_A_THRESHOLD, def->unit ? threshold : 0) ||
		    nla_put_u64_64bit(skb, CW_THREAT_A_COUNT, count, CW_THREAT_A_PAD)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = id;
	return skb->len;
}

static int cw_nl_policy_begin(struct sk_buff *skb, struct genl_info *info)
{
	return cw_policy_begin(genl_info_net(info), info->snd_portid, info->extack);
}

/* Parses one CW_RULES_A_RULE; errors point at it. */
static int parse_rule(const struct nlattr *attr, struct cw_rule *rule,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CW_RULE_A_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, CW_RULE_A_MAX, attr, cw_rule_policy, extack);
	if (ret)
		return ret;
	if (!tb[CW_RULE_A_ID] || !tb[CW_RULE_A_FROM] || !tb[CW_RULE_A_TO] ||
	    !tb[CW_RULE_A_ACTION]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a rule needs an id, from, to and an action");
		return -EINVAL;
	}
	memset(rule, 0, sizeof(*rule));
	rule->id = nla_get_u32(tb[CW_RULE_A_ID]);
	rule->from = nla_get_u32(tb[CW_RULE_A_FROM]);
	rule->to = nla_get_u32(tb[CW_RULE_A_TO]);
	rule->proto = tb[CW_RULE_A_PROTO] ? nla_get_u8(tb[CW_RULE_A_PROTO]) : 0;
	rule->port_min = tb[CW_RULE_A_PORT_MIN] ? nla_get_u16(tb[CW_RULE_A_PORT_MIN]) : 0;
	rule->port_max = tb[CW_RULE_A_PORT_MAX] ? nla_get_u16(tb[CW_RULE_A_PORT_MAX]) :
			 tb[CW_RULE_A_PORT_MIN] ? rule->port_min : U16_MAX;
	rule->action = nla_get_u8(tb[CW_RULE_A_ACTION]);
	rule->learned = nla_get_flag(tb[CW_RULE_A_LEARNED]);
	rule->apps = tb[CW_RULE_A_APPS] ? nla_get_u64(tb[CW_RULE_A_APPS]) : 0;
	return 0;
}

static int cw_nl_policy_rules(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct nlattr *attr;
	struct cw_rule rule;
	int rem, ret;

	if (GENL_REQ_ATTR_CHECK(info, CW_A_RULES)) {
		NL_SET_ERR_MSG_MOD(info->extack, "the rules are missing");
		cw_policy_abort(net, info->snd_portid, NULL);
		return -EINVAL;
	}
	nla_for_each_nested(attr, info->attrs[CW_A_RULES], rem) {
		ret = parse_rule(attr, &rule, info->extack);
		if (!ret)
			ret = cw_policy_stage(net, info->snd_portid, &rule, info->extack);
		if (ret) {
			NL_SET_BAD_ATTR(info->extack, attr);
			cw_policy_abort(net, info->snd_portid, NULL);
			return ret;
		}
	}
	return 0;
}

static int cw_nl_policy_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, CW_A_POLICY_RULES)) {
		NL_SET_ERR_MSG_MOD(info->extack, "the commit must say how many rules were sent");
		cw_policy_abort(genl_info_net(info), info->snd_portid, NULL);
		return -EINVAL;
	}
	ret = cw_policy_commit(genl_info_net(info), info->snd_portid,
			       nla_get_u32(info->attrs[CW_A_POLICY_RULES]), info->extack);
	if (ret < 0)
		return ret;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &cw_genl_family, 0, CW_CMD_POLICY_COMMIT);
	if (!hdr || nla_put_u32(msg, CW_A_POLICY_GENERATION, ret)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int cw_nl_policy_abort(struct sk_buff *skb, struct genl_info *info)
{
	return cw_policy_abort(genl_info_net(info), info->snd_portid, info->extack);
}

static int put_rule(struct sk_buff *skb, struct netlink_callback *cb,
		    const struct cw_rule *rule, u8 cmd)
{
	struct nlattr *nest;
	void *hdr;

	hdr = dump_header(skb, cb, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CW_A_RULE);
	if (!nest ||
	    nla_put_u32(skb, CW_RULE_A_ID, rule->id) ||
	    nla_put_u32(skb, CW_RULE_A_FROM, rule->from) ||
	    nla_put_u32(skb, CW_RULE_A_TO, rule->to) ||
	    nla_put_u8(skb, CW_RULE_A_PROTO, rule->proto) ||
	    nla_put_u16(skb, CW_RULE_A_PORT_MIN, rule->port_min) ||
	    nla_put_u16(skb, CW_RULE_A_PORT_MAX, rule->port_max) ||
	    nla_put_u8(skb, CW_RULE_A_ACTION, rule->action) ||
	    (rule->learned && nla_put_flag(skb, CW_RULE_A_LEARNED)) ||
	    (rule->apps && nla_put_u64_64bit(skb, CW_RULE_A_APPS, rule->apps, CW_RULE_A_PAD))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static int fill_rule(struct sk_buff *skb, struct netlink_callback *cb,
		     const struct cw_rule *rule)
{
	return put_rule(skb, cb, rule, CW_CMD_POLICY_GET);
}

static int fill_learned(struct sk_buff *skb, struct netlink_callback *cb,
			const struct cw_rule *rule)
{
	return put_rule(skb, cb, rule, CW_CMD_LEARNED_GET);
}

static int cw_nl_policy_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return cw_policy_dump(skb, cb, fill_rule);
}

static int cw_nl_learned_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return cw_learned_dump(skb, cb, fill_learned);
}

/* The tuple, ends and verdict of a flow: in flow dumps and in events. */
static int put_flow(struct sk_buff *skb, const struct cw_flow *flow)
{
	const struct cw_flow_key *key = &flow->key;
	int len = key->family == NFPROTO_IPV4 ? 4 : 16;

	if (nla_put_u8(skb, CW_FLOW_A_HOOK, flow->hook) ||
	    nla_put_u8(skb, CW_FLOW_A_FAMILY, key->family) ||
	    nla_put_u8(skb, CW_FLOW_A_PROTO, key->proto) ||
	    nla_put(skb, CW_FLOW_A_SRC, len, &key->src) ||
	    nla_put(skb, CW_FLOW_A_DST, len, &key->dst) ||
	    nla_put_u16(skb, CW_FLOW_A_SPORT, ntohs(key->sport)) ||
	    nla_put_u16(skb, CW_FLOW_A_DPORT, ntohs(key->dport)) ||
	    nla_put_u32(skb, CW_FLOW_A_FROM_WORKLOAD, flow->from_workload) ||
	    nla_put_u32(skb, CW_FLOW_A_TO_WORKLOAD, flow->to_workload) ||
	    nla_put_u32(skb, CW_FLOW_A_FROM_GROUP, flow->from_group) ||
	    nla_put_u32(skb, CW_FLOW_A_TO_GROUP, flow->to_group) ||
	    nla_put_u8(skb, CW_FLOW_A_STATE, READ_ONCE(flow->state)) ||
	    nla_put_u8(skb, CW_FLOW_A_VERDICT, READ_ONCE(flow->verdict)) ||
	    nla_put_u8(skb, CW_FLOW_A_MODE, flow->mode) ||
	    nla_put_u32(skb, CW_FLOW_A_RULE, flow->rule))
		return -EMSGSIZE;
	return 0;
}

/* What identification found about a flow. */
static int put_app(struct sk_buff *skb, const struct cw_flow_app *app)
{
	if (nla_put_u8(skb, CW_FLOW_A_DPI, app->dpi) ||
	    nla_put_u8(skb, CW_FLOW_A_APP, app->app) ||
	    (app->info.name[0] && nla_put_string(skb, CW_FLOW_A_APP_ATTR, app->info.name)) ||
	    (app->info.detail[0] &&
	     nla_put_string(skb, CW_FLOW_A_APP_DETAIL, app->info.detail)) ||
	    (app->mismatch && nla_put_flag(skb, CW_FLOW_A_APP_MISMATCH)))
		return -EMSGSIZE;
	return 0;
}

static int fill_flow(struct sk_buff *skb, struct netlink_callback *cb,
		     struct cw_flow *flow)
{
	struct nlattr *nest;
	struct cw_flow_app app;
	void *hdr;

	cw_flow_app(flow, &app);
	hdr = dump_header(skb, cb, CW_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CW_A_FLOW);
	if (!nest ||
	    nla_put_u64_64bit(skb, CW_FLOW_A_NETNS_COOKIE, cb->args[3], CW_FLOW_A_PAD) ||
	    put_flow(skb, flow) || put_app(skb, &app) ||
	    nla_put_u64_64bit(skb, CW_FLOW_A_PACKETS_ORIG,
			      atomic64_read(&flow->packets[0]), CW_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, CW_FLOW_A_BYTES_ORIG,
			      atomic64_read(&flow->bytes[0]), CW_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, CW_FLOW_A_PACKETS_REPLY,
			      atomic64_read(&flow->packets[1]), CW_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, CW_FLOW_A_BYTES_REPLY,
			      atomic64_read(&flow->bytes[1]), CW_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, CW_FLOW_A_AGE_MS,
			      jiffies_to_msecs(jiffies - flow->created), CW_FLOW_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* Every netns: cb->args[0] is the next one, [1] and [2] the flow table's. */
static int cw_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net;
	long idx = 0;

	rcu_read_lock();
	for_each_net_rcu(net) {
		if (idx++ < cb->args[0])
			continue;
		cb->args[3] = net->net_cookie;
		if (cw_flow_dump(&cw_net(net)->flows, skb, cb, fill_flow))
			break;
		cb->args[0] = idx;
	}
	rcu_read_unlock();
	return skb->len;
}

bool cw_nl_event_listeners(void)
{
	return genl_has_listeners(&cw_genl_family, &init_net, 0);
}

void cw_nl_event_send(const struct cw_event *ev)
{
	struct cw_flow flow = {
		.key = ev->key,
		.from_workload = ev->from_workload,
		.to_workload = ev->to_workload,
		.from_group = ev->from_group,
		.to_group = ev->to_group,
		.rule = ev->rule,
		.verdict = ev->verdict,
		.mode = ev->mode,
		.hook = ev->hook,
	};
	struct nlattr *nest, *tuple;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &cw_genl_family, 0, CW_CMD_EVENT);
	if (!hdr)
		goto err;
	nest = nla_nest_start(msg, CW_A_EVENT);
	if (!nest ||
	    nla_put_u8(msg, CW_EVENT_A_TYPE, ev->type) ||
	    nla_put_u64_64bit(msg, CW_EVENT_A_TIME_NS, ev->time_ns, CW_EVENT_A_PAD))
		goto err;
	if (ev->type == CW_EVENT_LOST) {
		if (nla_put_u64_64bit(msg, CW_EVENT_A_LOST, ev->lost, CW_EVENT_A_PAD))
			goto err;
	} else {
		tuple = nla_nest_start(msg, CW_EVENT_A_FLOW);
		if (!tuple ||
		    nla_put_u64_64bit(msg, CW_FLOW_A_NETNS_COOKIE, ev->netns_cookie,
				      CW_FLOW_A_PAD) ||
		    put_flow(msg, &flow) || put_app(msg, &ev->app))
			goto err;
		nla_nest_end(msg, tuple);
		if ((ev->pid && (nla_put_u32(msg, CW_EVENT_A_PID, ev->pid) ||
				 nla_put_string(msg, CW_EVENT_A_COMM, ev->comm))) ||
		    nla_put_u32(msg, CW_EVENT_A_SUPPRESSED, ev->suppressed))
			goto err;
		if (ev->type == CW_EVENT_THREAT &&
		    (nla_put_u8(msg, CW_EVENT_A_THREAT, ev->threat) ||
		     nla_put_u8(msg, CW_EVENT_A_SEVERITY, ev->severity) ||
		     (ev->packet_len && nla_put(msg, CW_EVENT_A_PACKET, ev->packet_len, ev->packet))))
			goto err;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&cw_genl_family, msg, 0, 0, GFP_KERNEL);
	return;
err:
	nlmsg_free(msg);
}

#define CW_OP(command, handler, attr_policy) {	\
	.cmd = command,				\
	.doit = handler,			\
	.policy = attr_policy,			\
	.maxattr = CW_A_MAX,			\
	.flags = GENL_ADMIN_PERM,		\
}

#define CW_DUMP_OP(command, handler) {		\
	.cmd = command,				\
	.dumpit = handler,			\
	.policy = cw_empty_policy,		\
	.maxattr = CW_A_MAX,			\
	.flags = GENL_ADMIN_PERM,		\
}

static const struct genl_ops cw_genl_ops[] = {
	CW_OP(CW_CMD_STATUS, cw_nl_status, cw_empty_policy),
	CW_OP(CW_CMD_GROUP_SET, cw_nl_group_set, cw_group_cmd_policy),
	CW_OP(CW_CMD_GROUP_DEL, cw_nl_group_del, cw_group_cmd_policy),
	CW_DUMP_OP(CW_CMD_GROUP_GET, cw_nl_group_dump),
	CW_OP(CW_CMD_WORKLOAD_SET, cw_nl_workload_set, cw_workload_cmd_policy),
	CW_OP(CW_CMD_WORKLOAD_DEL, cw_nl_workload_del, cw_workload_cmd_policy),
	CW_DUMP_OP(CW_CMD_WORKLOAD_GET, cw_nl_workload_dump),
	CW_OP(CW_CMD_ADDR_SET, cw_nl_addr_set, cw_addr_cmd_policy),
	CW_OP(CW_CMD_ADDR_DEL, cw_nl_addr_del, cw_addr_cmd_policy),
	CW_DUMP_OP(CW_CMD_ADDR_GET, cw_nl_addr_dump),
	CW_OP(CW_CMD_POLICY_BEGIN, cw_nl_policy_begin, cw_empty_policy),
	CW_OP(CW_CMD_POLICY_RULES, cw_nl_policy_rules, cw_rules_cmd_policy),
	CW_OP(CW_CMD_POLICY_COMMIT, cw_nl_policy_commit, cw_commit_cmd_policy),
	CW_OP(CW_CMD_POLICY_ABORT, cw_nl_policy_abort, cw_empty_policy),
	CW_DUMP_OP(CW_CMD_POLICY_GET, cw_nl_policy_dump),
	CW_DUMP_OP(CW_CMD_LEARNED_GET, cw_nl_learned_dump),
	CW_DUMP_OP(CW_CMD_FLOW_GET, cw_nl_flow_dump),
	CW_OP(CW_CMD_DOMAIN_SET, cw_nl_domain, cw_domain_cmd_policy),
	CW_OP(CW_CMD_DOMAIN_DEL, cw_nl_domain, cw_domain_cmd_policy),
	CW_DUMP_OP(CW_CMD_DOMAIN_GET, cw_nl_domain_dump),
	CW_OP(CW_CMD_THREAT_SET, cw_nl_threat_set, cw_threat_cmd_policy),
	CW_DUMP_OP(CW_CMD_THREAT_GET, cw_nl_threat_dump),
};

static struct genl_family cw_genl_family __ro_after_init = {
	.name = CW_GENL_NAME,
	.version = CW_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.ops = cw_genl_ops,
	.n_ops = ARRAY_SIZE(cw_genl_ops),
	/* Every command gets strict attribute validation. */
	.resv_start_op = CW_CMD_STATUS,
	.mcgrps = cw_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(cw_genl_mcgrps),
};

int __init cw_genl_init(void)
{
	return genl_register_family(&cw_genl_family);
}

void cw_genl_uninit(void)
{
	genl_unregister_family(&cw_genl_family);
}
