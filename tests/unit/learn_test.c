// SPDX-License-Identifier: GPL-2.0
/*
 * Learned rules: deduplicated, merged by (from, to, apps) into one rule with
 * every port, saved atomically and read back the same; learned processes,
 * exact, bounded per group, saved and read back; promotion of quiet groups
 * (no new rule, no new process) one step at a time, held only while the
 * files declare the mode it was made from; a damaged file is an error, a
 * missing one is empty.
 */

#include "cellwalld.h"
#include "kselftest_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

FIXTURE(learned)
{
	char dir[64];
	char file[96];
	struct cwd_learned *l;
};

FIXTURE_SETUP(learned)
{
	char err[256];

	snprintf(self->dir, sizeof(self->dir), "/tmp/cw-learn-test-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/learned.json", self->dir);
	ASSERT_EQ(0, cwd_learned_load(self->file, &self->l, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0U, cwd_learned_count(self->l));
}

FIXTURE_TEARDOWN(learned)
{
	cwd_learned_free(self->l);
	unlink(self->file);
	rmdir(self->dir);
}

static bool add_app(struct cwd_learned *l, const char *from, const char *to,
		    const char *port, uint64_t apps, int64_t now)
{
	struct cw_portspec ps;
	char err[128];
	bool added = false;

	if (cw_portspec_parse(port, &ps, err, sizeof(err)) ||
	    cwd_learned_add(l, from, to, &ps, apps, now, &added))
		return false;
	return added;
}

static bool add(struct cwd_learned *l, const char *from, const char *to, const char *port,
		int64_t now)
{
	return add_app(l, from, to, port, 0, now);
}

static char *rules_text(struct cwd_learned *l)
{
	json_t *rules = cwd_learned_rules(l);
	char *text = json_dumps(rules, JSON_COMPACT);

	json_decref(rules);
	return text;
}

TEST_F(learned, merged_and_saved)
{
	struct cwd_learned *again;
	char err[256], *text, *text2;

	EXPECT_TRUE(add(self->l, "web", "api", "tcp/8080", 100));
	EXPECT_TRUE(add(self->l, "api", "db", "tcp/5432", 100));
	EXPECT_TRUE(add(self->l, "web", "api", "tcp/8443", 100));
	EXPECT_TRUE(add(self->l, "web", "api", "icmp", 100));
	EXPECT_TRUE(add_app(self->l, "api", "db", "tcp/5432", 1ULL << CW_APP_POSTGRESQL, 100));
	/* Seen again: nothing new. */
	EXPECT_FALSE(add(self->l, "web", "api", "tcp/8080", 200));
	EXPECT_EQ(5U, cwd_learned_count(self->l));

	text = rules_text(self->l);
	EXPECT_STREQ("[{\"from\":\"web\",\"to\":\"api\",\"ports\":[\"tcp/8080\",\"tcp/8443\","
		     "\"icmp\"],\"action\":\"allow\",\"learned\":true},"
		     "{\"from\":\"api\",\"to\":\"db\",\"ports\":[\"tcp/5432\"],"
		     "\"action\":\"allow\",\"learned\":true},"
		     "{\"from\":\"api\",\"to\":\"db\",\"ports\":[\"tcp/5432\"],"
		     "\"apps\":[\"postgresql\"],\"action\":\"allow\",\"learned\":true}]", text);

	ASSERT_EQ(0, cwd_learned_save(self->l, self->file, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, cwd_learned_load(self->file, &again, err, sizeof(err))) TH_LOG("%s", err);
	text2 = rules_text(again);
	EXPECT_STREQ(text, text2);
	free(text);
	free(text2);
	cwd_learned_free(again);
}

/* One rule per application seen; a connection not identified is for any. */
TEST_F(learned, merged_per_app)
{
	const uint64_t http = 1ULL << CW_APP_HTTP, mysql = 1ULL << CW_APP_MYSQL;
	char *text;

	EXPECT_TRUE(add_app(self->l, "web", "db", "tcp/3306", mysql, 100));
	EXPECT_TRUE(add_app(self->l, "web", "api", "tcp/80", http, 100));
	EXPECT_TRUE(add_app(self->l, "web", "db", "tcp/3307", mysql, 100));
	EXPECT_TRUE(add(self->l, "web", "db", "tcp/22", 100));
	/* The same port with another application, or none: another rule. */
	EXPECT_TRUE(add_app(self->l, "web", "api", "tcp/8080", http, 100));
	EXPECT_TRUE(add(self->l, "web", "api", "tcp/80", 100));
	EXPECT_FALSE(add_app(self->l, "web", "db", "tcp/3306", mysql, 200));
	/* ICMP has no application: a rule for it may not name one. */
	EXPECT_TRUE(add_app(self->l, "web", "db", "icmp", http, 100));
	EXPECT_FALSE(add(self->l, "web", "db", "icmp", 100));
	EXPECT_EQ(7U, cwd_learned_count(self->l));

	text = rules_text(self->l);
	EXPECT_STREQ("[{\"from\":\"web\",\"to\":\"db\",\"ports\":[\"tcp/3306\",\"tcp/3307\"],"
		     "\"apps\":[\"mysql\"],\"action\":\"allow\",\"learned\":true},"
		     "{\"from\":\"web\",\"to\":\"api\",\"ports\":[\"tcp/80\",\"tcp/8080\"],"
		     "\"apps\":[\"http\"],\"action\":\"allow\",\"learned\":true},"
		     "{\"from\":\"web\",\"to\":\"db\",\"ports\":[\"tcp/22\",\"icmp\"],"
		     "\"action\":\"allow\",\"learned\":true},"
		     "{\"from\":\"web\",\"to\":\"api\",\"ports\":[\"tcp/80\"],"
		     "\"action\":\"allow\",\"learned\":true}]", text);
	free(text);
}

TEST_F(learned, damaged_file)
{
	struct cwd_learned *l = NULL;
	char err[256];
	FILE *f = fopen(self->file, "w");

	ASSERT_NE(NULL, f);
	fputs("{\n  \"rules\": [ { \"from\": \"web\" ]\n}\n", f);
	fclose(f);
	EXPECT_EQ(-EINVAL, cwd_learned_load(self->file, &l, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "learned.json:2:")) TH_LOG("%s", err);
	EXPECT_EQ(NULL, l);

	f = fopen(self->file, "w");
	ASSERT_NE(NULL, f);
	fputs("{ \"rules\": [ { \"from\": \"web\", \"to\": \"db\", \"ports\": [\"tcp/99999\"] } ] }",
	      f);
	fclose(f);
	EXPECT_EQ(-EINVAL, cwd_learned_load(self->file, &l, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "bad port")) TH_LOG("%s", err);

	f = fopen(self->file, "w");
	ASSERT_NE(NULL, f);
	fputs("{ \"rules\": [ { \"from\": \"web\", \"to\": \"db\", \"ports\": [\"tcp/80\"],"
	      " \"apps\": [\"htp\"] } ] }", f);
	fclose(f);
	EXPECT_EQ(-EINVAL, cwd_learned_load(self->file, &l, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "learned.json: unknown application \"htp\"")) TH_LOG("%s", err);
}

/* A policy of two groups declared in @mode. */
static void two_groups(struct cw_policy *p, uint8_t mode)
{
	static struct cw_policy_group groups[2];

	memset(groups, 0, sizeof(groups));
	snprintf(groups[0].name, sizeof(groups[0].name), "web");
	snprintf(groups[1].name, sizeof(groups[1].name), "db");
	groups[0].mode = groups[1].mode = mode;
	memset(p, 0, sizeof(*p));
	p->groups = groups;
	p->ngroups = 2;
}

TEST_F(learned, promotion)
{
	struct cwd_learned *again;
	struct cw_policy p;
	char err[256];

	two_groups(&p, CW_MODE_DISCOVER);
	/* First seen at 1000: quiet from then on. */
	EXPECT_FALSE(cwd_learned_promote(self->l, &p, 1000, 60, CW_MODE_PROTECT));
	EXPECT_TRUE(add(self->l, "web", "db", "tcp/5432", 1030));
	/* db was quiet since 1000, web touched at 1030 (both ends are). */
	EXPECT_FALSE(cwd_learned_promote(self->l, &p, 1059, 60, CW_MODE_PROTECT));
	EXPECT_TRUE(cwd_learned_promote(self->l, &p, 1090, 60, CW_MODE_PROTECT));
	EXPECT_EQ(CW_MODE_MONITOR, cwd_learned_mode(self->l, "web", CW_MODE_DISCOVER));
	EXPECT_EQ(CW_MODE_MONITOR, cwd_learned_mode(self->l, "db", CW_MODE_DISCOVER));
	/* One step at a time: protect only after another quiet period. */
	EXPECT_FALSE(cwd_learned_promote(self->l, &p, 1100, 60, CW_MODE_PROTECT));
	EXPECT_TRUE(cwd_learned_promote(self->l, &p, 1150, 60, CW_MODE_PROTECT));
	EXPECT_EQ(CW_MODE_PROTECT, cwd_learned_mode(self->l, "web", CW_MODE_DISCOVER));
	EXPECT_FALSE(cwd_learned_promote(self->l, &p, 5000, 60, CW_MODE_PROTECT));

	/* Kept in the file. */
	ASSERT_EQ(0, cwd_learned_save(self->l, self->file, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, cwd_learned_load(self->file, &again, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(CW_MODE_PROTECT, cwd_learned_mode(again, "web", CW_MODE_DISCOVER));
	/* The operator declared another mode since: that one holds. */
	EXPECT_EQ(CW_MODE_MONITOR, cwd_learned_mode(again, "web", CW_MODE_MONITOR));
	cwd_learned_free(again);
}

static bool add_proc(struct cwd_learned *l, const char *group, const char *exe,
		     const char *comm, uint32_t uid, int64_t now)
{
	bool added = false;

	return !cwd_learned_add_process(l, group, exe, comm, uid, now, &added) && added;
}

static char *processes_text(struct cwd_learned *l)
{
	const struct cw_policy_process *r;
	json_t *array = json_array();
	char *text;
	size_t n, i;

	r = cwd_learned_processes(l, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(array, cw_policy_process_json(&r[i]));
	text = json_dumps(array, JSON_COMPACT);
	json_decref(array);
	return text;
}

/* One entry per (group, executable, name, user), exact; kept apart from the rules. */
TEST_F(learned, processes_saved)
{
	const struct cw_policy_process *r;
	struct cwd_learned *again;
	char err[256], *text, *text2;
	json_t *root;
	size_t n;

	EXPECT_TRUE(add_proc(self->l, "web", "/usr/sbin/nginx", "nginx", 0, 100));
	EXPECT_TRUE(add_proc(self->l, "web", "/bin/busybox", "sleep", 0, 100));
	/* Seen again: nothing new. */
	EXPECT_FALSE(add_proc(self->l, "web", "/usr/sbin/nginx", "nginx", 0, 200));
	/* Another user, name, executable or group: another entry. */
	EXPECT_TRUE(add_proc(self->l, "web", "/usr/sbin/nginx", "nginx", 33, 100));
	EXPECT_TRUE(add_proc(self->l, "web", "/bin/busybox", "sh", 0, 100));
	EXPECT_TRUE(add_proc(self->l, "db", "/usr/sbin/nginx", "nginx", 0, 100));
	EXPECT_EQ(5U, cwd_learned_process_count(self->l));
	EXPECT_EQ(0U, cwd_learned_count(self->l));

	r = cwd_learned_processes(self->l, &n);
	ASSERT_EQ(5U, n);
	EXPECT_TRUE(r[0].learned);
	EXPECT_EQ(CW_ACTION_ALLOW, r[0].action);
	text = processes_text(self->l);
	EXPECT_STREQ("[{\"group\":\"db\",\"path\":\"/usr/sbin/nginx\",\"name\":\"nginx\",\"user\":0,"
		     "\"learned\":true},"
		     "{\"group\":\"web\",\"path\":\"/bin/busybox\",\"name\":\"sh\",\"user\":0,"
		     "\"learned\":true},"
		     "{\"group\":\"web\",\"path\":\"/bin/busybox\",\"name\":\"sleep\",\"user\":0,"
		     "\"learned\":true},"
		     "{\"group\":\"web\",\"path\":\"/usr/sbin/nginx\",\"name\":\"nginx\",\"user\":0,"
		     "\"learned\":true},"
		     "{\"group\":\"web\",\"path\":\"/usr/sbin/nginx\",\"name\":\"nginx\",\"user\":33,"
		     "\"learned\":true}]", text);

	/* In the file as a policy's "process_rules", and read back the same. */
	ASSERT_EQ(0, cwd_learned_save(self->l, self->file, err, sizeof(err))) TH_LOG("%s", err);
	root = json_load_file(self->file, 0, NULL);
	ASSERT_NE(NULL, root);
	text2 = json_dumps(json_object_get(root, "process_rules"), JSON_COMPACT);
	EXPECT_STREQ(text, text2);
	free(text2);
	json_decref(root);
	ASSERT_EQ(0, cwd_learned_load(self->file, &again, err, sizeof(err))) TH_LOG("%s", err);
	text2 = processes_text(again);
	EXPECT_STREQ(text, text2);
	free(text2);
	/* Loaded, they are known: seen again, nothing new. */
	EXPECT_FALSE(add_proc(again, "web", "/bin/busybox", "sh", 0, 300));
	cwd_learned_free(again);
	free(text);
}

/* What a baseline cannot hold is refused, not learned wider. */
TEST_F(learned, processes_refused)
{
	bool added;

	EXPECT_EQ(-EINVAL, cwd_learned_add_process(self->l, "web", "busybox", "sh", 0, 1, &added));
	EXPECT_EQ(-EINVAL, cwd_learned_add_process(self->l, "web", NULL, "sh", 0, 1, &added));
	EXPECT_EQ(-EINVAL, cwd_learned_add_process(self->l, "web", "/bin/sh", "", 0, 1, &added));
	EXPECT_EQ(-EINVAL, cwd_learned_add_process(self->l, "web", "/bin/x", "sixteen-letters!", 0,
						   1, &added));
	EXPECT_FALSE(added);
	EXPECT_EQ(0U, cwd_learned_process_count(self->l));
}

/* A new process makes its group not quiet, as a new connection does. */
TEST_F(learned, processes_reset_quiet)
{
	struct cw_policy p;

	two_groups(&p, CW_MODE_DISCOVER);
	EXPECT_FALSE(cwd_learned_promote(self->l, &p, 1000, 60, CW_MODE_MONITOR));
	EXPECT_TRUE(add_proc(self->l, "web", "/bin/sh", "sh", 0, 1030));
	/* Seen again later: not new, the quiet period stands. */
	EXPECT_FALSE(add_proc(self->l, "web", "/bin/sh", "sh", 0, 1050));
	EXPECT_TRUE(cwd_learned_promote(self->l, &p, 1070, 60, CW_MODE_MONITOR));
	EXPECT_EQ(CW_MODE_MONITOR, cwd_learned_mode(self->l, "db", CW_MODE_DISCOVER));
	EXPECT_EQ(CW_MODE_DISCOVER, cwd_learned_mode(self->l, "web", CW_MODE_DISCOVER));
	EXPECT_TRUE(cwd_learned_promote(self->l, &p, 1090, 60, CW_MODE_MONITOR));
	EXPECT_EQ(CW_MODE_MONITOR, cwd_learned_mode(self->l, "web", CW_MODE_DISCOVER));
}

/* At most 4096 per group, said once in the log; the others learn on. */
TEST_F(learned, processes_bounded)
{
	char exe[32], log[128], text[512] = "";
	int i, saved, fd;
	ssize_t len;

	for (i = 0; i < 4096; i++) {
		snprintf(exe, sizeof(exe), "/bin/p%d", i);
		ASSERT_TRUE(add_proc(self->l, "web", exe, "p", 0, 100));
	}
	/* The daemon's log to a file, for the time of the refusals. */
	snprintf(log, sizeof(log), "%s/log", self->dir);
	fd = open(log, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	saved = dup(STDERR_FILENO);
	cwd_log_open(true);
	dup2(fd, STDERR_FILENO);
	EXPECT_FALSE(add_proc(self->l, "web", "/bin/one-more", "p", 0, 100));
	EXPECT_FALSE(add_proc(self->l, "web", "/bin/another", "p", 0, 100));
	dup2(saved, STDERR_FILENO);
	close(saved);
	len = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	unlink(log);
	ASSERT_LE(0, len);
	text[len] = '\0';
	EXPECT_STREQ("cellwalld: warning: group web: 4096 learned processes, learning no more\n",
		     text);

	EXPECT_EQ(4096U, cwd_learned_process_count(self->l));
	EXPECT_TRUE(add_proc(self->l, "db", "/bin/one-more", "p", 0, 100));
	EXPECT_TRUE(add_proc(self->l, "api", "/bin/one-more", "p", 0, 100));
	EXPECT_EQ(4098U, cwd_learned_process_count(self->l));
}

/* "process_rules" is checked as a policy file's, and must say exactly what was seen. */
TEST_F(learned, processes_damaged)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "{ \"process_rules\": {} }",
		  ": process_rules: \"process_rules\" must be an array" },
		{ "{ \"process_rules\": [ { \"group\": \"web\", \"path\": \"/bin/sh\", \"name\": \"sh\","
		  " \"user\": 0, \"learned\": true, \"seen\": 3 } ] }",
		  ": process_rules[0].seen: unknown key \"seen\"" },
		{ "{ \"process_rules\": [ { \"group\": \"web\", \"path\": \"/bin/sh\", \"name\": \"sh\","
		  " \"user\": -5 } ] }",
		  ": process_rules[0].user: \"user\" must be a uid, an integer from 0 to 4294967294" },
		{ "{ \"process_rules\": [ { \"group\": \"web\", \"path\": \"/bin/sh\", \"name\": \"sh\","
		  " \"learned\": true } ] }",
		  ": process_rules[0]: a learned process has \"path\", \"name\" and \"user\","
		  " and is allowed" },
		{ "{ \"process_rules\": [ { \"group\": \"web\", \"path\": \"/bin/sh\", \"name\": \"sh\","
		  " \"user\": 0 }, { \"group\": \"web\", \"name\": \"sh\", \"user\": 0 } ] }",
		  ": process_rules[1]: a learned process has \"path\", \"name\" and \"user\","
		  " and is allowed" },
	};
	struct cwd_learned *l = NULL;
	char err[256], want[512];
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = fopen(self->file, "w");
		ASSERT_NE(NULL, f);
		fputs(cases[i].text, f);
		fclose(f);
		EXPECT_EQ(-EINVAL, cwd_learned_load(self->file, &l, err, sizeof(err)))
			TH_LOG("case %zu loaded", i);
		EXPECT_EQ(NULL, l);
		snprintf(want, sizeof(want), "%s%s", self->file, cases[i].msg);
		EXPECT_STREQ(want, err);
	}

	/* An older file, without the section: no processes. */
	f = fopen(self->file, "w");
	ASSERT_NE(NULL, f);
	fputs("{ \"rules\": [], \"promotion\": [] }", f);
	fclose(f);
	ASSERT_EQ(0, cwd_learned_load(self->file, &l, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0U, cwd_learned_process_count(l));
	cwd_learned_free(l);
}

TEST_F(learned, promotion_stops_at_monitor)
{
	struct cw_policy p;

	two_groups(&p, CW_MODE_DISCOVER);
	EXPECT_FALSE(cwd_learned_promote(self->l, &p, 0, 10, CW_MODE_MONITOR));
	EXPECT_TRUE(cwd_learned_promote(self->l, &p, 10, 10, CW_MODE_MONITOR));
	EXPECT_FALSE(cwd_learned_promote(self->l, &p, 100, 10, CW_MODE_MONITOR));
	EXPECT_EQ(CW_MODE_MONITOR, cwd_learned_mode(self->l, "db", CW_MODE_DISCOVER));
}

TEST_HARNESS_MAIN
