// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink input no honest client sends, built by hand with libnl: missing
 * and oversized attributes, wrong types, ids that do not exist, policy
 * transactions out of order or too big. Each is refused with an error,
 * and afterwards the policy, the groups and the workloads are those of
 * before and the module still answers STATUS.
 */

#include "helpers.h"
#include "uapi/cellwall.h"
#include "kselftest_harness.h"

#include <linux/netlink.h>
#include <netinet/in.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <sys/socket.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define HOSTILE_TIMEOUT 600

/* The groups and workloads every test starts with. */
#define GA 20
#define GB 21
#define WA 1
#define WB 2

/* One generic netlink socket to the module, with our own callbacks. */
struct raw {
	struct nl_sock *sk;
	int family;
	int err;
	bool done;
	char errmsg[256];
};

/* The answer to a request: 0, or the kernel's negative errno. */
static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct raw *r = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	unsigned int ack_len = sizeof(*nlh) + sizeof(*e);

	r->err = e->error;
	r->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += e->msg.nlmsg_len - sizeof(*nlh);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS && nlh->nlmsg_len > ack_len &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + ack_len),
		       nlh->nlmsg_len - ack_len, NULL) && tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(r->errmsg, tb[NLMSGERR_ATTR_MSG], sizeof(r->errmsg));
	return NL_STOP;
}

static int done_cb(struct nl_msg *msg, void *arg)
{
	struct raw *r = arg;

	r->done = true;
	return NL_STOP;
}

static int raw_open(struct raw *r)
{
	int one = 1;

	memset(r, 0, sizeof(*r));
	r->sk = nl_socket_alloc();
	if (!r->sk || genl_connect(r->sk))
		return -1;
	/* Requests of thousands of rules; errors without the request copied. */
	nl_socket_set_buffer_size(r->sk, 1 << 20, 1 << 20);
	nl_socket_enable_msg_peek(r->sk);
	setsockopt(nl_socket_get_fd(r->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(r->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	r->family = genl_ctrl_resolve(r->sk, CW_GENL_NAME);
	return r->family < 0 ? -1 : 0;
}

static void raw_close(struct raw *r)
{
	if (r->sk)
		nl_socket_free(r->sk);
	r->sk = NULL;
}

static struct nl_msg *raw_msg(struct raw *r, uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(size);

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, r->family, 0, flags,
				cmd, CW_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* Sends @msg (and frees it); each reply goes to @valid. 0 or -errno. */
static int raw_send(struct raw *r, struct nl_msg *msg,
		    int (*valid)(struct nl_msg *msg, void *arg), void *arg)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	r->err = 0;
	r->done = false;
	r->errmsg[0] = '\0';
	if (!cb || !msg) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, done_cb, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, done_cb, r);
	if (valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, arg);
	ret = nl_send_auto(r->sk, msg);
	nlmsg_free(msg);
	while (ret >= 0 && !r->done)
		ret = nl_recvmsgs(r->sk, cb);
	nl_cb_put(cb);
	if (!r->done)
		return -EIO;
	return r->err;
}

/* A request with no attributes. */
static int raw_cmd(struct raw *r, uint8_t cmd)
{
	return raw_send(r, raw_msg(r, cmd, 0, 4096), NULL, NULL);
}

/* COMMIT, saying how many rules were sent in the transaction. */
static int raw_commit(struct raw *r, uint32_t rules)
{
	struct nl_msg *msg = raw_msg(r, CW_CMD_POLICY_COMMIT, 0, 4096);

	nla_put_u32(msg, CW_A_POLICY_RULES, rules);
	return raw_send(r, msg, NULL, NULL);
}

/* What the dumps return, to compare before and after. */
struct rule {
	uint32_t id, from, to;
	uint16_t port_min, port_max;
	uint8_t proto, action;
};

struct state {
	struct rule rules[16];
	int nrules;		/* may exceed 16: only the first are kept */
	int ngroups, nworkloads;
};

static int rule_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CW_A_MAX + 1], *rtb[CW_RULE_A_MAX + 1];
	struct state *s = arg;
	struct rule *rule;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CW_A_MAX, NULL) || !tb[CW_A_RULE] ||
	    nla_parse_nested(rtb, CW_RULE_A_MAX, tb[CW_A_RULE], NULL))
		return NL_SKIP;
	if (s->nrules < 16) {
		rule = &s->rules[s->nrules];
		memset(rule, 0, sizeof(*rule));
		rule->id = rtb[CW_RULE_A_ID] ? nla_get_u32(rtb[CW_RULE_A_ID]) : 0;
		rule->from = rtb[CW_RULE_A_FROM] ? nla_get_u32(rtb[CW_RULE_A_FROM]) : 0;
		rule->to = rtb[CW_RULE_A_TO] ? nla_get_u32(rtb[CW_RULE_A_TO]) : 0;
		rule->proto = rtb[CW_RULE_A_PROTO] ? nla_get_u8(rtb[CW_RULE_A_PROTO]) : 0;
		rule->port_min = rtb[CW_RULE_A_PORT_MIN] ? nla_get_u16(rtb[CW_RULE_A_PORT_MIN]) : 0;
		rule->port_max = rtb[CW_RULE_A_PORT_MAX] ? nla_get_u16(rtb[CW_RULE_A_PORT_MAX]) : 0;
		rule->action = rtb[CW_RULE_A_ACTION] ? nla_get_u8(rtb[CW_RULE_A_ACTION]) : 0;
	}
	s->nrules++;
	return NL_OK;
}

static int count_cb(struct nl_msg *msg, void *arg)
{
	(*(int *)arg)++;
	return NL_OK;
}

static int raw_state(struct raw *r, struct state *s)
{
	memset(s, 0, sizeof(*s));
	if (raw_send(r, raw_msg(r, CW_CMD_POLICY_GET, NLM_F_DUMP, 4096), rule_cb, s) ||
	    raw_send(r, raw_msg(r, CW_CMD_GROUP_GET, NLM_F_DUMP, 4096), count_cb, &s->ngroups) ||
	    raw_send(r, raw_msg(r, CW_CMD_WORKLOAD_GET, NLM_F_DUMP, 4096), count_cb,
		     &s->nworkloads))
		return -1;
	return 0;
}

static int put_group(struct raw *r, uint32_t id, const char *name, uint8_t mode)
{
	struct nl_msg *msg = raw_msg(r, CW_CMD_GROUP_SET, 0, 4096);
	struct nlattr *nest = nla_nest_start(msg, CW_A_GROUP);

	nla_put_u32(msg, CW_GROUP_A_ID, id);
	nla_put_string(msg, CW_GROUP_A_NAME, name);
	nla_put_u8(msg, CW_GROUP_A_MODE, mode);
	nla_nest_end(msg, nest);
	return raw_send(r, msg, NULL, NULL);
}

/* A workload request: each part < 0 (or NULL) left out. */
static int put_workload(struct raw *r, uint8_t cmd, long long id, const char *name,
			long long group)
{
	struct nl_msg *msg = raw_msg(r, cmd, 0, 4096);
	struct nlattr *nest = nla_nest_start(msg, CW_A_WORKLOAD);

	if (id >= 0)
		nla_put_u32(msg, CW_WORKLOAD_A_ID, id);
	if (name)
		nla_put_string(msg, CW_WORKLOAD_A_NAME, name);
	if (group >= 0)
		nla_put_u32(msg, CW_WORKLOAD_A_GROUP, group);
	nla_nest_end(msg, nest);
	return raw_send(r, msg, NULL, NULL);
}

/* One rule nest; action 0 leaves the action out. */
static void put_rule(struct nl_msg *msg, uint32_t id, uint32_t from, uint32_t to,
		     uint8_t proto, uint16_t port, uint8_t action)
{
	struct nlattr *nest = nla_nest_start(msg, CW_RULES_A_RULE);

	nla_put_u32(msg, CW_RULE_A_ID, id);
	nla_put_u32(msg, CW_RULE_A_FROM, from);
	nla_put_u32(msg, CW_RULE_A_TO, to);
	nla_put_u8(msg, CW_RULE_A_PROTO, proto);
	if (port)
		nla_put_u16(msg, CW_RULE_A_PORT_MIN, port);
	if (action)
		nla_put_u8(msg, CW_RULE_A_ACTION, action);
	nla_nest_end(msg, nest);
}

/* A RULES request with one rule. */
static int send_rule(struct raw *r, uint32_t id, uint32_t from, uint32_t to,
		     uint8_t proto, uint16_t port, uint8_t action)
{
	struct nl_msg *msg = raw_msg(r, CW_CMD_POLICY_RULES, 0, 4096);
	struct nlattr *rules = nla_nest_start(msg, CW_A_RULES);

	put_rule(msg, id, from, to, proto, port, action);
	nla_nest_end(msg, rules);
	return raw_send(r, msg, NULL, NULL);
}

FIXTURE(hostile)
{
	struct raw nl, other;
	struct state before;
};

FIXTURE_SETUP(hostile)
{
	ASSERT_EQ(0, cw_module_unload());
	ASSERT_EQ(0, cw_module_load());
	ASSERT_EQ(0, raw_open(&self->nl));
	ASSERT_EQ(0, raw_open(&self->other));
	ASSERT_EQ(0, put_group(&self->nl, GA, "ga", CW_MODE_PROTECT));
	ASSERT_EQ(0, put_group(&self->nl, GB, "gb", CW_MODE_MONITOR));
	ASSERT_EQ(0, put_workload(&self->nl, CW_CMD_WORKLOAD_SET, WA, "wa", GA));
	ASSERT_EQ(0, put_workload(&self->nl, CW_CMD_WORKLOAD_SET, WB, "wb", GB));
	/* The policy in force: two rules. */
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	ASSERT_EQ(0, send_rule(&self->nl, 1, GA, GB, IPPROTO_TCP, 80, CW_ACTION_ALLOW));
	ASSERT_EQ(0, send_rule(&self->nl, 2, GB, GA, IPPROTO_UDP, 53, CW_ACTION_DENY));
	ASSERT_EQ(0, raw_commit(&self->nl, 2));
	ASSERT_EQ(0, raw_state(&self->nl, &self->before));
	ASSERT_EQ(2, self->before.nrules);
	ASSERT_EQ(2, self->before.nworkloads);
}

FIXTURE_TEARDOWN(hostile)
{
	raw_close(&self->nl);
	raw_close(&self->other);
	EXPECT_EQ(0, cw_module_unload());
}

/* The module answers, and holds what it held before the test. */
#define EXPECT_INTACT() do {							\
	struct state now;							\
										\
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_STATUS));			\
	ASSERT_EQ(0, raw_state(&self->nl, &now));				\
	EXPECT_EQ(self->before.nrules, now.nrules);				\
	EXPECT_EQ(0, memcmp(self->before.rules, now.rules,			\
			    sizeof(now.rules)));				\
	EXPECT_EQ(self->before.ngroups, now.ngroups);				\
	EXPECT_EQ(self->before.nworkloads, now.nworkloads);			\
} while (0)

/* A refusal: a negative errno, with the kernel's reason in the log. */
#define EXPECT_REFUSED(call) do {						\
	int __ret = (call);							\
										\
	EXPECT_GT(0, __ret) TH_LOG("accepted: %s", #call);			\
	if (__ret < 0)								\
		TH_LOG("%s: %s (%s)", #call, strerror(-__ret), self->nl.errmsg); \
} while (0)

TEST_F_TIMEOUT(hostile, missing_attributes, HOSTILE_TIMEOUT)
{
	struct nl_msg *msg;
	struct nlattr *nest;

	/* A workload without its id; a request without its nest. */
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_SET, -1, "wc", GA));
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_DEL, -1, NULL, -1));
	EXPECT_REFUSED(raw_cmd(&self->nl, CW_CMD_WORKLOAD_SET));
	/* A new workload without its name or its group. */
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_SET, 3, NULL, GA));
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_SET, 3, "wc", -1));

	/* A rule without an action drops the whole transaction. */
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	EXPECT_EQ(0, send_rule(&self->nl, 5, GA, GB, IPPROTO_TCP, 443, CW_ACTION_ALLOW));
	EXPECT_REFUSED(send_rule(&self->nl, 6, GA, GB, IPPROTO_TCP, 444, 0));
	EXPECT_REFUSED(raw_commit(&self->nl, 2));
	/* RULES without the rules. */
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	EXPECT_REFUSED(raw_cmd(&self->nl, CW_CMD_POLICY_RULES));
	EXPECT_REFUSED(raw_commit(&self->nl, 0));

	/* An address without its family, and one without its bytes. */
	msg = raw_msg(&self->nl, CW_CMD_ADDR_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_ADDR);
	nla_put(msg, CW_ADDR_A_ADDR, 4, "\x0a\x63\x00\x07");
	nla_put_u32(msg, CW_ADDR_A_GROUP, GA);
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	msg = raw_msg(&self->nl, CW_CMD_ADDR_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_ADDR);
	nla_put_u8(msg, CW_ADDR_A_FAMILY, AF_INET);
	nla_put_u32(msg, CW_ADDR_A_GROUP, GA);
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	/* Neither a workload nor a group. */
	msg = raw_msg(&self->nl, CW_CMD_ADDR_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_ADDR);
	nla_put_u8(msg, CW_ADDR_A_FAMILY, AF_INET);
	nla_put(msg, CW_ADDR_A_ADDR, 4, "\x0a\x63\x00\x07");
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));

	EXPECT_INTACT();
}

TEST_F_TIMEOUT(hostile, oversized_attributes, HOSTILE_TIMEOUT)
{
	char name[CW_NAME_MAX + 16], bytes[17] = { 0x0a, 0x63 };
	struct nl_msg *msg;
	struct nlattr *nest;

	memset(name, 'w', sizeof(name));
	name[CW_NAME_MAX] = '\0';	/* 64 characters: one too many */
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_SET, 3, name, GA));
	EXPECT_REFUSED(put_group(&self->nl, 30, name, CW_MODE_MONITOR));
	/* The longest name there may be is fine. */
	name[CW_NAME_MAX - 1] = '\0';
	EXPECT_EQ(0, put_workload(&self->nl, CW_CMD_WORKLOAD_SET, 3, name, GA));
	EXPECT_EQ(0, put_workload(&self->nl, CW_CMD_WORKLOAD_DEL, 3, NULL, -1));
	/* A name that is not NUL terminated. */
	msg = raw_msg(&self->nl, CW_CMD_WORKLOAD_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_WORKLOAD);
	nla_put_u32(msg, CW_WORKLOAD_A_ID, 3);
	nla_put(msg, CW_WORKLOAD_A_NAME, 8, "unended!");
	nla_put_u32(msg, CW_WORKLOAD_A_GROUP, GA);
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));

	/* Addresses of 17 bytes, and of 16 bytes for IPv4. */
	msg = raw_msg(&self->nl, CW_CMD_ADDR_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_ADDR);
	nla_put_u8(msg, CW_ADDR_A_FAMILY, AF_INET6);
	nla_put(msg, CW_ADDR_A_ADDR, 17, bytes);
	nla_put_u32(msg, CW_ADDR_A_GROUP, GA);
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	msg = raw_msg(&self->nl, CW_CMD_ADDR_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_ADDR);
	nla_put_u8(msg, CW_ADDR_A_FAMILY, AF_INET);
	nla_put(msg, CW_ADDR_A_ADDR, 16, bytes);
	nla_put_u32(msg, CW_ADDR_A_GROUP, GA);
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	/* A prefix longer than the address. */
	msg = raw_msg(&self->nl, CW_CMD_ADDR_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_ADDR);
	nla_put_u8(msg, CW_ADDR_A_FAMILY, AF_INET);
	nla_put(msg, CW_ADDR_A_ADDR, 4, bytes);
	nla_put_u8(msg, CW_ADDR_A_PREFIX, 33);
	nla_put_u32(msg, CW_ADDR_A_GROUP, GA);
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));

	EXPECT_INTACT();
}

TEST_F_TIMEOUT(hostile, wrong_types, HOSTILE_TIMEOUT)
{
	struct nl_msg *msg;
	struct nlattr *nest, *rules;

	/* A u8 where a u32 belongs. */
	msg = raw_msg(&self->nl, CW_CMD_WORKLOAD_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_WORKLOAD);
	nla_put_u8(msg, CW_WORKLOAD_A_ID, 3);
	nla_put_string(msg, CW_WORKLOAD_A_NAME, "wc");
	nla_put_u32(msg, CW_WORKLOAD_A_GROUP, GA);
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	/* A string where a nest belongs. */
	msg = raw_msg(&self->nl, CW_CMD_WORKLOAD_SET, 0, 4096);
	nla_put_string(msg, CW_A_WORKLOAD, "workload 3");
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	msg = raw_msg(&self->nl, CW_CMD_ADDR_SET, 0, 4096);
	nla_put_u32(msg, CW_A_ADDR, 0x0a630007);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	/* A netns cookie is shown, never set. */
	msg = raw_msg(&self->nl, CW_CMD_WORKLOAD_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_WORKLOAD);
	nla_put_u32(msg, CW_WORKLOAD_A_ID, 3);
	nla_put_string(msg, CW_WORKLOAD_A_NAME, "wc");
	nla_put_u32(msg, CW_WORKLOAD_A_GROUP, GA);
	nla_put_u64(msg, CW_WORKLOAD_A_NETNS_COOKIE, 1);
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	/* An fd that is no network namespace (stdin). */
	msg = raw_msg(&self->nl, CW_CMD_WORKLOAD_SET, 0, 4096);
	nest = nla_nest_start(msg, CW_A_WORKLOAD);
	nla_put_u32(msg, CW_WORKLOAD_A_ID, 3);
	nla_put_string(msg, CW_WORKLOAD_A_NAME, "wc");
	nla_put_u32(msg, CW_WORKLOAD_A_GROUP, GA);
	nla_put_s32(msg, CW_WORKLOAD_A_NETNS_FD, 0);
	nla_nest_end(msg, nest);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));

	/* In a transaction: a u8 group id, a string for the rules' nest. */
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	msg = raw_msg(&self->nl, CW_CMD_POLICY_RULES, 0, 4096);
	rules = nla_nest_start(msg, CW_A_RULES);
	nest = nla_nest_start(msg, CW_RULES_A_RULE);
	nla_put_u32(msg, CW_RULE_A_ID, 7);
	nla_put_u8(msg, CW_RULE_A_FROM, GA);
	nla_put_u32(msg, CW_RULE_A_TO, GB);
	nla_put_u8(msg, CW_RULE_A_ACTION, CW_ACTION_ALLOW);
	nla_nest_end(msg, nest);
	nla_nest_end(msg, rules);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	/* A refused RULES drops the transaction (uapi), whatever refused it. */
	EXPECT_REFUSED(raw_commit(&self->nl, 1));
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	msg = raw_msg(&self->nl, CW_CMD_POLICY_RULES, 0, 4096);
	nla_put_string(msg, CW_A_RULES, "allow everything");
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	EXPECT_REFUSED(raw_commit(&self->nl, 1));
	/* Out of range: an action of 3, ports on ICMP, a range upside down. */
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	EXPECT_REFUSED(send_rule(&self->nl, 8, GA, GB, IPPROTO_TCP, 80, 3));
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	EXPECT_REFUSED(send_rule(&self->nl, 8, GA, GB, IPPROTO_ICMP, 80, CW_ACTION_ALLOW));
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	msg = raw_msg(&self->nl, CW_CMD_POLICY_RULES, 0, 4096);
	rules = nla_nest_start(msg, CW_A_RULES);
	nest = nla_nest_start(msg, CW_RULES_A_RULE);
	nla_put_u32(msg, CW_RULE_A_ID, 9);
	nla_put_u32(msg, CW_RULE_A_FROM, GA);
	nla_put_u32(msg, CW_RULE_A_TO, GB);
	nla_put_u8(msg, CW_RULE_A_PROTO, IPPROTO_TCP);
	nla_put_u16(msg, CW_RULE_A_PORT_MIN, 9000);
	nla_put_u16(msg, CW_RULE_A_PORT_MAX, 8000);
	nla_put_u8(msg, CW_RULE_A_ACTION, CW_ACTION_ALLOW);
	nla_nest_end(msg, nest);
	nla_nest_end(msg, rules);
	EXPECT_REFUSED(raw_send(&self->nl, msg, NULL, NULL));
	/* A learned rule's id without the learned flag. */
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	EXPECT_REFUSED(send_rule(&self->nl, CW_RULE_ID_LEARNED, GA, GB, IPPROTO_TCP, 80,
				 CW_ACTION_ALLOW));
	EXPECT_REFUSED(raw_commit(&self->nl, 1));

	EXPECT_INTACT();
}

TEST_F_TIMEOUT(hostile, unknown_ids, HOSTILE_TIMEOUT)
{
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_SET, 3, "wc", 999));
	/* The group no workload may join: external (it is every other address). */
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_SET, 3, "wc", CW_GROUP_EXTERNAL));
	/* Moving an existing workload to a group that does not exist. */
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_SET, WA, NULL, 999));
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_DEL, 12345, NULL, -1));
	/* A name another workload has. */
	EXPECT_REFUSED(put_workload(&self->nl, CW_CMD_WORKLOAD_SET, 3, "wa", GA));

	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	EXPECT_REFUSED(send_rule(&self->nl, 5, GA, 999, IPPROTO_TCP, 443, CW_ACTION_ALLOW));
	EXPECT_REFUSED(raw_commit(&self->nl, 1));
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	EXPECT_REFUSED(send_rule(&self->nl, 5, 999, GB, IPPROTO_TCP, 443, CW_ACTION_ALLOW));
	EXPECT_REFUSED(raw_commit(&self->nl, 1));

	EXPECT_INTACT();
}

TEST_F_TIMEOUT(hostile, transaction_order, HOSTILE_TIMEOUT)
{
	int i, ret;

	/* RULES, COMMIT and ABORT with no transaction open. */
	EXPECT_REFUSED(send_rule(&self->nl, 5, GA, GB, IPPROTO_TCP, 443, CW_ACTION_ALLOW));
	EXPECT_REFUSED(raw_commit(&self->nl, 1));
	EXPECT_REFUSED(raw_cmd(&self->nl, CW_CMD_POLICY_ABORT));

	/* One transaction at a time: the second socket waits its turn. */
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	EXPECT_EQ(-EBUSY, raw_cmd(&self->other, CW_CMD_POLICY_BEGIN));
	/* Nor may it add to, commit or abort the first one's. */
	EXPECT_REFUSED(send_rule(&self->other, 5, GA, GB, IPPROTO_TCP, 443, CW_ACTION_ALLOW));
	EXPECT_REFUSED(raw_commit(&self->other, 1));
	EXPECT_REFUSED(raw_cmd(&self->other, CW_CMD_POLICY_ABORT));
	EXPECT_EQ(0, send_rule(&self->nl, 6, GA, GB, IPPROTO_TCP, 444, CW_ACTION_ALLOW));
	EXPECT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_ABORT));
	EXPECT_INTACT();

	/* Closing the socket ends its transaction. */
	ASSERT_EQ(0, raw_cmd(&self->other, CW_CMD_POLICY_BEGIN));
	EXPECT_EQ(0, send_rule(&self->other, 6, GA, GB, IPPROTO_TCP, 444, CW_ACTION_ALLOW));
	EXPECT_EQ(-EBUSY, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	raw_close(&self->other);
	for (i = 0; i < 100 && (ret = raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN)) == -EBUSY; i++)
		usleep(100 * 1000);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_ABORT));
	ASSERT_EQ(0, raw_open(&self->other));
	EXPECT_INTACT();
}

/* Rules per RULES message: 1000 of 52 bytes fit one nest (64 KiB). */
#define BATCH 1000
#define TOO_MANY 100000

/*
 * 100,000 rules in one transaction, sent in batches: refused once past
 * CW_POLICY_MAX_RULES (in RULES or at COMMIT), never before.
 */
TEST_F_TIMEOUT(hostile, too_many_rules, HOSTILE_TIMEOUT)
{
	int sent = 0, ret = 0, i;
	struct nl_msg *msg;
	struct nlattr *rules;

	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	while (sent < TOO_MANY) {
		msg = raw_msg(&self->nl, CW_CMD_POLICY_RULES, 0, 128 * 1024);
		ASSERT_NE(NULL, msg);
		rules = nla_nest_start(msg, CW_A_RULES);
		for (i = 0; i < BATCH; i++, sent++)
			put_rule(msg, sent + 1, GA, GB, IPPROTO_TCP, 1 + sent % 65535,
				 CW_ACTION_ALLOW);
		nla_nest_end(msg, rules);
		ret = raw_send(&self->nl, msg, NULL, NULL);
		if (ret)
			break;
	}
	if (!ret) {
		TH_LOG("all %d rules staged: the commit must refuse them", sent);
		ret = raw_commit(&self->nl, sent);
	} else {
		TH_LOG("refused in the batch that ends at rule %d: %s (%s)", sent,
		       strerror(-ret), self->nl.errmsg);
		/* Not before the limit. */
		EXPECT_LT(CW_POLICY_MAX_RULES, sent);
		EXPECT_REFUSED(raw_commit(&self->nl, sent));
	}
	EXPECT_GT(0, ret);
	EXPECT_INTACT();

	/* The limit itself is allowed. */
	ASSERT_EQ(0, raw_cmd(&self->nl, CW_CMD_POLICY_BEGIN));
	for (sent = 0; sent < CW_POLICY_MAX_RULES; ) {
		msg = raw_msg(&self->nl, CW_CMD_POLICY_RULES, 0, 128 * 1024);
		ASSERT_NE(NULL, msg);
		rules = nla_nest_start(msg, CW_A_RULES);
		for (i = 0; i < BATCH && sent < CW_POLICY_MAX_RULES; i++, sent++)
			put_rule(msg, sent + 1, GA, GB, IPPROTO_TCP, 1 + sent % 65535,
				 CW_ACTION_ALLOW);
		nla_nest_end(msg, rules);
		ASSERT_EQ(0, raw_send(&self->nl, msg, NULL, NULL)) TH_LOG("at rule %d: %s", sent,
									   self->nl.errmsg);
	}
	EXPECT_EQ(0, raw_commit(&self->nl, CW_POLICY_MAX_RULES)) TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(0, raw_cmd(&self->nl, CW_CMD_STATUS));
}

TEST_HARNESS_MAIN
