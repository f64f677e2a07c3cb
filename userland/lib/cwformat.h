/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libcellwall: flows, events and domains as text lines and JSON objects,
 * the way `cellwall flows`, `cellwall events` and `cellwall domain list`
 * print them. No netlink here.
 */
#ifndef CW_LIB_FORMAT_H
#define CW_LIB_FORMAT_H

#include "libcellwall.h"

#include <jansson.h>

/* What names ids; any part may be empty (ids then print as "#ID"). */
struct cw_names {
	const struct cw_group_info *groups;
	size_t ngroups;
	const struct cw_workload_info *workloads;
	size_t nworkloads;
};

/* "egress", "ingress", "forward". */
const char *cw_hook_name(uint8_t hook);
/* "new", "syn_recv", "established", "fin", "close". */
const char *cw_flow_state_name(uint8_t state);
/* "LEARN", "VIOLATION", "THREAT", "LOST". */
const char *cw_event_type_name(uint8_t type);
/* "identifying", "inspecting", "done", "off". */
const char *cw_dpi_state_name(uint8_t dpi);

/* "10.0.0.1:80", "[fd00::1]:80". */
void cw_endpoint_format(uint8_t family, const uint8_t *addr, uint16_t port,
			char *buf, size_t len);
/* CLOCK_REALTIME nanoseconds as "2026-11-28T18:37:31.123Z". */
void cw_time_format(uint64_t ns, char *buf, size_t len);
/* A JSON string of @text, bytes that are not ASCII as '?' if it is not UTF-8. */
json_t *cw_json_text(const char *text);

/* Room for a THREAT event's line with its packet in hex. */
#define CW_LINE_MAX 2048

/* Why a flow with CW_FLOW_A_APP_MISMATCH is a violation. */
#define CW_REASON_MISMATCH "application mismatch"

/*
 * netns=COOKIE HOOK PROTO SRC:PORT -> DST:PORT from=WORKLOAD(GROUP)
 * to=WORKLOAD(GROUP) state=S verdict=V mode=M rule=R APP packets=ORIG/REPLY
 * bytes=ORIG/REPLY age=SECONDS.MSs
 *
 * APP: app=NAME(ATTRIBUTE) (app=http(allowed.test), app=mysql(root)), or
 * app=NAME without an attribute; app=- until identified (or without DPI),
 * app=? when identification gave up. A violation because the port is for
 * other applications adds reason="application mismatch".
 */
void cw_flow_format(const struct cw_flow_info *f, const struct cw_names *names,
		    char *buf, size_t len);
json_t *cw_flow_json(const struct cw_flow_info *f, const struct cw_names *names);

/*
 * TYPE TIME PROTO SRC:PORT -> DST:PORT from=W(G) to=W(G) rule=R action=A
 * mode=M APP pid=PID comm=COMM suppressed=N (APP as for flows); LOST
 * events: TYPE TIME lost=N. THREAT events: THREAT TIME threat=NAME
 * severity=S action=A mode=M PROTO SRC:PORT -> DST:PORT from=W(G)
 * to=W(G) rule=R APP pid=PID comm=COMM suppressed=N packet=HEX (SRC and
 * DST without ports when the event has none, as fragments; packet=- when
 * it carries none). JSON: THREAT events add "threat", "severity", "packet"
 * (hex or null), and "reason" is the threat's summary.
 */
void cw_event_format(const struct cw_event *ev, const struct cw_names *names,
		     char *buf, size_t len);
json_t *cw_event_json(const struct cw_event *ev, const struct cw_names *names);

/* @len bytes as lowercase hex without spaces; cut short to fit @size. */
void cw_hex_format(const uint8_t *data, size_t len, char *buf, size_t size);
/* The name of threat @id, "#ID" for one this build does not know. */
const char *cw_threat_label(uint8_t id, char *buf, size_t len);

/* "NAME GROUP", and {"name", "group", "group_id"}; an unknown group is "#ID". */
void cw_domain_format(const struct cw_domain_info *d, const struct cw_names *names,
		      char *buf, size_t len);
json_t *cw_domain_json(const struct cw_domain_info *d, const struct cw_names *names);

#endif /* CW_LIB_FORMAT_H */
