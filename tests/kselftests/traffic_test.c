// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic between network namespaces raises the counters that
 * `cellwall status` shows, in each netns and for all; enabled=0 stops it.
 *
 *   cw-a                    cw-r                    cw-b
 *   va ------------------ ra    rb ------------------ vb
 *   10.0.1.1/24   10.0.1.254/24  10.0.2.254/24   10.0.2.1/24
 *   fd01::1/64         fd01::fe/64  fd02::fe/64         fd02::1/64
 *
 * cw-r forwards IPv4 and IPv6. Each test runs twice: with the module
 * loaded before the namespaces exist, and after.
 */

#include "helpers.h"
#include "kselftest_harness.h"

static const char topology[] =
	"set -e\n"
	"for ns in cw-a cw-r cw-b; do ip netns add $ns; ip -n $ns link set lo up; done\n"
	"ip link add va netns cw-a type veth peer ra netns cw-r\n"
	"ip link add vb netns cw-b type veth peer rb netns cw-r\n"
	"ip -n cw-a addr add 10.0.1.1/24 dev va\n"
	"ip -n cw-a addr add fd01::1/64 dev va nodad\n"
	"ip -n cw-r addr add 10.0.1.254/24 dev ra\n"
	"ip -n cw-r addr add fd01::fe/64 dev ra nodad\n"
	"ip -n cw-r addr add 10.0.2.254/24 dev rb\n"
	"ip -n cw-r addr add fd02::fe/64 dev rb nodad\n"
	"ip -n cw-b addr add 10.0.2.1/24 dev vb\n"
	"ip -n cw-b addr add fd02::1/64 dev vb nodad\n"
	"ip -n cw-a link set va up; ip -n cw-r link set ra up\n"
	"ip -n cw-r link set rb up; ip -n cw-b link set vb up\n"
	"ip -n cw-a route add default via 10.0.1.254\n"
	"ip -n cw-a -6 route add default via fd01::fe\n"
	"ip -n cw-b route add default via 10.0.2.254\n"
	"ip -n cw-b -6 route add default via fd02::fe\n"
	"ip netns exec cw-r sysctl -q -w net.ipv4.ip_forward=1\n"
	"ip netns exec cw-r sysctl -q -w net.ipv6.conf.all.forwarding=1\n";

/* Seconds per test: a KASAN kernel under emulation moves data slowly. */
#define TRAFFIC_TIMEOUT 300

struct snapshot {
	json_t *a, *r, *b;
};

static bool take(struct snapshot *s)
{
	s->a = cw_status("cw-a");
	s->r = cw_status("cw-r");
	s->b = cw_status("cw-b");
	return s->a && s->r && s->b;
}

static void drop(struct snapshot *s)
{
	json_decref(s->a);
	json_decref(s->r);
	json_decref(s->b);
}

/* How much a counter of one netns grew between two snapshots. */
static uint64_t delta(json_t *before, json_t *after, const char *scope,
		      const char *dir, const char *what)
{
	return cw_counter(after, scope, dir, what) - cw_counter(before, scope, dir, what);
}

FIXTURE(topology)
{
	struct snapshot before;
};

FIXTURE_VARIANT(topology)
{
	bool load_first;
};

FIXTURE_VARIANT_ADD(topology, loaded_before_netns)
{
	.load_first = true,
};

FIXTURE_VARIANT_ADD(topology, loaded_after_netns)
{
	.load_first = false,
};

FIXTURE_SETUP(topology)
{
	ASSERT_EQ(0, cw_module_unload());
	/* What a test that timed out (no teardown) may have left behind. */
	cw_sh("for ns in cw-a cw-r cw-b; do ip netns del $ns 2>/dev/null; done; pkill -x iperf3; pkill -x socat");
	if (variant->load_first)
		ASSERT_EQ(0, cw_module_load());
	ASSERT_EQ(0, cw_sh("%s", topology));
	if (!variant->load_first)
		ASSERT_EQ(0, cw_module_load());
	ASSERT_TRUE(take(&self->before));
}

FIXTURE_TEARDOWN(topology)
{
	drop(&self->before);
	cw_sh("for ns in cw-a cw-r cw-b; do ip netns del $ns 2>/dev/null; done");
	EXPECT_EQ(0, cw_module_unload());
}

TEST_F_TIMEOUT(topology, ping_raises_counters, TRAFFIC_TIMEOUT)
{
	struct snapshot after;

	ASSERT_EQ(0, cw_sh("ip netns exec cw-a ping -q -c 3 -i 0.2 -W 2 10.0.2.1 >/dev/null"));
	ASSERT_TRUE(take(&after));

	/* 3 echo requests out of a, through r, into b; 3 replies back. */
	EXPECT_LE(3ULL, delta(self->before.a, after.a, "netns", "out", "packets"));
	EXPECT_LE(3ULL, delta(self->before.a, after.a, "netns", "in", "packets"));
	EXPECT_LE(3ULL * 84, delta(self->before.a, after.a, "netns", "out", "bytes"));
	EXPECT_LE(6ULL, delta(self->before.r, after.r, "netns", "forward", "packets"));
	EXPECT_LE(3ULL, delta(self->before.b, after.b, "netns", "in", "packets"));
	EXPECT_LE(3ULL, delta(self->before.b, after.b, "netns", "out", "packets"));
	EXPECT_LE(3ULL * 84, delta(self->before.b, after.b, "netns", "in", "bytes"));
	EXPECT_LE(6ULL * 84, delta(self->before.r, after.r, "netns", "forward", "bytes"));
	/* "all" sums every netns, seen the same from each of them. */
	EXPECT_LE(18ULL, delta(self->before.a, after.a, "all", "in", "packets") +
		      delta(self->before.a, after.a, "all", "out", "packets") +
		      delta(self->before.a, after.a, "all", "forward", "packets"));
	EXPECT_LE(3ULL, delta(self->before.b, after.b, "all", "in", "packets"));
	drop(&after);
}

TEST_F_TIMEOUT(topology, ping6_raises_counters, TRAFFIC_TIMEOUT)
{
	struct snapshot after;

	ASSERT_EQ(0, cw_sh("ip netns exec cw-a ping -6 -q -c 3 -i 0.2 -W 2 fd02::1 >/dev/null"));
	ASSERT_TRUE(take(&after));

	EXPECT_LE(3ULL, delta(self->before.a, after.a, "netns", "out", "packets"));
	EXPECT_LE(3ULL, delta(self->before.a, after.a, "netns", "in", "packets"));
	EXPECT_LE(6ULL, delta(self->before.r, after.r, "netns", "forward", "packets"));
	EXPECT_LE(3ULL, delta(self->before.b, after.b, "netns", "in", "packets"));
	EXPECT_LE(3ULL * 104, delta(self->before.b, after.b, "netns", "in", "bytes"));
	drop(&after);
}

static bool start_iperf_server(void)
{
	if (cw_sh("ip netns exec cw-b iperf3 -s -D -B 10.0.2.1 -p 5201 >/dev/null"))
		return false;
	return cw_wait_for(5000, "ip netns exec cw-b ss -Hltn 'sport = 5201' | grep -q LISTEN");
}

TEST_F_TIMEOUT(topology, tcp_raises_counters, TRAFFIC_TIMEOUT)
{
	struct snapshot after;

	/*
	 * socat, not iperf3: an iperf3 server drops what is still in flight
	 * when the client reports the end, so fewer bytes cross the wire.
	 */
	ASSERT_EQ(0, cw_sh("ip netns exec cw-b socat -u TCP-LISTEN:5201,bind=10.0.2.1,reuseaddr "
			   "OPEN:/dev/null >/dev/null 2>&1 &"));
	ASSERT_TRUE(cw_wait_for(5000, "ip netns exec cw-b ss -Hltn 'sport = 5201' | grep -q LISTEN"));
	ASSERT_EQ(0, cw_sh("head -c 4194304 /dev/zero | ip netns exec cw-a socat -u - TCP:10.0.2.1:5201"));
	/* The client exits with its last bytes still in the socket buffer:
	 * wait up to 30 s for them to arrive. */
	for (int i = 0; ; i++) {
		ASSERT_TRUE(take(&after));
		if (i == 150 || delta(self->before.b, after.b, "netns", "in", "bytes") >= 4ULL << 20)
			break;
		drop(&after);
		usleep(200 * 1000);
	}

	EXPECT_LE(4ULL << 20, delta(self->before.a, after.a, "netns", "out", "bytes"));
	EXPECT_LE(4ULL << 20, delta(self->before.r, after.r, "netns", "forward", "bytes"));
	EXPECT_LE(4ULL << 20, delta(self->before.b, after.b, "netns", "in", "bytes"));
	/* The ACKs flow back. */
	EXPECT_LT(0ULL, delta(self->before.b, after.b, "netns", "out", "packets"));
	EXPECT_LT(0ULL, delta(self->before.a, after.a, "netns", "in", "packets"));
	drop(&after);
	cw_sh("pkill -x socat");
}

TEST_F_TIMEOUT(topology, disabled_stops_counting, TRAFFIC_TIMEOUT)
{
	struct snapshot off, after;

	ASSERT_EQ(0, cw_sh("sysctl -q -w net.cellwall.enabled=0"));
	ASSERT_TRUE(take(&off));
	/* Traffic still passes, untouched and uncounted. */
	EXPECT_EQ(0, cw_sh("ip netns exec cw-a ping -q -c 3 -i 0.2 -W 2 10.0.2.1 >/dev/null"));
	EXPECT_EQ(0, cw_sh("ip netns exec cw-a ping -6 -q -c 3 -i 0.2 -W 2 fd02::1 >/dev/null"));
	ASSERT_TRUE(take(&after));
	EXPECT_TRUE(json_is_false(json_object_get(after.a, "enabled")));
	EXPECT_TRUE(json_equal(json_object_get(off.a, "all"), json_object_get(after.a, "all")));
	EXPECT_TRUE(json_equal(json_object_get(off.b, "netns"), json_object_get(after.b, "netns")));
	drop(&off);
	drop(&after);

	/* And counting resumes. */
	ASSERT_EQ(0, cw_sh("sysctl -q -w net.cellwall.enabled=1"));
	ASSERT_TRUE(take(&off));
	EXPECT_EQ(0, cw_sh("ip netns exec cw-a ping -q -c 1 -W 2 10.0.2.1 >/dev/null"));
	ASSERT_TRUE(take(&after));
	EXPECT_LE(1ULL, delta(off.b, after.b, "netns", "in", "packets"));
	drop(&off);
	drop(&after);
}

/* Unloading under load: traffic goes on, the kernel log stays clean (the
 * VM runner scans it after the suite). */
TEST_F_TIMEOUT(topology, unload_during_iperf, TRAFFIC_TIMEOUT)
{
	ASSERT_TRUE(start_iperf_server());
	ASSERT_EQ(0, cw_sh("ip netns exec cw-a iperf3 -c 10.0.2.1 -p 5201 -t 4 "
			   ">/tmp/cw-iperf.log 2>&1 & echo $! >/tmp/cw-iperf.pid"));
	ASSERT_TRUE(cw_wait_for(5000, "ip netns exec cw-b ss -Htn state established "
				"'sport = 5201' | grep -q ."));
	usleep(500 * 1000);
	EXPECT_EQ(0, cw_module_unload());
	EXPECT_FALSE(cw_module_loaded());
	/* The transfer finishes normally after the module is gone. */
	EXPECT_EQ(0, cw_sh("while kill -0 $(cat /tmp/cw-iperf.pid) 2>/dev/null; do sleep 0.2; done; "
			   "grep -q receiver /tmp/cw-iperf.log"));
	cw_sh("pkill -x iperf3");
}

TEST_HARNESS_MAIN
