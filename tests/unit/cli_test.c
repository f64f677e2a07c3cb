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

/* cellwall threat: every mistake in the arguments is caught before the module is needed. */
TEST(threat_arguments)
{
	char out[4096];

	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat set syn_flod action=alert"));
	EXPECT_STREQ("cellwall: unknown threat 'syn_flod' (cellwall threats lists them)\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat reset syn_flod"));
	EXPECT_STREQ("cellwall: unknown threat 'syn_flod' (cellwall threats lists them)\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat set syn_flood action=drop"));
	EXPECT_STREQ("cellwall: bad action 'drop' (off, alert or block)\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat set syn_flood threshold=10x"));
	EXPECT_STREQ("cellwall: bad threshold '10x' (a number from 1 to 4294967295)\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat set syn_flood threshold=0"));
	EXPECT_STREQ("cellwall: bad threshold '0' (a number from 1 to 4294967295)\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat set syn_flood threshold=-1"));
	EXPECT_STREQ("cellwall: bad threshold '-1' (a number from 1 to 4294967295)\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out),
				CLI " threat set syn_flood threshold=4294967296"));
	EXPECT_STREQ("cellwall: bad threshold '4294967296' (a number from 1 to 4294967295)\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat set tcp_xmas threshold=3"));
	EXPECT_STREQ("cellwall: threat 'tcp_xmas' has no threshold\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat set syn_flood"));
	EXPECT_STREQ("cellwall: nothing to set: give action=off|alert|block, threshold=N or both\n",
		     out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out),
				CLI " threat set syn_flood action=off action=block"));
	EXPECT_STREQ("cellwall: action= is given twice\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat set syn_flood level=3"));
	EXPECT_NE(NULL, strstr(out, "Usage: cellwall threat set NAME [action=off|alert|block]"
			       " [threshold=N]\n"));
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat"));
	EXPECT_NE(NULL, strstr(out, "       cellwall threat reset [NAME]\n"));
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threats -x"));
	EXPECT_STREQ("Usage: cellwall threats [-j]\n", out);

	if (access("/sys/module/cellwall", F_OK) == 0)
		SKIP(return, "the host has the module loaded");
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat set syn_flood action=alert "
				"threshold=100"));
	EXPECT_STREQ("cellwall: kernel module not loaded\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threat reset"));
	EXPECT_STREQ("cellwall: kernel module not loaded\n", out);
	EXPECT_EQ(1, cw_capture(out, sizeof(out), CLI " threats -j"));
	EXPECT_STREQ("cellwall: kernel module not loaded\n", out);
}

/* A "threats" section is checked with the rest of the file. */
TEST(threat_policy_errors)
{
	char out[4096];

	EXPECT_EQ(1, cw_capture(out, sizeof(out),
				"echo '{ \"threats\": { \"tcp_xmas\": { \"threshold\": 3 } } }' | "
				CLI " policy load -"));
	EXPECT_STREQ("cellwall: <stdin>:1:43: threat \"tcp_xmas\" has no threshold\n", out);
	EXPECT_EQ(0, cw_sh("echo '{ \"threats\": { \"tls_old_version\": "
			   "{ \"action\": \"block\" } } }' | " CLI " policy load - 2>&1 | "
			   "grep -qx 'cellwall: kernel module not loaded'"));
}

TEST_HARNESS_MAIN
