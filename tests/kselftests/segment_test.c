// SPDX-License-Identifier: GPL-2.0
/*
 * Micro-segmentation as a user sees it, between real containers (see
 * container.h for the topology): protect refuses what no rule allows and
 * refuses it at once, monitor lets it pass and says who did it, discover
 * learns a policy that protect then enforces; a policy swap cuts only what
 * it drops; containers nobody registered follow net.cellwall.default_mode;
 * a full flow table fails open or closed; unloading under thousands of
 * flows is clean; `cellwall flows` and `status` show what happened.
 *
 *   ct-a (10.99.0.1, fd99::1)  workload ct-a, group ga   the clients
 *   ct-b (10.99.0.2, fd99::2)  workload ct-b, group gb   the servers
 *   ct-u1, ct-u2 (.11, .12)    unregistered containers
 */

#define _GNU_SOURCE
#include "container.h"
#include "kselftest_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

/* Seconds per test: a KASAN kernel under emulation is slow. */
#define SEGMENT_TIMEOUT 400

#define A "ct-a"
#define B "ct-b"
#define X_A 1
#define X_B 2

#define POLICY_FILE "/tmp/cw-policy.json"
#define EXPORT_FILE "/tmp/cw-export.json"
#define SYSCTL "/proc/sys/net/cellwall/"

/* A denied TCP connect must be refused long before socat's own timeout
 * (a dropped SYN without a reset would hang for those 20 s). */
#define CONNECT_TIMEOUT 20
#define REFUSED_WITHIN_MS 10000

static const char *const all_containers[] = { A, B, "ct-u1", "ct-u2" };

static void clean_up(void)
{
	size_t i;

	for (i = 0; i < sizeof(all_containers) / sizeof(all_containers[0]); i++)
		cw_ct_destroy(all_containers[i]);
	cw_bridge_down();
	unlink(POLICY_FILE);
	unlink(EXPORT_FILE);
}

/* Containers ct-a and ct-b, registered in groups ga and gb (discover). */
static int two_containers(void)
{
	if (cw_ct_create(A, X_A) || cw_ct_create(B, X_B) || cw_module_load())
		return -1;
	if (cw_group_add("ga", "discover") || cw_group_add("gb", "discover"))
		return -1;
	return cw_ct_register(A, "ga") || cw_ct_register(B, "gb") ? -1 : 0;
}

static long long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000LL + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* A TCP echo server in container @ct on @port, for IPv@family (PIPE: no
 * exec per connection, slow on a debug kernel). */
static bool tcp_echo(const char *ct, int family, int port)
{
	return cw_ct_spawn(ct, NULL, "exec socat TCP%d-LISTEN:%d,fork,reuseaddr%s PIPE",
			   family, port, family == 6 ? ",ipv6only=1" : "") > 0 &&
	       cw_ct_listening(ct, "tcp", port);
}

static bool udp_echo(const char *ct, int family, int port)
{
	return cw_ct_spawn(ct, NULL, "exec socat UDP%d-RECVFROM:%d,fork%s PIPE",
			   family, port, family == 6 ? ",ipv6only=1" : "") > 0 &&
	       cw_ct_listening(ct, "udp", port);
}

/* What one exchange of a line saw. */
struct exchange {
	int status;		/* the client's exit status */
	long long ms;		/* how long it took */
	bool echoed;		/* the line came back */
	char what[128];		/* "TCP ct-a -> 10.99.0.2:8080" */
	char out[4096];		/* the client's output */
};

/*
 * Sends a line from container @from to container number @x, @port, over
 * "TCP" or "UDP", and waits for it to come back: a TCP client (socat) ends
 * when the server closes, a UDP one (a connected socket) at the answer,
 * at the ICMP error of a refusal, or after UDP_WAIT seconds. (socat's UDP
 * client would wait all of its -t after the answer too.)
 */
#define UDP_WAIT 15

static void exchange(struct exchange *e, const char *from, const char *proto,
		     int family, int x, int port)
{
	char host[64], line[64];
	struct timespec start;

	snprintf(line, sizeof(line), "cellwall-line-%d", port);
	snprintf(e->what, sizeof(e->what), "%s %s -> %s:%d", proto, from,
		 cw_ct_host(family, x, host, sizeof(host)), port);
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (proto[0] == 'T')
		e->status = cw_ct_capture(from, e->out, sizeof(e->out),
					  "echo %s | timeout 90 socat -t 30 - TCP%d:%s:%d,connect-timeout=%d",
					  line, family, cw_ct_host(family, x, host, sizeof(host)),
					  port, CONNECT_TIMEOUT);
	else
		e->status = cw_ct_capture(from, e->out, sizeof(e->out),
					  "python3 -c 'import socket\n"
					  "s = socket.socket(socket.AF_INET%s, socket.SOCK_DGRAM)\n"
					  "s.settimeout(%d)\n"
					  "s.connect((\"%s\", %d))\n"
					  "s.send(b\"%s\\n\")\n"
					  "print(s.recv(512).decode(), end=\"\")'",
					  family == 6 ? "6" : "", UDP_WAIT,
					  cw_ct_addr(family, x, host, sizeof(host)), port, line);
	e->ms = elapsed_ms(&start);
	e->echoed = strstr(e->out, line) != NULL;
}

static int ping(const char *from, int family, int x)
{
	char addr[64];

	return cw_ct_sh(from, "ping -%d -c 1 -W 5 %s >/dev/null 2>&1", family,
			cw_ct_addr(family, x, addr, sizeof(addr)));
}

/*
 * Loads a policy file with groups ga and gb in @mode_a and @mode_b and
 * @rules (JSON objects, comma separated), and sets those modes.
 */
static int load_policy(const char *mode_a, const char *mode_b, const char *rules)
{
	char text[16384];

	snprintf(text, sizeof(text),
		 "{\n \"groups\": [{\"name\": \"ga\", \"mode\": \"%s\"},\n"
		 "            {\"name\": \"gb\", \"mode\": \"%s\"}],\n"
		 " \"rules\": [%s]\n}\n", mode_a, mode_b, rules);
	if (cw_write_file(POLICY_FILE, text) ||
	    cw_sh("%s policy load %s >&2", cw_env("CW_CLI"), POLICY_FILE))
		return -1;
	return cw_group_mode("ga", mode_a) || cw_group_mode("gb", mode_b) ? -1 : 0;
}

/* One rule from ga to gb. */
#define RULE(id, ports, action) \
	"{\"id\": " #id ", \"from\": \"ga\", \"to\": \"gb\", \"ports\": [" ports "], " \
	"\"action\": \"" action "\"}"

/* Checks that a refused TCP connect was refused, and at once. */
#define EXPECT_REFUSED(e) do {							\
	EXPECT_NE(0, (e)->status) TH_LOG("%s: passed", (e)->what);		\
	EXPECT_FALSE((e)->echoed) TH_LOG("%s: passed", (e)->what);		\
	EXPECT_NE(NULL, strcasestr((e)->out, "refused"))			\
		TH_LOG("%s: not refused: %s", (e)->what, (e)->out);		\
	EXPECT_GT(REFUSED_WITHIN_MS, (e)->ms)					\
		TH_LOG("%s: refused after %lld ms", (e)->what, (e)->ms);	\
} while (0)

#define EXPECT_PASSED(e) do {							\
	EXPECT_EQ(0, (e)->status) TH_LOG("%s: %s", (e)->what, (e)->out);	\
	EXPECT_TRUE((e)->echoed) TH_LOG("%s: %s", (e)->what, (e)->out);	\
} while (0)

FIXTURE(segment)
{
	struct cw_events events;
	struct exchange e;
};

FIXTURE_VARIANT(segment)
{
	int family;
};

FIXTURE_VARIANT_ADD(segment, ipv4)
{
	.family = 4,
};

FIXTURE_VARIANT_ADD(segment, ipv6)
{
	.family = 6,
};

FIXTURE_SETUP(segment)
{
	self->events.pid = -1;
	ASSERT_EQ(0, cw_module_unload());
	clean_up();
	ASSERT_EQ(0, two_containers());
}

FIXTURE_TEARDOWN(segment)
{
	cw_events_stop(&self->events);
	clean_up();
	EXPECT_EQ(0, cw_module_unload());
}

/* Protect at both ends: the rule's port passes, the next one is refused. */
TEST_F_TIMEOUT(segment, protect_tcp, SEGMENT_TIMEOUT)
{
	ASSERT_TRUE(tcp_echo(B, variant->family, 8080));
	ASSERT_TRUE(tcp_echo(B, variant->family, 8081));
	/* Both servers answer before any policy. */
	exchange(&self->e, A, "TCP", variant->family, X_B, 8081);
	EXPECT_PASSED(&self->e);

	ASSERT_EQ(0, load_policy("protect", "protect", RULE(1, "\"tcp/8080\"", "allow")));
	exchange(&self->e, A, "TCP", variant->family, X_B, 8080);
	EXPECT_PASSED(&self->e);
	exchange(&self->e, A, "TCP", variant->family, X_B, 8081);
	EXPECT_REFUSED(&self->e);
	/* Nothing allows the way back. */
	ASSERT_TRUE(tcp_echo(A, variant->family, 8080));
	exchange(&self->e, B, "TCP", variant->family, X_A, 8080);
	EXPECT_REFUSED(&self->e);
	/* An explicit deny wins over an allow of the same port. */
	ASSERT_EQ(0, load_policy("protect", "protect",
				 RULE(1, "\"tcp/8080\"", "allow") ",\n"
				 RULE(2, "\"tcp/8000-8090\"", "deny")));
	exchange(&self->e, A, "TCP", variant->family, X_B, 8080);
	EXPECT_REFUSED(&self->e);
}

/* Only the server protects: its ingress refuses, with a reset too. */
TEST_F_TIMEOUT(segment, protect_tcp_at_ingress, SEGMENT_TIMEOUT)
{
	ASSERT_TRUE(tcp_echo(B, variant->family, 8080));
	ASSERT_TRUE(tcp_echo(B, variant->family, 8081));
	ASSERT_EQ(0, load_policy("discover", "protect", RULE(1, "\"tcp/8080\"", "allow")));
	exchange(&self->e, A, "TCP", variant->family, X_B, 8080);
	EXPECT_PASSED(&self->e);
	exchange(&self->e, A, "TCP", variant->family, X_B, 8081);
	EXPECT_REFUSED(&self->e);
}

TEST_F_TIMEOUT(segment, protect_udp, SEGMENT_TIMEOUT)
{
	ASSERT_TRUE(udp_echo(B, variant->family, 9000));
	ASSERT_TRUE(udp_echo(B, variant->family, 9001));
	exchange(&self->e, A, "UDP", variant->family, X_B, 9001);
	EXPECT_PASSED(&self->e);

	ASSERT_EQ(0, load_policy("protect", "protect", RULE(1, "\"udp/9000\"", "allow")));
	exchange(&self->e, A, "UDP", variant->family, X_B, 9000);
	EXPECT_PASSED(&self->e);
	exchange(&self->e, A, "UDP", variant->family, X_B, 9001);
	EXPECT_FALSE(self->e.echoed) TH_LOG("%s", self->e.out);
	/* The sender hears of it (ICMP administratively prohibited). */
	EXPECT_NE(0, self->e.status) TH_LOG("%s", self->e.out);
}

TEST_F_TIMEOUT(segment, protect_icmp, SEGMENT_TIMEOUT)
{
	EXPECT_EQ(0, ping(A, variant->family, X_B));
	ASSERT_EQ(0, load_policy("protect", "protect", RULE(1, "\"tcp/8080\"", "allow")));
	EXPECT_NE(0, ping(A, variant->family, X_B));
	ASSERT_EQ(0, load_policy("protect", "protect",
				 RULE(1, "\"tcp/8080\"", "allow") ",\n" RULE(2, "\"icmp\"", "allow")));
	EXPECT_EQ(0, ping(A, variant->family, X_B));
	/* Only that way. */
	EXPECT_NE(0, ping(B, variant->family, X_A));
}

/* An event names both ends, workload names or ids. */
struct expected_event {
	const char *type, *proto, *comm;
	int dport;
	long long from_id, to_id;
	bool groups_only;	/* LEARN: match the groups, not the workloads */
};

static bool event_matches(json_t *ev, void *arg)
{
	const struct expected_event *want = arg;

	if (strcmp(cw_jstr(ev, CW_JK_TYPE), want->type) ||
	    strcmp(cw_jstr(ev, CW_JK_PROTO), want->proto) ||
	    cw_jint(ev, CW_JK_DPORT) != want->dport)
		return false;
	if (!cw_jnames(ev, CW_JK_FROM_GROUP, "ga", -1) ||
	    !cw_jnames(ev, CW_JK_TO_GROUP, "gb", -1))
		return false;
	if (want->groups_only)
		return true;
	if (!cw_jnames(ev, CW_JK_FROM_WORKLOAD, A, want->from_id) ||
	    !cw_jnames(ev, CW_JK_TO_WORKLOAD, B, want->to_id))
		return false;
	return !want->comm || (!strcmp(cw_jstr(ev, CW_JK_COMM), want->comm) &&
			       cw_jint(ev, CW_JK_PID) > 0);
}

/* Monitor: the connection passes, a VIOLATION names both ends and the client. */
TEST_F_TIMEOUT(segment, monitor_reports_violation, SEGMENT_TIMEOUT)
{
	struct expected_event want = {
		.type = "VIOLATION", .proto = "tcp", .comm = "socat", .dport = 8080,
	};
	json_t *ev;

	want.from_id = cw_workload_id(A);
	want.to_id = cw_workload_id(B);
	ASSERT_TRUE(tcp_echo(B, variant->family, 8080));
	ASSERT_EQ(0, load_policy("monitor", "monitor", ""));
	ASSERT_TRUE(cw_events_start(&self->events, "monitor"));

	exchange(&self->e, A, "TCP", variant->family, X_B, 8080);
	EXPECT_PASSED(&self->e);
	ev = cw_events_wait(&self->events, 30000, event_matches, &want);
	EXPECT_NE(NULL, ev) {
		cw_sh("echo 'events seen:' >&2; cat %s >&2", self->events.out);
	}
	json_decref(ev);
}

/*
 * Discover: what passes is learned; the exported policy, loaded and put
 * in protect, lets the same traffic pass and refuses anything new.
 */
TEST_F_TIMEOUT(segment, discover_learn_then_protect, SEGMENT_TIMEOUT)
{
	struct expected_event want = {
		.type = "LEARN", .proto = "tcp", .dport = 8080, .groups_only = true,
	};
	char out[16384];
	json_t *ev;

	ASSERT_TRUE(tcp_echo(B, variant->family, 8080));
	ASSERT_TRUE(tcp_echo(B, variant->family, 8081));
	ASSERT_TRUE(cw_events_start(&self->events, "discover"));
	exchange(&self->e, A, "TCP", variant->family, X_B, 8080);
	EXPECT_PASSED(&self->e);
	ev = cw_events_wait(&self->events, 30000, event_matches, &want);
	EXPECT_NE(NULL, ev) {
		cw_sh("echo 'events seen:' >&2; cat %s >&2", self->events.out);
	}
	json_decref(ev);

	ASSERT_EQ(0, cw_sh("%s policy export -o %s >&2", cw_env("CW_CLI"), EXPORT_FILE));
	EXPECT_EQ(0, cw_sh("grep -q learned %s", EXPORT_FILE)) {
		cw_sh("cat %s >&2", EXPORT_FILE);
	}
	ASSERT_EQ(0, cw_sh("%s policy load %s >&2", cw_env("CW_CLI"), EXPORT_FILE));
	ASSERT_EQ(0, cw_group_mode("ga", "protect"));
	ASSERT_EQ(0, cw_group_mode("gb", "protect"));

	exchange(&self->e, A, "TCP", variant->family, X_B, 8080);
	EXPECT_PASSED(&self->e);
	exchange(&self->e, A, "TCP", variant->family, X_B, 8081);
	EXPECT_REFUSED(&self->e);
	if (!_metadata->passed) {
		cw_capture(out, sizeof(out), "cat %s; %s rule list", EXPORT_FILE,
			   cw_env("CW_CLI"));
		TH_LOG("%s", out);
	}
}

/* ---- the sockets of the tests below, opened by forked children ---- */

static socklen_t ct_sockaddr(int family, int x, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	char addr[64];

	memset(ss, 0, sizeof(*ss));
	cw_ct_addr(family, x, addr, sizeof(addr));
	if (family == 6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &sin6->sin6_addr);
		return sizeof(*sin6);
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, addr, &sin->sin_addr);
	return sizeof(*sin);
}

/* A TCP connection to container @x, @port, within @ms: the socket, or -1. */
static int connect_within(int family, int x, int port, int ms)
{
	struct sockaddr_storage ss;
	socklen_t len = ct_sockaddr(family, x, port, &ss);
	int fd, err = 0;
	socklen_t errlen = sizeof(err);
	struct pollfd pfd;

	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS)
		goto fail;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, ms) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) || err)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* The child's end: report @value to the parent on @fd. */
static void report(int fd, int value)
{
	if (write(fd, &value, sizeof(value)) != sizeof(value))
		_exit(96);
}

/* The parent's end: the value, or -1 if the child died first. */
static int collect(int fd)
{
	int value;

	return read(fd, &value, sizeof(value)) == sizeof(value) ? value : -1;
}

/* In container @ct, a TCP listener on @port that never accepts: the
 * kernel completes connections into its queue. */
static pid_t idle_listener(const char *ct, int family, int port)
{
	struct sockaddr_storage ss;
	int fd, one = 1;
	pid_t pid;

	pid = cw_ct_fork(ct);
	if (pid)
		return pid;
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = family == 6 ? AF_INET6 : AF_INET;
	if (family == 6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, sizeof(ss)) || listen(fd, 4096))
		_exit(1);
	for (;;)
		pause();
}

/*
 * From container @ct: @count TCP connections to container @x, @port, one
 * after the other (each within @ms), held open until the container dies.
 * Returns how many were established.
 */
static int hold_connections(const char *ct, int family, int x, int port, int count, int ms)
{
	int pipefd[2], n = 0, i, ret;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = cw_ct_fork(ct);
	if (!pid) {
		close(pipefd[0]);
		for (i = 0; i < count; i++)
			if (connect_within(family, x, port, ms) >= 0)
				n++;
		report(pipefd[1], n);
		for (;;)
			pause();
	}
	close(pipefd[1]);
	ret = pid > 0 ? collect(pipefd[0]) : -1;
	close(pipefd[0]);
	return ret;
}

/* From container @ct: whether a new connection gets through within @ms. */
static bool try_connect(const char *ct, int family, int x, int port, int ms)
{
	int status;
	pid_t pid;

	pid = cw_ct_fork(ct);
	if (!pid)
		_exit(connect_within(family, x, port, ms) >= 0 ? 0 : 1);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/*
 * From container @ct: one datagram to container @x, @port from each
 * source port first_sport .. first_sport + count - 1: @count new flows.
 * Returns how many were sent.
 */
static int udp_flows(const char *ct, int family, int x, int port, int first_sport, int count)
{
	int pipefd[2], n = 0, i, fd, ret, status;
	struct sockaddr_storage to, from;
	socklen_t len;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = cw_ct_fork(ct);
	if (!pid) {
		close(pipefd[0]);
		len = ct_sockaddr(family, x, port, &to);
		for (i = 0; i < count; i++) {
			memset(&from, 0, sizeof(from));
			from.ss_family = to.ss_family;
			if (family == 6)
				((struct sockaddr_in6 *)&from)->sin6_port = htons(first_sport + i);
			else
				((struct sockaddr_in *)&from)->sin_port = htons(first_sport + i);
			fd = socket(to.ss_family, SOCK_DGRAM, 0);
			if (fd < 0)
				continue;
			if (!bind(fd, (struct sockaddr *)&from, len) &&
			    sendto(fd, "x", 1, 0, (struct sockaddr *)&to, len) == 1)
				n++;
			close(fd);
		}
		report(pipefd[1], n);
		_exit(0);
	}
	close(pipefd[1]);
	ret = pid > 0 ? collect(pipefd[0]) : -1;
	close(pipefd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return ret;
}

/* ---- one family is enough for these ---- */

FIXTURE(table)
{
	struct cw_events events;
	struct exchange e;
};

FIXTURE_SETUP(table)
{
	self->events.pid = -1;
	ASSERT_EQ(0, cw_module_unload());
	clean_up();
	unlink("/tmp/cw-iperf.log");
	unlink("/tmp/cw-iperf.rc");
	ASSERT_EQ(0, two_containers());
}

FIXTURE_TEARDOWN(table)
{
	cw_events_stop(&self->events);
	clean_up();
	EXPECT_EQ(0, cw_module_unload());
}

/*
 * From container @ct, a connection to container @x, @port that a parent
 * drives: it sends and checks a line at once, then again each time it
 * reads a byte from @go. Reports 1 when the line came back, 2 when the
 * connection was reset or closed, 3 when nothing came back in 20 s.
 */
static pid_t driven_connection(const char *ct, int x, int port, int go, int result)
{
	char buf[64];
	struct pollfd pfd;
	int fd, n, round;
	pid_t pid;

	pid = cw_ct_fork(ct);
	if (pid)
		return pid;
	fd = connect_within(4, x, port, 20000);
	if (fd < 0) {
		report(result, 2);
		_exit(0);
	}
	for (round = 0; ; round++) {
		if (round && read(go, buf, 1) != 1)
			_exit(0);
		n = snprintf(buf, sizeof(buf), "round %d\n", round);
		if (send(fd, buf, n, MSG_NOSIGNAL) != n) {
			report(result, 2);
			continue;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 20000) != 1) {
			report(result, 3);
			continue;
		}
		n = recv(fd, buf, sizeof(buf), 0);
		report(result, n > 0 ? 1 : 2);
	}
}

/*
 * A policy swap keeps what it still allows and cuts what it drops: an
 * iperf3 run (rule 1) goes on to the end, a second connection (rule 2)
 * is reset at its next send.
 */
TEST_F_TIMEOUT(table, policy_swap_during_iperf, SEGMENT_TIMEOUT)
{
	int go[2], result[2];
	char log[16384];

	ASSERT_LT(0, cw_ct_spawn(B, NULL, "exec iperf3 -s -p 5201"));
	ASSERT_TRUE(cw_ct_listening(B, "tcp", 5201));
	ASSERT_TRUE(tcp_echo(B, 4, 7000));
	ASSERT_EQ(0, load_policy("protect", "protect",
				 RULE(1, "\"tcp/5201\"", "allow") ",\n"
				 RULE(2, "\"tcp/7000\"", "allow")));

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(result));
	ASSERT_LT(0, driven_connection(A, X_B, 7000, go[0], result[1]));
	ASSERT_EQ(1, collect(result[0]));

	ASSERT_LT(0, cw_ct_spawn(A, NULL, "iperf3 -c 10.99.0.2 -p 5201 -t 10 --forceflush "
				 ">/tmp/cw-iperf.log 2>&1; echo $? >/tmp/cw-iperf.rc"));
	/* Swap once data flows (iperf3 reports each second, flushed). */
	ASSERT_TRUE(cw_wait_for(60000, "grep -qs 'sec ' /tmp/cw-iperf.log"));
	ASSERT_EQ(0, load_policy("protect", "protect", RULE(1, "\"tcp/5201\"", "allow")));
	EXPECT_NE(0, access("/tmp/cw-iperf.rc", F_OK)) {
		cw_capture(log, sizeof(log), "cat /tmp/cw-iperf.log /tmp/cw-iperf.rc");
		TH_LOG("iperf3 ended before the swap: %s", log);
	}

	/* The dropped connection is reset at its next send. */
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(2, collect(result[0]));

	ASSERT_TRUE(cw_wait_for(180000, "test -s /tmp/cw-iperf.rc"));
	cw_capture(log, sizeof(log), "cat /tmp/cw-iperf.log");
	EXPECT_EQ(0, cw_sh("grep -qx 0 /tmp/cw-iperf.rc")) TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, "receiver")) TH_LOG("%s", log);
	close(go[1]);
}

/*
 * Containers nobody registered get net.cellwall.default_mode: discover
 * and monitor let them talk, protect refuses.
 */
TEST_F_TIMEOUT(table, unregistered_default_mode, SEGMENT_TIMEOUT)
{
	int mode, family;

	ASSERT_EQ(0, cw_ct_create("ct-u1", 11));
	ASSERT_EQ(0, cw_ct_create("ct-u2", 12));
	ASSERT_TRUE(tcp_echo("ct-u2", 4, 8080));
	ASSERT_TRUE(tcp_echo("ct-u2", 6, 8080));
	/* A sysctl that is refused must say so (sysctl(8) would not). */
	EXPECT_NE(0, cw_sysctl_set(SYSCTL "default_mode", 4));
	EXPECT_NE(0, cw_sysctl_set(SYSCTL "default_mode", 0));

	for (mode = 1; mode <= 3; mode++) {
		ASSERT_EQ(0, cw_sysctl_set(SYSCTL "default_mode", mode));
		for (family = 4; family <= 6; family += 2) {
			exchange(&self->e, "ct-u1", "TCP", family, 12, 8080);
			if (mode < 3) {
				EXPECT_PASSED(&self->e);
			} else {
				EXPECT_REFUSED(&self->e);
			}
			if (!_metadata->passed) {
				TH_LOG("with default_mode %d", mode);
				return;
			}
		}
	}
	/* Registering the container takes it out of "unknown". */
	ASSERT_EQ(0, cw_ct_register("ct-u1", "ga"));
	ASSERT_EQ(0, cw_ct_register("ct-u2", "gb"));
	exchange(&self->e, "ct-u1", "TCP", 4, 12, 8080);
	EXPECT_PASSED(&self->e);
}

/* The counters of the flow table of @ct's netns, read at once. */
struct table_counters {
	long long active, evicted, full_accepted, full_dropped;
};

static bool table_counters(const char *ct, struct table_counters *c)
{
	json_t *status = cw_status(ct);

	if (!status)
		return false;
	c->active = cw_status_flows(status, CW_JK_FLOWS_ACTIVE);
	c->evicted = cw_status_flows(status, CW_JK_FLOWS_EVICTED);
	c->full_accepted = cw_status_flows(status, CW_JK_FLOWS_FULL_ACCEPTED);
	c->full_dropped = cw_status_flows(status, CW_JK_FLOWS_FULL_DROPPED);
	json_decref(status);
	return c->active >= 0 && c->evicted >= 0 && c->full_accepted >= 0 &&
	       c->full_dropped >= 0;
}

#define MAX_FLOWS 50

/* Polls ct-a's table for up to @ms until at most @active flows are left. */
static bool drained(const char *ct, long long active, int ms)
{
	struct table_counters c;
	int waited;

	for (waited = 0; waited <= ms; waited += 200) {
		if (table_counters(ct, &c) && c.active <= active)
			return true;
		usleep(200 * 1000);
	}
	return false;
}

/*
 * ct-a's flow table with room for 50 flows:
 * - unanswered datagrams from 2000 source ports: each new flow evicts an
 *   unestablished one when it finds one in the few buckets it searches,
 *   so some do, and the table never holds more than 50;
 * - once those have expired, more established connections than it holds:
 *   the first 50 get flows, the others pass untracked (fail_open=1);
 * - then, with nothing left to evict, new connections pass untracked
 *   (fail_open=1) or are dropped (fail_open=0), and are counted.
 */
static void full_table(struct __test_metadata *_metadata, int fail_open)
{
	struct table_counters c, full, after;
	int i, passed = 0;

	ASSERT_EQ(0, cw_sysctl_set(SYSCTL "max_flows", MAX_FLOWS));
	ASSERT_EQ(0, cw_sysctl_set(SYSCTL "fail_open", 1));
	ASSERT_LT(0, idle_listener(B, 4, 7100));
	ASSERT_TRUE(cw_ct_listening(B, "tcp", 7100));

	/* Nobody has 10.99.0.250: these flows never get an answer. */
	ASSERT_EQ(2000, udp_flows(A, 4, 250, 9, 30000, 2000));
	ASSERT_TRUE(table_counters(A, &c));
	EXPECT_GE(MAX_FLOWS, c.active);
	EXPECT_LE(1, c.evicted);
	TH_LOG("after 2000 datagrams: active %lld evicted %lld full_accepted %lld",
	       c.active, c.evicted, c.full_accepted);

	/* Let them (and any other datagram's flow) expire. */
	ASSERT_EQ(0, cw_sysctl_set(SYSCTL "timeout_udp", 1));
	ASSERT_EQ(0, cw_sysctl_set(SYSCTL "timeout_icmp", 1));
	ASSERT_EQ(0, cw_sysctl_set(SYSCTL "timeout_other", 1));
	ASSERT_TRUE(drained(A, 0, 30000));

	ASSERT_EQ(80, hold_connections(A, 4, X_B, 7100, 80, 10000));
	ASSERT_TRUE(table_counters(A, &full));
	EXPECT_GE(MAX_FLOWS, full.active);
	EXPECT_LE(MAX_FLOWS - 5, full.active);
	/* The connections past the table's size went through untracked. */
	EXPECT_LT(c.full_accepted, full.full_accepted);

	ASSERT_EQ(0, cw_sysctl_set(SYSCTL "fail_open", fail_open));
	for (i = 0; i < 3; i++)
		passed += try_connect(A, 4, X_B, 7100, 3000);
	ASSERT_TRUE(table_counters(A, &after));
	if (fail_open) {
		EXPECT_EQ(3, passed);
		EXPECT_LT(full.full_accepted, after.full_accepted);
	} else {
		EXPECT_EQ(0, passed);
		EXPECT_LT(full.full_dropped, after.full_dropped);
	}
	TH_LOG("ct-a flows: active %lld evicted %lld full_accepted %lld full_dropped %lld",
	       after.active, after.evicted, after.full_accepted, after.full_dropped);
}

TEST_F_TIMEOUT(table, full_table_fail_open, SEGMENT_TIMEOUT)
{
	full_table(_metadata, 1);
}

TEST_F_TIMEOUT(table, full_table_fail_closed, SEGMENT_TIMEOUT)
{
	full_table(_metadata, 0);
}

/*
 * Unloading with thousands of live flows (and events on their way):
 * rmmod succeeds and the traffic goes on. The VM runner fails the run on
 * any warning or leak the kernel reports.
 */
TEST_F_TIMEOUT(table, unload_with_live_flows, SEGMENT_TIMEOUT)
{
	struct table_counters c;

	ASSERT_TRUE(tcp_echo(B, 4, 8080));
	ASSERT_LT(0, idle_listener(B, 4, 7100));
	ASSERT_TRUE(cw_ct_listening(B, "tcp", 7100));
	ASSERT_EQ(0, load_policy("monitor", "monitor", ""));
	/* A debug kernel takes longer than timeout_udp to send them all. */
	ASSERT_EQ(0, cw_sysctl_set(SYSCTL "timeout_udp", 3600));
	ASSERT_TRUE(cw_events_start(&self->events, "unload"));

	EXPECT_EQ(3000, udp_flows(A, 4, X_B, 9999, 20000, 3000));
	EXPECT_EQ(3000, udp_flows(A, 6, X_B, 9999, 20000, 3000));
	EXPECT_EQ(200, hold_connections(A, 4, X_B, 7100, 200, 10000));
	ASSERT_TRUE(table_counters(A, &c));
	EXPECT_LE(6000, c.active);

	EXPECT_EQ(0, cw_module_unload());
	EXPECT_FALSE(cw_module_loaded());
	exchange(&self->e, A, "TCP", 4, X_B, 8080);
	EXPECT_PASSED(&self->e);
	EXPECT_EQ(0, ping(A, 6, X_B));
}

/* `cellwall flows -j`: a held connection, seen from both ends. */
TEST_F_TIMEOUT(table, flows_json, SEGMENT_TIMEOUT)
{
	long long from_id = cw_workload_id(A), to_id = cw_workload_id(B);
	int go[2], result[2], seen = 0;
	json_t *flows, *f;
	size_t i;

	ASSERT_TRUE(tcp_echo(B, 4, 8080));
	ASSERT_EQ(0, load_policy("protect", "protect", RULE(7, "\"tcp/8080\"", "allow")));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(result));
	ASSERT_LT(0, driven_connection(A, X_B, 8080, go[0], result[1]));
	ASSERT_EQ(1, collect(result[0]));

	flows = cw_flows();
	ASSERT_NE(NULL, flows);
	json_array_foreach(flows, i, f) {
		if (strcmp(cw_jstr(f, CW_JK_PROTO), "tcp") || cw_jint(f, CW_JK_DPORT) != 8080)
			continue;
		seen++;
		EXPECT_TRUE(cw_jnames(f, CW_JK_FROM_WORKLOAD, A, from_id));
		EXPECT_TRUE(cw_jnames(f, CW_JK_TO_WORKLOAD, B, to_id));
		EXPECT_TRUE(cw_jnames(f, CW_JK_FROM_GROUP, "ga", -1));
		EXPECT_TRUE(cw_jnames(f, CW_JK_TO_GROUP, "gb", -1));
		EXPECT_STREQ("established", cw_jstr(f, CW_JK_STATE));
		EXPECT_STREQ("allow", cw_jstr(f, CW_JK_VERDICT));
		/* SYN, ACK, the line: at least 3 packets and the line's bytes. */
		EXPECT_LE(3, cw_jint(f, CW_JK_PACKETS_ORIG));
		EXPECT_LE(2, cw_jint(f, CW_JK_PACKETS_REPLY));
		EXPECT_LE(3 * 40 + 8, cw_jint(f, CW_JK_BYTES_ORIG));
		EXPECT_LE(2 * 40 + 8, cw_jint(f, CW_JK_BYTES_REPLY));
		if (!_metadata->passed) {
			char *text = json_dumps(f, JSON_INDENT(2));

			TH_LOG("%s", text);
			free(text);
			break;
		}
	}
	/* One at ct-a's egress, one at ct-b's ingress. */
	EXPECT_EQ(2, seen);
	json_decref(flows);
	close(go[1]);
}

/*
 * A flow costs at most 448 bytes (seven cache lines), its DPI state, what
 * DPI found and its threat checks included; a debug kernel's lock
 * debugging (where kmemleak is there too) adds 64.
 */
TEST_F_TIMEOUT(table, status_entry_size, SEGMENT_TIMEOUT)
{
	long long most = access("/sys/kernel/debug/kmemleak", F_OK) ? 448 : 512;
	json_t *status = cw_status(NULL);

	ASSERT_NE(NULL, status);
	EXPECT_LT(0, cw_status_entry_size(status));
	EXPECT_GE(most, cw_status_entry_size(status));
	json_decref(status);
}

TEST_HARNESS_MAIN
