/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Threat detection on payload: checks over the in-order payload of a flow
 * whose application is known (HTTP, TLS, SSH, DNS, MySQL, PostgreSQL),
 * shared as-is by the kernel module and userland (unit tests, fuzzers, the
 * benchmark), like dpi/. Each check is a state machine over the bytes:
 * linear in what it reads, no backtracking, no allocation, no buffering;
 * all it keeps is struct cw_threat_scan.
 *
 * The checks that need more than one flow (floods, scans, repeated
 * failures) and those on headers are the kernel's (kmod/threat.c); the
 * table of every detection is table.c.
 */
#ifndef _CW_THREAT_H
#define _CW_THREAT_H

#include "dpi/dpi.h"

/* One detection: what table.c says of it. */
struct cw_threat_def {
	const char *name;	/* "syn_flood": policy files, events, the CLI */
	const char *summary;	/* one line, for `cellwall threats` and docs */
	const char *unit;	/* of the threshold; NULL: it has none */
	u32 threshold;		/* default */
	u8 severity;		/* enum cw_severity */
	u8 action;		/* default enum cw_threat_action */
};

extern const struct cw_threat_def cw_threat_defs[CW_THREAT_MAX + 1];

/* "syn_flood"...; NULL / CW_THREAT_NONE when there is none. */
const char *cw_threat_name(unsigned int id);
unsigned int cw_threat_by_name(const char *name);
const char *cw_severity_name(unsigned int severity);

#define CW_THREAT_BIT(id) ((u64)1 << (id))

/* Bytes a checker may keep (its struct, checked by CW_THREAT_STATE). */
#define CW_THREAT_STATE_SIZE 48

/* Per-flow state of the payload checks. */
struct cw_threat_scan {
	u32 scanned[2];		/* payload bytes seen, [0] client */
	u8 app;			/* enum cw_app being checked; 0: none */
	u8 checker;		/* index in cw_threat_checkers */
	u8 done;		/* nothing more to check on this flow */
	u8 l4;			/* IPPROTO_UDP: a datagram a call; else TCP (set after init) */
	u32 datagram_len;	/* UDP: the datagram's whole length, when a call has only its start */
	union {
		u8 raw[CW_THREAT_STATE_SIZE];
		u64 align;
	} u;
};

/*
 * The current thresholds, indexed by enum cw_threat (the kernel's, which
 * the user may change; userland tests pass cw_threat_default_limits()).
 */
struct cw_threat_limits {
	u32 threshold[CW_THREAT_MAX + 1];
};

struct cw_threat_checker {
	const char *name;	/* for tests and the benchmark */
	u8 app;			/* enum cw_app it checks */
	/*
	 * Every in-order chunk of both directions (@client: sent by the
	 * initiator), starting at the start of each direction; s->u is zeroed
	 * before the first call. @now_ms: a monotonic clock, milliseconds.
	 * Returns the threats this chunk shows, CW_THREAT_BIT(id) each; a
	 * detection that already fired on this flow need not fire again.
	 * Sets s->done once nothing more can be found.
	 */
	u64 (*scan)(struct cw_threat_scan *s, const struct cw_threat_limits *limits,
		    bool client, const u8 *data, u32 len, u32 now_ms);
};

/* A checker's state in s->u, checked at compile time to fit. */
#define CW_THREAT_STATE(s, type)					\
	({								\
		_Static_assert(sizeof(type) <= CW_THREAT_STATE_SIZE,	\
			       #type " is larger than CW_THREAT_STATE_SIZE"); \
		(type *)(s)->u.raw;					\
	})

/* Starts the checks of @app; false (and s->done) if it has none. */
bool cw_threat_scan_init(struct cw_threat_scan *s, u8 app);

/*
 * One in-order chunk (@len >= 1) of a flow whose checks started. Stops
 * (s->done) when the checker is done or @max_bytes went by in a direction.
 * Returns the threats found, CW_THREAT_BIT(id) each.
 */
u64 cw_threat_scan(struct cw_threat_scan *s, const struct cw_threat_limits *limits,
		   bool client, const u8 *data, u32 len, u32 now_ms, u32 max_bytes);

void cw_threat_default_limits(struct cw_threat_limits *limits);

/* Builds the HTTP checker's automaton: once, before any flow is checked. */
void cw_threat_http_init(void);

extern const struct cw_threat_checker cw_threat_http, cw_threat_tls, cw_threat_ssh,
	cw_threat_dns, cw_threat_mysql, cw_threat_postgresql;

#endif /* _CW_THREAT_H */
