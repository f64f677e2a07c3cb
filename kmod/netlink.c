// SPDX-License-Identifier: GPL-2.0
/* The "cellwall" generic netlink family (ABI: uapi/cellwall.h). */

#include "netlink.h"
#include "group.h"
#include "netns.h"
#include "sysctl.h"
#include "uapi/cellwall.h"

#include <net/genetlink.h>

static const struct nla_policy cw_group_policy[CW_GROUP_A_MAX + 1] = {
	[CW_GROUP_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[CW_GROUP_A_NAME] = { .type = NLA_NUL_STRING, .len = CW_NAME_MAX - 1 },
	[CW_GROUP_A_MODE] = NLA_POLICY_RANGE(NLA_U8, CW_MODE_DISCOVER, CW_MODE_MAX),
};

static const struct nla_policy cw_group_cmd_policy[CW_A_MAX + 1] = {
	[CW_A_GROUP] = NLA_POLICY_NESTED(cw_group_policy),
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

static int cw_nl_status(struct sk_buff *skb, struct genl_info *info)
{
	struct cw_stats netns_stats = {}, all_stats = {};
	struct sk_buff *msg;
	u32 netns_count;
	void *hdr;

	cw_stats_read(cw_net(genl_info_net(info)), &netns_stats);
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
	    put_stats(msg, CW_A_STATS_ALL, &all_stats))
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

static const struct genl_ops cw_genl_ops[] = {
	{
		.cmd = CW_CMD_STATUS,
		.doit = cw_nl_status,
		.policy = cw_empty_policy,
		.maxattr = CW_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CW_CMD_GROUP_SET,
		.doit = cw_nl_group_set,
		.policy = cw_group_cmd_policy,
		.maxattr = CW_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CW_CMD_GROUP_DEL,
		.doit = cw_nl_group_del,
		.policy = cw_group_cmd_policy,
		.maxattr = CW_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CW_CMD_GROUP_GET,
		.dumpit = cw_nl_group_dump,
		.policy = cw_empty_policy,
		.maxattr = CW_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
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
