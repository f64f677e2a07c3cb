/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * cellwall: the generic netlink ABI between the kernel module and userland.
 *
 * Family name CW_GENL_NAME, version CW_GENL_VERSION. Every command needs
 * CAP_NET_ADMIN: those that change state, and those that show it, because
 * they show every container on the host.
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
 * CW_CMD_GROUP_SET
 * ----------------
 * Adds a group, or changes the name or mode of an existing one.
 *
 *    CW_A_GROUP: NLA_NESTED
 *        CW_GROUP_A_ID: NLA_U32, required
 *        CW_GROUP_A_NAME: NLA_NUL_STRING, [A-Za-z0-9_.-], at most
 *            CW_NAME_MAX - 1 bytes, unique; required for a new group
 *        CW_GROUP_A_MODE: NLA_U8, enum cw_mode; required for a new group
 *
 * Ids below CW_GROUP_FIRST_USER are the kernel's: CW_GROUP_HOST (the host's
 * own processes; only its mode may change) and CW_GROUP_EXTERNAL (every
 * address that belongs to no workload; it has no mode).
 *
 * CW_CMD_GROUP_DEL
 * ----------------
 *    CW_A_GROUP: NLA_NESTED
 *        CW_GROUP_A_ID: NLA_U32, required; the kernel's groups stay
 *
 * CW_CMD_GROUP_GET
 * ----------------
 * A dump (NLM_F_DUMP) without attributes; one message per group:
 *
 *    CW_A_GROUP: NLA_NESTED
 *        CW_GROUP_A_ID: NLA_U32
 *        CW_GROUP_A_NAME: NLA_NUL_STRING
 *        CW_GROUP_A_MODE: NLA_U8 (CW_MODE_NONE for CW_GROUP_EXTERNAL)
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

#define CW_NAME_MAX 64

enum cw_mode {
	CW_MODE_NONE,
	CW_MODE_DISCOVER,
	CW_MODE_MONITOR,
	CW_MODE_PROTECT,
	__CW_MODE_MAX
};
#define CW_MODE_MAX (__CW_MODE_MAX - 1)

#define CW_GROUP_HOST 1
#define CW_GROUP_EXTERNAL 2
#define CW_GROUP_FIRST_USER 16

enum cw_cmd {
	CW_CMD_UNSPEC,
	CW_CMD_STATUS,
	CW_CMD_GROUP_SET,
	CW_CMD_GROUP_DEL,
	CW_CMD_GROUP_GET,
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
	CW_A_GROUP,
	__CW_A_LAST
};
#define CW_A_MAX (__CW_A_LAST - 1)

enum cw_group_attr {
	CW_GROUP_A_UNSPEC,
	CW_GROUP_A_ID,
	CW_GROUP_A_NAME,
	CW_GROUP_A_MODE,
	__CW_GROUP_A_LAST
};
#define CW_GROUP_A_MAX (__CW_GROUP_A_LAST - 1)

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
