// SPDX-License-Identifier: GPL-2.0
/*
 * Workload groups: the CLI adds, lists, changes and deletes them; bad
 * requests get a clear error and leave the groups as they were.
 */

#include "helpers.h"
#include "libcellwall.h"
#include "kselftest_harness.h"

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

FIXTURE(groups)
{
	char out[16384];
};

FIXTURE_SETUP(groups)
{
	ASSERT_EQ(0, cw_module_unload());
	ASSERT_EQ(0, cw_module_load());
}

FIXTURE_TEARDOWN(groups)
{
	EXPECT_EQ(0, cw_module_unload());
}

/* `cellwall group list`, as text, into self->out. */
#define LIST() cw_capture(self->out, sizeof(self->out), "%s group list", cw_env("CW_CLI"))
#define CLI(...) cw_capture(self->out, sizeof(self->out), "%s " __VA_ARGS__)

static const char kernel_groups[] =
	"id         name                     mode\n"
	"1          host                     discover\n"
	"2          external                 -\n"
	"3          unknown                  discover\n";

TEST_F(groups, kernel_groups_at_load)
{
	ASSERT_EQ(0, LIST());
	EXPECT_STREQ(kernel_groups, self->out);
}

TEST_F(groups, add_mode_del)
{
	ASSERT_EQ(0, CLI("group add web mode protect", cw_env("CW_CLI")));
	ASSERT_EQ(0, CLI("group add api", cw_env("CW_CLI")));
	ASSERT_EQ(0, CLI("group add db id 100 mode monitor", cw_env("CW_CLI")));
	ASSERT_EQ(0, LIST());
	EXPECT_NE(NULL, strstr(self->out,
			       "16         web                      protect\n"
			       "17         api                      discover\n"
			       "100        db                       monitor\n")) TH_LOG("%s", self->out);

	ASSERT_EQ(0, CLI("mode api monitor", cw_env("CW_CLI")));
	ASSERT_EQ(0, CLI("mode host protect", cw_env("CW_CLI")));
	ASSERT_EQ(0, CLI("group list -j", cw_env("CW_CLI")));
	EXPECT_NE(NULL, strstr(self->out, "\"name\": \"api\",\n    \"mode\": \"monitor\""))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"name\": \"host\",\n    \"mode\": \"protect\""));

	ASSERT_EQ(0, CLI("group del web", cw_env("CW_CLI")));
	ASSERT_EQ(0, CLI("group del api", cw_env("CW_CLI")));
	ASSERT_EQ(0, CLI("group del db", cw_env("CW_CLI")));
	ASSERT_EQ(0, CLI("mode host discover", cw_env("CW_CLI")));
	ASSERT_EQ(0, LIST());
	EXPECT_STREQ(kernel_groups, self->out);
}

/* Each bad command: one clear message, exit 1, groups unchanged. */
TEST_F(groups, cli_errors)
{
	static const struct {
		const char *args, *message;
	} cases[] = {
		{ "group add web mode block",
		  "cellwall: invalid mode `block' (discover, monitor or protect)\n" },
		{ "group add web id x", "cellwall: invalid number `x'\n" },
		{ "group add web id 5",
		  "cellwall: group ids below 16 are reserved\n" },
		{ "group add 'we b'",
		  "cellwall: group names are letters, digits, '_', '.' and '-'\n" },
		{ "group add host", "cellwall: group `host' exists already\n" },
		{ "group add db id 1", "cellwall: group id 1 belongs to `host'\n" },
		{ "group del nosuch", "cellwall: unknown group `nosuch'\n" },
		{ "group del host",
		  "cellwall: the kernel's own groups cannot be deleted\n" },
		{ "mode nosuch protect", "cellwall: unknown group `nosuch'\n" },
		{ "mode external protect",
		  "cellwall: the external and unknown groups cannot be changed (unknown follows net.cellwall.default_mode)\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(1, CLI("%s", cw_env("CW_CLI"), cases[i].args));
		EXPECT_STREQ(cases[i].message, self->out) TH_LOG("%s", cases[i].args);
	}
	ASSERT_EQ(0, LIST());
	EXPECT_STREQ(kernel_groups, self->out);
}

/* Raw requests the CLI would never send. */
static int send_group(struct cw_nl *nl, uint8_t cmd, int id, const char *name,
		      int mode, bool nest)
{
	struct nl_msg *msg = cw_nl_msg_new(nl, cmd);
	struct nlattr *attr = NULL;

	if (nest)
		attr = nla_nest_start(msg, CW_A_GROUP);
	if (id >= 0)
		nla_put_u32(msg, CW_GROUP_A_ID, id);
	if (name)
		nla_put_string(msg, CW_GROUP_A_NAME, name);
	if (mode >= 0)
		nla_put_u8(msg, CW_GROUP_A_MODE, mode);
	if (attr)
		nla_nest_end(msg, attr);
	return cw_nl_request(nl, msg, NULL, NULL);
}

/* CW_A_GROUP that is not a nest: the kernel must not read it as one. */
static int send_flat_group(struct cw_nl *nl)
{
	struct nl_msg *msg = cw_nl_msg_new(nl, CW_CMD_GROUP_SET);

	nla_put_u32(msg, CW_A_GROUP, 20);
	return cw_nl_request(nl, msg, NULL, NULL);
}

TEST_F(groups, hostile_requests)
{
	char long_name[CW_NAME_MAX + 1];
	struct cw_nl *nl;

	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ASSERT_EQ(0, cw_nl_open(&nl));

	EXPECT_EQ(-EINVAL, send_group(nl, CW_CMD_GROUP_SET, -1, NULL, -1, false));
	EXPECT_STREQ("cellwall: the group is missing", cw_nl_errmsg(nl));
	EXPECT_EQ(-EINVAL, send_group(nl, CW_CMD_GROUP_SET, -1, "web", 1, true));
	EXPECT_STREQ("cellwall: the group id is missing", cw_nl_errmsg(nl));
	/* Out of the policy's range: ERANGE, and the kernel says which. */
	EXPECT_EQ(-ERANGE, send_group(nl, CW_CMD_GROUP_SET, 20, "web", 0, true));
	EXPECT_STRNE("", cw_nl_errmsg(nl));
	EXPECT_EQ(-ERANGE, send_group(nl, CW_CMD_GROUP_SET, 20, "web", 9, true));
	EXPECT_EQ(-EINVAL, send_group(nl, CW_CMD_GROUP_SET, 20, long_name, 1, true));
	EXPECT_EQ(-EINVAL, send_group(nl, CW_CMD_GROUP_SET, 20, "", 1, true));
	EXPECT_EQ(-ERANGE, send_group(nl, CW_CMD_GROUP_SET, 0, "web", 1, true));
	EXPECT_EQ(-EINVAL, send_group(nl, CW_CMD_GROUP_SET, 20, NULL, 1, true));
	EXPECT_EQ(-EINVAL, send_group(nl, CW_CMD_GROUP_SET, 20, "web", -1, true));
	EXPECT_EQ(-ENOENT, send_group(nl, CW_CMD_GROUP_DEL, 20, NULL, -1, true));
	EXPECT_EQ(-EPERM, send_group(nl, CW_CMD_GROUP_SET, CW_GROUP_HOST, "root", -1, true));
	EXPECT_EQ(-EINVAL, send_flat_group(nl));
	/* A rename onto another group's name. */
	EXPECT_EQ(0, send_group(nl, CW_CMD_GROUP_SET, 20, "web", 1, true));
	EXPECT_EQ(0, send_group(nl, CW_CMD_GROUP_SET, 21, "api", 1, true));
	EXPECT_EQ(-EEXIST, send_group(nl, CW_CMD_GROUP_SET, 21, "web", -1, true));
	EXPECT_EQ(0, send_group(nl, CW_CMD_GROUP_SET, 21, "app", -1, true));
	EXPECT_EQ(0, send_group(nl, CW_CMD_GROUP_DEL, 20, NULL, -1, true));
	EXPECT_EQ(0, send_group(nl, CW_CMD_GROUP_DEL, 21, NULL, -1, true));
	cw_nl_close(nl);

	ASSERT_EQ(0, LIST());
	EXPECT_STREQ(kernel_groups, self->out);
}

/* Thousands of groups: the dump resumes across many messages. */
TEST_F(groups, many_groups)
{
	struct cw_group_info *groups;
	struct cw_nl *nl;
	size_t count, i;
	char name[32];

	ASSERT_EQ(0, cw_nl_open(&nl));
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "g%zu", i);
		ASSERT_EQ(0, cw_nl_group_set(nl, 1000 + i, name, 1 + i % 3));
	}
	ASSERT_EQ(0, cw_nl_group_list(nl, &groups, &count));
	ASSERT_EQ(3003u, count);
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "g%zu", i);
		EXPECT_EQ(1000 + i, groups[3 + i].id);
		EXPECT_STREQ(name, groups[3 + i].name);
		EXPECT_EQ(1 + i % 3, groups[3 + i].mode);
	}
	free(groups);
	cw_nl_close(nl);
	/* Unloading frees them all (kmemleak checks in debug runs). */
}

TEST_HARNESS_MAIN
