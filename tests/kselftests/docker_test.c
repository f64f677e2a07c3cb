// SPDX-License-Identifier: GPL-2.0
/*
 * The runtimes the daemon's tests stand on (runtime.h) work in the guest:
 * dockerd runs containers of the imported busybox image in cgroups
 * /docker/<id>, on docker0, with a netns each; rsyslogd takes local0 from
 * /dev/log and RFC 5424 messages over UDP and TCP; and stopping them
 * leaves the guest as it was. No cellwall module here.
 */

#define _GNU_SOURCE
#include "runtime.h"
#include "kselftest_harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>

/* dockerd's start (about 15 s under TCG, more on a busy machine), an
 * import, and a docker client that takes a second per call. */
#define DOCKER_TIMEOUT 300
#define SYSLOG_TIMEOUT 60

#define LOCAL_LOG "/tmp/cw-docker-test-local.log"
#define REMOTE_LOG "/tmp/cw-docker-test-remote.log"

/* Every container of this file, for the teardown. */
#define CONTAINERS "cwt-one cwt-two cwt-srv cwt-cli cwt-left"

FIXTURE(docker)
{
};

FIXTURE_SETUP(docker)
{
	ASSERT_EQ(0, cw_dockerd_start());
	ASSERT_EQ(0, cw_docker_image());
}

FIXTURE_TEARDOWN(docker)
{
	EXPECT_EQ(0, cw_docker_rm(CONTAINERS));
}

/* A docker id: 64 lowercase hex digits. */
static bool is_docker_id(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++)
		if (!isxdigit((unsigned char)id[i]) || isupper((unsigned char)id[i]))
			return false;
	return i == 64;
}

/* Waits up to @ms for @path not to exist. */
static bool gone(const char *path, int ms)
{
	for (int waited = 0; !access(path, F_OK); waited += 50) {
		if (waited >= ms)
			return false;
		usleep(50 * 1000);
	}
	return true;
}

/* The contents of small file @path as a number of seconds; -1 if none. */
static double read_seconds(const char *path)
{
	double secs = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%lf", &secs) != 1)
			secs = -1;
		fclose(f);
	}
	return secs;
}

/* Waits up to @ms for process @pid to be named @comm. */
static bool comm_is(pid_t pid, const char *comm, int ms)
{
	return cw_wait_for(ms, "grep -qx %s /proc/%d/comm", comm, pid);
}

/*
 * Two containers run the command they were given, each in its own cgroup
 * /docker/<id> (populated), and `docker rm -f` removes that cgroup and
 * its process and nothing of the other container. Each one also says
 * when its command ran (/proc/uptime is CLOCK_BOOTTIME), to measure
 * `docker run`.
 */
TEST_F_TIMEOUT(docker, containers_run_in_docker_cgroups, DOCKER_TIMEOUT)
{
	const char *names[2] = { "cwt-one", "cwt-two" };
	char ids[2][128], cgroup[256], want[256], path[512];
	double before, returned, ran;
	pid_t pids[2];

	for (int i = 0; i < 2; i++) {
		before = cw_boottime();
		ASSERT_EQ(0, cw_docker_run(ids[i], sizeof(ids[i]), names[i], NULL,
					   "sh -c 'cat /proc/uptime >/ran; exec sleep 1000'"));
		returned = cw_boottime();
		ASSERT_TRUE(is_docker_id(ids[i])) TH_LOG("id '%s'", ids[i]);
		pids[i] = cw_docker_pid(names[i]);
		ASSERT_LT(0, pids[i]);
		/* Its command, in the test's pid namespace (runc's init execs
		 * it at `runc start`: maybe after docker run returned). */
		ASSERT_TRUE(comm_is(pids[i], "sleep", 10000));
		/* Its root is the image's. */
		snprintf(path, sizeof(path), "/proc/%d/root/ran", pids[i]);
		ran = read_seconds(path);
		ASSERT_LT(before, ran) TH_LOG("%s: %.2f", path, ran);
		cw_rt_diag("docker run %s: its command ran after %.2f s, "
			   "docker run returned after %.2f s",
			   names[i], ran - before, returned - before);

		snprintf(want, sizeof(want), "/docker/%s", ids[i]);
		ASSERT_EQ(0, cw_proc_cgroup(pids[i], cgroup, sizeof(cgroup)));
		EXPECT_STREQ(want, cgroup);
		snprintf(path, sizeof(path), CW_DOCKER_CGROUP "/%s", ids[i]);
		EXPECT_EQ(1, cw_cgroup_populated(path));
	}
	EXPECT_STRNE(ids[0], ids[1]);
	EXPECT_NE(pids[0], pids[1]);

	ASSERT_EQ(0, cw_docker_rm(names[0]));
	snprintf(path, sizeof(path), CW_DOCKER_CGROUP "/%s", ids[0]);
	EXPECT_TRUE(gone(path, 10000)) TH_LOG("%s stayed after docker rm -f", path);
	EXPECT_FALSE(cw_proc_alive(pids[0]));
	/* The other one runs on. */
	snprintf(path, sizeof(path), CW_DOCKER_CGROUP "/%s", ids[1]);
	EXPECT_EQ(1, cw_cgroup_populated(path));
	EXPECT_TRUE(cw_proc_alive(pids[1]));
}

/*
 * TCP from one container to another over docker0 (busybox nc), and the
 * server's netns is the one at /proc/PID/ns/net: not the test's, and the
 * one with the address docker gave it.
 */
TEST_F_TIMEOUT(docker, tcp_between_containers, DOCKER_TIMEOUT)
{
	char id[128], ip[64], out[4096], ns[64], text[96], got[256];
	struct stat ours, theirs;
	struct in_addr addr;
	pid_t srv;
	int fd;

	/* What it receives stays readable from here, through its root. */
	ASSERT_EQ(0, cw_docker_run(id, sizeof(id), "cwt-srv", NULL,
				   "sh -c 'nc -l -p 8080 >/got; exec sleep 1000'"));
	ASSERT_EQ(0, cw_docker_ip("cwt-srv", ip, sizeof(ip)));
	ASSERT_EQ(1, inet_pton(AF_INET, ip, &addr)) TH_LOG("address '%s'", ip);
	srv = cw_docker_pid("cwt-srv");
	ASSERT_LT(0, srv);

	snprintf(ns, sizeof(ns), "/proc/%d/ns/net", srv);
	fd = open(ns, O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", ns, strerror(errno));
	ASSERT_EQ(0, fstat(fd, &theirs));
	close(fd);
	ASSERT_EQ(0, stat("/proc/self/ns/net", &ours));
	EXPECT_NE(ours.st_ino, theirs.st_ino);
	ASSERT_EQ(0, cw_run(out, sizeof(out), "nsenter --net=%s ip -4 -o addr show dev eth0", ns));
	snprintf(text, sizeof(text), " %s/", ip);
	EXPECT_NE(NULL, strstr(out, text)) TH_LOG("%s has no %s: %s", ns, ip, out);

	/* nc must listen before the client connects. */
	ASSERT_TRUE(cw_wait_for(20000, "nsenter --net=%s ss -Hltn 'sport = 8080' | grep -q .", ns));
	snprintf(text, sizeof(text), "hi-%d", getpid());
	ASSERT_EQ(0, cw_docker_run(id, sizeof(id), "cwt-cli", NULL,
				   "sh -c 'echo %s | nc %s 8080'", text, ip));
	/* The server's nc exits at the end of the connection. */
	snprintf(got, sizeof(got), "/proc/%d/root/got", srv);
	EXPECT_TRUE(cw_file_wait(got, 20000, NULL, 0, text, NULL));
}

FIXTURE(syslog)
{
};

FIXTURE_SETUP(syslog)
{
	ASSERT_EQ(0, cw_rsyslog_start(LOCAL_LOG, "daemon", REMOTE_LOG, CW_RSYSLOG_PORT));
}

FIXTURE_TEARDOWN(syslog)
{
	EXPECT_EQ(0, cw_rsyslog_stop());
}

/*
 * logger(1) through /dev/log: local0 and the facility asked for reach the
 * file with their facility and severity; another facility does not.
 */
TEST_F_TIMEOUT(syslog, dev_log_to_file, SYSLOG_TIMEOUT)
{
	char tag[64], other[80], line[1024];

	snprintf(tag, sizeof(tag), "cellwall-test-%d-%ld", getpid(), (long)time(NULL));
	snprintf(other, sizeof(other), "%s-user", tag);
	/* In this order: once the last one is in the file, the first would be. */
	ASSERT_EQ(0, cw_run(NULL, 0, "logger -p user.notice %s", other));
	ASSERT_EQ(0, cw_run(NULL, 0, "logger -p daemon.err %s-daemon", tag));
	ASSERT_EQ(0, cw_run(NULL, 0, "logger -p local0.warning %s", tag));
	ASSERT_TRUE(cw_file_wait(LOCAL_LOG, 10000, line, sizeof(line),
				 "local0.warning <132>", tag, NULL));
	EXPECT_TRUE(cw_file_has(LOCAL_LOG, NULL, 0, "daemon.err <27>", "-daemon", NULL));
	EXPECT_FALSE(cw_file_has(LOCAL_LOG, NULL, 0, other, NULL));
	EXPECT_FALSE(cw_file_has(REMOTE_LOG, NULL, 0, tag, NULL));
}

/* Sends @msg to 127.0.0.1:@port over @type (SOCK_DGRAM or SOCK_STREAM). */
static int send_to(int type, int port, const char *msg)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	size_t len = strlen(msg);
	int fd, ret = -1;

	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (!connect(fd, (struct sockaddr *)&to, sizeof(to)) &&
	    send(fd, msg, len, 0) == (ssize_t)len)
		ret = 0;
	close(fd);
	return ret;
}

/*
 * RFC 5424 messages to the listeners, as the daemon forwards alerts: one
 * UDP datagram, one octet-counted TCP frame (RFC 6587). Both reach the
 * remote file whole, and nothing of them the /dev/log one.
 */
TEST_F_TIMEOUT(syslog, rfc5424_to_remote_file, SYSLOG_TIMEOUT)
{
	char msg[256], frame[300], udp[64], tcp[64], line[1024];

	snprintf(udp, sizeof(udp), "cellwall-udp-%d-%ld", getpid(), (long)time(NULL));
	snprintf(tcp, sizeof(tcp), "cellwall-tcp-%d-%ld", getpid(), (long)time(NULL));

	/* local0.notice: PRI 16 * 8 + 5. */
	snprintf(msg, sizeof(msg), "<133>1 2026-11-28T12:00:00.000Z cellwall-vm cellwalld - "
		 "alert [cw@32473 type=\"violation\"] %s", udp);
	ASSERT_EQ(0, send_to(SOCK_DGRAM, CW_RSYSLOG_PORT, msg));
	ASSERT_TRUE(cw_file_wait(REMOTE_LOG, 10000, line, sizeof(line),
				 "local0.notice ", msg, NULL));

	/* local0.err: PRI 131. */
	snprintf(msg, sizeof(msg), "<131>1 2026-11-28T12:00:01.000Z cellwall-vm cellwalld - "
		 "alert - %s", tcp);
	snprintf(frame, sizeof(frame), "%zu %s", strlen(msg), msg);
	ASSERT_EQ(0, send_to(SOCK_STREAM, CW_RSYSLOG_PORT, frame));
	ASSERT_TRUE(cw_file_wait(REMOTE_LOG, 10000, line, sizeof(line),
				 "local0.err ", msg, NULL));
	/* The frame's length is not part of the message. */
	EXPECT_FALSE(cw_file_has(REMOTE_LOG, NULL, 0, frame, NULL));

	EXPECT_FALSE(cw_file_has(LOCAL_LOG, NULL, 0, udp, NULL));
	EXPECT_FALSE(cw_file_has(LOCAL_LOG, NULL, 0, tcp, NULL));
}

/* Whether a live process of the guest has comm @name. */
static bool process_runs(const char *name)
{
	DIR *proc = opendir("/proc");
	char path[300], comm[64];
	struct dirent *e;
	bool found = false;

	while (proc && !found && (e = readdir(proc))) {
		FILE *f;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f)) {
			comm[strcspn(comm, "\n")] = '\0';
			found = !strcmp(comm, name) && cw_proc_alive(atoi(e->d_name));
		}
		fclose(f);
	}
	if (proc)
		closedir(proc);
	return found;
}

/* Defined last, so that its test runs after every other. */
FIXTURE(runtime)
{
};

FIXTURE_SETUP(runtime)
{
}

FIXTURE_TEARDOWN(runtime)
{
}

/*
 * Last, as the destructor does at exit: with a container still running,
 * stopping dockerd and rsyslogd leaves no daemon, container, cgroup,
 * mount, socket or docker0 behind, and the netfilter state as it was.
 * The tests after this binary in the same guest depend on it.
 */
TEST_F_TIMEOUT(runtime, stop_leaves_nothing, DOCKER_TIMEOUT)
{
	char id[128], saved[256], before[65536], after[65536];
	double start;
	pid_t pid;

	ASSERT_EQ(0, cw_rsyslog_start(LOCAL_LOG, NULL, NULL, 0));
	ASSERT_EQ(0, cw_docker_run(id, sizeof(id), "cwt-left", NULL, "sleep 1000"));
	pid = cw_docker_pid("cwt-left");
	ASSERT_LT(0, pid);
	EXPECT_TRUE(process_runs("dockerd"));
	EXPECT_TRUE(process_runs("containerd"));
	EXPECT_TRUE(cw_mounted(CW_DOCKER_ROOT, true));
	EXPECT_EQ(0, cw_sh("ip link show docker0 >/dev/null"));

	start = cw_boottime();
	EXPECT_EQ(0, cw_dockerd_stop());
	cw_rt_diag("dockerd and its container stopped in %.1f s", cw_boottime() - start);
	EXPECT_EQ(0, cw_rsyslog_stop());

	EXPECT_FALSE(cw_proc_alive(pid));
	EXPECT_FALSE(process_runs("dockerd"));
	EXPECT_FALSE(process_runs("containerd"));
	EXPECT_FALSE(process_runs("containerd-shim"));
	EXPECT_FALSE(process_runs("rsyslogd"));
	EXPECT_FALSE(cw_unix_listening("/dev/log", SOCK_DGRAM));
	EXPECT_EQ(-1, cw_cgroup_populated(CW_DOCKER_CGROUP));
	EXPECT_EQ(-1, cw_cgroup_populated(CW_DOCKERD_CGROUP));
	EXPECT_EQ(-1, cw_cgroup_populated(CW_RSYSLOGD_CGROUP));
	EXPECT_FALSE(cw_mounted(CW_DOCKER_ROOT, true));
	EXPECT_FALSE(cw_mounted(CW_DOCKER_EXEC_ROOT, true));
	EXPECT_NE(0, access(CW_DOCKER_SOCK, F_OK));
	EXPECT_NE(0, cw_sh("ip link show docker0 >/dev/null 2>&1"));

	/* As before dockerd. */
	EXPECT_EQ(cw_rt->br_netfilter, !access("/sys/module/br_netfilter", F_OK));
	EXPECT_EQ(cw_rt->ip_forward, cw_read_number("/proc/sys/net/ipv4/ip_forward"));
	ASSERT_EQ(0, cw_capture(after, sizeof(after), "cat " CW_CGROUP_SUBTREE));
	after[strcspn(after, "\n")] = '\0';
	EXPECT_STREQ(cw_rt->subtree, after);
	ASSERT_TRUE(cw_rt->nft_saved);
	snprintf(saved, sizeof(saved), "%s/nft.saved", cw_rt->dir);
	ASSERT_EQ(0, cw_capture(before, sizeof(before), "cat %s", saved));
	ASSERT_EQ(0, cw_capture(after, sizeof(after), "nft list ruleset"));
	EXPECT_STREQ(before, after);
}

TEST_HARNESS_MAIN
