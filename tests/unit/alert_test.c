// SPDX-License-Identifier: GPL-2.0
/*
 * Alerts: their key=value and JSON lines, the RFC 5424 forward over UDP
 * and TCP (to sockets of the test), the JSON-lines file and its rotation,
 * and the errors of cwd_alerts_open. Nothing goes to the host's syslog.
 */

#include "cellwalld.h"
#include "kselftest_harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#define TEXT_MAX 8192
#define T_NS 1795887451123456789ULL	/* 2026-11-28T17:37:31.123456789Z */

static const char *host(void)
{
	static char name[HOST_NAME_MAX + 1];

	gethostname(name, sizeof(name) - 1);
	return name;
}

/* @fmt with "%s" where the host name goes. */
static const char *with_host(const char *fmt)
{
	static char line[TEXT_MAX];

	snprintf(line, sizeof(line), fmt, host());
	return line;
}

static struct cwd_alert violation_v4(void)
{
	struct cwd_alert a = {
		.type = "violation", .severity = "high", .action = "dropped",
		.time_ns = T_NS,
		.from = { 1, "web1", "4f1c9e0b2a7d", "web" },
		.to = { 2, "db1", "9b8e7d6c5f4a", "db" },
		.has_flow = true, .family = AF_INET, .proto = IPPROTO_TCP,
		.src = { 10, 0, 0, 1 }, .dst = { 10, 0, 0, 2 },
		.sport = 40000, .dport = 5432, .rule = 4, .pid = 321, .comm = "psql",
		.message = "no rule allows web -> db",
	};

	return a;
}

/* v6, one end without a name or a container, the other only a group. */
static struct cwd_alert threat_v6(void)
{
	struct cwd_alert a = {
		.type = "threat", .severity = "critical", .action = "allowed",
		.time_ns = T_NS,
		.from = { .workload = 9, .group = "web" },
		.to = { .group = "external" },
		.has_flow = true, .family = AF_INET6, .proto = IPPROTO_UDP,
		.src = { 0xfd, [15] = 1 }, .dst = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53 },
		.sport = 53000, .dport = 53, .app = "dns", .threat = "dns-tunnel",
		.pid = 77, .comm = "curl", .message = "long random labels",
	};

	return a;
}

static struct cwd_alert lost(void)
{
	struct cwd_alert a = {
		.type = "lost", .severity = "medium", .time_ns = 1795887451000000000ULL,
		.lost = 42, .message = "events lost",
	};

	return a;
}

static const char *render(const struct cwd_alert *a, enum cwd_alert_format format)
{
	static char line[TEXT_MAX];

	if (cwd_alert_format(a, format, line, sizeof(line)) < 0)
		return "(failed)";
	return line;
}

static void quiet_config(struct cwd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->facility = LOG_LOCAL0;
	cfg->format = CWD_FORMAT_KV;
	cwd_log_open(true);	/* the daemon's warnings to stderr */
}

TEST(kv_lines)
{
	struct cwd_alert a = violation_v4();

	EXPECT_STREQ(with_host("time=2026-11-28T17:37:31.123Z type=violation severity=high "
			       "action=dropped host=%s from_workload=web1 from_workload_id=1 "
			       "from_container=4f1c9e0b2a7d from_group=web to_workload=db1 "
			       "to_workload_id=2 to_container=9b8e7d6c5f4a to_group=db proto=tcp "
			       "src=10.0.0.1 sport=40000 dst=10.0.0.2 dport=5432 rule=4 pid=321 "
			       "comm=psql msg=\"no rule allows web -> db\""),
		     render(&a, CWD_FORMAT_KV));

	a = threat_v6();
	EXPECT_STREQ(with_host("time=2026-11-28T17:37:31.123Z type=threat severity=critical "
			       "action=allowed host=%s from_workload_id=9 from_group=web "
			       "to_group=external proto=udp src=fd00::1 sport=53000 "
			       "dst=2001:db8::53 dport=53 app=dns threat=dns-tunnel pid=77 "
			       "comm=curl msg=\"long random labels\""),
		     render(&a, CWD_FORMAT_KV));

	/* ICMP: the ports hold the echo id, and are left out. */
	a.proto = IPPROTO_ICMPV6;
	a.message = NULL;
	a.app = "";
	EXPECT_STREQ(with_host("time=2026-11-28T17:37:31.123Z type=threat severity=critical "
			       "action=allowed host=%s from_workload_id=9 from_group=web "
			       "to_group=external proto=icmpv6 src=fd00::1 dst=2001:db8::53 "
			       "threat=dns-tunnel pid=77 comm=curl"),
		     render(&a, CWD_FORMAT_KV));
}

TEST(json_lines)
{
	struct cwd_alert a = violation_v4();

	EXPECT_STREQ(with_host("{\"time\":\"2026-11-28T17:37:31.123Z\",\"type\":\"violation\","
			       "\"severity\":\"high\",\"action\":\"dropped\",\"host\":\"%s\","
			       "\"from_workload\":\"web1\",\"from_workload_id\":1,"
			       "\"from_container\":\"4f1c9e0b2a7d\",\"from_group\":\"web\","
			       "\"to_workload\":\"db1\",\"to_workload_id\":2,"
			       "\"to_container\":\"9b8e7d6c5f4a\",\"to_group\":\"db\","
			       "\"proto\":\"tcp\",\"src\":\"10.0.0.1\",\"sport\":40000,"
			       "\"dst\":\"10.0.0.2\",\"dport\":5432,\"rule\":4,\"pid\":321,"
			       "\"comm\":\"psql\",\"msg\":\"no rule allows web -> db\"}"),
		     render(&a, CWD_FORMAT_JSON));

	a = threat_v6();
	EXPECT_STREQ(with_host("{\"time\":\"2026-11-28T17:37:31.123Z\",\"type\":\"threat\","
			       "\"severity\":\"critical\",\"action\":\"allowed\",\"host\":\"%s\","
			       "\"from_workload_id\":9,\"from_group\":\"web\","
			       "\"to_group\":\"external\",\"proto\":\"udp\",\"src\":\"fd00::1\","
			       "\"sport\":53000,\"dst\":\"2001:db8::53\",\"dport\":53,"
			       "\"app\":\"dns\",\"threat\":\"dns-tunnel\",\"pid\":77,"
			       "\"comm\":\"curl\",\"msg\":\"long random labels\"}"),
		     render(&a, CWD_FORMAT_JSON));
}

/* What identification found, and why a mismatch is a violation. */
TEST(app_fields)
{
	struct cwd_alert a = violation_v4();

	a.action = "allowed";
	a.severity = "medium";
	a.dport = 3306;
	a.app = "http";
	a.app_attr = "shop.example.com";
	a.app_detail = "GET /admin";
	a.reason = "application mismatch";
	a.message = "http on a port that rule 4 allows for other applications";
	EXPECT_STREQ(with_host("time=2026-11-28T17:37:31.123Z type=violation severity=medium "
			       "action=allowed host=%s from_workload=web1 from_workload_id=1 "
			       "from_container=4f1c9e0b2a7d from_group=web to_workload=db1 "
			       "to_workload_id=2 to_container=9b8e7d6c5f4a to_group=db proto=tcp "
			       "src=10.0.0.1 sport=40000 dst=10.0.0.2 dport=3306 app=http "
			       "app_attr=shop.example.com app_detail=\"GET /admin\" rule=4 "
			       "reason=\"application mismatch\" pid=321 comm=psql "
			       "msg=\"http on a port that rule 4 allows for other applications\""),
		     render(&a, CWD_FORMAT_KV));
	EXPECT_STREQ(with_host("{\"time\":\"2026-11-28T17:37:31.123Z\",\"type\":\"violation\","
			       "\"severity\":\"medium\",\"action\":\"allowed\",\"host\":\"%s\","
			       "\"from_workload\":\"web1\",\"from_workload_id\":1,"
			       "\"from_container\":\"4f1c9e0b2a7d\",\"from_group\":\"web\","
			       "\"to_workload\":\"db1\",\"to_workload_id\":2,"
			       "\"to_container\":\"9b8e7d6c5f4a\",\"to_group\":\"db\","
			       "\"proto\":\"tcp\",\"src\":\"10.0.0.1\",\"sport\":40000,"
			       "\"dst\":\"10.0.0.2\",\"dport\":3306,\"app\":\"http\","
			       "\"app_attr\":\"shop.example.com\",\"app_detail\":\"GET /admin\","
			       "\"rule\":4,\"reason\":\"application mismatch\",\"pid\":321,"
			       "\"comm\":\"psql\",\"msg\":\"http on a port that rule 4 allows for "
			       "other applications\"}"),
		     render(&a, CWD_FORMAT_JSON));

	/* Empty ones are left out, as NULL ones; a host name that is not UTF-8 is kept. */
	a.app_detail = "";
	a.reason = NULL;
	a.app_attr = "caf\xe9.test";
	a.message = NULL;
	EXPECT_NE(NULL, strstr(render(&a, CWD_FORMAT_KV),
			       " dport=3306 app=http app_attr=caf\xe9.test rule=4 pid=321 "))
		TH_LOG("%s", render(&a, CWD_FORMAT_KV));
	EXPECT_NE(NULL, strstr(render(&a, CWD_FORMAT_JSON),
			       ",\"app\":\"http\",\"app_attr\":\"caf?.test\",\"rule\":4,"))
		TH_LOG("%s", render(&a, CWD_FORMAT_JSON));
}

/* A threat's packet goes before the message; a fragment's alert has no ports. */
TEST(threat_packet)
{
	struct cwd_alert a = threat_v6();

	a.threat = "dns_tunnel";
	a.severity = "high";
	a.action = "dropped";
	a.packet = "6000000000203a40fd00";
	EXPECT_NE(NULL, strstr(render(&a, CWD_FORMAT_KV),
			       " threat=dns_tunnel pid=77 comm=curl packet=6000000000203a40fd00 "
			       "msg=\"long random labels\""))
		TH_LOG("%s", render(&a, CWD_FORMAT_KV));
	EXPECT_NE(NULL, strstr(render(&a, CWD_FORMAT_JSON),
			       ",\"threat\":\"dns_tunnel\",\"pid\":77,\"comm\":\"curl\","
			       "\"packet\":\"6000000000203a40fd00\","
			       "\"msg\":\"long random labels\"}"))
		TH_LOG("%s", render(&a, CWD_FORMAT_JSON));

	a.sport = 0;
	a.dport = 0;
	a.packet = NULL;
	EXPECT_NE(NULL, strstr(render(&a, CWD_FORMAT_KV),
			       " proto=udp src=fd00::1 dst=2001:db8::53 app=dns threat=dns_tunnel "
			       "pid=77 comm=curl msg="))
		TH_LOG("%s", render(&a, CWD_FORMAT_KV));
}

/* What a THREAT event makes of an alert besides its flow. */
TEST(threat_event)
{
	struct cw_event ev = {
		.type = CW_EVENT_THREAT, .threat = CW_THREAT_HTTP_LOG4SHELL,
		.severity = CW_SEVERITY_CRITICAL, .packet_len = 3, .packet = { 0x45, 0x00, 0xff },
		.flow = { .verdict = CW_ACTION_DENY, .mode = CW_MODE_PROTECT },
	};
	struct cwd_alert a = violation_v4();
	struct cwd_threat_text t;

	a.rule = 0;
	cwd_alert_threat(&a, &ev, &t);
	EXPECT_STREQ("threat", a.type);
	EXPECT_STREQ("critical", a.severity);
	EXPECT_STREQ("dropped", a.action);
	EXPECT_STREQ("http_log4shell", a.threat);
	EXPECT_STREQ("4500ff", a.packet);
	EXPECT_STREQ("a JNDI lookup, plain or obfuscated (CVE-2021-44228)", a.message);
	EXPECT_NE(NULL, strstr(render(&a, CWD_FORMAT_KV),
			       " dport=5432 threat=http_log4shell pid=321 comm=psql packet=4500ff "
			       "msg=\"a JNDI lookup, plain or obfuscated (CVE-2021-44228)\""))
		TH_LOG("%s", render(&a, CWD_FORMAT_KV));

	/* Passed (monitor, or action alert), no packet, a newer module's threat. */
	ev.flow.verdict = CW_ACTION_ALLOW;
	ev.packet_len = 0;
	ev.threat = CW_THREAT_MAX + 1;
	ev.severity = CW_SEVERITY_LOW;
	ev.suppressed = 4;
	cwd_alert_threat(&a, &ev, &t);
	EXPECT_STREQ("low", a.severity);
	EXPECT_STREQ("allowed", a.action);
	EXPECT_EQ('#', a.threat[0]);
	EXPECT_EQ(NULL, strstr(render(&a, CWD_FORMAT_KV), "packet="))
		TH_LOG("%s", render(&a, CWD_FORMAT_KV));
	EXPECT_NE(NULL, strstr(a.message, " (4 similar suppressed)")) TH_LOG("%s", a.message);
}

TEST(quoting)
{
	struct cwd_alert a = lost();

	a.comm = "my \"app\"";
	a.message = "path C:\\tmp a=b\nnext";
	a.app = "x\\y";		/* nothing to quote: as it is */
	EXPECT_STREQ(with_host("time=2026-11-28T17:37:31.000Z type=lost severity=medium host=%s "
			       "app=x\\y comm=\"my \\\"app\\\"\" lost=42 "
			       "msg=\"path C:\\\\tmp a=b?next\""),
		     render(&a, CWD_FORMAT_KV));

	/* JSON escapes its own way, and replaces bytes that are not UTF-8. */
	a.comm = "\xff\xfe" "bin";
	EXPECT_STREQ(with_host("{\"time\":\"2026-11-28T17:37:31.000Z\",\"type\":\"lost\","
			       "\"severity\":\"medium\",\"host\":\"%s\",\"app\":\"x\\\\y\","
			       "\"comm\":\"??bin\",\"lost\":42,"
			       "\"msg\":\"path C:\\\\tmp a=b\\nnext\"}"),
		     render(&a, CWD_FORMAT_JSON));
}

TEST(lost_alert)
{
	struct cwd_alert a = lost();

	EXPECT_STREQ(with_host("time=2026-11-28T17:37:31.000Z type=lost severity=medium host=%s "
			       "lost=42 msg=\"events lost\""),
		     render(&a, CWD_FORMAT_KV));
	EXPECT_STREQ(with_host("{\"time\":\"2026-11-28T17:37:31.000Z\",\"type\":\"lost\","
			       "\"severity\":\"medium\",\"host\":\"%s\",\"lost\":42,"
			       "\"msg\":\"events lost\"}"),
		     render(&a, CWD_FORMAT_JSON));
}

TEST(short_buffer)
{
	enum cwd_alert_format formats[] = { CWD_FORMAT_KV, CWD_FORMAT_JSON };
	struct cwd_alert a = violation_v4();
	char full[TEXT_MAX], buf[TEXT_MAX];
	size_t i;
	int n;

	for (i = 0; i < 2; i++) {
		n = cwd_alert_format(&a, formats[i], full, sizeof(full));
		ASSERT_GT(n, 0);
		EXPECT_EQ(n, (int)strlen(full));
		/* Exactly the line and its NUL fit. */
		EXPECT_EQ(n, cwd_alert_format(&a, formats[i], buf, n + 1));
		EXPECT_STREQ(full, buf);
		EXPECT_EQ(-ENOSPC, cwd_alert_format(&a, formats[i], buf, n));
		EXPECT_EQ(-ENOSPC, cwd_alert_format(&a, formats[i], buf, 10));
		EXPECT_EQ(-ENOSPC, cwd_alert_format(&a, formats[i], buf, 0));
	}
}

/* A collector of the test: a socket on 127.0.0.1 and an ephemeral port. */
static int collector(int type, struct cwd_config *cfg)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sin);
	int fd, one = 1;

	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (cfg->forward_port[0])
		sin.sin_port = htons(atoi(cfg->forward_port));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    (type == SOCK_STREAM && listen(fd, 4)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		close(fd);
		return -1;
	}
	cfg->forward = type == SOCK_STREAM ? CWD_FORWARD_TCP : CWD_FORWARD_UDP;
	snprintf(cfg->forward_host, sizeof(cfg->forward_host), "127.0.0.1");
	snprintf(cfg->forward_port, sizeof(cfg->forward_port), "%u", ntohs(sin.sin_port));
	return fd;
}

static bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/* The RFC 5424 line the collector must get for @a. */
static const char *rfc5424(const struct cwd_alert *a, int pri, enum cwd_alert_format format)
{
	static char line[TEXT_MAX + 256];
	char body[TEXT_MAX];

	cwd_alert_format(a, format, body, sizeof(body));
	snprintf(line, sizeof(line), "<%d>1 %s %s cellwalld %d ALERT - %s", pri,
		 a->time_ns == T_NS ? "2026-11-28T17:37:31.123456Z" : "2026-11-28T17:37:31.000000Z",
		 host(), getpid(), body);
	return line;
}

FIXTURE(udp)
{
	struct cwd_config cfg;
	struct cwd_alerts *alerts;
	int fd;
};

FIXTURE_SETUP(udp)
{
	char err[256];

	quiet_config(&self->cfg);
	self->fd = collector(SOCK_DGRAM, &self->cfg);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, cwd_alerts_open(&self->cfg, &self->alerts, err, sizeof(err)))
		TH_LOG("%s", err);
}

FIXTURE_TEARDOWN(udp)
{
	cwd_alerts_close(self->alerts);
	close(self->fd);
}

TEST_F(udp, one_datagram_per_alert)
{
	static const struct {
		const char *severity;
		int pri;
	} sev[] = {
		{ "critical", 130 },	/* local0.crit */
		{ "high", 131 },	/* local0.err */
		{ "medium", 132 },	/* local0.warning */
		{ "low", 133 },		/* local0.notice */
		{ "info", 134 },	/* local0.info */
		{ "unheard-of", 132 },
	};
	struct cwd_alert a = violation_v4();
	char got[TEXT_MAX + 256];
	ssize_t n;
	size_t i;

	for (i = 0; i < sizeof(sev) / sizeof(sev[0]); i++) {
		a.severity = sev[i].severity;
		cwd_alert_emit(self->alerts, &a);
		ASSERT_TRUE(readable(self->fd, 2000));
		n = recv(self->fd, got, sizeof(got) - 1, 0);
		ASSERT_GT(n, 0);
		got[n] = '\0';
		EXPECT_STREQ(rfc5424(&a, sev[i].pri, CWD_FORMAT_KV), got);
	}
	EXPECT_FALSE(readable(self->fd, 0));
}

TEST_F(udp, json_body_and_facility)
{
	struct cwd_alert a = threat_v6();
	char err[256], got[TEXT_MAX + 256];
	ssize_t n;

	cwd_alerts_close(self->alerts);
	self->cfg.format = CWD_FORMAT_JSON;
	self->cfg.facility = LOG_LOCAL7;
	ASSERT_EQ(0, cwd_alerts_open(&self->cfg, &self->alerts, err, sizeof(err)));
	cwd_alert_emit(self->alerts, &a);
	ASSERT_TRUE(readable(self->fd, 2000));
	n = recv(self->fd, got, sizeof(got) - 1, 0);
	ASSERT_GT(n, 0);
	got[n] = '\0';
	EXPECT_STREQ(rfc5424(&a, 23 * 8 + 2, CWD_FORMAT_JSON), got);
}

FIXTURE(tcp)
{
	struct cwd_config cfg;
	struct cwd_alerts *alerts;
	int listener, conn;
	char in[4 * TEXT_MAX];
	size_t len;
};

FIXTURE_SETUP(tcp)
{
	quiet_config(&self->cfg);
	self->listener = collector(SOCK_STREAM, &self->cfg);
	ASSERT_LE(0, self->listener);
	self->alerts = NULL;
	self->conn = -1;
	self->len = 0;
}

FIXTURE_TEARDOWN(tcp)
{
	cwd_alerts_close(self->alerts);
	if (self->conn >= 0)
		close(self->conn);
	if (self->listener >= 0)
		close(self->listener);
}

/* The collector's side: accepts the daemon's connection. */
static int tcp_accept(int listener)
{
	if (!readable(listener, 2000))
		return -1;
	return accept(listener, NULL, NULL);
}

/*
 * The next "LEN SP MSG" frame the collector gets, as a string in @msg;
 * false after 2 s without one.
 */
static bool tcp_frame(int fd, char *in, size_t *len, size_t size, char *msg)
{
	size_t flen, digits;
	char *sp;
	ssize_t n;

	for (;;) {
		sp = memchr(in, ' ', *len);
		if (sp) {
			digits = sp - in;
			flen = strtoul(in, NULL, 10);
			if (digits && digits <= 5 && strspn(in, "0123456789") == digits &&
			    digits + 1 + flen <= *len) {
				memcpy(msg, sp + 1, flen);
				msg[flen] = '\0';
				memmove(in, sp + 1 + flen, *len - digits - 1 - flen);
				*len -= digits + 1 + flen;
				return true;
			}
		}
		if (*len == size || !readable(fd, 2000))
			return false;
		n = recv(fd, in + *len, size - *len, 0);
		if (n <= 0)
			return false;
		*len += n;
	}
}

#define EXPECT_FRAME(alert, pri) do {							\
	char msg_[TEXT_MAX + 256];							\
											\
	ASSERT_TRUE(tcp_frame(self->conn, self->in, &self->len, sizeof(self->in), msg_));\
	EXPECT_STREQ(rfc5424(alert, pri, CWD_FORMAT_KV), msg_);			\
} while (0)

TEST_F(tcp, octet_counted_frames)
{
	struct cwd_alert a = violation_v4(), b = lost();
	char err[256];

	ASSERT_EQ(0, cwd_alerts_open(&self->cfg, &self->alerts, err, sizeof(err)))
		TH_LOG("%s", err);
	/* Connected with the first alert, not before. */
	EXPECT_FALSE(readable(self->listener, 100));
	cwd_alert_emit(self->alerts, &a);
	cwd_alert_emit(self->alerts, &b);
	self->conn = tcp_accept(self->listener);
	ASSERT_LE(0, self->conn);
	/* What waited for the handshake goes with the next alert at the latest. */
	cwd_alert_emit(self->alerts, &a);
	EXPECT_FRAME(&a, 131);
	EXPECT_FRAME(&b, 132);
	EXPECT_FRAME(&a, 131);
	EXPECT_FALSE(readable(self->conn, 100));
}

TEST_F(tcp, reconnects_after_backoff)
{
	struct cwd_alert a = violation_v4(), b = lost();
	char err[256];

	/* The collector is away when the daemon starts. */
	close(self->listener);
	self->listener = -1;
	ASSERT_EQ(0, cwd_alerts_open(&self->cfg, &self->alerts, err, sizeof(err)))
		TH_LOG("%s", err);
	cwd_alert_emit(self->alerts, &a);	/* refused, and kept */
	self->listener = collector(SOCK_STREAM, &self->cfg);
	ASSERT_LE(0, self->listener);
	cwd_alert_emit(self->alerts, &b);	/* kept: no connect within a second */
	EXPECT_FALSE(readable(self->listener, 500));
	usleep(600 * 1000);
	cwd_alert_emit(self->alerts, &a);
	self->conn = tcp_accept(self->listener);
	ASSERT_LE(0, self->conn);
	EXPECT_FRAME(&a, 131);
	EXPECT_FRAME(&b, 132);
	EXPECT_FRAME(&a, 131);

	/*
	 * The collector restarts: the first alert goes to the closed
	 * connection and is lost, the next finds it reset and waits for the
	 * next connection, a second later.
	 */
	close(self->conn);
	cwd_alert_emit(self->alerts, &a);
	cwd_alert_emit(self->alerts, &b);
	EXPECT_FALSE(readable(self->listener, 500));
	usleep(600 * 1000);
	cwd_alert_emit(self->alerts, &a);
	self->conn = tcp_accept(self->listener);
	ASSERT_LE(0, self->conn);
	self->len = 0;
	EXPECT_FRAME(&b, 132);
	EXPECT_FRAME(&a, 131);
	EXPECT_FALSE(readable(self->conn, 100));
}

/*
 * A collector that stops reading: the daemon never waits, drops what does
 * not fit, and what arrives is still whole frames.
 */
TEST_F(tcp, slow_collector)
{
	struct cwd_alert a = violation_v4(), marker = lost(), end;
	char err[256], msg[TEXT_MAX + 256];
	int i, got = 0, small = 4096;

	ASSERT_EQ(0, setsockopt(self->listener, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)));
	ASSERT_EQ(0, cwd_alerts_open(&self->cfg, &self->alerts, err, sizeof(err)))
		TH_LOG("%s", err);
	cwd_alert_emit(self->alerts, &a);
	self->conn = tcp_accept(self->listener);
	ASSERT_LE(0, self->conn);
	/* About 7 MB: more than the socket buffers and the daemon's queue. */
	for (i = 0; i < 20000; i++)
		cwd_alert_emit(self->alerts, &a);

	/* Read it all; each alert sends what waited, until a marker comes. */
	for (;;) {
		ASSERT_TRUE(tcp_frame(self->conn, self->in, &self->len, sizeof(self->in), msg));
		if (!strcmp(msg, rfc5424(&marker, 132, CWD_FORMAT_KV)))
			break;
		ASSERT_STREQ(rfc5424(&a, 131, CWD_FORMAT_KV), msg);
		got++;
		cwd_alert_emit(self->alerts, &marker);
	}
	EXPECT_LT(got, 20001);
	TH_LOG("%d of 20001 alerts arrived", got);

	/*
	 * Full again, and the collector resets the connection: the next one,
	 * a second later, starts with a whole frame.
	 */
	for (i = 0; i < 20000; i++)
		cwd_alert_emit(self->alerts, &a);
	close(self->conn);
	cwd_alert_emit(self->alerts, &a);
	usleep(1100 * 1000);
	end = threat_v6();
	cwd_alert_emit(self->alerts, &end);
	self->conn = tcp_accept(self->listener);
	ASSERT_LE(0, self->conn);
	self->len = 0;
	for (;;) {
		ASSERT_TRUE(tcp_frame(self->conn, self->in, &self->len, sizeof(self->in), msg));
		if (!strcmp(msg, rfc5424(&end, 130, CWD_FORMAT_KV)))
			break;
		if (strcmp(msg, rfc5424(&marker, 132, CWD_FORMAT_KV)))
			ASSERT_STREQ(rfc5424(&a, 131, CWD_FORMAT_KV), msg);
		cwd_alert_emit(self->alerts, &marker);
	}
}

FIXTURE(json_file)
{
	struct cwd_config cfg;
	struct cwd_alerts *alerts;
	char dir[64];
};

FIXTURE_SETUP(json_file)
{
	quiet_config(&self->cfg);
	snprintf(self->dir, sizeof(self->dir), "/tmp/alert_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->cfg.json_file, sizeof(self->cfg.json_file), "%s/alerts.jsonl", self->dir);
	self->alerts = NULL;
}

FIXTURE_TEARDOWN(json_file)
{
	char path[128];

	cwd_alerts_close(self->alerts);
	unlink(self->cfg.json_file);
	snprintf(path, sizeof(path), "%s/alerts.jsonl.1", self->dir);
	unlink(path);
	rmdir(self->dir);
}

/* Each line of @path parsed; their "type" members joined with ",". */
static const char *json_types(const char *path)
{
	static char types[256];
	char line[TEXT_MAX];
	json_error_t jerr;
	json_t *obj;
	FILE *f;

	types[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return "(none)";
	while (fgets(line, sizeof(line), f)) {
		obj = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
		if (!obj || line[strlen(line) - 1] != '\n') {
			snprintf(types, sizeof(types), "(bad line)");
			json_decref(obj);
			break;
		}
		if (types[0])
			strcat(types, ",");
		strcat(types, json_string_value(json_object_get(obj, "type")) ?: "?");
		json_decref(obj);
	}
	fclose(f);
	return types;
}

TEST_F(json_file, one_object_per_line)
{
	struct cwd_alert a = violation_v4(), b = threat_v6(), c = lost();
	char err[256], rotated[300], line[TEXT_MAX];
	FILE *f;

	ASSERT_EQ(0, cwd_alerts_open(&self->cfg, &self->alerts, err, sizeof(err)))
		TH_LOG("%s", err);
	cwd_alert_emit(self->alerts, &a);
	cwd_alert_emit(self->alerts, &b);
	c.time_ns = 0;		/* now */
	cwd_alert_emit(self->alerts, &c);
	EXPECT_STREQ("violation,threat,lost", json_types(self->cfg.json_file));

	/* JSON whatever the format, the same as cwd_alert_format's. */
	f = fopen(self->cfg.json_file, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	EXPECT_STREQ(render(&a, CWD_FORMAT_JSON), line);

	/* Rotated by renaming, then by removing: a new file each time. */
	snprintf(rotated, sizeof(rotated), "%s.1", self->cfg.json_file);
	ASSERT_EQ(0, rename(self->cfg.json_file, rotated));
	cwd_alert_emit(self->alerts, &b);
	EXPECT_STREQ("threat", json_types(self->cfg.json_file));
	EXPECT_STREQ("violation,threat,lost", json_types(rotated));
	ASSERT_EQ(0, unlink(self->cfg.json_file));
	cwd_alert_emit(self->alerts, &c);
	cwd_alert_emit(self->alerts, &a);
	EXPECT_STREQ("lost,violation", json_types(self->cfg.json_file));
}

TEST_F(json_file, open_errors)
{
	char err[256], expected[300];
	int ret;

	snprintf(self->cfg.json_file, sizeof(self->cfg.json_file), "%s/missing/alerts.jsonl",
		 self->dir);
	ret = cwd_alerts_open(&self->cfg, &self->alerts, err, sizeof(err));
	EXPECT_EQ(-ENOENT, ret);
	snprintf(expected, sizeof(expected), "json_file %s: No such file or directory",
		 self->cfg.json_file);
	EXPECT_STREQ(expected, err);

	self->cfg.json_file[0] = '\0';
	self->cfg.forward = CWD_FORWARD_UDP;
	snprintf(self->cfg.forward_host, sizeof(self->cfg.forward_host), "127.0.0.1");
	snprintf(self->cfg.forward_port, sizeof(self->cfg.forward_port), "no-such-service");
	EXPECT_EQ(-EINVAL, cwd_alerts_open(&self->cfg, &self->alerts, err, sizeof(err)));
	EXPECT_STREQ("forward 127.0.0.1:no-such-service: Servname not supported for ai_socktype",
		     err);

	self->cfg.forward = CWD_FORWARD_TCP;
	self->cfg.forward_host[0] = '\0';
	EXPECT_EQ(-EINVAL, cwd_alerts_open(&self->cfg, &self->alerts, err, sizeof(err)));
	EXPECT_STREQ("forward needs forward_host and forward_port", err);
}

TEST_HARNESS_MAIN
