/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differences between the kernel series cellwall is built and tested
 * for (Debian 12's 6.1 and the 6.12 of its security archive), in one
 * place: the code is written to the newer API, and this maps it to the
 * older one.
 */
#ifndef _CW_COMPAT_H
#define _CW_COMPAT_H

#include <linux/version.h>
#include <net/net_namespace.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
/* Before 6.5 the table's length is found by its empty last entry. */
#define register_net_sysctl_sz(net, path, table, size) \
	register_net_sysctl(net, path, table)
#endif

#endif /* _CW_COMPAT_H */
