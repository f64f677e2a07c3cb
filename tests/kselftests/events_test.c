// SPDX-License-Identifier: GPL-2.0
/*
 * What events tell: the rate limit per source workload, with the count it
 * suppressed, and the receiver of an inbound connection to a workload that
 * shares the host's netns (found by the socket the connection reaches).
 */

#define _GNU_SOURCE
#include "container.h"
#include "kselftest_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define EVENTS_TIMEOUT 600
#define CT "ev-a"
#define RATE "/proc/sys/net/cellwall/event_rate"
#define HOST_CGROUP CW_CGROUP_ROOT "/cw-hostsvc"
#define BRIDGE_ADDR "10.99.0.254"

FIXTURE(events)
{
	struct cw_events events;
	long long rate;
};

static void clean(void)
{
	cw_ct_destroy(CT);
	cw_sh("echo 1 >" HOST_CGROUP "/cgroup.kill 2>/dev/null; "
	      "for i in $(seq 100); do rmdir " HOST_CGROUP " 2>/dev/null && break; sleep 0.1; done; "
	      "ip addr del " BRIDGE_ADDR "/24 dev " CW_BRIDGE " 2>/dev/null");
}

FIXTURE_SETUP(events)
{
	self->events.pid = -1;
	ASSERT_EQ(0, cw_module_unload());
	clean();
	ASSERT_EQ(0, cw_module_load());
	self->rate = cw_read_number(RATE);
	ASSERT_EQ(0, cw_ct_create(CT, 11));
	ASSERT_EQ(0, cw_group_add("ga", "protect"));
	ASSERT_EQ(0, cw_ct_register(CT, "ga"));
}

FIXTURE_TEARDOWN(events)
{
	cw_events_stop(&self->events);
	clean();
	EXPECT_EQ(0, cw_module_unload());
}

/* @count connection attempts from container @ct to @addr:@port, as fast as
 * they go (each one a new flow); returns once they are all sent. */
static bool connect_burst(const char *ct, const char *addr, int port, int count)
{
	int status;
	pid_t pid;

	pid = cw_ct_fork(ct);
	if (pid < 0)
		return false;
	if (!pid) {
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };

		inet_pton(AF_INET, addr, &to.sin_addr);
		for (int i = 0; i < count; i++) {
			int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

			/* The SYN leaves (and is judged) inside connect(). */
			if (fd < 0 || (connect(fd, (struct sockaddr *)&to, sizeof(to)) &&
				       errno != EINPROGRESS && errno != ECONNREFUSED))
				_exit(1);
			close(fd);
		}
		_exit(0);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status);
}

static bool is_violation(json_t *ev, void *arg)
{
	return !strcmp(cw_jstr(ev, CW_JK_TYPE), "VIOLATION") &&
	       cw_jnames(ev, CW_JK_FROM_WORKLOAD, CT, -1);
}

/* Events of one kind from the file so far, and the sum of their
 * suppressed counts. */
static int count_events(struct cw_events *ev, bool (*match)(json_t *, void *),
			long long *suppressed)
{
	char line[8192];
	int count = 0;
	FILE *f = fopen(ev->out, "r");

	*suppressed = 0;
	while (f && fgets(line, sizeof(line), f)) {
		json_t *event = json_loads(line, 0, NULL);

		if (event && match(event, NULL)) {
			count++;
			*suppressed += cw_jint(event, "suppressed");
		}
		json_decref(event);
	}
	if (f)
		fclose(f);
	return count;
}

/*
 * 30 refused connections in a burst under event_rate 2: a few events, the
 * rest suppressed and counted; the next event after the window reports
 * them, so that every refusal is accounted for.
 */
TEST_F_TIMEOUT(events, rate_limit_counts_what_it_suppresses, EVENTS_TIMEOUT)
{
	long long suppressed = 0;
	int seen = 0;

	ASSERT_EQ(0, cw_sysctl_set(RATE, 2));
	ASSERT_TRUE(cw_events_start(&self->events, "rate"));
	ASSERT_TRUE(connect_burst(CT, "10.99.0.250", 9, 30));
	/* A second later the window is new: one more refusal is reported
	 * with what was suppressed before it. */
	usleep(1500 * 1000);
	ASSERT_TRUE(connect_burst(CT, "10.99.0.250", 9, 1));
	for (int i = 0; i < 100; i++) {
		seen = count_events(&self->events, is_violation, &suppressed);
		if (seen + suppressed >= 31)
			break;
		usleep(200 * 1000);
	}
	EXPECT_LT(0, seen);
	EXPECT_GT(30, seen);
	EXPECT_LT(0, suppressed);
	EXPECT_EQ(31, seen + suppressed) {
		cw_sh("cat %s >&2", self->events.out);
	}
	EXPECT_EQ(0, cw_sysctl_set(RATE, self->rate));
}

struct ends {
	const char *type, *hook, *to_workload, *to_group;
};

static bool ends_match(json_t *ev, void *arg)
{
	const struct ends *want = arg;

	return !strcmp(cw_jstr(ev, CW_JK_TYPE), want->type) &&
	       !strcmp(cw_jstr(ev, CW_JK_HOOK), want->hook) &&
	       cw_jint(ev, CW_JK_DPORT) == 8080 &&
	       cw_jnames(ev, CW_JK_FROM_WORKLOAD, CT, -1) &&
	       (!want->to_workload || cw_jnames(ev, CW_JK_TO_WORKLOAD, want->to_workload, -1)) &&
	       cw_jnames(ev, CW_JK_TO_GROUP, want->to_group, -1);
}

/*
 * A workload with only a cgroup (host networking): a connection to its
 * socket is judged under its group, not the host's; the container's side
 * sees the host's address as the host group.
 */
TEST_F_TIMEOUT(events, host_network_workload_is_the_receiver, EVENTS_TIMEOUT)
{
	struct ends learn = { "LEARN", "egress", NULL, "host" };
	struct ends refused = { "VIOLATION", "ingress", "hostsvc", "hs" };
	const char *cli = cw_env("CW_CLI");
	json_t *ev;

	ASSERT_EQ(0, cw_sh("ip addr add " BRIDGE_ADDR "/24 dev " CW_BRIDGE));
	ASSERT_EQ(0, cw_sh("mkdir " HOST_CGROUP));
	ASSERT_EQ(0, cw_group_add("hs", "protect"));
	ASSERT_EQ(0, cw_sh("%s workload add hostsvc group hs cgroup " HOST_CGROUP " >&2", cli));
	ASSERT_EQ(0, cw_group_mode("ga", "discover"));
	ASSERT_EQ(0, cw_sh("sh -c 'echo $$ >" HOST_CGROUP "/cgroup.procs; exec socat "
			   "TCP-LISTEN:8080,bind=" BRIDGE_ADDR ",reuseaddr,fork PIPE' "
			   "</dev/null >/dev/null 2>&1 &"));
	ASSERT_TRUE(cw_wait_for(20000, "ss -Hlnt 'sport = 8080' | grep -q ."));
	ASSERT_TRUE(cw_events_start(&self->events, "hostnet"));

	/* Refused at the host's ingress, under hostsvc's protect mode. */
	EXPECT_NE(0, cw_ct_sh(CT, "echo hi | socat -T5 - TCP:" BRIDGE_ADDR ":8080"));
	ev = cw_events_wait(&self->events, 30000, ends_match, &refused);
	EXPECT_NE(NULL, ev) {
		cw_sh("cat %s >&2", self->events.out);
	}
	json_decref(ev);
	ev = cw_events_wait(&self->events, 30000, ends_match, &learn);
	EXPECT_NE(NULL, ev);
	json_decref(ev);

	/* Allowed once a rule says so. */
	ASSERT_EQ(0, cw_sh("%s rule add from ga to hs tcp/8080 allow >&2", cli));
	EXPECT_EQ(0, cw_ct_sh(CT, "echo hi | socat -T5 - TCP:" BRIDGE_ADDR ":8080 | grep -q hi"));
}

TEST_HARNESS_MAIN
