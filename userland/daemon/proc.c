// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld: what runs and what changes inside containers.
 *
 * Each container's root gets audit rules (audit.c): execs of its files,
 * and changes under the watched paths. An event is attributed to its
 * container by the process's cgroup (its parent's when it has exited,
 * the root's only container when both have), then judged:
 *
 *   exec  discover learns it into its group's baseline; monitor alerts on
 *         a program outside it, protect kills it (if the pid still runs
 *         that exec) and alerts, once the group has a baseline (declared
 *         or learned); every mode alerts on attack tools, a shell on a
 *         socket (reverse shell) and an exec that gains root.
 *   file  a change under a watched path alerts, unless a file rule
 *         allows that process there.
 *
 * Host processes (in no container) raise nothing.
 */

#include "cellwalld.h"
#include "audit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* Watched in every container (rules/README.md lists them for operators). */
static const char *const default_paths[] = {
	"/var/lib/dpkg", "/var/lib/rpm", "/lib/apk/db",
	"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow",
	"/etc/hosts", "/etc/resolv.conf", "/etc/sudoers", "/etc/sudoers.d",
	"/etc/ld.so.preload", "/root/.ssh", "/home/*/.ssh",
	"/lib64/ld-linux-*", "/lib/ld-*", "/lib/*/ld-linux-*", "/lib/*/libc.so*",
	"/usr/lib/*/libc.so*", "/lib/libc.musl-*",
	"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
	"/etc/crontab", "/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily",
	"/etc/cron.weekly", "/etc/cron.monthly", "/var/spool/cron",
};

/* Alert whatever the baseline says. */
static const char *const attack_tools[] = {
	"nc", "ncat", "netcat", "nc.openbsd", "nc.traditional", "nmap", "socat", "telnet",
	"iodine", "iodined", "dnscat", "dnscat2", "tcpdump",
};

/* Alert unless the baseline has them. */
static const char *const remote_tools[] = { "ssh", "scp", "sshd" };

static const char *const shells[] = {
	"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish",
};

#define MAX_PATHS 256
#define PID_CACHE 4096		/* pids whose last exec is remembered */
#define RECENT 256		/* alerts remembered, to say each once */
#define RECENT_NS (10ull * 1000000000ull)

struct root {
	char path[PATH_MAX];	/* in our mount namespace; "/" for the host's */
	unsigned id;		/* the audit client's; 0: not watched */
	uint64_t paths_hash;	/* of the paths it watches */
	bool used;		/* by a workload, in this sync */
};

/* A container and where its root is here. */
struct mapping {
	uint64_t cgroup_id;
	char cgroup[512];
	char root[PATH_MAX];
	bool seen;
};

/* What the last exec of a pid said, for when it has exited. */
struct pid_entry {
	pid_t pid;
	char exe[256];
	char cgroup[256];	/* its container's; "" when it was in none */
};

struct cwd_proc {
	struct cwd_state *state;
	struct cwd_learned *learned;
	struct cwd_alerts *alerts;
	struct cwd_audit *audit;
	const struct cwd_proc_ops *ops;
	void *arg;

	struct root *roots;
	size_t nroots;
	struct mapping *mapped;
	size_t nmapped;

	struct pid_entry *pids;		/* PID_CACHE of them, by pid */
	char cgroup_root[256];
	struct { uint64_t hash, time_ns; } recent[RECENT];
};

static bool listed(const char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

#define LISTED(list, name) listed(list, sizeof(list) / sizeof(list[0]), name)

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* FNV-1a over the strings. */
static uint64_t hash_strings(const char *const *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const char *c;
	size_t i;

	for (i = 0; i < n; i++) {
		for (c = s[i] ? s[i] : ""; *c; c++)
			h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
		h = (h ^ 0xff) * 0x100000001b3ull;
	}
	return h;
}

/* True when the same alert went out less than 10 s ago: a loop alerts once. */
static bool said_recently(struct cwd_proc *p, uint64_t hash, uint64_t now)
{
	typeof(p->recent[0]) *r = &p->recent[hash % RECENT];

	if (r->hash == hash && now - r->time_ns < RECENT_NS)
		return true;
	r->hash = hash;
	r->time_ns = now;
	return false;
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static const struct cw_policy *policy(struct cwd_proc *p)
{
	const struct cwd_rules *rules = cwd_state_rules(p->state);

	return rules ? cwd_rules_policy(rules) : NULL;
}

/* The cgroup of @pid from the cgroup root ("/docker/ID"); false when it is gone. */
static bool pid_cgroup(pid_t pid, char *buf, size_t len)
{
	char path[64], line[PATH_MAX + 8];
	bool found = false;
	FILE *f;

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			found = snprintf(buf, len, "%s", line + 3) < (int)len;
		}
	fclose(f);
	return found;
}

static struct pid_entry *pid_entry(struct cwd_proc *p, pid_t pid)
{
	return &p->pids[(unsigned int)pid % PID_CACHE];
}

/*
 * The container of an event: its process's, as /proc says while it runs
 * (a host process: none); else as its last exec found it; else its
 * parent's, the same way; else the only container of a root of its own
 * (docker exec's process, whose parent is the runtime's). NULL: a host
 * process, or nobody can tell (a short-lived process of a container that
 * shares the host's root).
 */
static const struct cwd_workload *event_workload(struct cwd_proc *p, unsigned root_id,
						 const struct cwd_audit_process *proc)
{
	const struct cwd_workload *w = NULL;
	const struct mapping *only = NULL;
	const struct pid_entry *e;
	const struct root *root = NULL;
	char cgroup[PATH_MAX];
	pid_t pid;
	size_t i;

	if (pid_cgroup(proc->pid, cgroup, sizeof(cgroup)))
		return cwd_state_workload_of(p->state, cgroup);
	for (i = 0, pid = proc->pid; i < 2 && !w; i++, pid = proc->ppid) {
		e = pid_entry(p, pid);
		if (e->pid == pid && pid > 0)
			w = cwd_state_workload_of(p->state, e->cgroup);
		else if (i && pid_cgroup(pid, cgroup, sizeof(cgroup)))
			w = cwd_state_workload_of(p->state, cgroup);
	}
	if (w)
		return w;
	for (i = 0; i < p->nroots; i++)
		if (p->roots[i].id == root_id)
			root = &p->roots[i];
	if (!root || !strcmp(root->path, "/"))
		return NULL;
	for (i = 0; i < p->nmapped; i++) {
		if (strcmp(p->mapped[i].root, root->path))
			continue;
		if (only)
			return NULL;
		only = &p->mapped[i];
	}
	return only ? cwd_state_workload_of(p->state, only->cgroup) : NULL;
}

static void fill_container(struct cwd_alert_end *end, const struct cwd_workload *w)
{
	end->workload = w->id;
	end->workload_name = w->name;
	end->container_id = w->c.id[0] ? w->c.id : NULL;
	end->group = w->group;
}

/* An exec of @pid in @w (NULL: none): for its later events, and its children's. */
static void remember_exec(struct cwd_proc *p, pid_t pid, const char *exe,
			  const struct cwd_workload *w)
{
	struct pid_entry *e = pid_entry(p, pid);

	/* Only a container's: the host is what is left. */
	e->pid = w ? pid : 0;
	/* Too long to keep: not known rather than cut. */
	if (snprintf(e->exe, sizeof(e->exe), "%s", exe) >= (int)sizeof(e->exe))
		e->exe[0] = '\0';
	if (snprintf(e->cgroup, sizeof(e->cgroup), "%s", w ? w->c.cgroup : "") >=
	    (int)sizeof(e->cgroup))
		e->pid = 0;
}

/* readlink(2) of /proc/PID/NAME; false when it cannot be read. */
static bool proc_link(pid_t pid, const char *name, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	n = readlink(path, buf, len - 1);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

const char *cwd_proc_exe(struct cwd_proc *p, uint32_t pid, char *buf, size_t len)
{
	const struct pid_entry *e;

	if (!pid)
		return NULL;
	if (proc_link(pid, "exe", buf, len))
		return buf;
	e = p ? pid_entry(p, pid) : NULL;
	if (!e || e->pid != (pid_t)pid || !e->exe[0])
		return NULL;
	snprintf(buf, len, "%s", e->exe);
	return buf;
}

/* A shell reading or writing a socket: what a reverse shell is. */
static bool stdio_is_socket(pid_t pid)
{
	char link[64];

	return (proc_link(pid, "fd/0", link, sizeof(link)) && !strncmp(link, "socket:", 7)) ||
	       (proc_link(pid, "fd/1", link, sizeof(link)) && !strncmp(link, "socket:", 7));
}

/*
 * Kills @pid if it still runs @exe. The pidfd holds on to the process the
 * pid named when it was opened: if that one exits and the pid is reused
 * before the signal, the signal fails rather than hit another process.
 */
static bool kill_exec(pid_t pid, const char *exe)
{
	char now[PATH_MAX];
	bool killed = false;
	size_t len;
	int fd;

	fd = syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return false;
	if (proc_link(pid, "exe", now, sizeof(now))) {
		len = strlen(now);
		if (len > 10 && !strcmp(now + len - 10, " (deleted)"))
			now[len - 10] = '\0';
		killed = !strcmp(now, exe) &&
			 !syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	}
	close(fd);
	return killed;
}

/* CW_ACTION_ALLOW: in the group's baseline; DENY: a rule denies it; NONE: outside. */
static int baseline(struct cwd_proc *p, const char *group, const struct cwd_audit_process *proc)
{
	const struct cw_policy *pol = policy(p);
	const struct cw_policy_process *learned;
	size_t n, i;
	int verdict;

	verdict = pol ? cw_policy_process_verdict(pol, group, proc->exe, proc->comm, proc->uid) :
		  CW_ACTION_NONE;
	if (verdict != CW_ACTION_NONE)
		return verdict;
	learned = cwd_learned_processes(p->learned, &n);
	for (i = 0; i < n; i++)
		if (!strcmp(learned[i].group, group) &&
		    cw_process_rule_match(&learned[i], proc->exe, proc->comm, proc->uid))
			return CW_ACTION_ALLOW;
	return CW_ACTION_NONE;
}

/*
 * Whether @group has a baseline at all: rules of its own in the policy,
 * or learned ones. A group without one (a policy that says nothing of
 * processes) is not judged on them: protect must not kill every program
 * of a container whose operator only asked for its network to be guarded.
 */
static bool has_baseline(struct cwd_proc *p, const char *group)
{
	const struct cw_policy *pol = policy(p);
	const struct cw_policy_process *learned;
	size_t n, i;

	for (i = 0; pol && i < pol->nprocesses; i++)
		if (!strcmp(pol->processes[i].group, group))
			return true;
	learned = cwd_learned_processes(p->learned, &n);
	for (i = 0; i < n; i++)
		if (!strcmp(learned[i].group, group))
			return true;
	return false;
}

static void learn_process(struct cwd_proc *p, const char *group,
			  const struct cwd_audit_process *proc)
{
	bool added = false;

	if (cwd_learned_add_process(p->learned, group, proc->exe, proc->comm, proc->uid,
				    time(NULL), &added) || !added)
		return;
	cwd_log(LOG_INFO, "learned process %s (%s, uid %u) in %s", proc->exe, proc->comm,
		proc->uid, group);
	if (p->ops && p->ops->learned)
		p->ops->learned(p->arg);
}

/* Reasons to alert on an exec, most severe first in @severity. */
struct judgement {
	char reasons[256];
	const char *severity;
	int rank;
};

static void reason(struct judgement *j, int rank, const char *severity, const char *text)
{
	size_t len = strlen(j->reasons);

	snprintf(j->reasons + len, sizeof(j->reasons) - len, "%s%s", len ? "; " : "", text);
	if (rank > j->rank) {
		j->rank = rank;
		j->severity = severity;
	}
}

/* A process or file alert about @proc in container @w. */
static void alert(struct cwd_proc *p, struct cwd_alert *a, const struct cwd_workload *w,
		  const struct cwd_audit_process *proc, uint64_t time_ns)
{
	a->time_ns = time_ns ? time_ns : realtime_ns();
	a->pid = proc->pid;
	a->comm = proc->comm;
	a->exe = proc->exe[0] ? proc->exe : NULL;
	a->ppid = proc->ppid;
	a->has_uid = true;
	a->uid = proc->uid;
	fill_container(&a->from, w);
	cwd_alert_emit(p->alerts, a);
}

static void on_exec(const struct cwd_exec_event *ev, void *arg)
{
	const struct cwd_audit_process *proc = &ev->proc;
	const char *name = base_name(proc->exe), *comm = proc->comm;
	struct judgement j = { .severity = "medium" };
	char message[512], outside[128];
	struct cwd_alert a = {
		.type = "process", .argv = ev->argv, .cwd = proc->cwd[0] ? proc->cwd : NULL,
		.message = message,
	};
	const char *key[4];
	struct cwd_proc *p = arg;
	const struct cwd_workload *w;
	bool kill = false, killed = false;
	uint8_t mode;
	int verdict;

	w = event_workload(p, ev->root, proc);
	remember_exec(p, proc->pid, proc->exe, w);
	cwd_log(LOG_DEBUG, "exec %s (pid %d, parent %d): %s, %lld ms after", proc->exe, proc->pid,
		proc->ppid, w ? w->name : "in no container",
		(long long)(realtime_ns() - ev->time_ns) / 1000000);
	if (!w)
		return;
	mode = cwd_state_group_mode(p->state, w->group);
	verdict = baseline(p, w->group, proc);

	if (LISTED(attack_tools, name) || LISTED(attack_tools, comm))
		reason(&j, 2, "high", "an attack tool");
	else if ((LISTED(remote_tools, name) || LISTED(remote_tools, comm)) &&
		 verdict != CW_ACTION_ALLOW)
		reason(&j, 2, "high", "a remote access tool outside the baseline");
	if ((LISTED(shells, name) || LISTED(shells, comm)) && stdio_is_socket(proc->pid))
		reason(&j, 3, "critical", "a shell on a socket (reverse shell)");
	if (proc->uid != 0 && proc->euid == 0)
		reason(&j, 2, "high", "gained root through a setuid program");

	if (mode == CW_MODE_DISCOVER) {
		/* What alerts is no part of a baseline. */
		if (!j.rank && verdict == CW_ACTION_NONE)
			learn_process(p, w->group, proc);
	} else if (verdict != CW_ACTION_ALLOW && has_baseline(p, w->group)) {
		snprintf(outside, sizeof(outside), verdict == CW_ACTION_DENY ?
			 "denied by a process rule of %s" : "not in the baseline of %s", w->group);
		kill = mode == CW_MODE_PROTECT;
		reason(&j, kill ? 2 : 1, kill ? "high" : "medium", outside);
	}
	if (!j.rank)
		return;
	if (kill)
		killed = kill_exec(proc->pid, proc->exe);
	key[0] = w->name;
	key[1] = proc->exe;
	key[2] = comm;
	key[3] = j.reasons;
	if (said_recently(p, hash_strings(key, 4), realtime_ns()))
		return;
	snprintf(message, sizeof(message), "%s: %s%s", comm, j.reasons,
		 !kill ? "" : killed ? "; killed" : "; it had exited or exec'd again");
	a.severity = j.severity;
	a.action = killed ? "killed" : "allowed";
	alert(p, &a, w, proc, ev->time_ns);
}

static void on_file(const struct cwd_file_event *ev, void *arg)
{
	const struct cwd_audit_process *proc = &ev->proc;
	const char *op = cwd_file_op_name(ev->op), *key[4];
	char message[PATH_MAX + 64];
	struct cwd_alert a = {
		.type = "file", .severity = "high", .action = "allowed", .op = op,
		.path = ev->path, .old_path = ev->from[0] ? ev->from : NULL, .message = message,
	};
	const struct cw_policy *pol;
	struct cwd_proc *p = arg;
	const struct cwd_workload *w;

	w = event_workload(p, ev->root, proc);
	if (!w)
		return;
	pol = policy(p);
	if (pol && cw_file_rule_allows(pol, w->group, ev->path, proc->exe, proc->comm))
		return;
	key[0] = w->name;
	key[1] = op;
	key[2] = ev->path;
	key[3] = proc->exe;
	if (said_recently(p, hash_strings(key, 4), realtime_ns()))
		return;
	snprintf(message, sizeof(message), "%s %s by %s", op, ev->path, proc->comm);
	alert(p, &a, w, proc, ev->time_ns);
}

static void on_lost(uint32_t lost, uint32_t backlog, const char *why, void *arg)
{
	struct cwd_proc *p = arg;
	char message[160];
	struct cwd_alert a = {
		.type = "lost", .severity = "medium", .time_ns = realtime_ns(),
		.lost = lost, .message = message,
	};

	snprintf(message, sizeof(message), "%s: %u records lost, %u waiting", why, lost, backlog);
	cwd_alert_emit(p->alerts, &a);
}

const struct cwd_audit_ops cwd_proc_audit_ops = {
	.exec = on_exec,
	.file = on_file,
	.lost = on_lost,
};

/* Undoes mountinfo's octal escapes ("\040" for a space) in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* A mountinfo line's device ("8:1"), root in its filesystem, and mount point. */
static bool mount_fields(char *line, char **dev, char **root, char **point)
{
	char *save = NULL, *f[5];
	int i;

	for (i = 0; i < 5; i++) {
		f[i] = strtok_r(i ? NULL : line, " ", &save);
		if (!f[i])
			return false;
	}
	*dev = f[2];
	*root = f[3];
	*point = f[4];
	unescape(*root);
	unescape(*point);
	return true;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * Where the root of process @pid is in our mount namespace: "/" when it
 * is ours; else a mount here of the same filesystem, plus what is left
 * of the path of its root in that filesystem. Tree rules need a path
 * here: /proc/PID/root is a mount of another namespace.
 */
static bool container_root(pid_t pid, char *out, size_t len)
{
	char path[64], line[2 * PATH_MAX], dev[32] = "", fsroot[PATH_MAX] = "", *d, *r, *m;
	struct stat theirs, ours, here;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/root", pid);
	if (stat(path, &theirs) || stat("/", &ours))
		return false;
	if (same_file(&theirs, &ours)) {
		snprintf(out, len, "/");
		return true;
	}
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	/* The last mount on "/" is the one the process sees. */
	while (fgets(line, sizeof(line), f))
		if (mount_fields(line, &d, &r, &m) && !strcmp(m, "/")) {
			snprintf(dev, sizeof(dev), "%s", d);
			snprintf(fsroot, sizeof(fsroot), "%s", r);
		}
	fclose(f);
	f = dev[0] ? fopen("/proc/self/mountinfo", "re") : NULL;
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (!mount_fields(line, &d, &r, &m) || strcmp(d, dev) || !cw_path_within(r, fsroot))
			continue;
		r = fsroot + (strcmp(r, "/") ? strlen(r) : 0);
		if (snprintf(out, len, "%s%s", strcmp(m, "/") ? m : "", *r ? r : "/") >= (int)len)
			continue;
		found = !stat(out, &here) && same_file(&here, &theirs);
	}
	fclose(f);
	return found;
}

/*
 * Adds @path (in @root) to @paths once; a symbolic link (/bin -> usr/bin)
 * as its target, which is what audit rules must name.
 */
static void add_path(const char *root, char **paths, size_t *n, const char *path)
{
	char full[PATH_MAX], target[PATH_MAX], resolved[PATH_MAX];
	struct stat st;
	ssize_t len;
	size_t i;

	snprintf(full, sizeof(full), "%s%s", strcmp(root, "/") ? root : "", path);
	if (!lstat(full, &st) && S_ISLNK(st.st_mode) &&
	    (len = readlink(full, target, sizeof(target) - 1)) > 0) {
		target[len] = '\0';
		if (target[0] == '/')
			snprintf(resolved, sizeof(resolved), "%s", target);
		else if (snprintf(resolved, sizeof(resolved), "%.*s/%s",
				  (int)(strrchr(path, '/') - path), path, target) >=
			 (int)sizeof(resolved))
			return;
		path = resolved;
	}
	for (i = 0; i < *n; i++)
		if (!strcmp(paths[i], path))
			return;
	if (*n < MAX_PATHS && (paths[*n] = strdup(path)))
		(*n)++;
}

/* Adds the paths of @pattern, a glob, in @root. */
static void add_pattern(const char *root, const char *pattern, char **paths, size_t *n)
{
	size_t skip = strcmp(root, "/") ? strlen(root) : 0;
	char full[PATH_MAX];
	glob_t g = {};
	size_t i;

	if (!strpbrk(pattern, "*?[")) {
		add_path(root, paths, n, pattern);
		return;
	}
	snprintf(full, sizeof(full), "%s%s", skip ? root : "", pattern);
	if (!glob(full, GLOB_NOSORT, NULL, &g))
		for (i = 0; i < g.gl_pathc; i++)
			add_path(root, paths, n, g.gl_pathv[i] + skip);
	globfree(&g);
}

/* The paths watched in @root: the defaults, and the watch rules of its containers' groups. */
static size_t root_paths(struct cwd_proc *p, const char *root, char **paths)
{
	const struct cw_policy *pol = policy(p);
	const struct cwd_workload *w;
	size_t n = 0, i, k;

	for (i = 0; i < sizeof(default_paths) / sizeof(default_paths[0]); i++)
		add_pattern(root, default_paths[i], paths, &n);
	for (i = 0; pol && i < p->nmapped; i++) {
		if (strcmp(p->mapped[i].root, root))
			continue;
		w = cwd_state_workload_of(p->state, p->mapped[i].cgroup);
		for (k = 0; w && k < pol->nfiles; k++)
			if (!pol->files[k].process && !strcmp(pol->files[k].group, w->group))
				add_pattern(root, pol->files[k].path, paths, &n);
	}
	return n;
}

static struct root *find_root(struct cwd_proc *p, const char *path)
{
	struct root *r;
	size_t i;

	for (i = 0; i < p->nroots; i++)
		if (!strcmp(p->roots[i].path, path))
			return &p->roots[i];
	r = realloc(p->roots, (p->nroots + 1) * sizeof(*r));
	if (!r)
		return NULL;
	p->roots = r;
	r = &p->roots[p->nroots++];
	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	return r;
}

/* A process of the container now: its first pid; 0 when it has none. */
static pid_t container_pid(struct cwd_proc *p, const struct cwd_workload *w)
{
	char path[PATH_MAX];
	long pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s/cgroup.procs", p->cgroup_root, w->c.cgroup);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid;
}

/*
 * Each container's root. One that shares ours is looked at again: a
 * runtime puts its first process in the cgroup before it changes root.
 * True when a mapping changed.
 */
static bool map_workloads(struct cwd_proc *p)
{
	char root[PATH_MAX];
	const struct cwd_workload *w;
	bool changed = false;
	struct mapping *m;
	size_t n, i, k;
	pid_t pid;

	for (i = 0; i < p->nmapped; i++)
		p->mapped[i].seen = false;
	w = cwd_state_workloads(p->state, &n);
	for (i = 0; i < n; i++) {
		for (k = 0; k < p->nmapped; k++)
			if (p->mapped[k].cgroup_id == w[i].c.cgroup_id)
				break;
		m = k < p->nmapped ? &p->mapped[k] : NULL;
		if (m)
			m->seen = true;
		if (m && strcmp(m->root, "/"))
			continue;
		pid = container_pid(p, &w[i]);
		if (!pid || !container_root(pid, root, sizeof(root)) ||
		    (m && !strcmp(m->root, root)))
			continue;
		if (!m) {
			m = realloc(p->mapped, (p->nmapped + 1) * sizeof(*m));
			if (!m)
				break;
			p->mapped = m;
			m = &p->mapped[p->nmapped++];
			m->cgroup_id = w[i].c.cgroup_id;
			snprintf(m->cgroup, sizeof(m->cgroup), "%s", w[i].c.cgroup);
			m->seen = true;
		}
		snprintf(m->root, sizeof(m->root), "%s", root);
		changed = true;
		cwd_log(LOG_DEBUG, "%s: root %s", w[i].name, m->root);
	}
	for (i = 0; i < p->nmapped;) {
		if (!p->mapped[i].seen) {
			p->mapped[i] = p->mapped[--p->nmapped];
			changed = true;
		} else {
			i++;
		}
	}
	return changed;
}

/* The rules of each root in use: added, replaced when its paths change, removed. */
static void sync_roots(struct cwd_proc *p)

{
	char *paths[MAX_PATHS], err[256];
	struct root *r;
	uint64_t hash;
	size_t i, n;

	for (i = 0; i < p->nroots; i++)
		p->roots[i].used = false;
	for (i = 0; i < p->nmapped; i++) {
		r = find_root(p, p->mapped[i].root);
		if (r)
			r->used = true;
	}
	for (i = 0; i < p->nroots;) {
		r = &p->roots[i];
		if (!r->used) {
			if (r->id)
				cwd_audit_unwatch_root(p->audit, r->id);
			*r = p->roots[--p->nroots];
			continue;
		}
		n = root_paths(p, r->path, paths);
		hash = hash_strings((const char *const *)paths, n);
		if (!r->id || hash != r->paths_hash) {
			if (cwd_audit_watch_root(p->audit, r->path, (const char *const *)paths, n,
						 &r->id, err, sizeof(err)))
				cwd_log(LOG_ERR, "audit rules for %s: %s", r->path, err);
			else
				r->paths_hash = hash;
		}
		while (n)
			free(paths[--n]);
		i++;
	}
}

void cwd_proc_sync(struct cwd_proc *p)
{
	if (!p || !p->audit)
		return;
	map_workloads(p);
	sync_roots(p);
}

void cwd_proc_tick(struct cwd_proc *p)
{
	if (p && p->audit && map_workloads(p))
		sync_roots(p);
}

int cwd_proc_new(const char *cgroup_root, struct cwd_state *state, struct cwd_learned *learned, struct cwd_alerts *alerts,
		 const struct cwd_proc_ops *ops, void *arg, struct cwd_proc **out)
{
	struct cwd_proc *p = calloc(1, sizeof(*p));

	if (!p || !(p->pids = calloc(PID_CACHE, sizeof(*p->pids)))) {
		free(p);
		return -ENOMEM;
	}
	snprintf(p->cgroup_root, sizeof(p->cgroup_root), "%s", cgroup_root);
	p->state = state;
	p->learned = learned;
	p->alerts = alerts;
	p->ops = ops;
	p->arg = arg;
	*out = p;
	return 0;
}

void cwd_proc_attach(struct cwd_proc *p, struct cwd_audit *audit)
{
	p->audit = audit;
	cwd_proc_sync(p);
}

void cwd_proc_free(struct cwd_proc *p)
{
	if (!p)
		return;
	free(p->roots);
	free(p->mapped);
	free(p->pids);
	free(p);
}
