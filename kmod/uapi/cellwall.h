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
 * STATUS also carries (added with the flow table and the policy):
 *
 *    CW_A_POLICY_GENERATION: NLA_U32, bumped by every change that can alter
 *        a verdict (policy commit, group mode, workload, address)
 *    CW_A_POLICY_RULES: NLA_U32, rules in force
 *    CW_A_FLOW_ENTRY_SIZE: NLA_U32, bytes of one flow entry
 *    CW_A_FLOW_STATS: NLA_NESTED, flow table of the caller's netns
 *        CW_FLOW_STATS_A_ACTIVE: NLA_U32
 *        CW_FLOW_STATS_A_CREATED: NLA_U64
 *        CW_FLOW_STATS_A_EVICTED: NLA_U64, unestablished flows evicted
 *            early to make room
 *        CW_FLOW_STATS_A_FULL_ACCEPTED: NLA_U64, packets passed untracked
 *            because the table was full (fail_open=1)
 *        CW_FLOW_STATS_A_FULL_DROPPED: NLA_U64, the same, dropped
 *            (fail_open=0)
 *        CW_FLOW_STATS_A_EXPIRED: NLA_U64, removed by garbage collection
 *        CW_FLOW_STATS_A_HELD: NLA_U64, TCP segments dropped because they
 *            came out of order while a verdict waited for identification
 *    CW_A_EVENTS_LOST: NLA_U64, events lost since load (ring full)
 *
 * CW_CMD_WORKLOAD_SET / CW_CMD_WORKLOAD_DEL / CW_CMD_WORKLOAD_GET (dump)
 * ---------------------------------------------------------------------
 *    CW_A_WORKLOAD: NLA_NESTED
 *        CW_WORKLOAD_A_ID: NLA_U32, >= 1, required
 *        CW_WORKLOAD_A_NAME: NLA_NUL_STRING, like a group name, unique;
 *            required for a new workload
 *        CW_WORKLOAD_A_GROUP: NLA_U32, an existing group other than
 *            external (unknown holds the containers no group selects;
 *            they are judged under default_mode); required for a new
 *            workload
 *        CW_WORKLOAD_A_CGROUP_ID: NLA_U64, cgroup v2 id (the inode number
 *            of its directory); optional, unique
 *        CW_WORKLOAD_A_NETNS_FD: NLA_S32, an open fd of the workload's
 *            network namespace (SET only); optional
 *        CW_WORKLOAD_A_NETNS_COOKIE: NLA_U64 (GET only)
 *
 * DEL needs only the id. A SET that changes nothing but the group keeps
 * the cgroup and netns. The kernel learns the addresses of a workload's
 * netns (and follows them as they change) as CW_ADDR_ORIGIN_LEARNED
 * entries.
 *
 * CW_CMD_ADDR_SET / CW_CMD_ADDR_DEL / CW_CMD_ADDR_GET (dump)
 * ----------------------------------------------------------
 * Remote ends: an address or prefix maps to a workload (a host address of
 * a workload elsewhere) or to a group (an address group: CIDR).
 *
 *    CW_A_ADDR: NLA_NESTED
 *        CW_ADDR_A_FAMILY: NLA_U8, AF_INET or AF_INET6, required
 *        CW_ADDR_A_ADDR: NLA_BINARY, 4 or 16 bytes, required
 *        CW_ADDR_A_PREFIX: NLA_U8, prefix length (default: the full
 *            address); host bits must be zero
 *        CW_ADDR_A_WORKLOAD: NLA_U32, for a full-length address
 *        CW_ADDR_A_GROUP: NLA_U32; exactly one of WORKLOAD and GROUP on SET
 *        CW_ADDR_A_ORIGIN: NLA_U8, enum cw_addr_origin (GET only)
 *
 * The longest matching prefix wins; no match is CW_GROUP_EXTERNAL. The
 * addresses of the initial netns are learned too, as CW_GROUP_HOST entries
 * (unless a workload lives there).
 *
 * Policy: CW_CMD_POLICY_BEGIN, CW_CMD_POLICY_RULES..., CW_CMD_POLICY_COMMIT
 * -----------------------------------------------------------------------
 * BEGIN opens a transaction owned by the sending socket (-EBUSY while
 * another socket holds one); RULES appends rules to it; COMMIT compiles
 * them and replaces the policy in force in one step; ABORT (or closing the
 * socket) drops it. A refused RULES or COMMIT drops the transaction and
 * leaves the policy in force untouched; the extack points
 * (NLMSGERR_ATTR_OFFS) at the bad rule's CW_RULES_A_RULE when there is one.
 *
 *    CW_A_RULES: NLA_NESTED (RULES)
 *        CW_RULES_A_RULE: NLA_NESTED, repeated
 *            CW_RULE_A_ID: NLA_U32, >= 1, required; several entries may
 *                share an id (one rule, several ports); learned rules use
 *                ids >= CW_RULE_ID_LEARNED
 *            CW_RULE_A_FROM: NLA_U32, group id, required
 *            CW_RULE_A_TO: NLA_U32, group id, required
 *            CW_RULE_A_PROTO: NLA_U8, IPPROTO_TCP, IPPROTO_UDP,
 *                IPPROTO_ICMP (ICMP and ICMPv6) or 0 (any)
 *            CW_RULE_A_PORT_MIN, CW_RULE_A_PORT_MAX: NLA_U16, destination
 *                ports, TCP and UDP only; absent: every port
 *            CW_RULE_A_ACTION: NLA_U8, enum cw_action, required
 *            CW_RULE_A_LEARNED: NLA_FLAG
 *            CW_RULE_A_APPS: NLA_U64, the applications the rule is for, bit
 *                n for enum cw_app n (bit 0, unknown, is refused); absent or
 *                0: any. An allow rule with apps lets a connection through
 *                while its application is being identified, and judges it
 *                again once it is known: another application on the same
 *                port is a violation, "application mismatch".
 *
 * COMMIT carries CW_A_POLICY_RULES (NLA_U32, required): how many rules
 * the loader sent. A RULES message the netlink core refuses (malformed
 * attributes) never reaches the transaction; the count makes the commit
 * fail then, and drop the transaction, instead of loading a partial policy.
 * COMMIT replies with CW_A_POLICY_GENERATION. POLICY_GET dumps the rules
 * in force, one CW_A_RULE (CW_RULE_A_*) per message. LEARNED_GET dumps
 * what discover mode saw that no rule covers, one CW_A_RULE each (id 0,
 * action allow, learned); a commit clears it.
 *
 * CW_CMD_DOMAIN_SET, CW_CMD_DOMAIN_DEL (CAP_NET_ADMIN), CW_CMD_DOMAIN_GET (dump)
 * -------------------------------------------------------------------------
 * Domain names of address groups, for egress rules by name:
 *    CW_A_DOMAIN: NLA_NESTED
 *        CW_DOMAIN_A_NAME: NLA_NUL_STRING, "example.com" (that name) or
 *            "*.example.com" (the names below it), required
 *        CW_DOMAIN_A_GROUP: NLA_U32, a user group; required on SET
 * A connection's remote end is in the group of a domain when the workload's
 * own DNS answers (snooped, kept until their TTL runs out) gave its address
 * for a name of the domain, or when the connection names one: TLS SNI, HTTP
 * Host (a name given that way decides, whatever the address). Only an
 * address that is otherwise external is looked up.
 *
 * CW_CMD_FLOW_GET (dump)
 * ----------------------
 * The flows of every netns, one CW_A_FLOW each:
 *
 *    CW_FLOW_A_NETNS_COOKIE: NLA_U64
 *    CW_FLOW_A_HOOK: NLA_U8, enum cw_hook_point where it was judged
 *    CW_FLOW_A_FAMILY, CW_FLOW_A_PROTO: NLA_U8
 *    CW_FLOW_A_SRC, CW_FLOW_A_DST: NLA_BINARY (4 or 16 bytes), initiator
 *        and responder
 *    CW_FLOW_A_SPORT, CW_FLOW_A_DPORT: NLA_U16 (host order; ICMP echo: the
 *        echo id in both)
 *    CW_FLOW_A_FROM_WORKLOAD, CW_FLOW_A_TO_WORKLOAD: NLA_U32, 0 if none
 *    CW_FLOW_A_FROM_GROUP, CW_FLOW_A_TO_GROUP: NLA_U32
 *    CW_FLOW_A_STATE: NLA_U8, enum cw_flow_state
 *    CW_FLOW_A_VERDICT: NLA_U8, enum cw_action
 *    CW_FLOW_A_MODE: NLA_U8, the mode it was judged under
 *    CW_FLOW_A_RULE: NLA_U32, 0 if no rule matched
 *    CW_FLOW_A_PACKETS_ORIG, CW_FLOW_A_BYTES_ORIG,
 *    CW_FLOW_A_PACKETS_REPLY, CW_FLOW_A_BYTES_REPLY: NLA_U64
 *    CW_FLOW_A_AGE_MS: NLA_U64
 *    CW_FLOW_A_DPI: NLA_U8, enum cw_dpi_state
 *    CW_FLOW_A_APP: NLA_U8, enum cw_app (CW_APP_UNKNOWN until identified)
 *    CW_FLOW_A_APP_ATTR: NLA_NUL_STRING, the application's key attribute:
 *        HTTP host, TLS SNI, DNS name, database user (absent if none)
 *    CW_FLOW_A_APP_DETAIL: NLA_NUL_STRING, e.g. "GET /path", the ALPN
 *        protocols, "db=NAME", the SSH client's banner (absent if none)
 *    CW_FLOW_A_APP_MISMATCH: NLA_FLAG, the verdict is a violation because
 *        the rule for its port allows other applications only
 *
 * CW_CMD_EVENT (multicast on CW_MCGRP_EVENTS)
 * -------------------------------------------
 *    CW_A_EVENT: NLA_NESTED
 *        CW_EVENT_A_TYPE: NLA_U8, enum cw_event_type
 *        CW_EVENT_A_TIME_NS: NLA_U64, CLOCK_REALTIME
 *        CW_EVENT_A_LOST: NLA_U64 (CW_EVENT_LOST only: events dropped
 *            since the previous LOST event)
 *        and the flow's CW_FLOW_A_* tuple, workloads, groups, hook, mode,
 *        rule and verdict (what was done), as CW_EVENT_A_FLOW: NLA_NESTED
 *        CW_EVENT_A_PID: NLA_U32, CW_EVENT_A_COMM: NLA_NUL_STRING, the
 *            local process, when known
 *        CW_EVENT_A_SUPPRESSED: NLA_U32, events of this type and source
 *            workload dropped by the rate limit since the last one sent
 *
 *        CW_EVENT_A_THREAT: NLA_U8, enum cw_threat (THREAT only)
 *        CW_EVENT_A_SEVERITY: NLA_U8, enum cw_severity (THREAT only)
 *        CW_EVENT_A_PACKET: NLA_BINARY, the first bytes (at most
 *            CW_THREAT_PACKET_BYTES) of the offending packet from its IP
 *            header (THREAT only; absent for a threat no packet carries)
 *    A THREAT event's verdict says what was done: CW_ACTION_DENY when the
 *    packet was dropped (and the connection reset), CW_ACTION_ALLOW when it
 *    passed (monitor and discover modes, or the threat's action is alert).
 *
 * CW_CMD_THREAT_SET (CAP_NET_ADMIN), CW_CMD_THREAT_GET (dump)
 * -----------------------------------------------------------
 * The threat detections, one CW_A_THREAT each on GET:
 *    CW_A_THREAT: NLA_NESTED
 *        CW_THREAT_A_ID: NLA_U8, enum cw_threat, required on SET
 *        CW_THREAT_A_NAME: NLA_NUL_STRING, "syn_flood"... (GET only)
 *        CW_THREAT_A_SEVERITY: NLA_U8, enum cw_severity (GET only)
 *        CW_THREAT_A_ACTION: NLA_U8, enum cw_threat_action
 *        CW_THREAT_A_THRESHOLD: NLA_U32, in the threat's own unit; 0 for
 *            a threat that has none (SET refuses one there)
 *        CW_THREAT_A_COUNT: NLA_U64, times detected since load (GET only)
 * SET changes the attributes it carries and leaves the others.
 *
 * Multicast group CW_MCGRP_EVENTS carries the events above.
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
/*
 * Containers nobody registered yet, and those the daemon registered but no
 * group selects; its mode is net.cellwall.default_mode.
 */
#define CW_GROUP_UNKNOWN 3
#define CW_GROUP_FIRST_USER 16

#define CW_RULE_ID_LEARNED 1000000
#define CW_POLICY_MAX_RULES 65536

enum cw_action {
	CW_ACTION_NONE,
	CW_ACTION_ALLOW,
	CW_ACTION_DENY,
	__CW_ACTION_MAX
};
#define CW_ACTION_MAX (__CW_ACTION_MAX - 1)

enum cw_hook_point {
	CW_HOOK_EGRESS,		/* local out: judged for the sender */
	CW_HOOK_INGRESS,	/* local in: judged for the receiver */
	CW_HOOK_FORWARD,	/* routed through: counted, not judged */
};

enum cw_flow_state {
	CW_FLOW_NEW,		/* first packet seen (TCP: SYN) */
	CW_FLOW_SYN_RECV,	/* TCP: SYN-ACK seen */
	CW_FLOW_ESTABLISHED,	/* TCP: handshake done; others: a reply seen */
	CW_FLOW_FIN,		/* TCP: a FIN seen */
	CW_FLOW_CLOSE,		/* TCP: RST, or FIN both ways */
};

enum cw_addr_origin {
	CW_ADDR_ORIGIN_EXPLICIT,
	CW_ADDR_ORIGIN_LEARNED,
};

enum cw_event_type {
	CW_EVENT_LEARN = 1,
	CW_EVENT_VIOLATION,
	CW_EVENT_THREAT,
	CW_EVENT_LOST,
};

/*
 * Applications, as identified by the DPI parsers (kmod/dpi/); names in
 * kmod/dpi/engine.c. Numbers are ABI: append only. Rules hold a set of
 * them as a bit mask (bit n: application n), so there are at most 64.
 */
enum cw_app {
	CW_APP_UNKNOWN,
	CW_APP_HTTP,
	CW_APP_HTTP2,
	CW_APP_GRPC,
	CW_APP_TLS,
	CW_APP_SSH,
	CW_APP_DNS,
	CW_APP_DHCP,
	CW_APP_NTP,
	CW_APP_TFTP,
	CW_APP_MYSQL,
	CW_APP_POSTGRESQL,
	CW_APP_REDIS,
	CW_APP_MEMCACHED,
	CW_APP_MONGODB,
	CW_APP_CQL,
	CW_APP_KAFKA,
	CW_APP_ZOOKEEPER,
	CW_APP_MQTT,
	CW_APP_AMQP,
	CW_APP_SMTP,
	CW_APP_FTP,
	CW_APP_LDAP,
	CW_APP_TNS,
	CW_APP_TDS,
	CW_APP_POP3,
	CW_APP_IMAP,
	CW_APP_SIP,
	CW_APP_RTSP,
	CW_APP_STUN,
	CW_APP_NATS,
	CW_APP_SMB,
	__CW_APP_LAST
};
#define CW_APP_MAX (__CW_APP_LAST - 1)

/*
 * Threat detections. Names, severities, default actions and thresholds are
 * in kmod/threat/table.c. Numbers are ABI: append only.
 */
enum cw_threat {
	CW_THREAT_NONE,
	CW_THREAT_SYN_FLOOD,
	CW_THREAT_ICMP_FLOOD,
	CW_THREAT_UDP_FLOOD,
	CW_THREAT_IP_FRAG_OVERLAP,
	CW_THREAT_PING_OF_DEATH,
	CW_THREAT_TCP_SPLIT_HANDSHAKE,
	CW_THREAT_TCP_SYN_DATA,
	CW_THREAT_TCP_SYN_FIN,
	CW_THREAT_TCP_NULL_FLAGS,
	CW_THREAT_TCP_XMAS,
	CW_THREAT_TCP_SMALL_WINDOW,
	CW_THREAT_TCP_SMALL_MSS,
	CW_THREAT_TCP_NO_CLIENT_DATA,
	CW_THREAT_PORT_SCAN,
	CW_THREAT_SESSION_LIMIT,
	CW_THREAT_SMURF,
	CW_THREAT_ICMP_TUNNEL,
	CW_THREAT_MALFORMED_HEADER,
	CW_THREAT_DNS_ZONE_TRANSFER,
	CW_THREAT_DNS_TUNNEL,
	CW_THREAT_DNS_NULL_TYPE,
	CW_THREAT_DNS_AMPLIFICATION,
	CW_THREAT_DNS_POINTER_LOOP,
	CW_THREAT_DNS_OVERSIZED_NAME,
	CW_THREAT_DNS_FLOOD,
	CW_THREAT_TLS_HEARTBLEED,
	CW_THREAT_SSL_V2,
	CW_THREAT_SSL_V3,
	CW_THREAT_TLS_OLD_VERSION,
	CW_THREAT_SSL_V2_CIPHER_OVERFLOW,
	CW_THREAT_SSH_V1,
	CW_THREAT_HTTP_SMUGGLING_CL_TE,
	CW_THREAT_HTTP_SMUGGLING_CL_CL,
	CW_THREAT_HTTP_SMUGGLING_TE,
	CW_THREAT_HTTP_BAD_CONTENT_LENGTH,
	CW_THREAT_HTTP_SLOWLORIS,
	CW_THREAT_HTTP_SQL_INJECTION,
	CW_THREAT_HTTP_SHELLSHOCK,
	CW_THREAT_HTTP_LOG4SHELL,
	CW_THREAT_HTTP_STRUTS_OGNL,
	CW_THREAT_HTTP_PATH_TRAVERSAL,
	CW_THREAT_HTTP_SPRING4SHELL,
	CW_THREAT_MYSQL_SQL_INJECTION,
	CW_THREAT_POSTGRESQL_SQL_INJECTION,
	CW_THREAT_MYSQL_AUTH_FAILURES,
	__CW_THREAT_LAST
};
#define CW_THREAT_MAX (__CW_THREAT_LAST - 1)

enum cw_severity {
	CW_SEVERITY_LOW = 1,
	CW_SEVERITY_MEDIUM,
	CW_SEVERITY_HIGH,
	CW_SEVERITY_CRITICAL,
};

/* What a detection does; the group's mode decides the rest. */
enum cw_threat_action {
	CW_THREAT_ACTION_OFF,		/* not checked */
	CW_THREAT_ACTION_ALERT,		/* an event, the packet passes */
	CW_THREAT_ACTION_BLOCK,		/* protect: dropped and reset; else alert */
	__CW_THREAT_ACTION_MAX
};
#define CW_THREAT_ACTION_MAX (__CW_THREAT_ACTION_MAX - 1)

/* Bytes of the offending packet a THREAT event carries. */
#define CW_THREAT_PACKET_BYTES 128

/* How far protocol identification went for a flow. */
enum cw_dpi_state {
	CW_DPI_STATE_IDENTIFYING,	/* no application known yet */
	CW_DPI_STATE_INSPECTING,	/* known; attributes still being read */
	CW_DPI_STATE_DONE,		/* finished (identified or given up) */
	CW_DPI_STATE_OFF,		/* not inspected (not TCP or UDP, or off) */
};

enum cw_cmd {
	CW_CMD_UNSPEC,
	CW_CMD_STATUS,
	CW_CMD_GROUP_SET,
	CW_CMD_GROUP_DEL,
	CW_CMD_GROUP_GET,
	CW_CMD_WORKLOAD_SET,
	CW_CMD_WORKLOAD_DEL,
	CW_CMD_WORKLOAD_GET,
	CW_CMD_ADDR_SET,
	CW_CMD_ADDR_DEL,
	CW_CMD_ADDR_GET,
	CW_CMD_POLICY_BEGIN,
	CW_CMD_POLICY_RULES,
	CW_CMD_POLICY_COMMIT,
	CW_CMD_POLICY_ABORT,
	CW_CMD_POLICY_GET,
	CW_CMD_LEARNED_GET,
	CW_CMD_FLOW_GET,
	CW_CMD_EVENT,
	CW_CMD_DOMAIN_SET,
	CW_CMD_DOMAIN_DEL,
	CW_CMD_DOMAIN_GET,
	CW_CMD_THREAT_SET,
	CW_CMD_THREAT_GET,
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
	CW_A_POLICY_GENERATION,
	CW_A_POLICY_RULES,
	CW_A_FLOW_ENTRY_SIZE,
	CW_A_FLOW_STATS,
	CW_A_EVENTS_LOST,
	CW_A_WORKLOAD,
	CW_A_ADDR,
	CW_A_RULES,
	CW_A_RULE,
	CW_A_FLOW,
	CW_A_EVENT,
	CW_A_DOMAIN,
	CW_A_THREAT,
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

enum cw_flow_stats_attr {
	CW_FLOW_STATS_A_UNSPEC,
	CW_FLOW_STATS_A_PAD,
	CW_FLOW_STATS_A_ACTIVE,
	CW_FLOW_STATS_A_CREATED,
	CW_FLOW_STATS_A_EVICTED,
	CW_FLOW_STATS_A_FULL_ACCEPTED,
	CW_FLOW_STATS_A_FULL_DROPPED,
	CW_FLOW_STATS_A_EXPIRED,
	CW_FLOW_STATS_A_HELD,
	__CW_FLOW_STATS_A_LAST
};
#define CW_FLOW_STATS_A_MAX (__CW_FLOW_STATS_A_LAST - 1)

enum cw_workload_attr {
	CW_WORKLOAD_A_UNSPEC,
	CW_WORKLOAD_A_PAD,
	CW_WORKLOAD_A_ID,
	CW_WORKLOAD_A_NAME,
	CW_WORKLOAD_A_GROUP,
	CW_WORKLOAD_A_CGROUP_ID,
	CW_WORKLOAD_A_NETNS_FD,
	CW_WORKLOAD_A_NETNS_COOKIE,
	__CW_WORKLOAD_A_LAST
};
#define CW_WORKLOAD_A_MAX (__CW_WORKLOAD_A_LAST - 1)

enum cw_addr_attr {
	CW_ADDR_A_UNSPEC,
	CW_ADDR_A_FAMILY,
	CW_ADDR_A_ADDR,
	CW_ADDR_A_PREFIX,
	CW_ADDR_A_WORKLOAD,
	CW_ADDR_A_GROUP,
	CW_ADDR_A_ORIGIN,
	__CW_ADDR_A_LAST
};
#define CW_ADDR_A_MAX (__CW_ADDR_A_LAST - 1)

enum cw_domain_attr {
	CW_DOMAIN_A_UNSPEC,
	CW_DOMAIN_A_NAME,
	CW_DOMAIN_A_GROUP,
	__CW_DOMAIN_A_LAST
};
#define CW_DOMAIN_A_MAX (__CW_DOMAIN_A_LAST - 1)

enum cw_rules_attr {
	CW_RULES_A_UNSPEC,
	CW_RULES_A_RULE,
	__CW_RULES_A_LAST
};
#define CW_RULES_A_MAX (__CW_RULES_A_LAST - 1)

enum cw_rule_attr {
	CW_RULE_A_UNSPEC,
	CW_RULE_A_ID,
	CW_RULE_A_FROM,
	CW_RULE_A_TO,
	CW_RULE_A_PROTO,
	CW_RULE_A_PORT_MIN,
	CW_RULE_A_PORT_MAX,
	CW_RULE_A_ACTION,
	CW_RULE_A_LEARNED,
	CW_RULE_A_APPS,
	CW_RULE_A_PAD,
	__CW_RULE_A_LAST
};
#define CW_RULE_A_MAX (__CW_RULE_A_LAST - 1)

enum cw_flow_attr {
	CW_FLOW_A_UNSPEC,
	CW_FLOW_A_PAD,
	CW_FLOW_A_NETNS_COOKIE,
	CW_FLOW_A_HOOK,
	CW_FLOW_A_FAMILY,
	CW_FLOW_A_PROTO,
	CW_FLOW_A_SRC,
	CW_FLOW_A_DST,
	CW_FLOW_A_SPORT,
	CW_FLOW_A_DPORT,
	CW_FLOW_A_FROM_WORKLOAD,
	CW_FLOW_A_TO_WORKLOAD,
	CW_FLOW_A_FROM_GROUP,
	CW_FLOW_A_TO_GROUP,
	CW_FLOW_A_STATE,
	CW_FLOW_A_VERDICT,
	CW_FLOW_A_MODE,
	CW_FLOW_A_RULE,
	CW_FLOW_A_PACKETS_ORIG,
	CW_FLOW_A_BYTES_ORIG,
	CW_FLOW_A_PACKETS_REPLY,
	CW_FLOW_A_BYTES_REPLY,
	CW_FLOW_A_AGE_MS,
	CW_FLOW_A_APP,
	CW_FLOW_A_APP_ATTR,
	CW_FLOW_A_APP_DETAIL,
	CW_FLOW_A_APP_MISMATCH,
	CW_FLOW_A_DPI,
	__CW_FLOW_A_LAST
};
#define CW_FLOW_A_MAX (__CW_FLOW_A_LAST - 1)

enum cw_event_attr {
	CW_EVENT_A_UNSPEC,
	CW_EVENT_A_PAD,
	CW_EVENT_A_TYPE,
	CW_EVENT_A_TIME_NS,
	CW_EVENT_A_LOST,
	CW_EVENT_A_FLOW,
	CW_EVENT_A_PID,
	CW_EVENT_A_COMM,
	CW_EVENT_A_SUPPRESSED,
	CW_EVENT_A_THREAT,
	CW_EVENT_A_SEVERITY,
	CW_EVENT_A_PACKET,
	__CW_EVENT_A_LAST
};
#define CW_EVENT_A_MAX (__CW_EVENT_A_LAST - 1)

enum cw_threat_attr {
	CW_THREAT_A_UNSPEC,
	CW_THREAT_A_PAD,
	CW_THREAT_A_ID,
	CW_THREAT_A_NAME,
	CW_THREAT_A_SEVERITY,
	CW_THREAT_A_ACTION,
	CW_THREAT_A_THRESHOLD,
	CW_THREAT_A_COUNT,
	__CW_THREAT_A_LAST
};
#define CW_THREAT_A_MAX (__CW_THREAT_A_LAST - 1)

#endif /* _UAPI_CELLWALL_H */
