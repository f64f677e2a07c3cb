// SPDX-License-Identifier: GPL-2.0
/* libcellwall: the policy transaction and the event subscription. */

#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

/* Keeps RULES requests well below what one netlink message may carry. */
#define RULES_BATCH_BYTES (30 * 1024)
/*
 * The most one rule's nest takes: 7 u32/u16/u8 attributes, a flag, the
 * applications (u64), the nest.
 */
#define RULE_MAX_BYTES (4 + 7 * 8 + 4 + 12)

static int put_rule(struct nl_msg *msg, const struct cw_rule_entry *r)
{
	bool all_ports = r->port_min == 0 && r->port_max == 65535;

	return nla_put_u32(msg, CW_RULE_A_ID, r->id) ||
	       nla_put_u32(msg, CW_RULE_A_FROM, r->from) ||
	       nla_put_u32(msg, CW_RULE_A_TO, r->to) ||
	       nla_put_u8(msg, CW_RULE_A_PROTO, r->proto) ||
	       (!all_ports && (nla_put_u16(msg, CW_RULE_A_PORT_MIN, r->port_min) ||
			       nla_put_u16(msg, CW_RULE_A_PORT_MAX, r->port_max))) ||
	       nla_put_u8(msg, CW_RULE_A_ACTION, r->action) ||
	       (r->learned && nla_put_flag(msg, CW_RULE_A_LEARNED)) ||
	       (r->apps && nla_put_u64(msg, CW_RULE_A_APPS, r->apps));
}

struct nl_msg *cw_rules_msg(int family, const struct cw_rule_entry *rules, size_t count,
			    size_t max_bytes, size_t *used, uint32_t *offsets)
{
	struct nl_msg *msg = nlmsg_alloc_size(max_bytes + RULE_MAX_BYTES + 64);
	struct nlattr *all, *one;
	size_t i;

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
			 CW_CMD_POLICY_RULES, CW_GENL_VERSION))
		goto err;
	all = nla_nest_start(msg, CW_A_RULES);
	if (!all)
		goto err;
	for (i = 0; i < count; i++) {
		/* At least one rule per message, however small @max_bytes. */
		if (i && nlmsg_hdr(msg)->nlmsg_len + RULE_MAX_BYTES > max_bytes)
			break;
		one = nla_nest_start(msg, CW_RULES_A_RULE);
		if (!one || put_rule(msg, &rules[i]))
			goto err;
		offsets[i] = (char *)one - (char *)nlmsg_hdr(msg);
		nla_nest_end(msg, one);
	}
	nla_nest_end(msg, all);
	*used = i;
	return msg;
err:
	nlmsg_free(msg);
	return NULL;
}

ssize_t cw_rules_at(const uint32_t *offsets, size_t used, uint32_t off)
{
	ssize_t i;

	for (i = (ssize_t)used - 1; i >= 0; i--)
		if (offsets[i] <= off)
			return i;
	return -1;
}

static int simple_request(struct cw_nl *nl, uint8_t cmd,
			  int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct nl_msg *msg = cw_nl_msg_new(nl, cmd);

	return msg ? cw_nl_request(nl, msg, parse, arg) : -ENOMEM;
}

static int parse_generation(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CW_A_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, CW_A_MAX, NULL))
		return -EBADMSG;
	if (tb[CW_A_POLICY_GENERATION] && nla_len(tb[CW_A_POLICY_GENERATION]) >= 4)
		*(uint32_t *)arg = nla_get_u32(tb[CW_A_POLICY_GENERATION]);
	return 0;
}

/* Rewrites the kernel's message about a refused batch to name the rule. */
static void name_refused_rule(struct cw_nl *nl, int err, const struct cw_rule_entry *rules,
			      const uint32_t *offsets, size_t used)
{
	const char *prefix = CW_GENL_NAME ": ";
	char why[sizeof(nl->errmsg)];
	ssize_t i;

	if (!nl->erroff)
		return;
	i = cw_rules_at(offsets, used, nl->erroff);
	if (i < 0)
		return;
	snprintf(why, sizeof(why), "%s", nl->errmsg[0] ? nl->errmsg : strerror(-err));
	/* A message cut short is still better than none. */
	if (snprintf(nl->errmsg, sizeof(nl->errmsg), "rule %u: %s", rules[i].id,
		     strncmp(why, prefix, strlen(prefix)) ? why : why + strlen(prefix)) < 0)
		nl->errmsg[0] = '\0';
}

int cw_nl_policy_load(struct cw_nl *nl, const struct cw_rule_entry *rules, size_t count,
		      uint32_t *generation)
{
	char errmsg[sizeof(nl->errmsg)];
	uint32_t *offsets, erroff, gen = 0;
	struct nl_msg *commit;
	size_t done, used;
	int ret;

	offsets = malloc((count ? count : 1) * sizeof(*offsets));
	if (!offsets)
		return -ENOMEM;
	ret = simple_request(nl, CW_CMD_POLICY_BEGIN, NULL, NULL);
	if (ret) {
		free(offsets);
		return ret;
	}
	for (done = 0; done < count; done += used) {
		struct nl_msg *msg = cw_rules_msg(nl->family, rules + done, count - done,
						  RULES_BATCH_BYTES, &used, offsets);

		if (!msg) {
			ret = -ENOMEM;
			goto abort;
		}
		ret = cw_nl_request(nl, msg, NULL, NULL);
		if (ret) {
			name_refused_rule(nl, ret, rules + done, offsets, used);
			goto abort;
		}
	}
	/* The count lets the kernel see a RULES message it never got. */
	commit = cw_nl_msg_new(nl, CW_CMD_POLICY_COMMIT);
	if (!commit || nla_put_u32(commit, CW_A_POLICY_RULES, count)) {
		nlmsg_free(commit);
		ret = -ENOMEM;
		goto abort;
	}
	ret = cw_nl_request(nl, commit, parse_generation, &gen);
	if (ret)
		goto abort;
	free(offsets);
	if (generation)
		*generation = gen;
	return 0;

abort:
	/* The kernel dropped the transaction already if it refused a part. */
	memcpy(errmsg, nl->errmsg, sizeof(errmsg));
	erroff = nl->erroff;
	simple_request(nl, CW_CMD_POLICY_ABORT, NULL, NULL);
	memcpy(nl->errmsg, errmsg, sizeof(errmsg));
	nl->erroff = erroff;
	free(offsets);
	return ret;
}

/* Events */

static struct nla_policy event_policy[CW_EVENT_A_MAX + 1] = {
	[CW_EVENT_A_TYPE] = { .type = NLA_U8 },
	[CW_EVENT_A_TIME_NS] = { .type = NLA_U64 },
	[CW_EVENT_A_LOST] = { .type = NLA_U64 },
	[CW_EVENT_A_FLOW] = { .type = NLA_NESTED },
	[CW_EVENT_A_PID] = { .type = NLA_U32 },
	[CW_EVENT_A_COMM] = { .type = NLA_STRING },
	[CW_EVENT_A_SUPPRESSED] = { .type = NLA_U32 },
	[CW_EVENT_A_THREAT] = { .type = NLA_U8 },
	[CW_EVENT_A_SEVERITY] = { .type = NLA_U8 },
	[CW_EVENT_A_PACKET] = { .type = NLA_UNSPEC },
};

int cw_event_parse(struct nlmsghdr *nlh, struct cw_event *ev)
{
	struct nlattr *top[CW_A_MAX + 1], *tb[CW_EVENT_A_MAX + 1];
	struct genlmsghdr *ghdr;

	memset(ev, 0, sizeof(*ev));
	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	ghdr = nlmsg_data(nlh);
	if (ghdr->cmd != CW_CMD_EVENT)
		return -ENOMSG;
	if (genlmsg_parse(nlh, 0, top, CW_A_MAX, NULL) || !top[CW_A_EVENT] ||
	    nla_parse_nested(tb, CW_EVENT_A_MAX, top[CW_A_EVENT], event_policy) ||
	    !tb[CW_EVENT_A_TYPE])
		return -EBADMSG;
	ev->type = nla_get_u8(tb[CW_EVENT_A_TYPE]);
	if (tb[CW_EVENT_A_TIME_NS])
		ev->time_ns = nla_get_u64(tb[CW_EVENT_A_TIME_NS]);
	if (tb[CW_EVENT_A_LOST])
		ev->lost = nla_get_u64(tb[CW_EVENT_A_LOST]);
	if (tb[CW_EVENT_A_FLOW]) {
		if (cw_flow_attrs_parse(tb[CW_EVENT_A_FLOW], &ev->flow))
			return -EBADMSG;
		ev->has_flow = true;
	}
	if (tb[CW_EVENT_A_PID])
		ev->pid = nla_get_u32(tb[CW_EVENT_A_PID]);
	if (tb[CW_EVENT_A_COMM])
		nla_strlcpy(ev->comm, tb[CW_EVENT_A_COMM], sizeof(ev->comm));
	if (tb[CW_EVENT_A_SUPPRESSED])
		ev->suppressed = nla_get_u32(tb[CW_EVENT_A_SUPPRESSED]);
	if (tb[CW_EVENT_A_THREAT])
		ev->threat = nla_get_u8(tb[CW_EVENT_A_THREAT]);
	if (tb[CW_EVENT_A_SEVERITY])
		ev->severity = nla_get_u8(tb[CW_EVENT_A_SEVERITY]);
	if (tb[CW_EVENT_A_PACKET]) {
		size_t len = nla_len(tb[CW_EVENT_A_PACKET]);

		/* A longer one (a newer module) is cut: the start is what tells. */
		ev->packet_len = len < sizeof(ev->packet) ? len : sizeof(ev->packet);
		memcpy(ev->packet, nla_data(tb[CW_EVENT_A_PACKET]), ev->packet_len);
	}
	return 0;
}

int cw_nl_events_join(struct cw_nl *nl)
{
	int grp = genl_ctrl_resolve_grp(nl->sock, CW_GENL_NAME, CW_MCGRP_EVENTS);

	if (grp < 0)
		return grp == -NLE_OBJ_NOTFOUND ? -ENOENT : -EPROTO;
	if (nl_socket_add_membership(nl->sock, grp))
		return -EIO;
	/* Room for bursts while the reader prints; a failure only costs that. */
	nl_socket_set_buffer_size(nl->sock, 4 << 20, 0);
	return 0;
}

int cw_nl_events_fd(struct cw_nl *nl)
{
	return nl_socket_get_fd(nl->sock);
}

struct event_reader {
	void (*fn)(const struct cw_event *ev, void *arg);
	void *arg;
};

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct event_reader *reader = arg;
	struct cw_event ev;

	/* Anything else on the group, or damaged, is skipped. */
	if (!cw_event_parse(nlmsg_hdr(msg), &ev))
		reader->fn(&ev, reader->arg);
	return NL_OK;
}

int cw_nl_events_read(struct cw_nl *nl, void (*fn)(const struct cw_event *ev, void *arg),
		      void *arg)
{
	struct event_reader reader = { .fn = fn, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &reader);
	/* Multicast messages carry no sequence number of ours. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	ret = nl_recvmsgs(nl->sock, cb);
	nl_cb_put(cb);
	if (ret == -NLE_NOMEM)
		return -ENOBUFS;
	return ret < 0 ? -EIO : 0;
}
