// SPDX-License-Identifier: GPL-2.0
/* net.cellwall.* sysctls. */

#include "sysctl.h"
#include "compat.h"
#include "netns.h"
#include "uapi/cellwall.h"

#include <linux/slab.h>
#include <linux/sysctl.h>

int cw_enabled __read_mostly = 1;
/* An unregistered container learns: nothing breaks before the daemon runs. */
int cw_default_mode __read_mostly = CW_MODE_DISCOVER;
int cw_max_flows __read_mostly = 65536;
int cw_fail_open __read_mostly = 1;
int cw_event_rate __read_mostly = 100;
/* Enough for the first request and its answer; 0 turns DPI off. */
int cw_dpi_max_bytes __read_mostly = 4096;
int cw_threat_max_bytes __read_mostly = 65536;
int cw_timeouts[CW_TIMEOUT_COUNT] __read_mostly = {
	[CW_TIMEOUT_TCP_SYN] = 60,
	[CW_TIMEOUT_TCP_ESTABLISHED] = 7200,
	[CW_TIMEOUT_TCP_FIN] = 60,
	[CW_TIMEOUT_TCP_CLOSE] = 10,
	[CW_TIMEOUT_UDP] = 60,
	[CW_TIMEOUT_ICMP] = 30,
	[CW_TIMEOUT_OTHER] = 120,
};

static int mode_min = CW_MODE_DISCOVER, mode_max = CW_MODE_MAX;
static int flows_max = 1 << 24;
static int timeout_max = 30 * 24 * 3600;
static int dpi_bytes_max = 65535;

#define CW_TIMEOUT_SYSCTL(name, which) {		\
	.procname = name,				\
	.data = &cw_timeouts[which],			\
	.maxlen = sizeof(int),				\
	.mode = 0644,					\
	.proc_handler = proc_dointvec_minmax,		\
	.extra1 = SYSCTL_ONE,				\
	.extra2 = &timeout_max,				\
}

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
	{
		.procname = "default_mode",
		.data = &cw_default_mode,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &mode_min,
		.extra2 = &mode_max,
	},
	{
		.procname = "max_flows",
		.data = &cw_max_flows,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ONE,
		.extra2 = &flows_max,
	},
	{
		.procname = "fail_open",
		.data = &cw_fail_open,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = SYSCTL_ONE,
	},
	{
		.procname = "event_rate",
		.data = &cw_event_rate,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ONE,
		.extra2 = SYSCTL_INT_MAX,
	},
	{
		.procname = "dpi_max_bytes",
		.data = &cw_dpi_max_bytes,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &dpi_bytes_max,
	},
	{
		.procname = "threat_max_bytes",
		.data = &cw_threat_max_bytes,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = SYSCTL_INT_MAX,
	},
	CW_TIMEOUT_SYSCTL("timeout_tcp_syn", CW_TIMEOUT_TCP_SYN),
	CW_TIMEOUT_SYSCTL("timeout_tcp_established", CW_TIMEOUT_TCP_ESTABLISHED),
	CW_TIMEOUT_SYSCTL("timeout_tcp_fin", CW_TIMEOUT_TCP_FIN),
	CW_TIMEOUT_SYSCTL("timeout_tcp_close", CW_TIMEOUT_TCP_CLOSE),
	CW_TIMEOUT_SYSCTL("timeout_udp", CW_TIMEOUT_UDP),
	CW_TIMEOUT_SYSCTL("timeout_icmp", CW_TIMEOUT_ICMP),
	CW_TIMEOUT_SYSCTL("timeout_other", CW_TIMEOUT_OTHER),
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

	/* Without the empty last entry, which only 6.1 needs. */
	cn->sysctl_header = register_net_sysctl_sz(net, "net/cellwall", table,
						   ARRAY_SIZE(cw_sysctl_table) - 1);
	if (!cn->sysctl_header) {
		if (table != cw_sysctl_table)
			kfree(table);
		return -ENOMEM;
	}
	return 0;
}

void cw_sysctl_net_exit(struct cw_net *cn)
{
	const struct ctl_table *table = cn->sysctl_header->ctl_table_arg;

	unregister_net_sysctl_table(cn->sysctl_header);
	if (table != cw_sysctl_table)
		kfree(table);
}
