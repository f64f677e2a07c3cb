// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol identification with real servers and real clients: each flow
 * in `cellwall flows -j` names its application ("app"), and the key
 * attribute that the parser found ("app_attr": HTTP host, TLS SNI, DNS
 * name, database user) and a detail ("app_detail": request line, ALPN,
 * "db=NAME", SSH banner).
 *
 *   dpi-cli (10.99.0.31)  workload dpi-cli, group dpi-c   the clients
 *   dpi-srv (10.99.0.32)  workload dpi-srv, group dpi-s   tests/dpi/servers.sh
 *
 * Starting the servers costs a minute or more under TCG (postgres' initdb
 * alone 30-60 s), so they start once, in the first test's setup, and stay
 * up for the whole file: the harness runs each test in a child process,
 * so "already up" is a file, not a variable. Postgres starts in the
 * background while the other tests run; its test comes last and waits
 * for it. A destructor in the harness' own process tears everything down
 * and unloads the module at exit.
 */

#define _GNU_SOURCE
#include "container.h"
#include "kselftest_harness.h"

/* Seconds per test: the first one starts every server. */
#define DPI_TIMEOUT 400

#define CLI "dpi-cli"
#define SRV "dpi-srv"
#define X_CLI 31
#define X_SRV 32
#define SRV_ADDR "10.99.0.32"
#define SRV_ADDR6 "fd99::20"
#define SRV_DIR "/tmp/cw-dpi-srv"
/* Written once the servers are up (postgres: once it is); removed by
 * clean_up(). */
#define READY "/tmp/cw-dpi-ready"
#define PG_READY "/tmp/cw-dpi-pg-ready"
#define PG_LOG "/tmp/cw-dpi-pg.log"
#define PG_START_TIMEOUT 300

/* The keys the flows gain (helpers.h has the others). */
#ifndef CW_JK_APP
#define CW_JK_APP		"app"		/* "http", ...; "unknown" */
#define CW_JK_APP_ATTR		"app_attr"	/* host, SNI, DNS name, DB user */
#define CW_JK_APP_DETAIL	"app_detail"	/* "GET /", ALPN, "db=shop" */
#endif

/* curl, resolving the test names to the servers and trusting their cert. */
#define CURL "timeout 60 curl -sS -o /dev/null --cacert " SRV_DIR "/nginx/cert.pem " \
	"--resolve allowed.test:80:" SRV_ADDR " --resolve allowed.test:443:" SRV_ADDR " " \
	"--resolve blocked.test:443:" SRV_ADDR " --resolve allowed.test:8080:" SRV_ADDR " "

static void clean_up(void)
{
	cw_ct_destroy(CLI);
	cw_ct_destroy(SRV);
	cw_bridge_down();
	cw_sh("rm -rf " SRV_DIR " " READY " " PG_READY " " PG_LOG);
}

CW_TEAR_DOWN_AT_EXIT(clean_up)

/* tests/dpi/servers.sh: $CW_DPI_SERVERS, else in this binary's tree. */
static const char *servers_sh(char *buf, size_t size)
{
	if (getenv("CW_DPI_SERVERS"))
		return getenv("CW_DPI_SERVERS");
	return cw_tree_path("tests/dpi/servers.sh", buf, size);
}

FIXTURE(dpi)
{
};

FIXTURE_SETUP(dpi)
{
	char script[1200];
	struct timespec t0, t1;

	if (cw_module_loaded() && !access(READY, F_OK))
		return;
	/* What a test that timed out may have left half made. */
	clean_up();
	ASSERT_EQ(0, cw_module_unload());
	ASSERT_EQ(0, cw_module_load());
	/*
	 * Closed flows stay in the table while the file runs: on a busy
	 * guest the checks can come more than the default 10 s after a
	 * client closed its connection.
	 */
	ASSERT_EQ(0, cw_sysctl_set("/proc/sys/net/cellwall/timeout_tcp_close", 3600));
	ASSERT_EQ(0, cw_sysctl_set("/proc/sys/net/cellwall/timeout_tcp_fin", 3600));
	ASSERT_EQ(0, cw_sysctl_set("/proc/sys/net/cellwall/timeout_udp", 3600));
	ASSERT_EQ(0, cw_ct_create(CLI, X_CLI));
	ASSERT_EQ(0, cw_ct_create(SRV, X_SRV));
	/* Discover: everything passes, every flow is in the table. */
	ASSERT_EQ(0, cw_group_add("dpi-c", "discover"));
	ASSERT_EQ(0, cw_group_add("dpi-s", "discover"));
	ASSERT_EQ(0, cw_ct_register(CLI, "dpi-c"));
	ASSERT_EQ(0, cw_ct_register(SRV, "dpi-s"));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* In the container: its cgroup and netns, as a real one would. */
	ASSERT_LT(0, cw_ct_spawn(SRV, PG_LOG, "SRV_TIMES=1 bash %s " SRV_DIR " postgres && "
				 ": >" PG_READY, servers_sh(script, sizeof(script))));
	ASSERT_EQ(0, cw_ct_sh(SRV, "SRV_TIMES=1 SRV_ADDR4=" SRV_ADDR " SRV_ADDR6=" SRV_ADDR6
			      " bash %s " SRV_DIR " nginx sshd redis mariadb memcached dnsmasq "
			      "mosquitto >&2", script));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("servers started in %ld s", (long)(t1.tv_sec - t0.tv_sec));
	ASSERT_EQ(0, cw_write_file(READY, "1\n"));
}

FIXTURE_TEARDOWN(dpi)
{
}

/* @attr is @name, or @name:PORT (an HTTP host may carry the port). */
static bool attr_is(const char *attr, const char *name)
{
	size_t len = strlen(name);

	return !strncmp(attr, name, len) && (!attr[len] || attr[len] == ':');
}

struct want {
	const char *proto;	/* "tcp", "udp" */
	int dport;
	const char *app;
	const char *attr;	/* NULL: any */
	const char *detail;	/* a prefix; NULL: any */
};

static bool flow_matches(json_t *f, const struct want *w)
{
	return !strcmp(cw_jstr(f, CW_JK_APP), w->app) &&
	       (!w->attr || attr_is(cw_jstr(f, CW_JK_APP_ATTR), w->attr)) &&
	       (!w->detail || !strncmp(cw_jstr(f, CW_JK_APP_DETAIL), w->detail,
				       strlen(w->detail)));
}

/*
 * Whether @min flows from the client to @w->dport show @w; polls for up
 * to 5 s (a parser may decide on the last packets). On failure, logs
 * every flow to that port: what the kernel did find.
 */
static bool flows_show(struct __test_metadata *_metadata, const struct want *w, int min)
{
	json_t *flows = NULL, *f;
	size_t i;

	for (int tries = 0; tries < 10; tries++) {
		int seen = 0;

		json_decref(flows);
		flows = cw_flows();
		json_array_foreach(flows, i, f) {
			if (!strcmp(cw_jstr(f, CW_JK_PROTO), w->proto) &&
			    cw_jint(f, CW_JK_DPORT) == w->dport &&
			    cw_jnames(f, CW_JK_FROM_WORKLOAD, CLI, -1) && flow_matches(f, w))
				seen++;
		}
		if (seen >= min) {
			json_decref(flows);
			return true;
		}
		usleep(500 * 1000);
	}
	TH_LOG("not %d %s flows to port %d with app %s, attr %s, detail %s...; those to it:",
	       min, w->proto, w->dport, w->app, w->attr ? w->attr : "(any)",
	       w->detail ? w->detail : "(any)");
	json_array_foreach(flows, i, f) {
		if (cw_jint(f, CW_JK_DPORT) == w->dport) {
			char *text = json_dumps(f, JSON_COMPACT);

			TH_LOG("  %s", text ? text : "?");
			free(text);
		}
	}
	json_decref(flows);
	return false;
}

static bool flow_shows(struct __test_metadata *_metadata, const struct want *w)
{
	return flows_show(_metadata, w, 1);
}

TEST_F_TIMEOUT(dpi, http_host_and_request, DPI_TIMEOUT)
{
	struct want w = { "tcp", 80, "http", "allowed.test", "GET /index.html" };

	ASSERT_EQ(0, cw_ct_sh(CLI, CURL "http://allowed.test/index.html"));
	EXPECT_TRUE(flow_shows(_metadata, &w));
}

/* h2c with prior knowledge: the connection preface, then HPACK headers. */
TEST_F_TIMEOUT(dpi, http2_cleartext, DPI_TIMEOUT)
{
	struct want w = { "tcp", 8080, "http2", "allowed.test", NULL };

	ASSERT_EQ(0, cw_ct_sh(CLI, CURL "--http2-prior-knowledge http://allowed.test:8080/index.html"));
	EXPECT_TRUE(flow_shows(_metadata, &w));
}

/* One server, one certificate: only the SNI tells the two names apart. */
TEST_F_TIMEOUT(dpi, tls_sni_and_alpn, DPI_TIMEOUT)
{
	struct want allowed = { "tcp", 443, "tls", "allowed.test", "http/1.1" };
	struct want blocked = { "tcp", 443, "tls", "blocked.test", "http/1.1" };
	struct want h2 = { "tcp", 443, "tls", "allowed.test", "h2,http/1.1" };

	ASSERT_EQ(0, cw_ct_sh(CLI, CURL "--http1.1 https://allowed.test/index.html"));
	ASSERT_EQ(0, cw_ct_sh(CLI, CURL "--http1.1 https://blocked.test/index.html"));
	ASSERT_EQ(0, cw_ct_sh(CLI, CURL "--http2 https://allowed.test/index.html"));
	EXPECT_TRUE(flow_shows(_metadata, &allowed));
	EXPECT_TRUE(flow_shows(_metadata, &blocked));
	EXPECT_TRUE(flow_shows(_metadata, &h2));
}

TEST_F_TIMEOUT(dpi, ssh_banner, DPI_TIMEOUT)
{
	struct want w = { "tcp", 22, "ssh", NULL, "SSH-2.0-OpenSSH" };

	ASSERT_EQ(0, cw_ct_sh(CLI, "timeout 60 ssh -F /dev/null -i " SRV_DIR "/client_key "
			      "-o BatchMode=yes -o StrictHostKeyChecking=no "
			      "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
			      "root@" SRV_ADDR " true"));
	EXPECT_TRUE(flow_shows(_metadata, &w));
}

TEST_F_TIMEOUT(dpi, dns_udp_and_tcp, DPI_TIMEOUT)
{
	struct want udp = { "udp", 53, "dns", "allowed.test", NULL };
	struct want tcp = { "tcp", 53, "dns", "www.allowed.test", NULL };
	char out[256];

	/* The answers must be the servers' own: dnsmasq works. */
	ASSERT_EQ(0, cw_ct_capture(CLI, out, sizeof(out),
				   "dig +short +time=10 @" SRV_ADDR " allowed.test A"));
	EXPECT_STREQ(SRV_ADDR "\n", out);
	ASSERT_EQ(0, cw_ct_capture(CLI, out, sizeof(out),
				   "dig +short +tcp +time=10 @" SRV_ADDR " www.allowed.test A"));
	EXPECT_STREQ("allowed.test.\n" SRV_ADDR "\n", out);
	EXPECT_TRUE(flow_shows(_metadata, &udp));
	EXPECT_TRUE(flow_shows(_metadata, &tcp));
}

TEST_F_TIMEOUT(dpi, mysql_user_and_db, DPI_TIMEOUT)
{
	struct want w = { "tcp", 3306, "mysql", "shop", "db=shop" };

	/* --skip-ssl: the login (user, database) in clear text. */
	ASSERT_EQ(0, cw_ct_sh(CLI, "timeout 60 mariadb --skip-ssl -h " SRV_ADDR
			      " -u shop -D shop -e 'SELECT 1' >/dev/null"));
	EXPECT_TRUE(flow_shows(_metadata, &w));
}

TEST_F_TIMEOUT(dpi, redis, DPI_TIMEOUT)
{
	struct want w = { "tcp", 6379, "redis", NULL, NULL };

	ASSERT_EQ(0, cw_ct_sh(CLI, "timeout 60 redis-cli -h " SRV_ADDR
			      " SET cart:1 apple >/dev/null"));
	EXPECT_TRUE(flow_shows(_metadata, &w));
}

TEST_F_TIMEOUT(dpi, memcached_text, DPI_TIMEOUT)
{
	struct want w = { "tcp", 11211, "memcached", NULL, NULL };
	char out[256];

	ASSERT_EQ(0, cw_ct_capture(CLI, out, sizeof(out),
				   "printf 'set cart:1 0 0 5\\r\\napple\\r\\nquit\\r\\n' | "
				   "timeout 60 socat -t 10 - TCP:" SRV_ADDR ":11211"));
	EXPECT_STREQ("STORED\r\n", out);
	EXPECT_TRUE(flow_shows(_metadata, &w));
}

/* MQTT 3.1.1 and 5: the CONNECT differs (properties in 5). */
TEST_F_TIMEOUT(dpi, mqtt_311_and_5, DPI_TIMEOUT)
{
	struct want w = { "tcp", 1883, "mqtt", NULL, NULL };

	ASSERT_EQ(0, cw_ct_sh(CLI, "timeout 60 mosquitto_pub -V mqttv311 -h " SRV_ADDR
			      " -i cw-pub -t shop/orders -m apple"));
	ASSERT_EQ(0, cw_ct_sh(CLI, "timeout 60 mosquitto_pub -V mqttv5 -h " SRV_ADDR
			      " -i cw-pub5 -t shop/orders -m pear"));
	/* Both connections, whichever order the table lists them in. */
	EXPECT_TRUE(flows_show(_metadata, &w, 2));
}

/* libpq's default: an SSLRequest, refused, then the startup message. */
TEST_F_TIMEOUT(dpi, postgresql_user_and_db, DPI_TIMEOUT)
{
	struct want w = { "tcp", 5432, "postgresql", "shop", "db=shop" };
	int waited;

	/* Started in the background by the first setup. */
	for (waited = 0; waited < PG_START_TIMEOUT && access(PG_READY, F_OK); waited++)
		sleep(1);
	ASSERT_EQ(0, access(PG_READY, F_OK)) {
		cw_sh("cat " PG_LOG " >&2");
	}
	TH_LOG("postgres was ready %d s after this test began", waited);
	ASSERT_EQ(0, cw_ct_sh(CLI, "timeout 60 psql -h " SRV_ADDR
			      " -U shop -d shop -Atc 'SELECT 1' >/dev/null"));
	EXPECT_TRUE(flow_shows(_metadata, &w));
}

TEST_HARNESS_MAIN
