// SPDX-License-Identifier: GPL-2.0
/*
 * The module as a whole: load and unload, the CLI with and without it,
 * namespaces it follows, sysctls, and netlink input it must refuse.
 */

#include "helpers.h"
#include "libcellwall.h"
#include "kselftest_harness.h"

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

TEST(load_unload)
{
	char out[4096];
	int i;

	ASSERT_EQ(0, cw_module_unload());
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, cw_module_load());
		EXPECT_TRUE(cw_module_loaded());
		EXPECT_EQ(0, cw_capture(out, sizeof(out), "%s version", cw_env("CW_CLI")));
		EXPECT_NE(NULL, strstr(out, "module ")) TH_LOG("%s", out);
		ASSERT_EQ(0, cw_module_unload());
		EXPECT_FALSE(cw_module_loaded());
	}
}

TEST(cli_without_module)
{
	char out[4096];

	ASSERT_EQ(0, cw_module_unload());
	EXPECT_EQ(1, cw_capture(out, sizeof(out), "%s status", cw_env("CW_CLI")));
	EXPECT_STREQ("cellwall: kernel module not loaded\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), "%s status -j", cw_env("CW_CLI")));
	EXPECT_STREQ("cellwall: kernel module not loaded\n", out);
}

TEST(cli_without_privilege)
{
	char out[4096];

	ASSERT_EQ(0, cw_module_load());
	EXPECT_EQ(1, cw_capture(out, sizeof(out),
				"setpriv --reuid=65534 --regid=65534 --clear-groups %s status",
				cw_env("CW_CLI")));
	EXPECT_STREQ("cellwall: permission denied: this needs CAP_NET_ADMIN (run it as root)\n",
		     out);
	/* Root works, and the version it reports is the module's. */
	EXPECT_EQ(0, cw_capture(out, sizeof(out), "%s status", cw_env("CW_CLI")));
	EXPECT_NE(NULL, strstr(out, ": enabled\n")) TH_LOG("%s", out);
	ASSERT_EQ(0, cw_module_unload());
}

TEST(status_json)
{
	json_t *status;

	ASSERT_EQ(0, cw_module_load());
	status = cw_status(NULL);
	ASSERT_NE(NULL, status);
	EXPECT_STREQ(cw_env("CW_VERSION"),
		     json_string_value(json_object_get(status, "module_version")));
	EXPECT_TRUE(json_is_true(json_object_get(status, "enabled")));
	EXPECT_LE(1, json_integer_value(json_object_get(status, "netns_count")));
	EXPECT_NE(UINT64_MAX, cw_counter(status, "netns", "forward", "bytes"));
	EXPECT_NE(UINT64_MAX, cw_counter(status, "all", "in", "packets"));
	json_decref(status);
	ASSERT_EQ(0, cw_module_unload());
}

static int netns_count(void)
{
	json_t *status = cw_status(NULL);
	int count;

	if (!status)
		return -1;
	count = json_integer_value(json_object_get(status, "netns_count"));
	json_decref(status);
	return count;
}

/* The module follows namespaces as they come and go. */
TEST(netns_count_follows_namespaces)
{
	int before, i;

	ASSERT_EQ(0, cw_module_load());
	before = netns_count();
	ASSERT_LE(1, before);
	ASSERT_EQ(0, cw_sh("ip netns add cw-count"));
	EXPECT_EQ(before + 1, netns_count());
	ASSERT_EQ(0, cw_sh("ip netns del cw-count"));
	/* Namespaces are destroyed by a worker: poll for it. */
	for (i = 0; i < 100 && netns_count() != before; i++)
		usleep(50 * 1000);
	EXPECT_EQ(before, netns_count());
	ASSERT_EQ(0, cw_module_unload());
}

#define ENABLED "/proc/sys/net/cellwall/enabled"

TEST(sysctl_enabled)
{
	char out[4096];

	ASSERT_EQ(0, cw_module_load());
	EXPECT_EQ(0, cw_capture(out, sizeof(out), "sysctl -n net.cellwall.enabled"));
	EXPECT_STREQ("1\n", out);
	/* Only 0 and 1. */
	EXPECT_NE(0, cw_sh("echo 2 2>/dev/null >" ENABLED));
	EXPECT_NE(0, cw_sh("echo -1 2>/dev/null >" ENABLED));
	EXPECT_EQ(0, cw_capture(out, sizeof(out), "sysctl -n net.cellwall.enabled"));
	EXPECT_STREQ("1\n", out);

	/* A container sees the knob but cannot change it. */
	ASSERT_EQ(0, cw_sh("ip netns add cw-sysctl"));
	EXPECT_EQ(0, cw_capture(out, sizeof(out),
				"ip netns exec cw-sysctl sysctl -n net.cellwall.enabled"));
	EXPECT_STREQ("1\n", out);
	EXPECT_NE(0, cw_sh("ip netns exec cw-sysctl sh -c 'echo 0 >" ENABLED "' 2>/dev/null"));
	EXPECT_EQ(0, cw_capture(out, sizeof(out), "sysctl -n net.cellwall.enabled"));
	EXPECT_STREQ("1\n", out);

	/* The host's change shows in the container. */
	EXPECT_EQ(0, cw_sh("sysctl -q -w net.cellwall.enabled=0"));
	EXPECT_EQ(0, cw_capture(out, sizeof(out),
				"ip netns exec cw-sysctl sysctl -n net.cellwall.enabled"));
	EXPECT_STREQ("0\n", out);
	EXPECT_EQ(0, cw_sh("sysctl -q -w net.cellwall.enabled=1"));
	EXPECT_EQ(0, cw_sh("ip netns del cw-sysctl"));
	ASSERT_EQ(0, cw_module_unload());
}

/* Hostile requests are refused with a reason; the module keeps working. */
FIXTURE(genl)
{
	struct cw_nl *nl;
};

FIXTURE_SETUP(genl)
{
	ASSERT_EQ(0, cw_module_load());
	ASSERT_EQ(0, cw_nl_open(&self->nl));
}

FIXTURE_TEARDOWN(genl)
{
	struct cw_status status;

	EXPECT_EQ(0, cw_nl_status(self->nl, &status));
	EXPECT_STREQ(cw_env("CW_VERSION"), status.version);
	cw_nl_close(self->nl);
	EXPECT_EQ(0, cw_module_unload());
}

TEST_F(genl, status_with_unexpected_attribute)
{
	struct nl_msg *msg = cw_nl_msg_new(self->nl, CW_CMD_STATUS);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u8(msg, CW_A_ENABLED, 0));
	EXPECT_EQ(-EINVAL, cw_nl_request(self->nl, msg, NULL, NULL));
	EXPECT_STRNE("", cw_nl_errmsg(self->nl));
	TH_LOG("kernel said: %s", cw_nl_errmsg(self->nl));
}

TEST_F(genl, status_with_truncated_attribute)
{
	struct nl_msg *msg = cw_nl_msg_new(self->nl, CW_CMD_STATUS);
	/* An attribute header that claims more bytes than the message has. */
	struct nlattr bad = { .nla_len = 64, .nla_type = CW_A_VERSION };

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nlmsg_append(msg, &bad, sizeof(bad), NLMSG_ALIGNTO));
	EXPECT_EQ(-EINVAL, cw_nl_request(self->nl, msg, NULL, NULL));
}

TEST_F(genl, unknown_command)
{
	struct nl_msg *msg = cw_nl_msg_new(self->nl, CW_CMD_MAX + 1);

	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EOPNOTSUPP, cw_nl_request(self->nl, msg, NULL, NULL));
}

TEST_HARNESS_MAIN
