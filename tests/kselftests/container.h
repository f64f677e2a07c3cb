/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Containers for the guest tests, made the way a runtime makes them: a
 * cgroup v2 directory for the processes and a network namespace with a
 * veth to a bridge in the initial netns.
 *
 *   netns NAME                               initial netns
 *   eth0 ----------------------------------- vh-NAME --+
 *   10.99.0.X/24, fd99::X/64                           |  cwbr0 (no address)
 *   netns OTHER                                        |
 *   eth0 ----------------------------------- vh-OTHER -+
 *
 *   cgroup /sys/fs/cgroup/cw-NAME: every process run "in" the container.
 *
 * The bridge only switches frames: no address, IPv6 off, so that the
 * initial netns sees none of the containers' traffic at its IP hooks.
 * Every helper is idempotent on the way down, so that a setup can first
 * clear what a test that timed out (and skipped its teardown) left.
 */
#ifndef CW_TEST_CONTAINER_H
#define CW_TEST_CONTAINER_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (setns)"
#endif

#include "helpers.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/types.h>

#define CW_BRIDGE "cwbr0"
#define CW_CGROUP_ROOT "/sys/fs/cgroup"

/* The address of container number @x: "10.99.0.X" or "fd99::X". */
static inline const char *cw_ct_addr(int family, int x, char *buf, size_t size)
{
	if (family == 6)
		snprintf(buf, size, "fd99::%x", x);
	else
		snprintf(buf, size, "10.99.0.%d", x);
	return buf;
}

/* The same as socat and URLs want it: "10.99.0.X" or "[fd99::X]". */
static inline const char *cw_ct_host(int family, int x, char *buf, size_t size)
{
	if (family == 6)
		snprintf(buf, size, "[fd99::%x]", x);
	else
		snprintf(buf, size, "10.99.0.%d", x);
	return buf;
}

static inline int cw_bridge_up(void)
{
	return cw_sh("set -e; ip link show " CW_BRIDGE " >/dev/null 2>&1 || {"
		     " ip link add " CW_BRIDGE " type bridge;"
		     " echo 1 >/proc/sys/net/ipv6/conf/" CW_BRIDGE "/disable_ipv6;"
		     " ip link set " CW_BRIDGE " up; }");
}

static inline void cw_bridge_down(void)
{
	cw_sh("ip link del " CW_BRIDGE " 2>/dev/null");
}

/* @s quoted for sh: in single quotes, each ' as '\''. */
static inline const char *cw_quote(const char *s, char *buf, size_t size)
{
	size_t len = 0;

	if (size < 3)
		return "''";
	buf[len++] = '\'';
	for (; *s && len + 6 < size; s++) {
		if (*s == '\'') {
			memcpy(buf + len, "'\\''", 4);
			len += 4;
		} else {
			buf[len++] = *s;
		}
	}
	buf[len++] = '\'';
	buf[len] = '\0';
	return buf;
}

/*
 * Creates container @name, number @x (1..253): its cgroup, its netns and
 * its link to the bridge. Fails if any part exists already.
 */
static inline int cw_ct_create(const char *name, int x)
{
	/* Only where cgroup v2 is the whole hierarchy: the guest. */
	if (cw_sh("test \"$(stat -f -c %%T " CW_CGROUP_ROOT ")\" = cgroup2fs")) {
		fprintf(stderr, CW_CGROUP_ROOT " is not cgroup2: run this in the test VM\n");
		return -1;
	}
	if (cw_bridge_up())
		return -1;
	return cw_sh("set -e\n"
		     "mkdir " CW_CGROUP_ROOT "/cw-%1$s\n"
		     "ip netns add %1$s\n"
		     "ip -n %1$s link set lo up\n"
		     "ip link add vh-%1$s type veth peer eth0 netns %1$s\n"
		     "ip link set vh-%1$s master " CW_BRIDGE "\n"
		     "echo 1 >/proc/sys/net/ipv6/conf/vh-%1$s/disable_ipv6\n"
		     "ip link set vh-%1$s up\n"
		     "ip -n %1$s addr add 10.99.0.%2$d/24 dev eth0\n"
		     "ip -n %1$s addr add fd99::%2$x/64 dev eth0 nodad\n"
		     "ip -n %1$s link set eth0 up\n",
		     name, x);
}

/* Kills every process of the container: cgroup.kill, then waits. */
static inline void cw_ct_kill(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), CW_CGROUP_ROOT "/cw-%s", name);
	if (access(path, F_OK))
		return;
	cw_sh("echo 1 >%s/cgroup.kill 2>/dev/null", path);
	cw_wait_for(20000, "! grep -q . %s/cgroup.procs", path);
}

/* Undoes cw_ct_create (and whatever ran inside); quiet when there is nothing. */
static inline void cw_ct_destroy(const char *name)
{
	cw_ct_kill(name);
	cw_sh("rmdir " CW_CGROUP_ROOT "/cw-%1$s 2>/dev/null; "
	      "ip netns del %1$s 2>/dev/null; ip link del vh-%1$s 2>/dev/null", name);
}

/*
 * The shell command that runs @cmd in container @name: the shell joins
 * the cgroup (so that its sockets belong to it) and execs into the netns.
 */
static inline const char *cw_ct_wrap(const char *name, const char *cmd,
				     char *buf, size_t size)
{
	char quoted[3072];

	snprintf(buf, size,
		 "sh -c 'echo $$ >" CW_CGROUP_ROOT "/cw-%s/cgroup.procs && "
		 "exec ip netns exec %s sh -c \"$1\"' cw %s",
		 name, name, cw_quote(cmd, quoted, sizeof(quoted)));
	return buf;
}

/* Runs a command in container @name; returns its exit status. */
static inline int __attribute__((format(printf, 2, 3)))
cw_ct_sh(const char *name, const char *fmt, ...)
{
	char cmd[2048], wrapped[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return cw_sh("%s", cw_ct_wrap(name, cmd, wrapped, sizeof(wrapped)));
}

/* The same, keeping stdout and stderr in @out. */
static inline int __attribute__((format(printf, 4, 5)))
cw_ct_capture(const char *name, char *out, size_t size, const char *fmt, ...)
{
	char cmd[2048], wrapped[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return cw_capture(out, size, "%s", cw_ct_wrap(name, cmd, wrapped, sizeof(wrapped)));
}

/*
 * Starts a command in container @name in the background, its output to
 * @log (NULL: /dev/null); returns the pid of its process, or -1. It dies
 * with the container (cw_ct_kill), or by kill(pid).
 */
static inline pid_t __attribute__((format(printf, 3, 4)))
cw_ct_spawn(const char *name, const char *log, const char *fmt, ...)
{
	char cmd[2048], wrapped[4096], out[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (cw_capture(out, sizeof(out), "%s </dev/null >%s 2>&1 & echo $!",
		       cw_ct_wrap(name, cmd, wrapped, sizeof(wrapped)),
		       log ? log : "/dev/null"))
		return -1;
	return atoi(out) > 0 ? atoi(out) : -1;
}

/*
 * fork() into container @name: the child joins its cgroup and its netns
 * and gets 0 (it must end with _exit, or be killed with the container);
 * the parent gets the child's pid, or -1.
 */
static inline pid_t cw_ct_fork(const char *name)
{
	char path[256];
	pid_t pid;
	int fd;

	fflush(NULL);
	pid = fork();
	if (pid)
		return pid;
	snprintf(path, sizeof(path), CW_CGROUP_ROOT "/cw-%s/cgroup.procs", name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(97);
	close(fd);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		_exit(98);
	close(fd);
	return 0;
}

/* Waits until something in container @name listens on @proto ("tcp"/"udp") @port. */
static inline bool cw_ct_listening(const char *name, const char *proto, int port)
{
	return cw_wait_for(20000, "ip netns exec %s ss -Hln%c 'sport = %d' | grep -q .",
			   name, proto[0] == 'u' ? 'u' : 't', port);
}

/* `cellwall group add GROUP mode MODE` */
static inline int cw_group_add(const char *group, const char *mode)
{
	return cw_sh("%s group add %s mode %s >&2", cw_env("CW_CLI"), group, mode);
}

/* `cellwall mode GROUP MODE` */
static inline int cw_group_mode(const char *group, const char *mode)
{
	return cw_sh("%s mode %s %s >&2", cw_env("CW_CLI"), group, mode);
}

/* Registers container @name as a workload of the same name in @group. */
static inline int cw_ct_register(const char *name, const char *group)
{
	return cw_sh("%s workload add %s group %s cgroup " CW_CGROUP_ROOT "/cw-%s "
		     "netns /run/netns/%s >&2", cw_env("CW_CLI"), name, group, name, name);
}

/*
 * For a file whose containers (and servers) outlive each test: at exit of
 * the harness' own process (tests end with _exit, but what they fork may
 * exit), @clean_up(), then the bridge and the module go.
 */
#define CW_TEAR_DOWN_AT_EXIT(clean_up)						\
	static pid_t cw_harness_pid;						\
										\
	__attribute__((constructor)) static void cw_remember_harness(void)	\
	{									\
		cw_harness_pid = getpid();					\
	}									\
										\
	__attribute__((destructor)) static void cw_tear_down_all(void)		\
	{									\
		if (getpid() != cw_harness_pid)					\
			return;							\
		clean_up();							\
		cw_bridge_down();						\
		cw_module_unload();						\
	}

#endif /* CW_TEST_CONTAINER_H */
