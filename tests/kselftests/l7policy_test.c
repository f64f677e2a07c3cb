// SPDX-License-Identifier: GPL-2.0
/*
 * Rules by application and by domain, with real servers and clients:
 * a port allowed for MySQL only lets MariaDB's client through and stops
 * HTTP; an address group of domains lets curl reach the allowed name and
 * stops the other, whether the name comes from the workload's own DNS
 * answers (dnsmasq) or from the connection itself (Host, SNI).
 */

#define _GNU_SOURCE
#include "container.h"
#include "kselftest_harness.h"

#define SERVERS "tests/dpi/servers.sh"
#define SCRATCH "/run/cw-l7"
#define POLICY_FILE SCRATCH "/policy.json"
#define TIMEOUT 300

/* Containers: the client, two servers and a DNS server. */
#define CLI 41
#define DB 42		/* MariaDB on 3306 */
#define WEB 43		/* HTTP on 3306 (python3 -m http.server) */
#define DNS 44		/* dnsmasq */
#define SITE 45		/* nginx, unregistered: external */
#define SITE2 46	/* SITE's second address */

static bool started_policy_load(const char *policy)
{
	return !cw_write_file(POLICY_FILE, policy) &&
	       !cw_sh("%s policy load %s >&2", cw_env("CW_CLI"), POLICY_FILE);
}

/*
 * The egress flow to @x's address and @port (from source port @sport, 0:
 * any), as `cellwall flows -j` shows it.
 */
static json_t *flow_to(int x, int port, int sport)
{
	json_t *flows = cw_flows(), *f, *found = NULL;
	char addr[64];
	size_t i;

	cw_ct_addr(4, x, addr, sizeof(addr));
	json_array_foreach(flows, i, f)
		if (cw_jint(f, CW_JK_DPORT) == port && !strcmp(cw_jstr(f, "dst"), addr) &&
		    (!sport || cw_jint(f, "sport") == sport) &&
		    !strcmp(cw_jstr(f, CW_JK_HOOK), "egress"))
			found = json_incref(f);
	json_decref(flows);
	return found;
}

static bool mismatch_event(json_t *event, void *arg)
{
	return !strcmp(cw_jstr(event, CW_JK_TYPE), "VIOLATION") &&
	       cw_jint(event, CW_JK_DPORT) == 3306 && !strcmp(cw_jstr(event, "app"), "http") &&
	       json_is_true(json_object_get(event, "app_mismatch"));
}

FIXTURE(l7)
{
	struct cw_events ev;
};

FIXTURE_SETUP(l7)
{
	self->ev.pid = -1;
	ASSERT_EQ(0, cw_module_load());
	/* Closed flows stay for the checks, however busy the guest. */
	ASSERT_EQ(0, cw_sysctl_set("/proc/sys/net/cellwall/timeout_tcp_close", 600));
	ASSERT_EQ(0, cw_sysctl_set("/proc/sys/net/cellwall/timeout_udp", 600));
	ASSERT_EQ(0, cw_sh("mkdir -p " SCRATCH));
	ASSERT_EQ(0, cw_ct_create("l7cli", CLI));
}

FIXTURE_TEARDOWN(l7)
{
	static const char *const cts[] = { "l7cli", "l7db", "l7web", "l7dns", "l7site" };

	cw_events_stop(&self->ev);
	for (size_t i = 0; i < ARRAY_SIZE(cts); i++)
		cw_ct_destroy(cts[i]);
	cw_sh("rm -rf " SCRATCH " /etc/netns/l7cli");
	cw_module_unload();
}

/* "apps": ["mysql"] on 3306: MariaDB's client passes, curl does not. */
TEST_F_TIMEOUT(l7, mysql_only_port, TIMEOUT)
{
	json_t *flow, *event;
	char addr[64];

	ASSERT_EQ(0, cw_ct_create("l7db", DB));
	ASSERT_EQ(0, cw_ct_create("l7web", WEB));
	ASSERT_TRUE(started_policy_load(
		"{ \"groups\": [{ \"name\": \"clients\", \"mode\": \"protect\" },\n"
		"              { \"name\": \"dbs\", \"mode\": \"protect\" }],\n"
		"  \"rules\": [{ \"from\": \"clients\", \"to\": \"dbs\", \"ports\": [\"tcp/3306\"],\n"
		"               \"apps\": [\"mysql\"], \"action\": \"allow\" }] }\n"));
	ASSERT_EQ(0, cw_ct_register("l7cli", "clients"));
	ASSERT_EQ(0, cw_ct_register("l7db", "dbs"));
	ASSERT_EQ(0, cw_ct_register("l7web", "dbs"));
	ASSERT_EQ(0, cw_ct_sh("l7db", SERVERS " " SCRATCH "/db mariadb >&2"));
	ASSERT_LT(0, cw_ct_spawn("l7web", NULL, "cd " SCRATCH " && exec python3 -m http.server 3306"));
	ASSERT_TRUE(cw_ct_listening("l7web", "tcp", 3306));
	ASSERT_TRUE(cw_events_start(&self->ev, "l7"));

	/* MySQL: allowed, and identified with its user and database. */
	EXPECT_EQ(0, cw_ct_sh("l7cli", "mariadb --skip-ssl -h %s -u shop -D shop -e 'SELECT 1' >&2",
			      cw_ct_addr(4, DB, addr, sizeof(addr))));
	flow = flow_to(DB, 3306, 0);
	ASSERT_NE(NULL, flow);
	EXPECT_STREQ("mysql", cw_jstr(flow, "app"));
	EXPECT_STREQ("shop", cw_jstr(flow, "app_attr"));
	EXPECT_STREQ("allow", cw_jstr(flow, CW_JK_VERDICT));
	json_decref(flow);

	/* HTTP to the same port of the same group: a violation, stopped. */
	EXPECT_NE(0, cw_ct_sh("l7cli", "curl -sS -m 10 -o /dev/null http://%s:3306/ >&2",
			      cw_ct_addr(4, WEB, addr, sizeof(addr))));
	flow = flow_to(WEB, 3306, 0);
	ASSERT_NE(NULL, flow);
	EXPECT_STREQ("http", cw_jstr(flow, "app"));
	EXPECT_STREQ("deny", cw_jstr(flow, CW_JK_VERDICT));
	EXPECT_TRUE(json_is_true(json_object_get(flow, "app_mismatch")));
	json_decref(flow);
	event = cw_events_wait(&self->ev, 10000, mismatch_event, NULL);
	EXPECT_NE(NULL, event);
	json_decref(event);

	/* Monitor: the same request passes, and is still reported. */
	ASSERT_EQ(0, cw_group_mode("clients", "monitor"));
	ASSERT_EQ(0, cw_group_mode("dbs", "monitor"));
	EXPECT_EQ(0, cw_ct_sh("l7cli", "curl -sS -m 10 -o /dev/null http://%s:3306/ >&2",
			      cw_ct_addr(4, WEB, addr, sizeof(addr))));
}

static bool learn_mysql_event(json_t *event, void *arg)
{
	return !strcmp(cw_jstr(event, CW_JK_TYPE), "LEARN") &&
	       cw_jint(event, CW_JK_DPORT) == 3306 && !strcmp(cw_jstr(event, "app"), "mysql");
}

/* Discover mode learns the application with the port, and exports it. */
TEST_F_TIMEOUT(l7, learned_with_app, TIMEOUT)
{
	char addr[64];
	json_t *event;

	ASSERT_EQ(0, cw_ct_create("l7db", DB));
	ASSERT_TRUE(started_policy_load(
		"{ \"groups\": [{ \"name\": \"clients\", \"mode\": \"discover\" },\n"
		"              { \"name\": \"dbs\", \"mode\": \"discover\" }] }\n"));
	ASSERT_EQ(0, cw_ct_register("l7cli", "clients"));
	ASSERT_EQ(0, cw_ct_register("l7db", "dbs"));
	ASSERT_EQ(0, cw_ct_sh("l7db", SERVERS " " SCRATCH "/db mariadb >&2"));
	ASSERT_TRUE(cw_events_start(&self->ev, "l7learn"));

	EXPECT_EQ(0, cw_ct_sh("l7cli", "mariadb --skip-ssl -h %s -u shop -D shop -e 'SELECT 1' >&2",
			      cw_ct_addr(4, DB, addr, sizeof(addr))));
	event = cw_events_wait(&self->ev, 10000, learn_mysql_event, NULL);
	EXPECT_NE(NULL, event);
	json_decref(event);
	EXPECT_EQ(0, cw_sh("%s policy export -o " SCRATCH "/export.json && python3 -c 'import json; "
			   "r = json.load(open(\"" SCRATCH "/export.json\"))[\"rules\"]; "
			   "exit(not any(x.get(\"apps\") == [\"mysql\"] and \"tcp/3306\" in x[\"ports\"] "
			   "and x[\"from\"] == \"clients\" and x[\"to\"] == \"dbs\" for x in r))'",
			   cw_env("CW_CLI")));
}

/*
 * Segments that arrive out of order before the verdict are held back (in
 * protect, while the verdict waits for the application) and sent again by
 * TCP: netem makes every other packet overtake the one before it, so the
 * request's second segment arrives first. (Written with two writes: one
 * write would leave as one GSO packet, which netem does not split.)
 */
TEST_F_TIMEOUT(l7, out_of_order_held_back, TIMEOUT)
{
	json_t *flow, *status;
	char addr[64];

	ASSERT_EQ(0, cw_ct_create("l7web", WEB));
	ASSERT_TRUE(started_policy_load(
		"{ \"groups\": [{ \"name\": \"clients\", \"mode\": \"monitor\" },\n"
		"              { \"name\": \"webs\", \"mode\": \"protect\" }],\n"
		"  \"rules\": [{ \"from\": \"clients\", \"to\": \"webs\", \"ports\": [\"tcp/8000\"],\n"
		"               \"apps\": [\"http\"], \"action\": \"allow\" }] }\n"));
	ASSERT_EQ(0, cw_ct_register("l7cli", "clients"));
	ASSERT_EQ(0, cw_ct_register("l7web", "webs"));
	ASSERT_LT(0, cw_ct_spawn("l7web", NULL, "cd " SCRATCH " && exec python3 -m http.server 8000"));
	ASSERT_TRUE(cw_ct_listening("l7web", "tcp", 8000));
	/* The debug kernel (tests/debug/kernel.config) has no packet schedulers. */
	if (cw_sh("modprobe -q sch_prio && modprobe -q sch_netem && modprobe -q cls_u32"))
		SKIP(return, "this kernel has no prio, netem or u32 to reorder packets with");
	/*
	 * Only this connection's packets: netem counts every packet it sees.
	 * The delayed ones wait 400 ms: the second write must leave while the
	 * first still waits, and a busy guest once took over 100 ms between
	 * the two.
	 */
	ASSERT_EQ(0, cw_sh("set -e; t='ip netns exec l7cli tc'; "
			   "$t qdisc add dev eth0 root handle 1: prio; "
			   "$t qdisc add dev eth0 parent 1:3 netem delay 400ms reorder 100%% gap 2; "
			   "$t filter add dev eth0 parent 1: protocol ip u32 "
			   "match ip dport 8000 0xffff flowid 1:3"));

	/* The request in two segments (two writes, no Nagle), then its answer. */
	ASSERT_EQ(0, cw_write_file(SCRATCH "/client.py",
		"import socket, sys\n"
		"s = socket.create_connection((sys.argv[1], 8000), timeout=30)\n"
		"s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)\n"
		"s.send(b'GET / HTTP/1.1\\r\\nHost: shop.test\\r\\n')\n"
		"s.send(b'X-Pad: ' + b'x' * 1000 + b'\\r\\n\\r\\n')\n"
		"answer = s.recv(64)\n"
		"sys.exit(not answer.startswith(b'HTTP/1.0 200'))\n"));
	EXPECT_EQ(0, cw_ct_sh("l7cli", "python3 " SCRATCH "/client.py %s",
			      cw_ct_addr(4, WEB, addr, sizeof(addr))));
	flow = flow_to(WEB, 8000, 0);
	ASSERT_NE(NULL, flow);
	EXPECT_STREQ("http", cw_jstr(flow, "app"));
	EXPECT_STREQ("shop.test", cw_jstr(flow, "app_attr"));
	EXPECT_STREQ("allow", cw_jstr(flow, CW_JK_VERDICT));
	json_decref(flow);
	/* Held back at the server's perimeter: the client sent it again. */
	status = cw_status("l7web");
	ASSERT_NE(NULL, status);
	EXPECT_LT(0, cw_status_flows(status, "held"));
	json_decref(status);
}

/*
 * The site answers on two addresses; the DNS server gives one to
 * allowed.test, the other to blocked.test. Only allowed.test is in the
 * address group the client may reach.
 */
static void start_site(struct __test_metadata *_metadata, bool with_dns)
{
	char addr[64], addr2[64], dns[64];

	ASSERT_EQ(0, cw_ct_create("l7site", SITE));
	ASSERT_EQ(0, cw_sh("ip -n l7site addr add %s/24 dev eth0",
			   cw_ct_addr(4, SITE2, addr2, sizeof(addr2))));
	ASSERT_EQ(0, cw_ct_sh("l7site", SERVERS " " SCRATCH "/site nginx >&2"));
	if (!with_dns)
		return;
	ASSERT_EQ(0, cw_ct_create("l7dns", DNS));
	ASSERT_LT(0, cw_ct_spawn("l7dns", NULL,
				 "exec dnsmasq -k --no-resolv --no-hosts --port 53 --local-ttl=5 "
				 "--address=/allowed.test/%s --address=/blocked.test/%s",
				 cw_ct_addr(4, SITE, addr, sizeof(addr)), addr2));
	ASSERT_TRUE(cw_ct_listening("l7dns", "udp", 53));
	/* ip netns exec mounts it over /etc/resolv.conf for the client. */
	ASSERT_EQ(0, cw_sh("mkdir -p /etc/netns/l7cli && echo 'nameserver %s' "
			   ">/etc/netns/l7cli/resolv.conf",
			   cw_ct_addr(4, DNS, dns, sizeof(dns))));
}

static const char domain_policy[] =
	"{ \"groups\": [{ \"name\": \"clients\", \"mode\": \"protect\" },\n"
	"              { \"name\": \"resolvers\", \"mode\": \"protect\" }],\n"
	"  \"address_groups\": [{ \"name\": \"partners\",\n"
	"                        \"domains\": [\"allowed.test\", \"*.allowed.test\"] }],\n"
	"  \"rules\": [\n"
	"    { \"from\": \"clients\", \"to\": \"resolvers\", \"ports\": [\"udp/53\"], \"action\": \"allow\" },\n"
	"    { \"from\": \"clients\", \"to\": \"partners\",\n"
	"      \"ports\": [\"tcp/80\", \"tcp/443\", \"udp/9999\"],\n"
	"      \"action\": \"allow\" }] }\n";

/* Names resolved by the workload's own DNS server. */
TEST_F_TIMEOUT(l7, domain_by_dns_answer, TIMEOUT)
{
	char site[64];
	json_t *flow;

	start_site(_metadata, true);
	ASSERT_TRUE(started_policy_load(domain_policy));
	ASSERT_EQ(0, cw_ct_register("l7cli", "clients"));
	ASSERT_EQ(0, cw_ct_register("l7dns", "resolvers"));
	cw_ct_addr(4, SITE, site, sizeof(site));

	EXPECT_EQ(0, cw_ct_sh("l7cli", "curl -sS -m 10 -o /dev/null http://allowed.test/ >&2"));
	flow = flow_to(SITE, 80, 0);
	ASSERT_NE(NULL, flow);
	EXPECT_STREQ("partners", cw_jstr(flow, CW_JK_TO_GROUP));
	EXPECT_STREQ("allow", cw_jstr(flow, CW_JK_VERDICT));
	json_decref(flow);

	EXPECT_NE(0, cw_ct_sh("l7cli", "curl -sS -m 10 -o /dev/null http://blocked.test/ >&2"));
	flow = flow_to(SITE2, 80, 0);
	ASSERT_NE(NULL, flow);
	EXPECT_STREQ("deny", cw_jstr(flow, CW_JK_VERDICT));
	json_decref(flow);

	/* An answer counts for its TTL (5 s), then the address is external again. */
	EXPECT_EQ(0, cw_ct_sh("l7cli", "dig +short allowed.test >/dev/null && "
			      "echo x | socat -u - UDP:%s:9999,sourceport=40001", site));
	flow = flow_to(SITE, 9999, 40001);
	ASSERT_NE(NULL, flow);
	EXPECT_STREQ("partners", cw_jstr(flow, CW_JK_TO_GROUP));
	json_decref(flow);
	sleep(6);
	cw_ct_sh("l7cli", "echo y | socat -u - UDP:%s:9999,sourceport=40002", site);
	flow = flow_to(SITE, 9999, 40002);
	ASSERT_NE(NULL, flow);
	EXPECT_STREQ("external", cw_jstr(flow, CW_JK_TO_GROUP));
	EXPECT_STREQ("deny", cw_jstr(flow, CW_JK_VERDICT));
	json_decref(flow);
}

/* No DNS: the name the connection gives decides, whatever the address. */
TEST_F_TIMEOUT(l7, domain_by_host_and_sni, TIMEOUT)
{
	char site[64], site2[64];
	json_t *flow;

	start_site(_metadata, false);
	ASSERT_TRUE(started_policy_load(domain_policy));
	ASSERT_EQ(0, cw_ct_register("l7cli", "clients"));
	cw_ct_addr(4, SITE, site, sizeof(site));
	cw_ct_addr(4, SITE2, site2, sizeof(site2));

	EXPECT_EQ(0, cw_ct_sh("l7cli", "curl -sS -m 10 -o /dev/null --resolve allowed.test:80:%s "
			      "http://allowed.test/ >&2", site2));
	EXPECT_EQ(0, cw_ct_sh("l7cli", "curl -sS -m 10 -o /dev/null -k --resolve "
			      "www.allowed.test:443:%s https://www.allowed.test/ >&2", site2));
	flow = flow_to(SITE2, 443, 0);
	ASSERT_NE(NULL, flow);
	EXPECT_STREQ("tls", cw_jstr(flow, "app"));
	EXPECT_STREQ("www.allowed.test", cw_jstr(flow, "app_attr"));
	EXPECT_STREQ("partners", cw_jstr(flow, CW_JK_TO_GROUP));
	json_decref(flow);

	EXPECT_NE(0, cw_ct_sh("l7cli", "curl -sS -m 10 -o /dev/null --resolve blocked.test:80:%s "
			      "http://blocked.test/ >&2", site));
	EXPECT_NE(0, cw_ct_sh("l7cli", "curl -sS -m 10 -o /dev/null -k --resolve "
			      "blocked.test:443:%s https://blocked.test/ >&2", site));
	flow = flow_to(SITE, 443, 0);
	ASSERT_NE(NULL, flow);
	EXPECT_STREQ("blocked.test", cw_jstr(flow, "app_attr"));
	EXPECT_STREQ("deny", cw_jstr(flow, CW_JK_VERDICT));
	json_decref(flow);
}

TEST_HARNESS_MAIN
