// SPDX-License-Identifier: GPL-2.0
/* libcellwall's group replies and mode names. */

#include "libcellwall.h"
#include "kselftest_harness.h"

#include <errno.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

static struct nl_msg *group_reply(bool with_name, bool nested)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest = NULL;

	genlmsg_put(msg, 0, 0, 42, 0, NLM_F_MULTI, CW_CMD_GROUP_GET, CW_GENL_VERSION);
	if (nested)
		nest = nla_nest_start(msg, CW_A_GROUP);
	nla_put_u32(msg, CW_GROUP_A_ID, 17);
	if (with_name)
		nla_put_string(msg, CW_GROUP_A_NAME, "api");
	nla_put_u8(msg, CW_GROUP_A_MODE, CW_MODE_MONITOR);
	if (nest)
		nla_nest_end(msg, nest);
	return msg;
}

TEST(intact_group_reply)
{
	struct nl_msg *msg = group_reply(true, true);
	struct cw_group_info group;

	ASSERT_EQ(0, cw_group_parse(nlmsg_hdr(msg), &group));
	EXPECT_EQ(17u, group.id);
	EXPECT_STREQ("api", group.name);
	EXPECT_EQ(CW_MODE_MONITOR, group.mode);
	nlmsg_free(msg);
}

TEST(damaged_group_replies)
{
	struct cw_group_info group;
	struct nl_msg *msg;

	msg = group_reply(false, true);
	EXPECT_EQ(-EBADMSG, cw_group_parse(nlmsg_hdr(msg), &group));
	nlmsg_free(msg);
	msg = group_reply(true, false);
	EXPECT_EQ(-EBADMSG, cw_group_parse(nlmsg_hdr(msg), &group));
	nlmsg_free(msg);
}

TEST(mode_names)
{
	uint8_t mode;

	for (mode = CW_MODE_DISCOVER; mode <= CW_MODE_MAX; mode++)
		EXPECT_EQ(mode, cw_mode_parse(cw_mode_name(mode)));
	EXPECT_STREQ("protect", cw_mode_name(CW_MODE_PROTECT));
	EXPECT_STREQ("-", cw_mode_name(CW_MODE_NONE));
	EXPECT_STREQ("?", cw_mode_name(CW_MODE_MAX + 1));
	EXPECT_EQ(CW_MODE_NONE, cw_mode_parse("-"));
	EXPECT_EQ(CW_MODE_NONE, cw_mode_parse("Protect"));
	EXPECT_EQ(CW_MODE_NONE, cw_mode_parse(""));
}

TEST_HARNESS_MAIN
