// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld's process and file events, through audit, as an operator sees
 * them in the alerts: a container made by hand (a cgroup and Docker's
 * metadata, sharing the host's root) learns its baseline in discover,
 * alerts on a new program in monitor and kills it in protect; attack
 * tools, a reverse shell and a setuid exec alert in discover too; writing
 * /etc/passwd and dropping a file into /usr/bin alert with the container
 * and the process, the same by a host process raises nothing; stopping
 * (even kill -9 and a restart) leaves no audit rule behind; with auditd
 * running, cellwalld reads its multicast group and leaves it in charge.
 * Then the same in a real Docker container, to rsyslogd's file, with the
 * time from exec to the syslog line.
 */

#define _GNU_SOURCE
#include "container.h"
#include "daemon.h"
#include "runtime.h"
#include "kselftest_harness.h"
#include "libcellwall.h"

#include <signal.h>
#include <sys/wait.h>

#define AUDIT_TIMEOUT 600

#define ROOT "/run/cwd-audit-test"
#define CONFIG ROOT "/cellwalld.json"
#define RULES ROOT "/rules.d"
#define LEARNED ROOT "/learned.json"
#define ALERTS ROOT "/alerts.jsonl"
#define DAEMON_LOG ROOT "/cellwalld.log"
#define DOCKER_ROOT ROOT "/docker"
#define SYSLOG ROOT "/syslog"

/* The hand-made container "app": Docker's layout, the host's root. */
#define ID_APP "6666666666666666666666666666666666666666666666666666666666666666"
#define APP_CGROUP CW_CGROUP_ROOT "/docker/" ID_APP

#define AUDITD_LOG "/var/log/audit/audit.log"

static const char config_json[] =
	"{\n"
	"  \"rules_dir\": \"" RULES "\",\n"
	"  \"learned_file\": \"" LEARNED "\",\n"
	"  \"docker_root\": \"" DOCKER_ROOT "\",\n"
	"  \"learn\": { \"interval\": 1 },\n"
	"  \"alerts\": { \"json_file\": \"" ALERTS "\" }\n"
	"}\n";

/* Group "app" in @mode, with @extra (more top-level members, each ending in ","). */
static void write_policy(const char *mode, const char *extra)
{
	char text[4096];

	snprintf(text, sizeof(text),
		 "{\n%s"
		 "  \"groups\": [ { \"name\": \"app\", \"mode\": \"%s\", \"match\": { \"name\": \"app\" } } ]\n"
		 "}\n", extra, mode);
	cwd_write(ROOT "/.policy.json", text);
	cw_sh("mkdir -p " RULES);
	rename(ROOT "/.policy.json", RULES "/10-app.json");
}

/*
 * Waits until the kernel holds group app in @mode: the daemon read the
 * file. Asked over netlink, not with the CLI in a loop: the hand-made
 * container shares the host's root, so every exec on the host is an audit
 * record cellwalld must read, and polling with commands kept it too busy
 * to read the container's own in time on a busy guest.
 */
static bool mode_is(uint8_t mode)
{
	struct cw_group_info *groups;
	struct cw_nl *nl;
	bool found = false;
	size_t n, i;

	if (cw_nl_open(&nl))
		return false;
	for (int waited = 0; waited < 20000 && !found; waited += 100) {
		if (!cw_nl_group_list(nl, &groups, &n)) {
			for (i = 0; i < n; i++)
				found |= !strcmp(groups[i].name, "app") && groups[i].mode == mode;
			free(groups);
		}
		if (!found)
			usleep(100 * 1000);
	}
	cw_nl_close(nl);
	return found;
}

/*
 * The shell command @cmd run in container app: a shell joins the cgroup
 * and runs it, and stays a moment after. The container shares the host's
 * root: its events are told from the host's by the cgroup of the process
 * or its parent, which must still be there when cellwalld reads them (a
 * container with a root of its own needs none of that). 1 s: a busy
 * guest once kept cellwalld from reading for more than 0.5 s.
 */
static const char *in_app(const char *cmd, char *buf, size_t size)
{
	char quoted[2048];

	snprintf(buf, size, "sh -c 'echo $$ >" APP_CGROUP "/cgroup.procs && sh -c \"$1\"; "
		 "s=$?; sleep 1; exit $s' cw %s", cw_quote(cmd, quoted, sizeof(quoted)));
	return buf;
}

static int __attribute__((format(printf, 1, 2))) app_sh(const char *fmt, ...)
{
	char cmd[1024], wrapped[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return cw_sh("%s", in_app(cmd, wrapped, sizeof(wrapped)));
}

/* The shell command @cmd in the background, its output to @log (NULL: none). */
static pid_t spawn(const char *log, const char *cmd)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		int null = open("/dev/null", O_RDWR);
		int out = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0644) : null;

		dup2(null, 0);
		dup2(out, 1);
		dup2(out, 2);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* @cmd in container app, in the background: its shell's pid. */
static pid_t app_spawn(const char *cmd)
{
	char wrapped[4096];

	return spawn(NULL, in_app(cmd, wrapped, sizeof(wrapped)));
}

/* How many lines of the alerts have every substring (then NULL). */
static int __attribute__((sentinel)) alerts_with(const char *sub, ...)
{
	const char *subs[8];
	char line[4096];
	int n = 0, k = 0;
	va_list ap;
	FILE *f;

	va_start(ap, sub);
	for (const char *s = sub; s && k < 8; s = va_arg(ap, const char *))
		subs[k++] = s;
	va_end(ap);
	f = fopen(ALERTS, "r");
	while (f && fgets(line, sizeof(line), f)) {
		int i;

		for (i = 0; i < k && strstr(line, subs[i]); i++)
			;
		n += i == k;
	}
	if (f)
		fclose(f);
	return n;
}

/* Our audit rules in the kernel. */
static int our_rules(void)
{
	char out[64];

	if (cw_capture(out, sizeof(out), "auditctl -l | grep -c 'cellwall:' || true"))
		return -1;
	return atoi(out);
}

/* The pid that owns the audit socket (auditctl -s). */
static int audit_owner(void)
{
	char out[64];

	if (cw_capture(out, sizeof(out), "auditctl -s | sed -n 's/^pid //p'"))
		return -1;
	return atoi(out);
}

FIXTURE(handmade)
{
	pid_t pid;		/* cellwalld */
	pid_t auditd;
	pid_t app;		/* the container's first process */
};

FIXTURE_SETUP(handmade)
{
	self->pid = self->auditd = -1;
	ASSERT_EQ(0, cw_module_unload());
	cw_sh("rm -rf " ROOT);
	ASSERT_EQ(0, cw_module_load());
	cwd_write(CONFIG, config_json);
	cwd_write(DOCKER_ROOT "/containers/" ID_APP "/config.v2.json",
		  "{\"Name\": \"/app\", \"Config\": {\"Image\": \"shop/app:1\"}}");
	ASSERT_EQ(0, cw_sh("mkdir -p " APP_CGROUP));
	self->app = app_spawn("exec sleep 100000");
	ASSERT_LT(0, self->app);
	ASSERT_TRUE(cw_wait_for(10000, "grep -q . " APP_CGROUP "/cgroup.procs"));
}

FIXTURE_TEARDOWN(handmade)
{
	if (self->pid > 0)
		EXPECT_EQ(0, cwd_stop(self->pid));
	if (!_metadata->passed)
		cw_sh("echo '# cellwalld log:'; sed 's/^/#   /' " DAEMON_LOG "; "
		      "echo '# alerts:'; sed 's/^/#   /' " ALERTS " 2>/dev/null; "
		      "auditctl -s | sed 's/^/#   /'; auditctl -l | sed 's/^/#   /' | head -5; "
		      "cat /proc/self/status | grep -i 'pid' | sed 's/^/#   /'");
	if (self->auditd > 0) {
		kill(self->auditd, SIGTERM);
		waitpid(self->auditd, NULL, 0);
	}
	cw_sh("echo 1 >" APP_CGROUP "/cgroup.kill 2>/dev/null");
	cw_wait_for(10000, "! grep -qs . " APP_CGROUP "/cgroup.procs");
	waitpid(self->app, NULL, 0);
	cw_sh("rmdir " APP_CGROUP " 2>/dev/null; rm -f /usr/bin/cw-dropped");
	EXPECT_EQ(0, our_rules());
	EXPECT_EQ(0, cw_module_unload());
}

/* cellwalld started, with app in its group. */
static bool start_daemon(struct __test_metadata *_metadata, pid_t *pid)
{
	*pid = cwd_start(CONFIG, DAEMON_LOG);
	return *pid > 0 && cwd_wait_workload("app", "app");
}

/*
 * Discover learns what app runs; monitor alerts on a program outside the
 * baseline and lets it run; protect kills it, and what the baseline has
 * still runs.
 */
TEST_F_TIMEOUT(handmade, baseline, AUDIT_TIMEOUT)
{
	char line[4096];
	pid_t tail;
	int status;

	write_policy("discover", "");
	ASSERT_TRUE(start_daemon(_metadata, &self->pid));
	ASSERT_EQ(0, app_sh("/usr/bin/true && /usr/bin/uname >/dev/null"));
	ASSERT_TRUE(cw_file_wait(LEARNED, 10000, line, sizeof(line), "/usr/bin/uname", NULL));
	EXPECT_EQ(0, cw_sh("python3 -c 'import json,sys; p=json.load(open(\"" LEARNED
			   "\"))[\"process_rules\"]; sys.exit(not any(x[\"group\"] == \"app\" and "
			   "x[\"path\"] == \"/usr/bin/true\" and x[\"name\"] == \"true\" and "
			   "x[\"user\"] == 0 and x[\"learned\"] for x in p))'"));
	EXPECT_EQ(0, alerts_with("\"type\":\"process\"", NULL));

	write_policy("monitor", "");
	ASSERT_TRUE(mode_is(CW_MODE_MONITOR));
	EXPECT_EQ(0, app_sh("/usr/bin/true"));
	EXPECT_EQ(0, app_sh("/usr/bin/id -u >/dev/null"));
	ASSERT_TRUE(cw_file_wait(ALERTS, 10000, line, sizeof(line), "\"type\":\"process\"",
				 "\"exe\":\"/usr/bin/id\"", "\"action\":\"allowed\"",
				 "\"from_workload\":\"app\"", "\"from_group\":\"app\"",
				 "\"argv\":\"/usr/bin/id -u\"", "not in the baseline of app", NULL));
	EXPECT_EQ(0, alerts_with("\"exe\":\"/usr/bin/true\"", NULL));

	write_policy("protect", "");
	ASSERT_TRUE(mode_is(CW_MODE_PROTECT));
	tail = app_spawn("exec /usr/bin/tail -f /dev/null");
	ASSERT_LT(0, tail);
	ASSERT_TRUE(cw_file_wait(ALERTS, 10000, line, sizeof(line), "\"type\":\"process\"",
				 "\"exe\":\"/usr/bin/tail\"", "\"action\":\"killed\"", NULL));
	/* Its shell says it was killed. */
	ASSERT_EQ(tail, waitpid(tail, &status, 0));
	EXPECT_EQ(128 + SIGKILL, WEXITSTATUS(status));
	EXPECT_EQ(0, app_sh("/usr/bin/true && /usr/bin/uname >/dev/null"));
}

/* In discover: nc, a shell on a socket and a setuid exec alert, and are not learned. */
TEST_F_TIMEOUT(handmade, suspicious_in_discover, AUDIT_TIMEOUT)
{
	char line[4096];
	pid_t listener;

	write_policy("discover", "");
	ASSERT_TRUE(start_daemon(_metadata, &self->pid));

	/* busybox's nc, run by that name. */
	ASSERT_EQ(0, cw_sh("mkdir -p " ROOT "/bin && ln -sf /bin/busybox " ROOT "/bin/nc"));
	app_sh(ROOT "/bin/nc -h 2>/dev/null");
	ASSERT_TRUE(cw_file_wait(ALERTS, 10000, line, sizeof(line), "\"type\":\"process\"",
				 "\"comm\":\"nc\"", "\"severity\":\"high\"", "an attack tool",
				 "\"from_workload\":\"app\"", NULL));

	/* bash connects, then runs a shell with the connection as its standard output. */
	listener = spawn(NULL, "exec socat -u TCP-LISTEN:4455,reuseaddr OPEN:/dev/null");
	ASSERT_TRUE(cw_wait_for(10000, "ss -Htln | grep -q ':4455 '"));
	app_sh("bash -c 'sh -c \"sleep 2\" >/dev/tcp/127.0.0.1/4455'");
	ASSERT_TRUE(cw_file_wait(ALERTS, 10000, line, sizeof(line), "\"type\":\"process\"",
				 "\"severity\":\"critical\"", "reverse shell", "\"comm\":\"sh\"", NULL));
	kill(listener, SIGTERM);
	waitpid(listener, NULL, 0);

	/* A setuid program run by a user: mount(8). */
	EXPECT_EQ(0, app_sh("setpriv --reuid=1000 --regid=1000 --clear-groups "
			    "/usr/bin/mount --version >/dev/null"));
	ASSERT_TRUE(cw_file_wait(ALERTS, 10000, line, sizeof(line), "\"type\":\"process\"",
				 "\"exe\":\"/usr/bin/mount\"", "\"uid\":1000", "gained root", NULL));

	/* What alerted is no part of the baseline. */
	ASSERT_TRUE(cw_file_wait(LEARNED, 10000, line, sizeof(line), "/usr/bin/setpriv", NULL));
	EXPECT_NE(0, cw_sh("grep -q '\"nc\"\\|/usr/bin/mount' " LEARNED));
}

/*
 * /etc/passwd written and a file dropped into /usr/bin in the container:
 * FILE alerts with the container, the process and the path; a policy's
 * watched path too; an allowed process raises nothing; the host's own
 * writes raise nothing.
 */
TEST_F_TIMEOUT(handmade, files, AUDIT_TIMEOUT)
{
	char line[4096];

	ASSERT_EQ(0, cw_sh("mkdir -p /srv/cw-data"));
	write_policy("monitor",
		     "  \"file_rules\": [\n"
		     "    { \"group\": \"app\", \"path\": \"/srv/cw-data\" },\n"
		     "    { \"group\": \"app\", \"path\": \"/etc/hosts\", \"process\": \"touch\" }\n"
		     "  ],\n"
		     "  \"process_rules\": [ { \"group\": \"app\", \"path\": \"/usr/bin/*\" } ],\n");
	ASSERT_TRUE(start_daemon(_metadata, &self->pid));

	/* The host first: had these been reported, they would be before the container's. */
	ASSERT_EQ(0, cw_sh(": >>/etc/passwd && cp /usr/bin/true /usr/bin/cw-host && "
			   "rm /usr/bin/cw-host && touch /srv/cw-data/host"));
	ASSERT_EQ(0, app_sh("touch /etc/hosts"));
	ASSERT_EQ(0, app_sh(": >>/etc/passwd"));
	ASSERT_EQ(0, app_sh("cp /usr/bin/true /usr/bin/cw-dropped"));
	ASSERT_EQ(0, app_sh("echo x >/srv/cw-data/app"));

	ASSERT_TRUE(cw_file_wait(ALERTS, 10000, line, sizeof(line), "\"type\":\"file\"",
				 "\"op\":\"write\"", "\"path\":\"/etc/passwd\"", "\"comm\":\"sh\"",
				 "\"from_workload\":\"app\"", NULL));
	ASSERT_TRUE(cw_file_wait(ALERTS, 10000, line, sizeof(line), "\"type\":\"file\"",
				 "\"op\":\"create\"", "\"path\":\"/usr/bin/cw-dropped\"",
				 "\"comm\":\"cp\"", "\"exe\":\"/usr/bin/cp\"", NULL));
	ASSERT_TRUE(cw_file_wait(ALERTS, 10000, line, sizeof(line), "\"type\":\"file\"",
				 "\"path\":\"/srv/cw-data/app\"", NULL));
	EXPECT_EQ(1, alerts_with("\"type\":\"file\"", "/etc/passwd", NULL));
	EXPECT_EQ(0, alerts_with("cw-host", NULL));
	EXPECT_EQ(0, alerts_with("/srv/cw-data/host", NULL));
	EXPECT_EQ(0, alerts_with("/etc/hosts", NULL));
}

/* SIGTERM removes every rule it added; so does the start after a kill -9. */
TEST_F_TIMEOUT(handmade, no_stale_rules, AUDIT_TIMEOUT)
{
	int rules;

	write_policy("monitor", "");
	ASSERT_TRUE(start_daemon(_metadata, &self->pid));
	ASSERT_TRUE(cw_wait_for(10000, "auditctl -l | grep -q 'cellwall:'"));
	rules = our_rules();
	EXPECT_LT(2, rules);
	EXPECT_EQ(self->pid, audit_owner());

	EXPECT_EQ(0, cwd_stop(self->pid));
	EXPECT_EQ(0, our_rules());
	EXPECT_EQ(0, audit_owner());

	ASSERT_TRUE(start_daemon(_metadata, &self->pid));
	ASSERT_TRUE(cw_wait_for(10000, "test $(auditctl -l | grep -c 'cellwall:') -eq %d", rules));
	kill(self->pid, SIGKILL);
	waitpid(self->pid, NULL, 0);
	EXPECT_EQ(rules, our_rules());

	ASSERT_TRUE(start_daemon(_metadata, &self->pid));
	EXPECT_TRUE(cw_wait_for(10000, "test $(auditctl -l | grep -c 'cellwall:') -eq %d", rules));
	EXPECT_EQ(rules, our_rules());
	EXPECT_EQ(0, cwd_stop(self->pid));
	self->pid = -1;
	EXPECT_EQ(0, our_rules());
}

/* auditd owns the socket: cellwalld reads the multicast group and leaves auditd be. */
TEST_F_TIMEOUT(handmade, with_auditd, AUDIT_TIMEOUT)
{
	char line[4096];

	ASSERT_EQ(0, cw_sh("mkdir -p /var/log/audit && rm -f " AUDITD_LOG));
	self->auditd = spawn(ROOT "/auditd.out", "exec auditd -n");
	ASSERT_LT(0, self->auditd);
	ASSERT_TRUE(cw_wait_for(20000, "auditctl -s | grep -qx 'pid %d'", self->auditd));

	write_policy("discover", "");
	ASSERT_TRUE(start_daemon(_metadata, &self->pid));
	EXPECT_EQ(1, cwd_log_count(DAEMON_LOG, "auditd owns the audit socket"));
	EXPECT_EQ(self->auditd, audit_owner());

	ASSERT_EQ(0, cw_sh("mkdir -p " ROOT "/bin && ln -sf /bin/busybox " ROOT "/bin/nc"));
	app_sh(ROOT "/bin/nc -h 2>/dev/null");
	ASSERT_TRUE(cw_file_wait(ALERTS, 10000, line, sizeof(line), "\"type\":\"process\"",
				 "\"comm\":\"nc\"", "an attack tool", NULL));
	/* auditd got the same records. */
	EXPECT_TRUE(cw_wait_for(10000, "grep -q 'comm=\"nc\".*key=\"cellwall:' " AUDITD_LOG));

	EXPECT_EQ(0, cwd_stop(self->pid));
	self->pid = -1;
	EXPECT_EQ(0, our_rules());
	EXPECT_EQ(self->auditd, audit_owner());
}

/* A real Docker container, alerts to rsyslogd's file. */
#define CONTAINERS "cwt-audit"

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
	ASSERT_EQ(0, cw_rsyslog_start(SYSLOG, NULL, NULL, 0));
	cwd_write(CONFIG, "{ \"rules_dir\": \"" RULES "\", \"learned_file\": \"" LEARNED "\" }\n");
}

FIXTURE_TEARDOWN(docker)
{
	EXPECT_EQ(0, cw_docker_rm(CONTAINERS));
	if (self->pid > 0)
		EXPECT_EQ(0, cwd_stop(self->pid));
	if (!_metadata->passed)
		cw_sh("echo '# cellwalld log:'; sed 's/^/#   /' " DAEMON_LOG "; "
		      "echo '# syslog:'; sed 's/^/#   /' " SYSLOG " 2>/dev/null");
	EXPECT_EQ(0, cw_rsyslog_stop());
	EXPECT_EQ(0, our_rules());
	EXPECT_EQ(0, cw_module_unload());
}

/* Milliseconds from the alert's time (the exec's, as audit stamped it) to now. */
static double ms_since(const char *line)
{
	const char *t = strstr(line, "time=");
	struct tm tm = {};
	struct timespec now;
	double ms = 0;
	char *end;

	if (!t || !(end = strptime(t + 5, "%Y-%m-%dT%H:%M:%S", &tm)))
		return -1;
	if (*end == '.')
		ms = strtod(end, NULL) * 1000;
	clock_gettime(CLOCK_REALTIME, &now);
	return (now.tv_sec - timegm(&tm)) * 1000.0 + now.tv_nsec / 1e6 - ms;
}

/*
 * Protect with a baseline of sleep and sh: docker exec of nc alerts, of
 * tail is killed (exit status 137); /etc/passwd and /usr/bin written in
 * the container alert with its id; the host's /etc/passwd does not.
 */
TEST_F_TIMEOUT(docker, container, AUDIT_TIMEOUT)
{
	char id[128], line[4096], want[160];
	int status;

	cwd_write(RULES "/10-shop.json",
		  "{\n"
		  "  \"groups\": [ { \"name\": \"shop\", \"mode\": \"protect\","
		  " \"match\": { \"name\": \"cwt-audit\" } } ],\n"
		  "  \"process_rules\": [\n"
		  "    { \"group\": \"shop\", \"path\": \"/bin/busybox\", \"name\": \"sleep\" },\n"
		  "    { \"group\": \"shop\", \"path\": \"/bin/busybox\", \"name\": \"sh\" }\n"
		  "  ]\n"
		  "}\n");
	self->pid = cwd_start(CONFIG, DAEMON_LOG);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, cw_docker_run(id, sizeof(id), "cwt-audit", NULL, "sleep 1000"));
	ASSERT_TRUE(cwd_wait_workload("cwt-audit", "shop"));
	ASSERT_TRUE(cw_wait_for(10000, "grep -q 'cwt-audit: root' " DAEMON_LOG " || "
				"test $(auditctl -l | grep -c 'cellwall:') -gt 2"));
	snprintf(want, sizeof(want), "from_container=%s", id);

	cw_sh(CW_DOCKER " exec cwt-audit nc 127.0.0.1 1 </dev/null >/dev/null 2>&1");
	ASSERT_TRUE(cw_file_wait(SYSLOG, 20000, line, sizeof(line), "type=process", want,
				 "comm=nc", "exe=/bin/busybox", "an attack tool", NULL));
	TH_LOG("exec to syslog line: %.0f ms", ms_since(line));

	status = cw_sh(CW_DOCKER " exec cwt-audit tail -f /dev/null");
	EXPECT_EQ(137, status);
	EXPECT_TRUE(cw_file_wait(SYSLOG, 10000, line, sizeof(line), "type=process", want,
				 "comm=tail", "action=killed", NULL));

	EXPECT_EQ(0, cw_sh(": >>/etc/passwd"));
	EXPECT_EQ(0, cw_sh(CW_DOCKER " exec cwt-audit sh -c 'echo x >>/etc/passwd; "
			   "echo x >/usr/bin/dropped'"));
	EXPECT_TRUE(cw_file_wait(SYSLOG, 10000, line, sizeof(line), "type=file", want,
				 "op=write", "path=/etc/passwd", "comm=sh", NULL));
	EXPECT_TRUE(cw_file_wait(SYSLOG, 10000, line, sizeof(line), "type=file", want,
				 "op=create", "path=/usr/bin/dropped", NULL));
	/* The host's own write is not one of them. */
	EXPECT_EQ(0, cw_sh("test $(grep -c 'path=/etc/passwd' " SYSLOG ") -eq 1"));
}

TEST_HARNESS_MAIN
