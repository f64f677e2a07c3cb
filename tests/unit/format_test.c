// SPDX-License-Identifier: GPL-2.0
/*
 * Flows and events: parsed from netlink messages as the kernel builds them,
 * and printed as `cellwall flows` and `cellwall events` print them, with
 * what protocol identification found; domains as `cellwall domain list`
 * prints them; THREAT events with their packet, and the threat detections
 * as the kernel dumps them. Also the RULES batches of a policy
 * load and how a refused rule is found.
 */

#include "cwformat.h"
#include "libcellwall.h"
#include "kselftest_harness.h"

#include <errno.h>
#include <netinet/in.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <sys/socket.h>

static const struct cw_group_info groups[] = {
	{ .id = 2, .name = "external" },
	{ .id = 16, .name = "web" },
	{ .id = 17, .name = "db" },
};
static const struct cw_workload_info workloads[] = {
	{ .id = 1, .name = "web1", .group = 16 },
	{ .id = 2, .name = "db1", .group = 17 },
};
static const struct cw_names names = { groups, 3, workloads, 2 };

static struct cw_flow_info v4_flow(void)
{
	struct cw_flow_info f = {
		.netns_cookie = 4097, .hook = CW_HOOK_EGRESS, .family = AF_INET,
		.proto = IPPROTO_TCP, .src = { 10, 0, 0, 1 }, .dst = { 10, 0, 0, 2 },
		.sport = 40000, .dport = 5432, .from_workload = 1, .to_workload = 2,
		.from_group = 16, .to_group = 17, .state = CW_FLOW_ESTABLISHED,
		.verdict = CW_ACTION_ALLOW, .mode = CW_MODE_PROTECT, .rule = 4,
		.packets_orig = 3, .bytes_orig = 180, .packets_reply = 2,
		.bytes_reply = 120, .age_ms = 1234,
	};

	return f;
}

TEST(flow_lines)
{
	struct cw_flow_info f = v4_flow();
	char line[CW_LINE_MAX];

	cw_flow_format(&f, &names, line, sizeof(line));
	EXPECT_STREQ("netns=4097 egress tcp 10.0.0.1:40000 -> 10.0.0.2:5432 from=web1(web) "
		     "to=db1(db) state=established verdict=allow mode=protect rule=4 app=- "
		     "packets=3/2 bytes=180/120 age=1.234s", line);

	memset(f.src, 0, sizeof(f.src));
	memset(f.dst, 0, sizeof(f.dst));
	f.family = AF_INET6;
	f.src[0] = 0xfd;
	f.src[15] = 1;
	f.dst[0] = 0x20;
	f.dst[1] = 0x01;
	f.dst[2] = 0x0d;
	f.dst[3] = 0xb8;
	f.dst[15] = 0x53;
	f.proto = IPPROTO_UDP;
	f.hook = CW_HOOK_INGRESS;
	f.to_workload = 0;
	f.to_group = 2;
	f.from_workload = 9;	/* nobody knows it yet */
	f.state = CW_FLOW_NEW;
	f.verdict = CW_ACTION_DENY;
	f.mode = CW_MODE_MONITOR;
	f.rule = 0;
	f.age_ms = 5;
	cw_flow_format(&f, &names, line, sizeof(line));
	EXPECT_STREQ("netns=4097 ingress udp [fd00::1]:40000 -> [2001:db8::53]:5432 "
		     "from=#9(web) to=-(external) state=new verdict=deny mode=monitor rule=0 "
		     "app=- packets=3/2 bytes=180/120 age=0.005s", line);
}

TEST(flow_json)
{
	struct cw_flow_info f = v4_flow();
	json_t *obj;
	char *text;

	f.to_workload = 0;
	f.to_group = 2;
	obj = cw_flow_json(&f, &names);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ("{\"netns_cookie\":4097,\"hook\":\"egress\",\"family\":\"ipv4\",\"proto\":\"tcp\","
		     "\"src\":\"10.0.0.1\",\"sport\":40000,\"dst\":\"10.0.0.2\",\"dport\":5432,"
		     "\"from_workload\":\"web1\",\"from_workload_id\":1,\"from_group\":\"web\","
		     "\"from_group_id\":16,\"to_workload\":null,\"to_workload_id\":0,"
		     "\"to_group\":\"external\",\"to_group_id\":2,\"state\":\"established\","
		     "\"verdict\":\"allow\",\"mode\":\"protect\",\"rule\":4,\"dpi\":\"identifying\","
		     "\"app\":\"unknown\",\"app_attr\":\"\",\"app_detail\":\"\",\"app_mismatch\":false,"
		     "\"packets_orig\":3,\"bytes_orig\":180,\"packets_reply\":2,\"bytes_reply\":120,"
		     "\"age_ms\":1234}",
		     text);
	free(text);
	json_decref(obj);
}

TEST(event_lines)
{
	struct cw_event ev = {
		.type = CW_EVENT_VIOLATION, .time_ns = 1795887451123456789ULL,
		.has_flow = true, .flow = v4_flow(), .pid = 321, .comm = "psql client",
		.suppressed = 7,
	};
	char line[CW_LINE_MAX], *text;
	json_t *obj;

	ev.flow.verdict = CW_ACTION_DENY;
	ev.flow.rule = 0;
	cw_event_format(&ev, &names, line, sizeof(line));
	EXPECT_STREQ("VIOLATION 2026-11-28T17:37:31.123Z tcp 10.0.0.1:40000 -> 10.0.0.2:5432 "
		     "from=web1(web) to=db1(db) rule=0 action=deny mode=protect app=- pid=321 "
		     "comm=psql?client suppressed=7", line);

	ev.type = CW_EVENT_LEARN;
	ev.pid = 0;
	ev.comm[0] = '\0';
	ev.suppressed = 0;
	ev.flow.verdict = CW_ACTION_ALLOW;
	ev.flow.mode = CW_MODE_DISCOVER;
	cw_event_format(&ev, &names, line, sizeof(line));
	EXPECT_STREQ("LEARN 2026-11-28T17:37:31.123Z tcp 10.0.0.1:40000 -> 10.0.0.2:5432 "
		     "from=web1(web) to=db1(db) rule=0 action=allow mode=discover app=- pid=- "
		     "comm=- suppressed=0", line);
	obj = cw_event_json(&ev, &names);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ("{\"type\":\"LEARN\",\"time\":\"2026-11-28T17:37:31.123Z\","
		     "\"time_ns\":1795887451123456789,\"hook\":\"egress\",\"family\":\"ipv4\","
		     "\"proto\":\"tcp\",\"src\":\"10.0.0.1\",\"sport\":40000,\"dst\":\"10.0.0.2\","
		     "\"dport\":5432,\"from_workload\":\"web1\",\"from_workload_id\":1,"
		     "\"from_group\":\"web\",\"from_group_id\":16,\"to_workload\":\"db1\","
		     "\"to_workload_id\":2,\"to_group\":\"db\",\"to_group_id\":17,\"rule\":0,"
		     "\"action\":\"allow\",\"mode\":\"discover\",\"dpi\":\"identifying\","
		     "\"app\":\"unknown\",\"app_attr\":\"\",\"app_detail\":\"\",\"app_mismatch\":false,"
		     "\"reason\":null,\"pid\":null,\"comm\":null,\"suppressed\":0}", text);
	free(text);
	json_decref(obj);

	memset(&ev, 0, sizeof(ev));
	ev.type = CW_EVENT_LOST;
	ev.time_ns = 1795887451000000000ULL;
	ev.lost = 42;
	cw_event_format(&ev, &names, line, sizeof(line));
	EXPECT_STREQ("LOST 2026-11-28T17:37:31.000Z lost=42", line);
	obj = cw_event_json(&ev, &names);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ("{\"type\":\"LOST\",\"time\":\"2026-11-28T17:37:31.000Z\","
		     "\"time_ns\":1795887451000000000,\"lost\":42}", text);
	free(text);
	json_decref(obj);
}

/* Each way the application shows, in a flow's line and in its JSON. */
TEST(app_lines)
{
	static const struct {
		uint8_t dpi, app;
		const char *attr, *detail;
		bool mismatch;
		const char *text, *json;
	} cases[] = {
		{ CW_DPI_STATE_DONE, CW_APP_HTTP, "allowed.test", "GET /index.html", false,
		  "app=http(allowed.test)",
		  "\"dpi\":\"done\",\"app\":\"http\",\"app_attr\":\"allowed.test\","
		  "\"app_detail\":\"GET /index.html\",\"app_mismatch\":false" },
		{ CW_DPI_STATE_INSPECTING, CW_APP_MYSQL, "root", "", false, "app=mysql(root)",
		  "\"dpi\":\"inspecting\",\"app\":\"mysql\",\"app_attr\":\"root\","
		  "\"app_detail\":\"\",\"app_mismatch\":false" },
		{ CW_DPI_STATE_DONE, CW_APP_REDIS, "", "", true,
		  "app=redis reason=\"application mismatch\"",
		  "\"dpi\":\"done\",\"app\":\"redis\",\"app_attr\":\"\","
		  "\"app_detail\":\"\",\"app_mismatch\":true" },
		{ CW_DPI_STATE_DONE, CW_APP_UNKNOWN, "", "", true,
		  "app=? reason=\"application mismatch\"",
		  "\"dpi\":\"done\",\"app\":\"unknown\",\"app_attr\":\"\","
		  "\"app_detail\":\"\",\"app_mismatch\":true" },
		{ CW_DPI_STATE_OFF, CW_APP_UNKNOWN, "", "", false, "app=-",
		  "\"dpi\":\"off\",\"app\":\"unknown\",\"app_attr\":\"\","
		  "\"app_detail\":\"\",\"app_mismatch\":false" },
		/* One field of the line, whatever the user name holds. */
		{ CW_DPI_STATE_DONE, CW_APP_POSTGRESQL, "a b\tc", "db=shop", false,
		  "app=postgresql(a?b?c)",
		  "\"dpi\":\"done\",\"app\":\"postgresql\",\"app_attr\":\"a b\\tc\","
		  "\"app_detail\":\"db=shop\",\"app_mismatch\":false" },
		/* A name from a packet that is not UTF-8 still makes JSON. */
		{ CW_DPI_STATE_DONE, CW_APP_TLS, "caf\xe9.test", "h2", false, "app=tls(caf?.test)",
		  "\"dpi\":\"done\",\"app\":\"tls\",\"app_attr\":\"caf?.test\","
		  "\"app_detail\":\"h2\",\"app_mismatch\":false" },
	};
	char line[CW_LINE_MAX], want[CW_LINE_MAX], *text;
	struct cw_flow_info f;
	json_t *obj;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = v4_flow();
		f.dpi = cases[i].dpi;
		f.app = cases[i].app;
		snprintf(f.app_attr, sizeof(f.app_attr), "%s", cases[i].attr);
		snprintf(f.app_detail, sizeof(f.app_detail), "%s", cases[i].detail);
		f.app_mismatch = cases[i].mismatch;
		cw_flow_format(&f, &names, line, sizeof(line));
		snprintf(want, sizeof(want), "netns=4097 egress tcp 10.0.0.1:40000 -> "
			 "10.0.0.2:5432 from=web1(web) to=db1(db) state=established "
			 "verdict=allow mode=protect rule=4 %s packets=3/2 bytes=180/120 "
			 "age=1.234s", cases[i].text);
		EXPECT_STREQ(want, line);

		obj = cw_flow_json(&f, &names);
		text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
		EXPECT_NE(NULL, strstr(text, cases[i].json)) TH_LOG("%s", text);
		free(text);
		json_decref(obj);
	}
}

TEST(mismatch_event)
{
	struct cw_event ev = {
		.type = CW_EVENT_VIOLATION, .time_ns = 1795887451123456789ULL,
		.has_flow = true, .flow = v4_flow(), .pid = 321, .comm = "redis-cli",
	};
	char line[CW_LINE_MAX], *text;
	json_t *obj;

	ev.flow.verdict = CW_ACTION_ALLOW;
	ev.flow.mode = CW_MODE_MONITOR;
	ev.flow.dport = 3306;
	ev.flow.dpi = CW_DPI_STATE_DONE;
	ev.flow.app = CW_APP_REDIS;
	ev.flow.app_mismatch = true;
	cw_event_format(&ev, &names, line, sizeof(line));
	EXPECT_STREQ("VIOLATION 2026-11-28T17:37:31.123Z tcp 10.0.0.1:40000 -> 10.0.0.2:3306 "
		     "from=web1(web) to=db1(db) rule=4 action=allow mode=monitor app=redis "
		     "reason=\"application mismatch\" pid=321 comm=redis-cli suppressed=0", line);
	obj = cw_event_json(&ev, &names);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_NE(NULL, strstr(text, "\"rule\":4,\"action\":\"allow\",\"mode\":\"monitor\","
			       "\"dpi\":\"done\",\"app\":\"redis\",\"app_attr\":\"\","
			       "\"app_detail\":\"\",\"app_mismatch\":true,"
			       "\"reason\":\"application mismatch\",\"pid\":321,"))
		TH_LOG("%s", text);
	free(text);
	json_decref(obj);

	/* A LEARN event says what discover mode saw. */
	ev.type = CW_EVENT_LEARN;
	ev.flow.app = CW_APP_MYSQL;
	ev.flow.app_mismatch = false;
	snprintf(ev.flow.app_attr, sizeof(ev.flow.app_attr), "root");
	cw_event_format(&ev, &names, line, sizeof(line));
	EXPECT_STREQ("LEARN 2026-11-28T17:37:31.123Z tcp 10.0.0.1:40000 -> 10.0.0.2:3306 "
		     "from=web1(web) to=db1(db) rule=4 action=allow mode=monitor app=mysql(root) "
		     "pid=321 comm=redis-cli suppressed=0", line);
}

/* The start of a TCP SYN's IPv4 header, as a THREAT event carries it. */
static const uint8_t syn_packet[] = {
	0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0xb1, 0xe6,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
};
#define SYN_HEX "4500003c1c4640004006b1e60a0000010a000002"

TEST(threat_event)
{
	struct cw_event ev = {
		.type = CW_EVENT_THREAT, .time_ns = 1795887451123456789ULL,
		.has_flow = true, .flow = v4_flow(), .suppressed = 2,
		.threat = CW_THREAT_HTTP_SQL_INJECTION, .severity = CW_SEVERITY_CRITICAL,
		.packet_len = sizeof(syn_packet),
	};
	char line[CW_LINE_MAX], *text;
	json_t *obj;

	memcpy(ev.packet, syn_packet, sizeof(syn_packet));
	ev.flow.verdict = CW_ACTION_DENY;
	ev.flow.dport = 80;
	ev.flow.rule = 3;
	ev.flow.dpi = CW_DPI_STATE_INSPECTING;
	ev.flow.app = CW_APP_HTTP;
	snprintf(ev.flow.app_attr, sizeof(ev.flow.app_attr), "shop.test");
	cw_event_format(&ev, &names, line, sizeof(line));
	EXPECT_STREQ("THREAT 2026-11-28T17:37:31.123Z threat=http_sql_injection "
		     "severity=critical action=deny mode=protect tcp 10.0.0.1:40000 -> "
		     "10.0.0.2:80 from=web1(web) to=db1(db) rule=3 app=http(shop.test) pid=- "
		     "comm=- suppressed=2 packet=" SYN_HEX, line);
	obj = cw_event_json(&ev, &names);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ("{\"type\":\"THREAT\",\"time\":\"2026-11-28T17:37:31.123Z\","
		     "\"time_ns\":1795887451123456789,\"threat\":\"http_sql_injection\","
		     "\"severity\":\"critical\",\"hook\":\"egress\",\"family\":\"ipv4\","
		     "\"proto\":\"tcp\",\"src\":\"10.0.0.1\",\"sport\":40000,\"dst\":\"10.0.0.2\","
		     "\"dport\":80,\"from_workload\":\"web1\",\"from_workload_id\":1,"
		     "\"from_group\":\"web\",\"from_group_id\":16,\"to_workload\":\"db1\","
		     "\"to_workload_id\":2,\"to_group\":\"db\",\"to_group_id\":17,\"rule\":3,"
		     "\"action\":\"deny\",\"mode\":\"protect\",\"dpi\":\"inspecting\","
		     "\"app\":\"http\",\"app_attr\":\"shop.test\",\"app_detail\":\"\","
		     "\"app_mismatch\":false,"
		     "\"reason\":\"SQL injection in an HTTP path, query or body\",\"pid\":null,"
		     "\"comm\":null,\"suppressed\":2,\"packet\":\"" SYN_HEX "\"}", text);
	free(text);
	json_decref(obj);

	/* A fragment after the first: no ports; a threat no packet carries; alert only. */
	ev.flow.sport = 0;
	ev.flow.dport = 0;
	ev.flow.from_workload = 0;
	ev.flow.to_workload = 0;
	ev.flow.verdict = CW_ACTION_ALLOW;
	ev.flow.mode = CW_MODE_MONITOR;
	ev.flow.rule = 0;
	ev.flow.dpi = CW_DPI_STATE_OFF;
	ev.flow.app = CW_APP_UNKNOWN;
	ev.flow.app_attr[0] = '\0';
	ev.packet_len = 0;
	ev.threat = CW_THREAT_IP_FRAG_OVERLAP;
	ev.severity = CW_SEVERITY_HIGH;
	cw_event_format(&ev, &names, line, sizeof(line));
	EXPECT_STREQ("THREAT 2026-11-28T17:37:31.123Z threat=ip_frag_overlap severity=high "
		     "action=allow mode=monitor tcp 10.0.0.1 -> 10.0.0.2 from=-(web) to=-(db) "
		     "rule=0 app=- pid=- comm=- suppressed=2 packet=-", line);
	obj = cw_event_json(&ev, &names);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_NE(NULL, strstr(text, "\"src\":\"10.0.0.1\",\"sport\":null,\"dst\":\"10.0.0.2\","
			       "\"dport\":null,\"from_workload\":null,\"from_workload_id\":0,"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"reason\":\"IP fragments that overlap (teardrop)\","))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"suppressed\":2,\"packet\":null}")) TH_LOG("%s", text);
	free(text);
	json_decref(obj);

	/* A newer module's threat and severity, and a whole packet, in the line. */
	ev.threat = CW_THREAT_MAX + 1;
	ev.severity = 9;
	ev.packet_len = CW_THREAT_PACKET_BYTES;
	memset(ev.packet, 0xff, sizeof(ev.packet));
	cw_event_format(&ev, &names, line, sizeof(line));
	EXPECT_EQ(0, strncmp(line, "THREAT 2026-11-28T17:37:31.123Z threat=#", 40))
		TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " severity=? action=allow ")) TH_LOG("%s", line);
	EXPECT_EQ(2 * CW_THREAT_PACKET_BYTES, (int)strlen(strstr(line, " packet=") + 8));
	obj = cw_event_json(&ev, &names);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_NE(NULL, strstr(text, "\"reason\":null,")) TH_LOG("%s", text);
	free(text);
	json_decref(obj);
}

TEST(hex)
{
	char buf[8];

	cw_hex_format((const uint8_t *)"\x00\x7f\xa5", 3, buf, sizeof(buf));
	EXPECT_STREQ("007fa5", buf);
	/* Cut at a whole byte. */
	cw_hex_format((const uint8_t *)"\x01\x02\x03\x04", 4, buf, sizeof(buf));
	EXPECT_STREQ("010203", buf);
	cw_hex_format(NULL, 0, buf, sizeof(buf));
	EXPECT_STREQ("", buf);
}

/* A detection as the kernel dumps it. */
TEST(threat_messages)
{
	struct cw_threat_info t;
	struct nl_msg *msg;
	struct nlattr *nest;

	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, NLM_F_MULTI, CW_CMD_THREAT_GET, CW_GENL_VERSION);
	nest = nla_nest_start(msg, CW_A_THREAT);
	nla_put_u8(msg, CW_THREAT_A_ID, CW_THREAT_SYN_FLOOD);
	nla_put_string(msg, CW_THREAT_A_NAME, "syn_flood");
	nla_put_u8(msg, CW_THREAT_A_SEVERITY, CW_SEVERITY_HIGH);
	nla_put_u8(msg, CW_THREAT_A_ACTION, CW_THREAT_ACTION_ALERT);
	nla_put_u32(msg, CW_THREAT_A_THRESHOLD, 100);
	nla_put_u64(msg, CW_THREAT_A_COUNT, 12345678901ULL);
	nla_nest_end(msg, nest);
	ASSERT_EQ(0, cw_threat_parse(nlmsg_hdr(msg), &t));
	EXPECT_EQ(CW_THREAT_SYN_FLOOD, t.id);
	EXPECT_STREQ("syn_flood", t.name);
	EXPECT_EQ(CW_SEVERITY_HIGH, t.severity);
	EXPECT_EQ(CW_THREAT_ACTION_ALERT, t.action);
	EXPECT_EQ(100u, t.threshold);
	EXPECT_EQ(12345678901ULL, t.count);
	nlmsg_free(msg);

	/* The action is required. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, NLM_F_MULTI, CW_CMD_THREAT_GET, CW_GENL_VERSION);
	nest = nla_nest_start(msg, CW_A_THREAT);
	nla_put_u8(msg, CW_THREAT_A_ID, CW_THREAT_SYN_FLOOD);
	nla_put_string(msg, CW_THREAT_A_NAME, "syn_flood");
	nla_nest_end(msg, nest);
	EXPECT_EQ(-EBADMSG, cw_threat_parse(nlmsg_hdr(msg), &t));
	nlmsg_free(msg);

	EXPECT_STREQ("off", cw_threat_action_name(CW_THREAT_ACTION_OFF));
	EXPECT_STREQ("block", cw_threat_action_name(CW_THREAT_ACTION_BLOCK));
	EXPECT_STREQ("?", cw_threat_action_name(CW_THREAT_ACTION_MAX + 1));
	EXPECT_EQ(CW_THREAT_ACTION_ALERT, cw_threat_action_parse("alert"));
	EXPECT_EQ(-1, cw_threat_action_parse("drop"));
}

/* What identification found: MySQL, user root, database shop, a mismatch. */
static void put_app(struct nl_msg *msg)
{
	nla_put_u8(msg, CW_FLOW_A_DPI, CW_DPI_STATE_INSPECTING);
	nla_put_u8(msg, CW_FLOW_A_APP, CW_APP_MYSQL);
	nla_put_string(msg, CW_FLOW_A_APP_ATTR, "root");
	nla_put_string(msg, CW_FLOW_A_APP_DETAIL, "db=shop");
	nla_put_flag(msg, CW_FLOW_A_APP_MISMATCH);
}

static void put_flow(struct nl_msg *msg, int attr, bool damaged, bool app)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	uint8_t src[4] = { 10, 0, 0, 1 }, dst[4] = { 10, 0, 0, 2 };

	nla_put_u64(msg, CW_FLOW_A_NETNS_COOKIE, 4097);
	nla_put_u8(msg, CW_FLOW_A_HOOK, CW_HOOK_INGRESS);
	nla_put_u8(msg, CW_FLOW_A_FAMILY, AF_INET);
	nla_put_u8(msg, CW_FLOW_A_PROTO, IPPROTO_TCP);
	nla_put(msg, CW_FLOW_A_SRC, damaged ? 3 : 4, src);
	nla_put(msg, CW_FLOW_A_DST, 4, dst);
	nla_put_u16(msg, CW_FLOW_A_SPORT, 40000);
	nla_put_u16(msg, CW_FLOW_A_DPORT, 80);
	nla_put_u32(msg, CW_FLOW_A_FROM_GROUP, 16);
	nla_put_u32(msg, CW_FLOW_A_TO_WORKLOAD, 2);
	nla_put_u8(msg, CW_FLOW_A_VERDICT, CW_ACTION_DENY);
	nla_put_u64(msg, CW_FLOW_A_BYTES_REPLY, 99);
	if (app)
		put_app(msg);
	nla_nest_end(msg, nest);
}

TEST(flow_and_event_messages)
{
	struct nl_msg *msg;
	struct cw_flow_info f;
	struct cw_event ev;
	struct nlattr *nest;

	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, NLM_F_MULTI, CW_CMD_FLOW_GET, CW_GENL_VERSION);
	put_flow(msg, CW_A_FLOW, false, false);
	ASSERT_EQ(0, cw_flow_parse(nlmsg_hdr(msg), &f));
	EXPECT_EQ(4097u, f.netns_cookie);
	EXPECT_EQ(CW_HOOK_INGRESS, f.hook);
	EXPECT_EQ(10, f.dst[0]);
	EXPECT_EQ(2, f.dst[3]);
	EXPECT_EQ(80, f.dport);
	EXPECT_EQ(16u, f.from_group);
	EXPECT_EQ(2u, f.to_workload);
	EXPECT_EQ(99u, f.bytes_reply);
	EXPECT_EQ(0u, f.packets_orig);
	/* A module without DPI: nothing was inspected. */
	EXPECT_EQ(CW_DPI_STATE_OFF, f.dpi);
	EXPECT_EQ(CW_APP_UNKNOWN, f.app);
	EXPECT_STREQ("", f.app_attr);
	EXPECT_STREQ("", f.app_detail);
	EXPECT_FALSE(f.app_mismatch);
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, NLM_F_MULTI, CW_CMD_FLOW_GET, CW_GENL_VERSION);
	put_flow(msg, CW_A_FLOW, false, true);
	ASSERT_EQ(0, cw_flow_parse(nlmsg_hdr(msg), &f));
	EXPECT_EQ(CW_DPI_STATE_INSPECTING, f.dpi);
	EXPECT_EQ(CW_APP_MYSQL, f.app);
	EXPECT_STREQ("root", f.app_attr);
	EXPECT_STREQ("db=shop", f.app_detail);
	EXPECT_TRUE(f.app_mismatch);
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, NLM_F_MULTI, CW_CMD_FLOW_GET, CW_GENL_VERSION);
	put_flow(msg, CW_A_FLOW, true, false);
	EXPECT_EQ(-EBADMSG, cw_flow_parse(nlmsg_hdr(msg), &f));
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, 0, CW_CMD_EVENT, CW_GENL_VERSION);
	nest = nla_nest_start(msg, CW_A_EVENT);
	nla_put_u8(msg, CW_EVENT_A_TYPE, CW_EVENT_THREAT);
	nla_put_u64(msg, CW_EVENT_A_TIME_NS, 1000000000);
	put_flow(msg, CW_EVENT_A_FLOW, false, true);
	nla_put_u32(msg, CW_EVENT_A_PID, 77);
	nla_put_string(msg, CW_EVENT_A_COMM, "curl");
	nla_put_u32(msg, CW_EVENT_A_SUPPRESSED, 3);
	nla_put_u8(msg, CW_EVENT_A_THREAT, CW_THREAT_MYSQL_SQL_INJECTION);
	nla_put_u8(msg, CW_EVENT_A_SEVERITY, CW_SEVERITY_CRITICAL);
	nla_put(msg, CW_EVENT_A_PACKET, 3, "\x45\x00\x01");
	nla_nest_end(msg, nest);
	ASSERT_EQ(0, cw_event_parse(nlmsg_hdr(msg), &ev));
	EXPECT_EQ(CW_EVENT_THREAT, ev.type);
	EXPECT_EQ(CW_THREAT_MYSQL_SQL_INJECTION, ev.threat);
	EXPECT_EQ(CW_SEVERITY_CRITICAL, ev.severity);
	EXPECT_EQ(3, ev.packet_len);
	EXPECT_EQ(0, memcmp(ev.packet, "\x45\x00\x01", 3));
	EXPECT_TRUE(ev.has_flow);
	EXPECT_EQ(40000, ev.flow.sport);
	EXPECT_EQ(CW_APP_MYSQL, ev.flow.app);
	EXPECT_STREQ("root", ev.flow.app_attr);
	EXPECT_TRUE(ev.flow.app_mismatch);
	EXPECT_EQ(77u, ev.pid);
	EXPECT_STREQ("curl", ev.comm);
	EXPECT_EQ(3u, ev.suppressed);
	nlmsg_free(msg);

	/* A packet longer than a THREAT event's (a newer module): its start. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, 0, CW_CMD_EVENT, CW_GENL_VERSION);
	nest = nla_nest_start(msg, CW_A_EVENT);
	nla_put_u8(msg, CW_EVENT_A_TYPE, CW_EVENT_THREAT);
	{
		uint8_t big[CW_THREAT_PACKET_BYTES + 20];

		memset(big, 0xab, sizeof(big));
		nla_put(msg, CW_EVENT_A_PACKET, sizeof(big), big);
	}
	nla_nest_end(msg, nest);
	ASSERT_EQ(0, cw_event_parse(nlmsg_hdr(msg), &ev));
	EXPECT_FALSE(ev.has_flow);
	EXPECT_EQ(CW_THREAT_PACKET_BYTES, ev.packet_len);
	EXPECT_EQ(0xab, ev.packet[CW_THREAT_PACKET_BYTES - 1]);
	nlmsg_free(msg);

	/* Another command on the group is not an event. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, 0, CW_CMD_STATUS, CW_GENL_VERSION);
	EXPECT_EQ(-ENOMSG, cw_event_parse(nlmsg_hdr(msg), &ev));
	nlmsg_free(msg);
}

static void expect_domain(struct __test_metadata *_metadata, const struct cw_domain_info *d,
			  const char *line, const char *json)
{
	char buf[CW_LINE_MAX], *text;
	json_t *obj;

	cw_domain_format(d, &names, buf, sizeof(buf));
	EXPECT_STREQ(line, buf);
	obj = cw_domain_json(d, &names);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	EXPECT_STREQ(json, text);
	free(text);
	json_decref(obj);
}

/* A domain as the kernel dumps it, and as `cellwall domain list [-j]` prints it. */
TEST(domains)
{
	struct cw_domain_info d;
	struct nl_msg *msg;
	struct nlattr *nest;

	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, NLM_F_MULTI, CW_CMD_DOMAIN_GET, CW_GENL_VERSION);
	nest = nla_nest_start(msg, CW_A_DOMAIN);
	nla_put_string(msg, CW_DOMAIN_A_NAME, "*.allowed.test");
	nla_put_u32(msg, CW_DOMAIN_A_GROUP, 17);
	nla_nest_end(msg, nest);
	ASSERT_EQ(0, cw_domain_parse(nlmsg_hdr(msg), &d));
	EXPECT_STREQ("*.allowed.test", d.name);
	EXPECT_EQ(17u, d.group);
	nlmsg_free(msg);
	expect_domain(_metadata, &d, "*.allowed.test                           db",
		      "{\"name\":\"*.allowed.test\",\"group\":\"db\",\"group_id\":17}");

	/* A group deleted since the names were read. */
	d.group = 30;
	expect_domain(_metadata, &d, "*.allowed.test                           #30",
		      "{\"name\":\"*.allowed.test\",\"group\":\"#30\",\"group_id\":30}");

	/* The group is required. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 42, 0, NLM_F_MULTI, CW_CMD_DOMAIN_GET, CW_GENL_VERSION);
	nest = nla_nest_start(msg, CW_A_DOMAIN);
	nla_put_string(msg, CW_DOMAIN_A_NAME, "allowed.test");
	nla_nest_end(msg, nest);
	EXPECT_EQ(-EBADMSG, cw_domain_parse(nlmsg_hdr(msg), &d));
	nlmsg_free(msg);
}

static bool same_rule(const struct cw_rule_entry *a, const struct cw_rule_entry *b)
{
	return a->id == b->id && a->from == b->from && a->to == b->to &&
	       a->proto == b->proto && a->port_min == b->port_min &&
	       a->port_max == b->port_max && a->action == b->action &&
	       a->learned == b->learned && a->apps == b->apps;
}

TEST(rule_messages)
{
	struct cw_rule_entry rules[1000], back;
	uint32_t offsets[1000];
	struct nlattr *attr, *rule;
	size_t used, done, i;
	int rem, n;

	for (i = 0; i < 1000; i++) {
		rules[i] = (struct cw_rule_entry){ .id = i + 1, .from = 16, .to = 17,
			.proto = IPPROTO_TCP, .port_min = i, .port_max = i,
			.action = CW_ACTION_ALLOW, .learned = i == 3,
			/* Most with applications: the largest nests. */
			.apps = i % 7 ? 1ULL << (i % CW_APP_MAX + 1) : 0 };
	}
	rules[5].proto = 0;	/* any: no ports sent */
	rules[5].port_min = 0;
	rules[5].port_max = 65535;

	for (done = 0; done < 1000; done += used) {
		struct nl_msg *msg = cw_rules_msg(42, rules + done, 1000 - done, 30 * 1024,
						  &used, offsets);
		struct nlmsghdr *nlh;

		ASSERT_NE(NULL, msg);
		nlh = nlmsg_hdr(msg);
		EXPECT_LE(nlh->nlmsg_len, 30u * 1024);
		ASSERT_GT(used, 0u);
		attr = nlmsg_find_attr(nlh, GENL_HDRLEN, CW_A_RULES);
		ASSERT_NE(NULL, attr);
		n = 0;
		nla_for_each_nested(rule, attr, rem) {
			struct nlmsghdr *fake;
			struct nl_msg *one;
			struct nlattr *copy;

			ASSERT_EQ((char *)rule - (char *)nlh, (long)offsets[n]);
			EXPECT_EQ((ssize_t)n, cw_rules_at(offsets, used, offsets[n]));
			/* An offset inside the nest finds the same rule. */
			EXPECT_EQ((ssize_t)n, cw_rules_at(offsets, used, offsets[n] + 8));

			/* Each nest reads back as the rule it came from. */
			one = nlmsg_alloc();
			genlmsg_put(one, 0, 0, 42, 0, 0, CW_CMD_POLICY_GET, CW_GENL_VERSION);
			copy = nla_nest_start(one, CW_A_RULE);
			nlmsg_append(one, nla_data(rule), nla_len(rule), 0);
			nla_nest_end(one, copy);
			fake = nlmsg_hdr(one);
			ASSERT_EQ(0, cw_rule_parse(fake, &back));
			EXPECT_TRUE(same_rule(&back, &rules[done + n]))
				TH_LOG("rule %zu differs", done + n);
			nlmsg_free(one);
			n++;
		}
		EXPECT_EQ((int)used, n);
		EXPECT_EQ(-1, cw_rules_at(offsets, used, offsets[0] - 4));
		nlmsg_free(msg);
	}
	EXPECT_EQ(1000u, done);
}

TEST_HARNESS_MAIN
