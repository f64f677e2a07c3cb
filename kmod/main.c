// SPDX-License-Identifier: GPL-2.0
/*
 * cellwall: a micro-perimeter around every container.
 */

#include "addr.h"
#include "detect.h"
#include "domain.h"
#include "event.h"
#include "flow.h"
#include "group.h"
#include "netlink.h"
#include "netns.h"
#include "policy.h"
#include "workload.h"
#include "uapi/cellwall.h"

#include <linux/module.h>
#include <net/genetlink.h>

#ifdef CW_PLANTED_BUG
void cw_planted_bug(void);
#endif

static int __init cw_mod_init(void)
{
	int ret;

#ifdef CW_DEBUG
	if (!cw_counters_selftest())
		return -ENOTRECOVERABLE;
#endif

	ret = cw_flow_init();
	if (ret)
		goto err_flow;

	ret = cw_groups_init();
	if (ret)
		goto err_groups;

	ret = cw_policy_init();
	if (ret)
		goto err_policy;

#ifdef CW_DEBUG
	/* The policy self-test names the kernel's groups. */
	if (!cw_flow_selftest() || !cw_policy_selftest()) {
		ret = -ENOTRECOVERABLE;
		goto err_events;
	}
#endif

	ret = cw_events_init();
	if (ret)
		goto err_events;

	ret = cw_detect_init();
	if (ret)
		goto err_detect;

	ret = cw_netns_init();
	if (ret)
		goto err_netns;

	/* After the per-netns state: the address notifiers read it. */
	ret = cw_addr_init();
	if (ret)
		goto err_addr;

	ret = cw_domain_init();
	if (ret)
		goto err_domain;

	/* Last: userland may talk to us as soon as the family exists. */
	ret = cw_genl_init();
	if (ret)
		goto err_genl;

	pr_info("cellwall %s loaded\n", CW_VERSION);
#ifdef CW_PLANTED_BUG
	cw_planted_bug();	/* tests/debug: the debug run must catch it */
#endif
	return 0;

err_genl:
	cw_domain_uninit();
err_domain:
	cw_addr_uninit();
err_addr:
	cw_netns_uninit();
err_netns:
	cw_detect_uninit();
err_detect:
	cw_events_uninit();
err_events:
	cw_policy_uninit();
err_policy:
	cw_groups_uninit();
err_groups:
	cw_flow_uninit();
err_flow:
	return ret;
}

static void __exit cw_mod_exit(void)
{
	cw_events_stop();
	cw_genl_uninit();
	cw_domain_uninit();
	cw_addr_uninit();
	cw_netns_uninit();
	cw_detect_uninit();
	cw_events_uninit();
	cw_workloads_uninit();
	cw_policy_uninit();
	cw_groups_uninit();
	cw_flow_uninit();
	pr_info("cellwall %s unloaded\n", CW_VERSION);
}

module_init(cw_mod_init);
module_exit(cw_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("cellwall container firewall");
MODULE_VERSION(CW_VERSION);
MODULE_ALIAS_GENL_FAMILY(CW_GENL_NAME);
