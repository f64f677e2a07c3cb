// SPDX-License-Identifier: GPL-2.0
/*
 * The network-level threat detections (headers, fragments, floods, scans,
 * sessions), each family twice: with the victim's group in monitor (a
 * THREAT event with "action": "allow", the packets reach the victim) and
 * in protect (the same event with "deny", the packets do not reach it).
 *
 *   tn-atk  10.99.0.51, .151, .152  workload tn-atk, group tn-a (monitor)
 *   tn-vic  10.99.0.52              workload tn-vic, group tn-v (the mode)
 *
 * The attacker's traffic comes from tests/threat/: net_craft.py (broken
 * headers and fragments, as whole frames) and net_tcp.py (servers and
 * clients), and from hping3 (floods, the port scan). Each crafted packet
 * carries a tag, its IP id and its port or ICMP echo id, another in each
 * mode (a connection's detection is reported once): an nftables counter
 * at the victim's input hook, priority 0 (after the module's, -1), counts
 * what got through, by tag, and the event that reports the packet shows
 * the tag in its "packet" bytes. The counts that last (port scan, open
 * connections per source) start afresh in protect from another source
 * address of the attacker.
 */

#define _GNU_SOURCE
#include "container.h"
#include "kselftest_harness.h"

#define TIMEOUT 120
#define ATK "tn-atk"
#define VIC "tn-vic"
#define X_ATK 51
#define X_VIC 52
#define ATK_ADDR "10.99.0.51"
#define ATK_ADDR2 "10.99.0.151"
#define ATK_ADDR3 "10.99.0.152"
#define VIC_ADDR "10.99.0.52"
#define VICTIMS "tn-v"
#define SCRATCH "/tmp/cw-tn"
#define POLICY_FILE SCRATCH "/policy.json"
#define EVENT_RATE "/proc/sys/net/cellwall/event_rate"
/* How long an expected event may take to show up. */
#define EVENT_MS 10000

/* Packets per flood, and how fast hping3 sends them (1000 per second). */
#define FLOOD 400
#define FLOOD_GAP "-i u1000"

/* Made once, for every test: the harness runs each in a child process. */
#define MADE SCRATCH "/containers-made"

FIXTURE(net)
{
	struct cw_events ev;
	char mac[32];		/* of the victim's eth0: net_craft.py sends frames */
	char dir[1024];		/* tests/threat */
};

static void clean(void)
{
	cw_ct_destroy(ATK);
	cw_ct_destroy(VIC);
	cw_sh("rm -rf " SCRATCH);
}

CW_TEAR_DOWN_AT_EXIT(clean)

/*
 * The containers outlive each test (making them costs seconds under
 * emulation); the module does not: each test gets one that has counted
 * nothing yet and has every detection's default settings.
 */
FIXTURE_SETUP(net)
{
	char out[128];

	self->ev.pid = -1;
	cw_tree_path("tests/threat", self->dir, sizeof(self->dir));
	ASSERT_EQ(0, cw_module_unload());
	if (access(MADE, F_OK) || access("/run/netns/" VIC, F_OK)) {
		clean();
		ASSERT_EQ(0, cw_sh("mkdir -p " SCRATCH));
		ASSERT_EQ(0, cw_ct_create(ATK, X_ATK));
		ASSERT_EQ(0, cw_ct_create(VIC, X_VIC));
		ASSERT_EQ(0, cw_sh("ip -n " ATK " addr add " ATK_ADDR2 "/24 dev eth0 && "
				   "ip -n " ATK " addr add " ATK_ADDR3 "/24 dev eth0"));
		ASSERT_EQ(0, cw_write_file(MADE, "1\n"));
	}
	ASSERT_EQ(0, cw_module_load());
	/* Every detection's event, not a rate-limited sample. */
	ASSERT_EQ(0, cw_sysctl_set(EVENT_RATE, 1000000));
	ASSERT_EQ(0, cw_write_file(POLICY_FILE,
		"{ \"groups\": [{ \"name\": \"tn-a\", \"mode\": \"monitor\" },\n"
		"              { \"name\": \"" VICTIMS "\", \"mode\": \"monitor\" }],\n"
		"  \"rules\": [\n"
		"    { \"from\": \"tn-a\", \"to\": \"" VICTIMS "\", \"action\": \"allow\" },\n"
		"    { \"from\": \"" VICTIMS "\", \"to\": \"tn-a\", \"action\": \"allow\" },\n"
		"    { \"from\": \"external\", \"to\": \"" VICTIMS "\",\n"
		"      \"action\": \"allow\" }] }\n"));
	ASSERT_EQ(0, cw_sh("%s policy load " POLICY_FILE " >&2", cw_env("CW_CLI")));
	ASSERT_EQ(0, cw_ct_register(ATK, "tn-a"));
	ASSERT_EQ(0, cw_ct_register(VIC, VICTIMS));
	ASSERT_EQ(0, cw_capture(out, sizeof(out),
				"ip netns exec " VIC " cat /sys/class/net/eth0/address"));
	ASSERT_EQ(17u, strcspn(out, "\n"));
	snprintf(self->mac, sizeof(self->mac), "%.17s", out);
	/* The ARP entries both ways, so that no first packet waits for one. */
	ASSERT_EQ(0, cw_ct_sh(ATK, "ping -c 1 -W 5 " VIC_ADDR " >/dev/null"));
	ASSERT_TRUE(cw_events_start(&self->ev, "tn"));
}

/* What a test left in the containers goes with its module: servers, counters. */
FIXTURE_TEARDOWN(net)
{
	cw_events_stop(&self->ev);
	cw_ct_kill(ATK);
	cw_ct_kill(VIC);
	cw_sh("ip netns exec " ATK " nft delete table inet cwt 2>/dev/null; "
	      "ip netns exec " VIC " nft delete table inet cwt 2>/dev/null; "
	      "ip netns exec " VIC " sysctl -qw net.ipv4.icmp_echo_ignore_all=0");
	EXPECT_EQ(0, cw_module_unload());
}

/* `cellwall threat set NAME SETTINGS` */
static int threat_set(const char *name, const char *settings)
{
	return cw_sh("%s threat set %s %s >&2", cw_env("CW_CLI"), name, settings);
}

/* The row of detection @name in `cellwall threats -j`, NULL if none. */
static json_t *threat_row(const char *name)
{
	json_t *rows = cw_json_cmd("%s threats -j", cw_env("CW_CLI")), *row, *found = NULL;
	size_t i;

	json_array_foreach(rows, i, row)
		if (!strcmp(cw_jstr(row, CW_JK_NAME), name))
			found = json_incref(row);
	json_decref(rows);
	return found;
}

/* One nftables counter at an input hook: its name and what it matches. */
struct count {
	char name[16];
	char match[80];
};

/*
 * Sets the input chain of table inet cwt in @netns afresh (priority 0,
 * after the module): @n counters, and an @extra rule (NULL: none). The
 * counters are named n_NAME: a bare "udp" would be a keyword to nft.
 */
static int counters_set(const char *netns, const struct count *c, size_t n, const char *extra)
{
	char script[4096], path[128];
	size_t i, len;

	len = snprintf(script, sizeof(script),
		       "table inet cwt\ndelete table inet cwt\ntable inet cwt {\n");
	for (i = 0; i < n; i++)
		len += snprintf(script + len, sizeof(script) - len, "\tcounter n_%s { }\n",
				c[i].name);
	len += snprintf(script + len, sizeof(script) - len,
			"\tchain in {\n\t\ttype filter hook input priority 0;\n");
	for (i = 0; i < n; i++)
		len += snprintf(script + len, sizeof(script) - len, "\t\t%s counter name n_%s\n",
				c[i].match, c[i].name);
	snprintf(script + len, sizeof(script) - len, "\t\t%s\n\t}\n}\n", extra ? extra : "");
	snprintf(path, sizeof(path), SCRATCH "/%s.nft", netns);
	if (cw_write_file(path, script))
		return -1;
	return cw_sh("ip netns exec %s nft -f %s", netns, path);
}

/* Packets counter @name of counters_set() saw in @netns; -1 on error. */
static long long counted(const char *netns, const char *name)
{
	char out[512];
	const char *p;

	if (cw_capture(out, sizeof(out), "ip netns exec %s nft list counter inet cwt n_%s",
		       netns, name))
		return -1;
	p = strstr(out, "packets ");
	return p ? atoll(p + strlen("packets ")) : -1;
}

/* A THREAT event this test waits for. */
struct want {
	const char *threat;
	const char *action;	/* "allow" or "deny" */
	int tag;		/* the packet's IP id; -1: any */
};

/* The IP id in the event's "packet" (hex from the IP header), or -1. */
static long packet_tag(json_t *ev)
{
	const char *hex = cw_jstr(ev, "packet");
	char id[5];

	if (strlen(hex) < 12)
		return -1;
	memcpy(id, hex + 8, 4);
	id[4] = '\0';
	return strtol(id, NULL, 16);
}

static bool is_threat(json_t *ev, void *arg)
{
	const struct want *w = arg;

	return !strcmp(cw_jstr(ev, CW_JK_TYPE), "THREAT") &&
	       !strcmp(cw_jstr(ev, "threat"), w->threat) &&
	       !strcmp(cw_jstr(ev, "action"), w->action) &&
	       (w->tag < 0 || packet_tag(ev) == w->tag);
}

/* What a detection whose action is "block" does in @mode. */
static const char *action_in(const char *mode)
{
	return strcmp(mode, "protect") ? "allow" : "deny";
}

/*
 * Where an event of @threat names the victim: as the connection's
 * responder (to_workload), but as its client for a split handshake, the
 * server's attack on its client.
 */
static const char *victim_key(const char *threat)
{
	return strcmp(threat, "tcp_split_handshake") ? CW_JK_TO_WORKLOAD : CW_JK_FROM_WORKLOAD;
}

/*
 * Waits for the event of detection @threat on the packet tagged @tag
 * (-1: any) with @action, in @mode; checks whom and what it names.
 */
static void expect_event(struct __test_metadata *_metadata, FIXTURE_DATA(net) *self,
			 const char *threat, int tag, const char *mode, const char *action)
{
	struct want w = { threat, action, tag };
	json_t *ev = cw_events_wait(&self->ev, EVENT_MS, is_threat, &w);

	EXPECT_NE(NULL, ev)
		TH_LOG("%s: no %s event with action %s for the packet tagged %d", mode, threat,
		       action, tag);
	if (!ev)
		return;
	EXPECT_TRUE(cw_jnames(ev, victim_key(threat), VIC, -1));
	EXPECT_STREQ(mode, cw_jstr(ev, "mode"));
	EXPECT_LE(40u, strlen(cw_jstr(ev, "packet")));
	json_decref(ev);
}

/*
 * Every THREAT event so far: it names the victim (victim_key()) and
 * carries the offending packet from its IPv4 header on. Returns how many.
 */
static int check_all_events(struct __test_metadata *_metadata, FIXTURE_DATA(net) *self)
{
	char line[8192];
	int n = 0;
	FILE *f = fopen(self->ev.out, "r");

	while (f && fgets(line, sizeof(line), f)) {
		json_t *ev = json_loads(line, 0, NULL);
		const char *packet = cw_jstr(ev, "packet");

		if (ev && !strcmp(cw_jstr(ev, CW_JK_TYPE), "THREAT")) {
			n++;
			EXPECT_TRUE(cw_jnames(ev, victim_key(cw_jstr(ev, "threat")), VIC, -1))
				TH_LOG("%s", line);
			/* 45: IPv4, a header of 20 bytes, as every one sent. */
			EXPECT_TRUE(strlen(packet) >= 40 && !strncmp(packet, "45", 2))
				TH_LOG("%s", line);
		}
		json_decref(ev);
	}
	if (f)
		fclose(f);
	return n;
}

/* One crafted packet: how net_craft.py makes it, and what reports it. */
struct attack {
	const char *kind;	/* of net_craft.py */
	int tag;
	const char *threat;
	const char *count;	/* "tcp", "udp", "icmp": counted by tag at the
				 * victim; NULL: its stack drops it before */
};

/*
 * @a, each tag plus @shift, as net_craft.py's arguments, and the counters
 * of the counted ones.
 */
static size_t attack_args(const struct attack *a, size_t n, int shift, char *args, size_t size,
			  struct count *counts)
{
	size_t i, nc = 0, len = 0;

	for (i = 0; i < n; i++) {
		int tag = a[i].tag + shift;

		len += snprintf(args + len, size - len, " %s=%d", a[i].kind, tag);
		if (!a[i].count)
			continue;
		snprintf(counts[nc].name, sizeof(counts[nc].name), "c%d", tag);
		snprintf(counts[nc].match, sizeof(counts[nc].match), "%s %s %d", a[i].count,
			 strcmp(a[i].count, "icmp") ? "dport" : "id", tag);
		nc++;
	}
	return nc;
}

static int craft(FIXTURE_DATA(net) *self, const char *args)
{
	return cw_ct_sh(ATK, "python3 %s/net_craft.py eth0 %s " ATK_ADDR " " VIC_ADDR "%s >&2",
			self->dir, self->mac, args);
}

/*
 * Sends @a with the victim's group in @mode: each packet reported with
 * the mode's action, counted at the victim once in monitor, never in
 * protect (where the tags are 50 higher: new flows).
 */
static void run_attacks(struct __test_metadata *_metadata, FIXTURE_DATA(net) *self,
			const struct attack *a, size_t n, const char *mode)
{
	bool protect = !strcmp(mode, "protect");
	int shift = protect ? 50 : 0;
	struct count counts[16];
	char args[1024];
	size_t i, nc;

	ASSERT_GE(ARRAY_SIZE(counts), n);
	nc = attack_args(a, n, shift, args, sizeof(args), counts);
	ASSERT_EQ(0, cw_group_mode(VICTIMS, mode));
	ASSERT_EQ(0, counters_set(VIC, counts, nc, NULL));
	ASSERT_EQ(0, craft(self, args));
	for (i = 0; i < n; i++)
		expect_event(_metadata, self, a[i].threat, a[i].tag + shift, mode, action_in(mode));
	for (i = 0; i < nc; i++)
		EXPECT_EQ(!protect, counted(VIC, counts[i].name))
			TH_LOG("%s: %s", mode, counts[i].match);
}

/*
 * Flags no handshake has, SYNs that offer what no honest peer does, TCP
 * headers shorter than 20 bytes (by their data offset, or cut by the IP
 * total length). An IPv4 header length below 5 is not among them: the
 * receiver's IP stack drops such a packet before any netfilter hook.
 */
TEST_F_TIMEOUT(net, tcp_flags, TIMEOUT)
{
	static const struct attack attacks[] = {
		{ "syn_fin", 7001, "tcp_syn_fin", "tcp" },
		{ "null", 7002, "tcp_null_flags", "tcp" },
		{ "xmas", 7003, "tcp_xmas", "tcp" },
		{ "syn_data", 7004, "tcp_syn_data", "tcp" },
		{ "small_window", 7005, "tcp_small_window", "tcp" },
		{ "small_mss", 7006, "tcp_small_mss", "tcp" },
		{ "doff", 7007, "malformed_header", "tcp" },
		{ "short_total", 7008, "malformed_header", "tcp" },
	};

	run_attacks(_metadata, self, attacks, ARRAY_SIZE(attacks), "monitor");
	run_attacks(_metadata, self, attacks, ARRAY_SIZE(attacks), "protect");
	EXPECT_LT(0, check_all_events(_metadata, self));
}

/*
 * Teardrop and ping of death: the victim's IP stack drops both anyway
 * (overlap, oversize), so only the events and their actions tell.
 */
TEST_F_TIMEOUT(net, fragments, TIMEOUT)
{
	static const struct attack attacks[] = {
		{ "teardrop", 7101, "ip_frag_overlap", NULL },
		{ "pod", 7102, "ping_of_death", NULL },
	};

	run_attacks(_metadata, self, attacks, ARRAY_SIZE(attacks), "monitor");
	run_attacks(_metadata, self, attacks, ARRAY_SIZE(attacks), "protect");
	EXPECT_LT(0, check_all_events(_metadata, self));
}

/*
 * An echo request to the broadcast address; one carrying 1000 bytes. The
 * victim does not answer: its answer, as large, would be reported where
 * it arrives, in the attacker's netns.
 */
TEST_F_TIMEOUT(net, icmp, TIMEOUT)
{
	static const struct attack attacks[] = {
		{ "smurf", 7201, "smurf", "icmp" },
		{ "tunnel", 7202, "icmp_tunnel", "icmp" },
	};

	ASSERT_EQ(0, cw_sh("ip netns exec " VIC " sysctl -qw net.ipv4.icmp_echo_ignore_all=1"));
	run_attacks(_metadata, self, attacks, ARRAY_SIZE(attacks), "monitor");
	run_attacks(_metadata, self, attacks, ARRAY_SIZE(attacks), "protect");
	EXPECT_LT(0, check_all_events(_metadata, self));
}

/*
 * FLOOD SYNs, UDP datagrams and echo requests at 1000 per second, over
 * thresholds of 50 and 100 per second: in monitor they arrive (most: an
 * emulated guest loses some of a burst), in protect those over the rate
 * are dropped, the first ones still arrive.
 */
TEST_F_TIMEOUT(net, floods, TIMEOUT)
{
	static const struct count counts[] = {
		{ "syn", "tcp dport 7300" },
		{ "udp", "udp dport 7301" },
		{ "icmp", "icmp type echo-request" },
	};
	static const char *const floods[] = { "syn_flood", "udp_flood", "icmp_flood" };
	static const char *const modes[] = { "monitor", "protect" };
	size_t m, i;

	ASSERT_EQ(0, threat_set("syn_flood", "threshold=50"));
	ASSERT_EQ(0, threat_set("udp_flood", "threshold=100"));
	ASSERT_EQ(0, threat_set("icmp_flood", "threshold=100"));
	/* Each SYN and datagram of hping3 opens a connection: 1200 pass its 1000. */
	ASSERT_EQ(0, threat_set("session_limit", "action=off"));
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		/* The rates are per second: protect starts from none. */
		if (m)
			usleep(1500 * 1000);
		ASSERT_EQ(0, cw_group_mode(VICTIMS, modes[m]));
		ASSERT_EQ(0, counters_set(VIC, counts, ARRAY_SIZE(counts), NULL));
		/*
		 * Source ports from a base of each mode's own: a SYN of
		 * protect must open a new connection, not land in one of
		 * monitor's (hping3's random base would often). hping3 exits
		 * 1 when nothing answers: its status says nothing.
		 */
		cw_ct_sh(ATK, "hping3 -q -I eth0 -S -s %zu -p 7300 " FLOOD_GAP " -c %d " VIC_ADDR
			 " >/dev/null 2>&1; hping3 -q -I eth0 --udp -s %zu -p 7301 " FLOOD_GAP
			 " -c %d " VIC_ADDR " >/dev/null 2>&1; hping3 -q -I eth0 --icmp " FLOOD_GAP
			 " -c %d " VIC_ADDR " >/dev/null 2>&1",
			 20000 + 10000 * m, FLOOD, 20000 + 10000 * m, FLOOD, FLOOD);
		for (i = 0; i < ARRAY_SIZE(floods); i++)
			expect_event(_metadata, self, floods[i], -1, modes[m], action_in(modes[m]));
		for (i = 0; i < ARRAY_SIZE(counts); i++) {
			long long n = counted(VIC, counts[i].name);

			if (m == 0) {
				EXPECT_LT(FLOOD / 2, n) TH_LOG("monitor: %s", counts[i].match);
			} else {
				EXPECT_LT(0, n) TH_LOG("protect: %s", counts[i].match);
				EXPECT_GT(FLOOD / 2, n) TH_LOG("protect: %s", counts[i].match);
			}
		}
	}
	EXPECT_LT(0, check_all_events(_metadata, self));
}

/*
 * SYNs to 40 ports, threshold 20 ports in 10 seconds from one source: all
 * arrive in monitor; in protect (from a source with no count yet) those
 * from the threshold on are dropped. The kernel keeps a source's ports in
 * a 64-bit set: a few ports share a bit with one before, and pass.
 */
TEST_F_TIMEOUT(net, port_scan, TIMEOUT)
{
	static const struct count count = { "scan", "tcp dport 7400-7439" };
	json_t *row = threat_row("port_scan");
	long long n;

	ASSERT_NE(NULL, row);
	EXPECT_EQ(20, cw_jint(row, "threshold"));
	json_decref(row);

	ASSERT_EQ(0, cw_group_mode(VICTIMS, "monitor"));
	ASSERT_EQ(0, counters_set(VIC, &count, 1, NULL));
	cw_ct_sh(ATK, "hping3 -q -I eth0 -S -p ++7400 -i u2000 -c 40 " VIC_ADDR
		 " >/dev/null 2>&1");
	expect_event(_metadata, self, "port_scan", -1, "monitor", "allow");
	EXPECT_EQ(40, counted(VIC, "scan"));

	ASSERT_EQ(0, cw_group_mode(VICTIMS, "protect"));
	ASSERT_EQ(0, counters_set(VIC, &count, 1, NULL));
	cw_ct_sh(ATK, "hping3 -q -I eth0 -a " ATK_ADDR2 " -S -p ++7400 -i u2000 -c 40 "
		 VIC_ADDR " >/dev/null 2>&1");
	expect_event(_metadata, self, "port_scan", -1, "protect", "deny");
	n = counted(VIC, "scan");
	EXPECT_LE(19, n);
	EXPECT_GE(25, n);
	EXPECT_LT(0, check_all_events(_metadata, self));
}

/* Runs net_tcp.py in container @ct; its output in @out. */
static int __attribute__((format(printf, 5, 6)))
net_tcp(FIXTURE_DATA(net) *self, const char *ct, char *out, size_t size, const char *fmt, ...)
{
	char args[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return cw_ct_capture(ct, out, size, "python3 %s/net_tcp.py %s", self->dir, args);
}

/*
 * Behaviour over a connection's life: a client that never speaks to a
 * server that keeps writing (threshold 2 s), 10 connections held open
 * from one source (threshold 5), and the other way round, the attacker a
 * server that answers the victim's SYN with a SYN.
 */
TEST_F_TIMEOUT(net, sessions, TIMEOUT)
{
	static const struct count split = {
		"split", "tcp sport 7502 tcp flags & (syn | ack) == syn"
	};
	static const char *const modes[] = { "monitor", "protect" };
	static const char *const session_src[] = { ATK_ADDR2, ATK_ADDR3 };
	char out[512], end[16];
	int bytes, connected;
	size_t m;

	ASSERT_EQ(0, threat_set("tcp_no_client_data", "threshold=2"));
	ASSERT_EQ(0, threat_set("session_limit", "threshold=5"));
	ASSERT_LT(0, cw_ct_spawn(VIC, NULL, "exec python3 %s/net_tcp.py hold 7500", self->dir));
	ASSERT_LT(0, cw_ct_spawn(VIC, NULL, "exec python3 %s/net_tcp.py talk 7501", self->dir));
	ASSERT_LT(0, cw_ct_spawn(ATK, SCRATCH "/split.log", "exec python3 %s/net_tcp.py split 7502",
				 self->dir));
	/* The split responder answers the SYNs, not the attacker's stack. */
	ASSERT_EQ(0, counters_set(ATK, NULL, 0,
				  "tcp dport 7502 tcp flags & (syn | ack) == syn drop"));
	ASSERT_TRUE(cw_ct_listening(VIC, "tcp", 7500));
	ASSERT_TRUE(cw_ct_listening(VIC, "tcp", 7501));
	ASSERT_TRUE(cw_wait_for(20000, "grep -qs ready " SCRATCH "/split.log"));

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		const char *mode = modes[m], *action = action_in(mode);
		bool protect = m == 1;

		ASSERT_EQ(0, cw_group_mode(VICTIMS, mode));
		ASSERT_EQ(0, counters_set(VIC, &split, 1, NULL));

		/*
		 * Four seconds of silence, a byte a half-second from the
		 * server: in protect they stop after two seconds, and the
		 * client's first byte then gets a reset.
		 */
		ASSERT_EQ(0, net_tcp(self, ATK, out, sizeof(out),
				     "silent " VIC_ADDR " 7501 4 " ATK_ADDR));
		ASSERT_EQ(2, sscanf(out, "bytes=%d end=%15s", &bytes, end))
			TH_LOG("%s", out);
		if (protect) {
			EXPECT_STREQ("reset", end) TH_LOG("%s", out);
			EXPECT_GE(5, bytes) TH_LOG("%s", out);
		} else {
			EXPECT_STREQ("open", end) TH_LOG("%s", out);
			EXPECT_LE(6, bytes) TH_LOG("%s", out);
		}
		expect_event(_metadata, self, "tcp_no_client_data", -1, mode, action);

		/* The server's SYN reaches the victim, its client, in monitor only. */
		ASSERT_EQ(0, net_tcp(self, VIC, out, sizeof(out),
				     "connect " ATK_ADDR " 7502 1 " VIC_ADDR));
		expect_event(_metadata, self, "tcp_split_handshake", -1, mode, action);
		EXPECT_EQ(!protect, counted(VIC, "split") > 0);

		/* Ten connections held from one source: the sixth is one too many. */
		ASSERT_EQ(0, net_tcp(self, ATK, out, sizeof(out), "connect " VIC_ADDR " 7500 10 %s",
				     session_src[m]));
		ASSERT_EQ(1, sscanf(out, "connected %d", &connected)) TH_LOG("%s", out);
		EXPECT_EQ(protect ? 5 : 10, connected);
		expect_event(_metadata, self, "session_limit", -1, mode, action);
	}
	EXPECT_LT(0, check_all_events(_metadata, self));
}

/*
 * In protect, a detection set to "off" lets its packet through unreported
 * (the SYN+FIN after it still is stopped: the event that proves the
 * quiet one was looked at), one set to "alert" reports it and lets it
 * through.
 */
TEST_F_TIMEOUT(net, action_off_alert, TIMEOUT)
{
	static const struct count counts[] = {
		{ "xmas", "tcp dport 7601" },
		{ "synfin", "tcp dport 7602" },
		{ "xmas2", "tcp dport 7603" },
	};
	struct want any_xmas = { "tcp_xmas", "deny", -1 };
	json_t *row, *ev;

	ASSERT_EQ(0, cw_group_mode(VICTIMS, "protect"));
	ASSERT_EQ(0, counters_set(VIC, counts, ARRAY_SIZE(counts), NULL));

	ASSERT_EQ(0, threat_set("tcp_xmas", "action=off"));
	row = threat_row("tcp_xmas");
	ASSERT_NE(NULL, row);
	EXPECT_STREQ("off", cw_jstr(row, "action"));
	json_decref(row);
	ASSERT_EQ(0, craft(self, " xmas=7601 syn_fin=7602"));
	expect_event(_metadata, self, "tcp_syn_fin", 7602, "protect", "deny");
	EXPECT_EQ(1, counted(VIC, "xmas"));
	EXPECT_EQ(0, counted(VIC, "synfin"));
	ev = cw_events_wait(&self->ev, 0, is_threat, &any_xmas);
	EXPECT_EQ(NULL, ev);
	json_decref(ev);
	any_xmas.action = "allow";
	ev = cw_events_wait(&self->ev, 0, is_threat, &any_xmas);
	EXPECT_EQ(NULL, ev);
	json_decref(ev);

	ASSERT_EQ(0, threat_set("tcp_xmas", "action=alert"));
	ASSERT_EQ(0, craft(self, " xmas=7603"));
	expect_event(_metadata, self, "tcp_xmas", 7603, "protect", "allow");
	EXPECT_EQ(1, counted(VIC, "xmas2"));
	row = threat_row("tcp_xmas");
	ASSERT_NE(NULL, row);
	EXPECT_STREQ("alert", cw_jstr(row, "action"));
	EXPECT_LE(1, cw_jint(row, "count"));
	json_decref(row);
	EXPECT_LT(0, check_all_events(_metadata, self));
}

TEST_HARNESS_MAIN
