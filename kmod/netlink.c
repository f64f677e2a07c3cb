// SPDX-License-Identifier: GPL-2.0
/* The "cellwall" generic netlink family (ABI: uapi/cellwall.h). */

#include "netlink.h"
#include "netns.h"
#include "sysctl.h"
#include "uapi/cellwall.h"

#include <net/genetlink.h>

/* STATUS takes no attributes: strict validation refuses any. */
static const struct nla_policy cw_status_policy[CW_A_MAX + 1] = {
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

static const struct genl_ops cw_genl_ops[] = {
	{
		.cmd = CW_CMD_STATUS,
		.doit = cw_nl_status,
		.policy = cw_status_policy,
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
