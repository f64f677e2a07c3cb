// SPDX-License-Identifier: GPL-2.0
/* libcellwall: flows, events and domains as text and JSON (see cwformat.h). */

#include "cwformat.h"
#include "cwpolicy.h"
#include "dpi/dpi.h"
#include "threat/threat.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

const char *cw_hook_name(uint8_t hook)
{
	switch (hook) {
	case CW_HOOK_EGRESS:
		return "egress";
	case CW_HOOK_INGRESS:
		return "ingress";
	case CW_HOOK_FORWARD:
		return "forward";
	}
	return "?";
}

const char *cw_flow_state_name(uint8_t state)
{
	static const char *const names[] = {
		[CW_FLOW_NEW] = "new",
		[CW_FLOW_SYN_RECV] = "syn_recv",
		[CW_FLOW_ESTABLISHED] = "established",
		[CW_FLOW_FIN] = "fin",
		[CW_FLOW_CLOSE] = "close",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

const char *cw_event_type_name(uint8_t type)
{
	switch (type) {
	case CW_EVENT_LEARN:
		return "LEARN";
	case CW_EVENT_VIOLATION:
		return "VIOLATION";
	case CW_EVENT_THREAT:
		return "THREAT";
	case CW_EVENT_LOST:
		return "LOST";
	}
	return "?";
}

const char *cw_dpi_state_name(uint8_t dpi)
{
	static const char *const names[] = {
		[CW_DPI_STATE_IDENTIFYING] = "identifying",
		[CW_DPI_STATE_INSPECTING] = "inspecting",
		[CW_DPI_STATE_DONE] = "done",
		[CW_DPI_STATE_OFF] = "off",
	};

	return dpi < sizeof(names) / sizeof(names[0]) ? names[dpi] : "?";
}

static void addr_format(uint8_t family, const uint8_t *addr, char *buf, size_t len)
{
	if (!inet_ntop(family, addr, buf, len))
		snprintf(buf, len, "?");
}

void cw_endpoint_format(uint8_t family, const uint8_t *addr, uint16_t port,
			char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	addr_format(family, addr, a, sizeof(a));
	snprintf(buf, len, family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

void cw_time_format(uint64_t ns, char *buf, size_t len)
{
	time_t secs = ns / 1000000000;
	struct tm tm;
	char date[32];

	gmtime_r(&secs, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03uZ", date, (unsigned int)(ns % 1000000000 / 1000000));
}

json_t *cw_json_text(const char *text)
{
	json_t *j = json_string(text);
	char *copy, *p;

	if (j)
		return j;
	copy = strdup(text);
	if (!copy)
		return NULL;
	for (p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

static const char *group_name(const struct cw_names *n, uint32_t id)
{
	size_t i;

	for (i = 0; n && i < n->ngroups; i++)
		if (n->groups[i].id == id)
			return n->groups[i].name;
	return NULL;
}

static const char *workload_name(const struct cw_names *n, uint32_t id)
{
	size_t i;

	for (i = 0; n && i < n->nworkloads; i++)
		if (n->workloads[i].id == id)
			return n->workloads[i].name;
	return NULL;
}

/* A name, "-" for id 0, "#ID" for an id nobody knows. */
static const char *id_name(const char *name, uint32_t id, char *buf, size_t len)
{
	if (!id)
		return "-";
	if (name)
		return name;
	snprintf(buf, len, "#%u", id);
	return buf;
}

/* "WORKLOAD(GROUP)" */
static void party_format(const struct cw_names *n, uint32_t workload, uint32_t group,
			 char *buf, size_t len)
{
	char wbuf[16], gbuf[16];

	snprintf(buf, len, "%s(%s)",
		 id_name(workload_name(n, workload), workload, wbuf, sizeof(wbuf)),
		 id_name(group_name(n, group), group, gbuf, sizeof(gbuf)));
}

/* "PROTO SRC:PORT -> DST:PORT from=W(G) to=W(G)"; without @ports, no ":PORT". */
static int tuple_format(const struct cw_flow_info *f, const struct cw_names *n, bool ports,
			char *buf, size_t len)
{
	char src[64], dst[64], from[2 * CW_NAME_MAX + 8], to[2 * CW_NAME_MAX + 8], num[8];

	if (ports) {
		cw_endpoint_format(f->family, f->src, f->sport, src, sizeof(src));
		cw_endpoint_format(f->family, f->dst, f->dport, dst, sizeof(dst));
	} else {
		addr_format(f->family, f->src, src, sizeof(src));
		addr_format(f->family, f->dst, dst, sizeof(dst));
	}
	party_format(n, f->from_workload, f->from_group, from, sizeof(from));
	party_format(n, f->to_workload, f->to_group, to, sizeof(to));
	return snprintf(buf, len, "%s %s -> %s from=%s to=%s",
			cw_proto_name(f->proto, num, sizeof(num)), src, dst, from, to);
}

/* A name (a process's, a host's) fit for one space-separated field; "-" if empty. */
static void field_format(const char *text, char *buf, size_t len)
{
	size_t i;

	if (!text[0]) {
		snprintf(buf, len, "-");
		return;
	}
	for (i = 0; text[i] && i + 1 < len; i++)
		buf[i] = text[i] > ' ' && text[i] < 0x7f ? text[i] : '?';
	buf[i] = '\0';
}

/* APP of cwformat.h. */
static void app_format(const struct cw_flow_info *f, char *buf, size_t len)
{
	const char *name = cw_app_name(f->app);
	char attr[sizeof(f->app_attr)];
	int n;

	if (!name)
		name = f->dpi == CW_DPI_STATE_DONE ? "?" : "-";
	field_format(f->app_attr, attr, sizeof(attr));
	if (f->app_attr[0])
		n = snprintf(buf, len, "app=%s(%s)", name, attr);
	else
		n = snprintf(buf, len, "app=%s", name);
	if (f->app_mismatch && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " reason=\"%s\"", CW_REASON_MISMATCH);
}

void cw_flow_format(const struct cw_flow_info *f, const struct cw_names *names,
		    char *buf, size_t len)
{
	char tuple[CW_LINE_MAX], app[sizeof(f->app_attr) + 64];

	tuple_format(f, names, true, tuple, sizeof(tuple));
	app_format(f, app, sizeof(app));
	snprintf(buf, len, "netns=%" PRIu64 " %s %s state=%s verdict=%s mode=%s rule=%u %s"
		 " packets=%" PRIu64 "/%" PRIu64 " bytes=%" PRIu64 "/%" PRIu64
		 " age=%" PRIu64 ".%03us",
		 f->netns_cookie, cw_hook_name(f->hook), tuple,
		 cw_flow_state_name(f->state), cw_action_name(f->verdict),
		 cw_mode_name(f->mode), f->rule, app, f->packets_orig, f->packets_reply,
		 f->bytes_orig, f->bytes_reply, f->age_ms / 1000,
		 (unsigned int)(f->age_ms % 1000));
}

static json_t *name_json(const char *name, uint32_t id)
{
	char buf[16];

	return id ? json_string(id_name(name, id, buf, sizeof(buf))) : json_null();
}

/* The tuple and both ends of @f, added to @obj; the ports null without @ports. */
static void tuple_json(json_t *obj, const struct cw_flow_info *f, const struct cw_names *n,
		       bool ports)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], num[8];

	addr_format(f->family, f->src, src, sizeof(src));
	addr_format(f->family, f->dst, dst, sizeof(dst));
	json_object_set_new(obj, "hook", json_string(cw_hook_name(f->hook)));
	json_object_set_new(obj, "family", json_string(f->family == AF_INET6 ? "ipv6" : "ipv4"));
	json_object_set_new(obj, "proto", json_string(cw_proto_name(f->proto, num, sizeof(num))));
	json_object_set_new(obj, "src", json_string(src));
	json_object_set_new(obj, "sport", ports ? json_integer(f->sport) : json_null());
	json_object_set_new(obj, "dst", json_string(dst));
	json_object_set_new(obj, "dport", ports ? json_integer(f->dport) : json_null());
	json_object_set_new(obj, "from_workload", name_json(workload_name(n, f->from_workload),
							    f->from_workload));
	json_object_set_new(obj, "from_workload_id", json_integer(f->from_workload));
	json_object_set_new(obj, "from_group", name_json(group_name(n, f->from_group),
							 f->from_group));
	json_object_set_new(obj, "from_group_id", json_integer(f->from_group));
	json_object_set_new(obj, "to_workload", name_json(workload_name(n, f->to_workload),
							  f->to_workload));
	json_object_set_new(obj, "to_workload_id", json_integer(f->to_workload));
	json_object_set_new(obj, "to_group", name_json(group_name(n, f->to_group), f->to_group));
	json_object_set_new(obj, "to_group_id", json_integer(f->to_group));
}

/* What identification found about @f, added to @obj. */
static void app_json(json_t *obj, const struct cw_flow_info *f)
{
	const char *name = cw_app_name(f->app);

	json_object_set_new(obj, "dpi", json_string(cw_dpi_state_name(f->dpi)));
	json_object_set_new(obj, "app", json_string(name ? name : "unknown"));
	json_object_set_new(obj, "app_attr", cw_json_text(f->app_attr));
	json_object_set_new(obj, "app_detail", cw_json_text(f->app_detail));
	json_object_set_new(obj, "app_mismatch", json_boolean(f->app_mismatch));
}

json_t *cw_flow_json(const struct cw_flow_info *f, const struct cw_names *names)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "netns_cookie", json_integer(f->netns_cookie));
	tuple_json(obj, f, names, true);
	json_object_set_new(obj, "state", json_string(cw_flow_state_name(f->state)));
	json_object_set_new(obj, "verdict", json_string(cw_action_name(f->verdict)));
	json_object_set_new(obj, "mode", json_string(cw_mode_name(f->mode)));
	json_object_set_new(obj, "rule", json_integer(f->rule));
	app_json(obj, f);
	json_object_set_new(obj, "packets_orig", json_integer(f->packets_orig));
	json_object_set_new(obj, "bytes_orig", json_integer(f->bytes_orig));
	json_object_set_new(obj, "packets_reply", json_integer(f->packets_reply));
	json_object_set_new(obj, "bytes_reply", json_integer(f->bytes_reply));
	json_object_set_new(obj, "age_ms", json_integer(f->age_ms));
	return obj;
}

void cw_hex_format(const uint8_t *data, size_t len, char *buf, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (!size)
		return;
	for (i = 0; i < len && 2 * i + 2 < size; i++) {
		buf[2 * i] = digits[data[i] >> 4];
		buf[2 * i + 1] = digits[data[i] & 0xf];
	}
	buf[2 * i] = '\0';
}

const char *cw_threat_label(uint8_t id, char *buf, size_t len)
{
	const char *name = cw_threat_name(id);

	if (name)
		return name;
	snprintf(buf, len, "#%u", id);
	return buf;
}

/*
 * A fragment after the first carries no ports: the kernel leaves them out
 * (0), and a TCP or UDP port is never 0.
 */
static bool event_ports(const struct cw_event *ev)
{
	return ev->type != CW_EVENT_THREAT || ev->flow.sport || ev->flow.dport;
}

static const char *severity_label(uint8_t severity)
{
	const char *name = cw_severity_name(severity);

	return name ? name : "?";
}

/* "threat=NAME severity=S action=A mode=M " of a THREAT event. */
static void threat_format(const struct cw_event *ev, char *buf, size_t len)
{
	char num[8];

	snprintf(buf, len, "threat=%s severity=%s action=%s mode=%s ",
		 cw_threat_label(ev->threat, num, sizeof(num)), severity_label(ev->severity),
		 cw_action_name(ev->flow.verdict), cw_mode_name(ev->flow.mode));
}

void cw_event_format(const struct cw_event *ev, const struct cw_names *names,
		     char *buf, size_t len)
{
	char when[40], tuple[CW_LINE_MAX], comm[sizeof(ev->comm)], pid[16];
	char app[sizeof(ev->flow.app_attr) + 64], head[128] = "";
	char packet[sizeof(" packet=") + 2 * CW_THREAT_PACKET_BYTES] = "";
	char hex[2 * CW_THREAT_PACKET_BYTES + 1];
	const struct cw_flow_info *f = &ev->flow;
	bool threat = ev->type == CW_EVENT_THREAT;

	cw_time_format(ev->time_ns, when, sizeof(when));
	if (ev->type == CW_EVENT_LOST) {
		snprintf(buf, len, "%s %s lost=%" PRIu64, cw_event_type_name(ev->type), when,
			 ev->lost);
		return;
	}
	if (threat) {
		threat_format(ev, head, sizeof(head));
		cw_hex_format(ev->packet, ev->packet_len, hex, sizeof(hex));
		snprintf(packet, sizeof(packet), " packet=%s", hex[0] ? hex : "-");
	}
	if (ev->has_flow) {
		tuple_format(f, names, event_ports(ev), tuple, sizeof(tuple));
		app_format(f, app, sizeof(app));
		/* A threat says what was done up front, with the threat. */
		if (threat)
			snprintf(tuple + strlen(tuple), sizeof(tuple) - strlen(tuple),
				 " rule=%u %s ", f->rule, app);
		else
			snprintf(tuple + strlen(tuple), sizeof(tuple) - strlen(tuple),
				 " rule=%u action=%s mode=%s %s ", f->rule,
				 cw_action_name(f->verdict), cw_mode_name(f->mode), app);
	} else {
		tuple[0] = '\0';
	}
	field_format(ev->comm, comm, sizeof(comm));
	if (ev->pid)
		snprintf(pid, sizeof(pid), "%u", ev->pid);
	else
		snprintf(pid, sizeof(pid), "-");
	snprintf(buf, len, "%s %s %s%spid=%s comm=%s suppressed=%u%s",
		 cw_event_type_name(ev->type), when, head, tuple, pid, comm, ev->suppressed,
		 packet);
}

/* Why the event is one: a threat's summary, or an application mismatch. */
static json_t *reason_json(const struct cw_event *ev)
{
	if (ev->type == CW_EVENT_THREAT)
		return cw_threat_name(ev->threat) ?
		       json_string(cw_threat_defs[ev->threat].summary) : json_null();
	return ev->flow.app_mismatch ? json_string(CW_REASON_MISMATCH) : json_null();
}

json_t *cw_event_json(const struct cw_event *ev, const struct cw_names *names)
{
	char when[40], num[8], packet[2 * CW_THREAT_PACKET_BYTES + 1];
	bool threat = ev->type == CW_EVENT_THREAT;
	json_t *obj = json_object();

	cw_time_format(ev->time_ns, when, sizeof(when));
	json_object_set_new(obj, "type", json_string(cw_event_type_name(ev->type)));
	json_object_set_new(obj, "time", json_string(when));
	json_object_set_new(obj, "time_ns", json_integer(ev->time_ns));
	if (ev->type == CW_EVENT_LOST) {
		json_object_set_new(obj, "lost", json_integer(ev->lost));
		return obj;
	}
	if (threat) {
		json_object_set_new(obj, "threat",
				    json_string(cw_threat_label(ev->threat, num, sizeof(num))));
		json_object_set_new(obj, "severity", json_string(severity_label(ev->severity)));
	}
	if (ev->has_flow) {
		tuple_json(obj, &ev->flow, names, event_ports(ev));
		json_object_set_new(obj, "rule", json_integer(ev->flow.rule));
		json_object_set_new(obj, "action", json_string(cw_action_name(ev->flow.verdict)));
		json_object_set_new(obj, "mode", json_string(cw_mode_name(ev->flow.mode)));
		app_json(obj, &ev->flow);
		json_object_set_new(obj, "reason", reason_json(ev));
	}
	json_object_set_new(obj, "pid", ev->pid ? json_integer(ev->pid) : json_null());
	json_object_set_new(obj, "comm", ev->comm[0] ? cw_json_text(ev->comm) : json_null());
	json_object_set_new(obj, "suppressed", json_integer(ev->suppressed));
	if (threat) {
		cw_hex_format(ev->packet, ev->packet_len, packet, sizeof(packet));
		json_object_set_new(obj, "packet", ev->packet_len ? json_string(packet) :
				    json_null());
	}
	return obj;
}

void cw_domain_format(const struct cw_domain_info *d, const struct cw_names *names,
		      char *buf, size_t len)
{
	char num[16];

	snprintf(buf, len, "%-40s %s", d->name,
		 id_name(group_name(names, d->group), d->group, num, sizeof(num)));
}

json_t *cw_domain_json(const struct cw_domain_info *d, const struct cw_names *names)
{
	return json_pack("{s:s,s:o,s:I}", "name", d->name,
			 "group", name_json(group_name(names, d->group), d->group),
			 "group_id", (json_int_t)d->group);
}
