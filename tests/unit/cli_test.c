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

TEST_HARNESS_MAIN
