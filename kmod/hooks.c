// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks: IPv4 and IPv6, local in, local out and forward, in
 * every network namespace.
 */

#include "hooks.h"
#include "netns.h"
#include "sysctl.h"

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>

/*
 * After defragmentation and conntrack, just before the filter tables: we
 * see whole datagrams and judge before any iptables/nftables filter rule.
 */
#define CW_HOOK_PRIORITY (NF_IP_PRI_FILTER - 1)

static enum cw_dir hook_dir(unsigned int hook)
{
	switch (hook) {
	case NF_INET_LOCAL_IN:
		return CW_DIR_IN;
	case NF_INET_LOCAL_OUT:
		return CW_DIR_OUT;
	default:
		return CW_DIR_FWD;
	}
}

static unsigned int cw_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	if (!cw_sysctl_enabled())
		return NF_ACCEPT;

	cw_stats_count(cw_net(state->net), hook_dir(state->hook), skb->len);
	return NF_ACCEPT;
}

#define CW_HOOK(family, point) {		\
	.hook = cw_hook,			\
	.pf = family,				\
	.hooknum = point,			\
	.priority = CW_HOOK_PRIORITY,		\
}

static const struct nf_hook_ops cw_hook_ops[] = {
	CW_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN),
	CW_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_OUT),
	CW_HOOK(NFPROTO_IPV4, NF_INET_FORWARD),
	CW_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_IN),
	CW_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT),
	CW_HOOK(NFPROTO_IPV6, NF_INET_FORWARD),
};

int cw_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, cw_hook_ops, ARRAY_SIZE(cw_hook_ops));
}

void cw_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, cw_hook_ops, ARRAY_SIZE(cw_hook_ops));
}
