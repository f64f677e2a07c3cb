// SPDX-License-Identifier: GPL-2.0
/* libcellwall: workloads, addresses, domains, rules and flows over netlink. */

#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

/* The one nest a reply or request of @cmd carries, parsed with @policy. */
static int parse_nest(struct nlmsghdr *nlh, int attr, struct nlattr **tb, int max,
		      struct nla_policy *policy)
{
	struct nlattr *top[CW_A_MAX + 1];

	if (genlmsg_parse(nlh, 0, top, CW_A_MAX, NULL) || !top[attr] ||
	    nla_parse_nested(tb, max, top[attr], policy))
		return -EBADMSG;
	return 0;
}

/* A message for @cmd with an open nest @attr; NULL if out of memory. */
static struct nl_msg *nest_msg(struct cw_nl *nl, uint8_t cmd, int attr, struct nlattr **nest)
{
	struct nl_msg *msg = cw_nl_msg_new(nl, cmd);

	if (!msg)
		return NULL;
	*nest = nla_nest_start(msg, attr);
	if (!*nest) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Closes @nest and sends @msg, or frees it when building it failed. */
static int send_nest(struct cw_nl *nl, struct nl_msg *msg, struct nlattr *nest, int built)
{
	if (built) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return cw_nl_request(nl, msg, NULL, NULL);
}

/* Workloads */

static struct nla_policy workload_policy[CW_WORKLOAD_A_MAX + 1] = {
	[CW_WORKLOAD_A_ID] = { .type = NLA_U32 },
	[CW_WORKLOAD_A_NAME] = { .type = NLA_STRING },
	[CW_WORKLOAD_A_GROUP] = { .type = NLA_U32 },
	[CW_WORKLOAD_A_CGROUP_ID] = { .type = NLA_U64 },
	[CW_WORKLOAD_A_NETNS_COOKIE] = { .type = NLA_U64 },
};

int cw_workload_parse(struct nlmsghdr *nlh, struct cw_workload_info *w)
{
	struct nlattr *tb[CW_WORKLOAD_A_MAX + 1];

	memset(w, 0, sizeof(*w));
	if (parse_nest(nlh, CW_A_WORKLOAD, tb, CW_WORKLOAD_A_MAX, workload_policy) ||
	    !tb[CW_WORKLOAD_A_ID] || !tb[CW_WORKLOAD_A_NAME] || !tb[CW_WORKLOAD_A_GROUP])
		return -EBADMSG;
	w->id = nla_get_u32(tb[CW_WORKLOAD_A_ID]);
	w->group = nla_get_u32(tb[CW_WORKLOAD_A_GROUP]);
	nla_strlcpy(w->name, tb[CW_WORKLOAD_A_NAME], sizeof(w->name));
	if (tb[CW_WORKLOAD_A_CGROUP_ID])
		w->cgroup_id = nla_get_u64(tb[CW_WORKLOAD_A_CGROUP_ID]);
	if (tb[CW_WORKLOAD_A_NETNS_COOKIE])
		w->netns_cookie = nla_get_u64(tb[CW_WORKLOAD_A_NETNS_COOKIE]);
	return 0;
}

int cw_nl_workload_set(struct cw_nl *nl, const struct cw_workload_info *w, int netns_fd)
{
	struct nlattr *nest;
	struct nl_msg *msg = nest_msg(nl, CW_CMD_WORKLOAD_SET, CW_A_WORKLOAD, &nest);

	if (!msg)
		return -ENOMEM;
	return send_nest(nl, msg, nest,
		nla_put_u32(msg, CW_WORKLOAD_A_ID, w->id) ||
		(w->name[0] && nla_put_string(msg, CW_WORKLOAD_A_NAME, w->name)) ||
		(w->group && nla_put_u32(msg, CW_WORKLOAD_A_GROUP, w->group)) ||
		(w->cgroup_id && nla_put_u64(msg, CW_WORKLOAD_A_CGROUP_ID, w->cgroup_id)) ||
		(netns_fd >= 0 && nla_put_s32(msg, CW_WORKLOAD_A_NETNS_FD, netns_fd)));
}

int cw_nl_workload_del(struct cw_nl *nl, uint32_t id)
{
	struct nlattr *nest;
	struct nl_msg *msg = nest_msg(nl, CW_CMD_WORKLOAD_DEL, CW_A_WORKLOAD, &nest);

	if (!msg)
		return -ENOMEM;
	return send_nest(nl, msg, nest, nla_put_u32(msg, CW_WORKLOAD_A_ID, id));
}

static int parse_workload_item(struct nlmsghdr *nlh, void *item)
{
	return cw_workload_parse(nlh, item);
}

static int workload_by_id(const void *a, const void *b)
{
	const struct cw_workload_info *wa = a, *wb = b;

	return wa->id < wb->id ? -1 : wa->id > wb->id;
}

int cw_nl_workload_list(struct cw_nl *nl, struct cw_workload_info **workloads, size_t *count)
{
	void *items;
	int ret;

	ret = cw_nl_dump_all(nl, CW_CMD_WORKLOAD_GET, sizeof(**workloads),
			     parse_workload_item, &items, count);
	if (ret)
		return ret;
	qsort(items, *count, sizeof(**workloads), workload_by_id);
	*workloads = items;
	return 0;
}

/* Addresses */

static struct nla_policy addr_policy[CW_ADDR_A_MAX + 1] = {
	[CW_ADDR_A_FAMILY] = { .type = NLA_U8 },
	[CW_ADDR_A_ADDR] = { .type = NLA_UNSPEC },
	[CW_ADDR_A_PREFIX] = { .type = NLA_U8 },
	[CW_ADDR_A_WORKLOAD] = { .type = NLA_U32 },
	[CW_ADDR_A_GROUP] = { .type = NLA_U32 },
	[CW_ADDR_A_ORIGIN] = { .type = NLA_U8 },
};

static size_t family_len(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

int cw_addr_parse(struct nlmsghdr *nlh, struct cw_addr_info *a)
{
	struct nlattr *tb[CW_ADDR_A_MAX + 1];
	size_t len;

	memset(a, 0, sizeof(*a));
	if (parse_nest(nlh, CW_A_ADDR, tb, CW_ADDR_A_MAX, addr_policy) ||
	    !tb[CW_ADDR_A_FAMILY] || !tb[CW_ADDR_A_ADDR])
		return -EBADMSG;
	a->cidr.family = nla_get_u8(tb[CW_ADDR_A_FAMILY]);
	len = family_len(a->cidr.family);
	if (!len || (size_t)nla_len(tb[CW_ADDR_A_ADDR]) != len)
		return -EBADMSG;
	memcpy(a->cidr.addr, nla_data(tb[CW_ADDR_A_ADDR]), len);
	a->cidr.prefix = tb[CW_ADDR_A_PREFIX] ? nla_get_u8(tb[CW_ADDR_A_PREFIX]) : len * 8;
	if (a->cidr.prefix > len * 8)
		return -EBADMSG;
	if (tb[CW_ADDR_A_WORKLOAD])
		a->workload = nla_get_u32(tb[CW_ADDR_A_WORKLOAD]);
	if (tb[CW_ADDR_A_GROUP])
		a->group = nla_get_u32(tb[CW_ADDR_A_GROUP]);
	if (tb[CW_ADDR_A_ORIGIN])
		a->origin = nla_get_u8(tb[CW_ADDR_A_ORIGIN]);
	return 0;
}

static int put_cidr(struct nl_msg *msg, const struct cw_cidr *c)
{
	size_t len = family_len(c->family);

	if (!len)
		return -EAFNOSUPPORT;
	return nla_put_u8(msg, CW_ADDR_A_FAMILY, c->family) ||
	       nla_put(msg, CW_ADDR_A_ADDR, len, c->addr) ||
	       nla_put_u8(msg, CW_ADDR_A_PREFIX, c->prefix);
}

int cw_nl_addr_set(struct cw_nl *nl, const struct cw_addr_info *a)
{
	struct nlattr *nest;
	struct nl_msg *msg = nest_msg(nl, CW_CMD_ADDR_SET, CW_A_ADDR, &nest);

	if (!msg)
		return -ENOMEM;
	return send_nest(nl, msg, nest, put_cidr(msg, &a->cidr) ||
		(a->workload && nla_put_u32(msg, CW_ADDR_A_WORKLOAD, a->workload)) ||
		(a->group && nla_put_u32(msg, CW_ADDR_A_GROUP, a->group)));
}

int cw_nl_addr_del(struct cw_nl *nl, const struct cw_cidr *cidr)
{
	struct nlattr *nest;
	struct nl_msg *msg = nest_msg(nl, CW_CMD_ADDR_DEL, CW_A_ADDR, &nest);

	if (!msg)
		return -ENOMEM;
	return send_nest(nl, msg, nest, put_cidr(msg, cidr));
}

static int parse_addr_item(struct nlmsghdr *nlh, void *item)
{
	return cw_addr_parse(nlh, item);
}

int cw_nl_addr_list(struct cw_nl *nl, struct cw_addr_info **addrs, size_t *count)
{
	void *items;
	int ret;

	ret = cw_nl_dump_all(nl, CW_CMD_ADDR_GET, sizeof(**addrs), parse_addr_item,
			     &items, count);
	if (!ret)
		*addrs = items;
	return ret;
}

/* Domains */

static struct nla_policy domain_policy[CW_DOMAIN_A_MAX + 1] = {
	[CW_DOMAIN_A_NAME] = { .type = NLA_STRING },
	[CW_DOMAIN_A_GROUP] = { .type = NLA_U32 },
};

int cw_domain_parse(struct nlmsghdr *nlh, struct cw_domain_info *d)
{
	struct nlattr *tb[CW_DOMAIN_A_MAX + 1];

	memset(d, 0, sizeof(*d));
	if (parse_nest(nlh, CW_A_DOMAIN, tb, CW_DOMAIN_A_MAX, domain_policy) ||
	    !tb[CW_DOMAIN_A_NAME] || !tb[CW_DOMAIN_A_GROUP])
		return -EBADMSG;
	nla_strlcpy(d->name, tb[CW_DOMAIN_A_NAME], sizeof(d->name));
	d->group = nla_get_u32(tb[CW_DOMAIN_A_GROUP]);
	return 0;
}

int cw_nl_domain_set(struct cw_nl *nl, const struct cw_domain_info *d)
{
	struct nlattr *nest;
	struct nl_msg *msg = nest_msg(nl, CW_CMD_DOMAIN_SET, CW_A_DOMAIN, &nest);

	if (!msg)
		return -ENOMEM;
	return send_nest(nl, msg, nest, nla_put_string(msg, CW_DOMAIN_A_NAME, d->name) ||
			 nla_put_u32(msg, CW_DOMAIN_A_GROUP, d->group));
}

int cw_nl_domain_del(struct cw_nl *nl, const char *name)
{
	struct nlattr *nest;
	struct nl_msg *msg = nest_msg(nl, CW_CMD_DOMAIN_DEL, CW_A_DOMAIN, &nest);

	if (!msg)
		return -ENOMEM;
	return send_nest(nl, msg, nest, nla_put_string(msg, CW_DOMAIN_A_NAME, name));
}

static int parse_domain_item(struct nlmsghdr *nlh, void *item)
{
	return cw_domain_parse(nlh, item);
}

static int domain_by_name(const void *a, const void *b)
{
	const struct cw_domain_info *da = a, *db = b;

	return strcmp(da->name, db->name);
}

int cw_nl_domain_list(struct cw_nl *nl, struct cw_domain_info **domains, size_t *count)
{
	void *items;
	int ret;

	ret = cw_nl_dump_all(nl, CW_CMD_DOMAIN_GET, sizeof(**domains), parse_domain_item,
			     &items, count);
	if (ret)
		return ret;
	/* The kernel dumps in hash order: sorted, lists and exports are stable. */
	qsort(items, *count, sizeof(**domains), domain_by_name);
	*domains = items;
	return 0;
}

/* Rules */

static struct nla_policy rule_policy[CW_RULE_A_MAX + 1] = {
	[CW_RULE_A_ID] = { .type = NLA_U32 },
	[CW_RULE_A_FROM] = { .type = NLA_U32 },
	[CW_RULE_A_TO] = { .type = NLA_U32 },
	[CW_RULE_A_PROTO] = { .type = NLA_U8 },
	[CW_RULE_A_PORT_MIN] = { .type = NLA_U16 },
	[CW_RULE_A_PORT_MAX] = { .type = NLA_U16 },
	[CW_RULE_A_ACTION] = { .type = NLA_U8 },
	[CW_RULE_A_LEARNED] = { .type = NLA_FLAG },
	[CW_RULE_A_APPS] = { .type = NLA_U64 },
};

int cw_rule_parse(struct nlmsghdr *nlh, struct cw_rule_entry *rule)
{
	struct nlattr *tb[CW_RULE_A_MAX + 1];

	memset(rule, 0, sizeof(*rule));
	if (parse_nest(nlh, CW_A_RULE, tb, CW_RULE_A_MAX, rule_policy) ||
	    !tb[CW_RULE_A_ID] || !tb[CW_RULE_A_FROM] || !tb[CW_RULE_A_TO] ||
	    !tb[CW_RULE_A_ACTION])
		return -EBADMSG;
	rule->id = nla_get_u32(tb[CW_RULE_A_ID]);
	rule->from = nla_get_u32(tb[CW_RULE_A_FROM]);
	rule->to = nla_get_u32(tb[CW_RULE_A_TO]);
	rule->action = nla_get_u8(tb[CW_RULE_A_ACTION]);
	rule->learned = tb[CW_RULE_A_LEARNED];
	if (tb[CW_RULE_A_PROTO])
		rule->proto = nla_get_u8(tb[CW_RULE_A_PROTO]);
	rule->port_min = tb[CW_RULE_A_PORT_MIN] ? nla_get_u16(tb[CW_RULE_A_PORT_MIN]) : 0;
	rule->port_max = tb[CW_RULE_A_PORT_MAX] ? nla_get_u16(tb[CW_RULE_A_PORT_MAX]) : 65535;
	if (tb[CW_RULE_A_APPS])
		rule->apps = nla_get_u64(tb[CW_RULE_A_APPS]);
	return 0;
}

static int parse_rule_item(struct nlmsghdr *nlh, void *item)
{
	return cw_rule_parse(nlh, item);
}

int cw_nl_policy_list(struct cw_nl *nl, struct cw_rule_entry **rules, size_t *count)
{
	void *items;
	int ret;

	ret = cw_nl_dump_all(nl, CW_CMD_POLICY_GET, sizeof(**rules), parse_rule_item,
			     &items, count);
	if (!ret)
		*rules = items;
	return ret;
}

int cw_nl_learned_list(struct cw_nl *nl, struct cw_rule_entry **rules, size_t *count)
{
	void *items;
	int ret;

	ret = cw_nl_dump_all(nl, CW_CMD_LEARNED_GET, sizeof(**rules), parse_rule_item,
			     &items, count);
	if (!ret)
		*rules = items;
	return ret;
}

/* Flows */

static struct nla_policy flow_policy[CW_FLOW_A_MAX + 1] = {
	[CW_FLOW_A_NETNS_COOKIE] = { .type = NLA_U64 },
	[CW_FLOW_A_HOOK] = { .type = NLA_U8 },
	[CW_FLOW_A_FAMILY] = { .type = NLA_U8 },
	[CW_FLOW_A_PROTO] = { .type = NLA_U8 },
	[CW_FLOW_A_SRC] = { .type = NLA_UNSPEC },
	[CW_FLOW_A_DST] = { .type = NLA_UNSPEC },
	[CW_FLOW_A_SPORT] = { .type = NLA_U16 },
	[CW_FLOW_A_DPORT] = { .type = NLA_U16 },
	[CW_FLOW_A_FROM_WORKLOAD] = { .type = NLA_U32 },
	[CW_FLOW_A_TO_WORKLOAD] = { .type = NLA_U32 },
	[CW_FLOW_A_FROM_GROUP] = { .type = NLA_U32 },
	[CW_FLOW_A_TO_GROUP] = { .type = NLA_U32 },
	[CW_FLOW_A_STATE] = { .type = NLA_U8 },
	[CW_FLOW_A_VERDICT] = { .type = NLA_U8 },
	[CW_FLOW_A_MODE] = { .type = NLA_U8 },
	[CW_FLOW_A_RULE] = { .type = NLA_U32 },
	[CW_FLOW_A_PACKETS_ORIG] = { .type = NLA_U64 },
	[CW_FLOW_A_BYTES_ORIG] = { .type = NLA_U64 },
	[CW_FLOW_A_PACKETS_REPLY] = { .type = NLA_U64 },
	[CW_FLOW_A_BYTES_REPLY] = { .type = NLA_U64 },
	[CW_FLOW_A_AGE_MS] = { .type = NLA_U64 },
	[CW_FLOW_A_APP] = { .type = NLA_U8 },
	[CW_FLOW_A_APP_ATTR] = { .type = NLA_STRING },
	[CW_FLOW_A_APP_DETAIL] = { .type = NLA_STRING },
	[CW_FLOW_A_APP_MISMATCH] = { .type = NLA_FLAG },
	[CW_FLOW_A_DPI] = { .type = NLA_U8 },
};

static uint8_t opt_u8(struct nlattr *a)
{
	return a ? nla_get_u8(a) : 0;
}

static uint16_t opt_u16(struct nlattr *a)
{
	return a ? nla_get_u16(a) : 0;
}

static uint32_t opt_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static uint64_t opt_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

/* The tuple is required; everything else reads as 0 when absent. */
int cw_flow_attrs_parse(struct nlattr *nest, struct cw_flow_info *f)
{
	struct nlattr *tb[CW_FLOW_A_MAX + 1];
	size_t len;

	memset(f, 0, sizeof(*f));
	if (nla_parse_nested(tb, CW_FLOW_A_MAX, nest, flow_policy) ||
	    !tb[CW_FLOW_A_FAMILY] || !tb[CW_FLOW_A_PROTO] ||
	    !tb[CW_FLOW_A_SRC] || !tb[CW_FLOW_A_DST])
		return -EBADMSG;
	f->family = nla_get_u8(tb[CW_FLOW_A_FAMILY]);
	len = family_len(f->family);
	if (!len || (size_t)nla_len(tb[CW_FLOW_A_SRC]) != len ||
	    (size_t)nla_len(tb[CW_FLOW_A_DST]) != len)
		return -EBADMSG;
	memcpy(f->src, nla_data(tb[CW_FLOW_A_SRC]), len);
	memcpy(f->dst, nla_data(tb[CW_FLOW_A_DST]), len);
	f->proto = nla_get_u8(tb[CW_FLOW_A_PROTO]);
	f->netns_cookie = opt_u64(tb[CW_FLOW_A_NETNS_COOKIE]);
	f->hook = opt_u8(tb[CW_FLOW_A_HOOK]);
	f->sport = opt_u16(tb[CW_FLOW_A_SPORT]);
	f->dport = opt_u16(tb[CW_FLOW_A_DPORT]);
	f->from_workload = opt_u32(tb[CW_FLOW_A_FROM_WORKLOAD]);
	f->to_workload = opt_u32(tb[CW_FLOW_A_TO_WORKLOAD]);
	f->from_group = opt_u32(tb[CW_FLOW_A_FROM_GROUP]);
	f->to_group = opt_u32(tb[CW_FLOW_A_TO_GROUP]);
	f->state = opt_u8(tb[CW_FLOW_A_STATE]);
	f->verdict = opt_u8(tb[CW_FLOW_A_VERDICT]);
	f->mode = opt_u8(tb[CW_FLOW_A_MODE]);
	f->rule = opt_u32(tb[CW_FLOW_A_RULE]);
	f->packets_orig = opt_u64(tb[CW_FLOW_A_PACKETS_ORIG]);
	f->bytes_orig = opt_u64(tb[CW_FLOW_A_BYTES_ORIG]);
	f->packets_reply = opt_u64(tb[CW_FLOW_A_PACKETS_REPLY]);
	f->bytes_reply = opt_u64(tb[CW_FLOW_A_BYTES_REPLY]);
	f->age_ms = opt_u64(tb[CW_FLOW_A_AGE_MS]);
	/* A module without DPI reports none: as if it were off. */
	f->dpi = tb[CW_FLOW_A_DPI] ? nla_get_u8(tb[CW_FLOW_A_DPI]) : CW_DPI_STATE_OFF;
	f->app = opt_u8(tb[CW_FLOW_A_APP]);
	if (tb[CW_FLOW_A_APP_ATTR])
		nla_strlcpy(f->app_attr, tb[CW_FLOW_A_APP_ATTR], sizeof(f->app_attr));
	if (tb[CW_FLOW_A_APP_DETAIL])
		nla_strlcpy(f->app_detail, tb[CW_FLOW_A_APP_DETAIL], sizeof(f->app_detail));
	f->app_mismatch = tb[CW_FLOW_A_APP_MISMATCH];
	return 0;
}

int cw_flow_parse(struct nlmsghdr *nlh, struct cw_flow_info *flow)
{
	struct nlattr *top[CW_A_MAX + 1];

	memset(flow, 0, sizeof(*flow));
	if (genlmsg_parse(nlh, 0, top, CW_A_MAX, NULL) || !top[CW_A_FLOW])
		return -EBADMSG;
	return cw_flow_attrs_parse(top[CW_A_FLOW], flow);
}

static int parse_flow_item(struct nlmsghdr *nlh, void *item)
{
	return cw_flow_parse(nlh, item);
}

int cw_nl_flow_list(struct cw_nl *nl, struct cw_flow_info **flows, size_t *count)
{
	void *items;
	int ret;

	ret = cw_nl_dump_all(nl, CW_CMD_FLOW_GET, sizeof(**flows), parse_flow_item,
			     &items, count);
	if (!ret)
		*flows = items;
	return ret;
}

/* Threat detections */

static struct nla_policy threat_policy[CW_THREAT_A_MAX + 1] = {
	[CW_THREAT_A_ID] = { .type = NLA_U8 },
	[CW_THREAT_A_NAME] = { .type = NLA_STRING },
	[CW_THREAT_A_SEVERITY] = { .type = NLA_U8 },
	[CW_THREAT_A_ACTION] = { .type = NLA_U8 },
	[CW_THREAT_A_THRESHOLD] = { .type = NLA_U32 },
	[CW_THREAT_A_COUNT] = { .type = NLA_U64 },
};

int cw_threat_parse(struct nlmsghdr *nlh, struct cw_threat_info *t)
{
	struct nlattr *tb[CW_THREAT_A_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (parse_nest(nlh, CW_A_THREAT, tb, CW_THREAT_A_MAX, threat_policy) ||
	    !tb[CW_THREAT_A_ID] || !tb[CW_THREAT_A_NAME] || !tb[CW_THREAT_A_ACTION])
		return -EBADMSG;
	t->id = nla_get_u8(tb[CW_THREAT_A_ID]);
	nla_strlcpy(t->name, tb[CW_THREAT_A_NAME], sizeof(t->name));
	t->action = nla_get_u8(tb[CW_THREAT_A_ACTION]);
	t->severity = opt_u8(tb[CW_THREAT_A_SEVERITY]);
	t->threshold = opt_u32(tb[CW_THREAT_A_THRESHOLD]);
	t->count = opt_u64(tb[CW_THREAT_A_COUNT]);
	return 0;
}

int cw_nl_threat_set(struct cw_nl *nl, uint8_t id, int action, uint32_t threshold)
{
	struct nlattr *nest;
	struct nl_msg *msg = nest_msg(nl, CW_CMD_THREAT_SET, CW_A_THREAT, &nest);

	if (!msg)
		return -ENOMEM;
	return send_nest(nl, msg, nest, nla_put_u8(msg, CW_THREAT_A_ID, id) ||
			 (action >= 0 && nla_put_u8(msg, CW_THREAT_A_ACTION, action)) ||
			 (threshold && nla_put_u32(msg, CW_THREAT_A_THRESHOLD, threshold)));
}

static int parse_threat_item(struct nlmsghdr *nlh, void *item)
{
	return cw_threat_parse(nlh, item);
}

static int threat_by_id(const void *a, const void *b)
{
	const struct cw_threat_info *ta = a, *tb = b;

	return (ta->id > tb->id) - (ta->id < tb->id);
}

int cw_nl_threat_list(struct cw_nl *nl, struct cw_threat_info **threats, size_t *count)
{
	void *items;
	int ret;

	ret = cw_nl_dump_all(nl, CW_CMD_THREAT_GET, sizeof(**threats), parse_threat_item,
			     &items, count);
	if (ret)
		return ret;
	qsort(items, *count, sizeof(**threats), threat_by_id);
	*threats = items;
	return 0;
}

static const char *const threat_actions[] = {
	[CW_THREAT_ACTION_OFF] = "off",
	[CW_THREAT_ACTION_ALERT] = "alert",
	[CW_THREAT_ACTION_BLOCK] = "block",
};

const char *cw_threat_action_name(uint8_t action)
{
	return action <= CW_THREAT_ACTION_MAX ? threat_actions[action] : "?";
}

int cw_threat_action_parse(const char *name)
{
	int action;

	for (action = 0; action <= CW_THREAT_ACTION_MAX; action++)
		if (!strcmp(name, threat_actions[action]))
			return action;
	return -1;
}
