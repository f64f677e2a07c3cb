// SPDX-License-Identifier: GPL-2.0
/* libcellwall's parser of STATUS replies: good replies and damaged ones. */

#include "libcellwall.h"
#include "kselftest_harness.h"

#include <errno.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

enum damage {
	INTACT,
	NO_VERSION,
	NO_ALL_STATS,
	SHORT_COUNTER,
	MISSING_COUNTER,
};

static struct nl_msg *reply(enum damage damage)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;
	int attr, i;

	genlmsg_put(msg, 0, 0, 42, 0, 0, CW_CMD_STATUS, CW_GENL_VERSION);
	if (damage != NO_VERSION)
		nla_put_string(msg, CW_A_VERSION, "1.2.3");
	nla_put_u8(msg, CW_A_ENABLED, 1);
	nla_put_u32(msg, CW_A_NETNS_COUNT, 7);
	for (attr = CW_A_STATS_NETNS; attr <= CW_A_STATS_ALL; attr++) {
		if (attr == CW_A_STATS_ALL && damage == NO_ALL_STATS)
			break;
		nest = nla_nest_start(msg, attr);
		for (i = CW_STATS_A_IN_PACKETS; i <= CW_STATS_A_FWD_BYTES; i++) {
			if (i == CW_STATS_A_OUT_BYTES && damage == MISSING_COUNTER)
				continue;
			if (i == CW_STATS_A_FWD_BYTES && damage == SHORT_COUNTER)
				nla_put_u32(msg, i, 1);
			else
				nla_put_u64(msg, i, attr * 1000 + i);
		}
		nla_nest_end(msg, nest);
	}
	return msg;
}

TEST(intact_reply)
{
	struct nl_msg *msg = reply(INTACT);
	struct cw_status s;

	ASSERT_EQ(0, cw_status_parse(nlmsg_hdr(msg), &s));
	EXPECT_STREQ("1.2.3", s.version);
	EXPECT_TRUE(s.enabled);
	EXPECT_EQ(7u, s.netns_count);
	EXPECT_EQ((uint64_t)(CW_A_STATS_NETNS * 1000 + CW_STATS_A_IN_PACKETS), s.netns.packets[CW_DIR_IN]);
	EXPECT_EQ((uint64_t)(CW_A_STATS_NETNS * 1000 + CW_STATS_A_OUT_BYTES), s.netns.bytes[CW_DIR_OUT]);
	EXPECT_EQ((uint64_t)(CW_A_STATS_ALL * 1000 + CW_STATS_A_FWD_BYTES), s.all.bytes[CW_DIR_FWD]);
	EXPECT_EQ((uint64_t)(CW_A_STATS_ALL * 1000 + CW_STATS_A_FWD_PACKETS), s.all.packets[CW_DIR_FWD]);
	nlmsg_free(msg);
}

TEST(flow_and_policy_fields)
{
	struct nl_msg *msg = reply(INTACT);
	struct nlattr *nest;
	struct cw_status s;

	/* An older module's reply has none of them. */
	ASSERT_EQ(0, cw_status_parse(nlmsg_hdr(msg), &s));
	EXPECT_FALSE(s.has_policy);
	EXPECT_FALSE(s.has_flows);
	EXPECT_FALSE(s.has_events_lost);

	nla_put_u32(msg, CW_A_POLICY_GENERATION, 12);
	nla_put_u32(msg, CW_A_POLICY_RULES, 34);
	nla_put_u32(msg, CW_A_FLOW_ENTRY_SIZE, 192);
	nest = nla_nest_start(msg, CW_A_FLOW_STATS);
	nla_put_u32(msg, CW_FLOW_STATS_A_ACTIVE, 5);
	nla_put_u64(msg, CW_FLOW_STATS_A_CREATED, 50);
	nla_put_u64(msg, CW_FLOW_STATS_A_EVICTED, 6);
	nla_put_u64(msg, CW_FLOW_STATS_A_FULL_ACCEPTED, 7);
	nla_put_u64(msg, CW_FLOW_STATS_A_FULL_DROPPED, 8);
	nla_put_u64(msg, CW_FLOW_STATS_A_EXPIRED, 9);
	nla_nest_end(msg, nest);
	nla_put_u64(msg, CW_A_EVENTS_LOST, 3);
	ASSERT_EQ(0, cw_status_parse(nlmsg_hdr(msg), &s));
	EXPECT_TRUE(s.has_policy);
	EXPECT_EQ(12u, s.policy_generation);
	EXPECT_EQ(34u, s.policy_rules);
	EXPECT_TRUE(s.has_flows);
	EXPECT_EQ(192u, s.flow_entry_size);
	EXPECT_EQ(5u, s.flows.active);
	EXPECT_EQ(50u, s.flows.created);
	EXPECT_EQ(6u, s.flows.evicted);
	EXPECT_EQ(7u, s.flows.full_accepted);
	EXPECT_EQ(8u, s.flows.full_dropped);
	EXPECT_EQ(9u, s.flows.expired);
	EXPECT_TRUE(s.has_events_lost);
	EXPECT_EQ(3u, s.events_lost);
	nlmsg_free(msg);
}

TEST(damaged_replies_are_refused)
{
	enum damage damage;
	struct cw_status s;

	for (damage = NO_VERSION; damage <= MISSING_COUNTER; damage++) {
		struct nl_msg *msg = reply(damage);

		EXPECT_EQ(-EBADMSG, cw_status_parse(nlmsg_hdr(msg), &s))
			TH_LOG("damage %d accepted", damage);
		nlmsg_free(msg);
	}
}

TEST(truncated_reply)
{
	struct nl_msg *msg = reply(INTACT);
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct cw_status s;

	/* Cut the last attribute in half. */
	nlh->nlmsg_len -= 12;
	EXPECT_EQ(-EBADMSG, cw_status_parse(nlh, &s));
	nlmsg_free(msg);
}

TEST_HARNESS_MAIN
