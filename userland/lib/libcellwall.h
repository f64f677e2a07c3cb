/* SPDX-License-Identifier: GPL-2.0 */
/* libcellwall: a generic netlink client for the cellwall module. */
#ifndef CW_LIBCELLWALL_H
#define CW_LIBCELLWALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "uapi/cellwall.h"

struct nlmsghdr;
struct nl_msg;

enum cw_dir {
	CW_DIR_IN,
	CW_DIR_OUT,
	CW_DIR_FWD,
	CW_DIR_COUNT
};

struct cw_counters {
	uint64_t packets[CW_DIR_COUNT];
	uint64_t bytes[CW_DIR_COUNT];
};

struct cw_flow_stats {
	uint32_t active;
	uint64_t created;
	uint64_t evicted;
	uint64_t full_accepted;
	uint64_t full_dropped;
	uint64_t expired;
	uint64_t held;		/* TCP segments held back until the verdict */
};

struct cw_status {
	char version[64];
	bool enabled;
	uint32_t netns_count;
	struct cw_counters netns;
	struct cw_counters all;
	/* Added with the flow table and the policy; absent from older modules. */
	bool has_policy;
	uint32_t policy_generation;
	uint32_t policy_rules;
	bool has_flows;
	uint32_t flow_entry_size;
	struct cw_flow_stats flows;
	bool has_events_lost;
	uint64_t events_lost;
};

struct cw_group_info {
	uint32_t id;
	uint8_t mode;
	char name[CW_NAME_MAX];
};

struct cw_workload_info {
	uint32_t id;
	uint32_t group;
	uint64_t cgroup_id;		/* 0: none */
	uint64_t netns_cookie;		/* 0: none (GET only) */
	char name[CW_NAME_MAX];
};

/* An address or a prefix: family AF_INET or AF_INET6, network byte order. */
struct cw_cidr {
	uint8_t family;
	uint8_t prefix;
	uint8_t addr[16];
};

struct cw_addr_info {
	struct cw_cidr cidr;
	uint32_t workload;		/* exactly one of workload and group */
	uint32_t group;
	uint8_t origin;			/* enum cw_addr_origin */
};

/* A domain name with its "*." and its NUL: the kernel takes 255 bytes at most. */
#define CW_DOMAIN_STRLEN 256

/* A domain name of an address group: "example.com" or "*.example.com". */
struct cw_domain_info {
	char name[CW_DOMAIN_STRLEN];
	uint32_t group;
};

/*
 * One rule entry as the kernel holds it. Several entries may share an id
 * (one rule, several ports). port_min 0 and port_max 65535: every port.
 */
struct cw_rule_entry {
	uint32_t id;
	uint32_t from, to;
	uint8_t proto;			/* 0 (any), IPPROTO_TCP, _UDP, _ICMP */
	uint16_t port_min, port_max;
	uint8_t action;			/* enum cw_action */
	bool learned;
	uint64_t apps;			/* bit n: enum cw_app n; 0: any application */
};

struct cw_flow_info {
	uint64_t netns_cookie;
	uint8_t hook;			/* enum cw_hook_point */
	uint8_t family, proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t from_workload, to_workload;
	uint32_t from_group, to_group;
	uint8_t state;			/* enum cw_flow_state */
	uint8_t verdict;		/* enum cw_action */
	uint8_t mode;
	uint32_t rule;
	uint64_t packets_orig, bytes_orig;
	uint64_t packets_reply, bytes_reply;
	uint64_t age_ms;
	uint8_t dpi;			/* enum cw_dpi_state; OFF when not reported */
	uint8_t app;			/* enum cw_app; CW_APP_UNKNOWN until identified */
	char app_attr[64];		/* HTTP host, TLS SNI, DNS name, database user; "" */
	char app_detail[32];		/* "GET /path", ALPN, "db=NAME", SSH banner; "" */
	bool app_mismatch;		/* a violation: the port is for other applications */
};

struct cw_event {
	uint8_t type;			/* enum cw_event_type */
	uint64_t time_ns;
	uint64_t lost;			/* CW_EVENT_LOST */
	bool has_flow;
	struct cw_flow_info flow;
	uint32_t pid;			/* 0: unknown */
	char comm[32];			/* "": unknown */
	uint32_t suppressed;
	/* CW_EVENT_THREAT only */
	uint8_t threat;			/* enum cw_threat */
	uint8_t severity;		/* enum cw_severity */
	uint16_t packet_len;		/* 0: no packet */
	uint8_t packet[CW_THREAT_PACKET_BYTES];	/* from the IP header */
};

/* A threat detection as the kernel holds it. */
struct cw_threat_info {
	uint8_t id;			/* enum cw_threat */
	uint8_t severity;		/* enum cw_severity */
	uint8_t action;			/* enum cw_threat_action */
	uint32_t threshold;		/* 0: the detection has none */
	uint64_t count;			/* times detected since load */
	char name[CW_NAME_MAX];
};

struct cw_nl;

/*
 * Every call returns 0 or a negative errno. -ENOENT from cw_nl_open() means
 * the module is not loaded; cw_nl_errmsg() holds the kernel's extack
 * message for the last failed request, or "".
 */
int cw_nl_open(struct cw_nl **nlp);
void cw_nl_close(struct cw_nl *nl);
const char *cw_nl_errmsg(const struct cw_nl *nl);
/*
 * The offset into the refused request that the kernel's extack points at
 * (NLMSGERR_ATTR_OFFS), or 0 when it pointed at nothing.
 */
uint32_t cw_nl_erroff(const struct cw_nl *nl);
/* Puts back a failure's message after later requests (an undo) replaced it. */
void cw_nl_set_error(struct cw_nl *nl, const char *errmsg, uint32_t erroff);

int cw_nl_status(struct cw_nl *nl, struct cw_status *status);

/* @name NULL or @mode CW_MODE_NONE: unchanged (both needed for a new one). */
int cw_nl_group_set(struct cw_nl *nl, uint32_t id, const char *name, uint8_t mode);
int cw_nl_group_del(struct cw_nl *nl, uint32_t id);
/* All groups, sorted by id, in a malloc'ed array the caller frees. */
int cw_nl_group_list(struct cw_nl *nl, struct cw_group_info **groups, size_t *count);

/*
 * Workloads: @netns_fd < 0 and @w->cgroup_id 0 leave them out of the request;
 * @w->name NULL-empty and @w->group 0 too (both needed for a new one).
 */
int cw_nl_workload_set(struct cw_nl *nl, const struct cw_workload_info *w, int netns_fd);
int cw_nl_workload_del(struct cw_nl *nl, uint32_t id);
int cw_nl_workload_list(struct cw_nl *nl, struct cw_workload_info **workloads, size_t *count);

/* Remote ends: @a->workload or @a->group, the other 0. */
int cw_nl_addr_set(struct cw_nl *nl, const struct cw_addr_info *a);
int cw_nl_addr_del(struct cw_nl *nl, const struct cw_cidr *cidr);
int cw_nl_addr_list(struct cw_nl *nl, struct cw_addr_info **addrs, size_t *count);

/* Domains of address groups: a set adds one or moves it to @d->group. */
int cw_nl_domain_set(struct cw_nl *nl, const struct cw_domain_info *d);
int cw_nl_domain_del(struct cw_nl *nl, const char *name);
/* All domains, sorted by name (the kernel's are lowercase). */
int cw_nl_domain_list(struct cw_nl *nl, struct cw_domain_info **domains, size_t *count);

/* Every detection, sorted by id. */
int cw_nl_threat_list(struct cw_nl *nl, struct cw_threat_info **threats, size_t *count);
/* @action < 0 and @threshold 0 leave them as they are; one at least must change. */
int cw_nl_threat_set(struct cw_nl *nl, uint8_t id, int action, uint32_t threshold);
/* "off", "alert", "block"; "?" for another number. */
const char *cw_threat_action_name(uint8_t action);
/* The action named @name, or -1. */
int cw_threat_action_parse(const char *name);

/*
 * Replaces the rules in force with @rules in one transaction: BEGIN, RULES
 * in batches, COMMIT; ABORT after any failure. When the kernel refuses a
 * rule, cw_nl_errmsg() names it ("rule 17: ..."). @generation (may be
 * NULL) gets the new policy generation.
 */
int cw_nl_policy_load(struct cw_nl *nl, const struct cw_rule_entry *rules, size_t count,
		      uint32_t *generation);
/* The rules in force, in load order. */
int cw_nl_policy_list(struct cw_nl *nl, struct cw_rule_entry **rules, size_t *count);
/* What discover mode saw that no rule covers (id 0, allow, learned). */
int cw_nl_learned_list(struct cw_nl *nl, struct cw_rule_entry **rules, size_t *count);
int cw_nl_flow_list(struct cw_nl *nl, struct cw_flow_info **flows, size_t *count);

/*
 * Events: join the multicast group on @nl (use that connection for events
 * only), then read. cw_nl_events_fd() is for poll(); cw_nl_events_read()
 * reads what is there (blocking if nothing is) and calls @fn per event.
 * -ENOBUFS: the socket's buffer overflowed and events were lost.
 */
int cw_nl_events_join(struct cw_nl *nl);
int cw_nl_events_fd(struct cw_nl *nl);
int cw_nl_events_read(struct cw_nl *nl, void (*fn)(const struct cw_event *ev, void *arg),
		      void *arg);

/* "discover", "monitor", "protect"; "-" for CW_MODE_NONE. */
const char *cw_mode_name(uint8_t mode);
/* The mode named @name, or CW_MODE_NONE. */
uint8_t cw_mode_parse(const char *name);

/*
 * The building blocks of every request: a message for command @cmd, and
 * its transaction, which consumes @msg and passes each reply to @parse
 * (may be NULL) until the kernel's ACK or error.
 */
struct nl_msg *cw_nl_msg_new(struct cw_nl *nl, uint8_t cmd);
struct nl_msg *cw_nl_dump_new(struct cw_nl *nl, uint8_t cmd);
int cw_nl_request(struct cw_nl *nl, struct nl_msg *msg,
		  int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg);

/* Parse one reply; exposed for the unit tests. */
int cw_status_parse(struct nlmsghdr *nlh, struct cw_status *status);
int cw_group_parse(struct nlmsghdr *nlh, struct cw_group_info *group);
int cw_workload_parse(struct nlmsghdr *nlh, struct cw_workload_info *w);
int cw_addr_parse(struct nlmsghdr *nlh, struct cw_addr_info *a);
int cw_domain_parse(struct nlmsghdr *nlh, struct cw_domain_info *d);
int cw_rule_parse(struct nlmsghdr *nlh, struct cw_rule_entry *rule);
int cw_flow_parse(struct nlmsghdr *nlh, struct cw_flow_info *flow);
int cw_event_parse(struct nlmsghdr *nlh, struct cw_event *ev);
int cw_threat_parse(struct nlmsghdr *nlh, struct cw_threat_info *t);

/*
 * Builds one RULES request from @rules[0..count): as many as fit in
 * @max_bytes; *@used gets how many, @offsets[i] the offset of rule i's
 * CW_RULES_A_RULE nest in the message. Exposed for the unit tests.
 */
struct nl_msg *cw_rules_msg(int family, const struct cw_rule_entry *rules, size_t count,
			    size_t max_bytes, size_t *used, uint32_t *offsets);
/* The index of the rule (of @used, offsets ascending) whose nest holds @off, or -1. */
ssize_t cw_rules_at(const uint32_t *offsets, size_t used, uint32_t off);

#endif /* CW_LIBCELLWALL_H */
