// SPDX-License-Identifier: GPL-2.0
/*
 * Policy files: the good ones parse to what they say, every kind of error
 * is refused with its message (line and column of a syntax error, the
 * JSON path of a semantic one); port specs, CIDRs, domains, applications,
 * export merging, what a load changes of the kernel's domains, the
 * "process_rules" and "file_rules" sections and their matching, and the
 * "threats" section: its errors, what it asks of the kernel, its export.
 */

#include "cwpolicy.h"
#include "threat/threat.h"
#include "kselftest_harness.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * Writes @text to a temporary file and parses it as the CLI does, groups
 * checked with the text at hand; the file's name goes to @path.
 */
static int parse_text(const char *text, struct cw_policy *p, char *err, size_t errlen,
		      char *path, size_t pathlen)
{
	struct cw_json_file f;
	int fd, ret;

	memset(p, 0, sizeof(*p));
	snprintf(path, pathlen, "/tmp/cw-policy-test-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -EIO;
	close(fd);
	ret = cw_json_file_read(path, &f, err, errlen);
	unlink(path);
	if (ret)
		return -EINVAL;
	ret = cw_policy_from_file(&f, p, err, errlen);
	if (!ret)
		ret = cw_policy_check_file_groups(&f, p, NULL, 0, err, errlen);
	cw_json_file_free(&f);
	return ret;
}

/* Expects @text to be refused with "FILE" @msg (":LINE:COLUMN: reason"). */
static void expect_error(struct __test_metadata *_metadata, const char *text, const char *msg)
{
	char err[512], path[64], want[512];
	struct cw_policy p;

	EXPECT_EQ(-EINVAL, parse_text(text, &p, err, sizeof(err), path, sizeof(path)));
	snprintf(want, sizeof(want), "%s%s", path, msg);
	EXPECT_STREQ(want, err);
	cw_policy_free(&p);
}

TEST(port_specs)
{
	static const struct {
		const char *text;
		uint8_t proto;
		uint16_t lo, hi;
	} good[] = {
		{ "tcp/443", IPPROTO_TCP, 443, 443 },
		{ "udp/53", IPPROTO_UDP, 53, 53 },
		{ "tcp/8000-8080", IPPROTO_TCP, 8000, 8080 },
		{ "tcp/65535", IPPROTO_TCP, 65535, 65535 },
		{ "tcp", IPPROTO_TCP, 0, 65535 },
		{ "udp", IPPROTO_UDP, 0, 65535 },
		{ "icmp", IPPROTO_ICMP, 0, 65535 },
		{ "any", 0, 0, 65535 },
	};
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "tcp/90-80", "bad port range \"tcp/90-80\"" },
		{ "tcp/80-", "bad port range \"tcp/80-\"" },
		{ "tcp/-80", "bad port range \"tcp/-80\"" },
		{ "tcp/1-70000", "bad port range \"tcp/1-70000\"" },
		{ "tcp/65536", "bad port \"tcp/65536\"" },
		{ "tcp/", "bad port \"tcp/\"" },
		{ "tcp/http", "bad port \"tcp/http\"" },
		{ "tcp/ 80", "bad port \"tcp/ 80\"" },
		{ "icmp/8", "ports only go with tcp or udp: \"icmp/8\"" },
		{ "any/80", "ports only go with tcp or udp: \"any/80\"" },
		{ "sctp/80", "unknown protocol \"sctp/80\" (tcp, udp, icmp or any)" },
		{ "TCP", "unknown protocol \"TCP\" (tcp, udp, icmp or any)" },
		{ "", "unknown protocol \"\" (tcp, udp, icmp or any)" },
	};
	struct cw_portspec ps;
	char err[128], text[32];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ASSERT_EQ(0, cw_portspec_parse(good[i].text, &ps, err, sizeof(err)))
			TH_LOG("%s: %s", good[i].text, err);
		EXPECT_EQ(good[i].proto, ps.proto);
		EXPECT_EQ(good[i].lo, ps.port_min);
		EXPECT_EQ(good[i].hi, ps.port_max);
		cw_portspec_format(&ps, text, sizeof(text));
		EXPECT_STREQ(good[i].text, text);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, cw_portspec_parse(bad[i].text, &ps, err, sizeof(err)))
			TH_LOG("%s accepted", bad[i].text);
		EXPECT_STREQ(bad[i].msg, err);
	}
	/* The full range reads as the bare protocol. */
	ASSERT_EQ(0, cw_portspec_parse("udp/0-65535", &ps, err, sizeof(err)));
	cw_portspec_format(&ps, text, sizeof(text));
	EXPECT_STREQ("udp", text);
}

TEST(cidrs)
{
	static const struct {
		const char *text, *out;
		uint8_t family, prefix;
	} good[] = {
		{ "10.0.0.0/8", "10.0.0.0/8", AF_INET, 8 },
		{ "192.0.2.1", "192.0.2.1", AF_INET, 32 },
		{ "192.0.2.1/32", "192.0.2.1", AF_INET, 32 },
		{ "0.0.0.0/0", "0.0.0.0/0", AF_INET, 0 },
		{ "fd00::/8", "fd00::/8", AF_INET6, 8 },
		{ "2001:db8::1", "2001:db8::1", AF_INET6, 128 },
		{ "2001:db8:0:0:0:0:0:0/32", "2001:db8::/32", AF_INET6, 32 },
	};
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "10.0.0.1/8", "host bits set in \"10.0.0.1/8\"" },
		{ "10.128.0.0/9", NULL },
		{ "10.192.0.0/9", "host bits set in \"10.192.0.0/9\"" },
		{ "fd00::1/64", "host bits set in \"fd00::1/64\"" },
		{ "10.0.0.0/33", "bad prefix length \"10.0.0.0/33\"" },
		{ "fd00::/129", "bad prefix length \"fd00::/129\"" },
		{ "10.0.0.0/", "bad prefix length \"10.0.0.0/\"" },
		{ "10.0.0.0/x", "bad prefix length \"10.0.0.0/x\"" },
		{ "10.0.0/8", "bad address \"10.0.0/8\"" },
		{ "example.com", "bad address \"example.com\"" },
	};
	struct cw_cidr c;
	char err[128], text[CW_CIDR_STRLEN];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ASSERT_EQ(0, cw_cidr_parse(good[i].text, &c, err, sizeof(err)))
			TH_LOG("%s: %s", good[i].text, err);
		EXPECT_EQ(good[i].family, c.family);
		EXPECT_EQ(good[i].prefix, c.prefix);
		cw_cidr_format(&c, false, text, sizeof(text));
		EXPECT_STREQ(good[i].out, text);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = cw_cidr_parse(bad[i].text, &c, err, sizeof(err));

		if (!bad[i].msg) {
			EXPECT_EQ(0, ret) TH_LOG("%s refused: %s", bad[i].text, err);
			continue;
		}
		EXPECT_EQ(-EINVAL, ret) TH_LOG("%s accepted", bad[i].text);
		EXPECT_STREQ(bad[i].msg, err);
	}
	ASSERT_EQ(0, cw_cidr_parse("192.0.2.7", &c, err, sizeof(err)));
	cw_cidr_format(&c, true, text, sizeof(text));
	EXPECT_STREQ("192.0.2.7/32", text);
}

TEST(good_file)
{
	const char *text =
		"{ \"groups\": [ { \"name\": \"web\", \"mode\": \"protect\" },\n"
		"              { \"name\": \"db\", \"mode\": \"monitor\", \"id\": 21 },\n"
		"              { \"name\": \"host\", \"mode\": \"monitor\" },\n"
		"              { \"name\": \"api\" } ],\n"
		"  \"address_groups\": [ { \"name\": \"corp\", \"cidrs\": [\"10.0.0.0/8\", \"fd00::/8\"] } ],\n"
		"  \"rules\": [\n"
		"    { \"id\": 2, \"from\": \"web\", \"to\": \"api\", \"ports\": [\"tcp/8080\"], \"action\": \"allow\" },\n"
		"    { \"from\": \"api\", \"to\": \"db\", \"ports\": [\"tcp/5432\", \"tcp/6379\"], \"action\": \"allow\" },\n"
		"    { \"from\": \"web\", \"to\": \"db\", \"action\": \"deny\" },\n"
		"    { \"from\": \"web\", \"to\": \"external\", \"ports\": [\"udp/53\"], \"action\": \"allow\", \"learned\": true },\n"
		"    { \"id\": 1000000, \"from\": \"corp\", \"to\": \"web\", \"action\": \"allow\", \"learned\": true }\n"
		"  ] }\n";
	char err[512], path[64];
	struct cw_policy p;

	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	ASSERT_EQ(5u, p.ngroups);
	EXPECT_STREQ("web", p.groups[0].name);
	EXPECT_EQ(CW_MODE_PROTECT, p.groups[0].mode);
	EXPECT_EQ(0u, p.groups[0].id);
	EXPECT_EQ(21u, p.groups[1].id);
	EXPECT_EQ(CW_MODE_NONE, p.groups[3].mode);	/* not given: unchanged */
	EXPECT_TRUE(p.groups[4].address);
	EXPECT_EQ(CW_MODE_DISCOVER, p.groups[4].mode);
	ASSERT_EQ(2u, p.groups[4].ncidrs);
	EXPECT_EQ(AF_INET6, p.groups[4].cidrs[1].family);

	ASSERT_EQ(5u, p.nrules);
	EXPECT_EQ(2u, p.rules[0].id);
	EXPECT_EQ(1u, p.rules[1].id);	/* the lowest unused */
	EXPECT_EQ(3u, p.rules[2].id);
	EXPECT_EQ(2u, p.rules[1].nports);
	EXPECT_EQ(6379, p.rules[1].ports[1].port_min);
	ASSERT_EQ(1u, p.rules[2].nports);	/* no ports: any */
	EXPECT_EQ(0, p.rules[2].ports[0].proto);
	EXPECT_EQ(65535, p.rules[2].ports[0].port_max);
	EXPECT_EQ(CW_ACTION_DENY, p.rules[2].action);
	EXPECT_EQ(1000001u, p.rules[3].id);	/* learned: from 1000000 up, unused */
	EXPECT_TRUE(p.rules[3].learned);
	EXPECT_EQ(1000000u, p.rules[4].id);
	cw_policy_free(&p);
}

/* Jansson's column is that of the last character it read: the bad token's end. */
TEST(syntax_errors)
{
	expect_error(_metadata, "{ \"groups\": [\n  { \"name\": \"web\", }\n] }\n",
		     ":2:20: string or '}' expected near '}'");
	expect_error(_metadata, "{\n\n  \"rules\": [ { \"id\": 1 \"from\": \"web\" } ] }",
		     ":3:29: '}' expected near '\"from\"'");
	expect_error(_metadata, "", ":1:0: '[' or '{' expected near end of file");
	expect_error(_metadata, "{ \"rules\": [], \"rules\": [] }",
		     ":1:22: duplicate object key near '\"rules\"'");
}

TEST(missing_file)
{
	char err[256];
	struct cw_policy p;

	EXPECT_EQ(-EINVAL, cw_policy_read("/nonexistent/policy.json", &p, err, sizeof(err)));
	EXPECT_STREQ("/nonexistent/policy.json: No such file or directory", err);
}

/* Each error points at the value at fault (at the object when a key is missing). */
TEST(semantic_errors)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "[]", ":1:1: the policy must be a JSON object" },
		{ "{ \"rule\": [] }", ":1:11: unknown key \"rule\"" },
		{ "{ \"groups\": {} }", ":1:13: \"groups\" must be an array" },
		{ "{ \"groups\": [ 1 ] }", ":1:15: a group must be an object" },
		{ "{ \"groups\": [ { \"mode\": \"protect\" } ] }", ":1:15: \"name\" is missing" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"mdoe\": \"protect\" } ] }",
		  ":1:38: unknown key \"mdoe\"" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"mode\": \"block\" } ] }",
		  ":1:38: bad mode \"block\" (discover, monitor or protect)" },
		{ "{ \"groups\": [ { \"name\": \"w b\" } ] }",
		  ":1:25: bad group name \"w b\" (1 to 63 of A-Z a-z 0-9 _ . -)" },
		{ "{ \"groups\": [ { \"name\": \"w\" }, { \"name\": \"w\" } ] }",
		  ":1:42: group \"w\" is defined twice" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"id\": 20 }, { \"name\": \"v\", \"id\": 20 } ] }",
		  ":1:63: group id 20 is used by \"w\" too" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"id\": 3 } ] }",
		  ":1:36: group ids below 16 are the kernel's" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"id\": -1 } ] }",
		  ":1:36: \"id\" must be an integer from 1 to 4294967295" },
		{ "{ \"groups\": [ { \"name\": \"external\" } ] }",
		  ":1:25: group \"external\" is the kernel's and cannot be redefined" },
		{ "{ \"groups\": [ { \"name\": \"unknown\", \"mode\": \"protect\" } ] }",
		  ":1:25: group \"unknown\" is the kernel's and cannot be redefined" },
		{ "{ \"groups\": [ { \"name\": \"host\", \"id\": 17 } ] }",
		  ":1:39: group \"host\" is the kernel's: only its mode may be set" },
		{ "{ \"groups\": [ { \"name\": \"host\", \"match\": { \"name\": \"h\" } } ] }",
		  ":1:42: group \"host\" is the kernel's: only its mode may be set" },
		{ "{ \"address_groups\": [ { \"name\": \"c\" } ] }",
		  ":1:23: an address group needs \"cidrs\", \"domains\" or both" },
		{ "{ \"address_groups\": [ { \"name\": \"c\", \"cidrs\": \"10.0.0.0/8\" } ] }",
		  ":1:47: \"cidrs\" must be an array of strings" },
		{ "{ \"address_groups\": [ { \"name\": \"c\", \"cidrs\": [\"10.0.0.0/8\", 10] } ] }",
		  ":1:62: \"cidrs\" must be an array of strings" },
		{ "{ \"address_groups\": [ { \"name\": \"c\", \"cidrs\": [\"10.0.0.0/8\", \"10.1.0.1/16\"] } ] }",
		  ":1:62: host bits set in \"10.1.0.1/16\"" },
		{ "{ \"address_groups\": [ { \"name\": \"c\", \"cidrs\": [\"10.0.0.0/8\", \"10.0.0.0/8\"] } ] }",
		  ":1:62: \"10.0.0.0/8\" is listed twice" },
		{ "{ \"groups\": [ { \"name\": \"c\" } ], \"address_groups\": [ { \"name\": \"c\", \"cidrs\": [] } ] }",
		  ":1:64: group \"c\" is defined twice" },
		{ "{ \"address_groups\": [ { \"name\": \"c\", \"cidrs\": [], \"match\": {} } ] }",
		  ":1:60: unknown key \"match\"" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\" } ] }",
		  ":1:14: \"action\" is missing" },
		{ "{ \"rules\": [ { \"to\": \"external\", \"action\": \"allow\" } ] }",
		  ":1:14: \"from\" is missing" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"permit\" } ] }",
		  ":1:60: bad action \"permit\" (allow or deny)" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\", \"port\": [] } ] }",
		  ":1:77: unknown key \"port\"" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": 2, \"action\": \"allow\" } ] }",
		  ":1:38: \"to\" must be a string" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\" },\n"
		  "  { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\" },\n"
		  "  { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\" },\n"
		  "  { \"from\": \"host\", \"to\": \"external\", \"ports\": [\"tcp/80\", \"tcp/90-80\"], \"action\": \"allow\" } ] }",
		  ":4:59: bad port range \"tcp/90-80\"" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"ports\": [80], \"action\": \"allow\" } ] }",
		  ":1:60: a port spec must be a string" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"ports\": [], \"action\": \"allow\" } ] }",
		  ":1:59: \"ports\" must be a non-empty array (leave it out for any)" },
		{ "{ \"rules\": [ { \"id\": 4, \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\" },"
		  "  { \"id\": 4, \"from\": \"host\", \"to\": \"external\", \"action\": \"deny\" } ] }",
		  ":1:89: rule id 4 is used by rules[0] too" },
		{ "{ \"rules\": [ { \"id\": 0, \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\" } ] }",
		  ":1:22: \"id\" must be an integer from 1 to 4294967295" },
		{ "{ \"rules\": [ { \"id\": 1000000, \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\" } ] }",
		  ":1:22: ids from 1000000 are for learned rules" },
		{ "{ \"rules\": [ { \"id\": 7, \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\", \"learned\": true } ] }",
		  ":1:22: learned rules have ids from 1000000" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\", \"learned\": 1 } ] }",
		  ":1:80: \"learned\" must be true or false" },
		{ "{ \"groups\": [ { \"name\": \"web\" } ],\n"
		  "  \"rules\": [ { \"from\": \"web\", \"to\": \"api\", \"action\": \"allow\" } ] }",
		  ":2:37: unknown group \"api\" in \"to\"" },
		{ "{ \"rules\": [ { \"from\": \"wbe\", \"to\": \"host\", \"action\": \"allow\" } ] }",
		  ":1:24: unknown group \"wbe\" in \"from\"" },
		/* "apps": at the element at fault, or at "apps" itself. */
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\",\n"
		  "  \"ports\": [\"tcp/3306\"], \"apps\": [\"mysql\", \"mysq\"] } ] }",
		  ":2:44: unknown application \"mysq\"" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\", \"apps\": [] } ] }",
		  ":1:77: \"apps\" must be a non-empty array of application names (leave it out for any)" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\", \"apps\": \"http\" } ] }",
		  ":1:77: \"apps\" must be a non-empty array of application names (leave it out for any)" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\", \"apps\": [\"http\", 1] } ] }",
		  ":1:86: an application must be a string" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\", \"apps\": [\"dns\", \"dns\"] } ] }",
		  ":1:85: \"dns\" is listed twice" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\", \"apps\": [\"unknown\"] } ] }",
		  ":1:78: unknown application \"unknown\"" },
		{ "{ \"rules\": [ { \"from\": \"host\", \"to\": \"external\", \"action\": \"allow\",\n"
		  "  \"apps\": [\"http\"], \"ports\": [\"tcp/80\", \"icmp\"] } ] }",
		  ":2:41: \"icmp\" has no application: put it in a rule without \"apps\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(_metadata, cases[i].text, cases[i].msg);
}

TEST(apps)
{
	const char *text =
		"{ \"groups\": [ { \"name\": \"api\" }, { \"name\": \"db\" } ],\n"
		"  \"rules\": [\n"
		"    { \"from\": \"api\", \"to\": \"db\", \"ports\": [\"tcp/3306\", \"tcp/6379\"],\n"
		"      \"apps\": [\"redis\", \"mysql\"], \"action\": \"allow\" },\n"
		"    { \"from\": \"api\", \"to\": \"external\", \"apps\": [\"tls\"], \"action\": \"allow\" },\n"
		"    { \"from\": \"api\", \"to\": \"db\", \"ports\": [\"tcp/22\"], \"action\": \"deny\" } ] }\n";
	const struct cw_group_info kernel[] = {
		{ .id = 1, .name = "host" }, { .id = 2, .name = "external" },
		{ .id = 3, .name = "unknown" },
	};
	const uint64_t db_apps = 1ULL << CW_APP_MYSQL | 1ULL << CW_APP_REDIS;
	char err[512], path[64], *out;
	struct cw_rule_entry *e;
	struct cw_policy p;
	json_t *json;
	size_t n;

	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	ASSERT_EQ(3u, p.nrules);
	EXPECT_EQ(db_apps, p.rules[0].apps);
	EXPECT_EQ(1ULL << CW_APP_TLS, p.rules[1].apps);
	EXPECT_EQ(0u, p.rules[2].apps);	/* none: any application */

	/* Every entry of a rule carries its applications. */
	ASSERT_EQ(0, cw_policy_resolve(&p, kernel, 3, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, cw_policy_entries(&p, kernel, 3, &e, &n, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(4u, n);
	EXPECT_EQ(db_apps, e[0].apps);
	EXPECT_EQ(6379, e[1].port_min);
	EXPECT_EQ(db_apps, e[1].apps);
	EXPECT_EQ(0, e[2].proto);
	EXPECT_EQ(1ULL << CW_APP_TLS, e[2].apps);
	EXPECT_EQ(0u, e[3].apps);
	free(e);

	/* Export writes the names in the enum's order, and only when there are some. */
	json = cw_policy_to_json(&p);
	out = json_dumps(json_object_get(json, "rules"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ("[{\"id\":1,\"from\":\"api\",\"to\":\"db\",\"ports\":[\"tcp/3306\",\"tcp/6379\"],"
		     "\"apps\":[\"mysql\",\"redis\"],\"action\":\"allow\"},"
		     "{\"id\":2,\"from\":\"api\",\"to\":\"external\",\"ports\":[\"any\"],"
		     "\"apps\":[\"tls\"],\"action\":\"allow\"},"
		     "{\"id\":3,\"from\":\"api\",\"to\":\"db\",\"ports\":[\"tcp/22\"],"
		     "\"action\":\"deny\"}]", out);
	free(out);
	json_decref(json);
	cw_policy_free(&p);
}

TEST(apps_format)
{
	char buf[64];
	json_t *json;
	char *out;

	cw_apps_format(0, buf, sizeof(buf));
	EXPECT_STREQ("any", buf);
	cw_apps_format(1ULL << CW_APP_SMB | 1ULL << CW_APP_HTTP | 1ULL << CW_APP_DNS,
		       buf, sizeof(buf));
	EXPECT_STREQ("http,dns,smb", buf);
	/* A newer module's application goes by number (and does not load back). */
	cw_apps_format(1ULL << CW_APP_HTTP | 1ULL << 60, buf, sizeof(buf));
	EXPECT_STREQ("http,60", buf);
	json = cw_apps_json(1ULL << CW_APP_GRPC | 1ULL << 60);
	out = json_dumps(json, JSON_COMPACT);
	EXPECT_STREQ("[\"grpc\",\"60\"]", out);
	free(out);
	json_decref(json);
	/* Cut short, but terminated. */
	cw_apps_format(1ULL << CW_APP_POSTGRESQL | 1ULL << CW_APP_MONGODB, buf, 14);
	EXPECT_STREQ("postgresql,mo", buf);
}

TEST(selectors)
{
	const char *text =
		"{ \"groups\": [\n"
		"    { \"name\": \"web\", \"match\": { \"name\": \"web-*\", \"runtime\": \"docker\" } },\n"
		"    { \"name\": \"api\", \"match\": [\n"
		"      { \"image\": \"registry/api:*\", \"labels\": { \"com.docker.compose.service\": \"api\" } },\n"
		"      { \"cgroup\": \"/kubepods/*\", \"k8s_namespace\": \"prod\" } ] },\n"
		"    { \"name\": \"rest\", \"match\": {} },\n"
		"    { \"name\": \"db\" } ] }\n";
	char err[512], path[64], *out;
	struct cw_policy p, back;
	json_t *json;

	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	ASSERT_EQ(4u, p.ngroups);
	ASSERT_EQ(1u, p.groups[0].nmatch);
	EXPECT_STREQ("web-*", p.groups[0].match[0].name);
	EXPECT_STREQ("docker", p.groups[0].match[0].runtime);
	EXPECT_EQ(NULL, p.groups[0].match[0].image);
	EXPECT_EQ(NULL, p.groups[0].match[0].labels);
	ASSERT_EQ(2u, p.groups[1].nmatch);
	EXPECT_STREQ("registry/api:*", p.groups[1].match[0].image);
	EXPECT_STREQ("api", json_string_value(json_object_get(p.groups[1].match[0].labels,
							      "com.docker.compose.service")));
	EXPECT_STREQ("/kubepods/*", p.groups[1].match[1].cgroup);
	EXPECT_STREQ("prod", p.groups[1].match[1].k8s_namespace);
	EXPECT_EQ(NULL, p.groups[1].match[1].runtime);
	ASSERT_EQ(1u, p.groups[2].nmatch);	/* {}: every container */
	EXPECT_EQ(NULL, p.groups[2].match[0].name);
	EXPECT_EQ(0u, p.groups[3].nmatch);

	/* Export writes them back; what it writes reads back the same. */
	json = cw_policy_to_json(&p);
	out = json_dumps(json_object_get(json, "groups"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ("[{\"name\":\"web\",\"match\":{\"name\":\"web-*\",\"runtime\":\"docker\"}},"
		     "{\"name\":\"api\",\"match\":[{\"image\":\"registry/api:*\","
		     "\"labels\":{\"com.docker.compose.service\":\"api\"}},"
		     "{\"cgroup\":\"/kubepods/*\",\"k8s_namespace\":\"prod\"}]},"
		     "{\"name\":\"rest\",\"match\":{}},{\"name\":\"db\"}]", out);
	free(out);
	ASSERT_EQ(0, cw_policy_from_json(json, "export", &back, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2u, back.groups[1].nmatch);
	EXPECT_STREQ("prod", back.groups[1].match[1].k8s_namespace);
	cw_policy_free(&back);
	json_decref(json);
	cw_policy_free(&p);
}

TEST(selector_errors)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "{ \"groups\": [ { \"name\": \"w\", \"match\": [] } ] }",
		  ":1:39: \"match\" must be a selector or a non-empty array of them" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"match\": \"w\" } ] }",
		  ":1:39: \"match\" must be a selector or a non-empty array of them" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"match\": [ {}, \"w\" ] } ] }",
		  ":1:45: a selector must be an object" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"match\": { \"nmae\": \"w\" } } ] }",
		  ":1:49: unknown key \"nmae\"" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"match\": { \"name\": 5 } } ] }",
		  ":1:49: \"name\" must be a non-empty string (a glob)" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"match\": { \"image\": \"\" } } ] }",
		  ":1:50: \"image\" must be a non-empty string (a glob)" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"match\": { \"runtime\": \"lxc\" } } ] }",
		  ":1:52: bad runtime \"lxc\" (docker, containerd, crio, podman or nspawn)" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"match\": { \"labels\": [] } } ] }",
		  ":1:51: \"labels\" must be an object of label globs" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"match\": {\n"
		  "  \"labels\": { \"tier\": \"web\", \"app.kubernetes.io/name\": true } } } ] }",
		  ":2:56: label \"app.kubernetes.io/name\" must be a non-empty string (a glob)" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(_metadata, cases[i].text, cases[i].msg);
}

/* Strings that hold brackets, quotes and escapes; characters of two bytes. */
static const char locator_text[] =
	"{\n"
	"  \"a\": { \"s\": \"} ] \\\" [ {\", \"n\": -1.5e3, \"t\": true },\n"
	"  \"list\": [ [1, 2], { \"x\": null }, \"\xc3\xa9\", \"\xc3\xbc\" ],\n"
	"  \"dotted.key\": { \"in\": 7 },\n"
	"  \"esc\\u0061ped\": \"v\",\n"
	"\t\"after\": [ ]\n"
	"}\n";

TEST(locator)
{
	static const struct {
		const char *path;
		int line, column;
	} found[] = {
		{ "", 1, 1 },
		{ "a", 2, 8 },
		{ "a.s", 2, 15 },
		{ "a.n", 2, 34 },
		{ "a.t", 2, 47 },
		{ "list", 3, 11 },
		{ "list[0]", 3, 13 },
		{ "list[0][1]", 3, 17 },
		{ "list[1].x", 3, 28 },
		{ "list[2]", 3, 36 },
		{ "list[3]", 3, 41 },	/* a column is a character, not a byte */
		{ "[\"dotted.key\"]", 4, 17 },
		{ "[\"dotted.key\"].in", 4, 25 },
		{ "escaped", 5, 19 },	/* the key as jansson decodes it */
		{ "[\"esc\\u0061ped\"]", 5, 19 },
		{ "after", 6, 11 },
	};
	static const struct {
		const char *path;
		int ret;
	} missing[] = {
		{ "nope", -ENOENT },
		{ "a.s.x", -ENOENT },
		{ "a[0]", -ENOENT },
		{ "list[4]", -ENOENT },
		{ "list[0][2]", -ENOENT },
		{ "after[0]", -ENOENT },
		{ "dotted.key", -ENOENT },
		{ "list[x]", -EINVAL },
		{ "list[1", -EINVAL },
		{ "a..s", -EINVAL },
		{ ".a", -EINVAL },
		{ "[\"a", -EINVAL },
	};
	size_t len = strlen(locator_text), i;
	int line, column;

	for (i = 0; i < sizeof(found) / sizeof(found[0]); i++) {
		line = column = 0;
		EXPECT_EQ(0, cw_json_locate(locator_text, len, found[i].path, &line, &column))
			TH_LOG("%s", found[i].path);
		EXPECT_EQ(found[i].line, line) TH_LOG("%s", found[i].path);
		EXPECT_EQ(found[i].column, column) TH_LOG("%s", found[i].path);
	}
	for (i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		const char *path = missing[i].path;

		EXPECT_EQ(missing[i].ret, cw_json_locate(locator_text, len, path, &line, &column))
			TH_LOG("%s", path);
	}
	EXPECT_EQ(0, cw_json_locate("  42", 4, "", &line, &column));
	EXPECT_EQ(1, line);
	EXPECT_EQ(3, column);
}

TEST(locator_paths)
{
	static const struct {
		const char *path, *key, *out;
	} cases[] = {
		{ "", "rules", "rules" },
		{ "groups[0]", "match", "groups[0].match" },
		{ "a", "b-c_1", "a.b-c_1" },
		{ "labels", "app.kubernetes.io/name", "labels[\"app.kubernetes.io/name\"]" },
		{ "x", "", "x[\"\"]" },
		{ "x", "a\"[b", "x[\"a\\\"[b\"]" },
	};
	const char *text = "{ \"x\": { \"a\\\"[b\": 1, \"\": 2 } }";
	struct cw_json_file f = { .name = "f.json", .text = (char *)text, .len = strlen(text) };
	char path[128], err[128];
	int line, column;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "%s", cases[i].path);
		cw_json_path_add(path, sizeof(path), cases[i].key);
		EXPECT_STREQ(cases[i].out, path);
	}
	/* What cw_json_path_add quotes, the locator finds. */
	EXPECT_EQ(0, cw_json_locate(text, strlen(text), "x[\"a\\\"[b\"]", &line, &column));
	EXPECT_EQ(19, column);
	EXPECT_EQ(0, cw_json_locate(text, strlen(text), "x[\"\"]", &line, &column));
	EXPECT_EQ(26, column);

	EXPECT_EQ(-EINVAL, cw_json_file_error(&f, "x[\"\"]", err, sizeof(err), "bad %d", 2));
	EXPECT_STREQ("f.json:1:26: bad 2", err);
	cw_json_file_error(&f, "y", err, sizeof(err), "gone");
	EXPECT_STREQ("f.json: y: gone", err);
	cw_json_file_error(&f, NULL, err, sizeof(err), "no place");
	EXPECT_STREQ("f.json: no place", err);
	f.text = NULL;
	cw_json_file_error(&f, "x", err, sizeof(err), "no text");
	EXPECT_STREQ("f.json: x: no text", err);
	cw_json_file_error(&f, "", err, sizeof(err), "whole");
	EXPECT_STREQ("f.json: whole", err);
}

TEST(kernel_groups_are_known)
{
	const struct cw_group_info known[] = { { .id = 40, .name = "legacy" } };
	struct cw_policy p;
	char err[256];
	json_t *root = json_loads("{ \"rules\": [ { \"from\": \"legacy\", \"to\": \"host\", "
				  "\"action\": \"deny\" } ] }", 0, NULL);

	ASSERT_EQ(0, cw_policy_from_json(root, "f", &p, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, cw_policy_check_groups(&p, "f", NULL, 0, err, sizeof(err)));
	EXPECT_STREQ("f: rules[0].from: unknown group \"legacy\" in \"from\"", err);
	EXPECT_EQ(0, cw_policy_check_groups(&p, "f", known, 1, err, sizeof(err)));
	cw_policy_free(&p);
	json_decref(root);
}

TEST(resolve_and_entries)
{
	const struct cw_group_info kernel[] = {
		{ .id = 1, .name = "host", .mode = CW_MODE_DISCOVER },
		{ .id = 2, .name = "external" },
		{ .id = 3, .name = "unknown", .mode = CW_MODE_MONITOR },
		{ .id = 16, .name = "web", .mode = CW_MODE_DISCOVER },
		{ .id = 18, .name = "other", .mode = CW_MODE_DISCOVER },
	};
	json_t *root = json_loads(
		"{ \"groups\": [ { \"name\": \"web\", \"mode\": \"protect\" }, { \"name\": \"api\" },"
		"  { \"name\": \"db\", \"id\": 17 }, { \"name\": \"cache\" } ],"
		"  \"rules\": [ { \"id\": 9, \"from\": \"web\", \"to\": \"api\", \"ports\": [\"tcp/80\", \"udp/53\"], \"action\": \"allow\" },"
		"    { \"from\": \"api\", \"to\": \"external\", \"action\": \"deny\" } ] }", 0, NULL);
	struct cw_rule_entry *e;
	struct cw_policy p;
	char err[256];
	size_t n;

	ASSERT_EQ(0, cw_policy_from_json(root, "f", &p, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, cw_policy_resolve(&p, kernel, 5, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(16u, p.groups[0].id);	/* the kernel's */
	EXPECT_EQ(19u, p.groups[1].id);	/* lowest free >= 16: 16-18 taken */
	EXPECT_EQ(17u, p.groups[2].id);
	EXPECT_EQ(20u, p.groups[3].id);
	ASSERT_EQ(0, cw_policy_entries(&p, kernel, 5, &e, &n, err, sizeof(err)));
	ASSERT_EQ(3u, n);
	EXPECT_EQ(9u, e[0].id);
	EXPECT_EQ(16u, e[0].from);
	EXPECT_EQ(19u, e[0].to);
	EXPECT_EQ(IPPROTO_TCP, e[0].proto);
	EXPECT_EQ(80, e[0].port_min);
	EXPECT_EQ(9u, e[1].id);
	EXPECT_EQ(IPPROTO_UDP, e[1].proto);
	EXPECT_EQ(1u, e[2].id);
	EXPECT_EQ(2u, e[2].to);
	EXPECT_EQ(0, e[2].proto);
	EXPECT_EQ(CW_ACTION_DENY, e[2].action);
	free(e);
	cw_policy_free(&p);
	json_decref(root);

	/* A file id that is another group's in the kernel. */
	root = json_loads("{ \"groups\": [ { \"name\": \"db\", \"id\": 18 } ] }", 0, NULL);
	ASSERT_EQ(0, cw_policy_from_json(root, "f", &p, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, cw_policy_resolve(&p, kernel, 5, err, sizeof(err)));
	EXPECT_STREQ("group id 18 of \"db\" belongs to \"other\"", err);
	cw_policy_free(&p);
	json_decref(root);

	root = json_loads("{ \"groups\": [ { \"name\": \"web\", \"id\": 30 } ] }", 0, NULL);
	ASSERT_EQ(0, cw_policy_from_json(root, "f", &p, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, cw_policy_resolve(&p, kernel, 5, err, sizeof(err)));
	EXPECT_STREQ("group \"web\" has id 16 in the kernel, not 30", err);
	cw_policy_free(&p);
	json_decref(root);
}

TEST(export_merges_and_learns)
{
	const struct cw_group_info groups[] = {
		{ .id = 1, .name = "host", .mode = CW_MODE_MONITOR },
		{ .id = 2, .name = "external" },
		{ .id = 3, .name = "unknown", .mode = CW_MODE_DISCOVER },
		{ .id = 16, .name = "web", .mode = CW_MODE_PROTECT },
		{ .id = 17, .name = "db", .mode = CW_MODE_DISCOVER },
		{ .id = 18, .name = "corp", .mode = CW_MODE_DISCOVER },
	};
	const struct cw_addr_info addrs[] = {
		{ .cidr = { AF_INET, 8, { 10 } }, .group = 18 },
		{ .cidr = { AF_INET, 32, { 10, 0, 0, 5 } }, .workload = 4,
		  .origin = CW_ADDR_ORIGIN_LEARNED },
		{ .cidr = { AF_INET6, 8, { 0xfd } }, .group = 18 },
	};
	const uint64_t pg = 1ULL << CW_APP_POSTGRESQL, redis = 1ULL << CW_APP_REDIS;
	const struct cw_rule_entry rules[] = {
		{ 2, 16, 17, IPPROTO_TCP, 5432, 5432, CW_ACTION_ALLOW, false, pg | redis },
		{ 1, 18, 16, IPPROTO_TCP, 443, 443, CW_ACTION_ALLOW, false, 0 },
		{ 2, 16, 17, IPPROTO_TCP, 6379, 6379, CW_ACTION_ALLOW, false, pg | redis },
		{ 1000001, 16, 2, IPPROTO_UDP, 53, 53, CW_ACTION_ALLOW, true, 0 },
		{ 3, 16, 2, 0, 0, 65535, CW_ACTION_DENY, false, 0 },
		{ 2, 16, 17, IPPROTO_TCP, 5432, 5432, CW_ACTION_ALLOW, false, pg | redis },
	};
	/* Merged by (from, to, action, apps): the application seen, or none. */
	const struct cw_rule_entry learned[] = {
		{ 0, 17, 2, IPPROTO_TCP, 80, 80, CW_ACTION_ALLOW, true, 1ULL << CW_APP_HTTP },
		{ 0, 16, 17, IPPROTO_TCP, 8000, 8000, CW_ACTION_ALLOW, true, 0 },
		{ 0, 17, 2, IPPROTO_TCP, 443, 443, CW_ACTION_ALLOW, true, 1ULL << CW_APP_TLS },
		{ 0, 16, 2, IPPROTO_TCP, 443, 443, CW_ACTION_ALLOW, true, 0 },
		{ 0, 17, 2, IPPROTO_TCP, 8080, 8080, CW_ACTION_ALLOW, true, 1ULL << CW_APP_HTTP },
	};
	struct cw_policy p, back;
	char err[256], *text;
	json_t *json;

	ASSERT_EQ(0, cw_policy_from_kernel(groups, 6, addrs, 3, NULL, 0, rules, 6, learned, 5,
					   &p, err, sizeof(err))) TH_LOG("%s", err);
	json = cw_policy_to_json(&p);
	text = json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ("{\"groups\":[{\"name\":\"host\",\"mode\":\"monitor\"},"
		     "{\"name\":\"web\",\"id\":16,\"mode\":\"protect\"},"
		     "{\"name\":\"db\",\"id\":17,\"mode\":\"discover\"}],"
		     "\"address_groups\":[{\"name\":\"corp\",\"id\":18,\"mode\":\"discover\","
		     "\"cidrs\":[\"10.0.0.0/8\",\"fd00::/8\"]}],"
		     "\"rules\":["
		     "{\"id\":2,\"from\":\"web\",\"to\":\"db\",\"ports\":[\"tcp/5432\",\"tcp/6379\"],"
		     "\"apps\":[\"postgresql\",\"redis\"],\"action\":\"allow\"},"
		     "{\"id\":1,\"from\":\"corp\",\"to\":\"web\",\"ports\":[\"tcp/443\"],\"action\":\"allow\"},"
		     "{\"id\":1000001,\"from\":\"web\",\"to\":\"external\",\"ports\":[\"udp/53\",\"tcp/443\"],\"action\":\"allow\",\"learned\":true},"
		     "{\"id\":3,\"from\":\"web\",\"to\":\"external\",\"ports\":[\"any\"],\"action\":\"deny\"},"
		     "{\"id\":1000000,\"from\":\"db\",\"to\":\"external\",\"ports\":[\"tcp/80\",\"tcp/8080\"],\"apps\":[\"http\"],\"action\":\"allow\",\"learned\":true},"
		     "{\"id\":1000002,\"from\":\"web\",\"to\":\"db\",\"ports\":[\"tcp/8000\"],\"action\":\"allow\",\"learned\":true},"
		     "{\"id\":1000003,\"from\":\"db\",\"to\":\"external\",\"ports\":[\"tcp/443\"],\"apps\":[\"tls\"],\"action\":\"allow\",\"learned\":true}]}",
		     text);
	free(text);

	/* What export writes loads back to the same entries. */
	ASSERT_EQ(0, cw_policy_from_json(json, "export", &back, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, cw_policy_check_groups(&back, "export", groups, 6, err, sizeof(err)));
	EXPECT_EQ(p.nrules, back.nrules);
	EXPECT_EQ(1000002u, back.rules[5].id);
	EXPECT_EQ(2u, back.rules[0].nports);
	EXPECT_EQ(pg | redis, back.rules[0].apps);
	EXPECT_EQ(0u, back.rules[1].apps);
	EXPECT_EQ(1ULL << CW_APP_TLS, back.rules[6].apps);
	cw_policy_free(&back);
	cw_policy_free(&p);
	json_decref(json);
}

TEST(export_refuses_disagreeing_entries)
{
	const struct cw_group_info groups[] = {
		{ .id = 16, .name = "web" }, { .id = 17, .name = "db" },
	};
	const struct cw_rule_entry rules[] = {
		{ 5, 16, 17, IPPROTO_TCP, 80, 80, CW_ACTION_ALLOW, false, 0 },
		{ 5, 16, 17, IPPROTO_TCP, 81, 81, CW_ACTION_DENY, false, 0 },
	};
	const struct cw_rule_entry apps[] = {
		{ 7, 16, 17, IPPROTO_TCP, 80, 80, CW_ACTION_ALLOW, false, 1ULL << CW_APP_HTTP },
		{ 7, 16, 17, IPPROTO_TCP, 81, 81, CW_ACTION_ALLOW, false, 1ULL << CW_APP_TLS },
	};
	const struct cw_rule_entry ghost[] = {
		{ 6, 16, 99, IPPROTO_TCP, 80, 80, CW_ACTION_ALLOW, false, 0 },
	};
	struct cw_policy p;
	char err[256];

	EXPECT_EQ(-EINVAL, cw_policy_from_kernel(groups, 2, NULL, 0, NULL, 0, rules, 2, NULL, 0,
						 &p, err, sizeof(err)));
	EXPECT_STREQ("rule 5: its entries differ in from, to, action, apps or learned", err);
	EXPECT_EQ(-EINVAL, cw_policy_from_kernel(groups, 2, NULL, 0, NULL, 0, apps, 2, NULL, 0,
						 &p, err, sizeof(err)));
	EXPECT_STREQ("rule 7: its entries differ in from, to, action, apps or learned", err);
	EXPECT_EQ(-EINVAL, cw_policy_from_kernel(groups, 2, NULL, 0, NULL, 0, ghost, 1, NULL, 0,
						 &p, err, sizeof(err)));
	EXPECT_STREQ("rule 6 names group id 99, which does not exist", err);
}

TEST(domain_names)
{
	static const struct {
		const char *text, *name;
	} good[] = {
		{ "example.com", "example.com" },
		{ "*.Example.COM", "*.example.com" },
		{ "a-b_c.x1", "a-b_c.x1" },
		{ "localhost", "localhost" },
		{ "-.0", "-.0" },	/* the kernel takes any label of these characters */
	};
	static const struct {
		const char *text;
	} bad[] = {
		{ "" }, { "." }, { "*." }, { "*" }, { "*.*.example.com" }, { "example.com." },
		{ ".example.com" }, { "exa..mple.com" }, { "a b.com" }, { "ex*ample.com" },
		{ "*example.com" }, { "\xc3\xa9t\xc3\xa9.fr" },
	};
	char name[CW_DOMAIN_STRLEN], text[300], err[512];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		EXPECT_EQ(0, cw_domain_name_parse(good[i].text, name, err, sizeof(err)))
			TH_LOG("%s: %s", good[i].text, err);
		EXPECT_STREQ(good[i].name, name);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = cw_domain_name_parse(bad[i].text, name, err, sizeof(err));

		EXPECT_EQ(-EINVAL, ret) TH_LOG("\"%s\" accepted", bad[i].text);
	}
	EXPECT_STREQ("bad domain name \"\xc3\xa9t\xc3\xa9.fr\" (labels of 1 to 63 of A-Z a-z 0-9 - _"
		     " joined by dots, at most 253 in all, optionally after \"*.\")", err);

	/* Labels of 63 at most; 253 in all, not counting a wildcard's "*.". */
	memset(text, 'a', 63);
	strcpy(text + 63, ".test");
	EXPECT_EQ(0, cw_domain_name_parse(text, name, err, sizeof(err)));
	memset(text, 'a', 64);
	text[64] = '\0';
	EXPECT_EQ(-EINVAL, cw_domain_name_parse(text, name, err, sizeof(err)));
	for (i = 0; i < 253; i++)
		text[i] = i % 2 ? '.' : 'a';
	text[253] = '\0';
	EXPECT_EQ(0, cw_domain_name_parse(text, name, err, sizeof(err)));
	memmove(text + 2, text, 254);
	memcpy(text, "*.", 2);
	EXPECT_EQ(0, cw_domain_name_parse(text, name, err, sizeof(err)));
	EXPECT_EQ(255u, strlen(name));
	strcat(text, "a");
	EXPECT_EQ(-EINVAL, cw_domain_name_parse(text + 2, name, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, cw_domain_name_parse(text, name, err, sizeof(err)));
}

/* Address groups of names: with or without CIDRs, each name in one group, once. */
TEST(domains)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "{ \"address_groups\": [ { \"name\": \"c\", \"domains\": \"x.test\" } ] }",
		  ":1:49: \"domains\" must be an array of strings" },
		{ "{ \"address_groups\": [ { \"name\": \"c\", \"domains\": [\"x.test\", 7] } ] }",
		  ":1:60: \"domains\" must be an array of strings" },
		{ "{ \"address_groups\": [\n"
		  "  { \"name\": \"c\", \"cidrs\": [\"10.0.0.0/8\"],\n"
		  "    \"domains\": [\"x.test\", \"*.y.test\", \"x..test\"] } ] }",
		  ":3:39: bad domain name \"x..test\" (labels of 1 to 63 of A-Z a-z 0-9 - _"
		  " joined by dots, at most 253 in all, optionally after \"*.\")" },
		{ "{ \"address_groups\": [ { \"name\": \"c\", \"domains\": [\"*\"] } ] }",
		  ":1:50: bad domain name \"*\" (labels of 1 to 63 of A-Z a-z 0-9 - _"
		  " joined by dots, at most 253 in all, optionally after \"*.\")" },
		{ "{ \"address_groups\": [ { \"name\": \"c\", \"domains\": [\"x.test\", \"X.Test\"] } ] }",
		  ":1:60: \"X.Test\" is listed twice" },
		{ "{ \"address_groups\": [ { \"name\": \"a\", \"domains\": [\"*.x.test\"] },\n"
		  "                      { \"name\": \"b\", \"domains\": [\"x.test\", \"*.x.test\"] } ] }",
		  ":2:60: \"*.x.test\" is in group \"a\" too" },
		{ "{ \"groups\": [ { \"name\": \"w\", \"domains\": [\"x.test\"] } ] }",
		  ":1:41: unknown key \"domains\"" },
	};
	/* The form tests/kselftests/l7policy_test.c loads. */
	const char *text =
		"{ \"groups\": [ { \"name\": \"clients\" } ],\n"
		"  \"address_groups\": [{ \"name\": \"partners\",\n"
		"                        \"domains\": [\"allowed.test\", \"*.allowed.test\"] },\n"
		"                      { \"name\": \"mixed\", \"cidrs\": [\"192.0.2.0/24\"],\n"
		"                        \"domains\": [\"API.Example.com\"] }],\n"
		"  \"rules\": [ { \"from\": \"clients\", \"to\": \"partners\", \"ports\": [\"tcp/80\", \"tcp/443\"],\n"
		"               \"action\": \"allow\" } ] }\n";
	char err[512], path[64];
	struct cw_policy p;
	size_t i;

	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	ASSERT_EQ(3u, p.ngroups);
	EXPECT_TRUE(p.groups[1].address);
	EXPECT_EQ(CW_MODE_DISCOVER, p.groups[1].mode);
	EXPECT_EQ(0u, p.groups[1].ncidrs);
	ASSERT_EQ(2u, p.groups[1].ndomains);
	EXPECT_STREQ("allowed.test", p.groups[1].domains[0]);
	EXPECT_STREQ("*.allowed.test", p.groups[1].domains[1]);
	EXPECT_EQ(1u, p.groups[2].ncidrs);
	ASSERT_EQ(1u, p.groups[2].ndomains);
	EXPECT_STREQ("api.example.com", p.groups[2].domains[0]);	/* as the kernel keeps it */
	EXPECT_EQ(&p.groups[2], cw_policy_domain_group(&p, "api.example.com"));
	EXPECT_EQ(NULL, cw_policy_domain_group(&p, "example.com"));
	cw_policy_free(&p);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(_metadata, cases[i].text, cases[i].msg);
}

static void expect_change(struct __test_metadata *_metadata, const struct cw_domain_change *c,
			  const char *name, uint32_t from, uint32_t to)
{
	EXPECT_STREQ(name, c->name);
	EXPECT_EQ(from, c->from);
	EXPECT_EQ(to, c->to);
}

/* A load changes the kernel's domains only where they differ from the file's. */
TEST(domain_changes)
{
	json_t *root = json_loads(
		"{ \"groups\": [ { \"name\": \"web\" } ],"
		"  \"address_groups\": ["
		"    { \"name\": \"partners\", \"id\": 20, \"domains\": [\"a.test\", \"*.B.test\", \"c.test\"] },"
		"    { \"name\": \"cdn\", \"id\": 21, \"cidrs\": [\"192.0.2.0/24\"], \"domains\": [\"d.test\"] },"
		"    { \"name\": \"none\", \"id\": 22, \"cidrs\": [] } ] }", 0, NULL);
	const struct cw_domain_info kernel[] = {
		{ "*.b.test", 21 },	/* moves to partners */
		{ "a.test", 20 },	/* stays */
		{ "gone.test", 22 },	/* an address group no longer lists it */
		{ "old.test", 20 },
		{ "other.test", 16 },	/* a group the file lists, not as an address group */
		{ "x.test", 40 },	/* a group the file does not name */
	};
	const struct cw_domain_info in_force[] = {
		{ "*.b.test", 20 }, { "a.test", 20 }, { "c.test", 20 }, { "d.test", 21 },
		{ "other.test", 16 }, { "x.test", 40 },
	};
	struct cw_domain_change *c;
	struct cw_policy p;
	char err[256];
	size_t n;

	ASSERT_EQ(0, cw_policy_from_json(root, "f", &p, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, cw_policy_resolve(&p, NULL, 0, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(16u, p.groups[0].id);

	/* Into an empty kernel: every name. */
	ASSERT_EQ(0, cw_policy_domain_changes(&p, NULL, 0, &c, &n));
	ASSERT_EQ(4u, n);
	expect_change(_metadata, &c[0], "a.test", 0, 20);
	expect_change(_metadata, &c[1], "*.b.test", 0, 20);
	expect_change(_metadata, &c[2], "c.test", 0, 20);
	expect_change(_metadata, &c[3], "d.test", 0, 21);
	free(c);

	ASSERT_EQ(0, cw_policy_domain_changes(&p, kernel, 6, &c, &n));
	ASSERT_EQ(5u, n);
	expect_change(_metadata, &c[0], "*.b.test", 21, 20);
	expect_change(_metadata, &c[1], "c.test", 0, 20);
	expect_change(_metadata, &c[2], "d.test", 0, 21);
	expect_change(_metadata, &c[3], "gone.test", 22, 0);
	expect_change(_metadata, &c[4], "old.test", 20, 0);
	free(c);

	/* Once in force, nothing: a re-sync leaves the kernel alone. */
	ASSERT_EQ(0, cw_policy_domain_changes(&p, in_force, 6, &c, &n));
	EXPECT_EQ(0u, n);
	free(c);
	cw_policy_free(&p);
	json_decref(root);
}

/* Export writes each group's domains; what it writes loads back to no change. */
TEST(export_domains)
{
	const struct cw_group_info groups[] = {
		{ .id = 1, .name = "host", .mode = CW_MODE_DISCOVER },
		{ .id = 2, .name = "external" },
		{ .id = 16, .name = "web", .mode = CW_MODE_PROTECT },
		{ .id = 17, .name = "partners", .mode = CW_MODE_DISCOVER },
		{ .id = 18, .name = "corp", .mode = CW_MODE_MONITOR },
	};
	const struct cw_addr_info addrs[] = {
		{ .cidr = { AF_INET, 8, { 10 } }, .group = 18 },
	};
	const struct cw_domain_info domains[] = {
		{ "*.allowed.test", 17 }, { "allowed.test", 17 }, { "intranet.corp.test", 18 },
	};
	struct cw_domain_change *c;
	struct cw_policy p, back;
	char err[256], *text;
	json_t *json;
	size_t n;

	ASSERT_EQ(0, cw_policy_from_kernel(groups, 5, addrs, 1, domains, 3, NULL, 0, NULL, 0,
					   &p, err, sizeof(err))) TH_LOG("%s", err);
	json = cw_policy_to_json(&p);
	text = json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ("{\"groups\":[{\"name\":\"host\",\"mode\":\"discover\"},"
		     "{\"name\":\"web\",\"id\":16,\"mode\":\"protect\"}],"
		     "\"address_groups\":["
		     "{\"name\":\"partners\",\"id\":17,\"mode\":\"discover\","
		     "\"domains\":[\"*.allowed.test\",\"allowed.test\"]},"
		     "{\"name\":\"corp\",\"id\":18,\"mode\":\"monitor\","
		     "\"cidrs\":[\"10.0.0.0/8\"],\"domains\":[\"intranet.corp.test\"]}],"
		     "\"rules\":[]}", text);
	free(text);

	ASSERT_EQ(0, cw_policy_from_json(json, "export", &back, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, cw_policy_resolve(&back, groups, 5, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(4u, back.ngroups);
	EXPECT_EQ(2u, back.groups[2].ndomains);
	EXPECT_EQ(1u, back.groups[3].ndomains);
	ASSERT_EQ(0, cw_policy_domain_changes(&back, domains, 3, &c, &n));
	EXPECT_EQ(0u, n);
	free(c);
	cw_policy_free(&back);
	cw_policy_free(&p);
	json_decref(json);
}

TEST(three_tier_example)
{
	const struct cw_group_info builtin[] = {
		{ .id = 1, .name = "host" }, { .id = 2, .name = "external" },
		{ .id = 3, .name = "unknown" },
	};
	struct cw_rule_entry *e;
	struct cw_policy p;
	char err[512];
	size_t n;

	ASSERT_EQ(0, cw_policy_read("rules/examples/three-tier.json", &p, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, cw_policy_check_groups(&p, "three-tier", NULL, 0, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(5u, p.ngroups);
	EXPECT_EQ(8u, p.nrules);
	EXPECT_EQ(6u, p.rules[5].id);
	EXPECT_EQ(7u, p.rules[6].id);
	EXPECT_TRUE(p.rules[7].learned);
	EXPECT_EQ(1ULL << CW_APP_POSTGRESQL | 1ULL << CW_APP_REDIS, p.rules[3].apps);
	EXPECT_EQ(1ULL << CW_APP_TLS, p.rules[7].apps);
	ASSERT_EQ(0, cw_policy_resolve(&p, builtin, 3, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(16u, p.groups[0].id);
	EXPECT_EQ(21u, p.groups[2].id);
	ASSERT_EQ(0, cw_policy_entries(&p, builtin, 3, &e, &n, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(11u, n);
	EXPECT_EQ(2u, e[0].from);	/* external */
	EXPECT_EQ(1u, e[9].from);	/* host */
	EXPECT_EQ(IPPROTO_ICMP, e[9].proto);
	free(e);
	cw_policy_free(&p);
}

TEST(egress_by_name_example)
{
	struct cw_policy p;
	char err[512];

	ASSERT_EQ(0, cw_policy_read("rules/examples/egress-by-name.json", &p, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, cw_policy_check_groups(&p, "egress-by-name", NULL, 0, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(4u, p.ngroups);
	EXPECT_EQ(0u, p.groups[2].ncidrs);
	EXPECT_EQ(2u, p.groups[2].ndomains);
	EXPECT_STREQ("*.cdn.example.net", p.groups[2].domains[1]);
	EXPECT_EQ(1u, p.groups[3].ncidrs);
	EXPECT_EQ(1u, p.groups[3].ndomains);
	EXPECT_EQ(3u, p.nrules);
	cw_policy_free(&p);
}

TEST(process_and_file_rules)
{
	const char *text =
		"{ \"groups\": [ { \"name\": \"web\" } ],\n"
		"  \"process_rules\": [\n"
		"    { \"group\": \"web\", \"path\": \"/usr/sbin/nginx\", \"name\": \"nginx\", \"user\": 0,"
		" \"action\": \"allow\" },\n"
		"    { \"group\": \"web\", \"path\": \"/usr/local/bin/*\" },\n"
		"    { \"group\": \"web\", \"name\": \"curl\", \"action\": \"deny\", \"user\": 4294967294 },\n"
		"    { \"group\": \"web\", \"path\": \"/bin/busybox\", \"name\": \"sleep\", \"user\": 33,"
		" \"learned\": true },\n"
		"    { \"group\": \"web\", \"name\": \"kworker-flusher\" } ],\n"
		"  \"file_rules\": [\n"
		"    { \"group\": \"web\", \"path\": \"/srv/www\", \"action\": \"watch\" },\n"
		"    { \"group\": \"web\", \"path\": \"/etc/passwd\", \"process\": \"/usr/sbin/useradd\","
		" \"action\": \"allow\" },\n"
		"    { \"group\": \"web\", \"path\": \"/\" },\n"
		"    { \"group\": \"host\", \"path\": \"/var/lib/dpkg\", \"process\": \"dpkg\" } ] }\n";
	char err[512], path[64];
	struct cw_policy p;

	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	ASSERT_EQ(5u, p.nprocesses);
	EXPECT_STREQ("web", p.processes[0].group);
	EXPECT_STREQ("/usr/sbin/nginx", p.processes[0].path);
	EXPECT_STREQ("nginx", p.processes[0].name);
	EXPECT_EQ(0, p.processes[0].uid);
	EXPECT_EQ(CW_ACTION_ALLOW, p.processes[0].action);
	EXPECT_FALSE(p.processes[0].learned);
	/* Absent: any name, any user, allowed. */
	EXPECT_STREQ("/usr/local/bin/*", p.processes[1].path);
	EXPECT_EQ(NULL, p.processes[1].name);
	EXPECT_EQ(-1, p.processes[1].uid);
	EXPECT_EQ(CW_ACTION_ALLOW, p.processes[1].action);
	EXPECT_EQ(NULL, p.processes[2].path);
	EXPECT_EQ(CW_ACTION_DENY, p.processes[2].action);
	EXPECT_EQ(4294967294, p.processes[2].uid);
	EXPECT_TRUE(p.processes[3].learned);
	EXPECT_EQ(33, p.processes[3].uid);
	EXPECT_STREQ("kworker-flusher", p.processes[4].name);	/* 15: the most */

	ASSERT_EQ(4u, p.nfiles);
	EXPECT_STREQ("/srv/www", p.files[0].path);
	EXPECT_EQ(NULL, p.files[0].process);	/* watch */
	EXPECT_STREQ("/etc/passwd", p.files[1].path);
	EXPECT_STREQ("/usr/sbin/useradd", p.files[1].process);
	EXPECT_STREQ("/", p.files[2].path);
	/* With a process and no action: allow. */
	EXPECT_STREQ("host", p.files[3].group);
	EXPECT_STREQ("dpkg", p.files[3].process);
	cw_policy_free(&p);
}

TEST(process_and_file_rule_errors)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "{ \"process_rules\": {} }", ":1:20: \"process_rules\" must be an array" },
		{ "{ \"process_rules\": [ \"nginx\" ] }", ":1:22: a process rule must be an object" },
		{ "{ \"process_rules\": [ { \"path\": \"/bin/sh\" } ] }",
		  ":1:22: \"group\" is missing" },
		{ "{ \"process_rules\": [ { \"group\": \"w b\", \"path\": \"/bin/sh\" } ] }",
		  ":1:33: bad group name \"w b\" (1 to 63 of A-Z a-z 0-9 _ . -)" },
		{ "{ \"process_rules\": [\n  { \"group\": \"host\", \"path\": \"bin/sh\" } ] }",
		  ":2:30: \"path\" must start with \"/\": a glob on the executable's absolute path" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"path\": \"\" } ] }",
		  ":1:49: \"path\" must be a non-empty string (a glob)" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"name\": \"kworker-flusherd\" } ] }",
		  ":1:49: \"name\" \"kworker-flusherd\" is longer than 15 characters, the most a"
		  " process name (comm) has" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"name\": 7 } ] }",
		  ":1:49: \"name\" must be a non-empty string (a glob)" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"user\": 0 } ] }",
		  ":1:22: a process rule needs \"path\", \"name\" or both" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"name\": \"sh\", \"user\": -1 } ] }",
		  ":1:63: \"user\" must be a uid, an integer from 0 to 4294967294" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"name\": \"sh\", \"user\": 4294967295 } ] }",
		  ":1:63: \"user\" must be a uid, an integer from 0 to 4294967294" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"name\": \"sh\", \"user\": \"root\" } ] }",
		  ":1:63: \"user\" must be a uid, an integer from 0 to 4294967294" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"name\": \"sh\", \"action\": \"kill\" } ] }",
		  ":1:65: bad action \"kill\" (allow or deny)" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"name\": \"sh\", \"learned\": \"yes\" } ] }",
		  ":1:66: \"learned\" must be true or false" },
		{ "{ \"process_rules\": [ { \"group\": \"host\", \"name\": \"sh\", \"uid\": 0 } ] }",
		  ":1:62: unknown key \"uid\"" },
		{ "{ \"file_rules\": [ { \"path\": \"/etc\" } ] }", ":1:19: \"group\" is missing" },
		{ "{ \"file_rules\": [ { \"group\": \"host\" } ] }", ":1:19: \"path\" is missing" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"etc\" } ] }",
		  ":1:46: bad path \"etc\" (absolute, without \"//\", \".\" or \"..\", no \"/\" at the end)" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"/etc/\" } ] }",
		  ":1:46: bad path \"/etc/\" (absolute, without \"//\", \".\" or \"..\", no \"/\" at the end)" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"/etc//passwd\" } ] }",
		  ":1:46: bad path \"/etc//passwd\" (absolute, without \"//\", \".\" or \"..\", no \"/\" at the end)" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"/etc/./passwd\" } ] }",
		  ":1:46: bad path \"/etc/./passwd\" (absolute, without \"//\", \".\" or \"..\", no \"/\" at the end)" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"/srv/../etc\" } ] }",
		  ":1:46: bad path \"/srv/../etc\" (absolute, without \"//\", \".\" or \"..\", no \"/\" at the end)" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"\" } ] }",
		  ":1:46: bad path \"\" (absolute, without \"//\", \".\" or \"..\", no \"/\" at the end)" },
		{ "{ \"file_rules\": [\n  { \"group\": \"host\", \"path\": \"/etc\", \"process\": \"vi\", \"action\": \"watch\" } ] }",
		  ":2:49: \"watch\" takes no \"process\" (\"allow\" lets one change the path)" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"/etc\", \"action\": \"allow\" } ] }",
		  ":1:64: \"allow\" needs \"process\", the program that may change the path" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"/etc\", \"action\": \"deny\" } ] }",
		  ":1:64: bad action \"deny\" (watch or allow)" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"/etc\", \"process\": \"\" } ] }",
		  ":1:65: \"process\" must be a non-empty string (a glob)" },
		{ "{ \"file_rules\": [ { \"group\": \"host\", \"path\": \"/etc\", \"program\": \"vi\" } ] }",
		  ":1:65: unknown key \"program\"" },
		/* The group must exist, as a rule's ends must. */
		{ "{ \"groups\": [ { \"name\": \"web\" } ],\n"
		  "  \"process_rules\": [ { \"group\": \"wbe\", \"name\": \"nginx\" } ] }",
		  ":2:33: unknown group \"wbe\"" },
		{ "{ \"groups\": [ { \"name\": \"web\" } ],\n"
		  "  \"process_rules\": [ { \"group\": \"web\", \"name\": \"nginx\" } ],\n"
		  "  \"file_rules\": [ { \"group\": \"web\", \"path\": \"/srv\" },\n"
		  "                  { \"group\": \"db\", \"path\": \"/var/lib/db\" } ] }",
		  ":4:30: unknown group \"db\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(_metadata, cases[i].text, cases[i].msg);
}

/* A group the kernel has is known to process and file rules too. */
TEST(process_rules_kernel_groups)
{
	const char *text = "{ \"process_rules\": [ { \"group\": \"web\", \"name\": \"nginx\" } ],\n"
			   "  \"file_rules\": [ { \"group\": \"web\", \"path\": \"/srv\" } ] }";
	const struct cw_group_info kernel[] = { { .id = 16, .name = "web" } };
	json_t *root = json_loads(text, 0, NULL);
	struct cw_policy p;
	char err[512];

	ASSERT_NE(NULL, root);
	ASSERT_EQ(0, cw_policy_from_json(root, "f", &p, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, cw_policy_check_groups(&p, "f", NULL, 0, err, sizeof(err)));
	EXPECT_STREQ("f: process_rules[0].group: unknown group \"web\"", err);
	EXPECT_EQ(0, cw_policy_check_groups(&p, "f", kernel, 1, err, sizeof(err))) TH_LOG("%s", err);
	cw_policy_free(&p);
	json_decref(root);
}

/* Written back as given (defaults left out), and read back the same. */
TEST(process_and_file_rules_export)
{
	const char *text =
		"{ \"groups\": [ { \"name\": \"web\" } ],\n"
		"  \"process_rules\": [\n"
		"    { \"group\": \"web\", \"path\": \"/usr/sbin/nginx\", \"name\": \"nginx\", \"user\": 0,"
		" \"action\": \"allow\" },\n"
		"    { \"group\": \"web\", \"name\": \"curl\", \"action\": \"deny\" },\n"
		"    { \"group\": \"web\", \"path\": \"/bin/busybox\", \"name\": \"sleep\", \"user\": 33,"
		" \"learned\": true } ],\n"
		"  \"file_rules\": [\n"
		"    { \"group\": \"web\", \"path\": \"/srv/www\", \"action\": \"watch\" },\n"
		"    { \"group\": \"web\", \"path\": \"/etc\", \"process\": \"/usr/sbin/user*\" } ] }\n";
	const char *want_processes =
		"[{\"group\":\"web\",\"path\":\"/usr/sbin/nginx\",\"name\":\"nginx\",\"user\":0},"
		"{\"group\":\"web\",\"name\":\"curl\",\"action\":\"deny\"},"
		"{\"group\":\"web\",\"path\":\"/bin/busybox\",\"name\":\"sleep\",\"user\":33,"
		"\"learned\":true}]";
	const char *want_files =
		"[{\"group\":\"web\",\"path\":\"/srv/www\"},"
		"{\"group\":\"web\",\"path\":\"/etc\",\"process\":\"/usr/sbin/user*\"}]";
	char err[512], path[64], *out;
	struct cw_policy p, back, none = {};
	json_t *json;

	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	json = cw_policy_to_json(&p);
	out = json_dumps(json_object_get(json, "process_rules"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ(want_processes, out);
	free(out);
	out = json_dumps(json_object_get(json, "file_rules"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ(want_files, out);
	free(out);

	ASSERT_EQ(0, cw_policy_from_json(json, "export", &back, err, sizeof(err))) TH_LOG("%s", err);
	json_decref(json);
	ASSERT_EQ(3u, back.nprocesses);
	EXPECT_EQ(CW_ACTION_DENY, back.processes[1].action);
	EXPECT_EQ(-1, back.processes[1].uid);
	EXPECT_TRUE(back.processes[2].learned);
	ASSERT_EQ(2u, back.nfiles);
	EXPECT_EQ(NULL, back.files[0].process);
	json = cw_policy_to_json(&back);
	out = json_dumps(json_object_get(json, "process_rules"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ(want_processes, out);
	free(out);
	json_decref(json);
	cw_policy_free(&back);
	cw_policy_free(&p);

	/* None: no sections, which a reader without them would refuse. */
	json = cw_policy_to_json(&none);
	EXPECT_EQ(NULL, json_object_get(json, "process_rules"));
	EXPECT_EQ(NULL, json_object_get(json, "file_rules"));
	json_decref(json);
}

TEST(process_rule_match)
{
	struct cw_policy_process glob = {
		.path = "/usr/local/bin/*", .name = "py*", .uid = -1, .action = CW_ACTION_ALLOW
	};
	struct cw_policy_process exact = {
		.path = "/usr/bin/[", .name = "[", .uid = 0, .learned = true
	};
	struct cw_policy_process named = { .name = "sh", .uid = 1000 };

	EXPECT_TRUE(cw_process_rule_match(&glob, "/usr/local/bin/python3", "python3", 0));
	/* No FNM_PATHNAME: "*" takes in the levels below too. */
	EXPECT_TRUE(cw_process_rule_match(&glob, "/usr/local/bin/venv/bin/python", "python", 5));
	EXPECT_FALSE(cw_process_rule_match(&glob, "/usr/bin/python3", "python3", 0));
	EXPECT_FALSE(cw_process_rule_match(&glob, "/usr/local/bin/python3", "node", 0));
	/* An unknown executable matches no path. */
	EXPECT_FALSE(cw_process_rule_match(&glob, NULL, "python3", 0));

	/* Learned: exactly what was seen, glob characters and all. */
	EXPECT_TRUE(cw_process_rule_match(&exact, "/usr/bin/[", "[", 0));
	EXPECT_FALSE(cw_process_rule_match(&exact, "/usr/bin/[", "[", 1));
	exact.path = "/bin/*";
	exact.name = "sh";
	EXPECT_FALSE(cw_process_rule_match(&exact, "/bin/sh", "sh", 0));
	EXPECT_TRUE(cw_process_rule_match(&exact, "/bin/*", "sh", 0));

	/* No path: any executable, even an unknown one; the user must be the one given. */
	EXPECT_TRUE(cw_process_rule_match(&named, NULL, "sh", 1000));
	EXPECT_TRUE(cw_process_rule_match(&named, "/bin/sh", "sh", 1000));
	EXPECT_FALSE(cw_process_rule_match(&named, "/bin/sh", "sh", 0));
	EXPECT_FALSE(cw_process_rule_match(&named, "/bin/sh", "bash", 1000));
}

TEST(process_verdict)
{
	const char *text =
		"{ \"groups\": [ { \"name\": \"web\" }, { \"name\": \"db\" } ],\n"
		"  \"process_rules\": [\n"
		"    { \"group\": \"web\", \"path\": \"/usr/bin/*\" },\n"
		"    { \"group\": \"web\", \"name\": \"curl\", \"action\": \"deny\" },\n"
		"    { \"group\": \"web\", \"path\": \"/usr/sbin/nginx\", \"user\": 0 },\n"
		"    { \"group\": \"db\", \"path\": \"/usr/bin/curl\" } ] }\n";
	char err[512], path[64];
	struct cw_policy p, none = {};

	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	EXPECT_EQ(CW_ACTION_ALLOW, cw_policy_process_verdict(&p, "web", "/usr/bin/env", "env", 33));
	/* Deny wins over the allow that matches it too. */
	EXPECT_EQ(CW_ACTION_DENY, cw_policy_process_verdict(&p, "web", "/usr/bin/curl", "curl", 33));
	EXPECT_EQ(CW_ACTION_DENY, cw_policy_process_verdict(&p, "web", "/tmp/x", "curl", 0));
	EXPECT_EQ(CW_ACTION_ALLOW, cw_policy_process_verdict(&p, "web", "/usr/sbin/nginx", "nginx", 0));
	EXPECT_EQ(CW_ACTION_NONE, cw_policy_process_verdict(&p, "web", "/usr/sbin/nginx", "nginx", 33));
	EXPECT_EQ(CW_ACTION_NONE, cw_policy_process_verdict(&p, "web", "/tmp/x", "x", 0));
	/* Each group its own rules. */
	EXPECT_EQ(CW_ACTION_ALLOW, cw_policy_process_verdict(&p, "db", "/usr/bin/curl", "curl", 0));
	EXPECT_EQ(CW_ACTION_NONE, cw_policy_process_verdict(&p, "db", "/usr/bin/env", "env", 0));
	EXPECT_EQ(CW_ACTION_NONE, cw_policy_process_verdict(&p, "api", "/usr/bin/env", "env", 0));
	EXPECT_EQ(CW_ACTION_NONE, cw_policy_process_verdict(&none, "web", "/usr/bin/env", "env", 0));
	cw_policy_free(&p);
}

TEST(path_within)
{
	EXPECT_TRUE(cw_path_within("/etc", "/etc"));
	EXPECT_TRUE(cw_path_within("/etc", "/etc/passwd"));
	EXPECT_TRUE(cw_path_within("/etc", "/etc/cron.d/job"));
	EXPECT_FALSE(cw_path_within("/etc", "/etcx"));
	EXPECT_FALSE(cw_path_within("/etc", "/etc.d/x"));
	EXPECT_FALSE(cw_path_within("/etc", "/et"));
	EXPECT_FALSE(cw_path_within("/etc/passwd", "/etc"));
	EXPECT_FALSE(cw_path_within("/etc", "etc/passwd"));
	EXPECT_TRUE(cw_path_within("/", "/"));
	EXPECT_TRUE(cw_path_within("/", "/usr/bin/env"));
	EXPECT_FALSE(cw_path_within("/", "usr"));
	EXPECT_FALSE(cw_path_within("", "/etc"));
	EXPECT_TRUE(cw_path_within("/root/.ssh", "/root/.ssh/authorized_keys"));
	EXPECT_FALSE(cw_path_within("/root/.ssh", "/root/.sshd"));
}

TEST(file_rule_allows)
{
	const char *text =
		"{ \"groups\": [ { \"name\": \"web\" }, { \"name\": \"db\" } ],\n"
		"  \"file_rules\": [\n"
		"    { \"group\": \"web\", \"path\": \"/etc\", \"process\": \"/usr/sbin/user*\" },\n"
		"    { \"group\": \"web\", \"path\": \"/var/lib/dpkg\", \"process\": \"dpkg*\" },\n"
		"    { \"group\": \"web\", \"path\": \"/srv\" },\n"
		"    { \"group\": \"db\", \"path\": \"/\", \"process\": \"postgres\" } ] }\n";
	char err[512], path[64];
	struct cw_policy p;

	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	/* A process glob with a "/" is on the executable. */
	EXPECT_TRUE(cw_file_rule_allows(&p, "web", "/etc/passwd", "/usr/sbin/useradd", "useradd"));
	EXPECT_TRUE(cw_file_rule_allows(&p, "web", "/etc", "/usr/sbin/usermod", "usermod"));
	EXPECT_FALSE(cw_file_rule_allows(&p, "web", "/etc/passwd", "/tmp/useradd", "useradd"));
	EXPECT_FALSE(cw_file_rule_allows(&p, "web", "/etc/passwd", NULL, "useradd"));
	EXPECT_FALSE(cw_file_rule_allows(&p, "web", "/etcx/passwd", "/usr/sbin/useradd", "useradd"));
	/* Without one, on the name. */
	EXPECT_TRUE(cw_file_rule_allows(&p, "web", "/var/lib/dpkg/status", "/tmp/x", "dpkg-deb"));
	EXPECT_FALSE(cw_file_rule_allows(&p, "web", "/var/lib/dpkg/status", "/usr/bin/dpkg", "apt"));
	/* A watch allows nothing. */
	EXPECT_FALSE(cw_file_rule_allows(&p, "web", "/srv/index.html", "/usr/sbin/nginx", "nginx"));
	/* Each group its own rules; "/" covers every path. */
	EXPECT_FALSE(cw_file_rule_allows(&p, "db", "/etc/passwd", "/usr/sbin/useradd", "useradd"));
	EXPECT_TRUE(cw_file_rule_allows(&p, "db", "/var/lib/pg/base", "/usr/bin/postgres", "postgres"));
	cw_policy_free(&p);
}

TEST(threats)
{
	const char *text =
		"{ \"threats\": {\n"
		"    \"syn_flood\": { \"action\": \"alert\", \"threshold\": 100 },\n"
		"    \"tls_old_version\": { \"action\": \"block\" },\n"
		"    \"dns_tunnel\": { \"threshold\": 4294967295 } } }\n";
	char err[512], path[64];
	struct cw_policy p;
	uint32_t threshold;
	uint8_t action;

	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	EXPECT_TRUE(p.threats[CW_THREAT_SYN_FLOOD].set);
	EXPECT_EQ(CW_THREAT_ACTION_ALERT, p.threats[CW_THREAT_SYN_FLOOD].action);
	EXPECT_EQ(100u, p.threats[CW_THREAT_SYN_FLOOD].threshold);
	/* What a setting leaves out is the default. */
	EXPECT_EQ(CW_THREAT_ACTION_BLOCK, p.threats[CW_THREAT_TLS_OLD_VERSION].action);
	EXPECT_EQ(0u, p.threats[CW_THREAT_TLS_OLD_VERSION].threshold);
	EXPECT_EQ(CW_THREAT_ACTION_BLOCK, p.threats[CW_THREAT_DNS_TUNNEL].action);
	EXPECT_EQ(4294967295u, p.threats[CW_THREAT_DNS_TUNNEL].threshold);
	EXPECT_FALSE(p.threats[CW_THREAT_ICMP_FLOOD].set);

	cw_policy_threat_want(&p, CW_THREAT_SYN_FLOOD, &action, &threshold);
	EXPECT_EQ(CW_THREAT_ACTION_ALERT, action);
	EXPECT_EQ(100u, threshold);
	/* One the file does not name: the table's defaults. */
	cw_policy_threat_want(&p, CW_THREAT_ICMP_FLOOD, &action, &threshold);
	EXPECT_EQ(cw_threat_defs[CW_THREAT_ICMP_FLOOD].action, action);
	EXPECT_EQ(cw_threat_defs[CW_THREAT_ICMP_FLOOD].threshold, threshold);
	cw_policy_threat_want(&p, CW_THREAT_TCP_XMAS, &action, &threshold);
	EXPECT_EQ(CW_THREAT_ACTION_BLOCK, action);
	EXPECT_EQ(0u, threshold);
	cw_policy_free(&p);
}

TEST(threat_errors)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "{ \"threats\": [] }", ":1:14: \"threats\" must be an object of threat names" },
		{ "{ \"threats\": { \"syn_flod\": { \"action\": \"alert\" } } }",
		  ":1:28: unknown threat \"syn_flod\" (cellwall threats lists them)" },
		{ "{ \"threats\": { \"syn_flood\": \"alert\" } }",
		  ":1:29: threat \"syn_flood\" must be an object with \"action\","
		  " \"threshold\" or both" },
		{ "{ \"threats\": { \"syn_flood\": {} } }",
		  ":1:29: threat \"syn_flood\" must be an object with \"action\","
		  " \"threshold\" or both" },
		{ "{ \"threats\": { \"syn_flood\": { \"acton\": \"alert\" } } }",
		  ":1:40: unknown key \"acton\"" },
		{ "{ \"threats\": { \"syn_flood\": { \"action\": \"drop\" } } }",
		  ":1:41: bad action \"drop\" (off, alert or block)" },
		{ "{ \"threats\": { \"syn_flood\": { \"action\": 1 } } }",
		  ":1:41: \"action\" must be a string" },
		{ "{ \"threats\": {\n  \"syn_flood\": { \"threshold\": 0 } } }",
		  ":2:31: \"threshold\" must be an integer from 1 to 4294967295" },
		{ "{ \"threats\": { \"syn_flood\": { \"threshold\": 4294967296 } } }",
		  ":1:44: \"threshold\" must be an integer from 1 to 4294967295" },
		{ "{ \"threats\": { \"syn_flood\": { \"threshold\": \"100\" } } }",
		  ":1:44: \"threshold\" must be an integer from 1 to 4294967295" },
		{ "{ \"threats\": { \"syn_flood\": { \"threshold\": 1.5 } } }",
		  ":1:44: \"threshold\" must be an integer from 1 to 4294967295" },
		{ "{ \"threats\": { \"port_scan\": { \"threshold\": 65 } } }",
		  ":1:44: \"threshold\" must be an integer from 1 to 64" },
		{ "{ \"threats\": { \"tcp_xmas\": { \"action\": \"alert\", \"threshold\": 3 } } }",
		  ":1:62: threat \"tcp_xmas\" has no threshold" },
		{ "{ \"threat\": {} }", ":1:13: unknown key \"threat\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(_metadata, cases[i].text, cases[i].msg);
}

static const struct cw_threat_info kernel_threats[] = {
	{ .id = CW_THREAT_SYN_FLOOD, .action = CW_THREAT_ACTION_BLOCK, .threshold = 2000 },
	{ .id = CW_THREAT_TCP_XMAS, .action = CW_THREAT_ACTION_OFF },
	{ .id = CW_THREAT_DNS_TUNNEL, .action = CW_THREAT_ACTION_BLOCK, .threshold = 120 },
	{ .id = CW_THREAT_TLS_OLD_VERSION, .action = CW_THREAT_ACTION_OFF },
	/* A newer module's: left alone. */
	{ .id = CW_THREAT_MAX + 1, .action = CW_THREAT_ACTION_ALERT, .threshold = 7 },
};

/* The kernel's @k after @changes. */
static void apply_changes(struct cw_threat_info *k, size_t nk,
			  const struct cw_threat_change *changes, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nk; j++) {
			if (k[j].id != changes[i].id)
				continue;
			k[j].action = changes[i].action;
			if (changes[i].threshold)
				k[j].threshold = changes[i].threshold;
		}
	}
}

/* What a load sets: what the file says, the defaults for the rest, once. */
TEST(threat_changes)
{
	struct cw_threat_info k[sizeof(kernel_threats) / sizeof(kernel_threats[0])];
	const char *text =
		"{ \"threats\": { \"syn_flood\": { \"threshold\": 100 },\n"
		"                \"tls_old_version\": { \"action\": \"alert\" } } }";
	struct cw_threat_change *c;
	char err[512], path[64];
	struct cw_policy p, none = {};
	size_t n;

	memcpy(k, kernel_threats, sizeof(k));
	ASSERT_EQ(0, parse_text(text, &p, err, sizeof(err), path, sizeof(path))) TH_LOG("%s", err);
	ASSERT_EQ(0, cw_policy_threat_changes(&p, k, 5, &c, &n, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(3u, n);
	EXPECT_EQ(CW_THREAT_SYN_FLOOD, c[0].id);
	EXPECT_EQ(CW_THREAT_ACTION_BLOCK, c[0].action);
	EXPECT_EQ(100u, c[0].threshold);
	EXPECT_EQ(2000u, c[0].old_threshold);
	/* Not in the file: back to its default. */
	EXPECT_EQ(CW_THREAT_TCP_XMAS, c[1].id);
	EXPECT_EQ(CW_THREAT_ACTION_BLOCK, c[1].action);
	EXPECT_EQ(CW_THREAT_ACTION_OFF, c[1].old_action);
	EXPECT_EQ(0u, c[1].threshold);
	EXPECT_EQ(CW_THREAT_TLS_OLD_VERSION, c[2].id);
	EXPECT_EQ(CW_THREAT_ACTION_ALERT, c[2].action);
	apply_changes(k, 5, c, n);
	free(c);

	/* Twice: nothing. */
	ASSERT_EQ(0, cw_policy_threat_changes(&p, k, 5, &c, &n, err, sizeof(err)));
	EXPECT_EQ(0u, n);
	free(c);

	/* The setting taken out of the file: its default again. */
	ASSERT_EQ(0, cw_policy_threat_changes(&none, k, 5, &c, &n, err, sizeof(err)));
	ASSERT_EQ(2u, n);
	EXPECT_EQ(CW_THREAT_SYN_FLOOD, c[0].id);
	EXPECT_EQ(2000u, c[0].threshold);
	EXPECT_EQ(CW_THREAT_TLS_OLD_VERSION, c[1].id);
	EXPECT_EQ(CW_THREAT_ACTION_OFF, c[1].action);
	free(c);

	/* A detection the module does not have cannot be set. */
	EXPECT_EQ(-ENOENT, cw_policy_threat_changes(&p, k, 1, &c, &n, err, sizeof(err)));
	EXPECT_STREQ("the module has no threat detection \"tls_old_version\"", err);
	cw_policy_free(&p);
}

/* Export writes what is off its defaults; loading that back asks for nothing. */
TEST(export_threats)
{
	struct cw_threat_info k[sizeof(kernel_threats) / sizeof(kernel_threats[0])];
	struct cw_threat_change *c;
	struct cw_policy p = {}, back;
	char err[512], *text;
	json_t *json;
	size_t n;

	memcpy(k, kernel_threats, sizeof(k));
	k[0].action = CW_THREAT_ACTION_ALERT;
	k[2].threshold = 200;
	cw_policy_threats_from_kernel(&p, k, 5);
	json = cw_policy_to_json(&p);
	text = json_dumps(json_object_get(json, "threats"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ("{\"syn_flood\":{\"action\":\"alert\"},\"tcp_xmas\":{\"action\":\"off\"},"
		     "\"dns_tunnel\":{\"threshold\":200}}", text);
	free(text);
	ASSERT_EQ(0, cw_policy_from_json(json, "export", &back, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, cw_policy_threat_changes(&back, k, 5, &c, &n, err, sizeof(err)));
	EXPECT_EQ(0u, n);
	free(c);
	cw_policy_free(&back);
	json_decref(json);

	/* All at their defaults: no "threats" at all. */
	memcpy(k, kernel_threats, sizeof(k));
	k[1].action = CW_THREAT_ACTION_BLOCK;
	memset(&p, 0, sizeof(p));
	cw_policy_threats_from_kernel(&p, k, 5);
	json = cw_policy_to_json(&p);
	EXPECT_EQ(NULL, json_object_get(json, "threats"));
	json_decref(json);
}

TEST_HARNESS_MAIN
