/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * cellwall: the generic netlink ABI between the kernel module and userland.
 *
 * Family name CW_GENL_NAME, version CW_GENL_VERSION. Every command that
 * changes state needs CAP_NET_ADMIN; so does STATUS, because it shows the
 * counters of every network namespace on the host.
 *
 * CW_CMD_STATUS
 * -------------
 * Request: no attributes.
 * Reply:
 *
 *    CW_A_VERSION: NLA_NUL_STRING, module version
 *    CW_A_ENABLED: NLA_U8, 0 or 1 (sysctl net.cellwall.enabled)
 *    CW_A_NETNS_COUNT: NLA_U32, network namespaces the module hooks
 *    CW_A_STATS_NETNS: NLA_NESTED, counters of the caller's netns
 *        CW_STATS_A_IN_PACKETS: NLA_U64
 *        CW_STATS_A_IN_BYTES: NLA_U64
 *        CW_STATS_A_OUT_PACKETS: NLA_U64
 *        CW_STATS_A_OUT_BYTES: NLA_U64
 *        CW_STATS_A_FWD_PACKETS: NLA_U64
 *        CW_STATS_A_FWD_BYTES: NLA_U64
 *    CW_A_STATS_ALL: NLA_NESTED, the same counters summed over all netns
 *        (same attributes as CW_A_STATS_NETNS)
 *
 * "in" counts the local-in hooks, "out" local-out, "fwd" forward, over
 * IPv4 and IPv6 together.
 *
 * Multicast group CW_MCGRP_EVENTS carries events; their commands and
 * attributes are added to this file as the module starts to emit them.
 *
 * Numbers in this file never change once released: add at the end only.
 */

#ifndef _UAPI_CELLWALL_H
#define _UAPI_CELLWALL_H

#define CW_GENL_NAME "cellwall"
#define CW_GENL_VERSION 1
#define CW_MCGRP_EVENTS "events"

enum cw_cmd {
	CW_CMD_UNSPEC,
	CW_CMD_STATUS,
	__CW_CMD_MAX
};
#define CW_CMD_MAX (__CW_CMD_MAX - 1)

enum cw_attr {
	CW_A_UNSPEC,
	CW_A_PAD,
	CW_A_VERSION,
	CW_A_ENABLED,
	CW_A_NETNS_COUNT,
	CW_A_STATS_NETNS,
	CW_A_STATS_ALL,
	__CW_A_LAST
};
#define CW_A_MAX (__CW_A_LAST - 1)

enum cw_stats_attr {
	CW_STATS_A_UNSPEC,
	CW_STATS_A_PAD,
	CW_STATS_A_IN_PACKETS,
	CW_STATS_A_IN_BYTES,
	CW_STATS_A_OUT_PACKETS,
	CW_STATS_A_OUT_BYTES,
	CW_STATS_A_FWD_PACKETS,
	CW_STATS_A_FWD_BYTES,
	__CW_STATS_A_LAST
};
#define CW_STATS_A_MAX (__CW_STATS_A_LAST - 1)

#endif /* _UAPI_CELLWALL_H */
