/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_NETNS_H
#define _CW_NETNS_H

#include "detect.h"
#include "flow.h"

#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

enum cw_dir {
	CW_DIR_IN,
	CW_DIR_OUT,
	CW_DIR_FWD,
	CW_DIR_COUNT
};

struct cw_pcpu_stats {
	u64_stats_t packets[CW_DIR_COUNT];
	u64_stats_t bytes[CW_DIR_COUNT];
	struct u64_stats_sync syncp;
};

struct cw_stats {
	u64 packets[CW_DIR_COUNT];
	u64 bytes[CW_DIR_COUNT];
};

/* Everything cellwall keeps per network namespace. */
struct cw_net {
	struct cw_pcpu_stats __percpu *stats;
	struct ctl_table_header *sysctl_header;
	u32 owner;		/* id of the workload that lives here, 0: none */
	struct cw_flow_table flows;
	struct cw_meter meters[CW_METER_COUNT];	/* floods aimed at this netns */
};

extern unsigned int cw_net_id;

static inline struct cw_net *cw_net(const struct net *net)
{
	return net_generic(net, cw_net_id);
}

static inline void cw_stats_count(struct cw_net *cn, enum cw_dir dir,
				  unsigned int len)
{
	struct cw_pcpu_stats *stats = get_cpu_ptr(cn->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->packets[dir]);
	u64_stats_add(&stats->bytes[dir], len);
	u64_stats_update_end(&stats->syncp);
	put_cpu_ptr(cn->stats);
}

void cw_stats_read(const struct cw_net *cn, struct cw_stats *sum);
void cw_stats_read_all(struct cw_stats *sum, u32 *netns_count);

#ifdef CW_DEBUG
bool cw_counters_selftest(void);
#endif

int cw_netns_init(void);
void cw_netns_uninit(void);

#endif /* _CW_NETNS_H */
