/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real container runtimes and a real syslog for the guest tests: one
 * dockerd per test binary (Debian's docker.io) with an image imported
 * from the host's busybox-static, and Debian's rsyslogd with a config of
 * its own. Guest only (tests/vm): they mount over /var/lib/docker, own
 * /dev/log and change the netfilter state, and undo it all at exit.
 *
 * The harness forks a child per test, so what a test starts outlives it:
 * the daemons run in their own session (a test that times out has its
 * process group killed) and in their own cgroup (stopping them kills every
 * process they left, e.g. containerd and its shims), and their state lives
 * in a page shared by all the children. The harness's own process stops
 * them when it exits (the destructor below); a test may stop them earlier.
 *
 *   cw_dockerd_start()    dockerd, vfs on a tmpfs /var/lib/docker and /run/docker
 *   cw_dockerd_stop()     it, its containers, and what it changed in the guest
 *   cw_docker_image()     "cellwall-busybox", by docker import, no registry
 *   cw_docker_run()       docker run -d; cw_docker_ip(), cw_docker_pid(),
 *                         cw_docker_inspect(), cw_docker_stop(), cw_docker_rm()
 *   cw_rsyslog_start()    /dev/log -> a file; UDP and TCP :port -> another
 *   cw_rsyslog_stop()
 *   cw_file_wait()        a line with some substrings, within a timeout;
 *                         cw_file_has() the same, now
 *   cw_run()              a command's stdout, or a message saying why not
 *   cw_proc_cgroup(), cw_proc_started(), cw_proc_alive(), cw_cgroup_populated(),
 *   cw_mounted(), cw_boottime()
 *
 * Messages go to stderr as TAP diagnostics ("# ...").
 */
#ifndef CW_TEST_RUNTIME_H
#define CW_TEST_RUNTIME_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (close_range)"
#endif

#include "helpers.h"

#include <ctype.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>

/* The Debian client: /usr/local/bin/docker is another, newer one. -H
 * overrides DOCKER_HOST and any context in ~/.docker. */
#define CW_DOCKER		"/usr/bin/docker -H unix://" CW_DOCKER_SOCK
#define CW_DOCKERD		"/usr/sbin/dockerd"
#define CW_DOCKER_ROOT		"/var/lib/docker"	/* cellwalld's default docker_root */
#define CW_DOCKER_EXEC_ROOT	"/run/docker"
#define CW_DOCKER_SOCK		"/run/docker.sock"
#define CW_DOCKER_PIDFILE	"/run/docker.pid"
#define CW_DOCKER_IMAGE		"cellwall-busybox"
#define CW_DOCKER_CGROUP	"/sys/fs/cgroup/docker"	/* cgroupfs driver: docker/<id> */
#define CW_CGROUP_SUBTREE	"/sys/fs/cgroup/cgroup.subtree_control"
#define CW_DOCKERD_CGROUP	"/sys/fs/cgroup/cwtest-dockerd"
#define CW_RSYSLOGD		"/usr/sbin/rsyslogd"
#define CW_RSYSLOGD_CGROUP	"/sys/fs/cgroup/cwtest-rsyslogd"
#define CW_RSYSLOG_PORT		5514
/* tests/vm/guest-init.sh names the guest so. */
#define CW_GUEST_HOSTNAME	"cellwall-vm"

/* About 15 s under TCG when the machine is idle; much more when several
 * guests share its two cores. */
#define CW_DOCKERD_TIMEOUT_MS	180000

/* What the daemons this binary started left for its exit to undo. */
struct cw_rt_state {
	pid_t main_pid;		/* the harness's process, which tears down */
	char dir[64];		/* logs, saved state, image rootfs, rsyslog config */
	pid_t dockerd;		/* 0: not started */
	bool dockerd_failed;	/* a start failed: later tests fail fast */
	bool image;		/* CW_DOCKER_IMAGE imported */
	bool br_netfilter;	/* loaded before dockerd (which loads it) */
	bool nft_saved;		/* dir/nft.saved is the ruleset before dockerd */
	long long ip_forward;	/* before dockerd (which sets it) */
	char subtree[256];	/* the root cgroup's subtree_control before */
	double dockerd_secs;	/* from spawn to `docker info` answering */
	pid_t rsyslogd;		/* 0: not started */
};

static struct cw_rt_state *cw_rt;

static void __attribute__((constructor)) cw_rt_init(void)
{
	/* Shared, so that what one test's child started the others see. */
	void *p = mmap(NULL, sizeof(*cw_rt), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	cw_rt = p;
	memset(cw_rt, 0, sizeof(*cw_rt));
	cw_rt->main_pid = getpid();
}

/* Prints @text as TAP diagnostics: "# " before each line. */
static inline void cw_rt_diag_text(const char *text)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchrnul(p, '\n');
		fprintf(stderr, "# %.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

static inline void __attribute__((format(printf, 1, 2))) cw_rt_diag(const char *fmt, ...)
{
	char text[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cw_rt_diag_text(text);
}

/* The last @lines lines of @path, without those matching @skip (NULL:
 * none), as diagnostics under @title (NULL: the path). */
static inline void cw_rt_diag_tail(const char *title, const char *path, int lines,
				   const char *skip)
{
	char text[8192];

	if (skip)
		cw_capture(text, sizeof(text), "grep -av -e '%s' %s | tail -n %d",
			   skip, path, lines);
	else
		cw_capture(text, sizeof(text), "tail -n %d %s", lines, path);
	cw_rt_diag("--- %s, last lines%s%s%s:", title ? title : path,
		   skip ? " without /" : "", skip ? skip : "", skip ? "/" : "");
	cw_rt_diag_text(text);
}

/* Seconds since boot (CLOCK_BOOTTIME: the clock of /proc/PID/stat). */
static inline double cw_boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* When process @pid started, in seconds since boot (to 10 ms); -1 if gone. */
static inline double cw_proc_started(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n > 0 ? n : 0] = '\0';
	/* comm may hold spaces and parentheses: fields count from the last ')'. */
	p = strrchr(buf, ')');
	/* state is field 3, starttime field 22: skip 19 fields after state. */
	if (!p || sscanf(p + 2, "%*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
			 "%*s %*s %*s %*s %*s %*s %*s %*s %llu", &start) != 1)
		return -1;
	return (double)start / sysconf(_SC_CLK_TCK);
}

/* Whether @pid runs: a zombie does not (a daemon this binary spawned is
 * reaped by whichever process inherited it, maybe late). */
static inline bool cw_proc_alive(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int n;

	if (pid <= 0)
		return false;
	/* Ours if the test that spawned it is still running: reap it. */
	waitpid(pid, NULL, WNOHANG);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n > 0 ? n : 0] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* The cgroup v2 path of @pid ("/docker/<id>"), relative to the root the
 * test sees; -1 if none. */
static inline int cw_proc_cgroup(pid_t pid, char *buf, size_t size)
{
	char path[64], line[1024];
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		ret = snprintf(buf, size, "%s", line + 3) < (int)size ? 0 : -1;
		break;
	}
	fclose(f);
	return ret;
}

/* "populated" of @cgroup's cgroup.events (a full path): 1, 0, -1 if gone. */
static inline int cw_cgroup_populated(const char *cgroup)
{
	char path[512], line[64];
	int populated = -1;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/cgroup.events", cgroup) >= (int)sizeof(path))
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "populated %d", &populated);
	fclose(f);
	return populated;
}

/* Whether something is mounted on @path, or below it (@below). */
static inline bool cw_mounted(const char *path, bool below)
{
	size_t len = strlen(path);
	char line[4096], where[4096];
	bool found = false;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	/* Field 5 is the mount point (octal escapes only for odd names). */
	while (f && !found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", where) != 1)
			continue;
		found = !strcmp(where, path) ||
			(below && !strncmp(where, path, len) && where[len] == '/');
	}
	if (f)
		fclose(f);
	return found;
}

/*
 * Runs a shell command, keeps its stdout (trailing newlines cut) in @out
 * (NULL: dropped); returns 0 if it exited 0. Otherwise prints the command,
 * its exit status, its stdout and its stderr, and returns -1.
 */
static inline int __attribute__((format(printf, 3, 4)))
cw_run(char *out, size_t size, const char *fmt, ...)
{
	char cmd[4096], full[4300], err_path[] = "/tmp/cw-run-XXXXXX";
	char scratch[4096], *buf = out ? out : scratch;
	size_t cap = out ? size : sizeof(scratch), len = 0, n;
	int fd, status;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (!cap)
		return -1;
	buf[0] = '\0';
	/* stderr apart: docker prints warnings there, the id on stdout. */
	fd = mkstemp(err_path);
	if (fd < 0) {
		cw_rt_diag("cannot run `%s`: mkstemp: %s", cmd, strerror(errno));
		return -1;
	}
	close(fd);
	snprintf(full, sizeof(full), "{\n%s\n} 2>%s </dev/null", cmd, err_path);
	fflush(NULL);
	f = popen(full, "r");
	if (!f) {
		cw_rt_diag("cannot run `%s`: popen: %s", cmd, strerror(errno));
		unlink(err_path);
		return -1;
	}
	/* Read it all, keeping what fits, so that the command never blocks. */
	for (;;) {
		char drain[4096];

		if (len + 1 < cap) {
			n = fread(buf + len, 1, cap - 1 - len, f);
			len += n;
		} else {
			n = fread(drain, 1, sizeof(drain), f);
		}
		if (!n)
			break;
	}
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	status = pclose(f);
	if (status != -1 && WIFEXITED(status) && !WEXITSTATUS(status)) {
		unlink(err_path);
		return 0;
	}
	if (status != -1 && WIFEXITED(status))
		cw_rt_diag("`%s` failed: exit status %d", cmd, WEXITSTATUS(status));
	else if (status != -1 && WIFSIGNALED(status))
		cw_rt_diag("`%s` failed: killed by signal %d", cmd, WTERMSIG(status));
	else
		cw_rt_diag("`%s` failed: pclose: %s", cmd, strerror(errno));
	if (len) {
		cw_rt_diag("--- its stdout:");
		cw_rt_diag_text(buf);
	}
	cw_rt_diag_tail("its stderr", err_path, 20, NULL);
	unlink(err_path);
	return -1;
}

/*
 * Whether this runs in the test VM. The helpers below mount over
 * /var/lib/docker, take /dev/log and flush the netfilter ruleset: never
 * on a host.
 */
static inline bool cw_rt_in_guest(void)
{
	char host[256] = "";

	gethostname(host, sizeof(host) - 1);
	if (strcmp(host, CW_GUEST_HOSTNAME) ||
	    cw_sh("test \"$(stat -f -c %%T /sys/fs/cgroup)\" = cgroup2fs")) {
		cw_rt_diag("not in the test VM (hostname %s, not %s, or no cgroup2): "
			   "run this with tests/vm/run.sh", host, CW_GUEST_HOSTNAME);
		return false;
	}
	return true;
}

/* The directory of this binary's runtime files, made on first use. */
static inline const char *cw_rt_dir(void)
{
	if (!cw_rt) {
		cw_rt_diag("runtime.h: no shared state (mmap failed at start)");
		return NULL;
	}
	if (!cw_rt->dir[0]) {
		char dir[] = "/tmp/cw-runtime-XXXXXX";

		if (!mkdtemp(dir)) {
			cw_rt_diag("mkdtemp %s: %s", dir, strerror(errno));
			return NULL;
		}
		snprintf(cw_rt->dir, sizeof(cw_rt->dir), "%s", dir);
	}
	return cw_rt->dir;
}

/*
 * Starts @argv[0] in a new session (out of reach of the harness's
 * timeout, which kills the test's process group) and in cgroup @cgroup
 * (made if needed), stdout and stderr to @log; its pid, or -1.
 */
static inline pid_t cw_rt_spawn(const char *cgroup, const char *log, char *const argv[])
{
	char procs[256];
	pid_t pid;
	int fd;

	if (mkdir(cgroup, 0755) && errno != EEXIST) {
		cw_rt_diag("mkdir %s: %s", cgroup, strerror(errno));
		return -1;
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cw_rt_diag("fork: %s", strerror(errno));
		return -1;
	}
	if (pid)
		return pid;
	setsid();
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(126);
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, 0) < 0)
		_exit(126);
	/* Nothing else: a daemon holding run.sh's pipe to tee would keep
	 * the suite from ending. */
	close_range(3, ~0U, 0);
	/* Errors from here on go to the log, which the caller shows. */
	fd = open(procs, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1) {
		fprintf(stderr, "cw_rt_spawn: joining %s: %s\n", cgroup, strerror(errno));
		_exit(126);
	}
	close(fd);
	execv(argv[0], argv);
	fprintf(stderr, "cw_rt_spawn: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Waits up to @ms for @cgroup to have no process; true when it has none. */
static inline bool cw_rt_cgroup_empty(const char *cgroup, int ms)
{
	for (int waited = 0; cw_cgroup_populated(cgroup) == 1; waited += 50) {
		if (waited >= ms)
			return false;
		usleep(50 * 1000);
	}
	return true;
}

/*
 * Kills every process of @cgroup and everything below it, then removes
 * the directories (a runtime removes its own, but not when it was killed
 * first). 0, or -1 if something stayed.
 */
static inline int cw_rt_cgroup_destroy(const char *cgroup)
{
	char path[512];
	int ret = 0;

	if (access(cgroup, F_OK))
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.kill", cgroup);
	cw_write_file(path, "1");
	if (!cw_rt_cgroup_empty(cgroup, 20000)) {
		cw_rt_diag("%s: processes left after cgroup.kill", cgroup);
		ret = -1;
	}
	/* Deepest first. */
	if (cw_sh("find %s -depth -type d -exec rmdir {} + 2>/dev/null; test ! -e %s",
		  cgroup, cgroup)) {
		cw_rt_diag("%s: cannot remove it", cgroup);
		ret = -1;
	}
	return ret;
}

/*
 * Stops the daemon @pid of @cgroup: SIGTERM, up to @ms for all of its
 * cgroup to exit (a daemon's helpers too), then SIGKILL to what is left.
 * 0 if it ended by itself, 1 if it had to be killed, -1 if not even then.
 */
static inline int cw_rt_stop_daemon(const char *name, pid_t pid, const char *cgroup, int ms)
{
	int ret = 0;

	if (pid > 0)
		kill(pid, SIGTERM);
	if (!cw_rt_cgroup_empty(cgroup, ms)) {
		cw_rt_diag("%s did not stop within %d ms of SIGTERM: killing its cgroup",
			   name, ms);
		ret = 1;
	}
	if (cw_rt_cgroup_destroy(cgroup))
		ret = -1;
	/* Ours if the test that spawned it is still running: reap it. */
	if (pid > 0)
		waitpid(pid, NULL, WNOHANG);
	return ret;
}

/* Whether something accepts connections on the unix socket @path. */
static inline bool cw_unix_listening(const char *path, int type)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ok = !connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	return ok;
}

/*
 * Stops the dockerd of this binary, its containerd and every container,
 * and puts back what it changed: its mounts, docker0, the netfilter
 * ruleset, ip_forward, the root cgroup's controllers and br_netfilter
 * (measured: nothing else in sysctl -a). The tests after this binary in
 * the same guest expect the state they booted with: br_netfilter alone
 * would send their bridged frames through the initial netns' IP hooks,
 * and dockerd's FORWARD policy is drop. 0, or -1 if something stayed.
 */
static inline int cw_dockerd_stop(void)
{
	char path[128];
	int ret = 0;

	if (!cw_rt || !cw_rt->dockerd)
		return 0;
	/* The containers first: dockerd would give each one 10 s to stop. */
	if (cw_rt_cgroup_destroy(CW_DOCKER_CGROUP))
		ret = -1;
	if (cw_rt_stop_daemon("dockerd", cw_rt->dockerd, CW_DOCKERD_CGROUP, 30000) < 0)
		ret = -1;
	cw_rt->dockerd = 0;
	cw_rt->image = false;
	/* dockerd leaves its socket and pid file when killed. */
	unlink(CW_DOCKER_SOCK);
	unlink(CW_DOCKER_PIDFILE);
	/* Recursive: containers' shm, netns files and rootfs binds are below. */
	if (cw_sh("for m in " CW_DOCKER_ROOT " " CW_DOCKER_EXEC_ROOT "; do "
		  "! mountpoint -q $m || umount -R $m || exit 1; done")) {
		cw_rt_diag("cannot unmount " CW_DOCKER_ROOT " or " CW_DOCKER_EXEC_ROOT);
		cw_sh("grep docker /proc/self/mountinfo >&2");
		ret = -1;
	}
	cw_sh("ip link del docker0 2>/dev/null");
	snprintf(path, sizeof(path), "%s/nft.saved", cw_rt->dir);
	if (cw_rt->nft_saved && cw_sh("nft flush ruleset && nft -f %s", path)) {
		cw_rt_diag("cannot restore the netfilter ruleset of before dockerd");
		ret = -1;
	}
	if (cw_rt->ip_forward >= 0 &&
	    cw_sysctl_set("/proc/sys/net/ipv4/ip_forward", cw_rt->ip_forward)) {
		cw_rt_diag("cannot set ip_forward back to %lld", cw_rt->ip_forward);
		ret = -1;
	}
	/* runc enables every controller down to docker/<id>; the root's
	 * children keep them (and a dying memcg lingers) unless disabled. */
	if (cw_sh("for c in $(cat " CW_CGROUP_SUBTREE "); do case ' %s ' in "
		  "*\" $c \"*) ;; *) echo -$c >" CW_CGROUP_SUBTREE " || exit 1;; esac; done",
		  cw_rt->subtree)) {
		cw_rt_diag("cannot set the root cgroup's controllers back to '%s'",
			   cw_rt->subtree);
		ret = -1;
	}
	if (!cw_rt->br_netfilter && !access("/sys/module/br_netfilter", F_OK) &&
	    cw_sh("rmmod br_netfilter")) {
		cw_rt_diag("cannot unload br_netfilter, which dockerd loaded");
		ret = -1;
	}
	return ret;
}

/*
 * Starts dockerd for the whole test binary, if it does not run yet, and
 * waits until `docker info` answers. 0, or -1 with a message that ends
 * with its log. Stopped at exit, or by cw_dockerd_stop().
 *
 * vfs: overlay2 cannot put its upper dirs on the guest's root, itself an
 * overlay; vfs copies each image layer, which is cheap for a busybox one.
 * /var/lib/docker and /run/docker are tmpfs mounts of their own, so that
 * one umount -R takes every mount dockerd made. No systemd in the guest:
 * the cgroupfs driver, containers in CW_DOCKER_CGROUP/<id>.
 */
static inline int cw_dockerd_start(void)
{
	char log[128], out[256], config[128];
	char *const argv[] = {
		CW_DOCKERD,
		config,
		"--storage-driver=vfs",
		"--data-root=" CW_DOCKER_ROOT,
		"--exec-root=" CW_DOCKER_EXEC_ROOT,
		"--host=unix://" CW_DOCKER_SOCK,
		"--pidfile=" CW_DOCKER_PIDFILE,
		"--exec-opt=native.cgroupdriver=cgroupfs",
		NULL
	};
	double start;
	int waited;

	if (!cw_rt_dir() || !cw_rt_in_guest())
		return -1;
	if (cw_rt->dockerd_failed) {
		cw_rt_diag("dockerd failed to start earlier in this binary");
		return -1;
	}
	if (cw_rt->dockerd && cw_proc_alive(cw_rt->dockerd))
		return 0;
	if (cw_rt->dockerd) {
		cw_rt_diag("dockerd (pid %d) died: its log is %s/dockerd.log",
			   cw_rt->dockerd, cw_rt->dir);
		snprintf(log, sizeof(log), "%s/dockerd.log", cw_rt->dir);
		cw_rt_diag_tail(NULL, log, 20, "module=grpc");
		return -1;
	}
	if (cw_unix_listening(CW_DOCKER_SOCK, SOCK_STREAM)) {
		cw_rt_diag("a dockerd this binary did not start answers on " CW_DOCKER_SOCK);
		return -1;
	}

	/* What dockerd changes and cw_dockerd_stop() puts back. */
	cw_rt->br_netfilter = !access("/sys/module/br_netfilter", F_OK);
	cw_rt->ip_forward = cw_read_number("/proc/sys/net/ipv4/ip_forward");
	cw_rt->nft_saved = !cw_sh("nft list ruleset >%s/nft.saved", cw_rt->dir);
	if (cw_capture(cw_rt->subtree, sizeof(cw_rt->subtree), "cat " CW_CGROUP_SUBTREE)) {
		cw_rt_diag("cannot read " CW_CGROUP_SUBTREE);
		return -1;
	}
	cw_rt->subtree[strcspn(cw_rt->subtree, "\n")] = '\0';

	if (cw_sh("set -e; for m in " CW_DOCKER_ROOT " " CW_DOCKER_EXEC_ROOT "; do "
		  "mkdir -p $m; mountpoint -q $m || mount -t tmpfs -o mode=0711 cwtest-docker $m; "
		  "done")) {
		cw_rt_diag("cannot mount tmpfs on " CW_DOCKER_ROOT " and " CW_DOCKER_EXEC_ROOT);
		return -1;
	}
	/* Not the guest's /etc/docker/daemon.json: the host's, if any. */
	snprintf(config, sizeof(config), "--config-file=%s/daemon.json", cw_rt->dir);
	if (cw_write_file(config + strlen("--config-file="), "{}\n")) {
		cw_rt_diag("cannot write %s", config);
		return -1;
	}
	unlink(CW_DOCKER_SOCK);
	snprintf(log, sizeof(log), "%s/dockerd.log", cw_rt->dir);
	start = cw_boottime();
	cw_rt->dockerd = cw_rt_spawn(CW_DOCKERD_CGROUP, log, argv);
	if (cw_rt->dockerd < 0) {
		cw_rt->dockerd = 0;
		cw_rt->dockerd_failed = true;
		return -1;
	}
	/* The API socket comes last in its start: poll it (a docker client
	 * takes about a second to start under TCG), then ask. */
	for (waited = 0;; waited += 100) {
		if (!cw_proc_alive(cw_rt->dockerd)) {
			cw_rt_diag("dockerd exited while starting");
			break;
		}
		if (waited >= CW_DOCKERD_TIMEOUT_MS) {
			cw_rt_diag("dockerd did not answer within %d s",
				   CW_DOCKERD_TIMEOUT_MS / 1000);
			break;
		}
		if (cw_unix_listening(CW_DOCKER_SOCK, SOCK_STREAM) &&
		    !cw_run(out, sizeof(out), CW_DOCKER " info --format "
			    "'{{.ServerVersion}} {{.Driver}} {{.CgroupDriver}}'")) {
			cw_rt->dockerd_secs = cw_boottime() - start;
			cw_rt_diag("dockerd %s answered after %.1f s", out, cw_rt->dockerd_secs);
			return 0;
		}
		usleep(100 * 1000);
	}
	cw_rt_diag_tail(NULL, log, 25, "module=grpc");
	cw_rt->dockerd_failed = true;
	cw_dockerd_stop();
	return -1;
}

/*
 * Imports CW_DOCKER_IMAGE once per binary (each one has a new dockerd):
 * a rootfs of the host's busybox-static with a relative symlink per
 * applet (`busybox --install -s DIR` would point them at the host's path
 * of the copy), made here: a shell loop of ln takes 20 s under TCG.
 * 0 or -1.
 */
static inline int cw_docker_image(void)
{
	char rootfs[128], path[256], applet[64];
	FILE *list;
	int ret = 0;

	if (cw_dockerd_start())
		return -1;
	if (cw_rt->image)
		return 0;
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", cw_rt->dir);
	if (cw_run(NULL, 0, "set -e; r=%1$s; rm -rf $r\n"
		   "mkdir -p $r/bin $r/usr/bin $r/etc $r/proc $r/sys $r/dev $r/tmp $r/root\n"
		   "chmod 1777 $r/tmp\n"
		   "cp /bin/busybox $r/bin/busybox\n"
		   "echo 'root:x:0:0:root:/root:/bin/sh' >$r/etc/passwd\n"
		   "echo 'root:x:0:' >$r/etc/group", rootfs))
		return -1;
	list = popen("/bin/busybox --list", "r");
	while (list && !ret && fscanf(list, "%63s", applet) == 1) {
		if (!strcmp(applet, "busybox"))
			continue;
		snprintf(path, sizeof(path), "%s/bin/%s", rootfs, applet);
		if (symlink("busybox", path)) {
			cw_rt_diag("symlink %s: %s", path, strerror(errno));
			ret = -1;
		}
	}
	if (!list || pclose(list)) {
		cw_rt_diag("/bin/busybox --list failed (busybox-static installed?)");
		ret = -1;
	}
	if (!ret)
		ret = cw_run(NULL, 0, "tar -C %s -cf - . | " CW_DOCKER " import - "
			     CW_DOCKER_IMAGE " >/dev/null", rootfs);
	cw_sh("rm -rf %s", rootfs);
	if (ret)
		return -1;
	cw_rt->image = true;
	return 0;
}

/*
 * `docker run -d --name NAME [OPTS] cellwall-busybox CMD...`: the command
 * is @fmt, words for the shell (e.g. "nc -l -p 8080"); @opts more docker
 * options (e.g. "--label app=web"), NULL for none. Its full id in @id.
 * 0 or -1. It has started when this returns.
 */
static inline int __attribute__((format(printf, 5, 6)))
cw_docker_run(char *id, size_t size, const char *name, const char *opts, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (cw_docker_image())
		return -1;
	return cw_run(id, size, CW_DOCKER " run -d --name %s %s " CW_DOCKER_IMAGE " %s",
		      name, opts ? opts : "", cmd);
}

/* `docker inspect -f FORMAT CT` (a name or id) into @buf; 0 or -1. */
static inline int cw_docker_inspect(const char *ct, const char *format, char *buf, size_t size)
{
	return cw_run(buf, size, CW_DOCKER " inspect -f '%s' %s", format, ct);
}

/* Its address on docker0 ("172.17.0.2"); 0, or -1 if none. */
static inline int cw_docker_ip(const char *ct, char *buf, size_t size)
{
	if (cw_docker_inspect(ct, "{{.NetworkSettings.IPAddress}}", buf, size))
		return -1;
	return *buf ? 0 : -1;
}

/* The pid of its main process in the test's pid namespace; -1 if it
 * does not run. */
static inline pid_t cw_docker_pid(const char *ct)
{
	char buf[32];

	if (cw_docker_inspect(ct, "{{.State.Pid}}", buf, sizeof(buf)))
		return -1;
	return atoi(buf) > 0 ? atoi(buf) : -1;
}

/* `docker stop -t SECONDS CT`: SIGTERM, SIGKILL after @seconds (a shell
 * as PID 1 of a container ignores SIGTERM). 0 or -1. */
static inline int cw_docker_stop(const char *ct, int seconds)
{
	return cw_run(NULL, 0, CW_DOCKER " stop -t %d %s", seconds, ct);
}

/* `docker rm -f CTS`: one or more, space separated; those that do not
 * exist are no error. 0 or -1. */
static inline int cw_docker_rm(const char *cts)
{
	return cw_run(NULL, 0, "err=$(" CW_DOCKER " rm -f %s 2>&1 >/dev/null) || "
		      "! printf '%%s\\n' \"$err\" | grep -v 'No such container' >&2", cts);
}

/* Stops the rsyslogd of this binary; 0, or -1 if it had to be killed. */
static inline int cw_rsyslog_stop(void)
{
	int ret;

	if (!cw_rt || !cw_rt->rsyslogd)
		return 0;
	ret = cw_rt_stop_daemon("rsyslogd", cw_rt->rsyslogd, CW_RSYSLOGD_CGROUP, 10000);
	cw_rt->rsyslogd = 0;
	return ret ? -1 : 0;
}

/*
 * Starts Debian's rsyslogd with a config of its own (nothing of
 * /etc/rsyslog.conf), in the binary's runtime dir with its pid file and
 * work dir, replacing the one this binary started before. 0 or -1.
 *
 * - imuxsock on /dev/log, no rate limit: messages of local0 and of the
 *   comma separated @facilities ("daemon,auth", NULL: none) to @local_out;
 * - if @remote_out: imudp and imtcp (octet-counted or LF framing) on
 *   @port of every address, all messages to @remote_out.
 *
 * Both files are truncated first, then get one line per message:
 *   FACILITY.SEVERITY RAWMSG      "local0.warning <132>Nov 28 22:19:40 root: hi"
 * RAWMSG as received (PRI and header included; control characters as
 * #ooo). Returns once /dev/log and the ports accept messages.
 */
static inline int cw_rsyslog_start(const char *local_out, const char *facilities,
				   const char *remote_out, int port)
{
	char conf[128], pidfile[128], log[128], filter[512], fac[64];
	char *const argv[] = { CW_RSYSLOGD, "-n", "-f", conf, "-i", pidfile, NULL };
	const char *p = facilities;
	size_t len;
	FILE *f;

	if (!cw_rt_dir() || !cw_rt_in_guest())
		return -1;
	cw_rsyslog_stop();
	snprintf(conf, sizeof(conf), "%s/rsyslog.conf", cw_rt->dir);
	snprintf(pidfile, sizeof(pidfile), "%s/rsyslogd.pid", cw_rt->dir);
	snprintf(log, sizeof(log), "%s/rsyslogd.log", cw_rt->dir);
	len = snprintf(filter, sizeof(filter), "prifilt(\"local0.*\")");
	while (p && *p) {
		size_t n = strcspn(p, ",");

		snprintf(fac, sizeof(fac), "%.*s", (int)n, p);
		if (n)
			len += snprintf(filter + len, sizeof(filter) - len,
					" or prifilt(\"%s.*\")", fac);
		p += n + (p[n] == ',');
		if (len >= sizeof(filter)) {
			cw_rt_diag("too many facilities: %s", facilities);
			return -1;
		}
	}
	f = fopen(conf, "w");
	if (!f) {
		cw_rt_diag("%s: %s", conf, strerror(errno));
		return -1;
	}
	fprintf(f, "# rsyslogd of a cellwall guest test (tests/kselftests/runtime.h)\n"
		"global(workDirectory=\"%s\")\n"
		"module(load=\"imuxsock\" SysSock.Name=\"/dev/log\""
		" SysSock.RateLimit.Interval=\"0\")\n"
		"template(name=\"cwtest\" type=\"string\""
		" string=\"%%syslogfacility-text%%.%%syslogseverity-text%% %%rawmsg%%\\n\")\n"
		"if %s then {\n"
		"	action(type=\"omfile\" file=\"%s\" template=\"cwtest\")\n"
		"}\n",
		cw_rt->dir, filter, local_out);
	/* The inputs' own ruleset: what they receive stays out of @local_out. */
	if (remote_out)
		fprintf(f, "module(load=\"imudp\")\n"
			"module(load=\"imtcp\")\n"
			"ruleset(name=\"cwtest_remote\") {\n"
			"	action(type=\"omfile\" file=\"%s\" template=\"cwtest\")\n"
			"}\n"
			"input(type=\"imudp\" port=\"%d\" ruleset=\"cwtest_remote\")\n"
			"input(type=\"imtcp\" port=\"%d\" ruleset=\"cwtest_remote\")\n",
			remote_out, port, port);
	if (fclose(f)) {
		cw_rt_diag("%s: %s", conf, strerror(errno));
		return -1;
	}
	unlink(local_out);
	if (remote_out)
		unlink(remote_out);
	/* What an rsyslogd killed before left: imuxsock replaces a stale
	 * /dev/log, but a pid file stops the start. */
	unlink(pidfile);
	cw_rt->rsyslogd = cw_rt_spawn(CW_RSYSLOGD_CGROUP, log, argv);
	if (cw_rt->rsyslogd < 0) {
		cw_rt->rsyslogd = 0;
		return -1;
	}
	/* Once a socket is bound, what it receives waits for rsyslogd's
	 * workers: nothing sent after this returns is lost. */
	for (int waited = 0; waited < 30000; waited += 50) {
		if (!cw_proc_alive(cw_rt->rsyslogd))
			break;
		if (cw_unix_listening("/dev/log", SOCK_DGRAM) &&
		    (!remote_out ||
		     !cw_sh("ss -Hlnu 'sport = %1$d' | grep -q . && "
			    "ss -Hlnt 'sport = %1$d' | grep -q .", port)))
			return 0;
		usleep(50 * 1000);
	}
	cw_rt_diag("rsyslogd did not listen on /dev/log%s within 30 s",
		   remote_out ? " and its ports" : "");
	cw_rt_diag_tail(NULL, log, 20, NULL);
	cw_rsyslog_stop();
	return -1;
}

/* Whether @line contains every one of @subs (@n of them). */
static inline bool cw_rt_line_has(const char *line, const char *const *subs, int n)
{
	for (int i = 0; i < n; i++)
		if (!strstr(line, subs[i]))
			return false;
	return true;
}

/* Looks for a line of @path with all of @subs; copies it (without its
 * newline) to @line if not NULL. */
static inline bool cw_rt_file_find(const char *path, const char *const *subs, int n,
				   char *line, size_t size)
{
	char *buf = NULL;
	size_t cap = 0;
	bool found = false;
	FILE *f = fopen(path, "r");

	while (f && !found && getline(&buf, &cap, f) > 0) {
		buf[strcspn(buf, "\n")] = '\0';
		found = cw_rt_line_has(buf, subs, n);
	}
	if (found && line)
		snprintf(line, size, "%s", buf);
	free(buf);
	if (f)
		fclose(f);
	return found;
}

#define CW_RT_MAX_SUBS 8

/* Collects the NULL-terminated substrings after @first; their count. */
#define cw_rt_collect_subs(subs, first)					\
	({								\
		va_list __ap;						\
		int __n = 0;						\
		const char *__s = (first);				\
									\
		va_start(__ap, first);					\
		while (__s && __n < CW_RT_MAX_SUBS) {			\
			(subs)[__n++] = __s;				\
			__s = va_arg(__ap, const char *);		\
		}							\
		va_end(__ap);						\
		__n;							\
	})

/*
 * Whether a line of @path contains each of the substrings (up to
 * CW_RT_MAX_SUBS, then NULL) now; copies it to @line if not NULL.
 */
static inline bool __attribute__((sentinel))
cw_file_has(const char *path, char *line, size_t size, const char *sub, ...)
{
	const char *subs[CW_RT_MAX_SUBS];
	int n = cw_rt_collect_subs(subs, sub);

	return cw_rt_file_find(path, subs, n, line, size);
}

/*
 * Waits up to @ms for a line of @path (which may not exist yet) that
 * contains each of the substrings (up to CW_RT_MAX_SUBS, then NULL);
 * copies it to @line if not NULL. On timeout says which strings were
 * missing and shows the end of the file.
 */
static inline bool __attribute__((sentinel))
cw_file_wait(const char *path, int ms, char *line, size_t size, const char *sub, ...)
{
	const char *subs[CW_RT_MAX_SUBS];
	int n = cw_rt_collect_subs(subs, sub);
	char want[1024] = "";
	size_t len = 0;

	for (int waited = 0;; waited += 50) {
		if (cw_rt_file_find(path, subs, n, line, size))
			return true;
		if (waited >= ms)
			break;
		usleep(50 * 1000);
	}
	for (int i = 0; i < n; i++)
		len += snprintf(want + len, len < sizeof(want) ? sizeof(want) - len : 0,
				"%s\"%s\"", i ? ", " : "", subs[i]);
	cw_rt_diag("no line of %s has %s after %.1f s", path, want, ms / 1000.0);
	if (access(path, F_OK))
		cw_rt_diag("(%s does not exist)", path);
	else
		cw_rt_diag_tail(NULL, path, 10, NULL);
	return false;
}

/* At the harness's exit (not its children's, which _exit): stop what the
 * tests started, and remove the runtime dir. */
static void __attribute__((destructor)) cw_rt_fini(void)
{
	if (!cw_rt || getpid() != cw_rt->main_pid)
		return;
	if (cw_rt->rsyslogd && cw_rsyslog_stop())
		cw_rt_diag("runtime.h: rsyslogd had to be killed at exit");
	if (cw_rt->dockerd && cw_dockerd_stop())
		cw_rt_diag("runtime.h: dockerd left something behind at exit");
	if (cw_rt->dir[0])
		cw_sh("rm -rf %s", cw_rt->dir);
}

#endif /* CW_TEST_RUNTIME_H */
