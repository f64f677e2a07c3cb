// SPDX-License-Identifier: GPL-2.0
/*
 * The CLI on the host, whose kernel has no cellwall module: clear errors
 * and exit statuses.
 */

#include "helpers.h"
#include "kselftest_harness.h"

#define CLI "build/cellwall"

TEST(without_module)
{
	char out[4096];

	if (access("/sys/module/cellwall", F_OK) == 0)
		SKIP(return, "the host has the module loaded");
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " status"));
	EXPECT_STREQ("cellwall: kernel module not loaded\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " version"));
	EXPECT_STREQ("cellwall " CW_VERSION "\ncellwall: kernel module not loaded\n", out);
}

TEST(usage_errors)
{
	char out[4096];

	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI));
	EXPECT_NE(NULL, strstr(out, "Usage: cellwall <cmd>"));
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " frobnicate"));
	EXPECT_NE(NULL, strstr(out, "invalid subcommand `frobnicate'"));
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " status -x"));
	EXPECT_STREQ("Usage: cellwall status [-j]\n", out);
	EXPECT_EQ(0, cw_capture(out, sizeof(out), CLI " --help"));
	EXPECT_NE(NULL, strstr(out, "status"));
}

/* A policy file is checked whole before the CLI needs the module. */
TEST(policy_file_errors)
{
	char out[4096];

	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " policy load /nonexistent/p.json"));
	EXPECT_STREQ("cellwall: /nonexistent/p.json: No such file or directory\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out),
				"printf '{\\n  \"rules\": [ }' | " CLI " policy load -"));
	EXPECT_STREQ("cellwall: <stdin>:2:14: unexpected token near '}'\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out),
				"echo '{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", "
				"\"ports\": [\"tcp/90-80\"], \"action\": \"allow\" } ] }' | "
				CLI " policy load -"));
	EXPECT_STREQ("cellwall: <stdin>:1:60: bad port range \"tcp/90-80\"\n", out);
	EXPECT_EQ(0, cw_sh(CLI " policy load rules/examples/three-tier.json 2>&1 | "
			   "grep -qx 'cellwall: kernel module not loaded'"));
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " addr add 10.0.0.1/8 group corp"));
	EXPECT_STREQ("cellwall: kernel module not loaded\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " addr del 10.0.0.1/8"));
	EXPECT_STREQ("cellwall: host bits set in \"10.0.0.1/8\"\n", out);
	EXPECT_EQ(0, cw_sh("echo '{ \"address_groups\": [{ \"name\": \"partners\", "
			   "\"domains\": [\"allowed.test\", \"*.allowed.test\"] }] }' | "
			   CLI " policy load - 2>&1 | grep -qx 'cellwall: kernel module not loaded'"));
	EXPECT_EQ(1, cw_capture(out, sizeof(out),
				"echo '{ \"address_groups\": [{ \"name\": \"p\", "
				"\"domains\": [\"a.test\", \"*.a.test\", \"A.test\"] }] }' | "
				CLI " policy load -"));
	EXPECT_STREQ("cellwall: <stdin>:1:71: \"A.test\" is listed twice\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " domain add '*.allowed.test' group partners"));
	EXPECT_STREQ("cellwall: kernel module not loaded\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " domain del 'allowed..test'"));
	EXPECT_STREQ("cellwall: bad domain name \"allowed..test\" (labels of 1 to 63 of A-Z a-z"
		     " 0-9 - _ joined by dots, at most 253 in all, optionally after \"*.\")\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " domain add x.test groups partners"));
	EXPECT_NE(NULL, strstr(out, "Usage: cellwall domain add NAME group GROUP\n"));
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " events -x"));
	EXPECT_STREQ("Usage: cellwall events [-j] [-n COUNT] [-t SECONDS]\n", out);
}

TEST_HARNESS_MAIN
