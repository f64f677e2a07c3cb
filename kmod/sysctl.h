/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_SYSCTL_H
#define _CW_SYSCTL_H

#include <linux/compiler.h>
#include <linux/types.h>

struct net;
struct cw_net;

/*
 * Global knobs: writable in init_net, read-only in every other netns.
 * Readers use READ_ONCE(): a write may land at any time.
 */
extern int cw_enabled;
extern int cw_default_mode;	/* enum cw_mode of unregistered containers */
extern int cw_max_flows;	/* per netns */
extern int cw_fail_open;	/* table full: 1 pass untracked, 0 drop */
extern int cw_event_rate;	/* events per second per type and workload */
extern int cw_dpi_max_bytes;	/* payload inspected per flow; 0: no DPI */
extern int cw_threat_max_bytes;	/* payload checked for threats, per direction */

/* Flow timeouts, in seconds. */
enum cw_timeout {
	CW_TIMEOUT_TCP_SYN,
	CW_TIMEOUT_TCP_ESTABLISHED,
	CW_TIMEOUT_TCP_FIN,
	CW_TIMEOUT_TCP_CLOSE,
	CW_TIMEOUT_UDP,
	CW_TIMEOUT_ICMP,
	CW_TIMEOUT_OTHER,
	CW_TIMEOUT_COUNT
};
extern int cw_timeouts[CW_TIMEOUT_COUNT];

static inline bool cw_sysctl_enabled(void)
{
	return READ_ONCE(cw_enabled);
}

int cw_sysctl_net_init(struct net *net, struct cw_net *cn);
void cw_sysctl_net_exit(struct cw_net *cn);

#endif /* _CW_SYSCTL_H */
