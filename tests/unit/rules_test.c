// SPDX-License-Identifier: GPL-2.0
/*
 * The policy files of rules_dir: files merged in name order (process and
 * file rules concatenated), selectors putting containers in groups (first
 * match), and every error at the line and column of its file, a clash
 * between files naming both.
 */

#include "cellwalld.h"
#include "kselftest_harness.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

FIXTURE(dir)
{
	char path[64];
};

FIXTURE_SETUP(dir)
{
	snprintf(self->path, sizeof(self->path), "/tmp/cw-rules-test-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->path));
}

FIXTURE_TEARDOWN(dir)
{
	char file[512];
	struct dirent *d;
	DIR *dir = opendir(self->path);

	while (dir && (d = readdir(dir))) {
		snprintf(file, sizeof(file), "%s/%s", self->path, d->d_name);
		unlink(file);
	}
	if (dir)
		closedir(dir);
	rmdir(self->path);
}

static void put(struct __test_metadata *_metadata, const char *dir, const char *name,
		const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs(text, f);
	fclose(f);
}

static void copy(struct __test_metadata *_metadata, const char *dir, const char *name,
		 const char *from)
{
	char text[8192];
	size_t n;
	FILE *f = fopen(from, "r");

	ASSERT_NE(NULL, f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	put(_metadata, dir, name, text);
}

/* A container as discovery reports it; @labels: "k=v" pairs. */
static struct cwd_container container(enum cwd_runtime runtime, const char *name,
				      const char *image, const char *cgroup,
				      const char *k8s_namespace, ...)
{
	struct cwd_container c = { .runtime = runtime, .labels = json_object() };
	const char *label;
	va_list ap;

	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.image, sizeof(c.image), "%s", image);
	snprintf(c.cgroup, sizeof(c.cgroup), "%s", cgroup);
	snprintf(c.k8s_namespace, sizeof(c.k8s_namespace), "%s", k8s_namespace);
	va_start(ap, k8s_namespace);
	while ((label = va_arg(ap, const char *))) {
		const char *eq = strchr(label, '=');
		char key[128];

		snprintf(key, sizeof(key), "%.*s", (int)(eq - label), label);
		json_object_set_new(c.labels, key, json_string(eq + 1));
	}
	va_end(ap);
	return c;
}

/* The group cwd_rules_group_of() gives, "-" for none; frees @c's labels. */
static const char *group_of(const struct cwd_rules *r, struct cwd_container c)
{
	const char *group = cwd_rules_group_of(r, &c);

	json_decref(c.labels);
	return group ? group : "-";
}

TEST(missing_dir_is_an_empty_policy)
{
	struct cwd_rules *r;
	char err[256];

	ASSERT_EQ(0, cwd_rules_load("/nonexistent/rules.d", &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0u, cwd_rules_policy(r)->ngroups);
	EXPECT_EQ(0u, cwd_rules_policy(r)->nrules);
	EXPECT_STREQ("-", group_of(r, container(CWD_RUNTIME_DOCKER, "web", "", "/", "", NULL)));
	cwd_rules_free(r);

	EXPECT_EQ(-ENOTDIR, cwd_rules_load("/etc/hostname", &r, err, sizeof(err)));
	EXPECT_STREQ("/etc/hostname: Not a directory", err);
}

TEST_F(dir, two_files_merged)
{
	const struct cw_policy *p;
	struct cwd_rules *r;
	char err[512];

	put(_metadata, self->path, "20-db.json",
	    "{ \"groups\": [ { \"name\": \"db\", \"mode\": \"monitor\", \"match\": { \"name\": \"db\" } } ],\n"
	    "  \"rules\": [ { \"from\": \"web\", \"to\": \"db\", \"ports\": [\"tcp/5432\"], \"action\": \"allow\" },\n"
	    "             { \"from\": \"db\", \"to\": \"dns\", \"ports\": [\"udp/53\"], \"action\": \"allow\", \"learned\": true } ] }\n");
	put(_metadata, self->path, "10-web.json",
	    "{ \"groups\": [ { \"name\": \"web\", \"match\": { \"name\": \"web\" } } ],\n"
	    "  \"address_groups\": [ { \"name\": \"dns\", \"cidrs\": [\"192.0.2.53\"] } ],\n"
	    "  \"rules\": [ { \"id\": 1, \"from\": \"external\", \"to\": \"web\", \"ports\": [\"tcp/443\"], \"action\": \"allow\" },\n"
	    "             { \"from\": \"web\", \"to\": \"dns\", \"action\": \"allow\" },\n"
	    "             { \"id\": 1000000, \"from\": \"web\", \"to\": \"external\", \"action\": \"allow\", \"learned\": true } ] }\n");
	/* Not policy files: skipped, broken as they are. */
	put(_metadata, self->path, ".10-web.json.swp", "{");
	put(_metadata, self->path, "10-web.json~", "{");
	put(_metadata, self->path, "README", "{");

	ASSERT_EQ(0, cwd_rules_load(self->path, &r, err, sizeof(err))) TH_LOG("%s", err);
	p = cwd_rules_policy(r);
	ASSERT_EQ(3u, p->ngroups);
	EXPECT_STREQ("web", p->groups[0].name);	/* 10- before 20- */
	EXPECT_STREQ("dns", p->groups[1].name);
	EXPECT_TRUE(p->groups[1].address);
	EXPECT_STREQ("db", p->groups[2].name);
	EXPECT_EQ(CW_MODE_MONITOR, p->groups[2].mode);
	ASSERT_EQ(5u, p->nrules);
	EXPECT_EQ(1u, p->rules[0].id);
	/* Ids not given: the lowest that no rule of any file uses. */
	EXPECT_EQ(2u, p->rules[1].id);
	EXPECT_EQ(1000000u, p->rules[2].id);
	EXPECT_STREQ("web", p->rules[3].from);
	EXPECT_EQ(3u, p->rules[3].id);
	EXPECT_EQ(5432, p->rules[3].ports[0].port_min);
	EXPECT_TRUE(p->rules[4].learned);
	EXPECT_EQ(1000001u, p->rules[4].id);
	EXPECT_STREQ("db", group_of(r, container(CWD_RUNTIME_DOCKER, "db", "", "/", "", NULL)));
	cwd_rules_free(r);
}

/* Process and file rules are sets: every file's, in file order, naming any file's groups. */
TEST_F(dir, process_and_file_rules_merged)
{
	const struct cw_policy *p;
	struct cwd_rules *r;
	char err[512];

	put(_metadata, self->path, "20-db.json",
	    "{ \"groups\": [ { \"name\": \"db\" } ],\n"
	    "  \"process_rules\": [ { \"group\": \"db\", \"path\": \"/usr/lib/postgresql/*\" },\n"
	    "                     { \"group\": \"web\", \"name\": \"psql\", \"action\": \"deny\" } ],\n"
	    "  \"file_rules\": [ { \"group\": \"db\", \"path\": \"/var/lib/postgresql\" } ] }\n");
	put(_metadata, self->path, "10-web.json",
	    "{ \"groups\": [ { \"name\": \"web\" } ],\n"
	    "  \"process_rules\": [ { \"group\": \"web\", \"path\": \"/usr/sbin/nginx\", \"user\": 0 } ],\n"
	    "  \"file_rules\": [ { \"group\": \"web\", \"path\": \"/srv/www\" },\n"
	    "                  { \"group\": \"db\", \"path\": \"/etc\", \"process\": \"/usr/sbin/useradd\" } ] }\n");
	put(_metadata, self->path, "30-empty.json", "{}");

	ASSERT_EQ(0, cwd_rules_load(self->path, &r, err, sizeof(err))) TH_LOG("%s", err);
	p = cwd_rules_policy(r);
	ASSERT_EQ(3u, p->nprocesses);
	EXPECT_STREQ("/usr/sbin/nginx", p->processes[0].path);	/* 10- before 20- */
	EXPECT_EQ(0, p->processes[0].uid);
	EXPECT_STREQ("/usr/lib/postgresql/*", p->processes[1].path);
	EXPECT_STREQ("db", p->processes[1].group);
	EXPECT_STREQ("psql", p->processes[2].name);
	EXPECT_EQ(CW_ACTION_DENY, p->processes[2].action);
	ASSERT_EQ(3u, p->nfiles);
	EXPECT_STREQ("/srv/www", p->files[0].path);
	EXPECT_STREQ("/usr/sbin/useradd", p->files[1].process);
	EXPECT_STREQ("/var/lib/postgresql", p->files[2].path);
	/* What the helpers see is the merged policy. */
	EXPECT_EQ(CW_ACTION_DENY, cw_policy_process_verdict(p, "web", "/usr/bin/psql", "psql", 0));
	EXPECT_EQ(CW_ACTION_ALLOW, cw_policy_process_verdict(p, "web", "/usr/sbin/nginx", "nginx", 0));
	EXPECT_TRUE(cw_file_rule_allows(p, "db", "/etc/shadow", "/usr/sbin/useradd", "useradd"));
	cwd_rules_free(r);
}

/* Each file sets its own detections; the merged policy has them all. */
TEST_F(dir, threats_merged)
{
	const struct cw_policy *p;
	struct cwd_rules *r;
	char err[512];

	put(_metadata, self->path, "10-a.json",
	    "{ \"threats\": { \"syn_flood\": { \"action\": \"alert\", \"threshold\": 100 } } }");
	put(_metadata, self->path, "20-b.json",
	    "{ \"threats\": { \"tls_old_version\": { \"action\": \"block\" } } }");
	ASSERT_EQ(0, cwd_rules_load(self->path, &r, err, sizeof(err))) TH_LOG("%s", err);
	p = cwd_rules_policy(r);
	EXPECT_TRUE(p->threats[CW_THREAT_SYN_FLOOD].set);
	EXPECT_EQ(CW_THREAT_ACTION_ALERT, p->threats[CW_THREAT_SYN_FLOOD].action);
	EXPECT_EQ(100u, p->threats[CW_THREAT_SYN_FLOOD].threshold);
	EXPECT_TRUE(p->threats[CW_THREAT_TLS_OLD_VERSION].set);
	EXPECT_EQ(CW_THREAT_ACTION_BLOCK, p->threats[CW_THREAT_TLS_OLD_VERSION].action);
	EXPECT_FALSE(p->threats[CW_THREAT_ICMP_FLOOD].set);
	cwd_rules_free(r);
}

TEST_F(dir, selectors)
{
	struct cwd_rules *r;
	char err[512];

	put(_metadata, self->path, "10-a.json",
	    "{ \"groups\": [\n"
	    "  { \"name\": \"by-name\", \"match\": { \"name\": \"web-?\" } },\n"
	    "  { \"name\": \"by-image\", \"match\": { \"image\": \"*/postgres:1[56]*\" } },\n"
	    "  { \"name\": \"by-labels\", \"match\": { \"labels\": { \"tier\": \"back*\", \"com.example/team\": \"pay\" } } },\n"
	    "  { \"name\": \"by-cgroup\", \"match\": { \"cgroup\": \"/machine.slice/*\" } },\n"
	    "  { \"name\": \"by-ns\", \"match\": { \"k8s_namespace\": \"prod-*\" } },\n"
	    "  { \"name\": \"by-runtime\", \"match\": { \"runtime\": \"podman\" } },\n"
	    "  { \"name\": \"both\", \"match\": { \"name\": \"api\", \"runtime\": \"containerd\" } },\n"
	    "  { \"name\": \"either\", \"match\": [ { \"name\": \"api\" }, { \"image\": \"redis*\" } ] },\n"
	    "  { \"name\": \"no-selector\" } ] }\n");
	put(_metadata, self->path, "20-b.json",
	    "{ \"groups\": [ { \"name\": \"later\", \"match\": { \"name\": \"web-1\" } },\n"
	    "                { \"name\": \"rest\", \"match\": {} } ] }\n");
	ASSERT_EQ(0, cwd_rules_load(self->path, &r, err, sizeof(err))) TH_LOG("%s", err);

	/* Each kind matching, and not. */
	EXPECT_STREQ("by-name", group_of(r, container(CWD_RUNTIME_DOCKER, "web-1", "", "/a", "", NULL)));
	EXPECT_STREQ("rest", group_of(r, container(CWD_RUNTIME_DOCKER, "web-10", "", "/a", "", NULL)));
	EXPECT_STREQ("by-image", group_of(r, container(CWD_RUNTIME_DOCKER, "pg", "docker.io/postgres:16.1",
						       "/a", "", NULL)));
	EXPECT_STREQ("rest", group_of(r, container(CWD_RUNTIME_DOCKER, "pg", "docker.io/postgres:14",
						   "/a", "", NULL)));
	EXPECT_STREQ("by-labels", group_of(r, container(CWD_RUNTIME_DOCKER, "x", "", "/a", "",
							"tier=backend", "com.example/team=pay",
							"other=1", NULL)));
	/* Every label must match, and be there. */
	EXPECT_STREQ("rest", group_of(r, container(CWD_RUNTIME_DOCKER, "x", "", "/a", "",
						   "tier=backend", "com.example/team=ops", NULL)));
	EXPECT_STREQ("rest", group_of(r, container(CWD_RUNTIME_DOCKER, "x", "", "/a", "",
						   "tier=backend", NULL)));
	EXPECT_STREQ("by-cgroup", group_of(r, container(CWD_RUNTIME_NSPAWN, "m", "",
							"/machine.slice/machine-m.scope/payload",
							"", NULL)));
	EXPECT_STREQ("rest", group_of(r, container(CWD_RUNTIME_NSPAWN, "m", "",
						   "/system.slice/machine.slice", "", NULL)));
	EXPECT_STREQ("by-ns", group_of(r, container(CWD_RUNTIME_CONTAINERD, "c", "", "/k", "prod-eu",
						    NULL)));
	EXPECT_STREQ("rest", group_of(r, container(CWD_RUNTIME_CONTAINERD, "c", "", "/k", "dev",
						   NULL)));
	EXPECT_STREQ("by-runtime", group_of(r, container(CWD_RUNTIME_PODMAN, "p", "", "/p", "", NULL)));
	EXPECT_STREQ("rest", group_of(r, container(CWD_RUNTIME_CRIO, "p", "", "/p", "", NULL)));
	/* Within a selector every key must match; any selector of a list does. */
	EXPECT_STREQ("both", group_of(r, container(CWD_RUNTIME_CONTAINERD, "api", "", "/k", "", NULL)));
	EXPECT_STREQ("either", group_of(r, container(CWD_RUNTIME_DOCKER, "api", "", "/d", "", NULL)));
	EXPECT_STREQ("either", group_of(r, container(CWD_RUNTIME_DOCKER, "cache", "redis:7", "/d", "",
						     NULL)));
	cwd_rules_free(r);

	/* Nothing matches without a catch-all. */
	put(_metadata, self->path, "20-b.json", "{}");
	ASSERT_EQ(0, cwd_rules_load(self->path, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("-", group_of(r, container(CWD_RUNTIME_DOCKER, "x", "", "/a", "", NULL)));
	cwd_rules_free(r);
}

/* The first match wins: file order, then the order of groups in a file. */
TEST_F(dir, first_match)
{
	struct cwd_rules *r;
	char err[512];

	put(_metadata, self->path, "b.json",
	    "{ \"groups\": [ { \"name\": \"b1\", \"match\": { \"name\": \"w*\" } },\n"
	    "                { \"name\": \"b2\", \"match\": { \"name\": \"web\" } } ] }\n");
	put(_metadata, self->path, "a.json",
	    "{ \"groups\": [ { \"name\": \"a1\", \"match\": { \"name\": \"x*\" } },\n"
	    "                { \"name\": \"a2\", \"match\": [ { \"name\": \"nope\" }, { \"name\": \"we?\" } ] } ] }\n");
	ASSERT_EQ(0, cwd_rules_load(self->path, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("a2", group_of(r, container(CWD_RUNTIME_DOCKER, "web", "", "/", "", NULL)));
	EXPECT_STREQ("b1", group_of(r, container(CWD_RUNTIME_DOCKER, "wiki", "", "/", "", NULL)));
	EXPECT_STREQ("a1", group_of(r, container(CWD_RUNTIME_DOCKER, "xweb", "", "/", "", NULL)));
	cwd_rules_free(r);
}

/* Each error: the file, the line and column of the value at fault, why. */
TEST_F(dir, errors)
{
	static const struct {
		const char *a, *b;	/* 10-a.json, 20-b.json */
		const char *file, *msg;
	} cases[] = {
		/* Syntax: where jansson stopped. */
		{ "{ \"groups\": [\n  { \"name\": \"web\" \"mode\": \"protect\" } ] }", "{}",
		  "10-a.json", ":2:24: '}' expected near '\"mode\"'" },
		/* An unknown key deep in a selector. */
		{ "{ \"groups\": [ { \"name\": \"web\",\n"
		  "    \"match\": { \"labels\": { \"app\": \"web\" }, \"imgae\": \"nginx*\" } } ] }", "{}",
		  "10-a.json", ":2:53: unknown key \"imgae\"" },
		{ "{}", "{ \"groups\": [\n  { \"name\": \"db\", \"mode\": \"block\" } ] }",
		  "20-b.json", ":2:27: bad mode \"block\" (discover, monitor or protect)" },
		/* Rules may name the groups of every file, and only those. */
		{ "{ \"groups\": [ { \"name\": \"web\" } ] }",
		  "{ \"rules\": [\n  { \"from\": \"web\", \"to\": \"dbb\", \"action\": \"allow\" } ] }",
		  "20-b.json", ":2:26: unknown group \"dbb\" in \"to\"" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\",\n"
		  "               \"ports\": [\"tcp/443\", \"tcp/8443-8080\"], \"action\": \"allow\" } ] }", "{}",
		  "10-a.json", ":2:37: bad port range \"tcp/8443-8080\"" },
		{ "{ \"groups\": [ { \"name\": \"web\", \"match\": { \"name\": \"web\" } } ] }",
		  "{ \"groups\": [ { \"name\": \"db\" },\n  { \"name\": \"web\" } ] }",
		  "20-b.json", ":2:13: group \"web\" is also defined at %s/10-a.json:1:25" },
		{ "{ \"address_groups\": [ { \"name\": \"dns\", \"cidrs\": [] } ] }",
		  "{ \"groups\": [ { \"name\": \"dns\" } ] }",
		  "20-b.json", ":1:25: group \"dns\" is also defined at %s/10-a.json:1:33" },
		/* The kernel keeps one group per domain name. */
		{ "{ \"address_groups\": [ { \"name\": \"a\", \"domains\": [\"x.test\", \"*.y.test\"] } ] }",
		  "{ \"address_groups\": [ { \"name\": \"b\",\n  \"domains\": [\"y.test\", \"*.Y.test\"] } ] }",
		  "20-b.json", ":2:25: domain \"*.y.test\" is also listed at %s/10-a.json:1:60" },
		{ "{ \"groups\": [ { \"name\": \"web\", \"id\": 20 } ] }",
		  "{ \"groups\": [ { \"name\": \"db\", \"id\": 20 } ] }",
		  "20-b.json", ":1:37: group id 20 is also used at %s/10-a.json:1:38" },
		{ "{ \"rules\": [ { \"id\": 7, \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\" } ] }",
		  "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"deny\" },\n"
		  "  { \"id\": 7, \"from\": \"host\", \"to\": \"external\", \"action\": \"deny\" } ] }",
		  "20-b.json", ":2:11: rule id 7 is also used at %s/10-a.json:1:22" },
		/* A glob must be a string. */
		{ "{ \"groups\": [ { \"name\": \"web\", \"match\": [ { \"name\": \"web\" },\n"
		  "                                          { \"image\": [\"nginx\"] } ] } ] }", "{}",
		  "10-a.json", ":2:54: \"image\" must be a non-empty string (a glob)" },
		{ "{ \"groups\": [ { \"name\": \"web\", \"match\": { \"labels\": { \"app\": 1 } } } ] }", "{}",
		  "10-a.json", ":1:62: label \"app\" must be a non-empty string (a glob)" },
		/* A detection is set in one file only. */
		{ "{ \"threats\": { \"syn_flood\": { \"action\": \"alert\" } } }",
		  "{ \"threats\": {\n  \"icmp_flood\": { \"action\": \"off\" },\n"
		  "  \"syn_flood\": { \"threshold\": 10 } } }",
		  "20-b.json", ":3:16: threat \"syn_flood\" is also set at %s/10-a.json:1:29" },
		{ "{}", "{ \"threats\": { \"tcp_xmas\": { \"threshold\": 10 } } }",
		  "20-b.json", ":1:43: threat \"tcp_xmas\" has no threshold" },
		/* Process and file rules: where the second file says it. */
		{ "{ \"groups\": [ { \"name\": \"web\" } ],\n"
		  "  \"process_rules\": [ { \"group\": \"web\", \"name\": \"nginx\" } ] }",
		  "{ \"process_rules\": [ { \"group\": \"web\", \"name\": \"nginx\" },\n"
		  "  { \"group\": \"web\", \"name\": \"php-fpm-worker-pool\" } ] }",
		  "20-b.json", ":2:29: \"name\" \"php-fpm-worker-pool\" is longer than 15 characters,"
		  " the most a process name (comm) has" },
		{ "{ \"groups\": [ { \"name\": \"web\" } ] }",
		  "{ \"file_rules\": [ { \"group\": \"web\", \"path\": \"/srv\" },\n"
		  "  { \"group\": \"wbe\", \"path\": \"/etc\" } ] }",
		  "20-b.json", ":2:14: unknown group \"wbe\"" },
	};
	char err[512], want[1024], msg[512];
	struct cwd_rules *r = NULL;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put(_metadata, self->path, "10-a.json", cases[i].a);
		put(_metadata, self->path, "20-b.json", cases[i].b);
		EXPECT_EQ(-EINVAL, cwd_rules_load(self->path, &r, err, sizeof(err)))
			TH_LOG("case %zu loaded", i);
		EXPECT_EQ(NULL, r);	/* untouched */
		snprintf(msg, sizeof(msg), cases[i].msg, self->path);
		snprintf(want, sizeof(want), "%s/%s%s", self->path, cases[i].file, msg);
		EXPECT_STREQ(want, err);
	}
}

/* What ships loads: the default rules.d, and the demo's selectors. */
TEST_F(dir, shipped_files)
{
	struct cwd_rules *r;
	char err[512];

	ASSERT_EQ(0, cwd_rules_load("rules/rules.d", &r, err, sizeof(err))) TH_LOG("%s", err);
	cwd_rules_free(r);

	copy(_metadata, self->path, "demo.json", "rules/examples/demo.json");
	ASSERT_EQ(0, cwd_rules_load(self->path, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(3u, cwd_rules_policy(r)->ngroups);
	EXPECT_EQ(CW_MODE_DISCOVER, cwd_rules_policy(r)->groups[0].mode);
	EXPECT_STREQ("web", group_of(r, container(CWD_RUNTIME_DOCKER, "web", "", "/", "", NULL)));
	EXPECT_STREQ("api", group_of(r, container(CWD_RUNTIME_DOCKER, "api", "", "/", "", NULL)));
	EXPECT_STREQ("db", group_of(r, container(CWD_RUNTIME_DOCKER, "db", "", "/", "", NULL)));
	EXPECT_STREQ("-", group_of(r, container(CWD_RUNTIME_DOCKER, "cache", "", "/", "", NULL)));
	cwd_rules_free(r);
}

TEST_HARNESS_MAIN
