/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CW_SYSCTL_H
#define _CW_SYSCTL_H

#include <linux/compiler.h>
#include <linux/types.h>

struct net;
struct cw_net;

/* Global knobs: writable in init_net, read-only in every other netns. */
extern int cw_enabled;

static inline bool cw_sysctl_enabled(void)
{
	return READ_ONCE(cw_enabled);
}

int cw_sysctl_net_init(struct net *net, struct cw_net *cn);
void cw_sysctl_net_exit(struct cw_net *cn);

#endif /* _CW_SYSCTL_H */
