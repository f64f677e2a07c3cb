// SPDX-License-Identifier: GPL-2.0
/* net.cellwall.* sysctls. */

#include "sysctl.h"
#include "netns.h"

#include <linux/slab.h>
#include <linux/sysctl.h>

int cw_enabled __read_mostly = 1;

static struct ctl_table cw_sysctl_table[] = {
	{
		.procname = "enabled",
		.data = &cw_enabled,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = SYSCTL_ONE,
	},
	{ }
};

int cw_sysctl_net_init(struct net *net, struct cw_net *cn)
{
	struct ctl_table *table = cw_sysctl_table;
	unsigned int i;

	/*
	 * The knobs are host-wide: a container may read them but only the
	 * host (init_net) may change them.
	 */
	if (!net_eq(net, &init_net)) {
		table = kmemdup(cw_sysctl_table, sizeof(cw_sysctl_table),
				GFP_KERNEL);
		if (!table)
			return -ENOMEM;
		for (i = 0; i < ARRAY_SIZE(cw_sysctl_table) - 1; i++)
			table[i].mode &= ~0222;
	}

	cn->sysctl_header = register_net_sysctl(net, "net/cellwall", table);
	if (!cn->sysctl_header) {
		if (table != cw_sysctl_table)
			kfree(table);
		return -ENOMEM;
	}
	return 0;
}

void cw_sysctl_net_exit(struct cw_net *cn)
{
	struct ctl_table *table = cn->sysctl_header->ctl_table_arg;

	unregister_net_sysctl_table(cn->sysctl_header);
	if (table != cw_sysctl_table)
		kfree(table);
}
