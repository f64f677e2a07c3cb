/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_DOMAIN_H
#define _CW_DOMAIN_H

#include "flow.h"

#include <linux/netlink.h>
#include <linux/types.h>

struct sk_buff;
struct netlink_callback;

/*
 * Domain names of address groups: "api.example.com" (that name) or
 * "*.example.com" (any name below example.com, not example.com itself).
 * A connection's remote end belongs to the group of a domain when the
 * workload's own DNS answers gave its address for a name of the domain
 * (snooped here, kept until their TTL runs out), or when the connection
 * names one itself: TLS SNI, HTTP Host.
 */

/* Process context, under cw_config_mutex. */
int cw_domain_set(const char *name, u32 group, struct netlink_ext_ack *extack);
int cw_domain_del(const char *name, struct netlink_ext_ack *extack);
void cw_domain_forget_group(u32 group);
/* Dumps "name" and group of each entry; cb->args[0] is the next bucket. */
int cw_domain_dump(struct sk_buff *skb, struct netlink_callback *cb,
		   int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
			       const char *name, u32 group));

/* RCU, any context. Whether any domain is listed at all. */
bool cw_domains_any(void);
/* The group of a lowercase name (exact entry first, else the longest
 * wildcard), 0 if none. */
u32 cw_domain_group(const char *name, unsigned int len);

/*
 * Any context: the answers of a DNS response that @workload received on
 * @flow (a UDP flow it started), for names of listed domains, go to the
 * cache, keyed by workload and address.
 */
void cw_dns_snoop(struct cw_flow *flow, const struct sk_buff *skb,
		  const struct cw_packet *pkt);
/* The group @workload's DNS answers gave @addr, 0 if none (or expired). */
u32 cw_dns_cache_lookup(u32 workload, u8 family, const union nf_inet_addr *addr);

int cw_domain_init(void);
void cw_domain_uninit(void);

#endif /* _CW_DOMAIN_H */
