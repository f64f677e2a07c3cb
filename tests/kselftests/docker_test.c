// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld with a real dockerd and a real rsyslogd (runtime.h): a
 * container is registered in its group when `docker run` starts it and
 * forgotten when it is removed; a refused connection between two
 * containers is an alert line in rsyslogd's file, key=value from
 * /dev/log and RFC 5424 forwarded over UDP, naming both containers and
 * the process. And, last, stopping dockerd and rsyslogd leaves the guest
 * as it was for the tests after this one.
 */

#define _GNU_SOURCE
#include "daemon.h"
#include "runtime.h"
#include "kselftest_harness.h"

#include <dirent.h>

/* dockerd's start (about 15 s under TCG, more on a busy machine), an
 * import, and a docker client that takes a second or more per call. */
#define DOCKER_TIMEOUT 400

#define ROOT "/run/cwd-docker-test"
#define CONFIG ROOT "/cellwalld.json"
#define RULES ROOT "/rules.d"
#define DAEMON_LOG ROOT "/cellwalld.log"
#define LOCAL_LOG ROOT "/syslog"
#define REMOTE_LOG ROOT "/collector"

/* Every container of this file, for the teardown. */
#define CONTAINERS "cwt-web cwt-db cwt-left"

FIXTURE(docker)
{
	pid_t pid;
};

FIXTURE_SETUP(docker)
{
	self->pid = -1;
	ASSERT_EQ(0, cw_module_unload());
	cw_sh("rm -rf " ROOT);
	ASSERT_EQ(0, cw_dockerd_start());
	ASSERT_EQ(0, cw_docker_image());
	ASSERT_EQ(0, cw_module_load());
	ASSERT_EQ(0, cw_rsyslog_start(LOCAL_LOG, NULL, REMOTE_LOG, CW_RSYSLOG_PORT));
	/* The default docker_root: the one dockerd uses. */
	cwd_write(CONFIG, "{\n"
		  "  \"rules_dir\": \"" RULES "\",\n"
		  "  \"learned_file\": \"" ROOT "/learned.json\",\n"
		  "  \"alerts\": { \"forward\": \"udp://127.0.0.1:5514\" }\n"
		  "}\n");
	cwd_write(RULES "/10-shop.json", "{\n"
		  "  \"groups\": [\n"
		  "    { \"name\": \"web\", \"mode\": \"protect\", \"match\": { \"name\": \"cwt-web\" } },\n"
		  "    { \"name\": \"db\", \"mode\": \"protect\",\n"
		  "      \"match\": { \"labels\": { \"tier\": \"data\" } } }\n"
		  "  ]\n"
		  "}\n");
	self->pid = cwd_start(CONFIG, DAEMON_LOG);
	ASSERT_LT(0, self->pid);
}

FIXTURE_TEARDOWN(docker)
{
	EXPECT_EQ(0, cw_docker_rm(CONTAINERS));
	if (self->pid > 0)
		EXPECT_EQ(0, cwd_stop(self->pid));
	if (!_metadata->passed)
		cw_sh("echo '# cellwalld log:'; sed 's/^/#   /' " DAEMON_LOG " 2>/dev/null");
	EXPECT_EQ(0, cw_rsyslog_stop());
	EXPECT_EQ(0, cw_module_unload());
}

/* The cgroup id of container @id: its directory's inode number. */
static long long docker_cgroup_id(const char *id)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), CW_DOCKER_CGROUP "/%s", id);
	return stat(path, &st) ? -1 : (long long)st.st_ino;
}

static long long workload_cgroup_id(const char *name)
{
	json_t *list = cw_json_cmd("%s workload list -j", cw_env("CW_CLI")), *w;
	long long id = -1;
	size_t i;

	json_array_foreach(list, i, w)
		if (!strcmp(cw_jstr(w, CW_JK_NAME), name))
			id = cw_jint(w, "cgroup_id");
	json_decref(list);
	return id;
}

/*
 * docker run: the container is a workload of its group, by its cgroup;
 * docker rm: it is not any more. The time from `docker run` to the
 * workload is printed, for the README.
 */
TEST_F_TIMEOUT(docker, registered_and_removed, DOCKER_TIMEOUT)
{
	char id[128], group[64];
	double start, registered = -1;
	pid_t run;

	/* docker run in a child, so that the workload is watched for meanwhile. */
	start = cw_boottime();
	run = fork();
	ASSERT_LE(0, run);
	if (!run)
		_exit(cw_docker_run(id, sizeof(id), "cwt-web", NULL, "sleep 1000") ? 1 : 0);
	for (int i = 0; i < 1200; i++) {
		if (!strcmp(cwd_workload_group("cwt-web", group, sizeof(group)), "web")) {
			registered = cw_boottime();
			break;
		}
		usleep(10 * 1000);
	}
	ASSERT_EQ(0, cw_docker_inspect("cwt-web", "{{.Id}}", id, sizeof(id)));
	ASSERT_LT(0, registered) TH_LOG("cwt-web is not a workload of group web");
	cw_rt_diag("docker run -> workload in the kernel: %.2f s; its process started -> "
		   "workload: %.2f s", registered - start,
		   registered - cw_proc_started(cw_docker_pid("cwt-web")));
	EXPECT_EQ(docker_cgroup_id(id), workload_cgroup_id("cwt-web"));

	ASSERT_EQ(0, cw_docker_run(id, sizeof(id), "cwt-db", "--label tier=data", "sleep 1000"));
	EXPECT_TRUE(cwd_wait_workload("cwt-db", "db"));

	ASSERT_EQ(0, cw_docker_rm("cwt-web"));
	EXPECT_TRUE(cwd_wait_workload("cwt-web", ""));
	EXPECT_STREQ("db", cwd_workload_group("cwt-db", group, sizeof(group)));
	waitpid(run, NULL, 0);
}

/*
 * web -> db is not allowed: refused, and an alert in syslog through
 * /dev/log (local0, key=value) and at the collector (RFC 5424 over UDP).
 */
TEST_F_TIMEOUT(docker, alert_in_syslog, DOCKER_TIMEOUT)
{
	char id[128], ip[64], line[2048], want[96];

	ASSERT_EQ(0, cw_docker_run(id, sizeof(id), "cwt-db", "--label tier=data",
				   "sh -c 'while :; do echo pg | nc -l -p 5432; done'"));
	ASSERT_EQ(0, cw_docker_ip("cwt-db", ip, sizeof(ip)));
	ASSERT_TRUE(cwd_wait_workload("cwt-db", "db"));
	/* The client says whether it got an answer. */
	ASSERT_EQ(0, cw_docker_run(id, sizeof(id), "cwt-web", NULL,
				   "sh -c 'sleep 3; nc -w 3 %s 5432 </dev/null >/got; sleep 1000'", ip));
	ASSERT_TRUE(cwd_wait_workload("cwt-web", "web"));

	snprintf(want, sizeof(want), "dst=%s", ip);
	EXPECT_TRUE(cw_file_wait(LOCAL_LOG, 30000, line, sizeof(line), "local0.err",
				 "type=violation", "action=dropped", "from_workload=cwt-web",
				 "from_group=web", "to_workload=cwt-db", "to_group=db", want,
				 "dport=5432", "comm=nc", "exe=/bin/busybox", NULL));
	EXPECT_TRUE(cw_file_wait(REMOTE_LOG, 10000, line, sizeof(line), "cellwalld",
				 " ALERT - ", "type=violation", "from_workload=cwt-web",
				 "to_workload=cwt-db", NULL));
	snprintf(want, sizeof(want), "/proc/%d/root/got", cw_docker_pid("cwt-web"));
	EXPECT_NE(0, cw_sh("grep -q pg %s", want));
}

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
