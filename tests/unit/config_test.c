// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld.json: the defaults, every key read, the shipped file says the
 * defaults, and every kind of bad value or unknown key is refused at its
 * line and column, naming the key.
 */

#include "cellwalld.h"
#include "kselftest_harness.h"

#include <errno.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

/* Loads @text from a temporary file; its name goes to @path. */
static int load_text(const char *text, struct cwd_config *cfg, char *err, size_t errlen,
		     char *path, size_t pathlen)
{
	int fd, ret;

	snprintf(path, pathlen, "/tmp/cw-config-test-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -EIO;
	close(fd);
	ret = cwd_config_load(path, false, cfg, err, errlen);
	unlink(path);
	return ret;
}

static void expect_same(struct __test_metadata *_metadata, const struct cwd_config *want,
			const struct cwd_config *got)
{
	EXPECT_STREQ(want->rules_dir, got->rules_dir);
	EXPECT_STREQ(want->learned_file, got->learned_file);
	EXPECT_STREQ(want->cgroup_root, got->cgroup_root);
	EXPECT_STREQ(want->docker_root, got->docker_root);
	EXPECT_STREQ(want->containerd_state, got->containerd_state);
	EXPECT_STREQ(want->crio_state, got->crio_state);
	EXPECT_STREQ(want->crio_root, got->crio_root);
	EXPECT_STREQ(want->machines_dir, got->machines_dir);
	EXPECT_EQ(want->resync_interval, got->resync_interval);
	EXPECT_EQ(want->learn, got->learn);
	EXPECT_EQ(want->learn_interval, got->learn_interval);
	EXPECT_EQ(want->promote, got->promote);
	EXPECT_EQ(want->promote_quiet, got->promote_quiet);
	EXPECT_EQ(want->promote_to, got->promote_to);
	EXPECT_EQ(want->syslog, got->syslog);
	EXPECT_EQ(want->facility, got->facility);
	EXPECT_EQ(want->format, got->format);
	EXPECT_EQ(want->forward, got->forward);
	EXPECT_STREQ(want->forward_host, got->forward_host);
	EXPECT_STREQ(want->forward_port, got->forward_port);
	EXPECT_STREQ(want->json_file, got->json_file);
	EXPECT_EQ(want->event_buffer, got->event_buffer);
}

TEST(defaults)
{
	struct cwd_config cfg;

	cwd_config_defaults(&cfg);
	EXPECT_STREQ("/etc/cellwall/rules.d", cfg.rules_dir);
	EXPECT_STREQ("/var/lib/cellwall/learned.json", cfg.learned_file);
	EXPECT_STREQ("/sys/fs/cgroup", cfg.cgroup_root);
	EXPECT_STREQ("/var/lib/docker", cfg.docker_root);
	EXPECT_STREQ("/run/containerd", cfg.containerd_state);
	EXPECT_STREQ("/run/containers/storage", cfg.crio_state);
	EXPECT_STREQ("/var/lib/containers/storage", cfg.crio_root);
	EXPECT_STREQ("/run/systemd/machines", cfg.machines_dir);
	EXPECT_EQ(60u, cfg.resync_interval);
	EXPECT_TRUE(cfg.learn);
	EXPECT_EQ(5u, cfg.learn_interval);
	EXPECT_FALSE(cfg.promote);
	EXPECT_EQ(3600u, cfg.promote_quiet);
	EXPECT_EQ(CW_MODE_MONITOR, cfg.promote_to);
	EXPECT_TRUE(cfg.syslog);
	EXPECT_EQ(LOG_LOCAL0, cfg.facility);
	EXPECT_EQ(CWD_FORMAT_KV, (int)cfg.format);
	EXPECT_EQ(CWD_FORWARD_NONE, (int)cfg.forward);
	EXPECT_STREQ("514", cfg.forward_port);
	EXPECT_STREQ("", cfg.json_file);
	EXPECT_EQ(0u, cfg.event_buffer);
}

TEST(missing_file)
{
	struct cwd_config cfg, defaults;
	char err[256];

	cwd_config_defaults(&defaults);
	memset(&cfg, 0xff, sizeof(cfg));
	ASSERT_EQ(0, cwd_config_load("/nonexistent/cellwalld.json", true, &cfg, err, sizeof(err)));
	expect_same(_metadata, &defaults, &cfg);
	EXPECT_EQ(-ENOENT, cwd_config_load("/nonexistent/cellwalld.json", false, &cfg,
					   err, sizeof(err)));
	EXPECT_STREQ("/nonexistent/cellwalld.json: No such file or directory", err);
}

/* rules/cellwalld.json lists every key with its default. */
TEST(shipped_file)
{
	struct cwd_config cfg, defaults;
	char err[256];

	cwd_config_defaults(&defaults);
	memset(&cfg, 0, sizeof(cfg));
	ASSERT_EQ(0, cwd_config_load("rules/cellwalld.json", false, &cfg, err, sizeof(err)))
		TH_LOG("%s", err);
	expect_same(_metadata, &defaults, &cfg);
}

TEST(every_key)
{
	const char *text =
		"{\n"
		"  \"rules_dir\": \"/r\",\n"
		"  \"learned_file\": \"/l/learned.json\",\n"
		"  \"cgroup_root\": \"/cg\",\n"
		"  \"docker_root\": \"/d\",\n"
		"  \"containerd_state\": \"/cs\",\n"
		"  \"crio_state\": \"/os\",\n"
		"  \"crio_root\": \"/or\",\n"
		"  \"machines_dir\": \"/m\",\n"
		"  \"resync_interval\": 300,\n"
		"  \"learn\": { \"enabled\": false, \"interval\": 30 },\n"
		"  \"promote\": { \"enabled\": true, \"quiet_period\": 600, \"to\": \"protect\" },\n"
		"  \"alerts\": { \"syslog\": false, \"facility\": \"authpriv\", \"format\": \"json\",\n"
		"              \"forward\": \"tcp://[2001:db8::1]:6514\", \"json_file\": \"/var/log/a.json\" },\n"
		"  \"event_buffer\": 8388608\n"
		"}\n";
	char err[256], path[64];
	struct cwd_config cfg;

	ASSERT_EQ(0, load_text(text, &cfg, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	EXPECT_STREQ("/r", cfg.rules_dir);
	EXPECT_STREQ("/l/learned.json", cfg.learned_file);
	EXPECT_STREQ("/cg", cfg.cgroup_root);
	EXPECT_STREQ("/d", cfg.docker_root);
	EXPECT_STREQ("/cs", cfg.containerd_state);
	EXPECT_STREQ("/os", cfg.crio_state);
	EXPECT_STREQ("/or", cfg.crio_root);
	EXPECT_STREQ("/m", cfg.machines_dir);
	EXPECT_EQ(300u, cfg.resync_interval);
	EXPECT_FALSE(cfg.learn);
	EXPECT_EQ(30u, cfg.learn_interval);
	EXPECT_TRUE(cfg.promote);
	EXPECT_EQ(600u, cfg.promote_quiet);
	EXPECT_EQ(CW_MODE_PROTECT, cfg.promote_to);
	EXPECT_FALSE(cfg.syslog);
	EXPECT_EQ(LOG_AUTHPRIV, cfg.facility);
	EXPECT_EQ(CWD_FORMAT_JSON, (int)cfg.format);
	EXPECT_EQ(CWD_FORWARD_TCP, (int)cfg.forward);
	EXPECT_STREQ("2001:db8::1", cfg.forward_host);
	EXPECT_STREQ("6514", cfg.forward_port);
	EXPECT_STREQ("/var/log/a.json", cfg.json_file);
	EXPECT_EQ(8388608u, cfg.event_buffer);

	/* Keys left out keep their defaults; an empty object is all defaults. */
	ASSERT_EQ(0, load_text("{ \"alerts\": { \"facility\": \"local7\" } }", &cfg,
			       err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	EXPECT_EQ(LOG_LOCAL7, cfg.facility);
	EXPECT_TRUE(cfg.syslog);
	EXPECT_STREQ("/etc/cellwall/rules.d", cfg.rules_dir);
}

TEST(forward_addresses)
{
	static const struct {
		const char *url;
		enum cwd_forward_proto proto;
		const char *host, *port;
	} good[] = {
		{ "", CWD_FORWARD_NONE, "", "514" },
		{ "udp://logs.example.com", CWD_FORWARD_UDP, "logs.example.com", "514" },
		{ "udp://192.0.2.10:5514", CWD_FORWARD_UDP, "192.0.2.10", "5514" },
		{ "tcp://siem_1:601", CWD_FORWARD_TCP, "siem_1", "601" },
		{ "tcp://[::1]", CWD_FORWARD_TCP, "::1", "514" },
		{ "udp://[fd00::53]:65535", CWD_FORWARD_UDP, "fd00::53", "65535" },
	};
	static const char *const bad[] = {
		"logs.example.com", "http://logs:514", "udp://", "udp://:514", "udp://h:",
		"udp://h:0", "udp://h:65536", "udp://h:514x", "udp://h:514/", "udp://::1",
		"tcp://[::1", "tcp://[::1]x", "tcp://[not-v6]:514", "tcp://h o st", "UDP://h",
	};
	char text[256], err[512], path[64], want[512];
	struct cwd_config cfg;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "{ \"alerts\": { \"forward\": \"%s\" } }", good[i].url);
		ASSERT_EQ(0, load_text(text, &cfg, err, sizeof(err), path, sizeof(path)))
			TH_LOG("%s: %s", good[i].url, err);
		EXPECT_EQ(good[i].proto, cfg.forward) TH_LOG("%s", good[i].url);
		EXPECT_STREQ(good[i].host, cfg.forward_host);
		EXPECT_STREQ(good[i].port, cfg.forward_port);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{ \"alerts\": { \"forward\": \"%s\" } }", bad[i]);
		EXPECT_EQ(-EINVAL, load_text(text, &cfg, err, sizeof(err), path, sizeof(path)))
			TH_LOG("%s accepted", bad[i]);
		snprintf(want, sizeof(want), "%s:1:26: \"alerts.forward\": bad address \"%s\" "
			 "(udp://HOST[:PORT], tcp://HOST[:PORT] or tcp://[IPV6][:PORT])", path, bad[i]);
		EXPECT_STREQ(want, err);
	}
}

TEST(errors)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "{ \"rules_dir\": \"/r\",, }", ":1:21: string or '}' expected near ','" },
		{ "[ 1 ]", ":1:1: the configuration must be a JSON object" },
		{ "{ \"rule_dir\": \"/r\" }", ":1:15: unknown key \"rule_dir\"" },
		{ "{\n  \"alerts\": {\n    \"sylog\": true\n  }\n}",
		  ":3:14: unknown key \"alerts.sylog\"" },
		{ "{ \"learn\": { \"enabled\": true, \"promote\": {} } }",
		  ":1:42: unknown key \"learn.promote\"" },
		{ "{ \"learn\": true }", ":1:12: \"learn\" must be an object" },
		{ "{ \"rules_dir\": 5 }", ":1:16: \"rules_dir\" must be a string" },
		{ "{ \"learned_file\": \"var/lib/learned.json\" }",
		  ":1:19: \"learned_file\" must be an absolute path, not \"var/lib/learned.json\"" },
		{ "{ \"alerts\": { \"json_file\": \"alerts.json\" } }",
		  ":1:28: \"alerts.json_file\" must be an absolute path, not \"alerts.json\"" },
		{ "{ \"resync_interval\": 0 }",
		  ":1:22: \"resync_interval\" must be an integer from 1 to 86400" },
		{ "{ \"resync_interval\": \"60\" }",
		  ":1:22: \"resync_interval\" must be an integer from 1 to 86400" },
		{ "{ \"learn\": { \"interval\": 3601 } }",
		  ":1:26: \"learn.interval\" must be an integer from 1 to 3600" },
		{ "{ \"promote\": { \"quiet_period\": -1 } }",
		  ":1:32: \"promote.quiet_period\" must be an integer from 1 to 31536000" },
		{ "{ \"event_buffer\": 1073741825 }",
		  ":1:19: \"event_buffer\" must be an integer from 0 to 1073741824" },
		{ "{ \"learn\": { \"enabled\": \"yes\" } }",
		  ":1:25: \"learn.enabled\" must be true or false" },
		{ "{ \"promote\": { \"to\": \"discover\" } }",
		  ":1:22: \"promote.to\" must be \"monitor\" or \"protect\", not \"discover\"" },
		{ "{ \"alerts\": { \"facility\": \"local8\" } }",
		  ":1:27: \"alerts.facility\": unknown facility \"local8\" "
		  "(local0 to local7, daemon, user, auth or authpriv)" },
		{ "{ \"alerts\": { \"facility\": 16 } }",
		  ":1:27: \"alerts.facility\" must be a string" },
		{ "{ \"alerts\": { \"format\": \"xml\" } }",
		  ":1:25: \"alerts.format\" must be \"kv\" or \"json\", not \"xml\"" },
		{ "{ \"alerts\": { \"forward\": \"syslog.example.com\" } }",
		  ":1:26: \"alerts.forward\": bad address \"syslog.example.com\" "
		  "(udp://HOST[:PORT], tcp://HOST[:PORT] or tcp://[IPV6][:PORT])" },
	};
	char err[512], path[64], want[512], text[512];
	struct cwd_config cfg;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(-EINVAL, load_text(cases[i].text, &cfg, err, sizeof(err),
					     path, sizeof(path))) TH_LOG("%s", cases[i].text);
		snprintf(want, sizeof(want), "%s%s", path, cases[i].msg);
		EXPECT_STREQ(want, err);
	}

	/* A path that does not fit. */
	snprintf(text, sizeof(text), "{ \"crio_root\": \"/%0300d\" }", 0);
	EXPECT_EQ(-EINVAL, load_text(text, &cfg, err, sizeof(err), path, sizeof(path)));
	snprintf(want, sizeof(want), "%s:1:16: \"crio_root\" is longer than 255 bytes", path);
	EXPECT_STREQ(want, err);
}

/* A bad file changes nothing: the configuration in force stays whole. */
TEST(bad_file_changes_nothing)
{
	char err[256], path[64];
	struct cwd_config cfg;

	cwd_config_defaults(&cfg);
	EXPECT_EQ(-EINVAL, load_text("{ \"rules_dir\": \"/elsewhere\", \"resync_interval\": 0 }",
				     &cfg, err, sizeof(err), path, sizeof(path)));
	EXPECT_STREQ("/etc/cellwall/rules.d", cfg.rules_dir);
}

TEST_HARNESS_MAIN
