// SPDX-License-Identifier: GPL-2.0
/* libcellwall: a generic netlink client for the cellwall module. */

#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* What one request collects from the callbacks. */
struct request {
	struct cw_nl *nl;
	int (*parse)(struct nlmsghdr *nlh, void *arg);
	void *arg;
	int err;
	bool done;
};

int cw_nl_open(struct cw_nl **nlp)
{
	struct cw_nl *nl;
	int one = 1;
	int ret;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sock = nl_socket_alloc();
	if (!nl->sock) {
		free(nl);
		return -ENOMEM;
	}
	ret = genl_connect(nl->sock);
	if (ret < 0) {
		ret = -EIO;
		goto err;
	}
	/* Ask the kernel to explain refusals (extack). */
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));

	nl->family = genl_ctrl_resolve(nl->sock, CW_GENL_NAME);
	if (nl->family < 0) {
		ret = nl->family == -NLE_OBJ_NOTFOUND ? -ENOENT : -EPROTO;
		goto err;
	}
	*nlp = nl;
	return 0;

err:
	nl_socket_free(nl->sock);
	free(nl);
	return ret;
}

void cw_nl_close(struct cw_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sock);
	free(nl);
}

const char *cw_nl_errmsg(const struct cw_nl *nl)
{
	return nl->errmsg;
}

uint32_t cw_nl_erroff(const struct cw_nl *nl)
{
	return nl->erroff;
}

void cw_nl_set_error(struct cw_nl *nl, const char *errmsg, uint32_t erroff)
{
	snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", errmsg);
	nl->erroff = erroff;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	int ret;

	if (!req->parse)
		return NL_OK;
	ret = req->parse(nlmsg_hdr(msg), req->arg);
	if (ret && !req->err)
		req->err = ret;
	return NL_OK;
}

/* Keeps the errno and the extack message of a refused request. */
static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	struct request *req = arg;
	unsigned int ack_len;

	(void)nla;
	req->err = err->error ? err->error : -EPROTO;
	req->done = true;

	ack_len = sizeof(*nlh) + sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += err->msg.nlmsg_len - sizeof(*nlh);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= ack_len)
		return NL_STOP;

	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + ack_len),
		      nlh->nlmsg_len - ack_len, NULL))
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(req->nl->errmsg, tb[NLMSGERR_ATTR_MSG],
			    sizeof(req->nl->errmsg));
	/* Relative to the start of the request, its nlmsghdr included. */
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		req->nl->erroff = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

static struct nl_msg *msg_new(struct cw_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags, cmd, CW_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct nl_msg *cw_nl_msg_new(struct cw_nl *nl, uint8_t cmd)
{
	return msg_new(nl, cmd, 0);
}

struct nl_msg *cw_nl_dump_new(struct cw_nl *nl, uint8_t cmd)
{
	return msg_new(nl, cmd, NLM_F_DUMP);
}

int cw_nl_request(struct cw_nl *nl, struct nl_msg *msg,
		  int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct request req = { .nl = nl, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int ret;

	nl->errmsg[0] = '\0';
	nl->erroff = 0;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, ack_cb, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &req);

	ret = nl_send_auto(nl->sock, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		ret = -EIO;
		goto out;
	}
	while (!req.done) {
		ret = nl_recvmsgs(nl->sock, cb);
		if (ret < 0 && !req.done) {
			/* A dump that saw the table change: the caller retries. */
			ret = ret == -NLE_DUMP_INTR ? -EAGAIN : -EIO;
			goto out;
		}
	}
	ret = req.err;
out:
	nl_cb_put(cb);
	return ret;
}

static struct nla_policy stats_policy[CW_STATS_A_MAX + 1] = {
	[CW_STATS_A_IN_PACKETS] = { .type = NLA_U64 },
	[CW_STATS_A_IN_BYTES] = { .type = NLA_U64 },
	[CW_STATS_A_OUT_PACKETS] = { .type = NLA_U64 },
	[CW_STATS_A_OUT_BYTES] = { .type = NLA_U64 },
	[CW_STATS_A_FWD_PACKETS] = { .type = NLA_U64 },
	[CW_STATS_A_FWD_BYTES] = { .type = NLA_U64 },
};

static struct nla_policy status_policy[CW_A_MAX + 1] = {
	[CW_A_VERSION] = { .type = NLA_STRING },
	[CW_A_ENABLED] = { .type = NLA_U8 },
	[CW_A_NETNS_COUNT] = { .type = NLA_U32 },
	[CW_A_STATS_NETNS] = { .type = NLA_NESTED },
	[CW_A_STATS_ALL] = { .type = NLA_NESTED },
	[CW_A_POLICY_GENERATION] = { .type = NLA_U32 },
	[CW_A_POLICY_RULES] = { .type = NLA_U32 },
	[CW_A_FLOW_ENTRY_SIZE] = { .type = NLA_U32 },
	[CW_A_FLOW_STATS] = { .type = NLA_NESTED },
	[CW_A_EVENTS_LOST] = { .type = NLA_U64 },
};

static struct nla_policy flow_stats_policy[CW_FLOW_STATS_A_MAX + 1] = {
	[CW_FLOW_STATS_A_ACTIVE] = { .type = NLA_U32 },
	[CW_FLOW_STATS_A_CREATED] = { .type = NLA_U64 },
	[CW_FLOW_STATS_A_EVICTED] = { .type = NLA_U64 },
	[CW_FLOW_STATS_A_FULL_ACCEPTED] = { .type = NLA_U64 },
	[CW_FLOW_STATS_A_FULL_DROPPED] = { .type = NLA_U64 },
	[CW_FLOW_STATS_A_HELD] = { .type = NLA_U64 },
	[CW_FLOW_STATS_A_EXPIRED] = { .type = NLA_U64 },
};

static uint64_t get_u64(struct nlattr *attr)
{
	return attr ? nla_get_u64(attr) : 0;
}

/* The flow table's counters; each is optional, the nest is not. */
static int parse_flow_stats(struct nlattr *nest, struct cw_flow_stats *f)
{
	struct nlattr *tb[CW_FLOW_STATS_A_MAX + 1];

	if (nla_parse_nested(tb, CW_FLOW_STATS_A_MAX, nest, flow_stats_policy))
		return -EBADMSG;
	f->active = tb[CW_FLOW_STATS_A_ACTIVE] ? nla_get_u32(tb[CW_FLOW_STATS_A_ACTIVE]) : 0;
	f->created = get_u64(tb[CW_FLOW_STATS_A_CREATED]);
	f->evicted = get_u64(tb[CW_FLOW_STATS_A_EVICTED]);
	f->full_accepted = get_u64(tb[CW_FLOW_STATS_A_FULL_ACCEPTED]);
	f->full_dropped = get_u64(tb[CW_FLOW_STATS_A_FULL_DROPPED]);
	f->held = get_u64(tb[CW_FLOW_STATS_A_HELD]);
	f->expired = get_u64(tb[CW_FLOW_STATS_A_EXPIRED]);
	return 0;
}

static int parse_counters(struct nlattr *nest, struct cw_counters *c)
{
	static const int attrs[CW_DIR_COUNT][2] = {
		[CW_DIR_IN] = { CW_STATS_A_IN_PACKETS, CW_STATS_A_IN_BYTES },
		[CW_DIR_OUT] = { CW_STATS_A_OUT_PACKETS, CW_STATS_A_OUT_BYTES },
		[CW_DIR_FWD] = { CW_STATS_A_FWD_PACKETS, CW_STATS_A_FWD_BYTES },
	};
	struct nlattr *tb[CW_STATS_A_MAX + 1];
	int dir;

	if (nla_parse_nested(tb, CW_STATS_A_MAX, nest, stats_policy))
		return -EBADMSG;
	for (dir = 0; dir < CW_DIR_COUNT; dir++) {
		if (!tb[attrs[dir][0]] || !tb[attrs[dir][1]])
			return -EBADMSG;
		c->packets[dir] = nla_get_u64(tb[attrs[dir][0]]);
		c->bytes[dir] = nla_get_u64(tb[attrs[dir][1]]);
	}
	return 0;
}

int cw_status_parse(struct nlmsghdr *nlh, struct cw_status *status)
{
	struct nlattr *tb[CW_A_MAX + 1];

	memset(status, 0, sizeof(*status));
	if (genlmsg_parse(nlh, 0, tb, CW_A_MAX, status_policy))
		return -EBADMSG;
	if (!tb[CW_A_VERSION] || !tb[CW_A_ENABLED] || !tb[CW_A_NETNS_COUNT] ||
	    !tb[CW_A_STATS_NETNS] || !tb[CW_A_STATS_ALL])
		return -EBADMSG;

	nla_strlcpy(status->version, tb[CW_A_VERSION], sizeof(status->version));
	status->enabled = nla_get_u8(tb[CW_A_ENABLED]);
	status->netns_count = nla_get_u32(tb[CW_A_NETNS_COUNT]);
	if (parse_counters(tb[CW_A_STATS_NETNS], &status->netns) ||
	    parse_counters(tb[CW_A_STATS_ALL], &status->all))
		return -EBADMSG;

	if (tb[CW_A_POLICY_GENERATION] && tb[CW_A_POLICY_RULES]) {
		status->has_policy = true;
		status->policy_generation = nla_get_u32(tb[CW_A_POLICY_GENERATION]);
		status->policy_rules = nla_get_u32(tb[CW_A_POLICY_RULES]);
	}
	if (tb[CW_A_FLOW_ENTRY_SIZE] && tb[CW_A_FLOW_STATS]) {
		status->has_flows = true;
		status->flow_entry_size = nla_get_u32(tb[CW_A_FLOW_ENTRY_SIZE]);
		if (parse_flow_stats(tb[CW_A_FLOW_STATS], &status->flows))
			return -EBADMSG;
	}
	if (tb[CW_A_EVENTS_LOST]) {
		status->has_events_lost = true;
		status->events_lost = nla_get_u64(tb[CW_A_EVENTS_LOST]);
	}
	return 0;
}

static int parse_status(struct nlmsghdr *nlh, void *arg)
{
	return cw_status_parse(nlh, arg);
}

int cw_nl_status(struct cw_nl *nl, struct cw_status *status)
{
	struct nl_msg *msg = cw_nl_msg_new(nl, CW_CMD_STATUS);

	if (!msg)
		return -ENOMEM;
	return cw_nl_request(nl, msg, parse_status, status);
}

static struct nla_policy group_policy[CW_GROUP_A_MAX + 1] = {
	[CW_GROUP_A_ID] = { .type = NLA_U32 },
	[CW_GROUP_A_NAME] = { .type = NLA_STRING },
	[CW_GROUP_A_MODE] = { .type = NLA_U8 },
};

static struct nla_policy group_cmd_policy[CW_A_MAX + 1] = {
	[CW_A_GROUP] = { .type = NLA_NESTED },
};

int cw_group_parse(struct nlmsghdr *nlh, struct cw_group_info *group)
{
	struct nlattr *tb[CW_A_MAX + 1], *gtb[CW_GROUP_A_MAX + 1];

	memset(group, 0, sizeof(*group));
	if (genlmsg_parse(nlh, 0, tb, CW_A_MAX, group_cmd_policy) || !tb[CW_A_GROUP] ||
	    nla_parse_nested(gtb, CW_GROUP_A_MAX, tb[CW_A_GROUP], group_policy) ||
	    !gtb[CW_GROUP_A_ID] || !gtb[CW_GROUP_A_NAME] || !gtb[CW_GROUP_A_MODE])
		return -EBADMSG;
	group->id = nla_get_u32(gtb[CW_GROUP_A_ID]);
	group->mode = nla_get_u8(gtb[CW_GROUP_A_MODE]);
	nla_strlcpy(group->name, gtb[CW_GROUP_A_NAME], sizeof(group->name));
	return 0;
}

/* Builds a request carrying one CW_A_GROUP nest. */
static struct nl_msg *group_msg(struct cw_nl *nl, uint8_t cmd, uint32_t id,
				const char *name, uint8_t mode)
{
	struct nl_msg *msg = cw_nl_msg_new(nl, cmd);
	struct nlattr *nest;

	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, CW_A_GROUP);
	if (!nest || nla_put_u32(msg, CW_GROUP_A_ID, id) ||
	    (name && nla_put_string(msg, CW_GROUP_A_NAME, name)) ||
	    (mode != CW_MODE_NONE && nla_put_u8(msg, CW_GROUP_A_MODE, mode))) {
		nlmsg_free(msg);
		return NULL;
	}
	nla_nest_end(msg, nest);
	return msg;
}

int cw_nl_group_set(struct cw_nl *nl, uint32_t id, const char *name, uint8_t mode)
{
	struct nl_msg *msg = group_msg(nl, CW_CMD_GROUP_SET, id, name, mode);

	return msg ? cw_nl_request(nl, msg, NULL, NULL) : -ENOMEM;
}

int cw_nl_group_del(struct cw_nl *nl, uint32_t id)
{
	struct nl_msg *msg = group_msg(nl, CW_CMD_GROUP_DEL, id, NULL, CW_MODE_NONE);

	return msg ? cw_nl_request(nl, msg, NULL, NULL) : -ENOMEM;
}

struct dump_list {
	int (*parse)(struct nlmsghdr *nlh, void *item);
	size_t elem;
	char *items;
	size_t count, size;
};

static int parse_dump_entry(struct nlmsghdr *nlh, void *arg)
{
	struct dump_list *list = arg;

	if (list->count == list->size) {
		size_t size = list->size ? 2 * list->size : 16;
		char *items = realloc(list->items, size * list->elem);

		if (!items)
			return -ENOMEM;
		list->items = items;
		list->size = size;
	}
	if (list->parse(nlh, list->items + list->count * list->elem))
		return -EBADMSG;
	list->count++;
	return 0;
}

int cw_nl_dump_all(struct cw_nl *nl, uint8_t cmd, size_t elem,
		   int (*parse)(struct nlmsghdr *nlh, void *item),
		   void **items, size_t *count)
{
	struct dump_list list = { .parse = parse, .elem = elem };
	int ret = -EAGAIN, tries;

	for (tries = 0; tries < 5 && ret == -EAGAIN; tries++) {
		struct nl_msg *msg = cw_nl_dump_new(nl, cmd);

		if (!msg) {
			ret = -ENOMEM;
			break;
		}
		list.count = 0;
		ret = cw_nl_request(nl, msg, parse_dump_entry, &list);
	}
	if (ret) {
		free(list.items);
		return ret;
	}
	*items = list.items;
	*count = list.count;
	return 0;
}

static int parse_group_item(struct nlmsghdr *nlh, void *item)
{
	return cw_group_parse(nlh, item);
}

static int by_id(const void *a, const void *b)
{
	const struct cw_group_info *ga = a, *gb = b;

	return ga->id < gb->id ? -1 : ga->id > gb->id;
}

int cw_nl_group_list(struct cw_nl *nl, struct cw_group_info **groups, size_t *count)
{
	void *items;
	int ret;

	ret = cw_nl_dump_all(nl, CW_CMD_GROUP_GET, sizeof(**groups), parse_group_item,
			     &items, count);
	if (ret)
		return ret;
	qsort(items, *count, sizeof(**groups), by_id);
	*groups = items;
	return 0;
}

static const char *const mode_names[] = {
	[CW_MODE_NONE] = "-",
	[CW_MODE_DISCOVER] = "discover",
	[CW_MODE_MONITOR] = "monitor",
	[CW_MODE_PROTECT] = "protect",
};

const char *cw_mode_name(uint8_t mode)
{
	return mode <= CW_MODE_MAX ? mode_names[mode] : "?";
}

uint8_t cw_mode_parse(const char *name)
{
	uint8_t mode;

	for (mode = CW_MODE_DISCOVER; mode <= CW_MODE_MAX; mode++)
		if (!strcmp(name, mode_names[mode]))
			return mode;
	return CW_MODE_NONE;
}
