// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created for every netns that exists when the
 * module loads and for every one created later.
 */

#include "netns.h"
#include "hooks.h"
#include "sysctl.h"
#include "workload.h"

#include <linux/percpu.h>
#include <linux/rculist.h>

unsigned int cw_net_id __read_mostly;

/* Adds this netns's counters to @sum. */
void cw_stats_read(const struct cw_net *cn, struct cw_stats *sum)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct cw_pcpu_stats *stats = per_cpu_ptr(cn->stats, cpu);
		u64 packets[CW_DIR_COUNT], bytes[CW_DIR_COUNT];
		unsigned int start, dir;

		do {
			start = u64_stats_fetch_begin(&stats->syncp);
			for (dir = 0; dir < CW_DIR_COUNT; dir++) {
				packets[dir] = u64_stats_read(&stats->packets[dir]);
				bytes[dir] = u64_stats_read(&stats->bytes[dir]);
			}
		} while (u64_stats_fetch_retry(&stats->syncp, start));

		for (dir = 0; dir < CW_DIR_COUNT; dir++) {
			sum->packets[dir] += packets[dir];
			sum->bytes[dir] += bytes[dir];
		}
	}
}

void cw_stats_read_all(struct cw_stats *sum, u32 *netns_count)
{
	struct net *net;

	*netns_count = 0;
	/*
	 * A netns leaves this list before its pernet exit runs, and the exit
	 * waits for an RCU grace period, so its counters stay valid here.
	 */
	rcu_read_lock();
	for_each_net_rcu(net) {
		cw_stats_read(cw_net(net), sum);
		(*netns_count)++;
	}
	rcu_read_unlock();
}

static int __net_init cw_net_init(struct net *net)
{
	struct cw_net *cn = cw_net(net);
	int cpu, ret;

	cn->stats = alloc_percpu(struct cw_pcpu_stats);
	if (!cn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(cn->stats, cpu)->syncp);

	ret = cw_sysctl_net_init(net, cn);
	if (ret)
		goto err_stats;

	ret = cw_flow_table_init(&cn->flows);
	if (ret)
		goto err_sysctl;

	/* Last: the hooks count into the state set up above. */
	ret = cw_hooks_register(net);
	if (ret)
		goto err_flows;
	return 0;

err_flows:
	cw_flow_table_destroy(&cn->flows);
err_sysctl:
	cw_sysctl_net_exit(cn);
err_stats:
	free_percpu(cn->stats);
	return ret;
}

/*
 * The hooks go in pre_exit: the core waits for an RCU grace period between
 * pre_exit and exit, so no packet still runs our hooks when exit frees.
 */
static void __net_exit cw_net_pre_exit(struct net *net)
{
	cw_hooks_unregister(net);
}

static void __net_exit cw_net_exit(struct net *net)
{
	struct cw_net *cn = cw_net(net);

	cw_workload_netns_exit(net);
	cw_flow_table_destroy(&cn->flows);
	cw_sysctl_net_exit(cn);
	free_percpu(cn->stats);
}

static struct pernet_operations cw_net_ops = {
	.init = cw_net_init,
	.pre_exit = cw_net_pre_exit,
	.exit = cw_net_exit,
	.id = &cw_net_id,
	.size = sizeof(struct cw_net),
};

int __init cw_netns_init(void)
{
	return register_pernet_subsys(&cw_net_ops);
}

void cw_netns_uninit(void)
{
	unregister_pernet_subsys(&cw_net_ops);
}

#ifdef CW_DEBUG
#include "selftest/counters.c"
#endif
