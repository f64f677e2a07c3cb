// SPDX-License-Identifier: GPL-2.0
/*
 * Every CLI error is one line, "cellwall: ..." and a non-zero exit, and
 * leaves the kernel's groups, workloads and rules as they were.
 */

#include "helpers.h"
#include "kselftest_harness.h"

#define CGROUP "/sys/fs/cgroup/cw-err"
#define BAD_JSON "/tmp/cw-bad.json"

FIXTURE(errors)
{
	char out[8192];
	char groups[8192], workloads[8192], rules[8192];
};

#define CLI(...) cw_capture(self->out, sizeof(self->out), "%s " __VA_ARGS__)

/* The state a failed command must leave alone, as the CLI lists it. */
static int snapshot(const char *cli, char *groups, char *workloads, char *rules)
{
	return cw_capture(groups, 8192, "%s group list -j", cli) ||
	       cw_capture(workloads, 8192, "%s workload list -j", cli) ||
	       cw_capture(rules, 8192, "%s rule list -j", cli);
}

FIXTURE_SETUP(errors)
{
	const char *cli = cw_env("CW_CLI");

	ASSERT_EQ(0, cw_module_unload());
	cw_sh("rmdir " CGROUP " 2>/dev/null");
	ASSERT_EQ(0, cw_module_load());
	ASSERT_EQ(0, cw_sh("mkdir " CGROUP));
	ASSERT_EQ(0, CLI("group add ga mode protect", cli));
	ASSERT_EQ(0, CLI("workload add w1 group ga cgroup " CGROUP, cli));
	ASSERT_EQ(0, CLI("rule add from ga to external tcp/443 allow", cli));
	ASSERT_EQ(0, cw_sh("printf '{\"rules\": [\\n  {\"from\": \"ga\",}\\n]}\\n' >" BAD_JSON));
	ASSERT_EQ(0, snapshot(cli, self->groups, self->workloads, self->rules));
}

FIXTURE_TEARDOWN(errors)
{
	cw_sh("rm -f " BAD_JSON "; rmdir " CGROUP " 2>/dev/null");
	EXPECT_EQ(0, cw_module_unload());
}

TEST_F(errors, one_line_nonzero_state_unchanged)
{
	static const struct {
		const char *args, *says;
	} cases[] = {
		{ "rule add from nosuch to ga tcp/80 allow", "unknown group" },
		{ "rule add from ga to external tcp/90-80 allow", "bad port range" },
		{ "rule add from ga to external tcp/70000 allow", "bad port" },
		{ "rule del 999", "no rule 999" },
		{ "workload add w2 group nosuch", "unknown group" },
		{ "workload del nosuch", "unknown workload" },
		/* Refused by the kernel, with its extack text. */
		{ "workload add w2 group ga cgroup " CGROUP, "another workload has that cgroup" },
		{ "policy load /nonexistent.json", "No such file or directory" },
		{ "policy load " BAD_JSON, BAD_JSON ":2:" },
		{ "mode ga bogus", "bogus" },
	};
	char groups[8192], workloads[8192], rules[8192];
	const char *cli = cw_env("CW_CLI");
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_NE(0, CLI("%s", cli, cases[i].args)) TH_LOG("%s", cases[i].args);
		EXPECT_EQ(0, strncmp(self->out, "cellwall: ", 10)) TH_LOG("%s", self->out);
		EXPECT_NE(NULL, strstr(self->out, cases[i].says)) TH_LOG("%s", self->out);
		/* One line. */
		EXPECT_EQ(strlen(self->out) - 1, (size_t)(strchr(self->out, '\n') - self->out))
			TH_LOG("%s", self->out);
	}
	ASSERT_EQ(0, snapshot(cli, groups, workloads, rules));
	EXPECT_STREQ(self->groups, groups);
	EXPECT_STREQ(self->workloads, workloads);
	EXPECT_STREQ(self->rules, rules);
}

TEST_HARNESS_MAIN
