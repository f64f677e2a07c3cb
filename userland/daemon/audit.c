// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld's audit client: rules through libaudit, records assembled into
 * events by libauparse.
 *
 * Two sockets: a control socket for status and rules, and an event socket
 * that is either registered as the audit daemon (nobody else is) or bound
 * to the read-only multicast group (auditd is). The event socket sits in
 * an epoll set of our own, whose descriptor is the one the daemon polls:
 * it stays the same when tick() swaps the event socket.
 *
 * Every rule carries the key "cellwall:ID"; the kernel writes it in the
 * SYSCALL record of each event the rule raises, which is how an event is
 * known as ours and which root it belongs to.
 */

#include "cellwalld.h"
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <auparse.h>
#include <libaudit.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define KEY_PREFIX	CWD_AUDIT_KEY ":"
#define BACKLOG_LIMIT	8192		/* records the kernel holds for a slow reader */
#define EVENT_RCVBUF	(8 << 20)
#define REPLY_MS	2000		/* wait for the kernel's answer to a request */

/*
 * libaudit refuses a key on a rule with neither a watch nor syscalls, and
 * learns of syscalls only from this flag, which auditctl sets (libaudit.so
 * exports it for auditctl; its header does not declare it).
 */
extern int _audit_syscalladded;

struct root {
	struct root *next;
	unsigned int id;
	struct audit_rule_data **rules;	/* as given to the kernel */
	size_t nrules;
	char path[];
};

struct cwd_audit {
	const struct cwd_audit_ops *ops;
	void *arg;
	int ctl;			/* -1: fed by cwd_audit_feed() only */
	int ev;				/* the event socket */
	int epfd;			/* holds ev; what the daemon polls */
	bool owner;			/* registered as the audit daemon */
	bool multicast;
	bool restore_enabled, restore_backlog, restore_wait;
	uint32_t old_enabled, old_backlog, old_wait;
	uint32_t lost;			/* the kernel's counter at the last tick */
	uint32_t drops;			/* our socket's, at the last overrun */
	auparse_state_t *au;
	struct root *roots;
	unsigned int next_id;
};

static const char *const file_op_names[] = {
	[CWD_FILE_WRITE] = "write",
	[CWD_FILE_CREATE] = "create",
	[CWD_FILE_DELETE] = "delete",
	[CWD_FILE_RENAME] = "rename",
	[CWD_FILE_ATTR] = "attr",
};

const char *cwd_file_op_name(enum cwd_file_op op)
{
	if ((unsigned int)op >= ARRAY_SIZE(file_op_names))
		return "?";
	return file_op_names[op];
}

/* ---- rules ---------------------------------------------------------- */

/* Fields whose value is a string in the rule's buf, as the kernel lists them. */
static bool string_field(uint32_t field)
{
	switch (field) {
	case AUDIT_SUBJ_USER ... AUDIT_SUBJ_CLR:
	case AUDIT_OBJ_USER ... AUDIT_OBJ_LEV_HIGH:
	case AUDIT_WATCH:
	case AUDIT_DIR:
	case AUDIT_FILTERKEY:
	case AUDIT_EXE:
		return true;
	}
	return false;
}

/* The rule's key, not NUL-terminated (*@len bytes); NULL: none. */
static const char *rule_key(const struct audit_rule_data *r, size_t *len)
{
	uint32_t i, off = 0;

	for (i = 0; i < r->field_count && i < AUDIT_MAX_FIELDS; i++) {
		if (!string_field(r->fields[i]))
			continue;
		if (r->values[i] > r->buflen - off)
			return NULL;
		if (r->fields[i] == AUDIT_FILTERKEY) {
			*len = r->values[i];
			return r->buf + off;
		}
		off += r->values[i];
	}
	return NULL;
}

static bool ours(const struct audit_rule_data *r)
{
	size_t len;
	const char *key = rule_key(r, &len);

	return key && len > strlen(KEY_PREFIX) && !strncmp(key, KEY_PREFIX, strlen(KEY_PREFIX));
}

static size_t rule_size(const struct audit_rule_data *r)
{
	return sizeof(*r) + r->buflen;
}

static bool rule_equal(const struct audit_rule_data *a, const struct audit_rule_data *b)
{
	return a->buflen == b->buflen && !memcmp(a, b, rule_size(a));
}

/* "name=value" through libaudit's parser, which writes into its argument. */
static int add_field(struct audit_rule_data **r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int add_field(struct audit_rule_data **r, const char *fmt, ...)
{
	char pair[PATH_MAX + 32];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(pair, sizeof(pair), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(pair))
		return -ENAMETOOLONG;
	return audit_rule_fieldpair_data(r, pair, AUDIT_FILTER_EXIT);
}

static int add_key(struct audit_rule_data **r, unsigned int id)
{
	int ret;

	_audit_syscalladded = 1;
	ret = add_field(r, "key=" KEY_PREFIX "%u", id);
	_audit_syscalladded = 0;
	return ret;
}

/*
 * Successful execve and execveat of @arch ("b64", "b32") below @root's
 * inode, whatever mount namespace the process is in (an audit tree);
 * every exec when @root is "/".
 */
static struct audit_rule_data *exec_rule(const char *root, const char *arch, unsigned int id)
{
	struct audit_rule_data *r = audit_rule_create_data();

	if (!r)
		return NULL;
	r->flags = AUDIT_FILTER_EXIT;
	r->action = AUDIT_ALWAYS;
	if (add_field(&r, "arch=%s", arch) ||
	    audit_rule_syscallbyname_data(r, "execve") ||
	    audit_rule_syscallbyname_data(r, "execveat") ||
	    add_field(&r, "success=1") ||
	    (strcmp(root, "/") && add_field(&r, "dir=%s", root)) ||
	    add_key(&r, id)) {
		audit_rule_free_data(r);
		return NULL;
	}
	return r;
}

/* What auditctl -w PATH -p wa -k KEY gives: a tree (@dir) or a watch. */
/*
 * The syscalls that can write a file, name one, or change its mode or
 * owner (the kernel's write and chattr classes, and the opens). Every exit
 * rule whose mask has a syscall is evaluated at each such syscall of every
 * process: auditctl -w's "all" made a write loop 1.7 times slower.
 */
static const char *const change_syscalls[] = {
	"open", "openat", "openat2", "creat", "truncate", "ftruncate",
	"rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat",
	"unlink", "unlinkat", "mkdir", "mkdirat", "rmdir", "mknod", "mknodat",
	"chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown", "fchownat",
	"setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
};

/*
 * What auditctl -w PATH -p wa does, for 64-bit processes and for the
 * syscalls above only.
 */
static struct audit_rule_data *path_rule(const char *path, bool dir, unsigned int id)
{
	struct audit_rule_data *r = NULL;
	size_t i;

	if (audit_add_watch_dir(dir ? AUDIT_DIR : AUDIT_WATCH, &r, path) ||
	    audit_update_watch_perms(r, AUDIT_PERM_WRITE | AUDIT_PERM_ATTR))
		goto fail;
	memset(r->mask, 0, sizeof(r->mask));
	if (add_field(&r, "arch=b64"))
		goto fail;
	for (i = 0; i < sizeof(change_syscalls) / sizeof(change_syscalls[0]); i++)
		if (audit_rule_syscallbyname_data(r, change_syscalls[i]))
			goto fail;
	if (add_key(&r, id))
		goto fail;
	return r;
fail:
	audit_rule_free_data(r);
	return NULL;
}

/*
 * @root/@p as we see it, in @out: 1 a directory, 0 anything else whose
 * directory exists (a symlink is watched as a name: what it points to is
 * the container's to resolve), -1 neither.
 */
static int resolve(const char *root, const char *p, char *out, size_t size)
{
	size_t rlen = strlen(root), len;
	struct stat st;
	char *slash;
	int ret;

	while (rlen && root[rlen - 1] == '/')
		rlen--;
	while (*p == '/')
		p++;
	if (*p)
		ret = snprintf(out, size, "%.*s/%s", (int)rlen, root, p);
	else
		ret = snprintf(out, size, "%.*s", (int)rlen, root);
	if (ret < 0 || (size_t)ret >= size)
		return -1;
	for (len = strlen(out); len > 1 && out[len - 1] == '/'; len--)
		out[len - 1] = '\0';
	if (!*out)
		strcpy(out, "/");
	if (!lstat(out, &st))
		return S_ISDIR(st.st_mode);
	slash = strrchr(out, '/');
	if (slash == out)
		return 0;	/* in "/" */
	*slash = '\0';
	ret = !stat(out, &st) && S_ISDIR(st.st_mode) ? 0 : -1;
	*slash = '/';
	return ret;
}

void cwd_audit_rules_free(struct audit_rule_data **rules, size_t n)
{
	while (n)
		audit_rule_free_data(rules[--n]);
	free(rules);
}

int cwd_audit_root_rules(const char *root, const char *const *paths, size_t npaths, unsigned int id,
			 struct audit_rule_data ***out, size_t *count, char *err, size_t errlen)
{
	struct audit_rule_data **rules = calloc(npaths + 2, sizeof(*rules));
	char full[PATH_MAX];
	size_t n = 0, i;
	int kind;

	if (!rules) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (root[0] != '/' || (strcmp(root, "/") && strchr(root, '='))) {
		/* libaudit's field parser would split "dir=ROOT" at a later '=' */
		snprintf(err, errlen, "root \"%s\": not an absolute path without '='", root);
		goto fail;
	}
	rules[n] = exec_rule(root, "b64", id);
	if (!rules[n++]) {
		snprintf(err, errlen, "root %s: libaudit cannot build its exec rule", root);
		goto fail;
	}
	/* 32-bit programs (i386 images) where the machine has them */
	rules[n] = exec_rule(root, "b32", id);
	if (rules[n])
		n++;
	for (i = 0; i < npaths; i++) {
		kind = resolve(root, paths[i], full, sizeof(full));
		if (kind < 0) {
			cwd_log(LOG_DEBUG, "audit: %s in %s: no such directory, not watched",
				paths[i], root);
			continue;
		}
		rules[n] = path_rule(full, kind == 1, id);
		if (!rules[n++]) {
			snprintf(err, errlen, "%s: libaudit cannot build its watch", full);
			goto fail;
		}
	}
	*out = rules;
	*count = n;
	return 0;
fail:
	cwd_audit_rules_free(rules, n);
	return -EINVAL;
}

/* ---- the kernel: requests and replies -------------------------------- */

/*
 * The next reply of @type (or NLMSG_DONE) on @fd; the acks libaudit did
 * not read are skipped, an error ack is returned as -errno.
 */
static int read_reply(int fd, struct audit_reply *rep, int type)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	for (;;) {
		ret = poll(&pfd, 1, REPLY_MS);
		if (ret == 0)
			return -ETIMEDOUT;
		if (ret < 0 && errno != EINTR)
			return -errno;
		ret = audit_get_reply(fd, rep, GET_REPLY_NONBLOCKING, 0);
		if (ret == -EAGAIN || ret == -EINTR)
			continue;
		if (ret <= 0)
			return ret ? ret : -EPROTO;
		if (rep->type == NLMSG_ERROR && rep->error->error)
			return rep->error->error;
		if (rep->type == type || rep->type == NLMSG_DONE)
			return 0;
	}
}

static int get_status(int fd, struct audit_status *s)
{
	struct audit_reply rep;
	size_t len;
	int ret;

	ret = audit_request_status(fd);
	if (ret < 0)
		return ret;
	ret = read_reply(fd, &rep, AUDIT_GET);
	if (ret)
		return ret;
	if (rep.type != AUDIT_GET)
		return -EPROTO;
	/* older kernels send a shorter struct */
	memset(s, 0, sizeof(*s));
	len = rep.nlh->nlmsg_len - NLMSG_HDRLEN;
	memcpy(s, rep.status, len < sizeof(*s) ? len : sizeof(*s));
	return 0;
}

/* Alive, whoever's it is (EPERM: alive, not ours to signal). */
static bool pid_alive(uint32_t pid)
{
	return pid && (!kill((pid_t)pid, 0) || errno == EPERM);
}

static int send_rule(struct cwd_audit *a, struct audit_rule_data *r, bool add)
{
	int ret;

	if (a->ctl < 0)
		return 0;
	if (add)
		ret = audit_add_rule_data(a->ctl, r, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
	else
		ret = audit_delete_rule_data(a->ctl, r, r->flags, r->action);
	return ret < 0 ? ret : 0;
}

static void delete_rule(struct cwd_audit *a, struct audit_rule_data *r)
{
	int ret = send_rule(a, r, false);

	/* ENOENT: someone (auditctl -D) removed it already */
	if (ret && ret != -ENOENT)
		cwd_log(LOG_WARNING, "audit: removing a rule: %s", strerror(-ret));
}

/* Copies of the kernel's rules with our key: a killed cellwalld's. */
static int list_stale(int fd, struct audit_rule_data ***out, size_t *count)
{
	struct audit_rule_data **rules = NULL, **grown, *copy;
	struct audit_reply rep;
	size_t n = 0;
	int ret;

	ret = audit_request_rules_list_data(fd);
	while (ret >= 0) {
		ret = read_reply(fd, &rep, AUDIT_LIST_RULES);
		if (ret || rep.type == NLMSG_DONE)
			break;
		if (!ours(rep.ruledata))
			continue;
		copy = malloc(rule_size(rep.ruledata));
		grown = realloc(rules, (n + 1) * sizeof(*rules));
		if (!copy || !grown) {
			free(copy);
			if (grown)
				rules = grown;
			ret = -ENOMEM;
			break;
		}
		rules = grown;
		memcpy(copy, rep.ruledata, rule_size(rep.ruledata));
		rules[n++] = copy;
	}
	if (ret < 0) {
		cwd_audit_rules_free(rules, n);
		return ret;
	}
	*out = rules;
	*count = n;
	return 0;
}

static int purge_stale(struct cwd_audit *a, char *err, size_t errlen)
{
	struct audit_rule_data **rules;
	size_t n, i;
	int ret;

	ret = list_stale(a->ctl, &rules, &n);
	if (ret) {
		snprintf(err, errlen, "listing the audit rules: %s", strerror(-ret));
		return ret;
	}
	for (i = 0; i < n; i++)
		delete_rule(a, rules[i]);
	if (n)
		cwd_log(LOG_INFO, "audit: removed %zu rules a previous cellwalld left", n);
	cwd_audit_rules_free(rules, n);
	return 0;
}

/* ---- the event socket ------------------------------------------------ */

static int event_socket(bool multicast, char *err, size_t errlen)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1 << (AUDIT_NLGRP_READLOG - 1),
	};
	int fd = audit_open(), size = EVENT_RCVBUF, on = 1, ret;

	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "audit netlink: %s", strerror(-ret));
		return ret;
	}
	if (multicast && bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		snprintf(err, errlen, "audit multicast group: %s%s", strerror(-ret),
			 ret == -EPERM ? " (reading beside auditd needs CAP_AUDIT_READ)" : "");
		close(fd);
		return ret;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* unicast: the kernel keeps what it could not send, and counts what it drops */
	if (!multicast)
		setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &on, sizeof(on));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* @fd replaces the event socket, after what the old one still held. */
static void swap_event_socket(struct cwd_audit *a, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (a->ev >= 0) {
		cwd_audit_handle(a);
		close(a->ev);
	}
	a->ev = fd;
	if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, fd, &ev))
		cwd_log(LOG_ERR, "audit: epoll: %s", strerror(errno));
}

/* The settings an audit daemon needs: enabled, a deep backlog. */
static int own_settings(struct cwd_audit *a, const struct audit_status *s, char *err,
			size_t errlen)
{
	int ret;

	if (!s->enabled) {
		ret = audit_set_enabled(a->ctl, 1);
		if (ret < 0) {
			snprintf(err, errlen, "enabling audit: %s", strerror(-ret));
			return ret;
		}
		a->restore_enabled = true;
		a->old_enabled = s->enabled;
	}
	if (s->backlog_limit < BACKLOG_LIMIT) {
		ret = audit_set_backlog_limit(a->ctl, BACKLOG_LIMIT);
		if (ret < 0) {
			cwd_log(LOG_WARNING, "audit: backlog_limit %u: %s", BACKLOG_LIMIT,
				strerror(-ret));
		} else {
			a->restore_backlog = true;
			a->old_backlog = s->backlog_limit;
		}
	}
	/*
	 * A full backlog makes every audited syscall wait for the daemon
	 * (60 s by default): a stopped or slow cellwalld would stall the
	 * host. Records are lost instead, and the lost counter says so.
	 */
	if (s->backlog_wait_time) {
		ret = audit_set_backlog_wait_time(a->ctl, 0);
		if (ret < 0) {
			cwd_log(LOG_WARNING, "audit: backlog_wait_time 0: %s", strerror(-ret));
		} else {
			a->restore_wait = true;
			a->old_wait = s->backlog_wait_time;
		}
	}
	return 0;
}

static void restore_settings(struct cwd_audit *a)
{
	int ret;

	ret = audit_set_pid(a->ctl, 0, WAIT_NO);
	if (ret < 0)
		cwd_log(LOG_WARNING, "audit: giving the socket back: %s", strerror(-ret));
	if (a->restore_backlog)
		audit_set_backlog_limit(a->ctl, a->old_backlog);
	if (a->restore_wait)
		audit_set_backlog_wait_time(a->ctl, a->old_wait);
	if (a->restore_enabled)
		audit_set_enabled(a->ctl, a->old_enabled);
	a->restore_backlog = a->restore_enabled = a->restore_wait = false;
	a->owner = false;
}

/*
 * Registers a new socket as the audit daemon's. WAIT_NO: audit_send()
 * has read the kernel's ack already; WAIT_YES would swallow the first
 * record the kernel sends.
 */
static int become_owner(struct cwd_audit *a, const struct audit_status *s, char *err,
			size_t errlen)
{
	int fd, ret;

	fd = event_socket(false, err, errlen);
	if (fd < 0)
		return fd;
	ret = audit_set_pid(fd, getpid(), WAIT_NO);
	if (ret < 0) {
		snprintf(err, errlen, "registering as the audit daemon: %s", strerror(-ret));
		close(fd);
		return ret;
	}
	swap_event_socket(a, fd);
	a->owner = true;
	a->multicast = false;
	return own_settings(a, s, err, errlen);
}

static int follow_multicast(struct cwd_audit *a, char *err, size_t errlen)
{
	int fd = event_socket(true, err, errlen);

	if (fd < 0)
		return fd;
	swap_event_socket(a, fd);
	a->multicast = true;
	/* the settings are the new daemon's now */
	a->owner = a->restore_enabled = a->restore_backlog = a->restore_wait = false;
	return 0;
}

static void overran(struct cwd_audit *a)
{
	uint32_t mem[SK_MEMINFO_VARS], drops = 0;
	socklen_t len = sizeof(mem);

	if (!getsockopt(a->ev, SOL_SOCKET, SO_MEMINFO, mem, &len) &&
	    len > SK_MEMINFO_DROPS * sizeof(*mem)) {
		drops = mem[SK_MEMINFO_DROPS] - a->drops;
		a->drops = mem[SK_MEMINFO_DROPS];
	}
	if (a->ops->lost)
		a->ops->lost(drops, 0, "the audit socket overran", a->arg);
}

/* ---- records -> events ----------------------------------------------- */

/*
 * The cursor on field @name of record @rec; auparse_find_field() alone
 * would go on into the next records.
 */
static bool goto_field(auparse_state_t *au, unsigned int rec, const char *name)
{
	return auparse_goto_record_num(au, rec) == 1 && auparse_first_field(au) == 1 &&
	       auparse_find_field(au, name) && auparse_get_record_num(au) == rec;
}

/* Decoded (quotes, hex), in @buf; "" when absent. */
static bool field_text(auparse_state_t *au, unsigned int rec, const char *name, char *buf,
		       size_t size)
{
	const char *v;

	buf[0] = '\0';
	if (!goto_field(au, rec, name))
		return false;
	v = auparse_interpret_field(au);
	if (!v)
		return false;
	snprintf(buf, size, "%s", v);
	return true;
}

static unsigned long field_num(auparse_state_t *au, unsigned int rec, const char *name)
{
	const char *v;

	if (!goto_field(au, rec, name))
		return 0;
	v = auparse_get_field_str(au);
	return v ? strtoul(v, NULL, 10) : 0;
}

static bool find_record(auparse_state_t *au, int type, unsigned int *rec)
{
	if (auparse_first_record(au) != 1)
		return false;
	do {
		if (auparse_get_type(au) == type) {
			*rec = auparse_get_record_num(au);
			return true;
		}
	} while (auparse_next_record(au) == 1);
	return false;
}

/* The root named by the SYSCALL record's key, if it is one of ours. */
static bool event_root(auparse_state_t *au, unsigned int sc, unsigned int *root)
{
	char key[64], *end;
	unsigned long id;

	if (!field_text(au, sc, "key", key, sizeof(key)) ||
	    strncmp(key, KEY_PREFIX, strlen(KEY_PREFIX)))
		return false;
	errno = 0;
	id = strtoul(key + strlen(KEY_PREFIX), &end, 10);
	if (errno || *end || !id || id > UINT_MAX)
		return false;
	*root = id;
	return true;
}

static void fill_process(auparse_state_t *au, unsigned int sc, struct cwd_audit_process *p)
{
	unsigned int rec;

	p->pid = field_num(au, sc, "pid");
	p->ppid = field_num(au, sc, "ppid");
	p->uid = field_num(au, sc, "uid");
	p->euid = field_num(au, sc, "euid");
	field_text(au, sc, "comm", p->comm, sizeof(p->comm));
	field_text(au, sc, "exe", p->exe, sizeof(p->exe));
	if (find_record(au, AUDIT_CWD, &rec))
		field_text(au, rec, "cwd", p->cwd, sizeof(p->cwd));
}

static uint64_t event_time_ns(auparse_state_t *au)
{
	return (uint64_t)auparse_get_time(au) * 1000000000ull +
	       auparse_get_milli(au) * 1000000ull;
}

/* "aN", or "aN[0]": the first piece of an argument the kernel split. */
static bool arg_field(const char *name)
{
	if (name[0] != 'a' || name[1] < '0' || name[1] > '9')
		return false;
	name += strspn(name + 1, "0123456789") + 1;
	return !*name || !strcmp(name, "[0]");
}

/* Appends " @s" ("@s" first); false, with "..." at the end, when it did not fit. */
static bool append_arg(char *out, size_t size, size_t *len, const char *s)
{
	int n = snprintf(out + *len, size - *len, "%s%s", *len ? " " : "", s);

	if (n >= 0 && (size_t)n < size - *len) {
		*len += n;
		return true;
	}
	memcpy(out + size - 4, "...", 4);
	*len = size - 1;
	return false;
}

/* a0 a1 ... of the EXECVE records (long ones come in several), joined. */
static void join_argv(auparse_state_t *au, char *out, size_t size)
{
	const char *v;
	size_t len = 0;

	out[0] = '\0';
	if (auparse_first_record(au) != 1)
		return;
	do {
		if (auparse_get_type(au) != AUDIT_EXECVE || auparse_first_field(au) != 1)
			continue;
		do {
			if (!arg_field(auparse_get_field_name(au)))
				continue;
			v = auparse_interpret_field(au);
			if (v && !append_arg(out, size, &len, v))
				return;
		} while (auparse_next_field(au) == 1);
	} while (auparse_next_record(au) == 1);
}

static void report_exec(struct cwd_audit *a, auparse_state_t *au, unsigned int sc,
			unsigned int root)
{
	struct cwd_exec_event ev = {
		.root = root,
		.time_ns = event_time_ns(au),
		.serial = auparse_get_serial(au),
	};

	fill_process(au, sc, &ev.proc);
	join_argv(au, ev.argv, sizeof(ev.argv));
	if (a->ops->exec)
		a->ops->exec(&ev, a->arg);
}

/* Syscalls by name prefix; the rest (open for writing, truncate, ...) write. */
static const struct {
	const char *prefix;
	enum cwd_file_op op;
} file_ops[] = {
	{ "rename", CWD_FILE_RENAME },
	{ "unlink", CWD_FILE_DELETE },
	{ "rmdir", CWD_FILE_DELETE },
	{ "creat", CWD_FILE_CREATE },
	{ "mkdir", CWD_FILE_CREATE },
	{ "mknod", CWD_FILE_CREATE },
	{ "link", CWD_FILE_CREATE },
	{ "symlink", CWD_FILE_CREATE },
	{ "chmod", CWD_FILE_ATTR },
	{ "fchmod", CWD_FILE_ATTR },
	{ "chown", CWD_FILE_ATTR },
	{ "fchown", CWD_FILE_ATTR },
	{ "lchown", CWD_FILE_ATTR },
	{ "setxattr", CWD_FILE_ATTR },
	{ "lsetxattr", CWD_FILE_ATTR },
	{ "fsetxattr", CWD_FILE_ATTR },
	{ "removexattr", CWD_FILE_ATTR },
	{ "lremovexattr", CWD_FILE_ATTR },
	{ "fremovexattr", CWD_FILE_ATTR },
	{ "utime", CWD_FILE_ATTR },
	{ "futimesat", CWD_FILE_ATTR },
};

enum nametype { NT_NORMAL, NT_CREATE, NT_DELETE, NT_PARENT, NT_MAX };

static enum cwd_file_op file_op(const char *syscall, bool created)
{
	size_t i;

	if (!strncmp(syscall, "open", 4))
		return created ? CWD_FILE_CREATE : CWD_FILE_WRITE;
	for (i = 0; i < ARRAY_SIZE(file_ops); i++)
		if (!strncmp(syscall, file_ops[i].prefix, strlen(file_ops[i].prefix)))
			return file_ops[i].op;
	return CWD_FILE_WRITE;
}

/* The first PATH record of each name type that has a name; -1: none. */
static void path_items(auparse_state_t *au, int items[NT_MAX])
{
	static const char *const types[NT_MAX] = {
		[NT_CREATE] = "CREATE", [NT_DELETE] = "DELETE", [NT_PARENT] = "PARENT",
	};
	unsigned int rec, n = auparse_get_num_records(au), t;
	const char *name;
	char type[16];

	for (t = 0; t < NT_MAX; t++)
		items[t] = -1;
	for (rec = 0; rec < n; rec++) {
		if (auparse_goto_record_num(au, rec) != 1 || auparse_get_type(au) != AUDIT_PATH ||
		    !goto_field(au, rec, "name"))
			continue;
		name = auparse_get_field_str(au);
		if (!name || !strcmp(name, "(null)"))
			continue;
		field_text(au, rec, "nametype", type, sizeof(type));
		for (t = NT_CREATE; t < NT_MAX && strcmp(type, types[t]); t++)
			;
		if (t == NT_MAX)
			t = NT_NORMAL;
		if (items[t] < 0)
			items[t] = rec;
	}
}

/* @prefer's item, else any, a parent last; -1: none. */
static int pick_item(const int items[NT_MAX], enum nametype prefer)
{
	unsigned int t;

	if (items[prefer] >= 0)
		return items[prefer];
	for (t = 0; t < NT_MAX; t++)
		if (items[t] >= 0)
			return items[t];
	return -1;
}

/* "//", "/./" and "x/../" out, by the letters: the kernel gave no better. */
static void normalize(char *path)
{
	char *out = path, *p = path;
	size_t len;

	while (*p) {
		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else if (len && !(len == 1 && p[0] == '.')) {
			*out++ = '/';
			memmove(out, p, len);
			out += len;
		}
		p += len;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/* PATH record @rec's name, made absolute with @cwd; "" for none. */
static void item_path(auparse_state_t *au, int rec, const char *cwd, char *out, size_t size)
{
	char name[PATH_MAX];
	int n;

	out[0] = '\0';
	if (rec < 0 || !field_text(au, rec, "name", name, sizeof(name)) || !name[0])
		return;
	if (name[0] == '/' || !cwd[0])
		n = snprintf(out, size, "%s", name);
	else
		n = snprintf(out, size, "%s/%s", cwd, name);
	if (n >= 0 && (size_t)n < size && out[0] == '/')
		normalize(out);
}

static void report_file(struct cwd_audit *a, auparse_state_t *au, unsigned int sc,
			unsigned int root, const char *syscall)
{
	struct cwd_file_event ev = {
		.root = root,
		.time_ns = event_time_ns(au),
		.serial = auparse_get_serial(au),
	};
	int items[NT_MAX];
	enum nametype prefer;

	fill_process(au, sc, &ev.proc);
	snprintf(ev.syscall, sizeof(ev.syscall), "%s", syscall);
	path_items(au, items);
	ev.op = file_op(syscall, items[NT_CREATE] >= 0);
	prefer = ev.op == CWD_FILE_CREATE || ev.op == CWD_FILE_RENAME ? NT_CREATE :
		 ev.op == CWD_FILE_DELETE ? NT_DELETE : NT_NORMAL;
	item_path(au, pick_item(items, prefer), ev.proc.cwd, ev.path, sizeof(ev.path));
	if (ev.op == CWD_FILE_RENAME)
		item_path(au, items[NT_DELETE], ev.proc.cwd, ev.from, sizeof(ev.from));
	if (a->ops->file)
		a->ops->file(&ev, a->arg);
}

static void on_event(auparse_state_t *au, auparse_cb_event_t type, void *arg)
{
	struct cwd_audit *a = arg;
	char syscall[32], success[8];
	unsigned int sc;
	unsigned int root;

	if (type != AUPARSE_CB_EVENT_READY || !find_record(au, AUDIT_SYSCALL, &sc) ||
	    !event_root(au, sc, &root))
		return;
	/* failed syscalls changed nothing */
	field_text(au, sc, "success", success, sizeof(success));
	if (strcmp(success, "yes") || !field_text(au, sc, "syscall", syscall, sizeof(syscall)))
		return;
	if (!strcmp(syscall, "execve") || !strcmp(syscall, "execveat"))
		report_exec(a, au, sc, root);
	else
		report_file(a, au, sc, root, syscall);
}

void cwd_audit_feed(struct cwd_audit *a, int type, const char *text, size_t len)
{
	const char *name, *nl;
	char head[48];
	int n;

	/*
	 * Only the records of syscall events, which end with an EOE. auparse
	 * hands out events in order, and an event of one record (our rule
	 * changes' CONFIG_CHANGE) is complete only when it has aged: every
	 * event after it would wait seconds.
	 */
	if (type != AUDIT_SYSCALL && type != AUDIT_PATH && type != AUDIT_CWD &&
	    type != AUDIT_EXECVE && type != AUDIT_EOE)
		return;
	/* a record is one line of text; netlink may add a NUL */
	len = strnlen(text, len);
	nl = memchr(text, '\n', len);
	if (nl)
		len = nl - text;
	name = audit_msg_type_to_name(type);
	if (name)
		n = snprintf(head, sizeof(head), "type=%s msg=", name);
	else
		n = snprintf(head, sizeof(head), "type=UNKNOWN[%d] msg=", type);
	auparse_feed(a->au, head, n);
	auparse_feed(a->au, text, len);
	auparse_feed(a->au, "\n", 1);
	/* auparse calls back for an event its last record completed only when fed again */
	if (auparse_feed_has_ready_event(a->au))
		auparse_feed(a->au, "", 0);
}

/* ---- the client ------------------------------------------------------ */

static struct cwd_audit *client_new(const struct cwd_audit_ops *ops, void *arg)
{
	struct cwd_audit *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->ops = ops;
	a->arg = arg;
	a->ctl = a->ev = a->epfd = -1;
	a->next_id = 1;
	a->au = auparse_init(AUSOURCE_FEED, NULL);
	if (!a->au) {
		free(a);
		return NULL;
	}
	/* decoded values as they are: the daemon escapes what it prints */
	auparse_set_escape_mode(a->au, AUPARSE_ESC_RAW);
	auparse_add_callback(a->au, on_event, a, NULL);
	return a;
}

int cwd_audit_open_feed(const struct cwd_audit_ops *ops, void *arg, struct cwd_audit **out)
{
	*out = client_new(ops, arg);
	return *out ? 0 : -ENOMEM;
}

/* The control socket and what the kernel says: usable, and whether auditd runs. */
static int open_control(struct cwd_audit *a, struct audit_status *s, char *err, size_t errlen)
{
	int ret;

	a->ctl = audit_open();
	if (a->ctl < 0) {
		ret = -errno;
		snprintf(err, errlen, "audit netlink: %s", errno == EPROTONOSUPPORT ?
			 "the kernel has no audit support" : strerror(errno));
		return ret;
	}
	ret = get_status(a->ctl, s);
	if (ret) {
		snprintf(err, errlen, "audit status: %s%s", strerror(-ret),
			 ret == -EPERM ? " (needs CAP_AUDIT_CONTROL)" : "");
		return ret;
	}
	if (s->enabled == 2) {
		snprintf(err, errlen, "the audit rules are locked (auditctl -e 2): "
			 "no rule can be added until reboot");
		return -EPERM;
	}
	return 0;
}

int cwd_audit_open(const struct cwd_audit_ops *ops, void *arg, struct cwd_audit **out,
		   char *err, size_t errlen)
{
	struct audit_status s;
	struct cwd_audit *a;
	int ret;

	/* libaudit would print its own messages to stderr */
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	a = client_new(ops, arg);
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	a->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (a->epfd < 0) {
		ret = -errno;
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		goto fail;
	}
	ret = open_control(a, &s, err, errlen);
	if (!ret)
		ret = purge_stale(a, err, errlen);
	if (ret)
		goto fail;
	a->lost = s.lost;
	if (pid_alive(s.pid))
		ret = follow_multicast(a, err, errlen);
	else
		ret = become_owner(a, &s, err, errlen);
	if (ret)
		goto fail;
	if (a->multicast && !s.enabled)
		cwd_log(LOG_WARNING, "audit: disabled by its daemon (pid %u): no events", s.pid);
	*out = a;
	return 0;
fail:
	cwd_audit_close(a);
	return ret;
}

int cwd_audit_fd(const struct cwd_audit *a)
{
	return a->epfd;
}

bool cwd_audit_multicast(const struct cwd_audit *a)
{
	return a->multicast;
}

/* Only what can go wrong with one message: the socket is fine. */
static bool bad_message(int err)
{
	return err == -EINVAL || err == -EPROTO || err == -EBADE || err == -EFBIG;
}

int cwd_audit_handle(struct cwd_audit *a)
{
	struct audit_reply rep;
	int ret;

	if (a->ev < 0)
		return 0;
	for (;;) {
		ret = audit_get_reply(a->ev, &rep, GET_REPLY_NONBLOCKING, 0);
		if (ret == -EAGAIN)
			return 0;
		if (ret == -ENOBUFS) {
			overran(a);
			continue;
		}
		if (ret == -EINTR || bad_message(ret))
			continue;
		if (ret < 0)
			return ret;
		/* the length received: unicast records' nlmsg_len leaves the header out */
		if (ret > NLMSG_HDRLEN)
			cwd_audit_feed(a, rep.type, NLMSG_DATA(rep.nlh), ret - NLMSG_HDRLEN);
	}
}

/* Whether auditd came, or went: read accordingly. */
static void follow_owner(struct cwd_audit *a, const struct audit_status *s)
{
	char err[256];

	if (a->owner && s->pid != (uint32_t)getpid() && pid_alive(s->pid)) {
		cwd_log(LOG_NOTICE, "audit: pid %u took the audit socket: reading its "
			"multicast group", s->pid);
		if (follow_multicast(a, err, sizeof(err)))
			cwd_log(LOG_ERR, "audit: %s", err);
	} else if ((a->owner && s->pid != (uint32_t)getpid()) ||
		   (a->multicast && !pid_alive(s->pid))) {
		cwd_log(LOG_NOTICE, "audit: the audit socket has no reader: reading as the "
			"audit daemon");
		if (become_owner(a, s, err, sizeof(err)))
			cwd_log(LOG_ERR, "audit: %s", err);
	}
}

void cwd_audit_tick(struct cwd_audit *a)
{
	struct audit_status s;
	int ret;

	auparse_feed_age_events(a->au);
	if (a->ctl < 0)
		return;
	ret = get_status(a->ctl, &s);
	if (ret) {
		cwd_log(LOG_WARNING, "audit status: %s", strerror(-ret));
		return;
	}
	if (s.lost != a->lost && a->ops->lost)
		a->ops->lost(s.lost - a->lost, s.backlog, "the kernel lost audit records", a->arg);
	a->lost = s.lost;
	follow_owner(a, &s);
}

/* ---- roots ----------------------------------------------------------- */

static struct root *find_root(struct cwd_audit *a, const char *path)
{
	struct root *r;

	for (r = a->roots; r; r = r->next)
		if (!strcmp(r->path, path))
			return r;
	return NULL;
}

static bool has_rule(struct audit_rule_data **rules, size_t n, const struct audit_rule_data *r)
{
	while (n)
		if (rule_equal(rules[--n], r))
			return true;
	return false;
}

/*
 * Adds the rules of @rules the kernel does not have from @old; on a
 * failure, removes those it added, leaving the kernel as it was.
 */
static int add_new_rules(struct cwd_audit *a, struct audit_rule_data **rules, size_t n,
			 struct audit_rule_data **old, size_t nold, char *err, size_t errlen)
{
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		if (has_rule(old, nold, rules[i]))
			continue;
		ret = send_rule(a, rules[i], true);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "adding an audit rule: %s", strerror(-ret));
	while (i--)
		if (!has_rule(old, nold, rules[i]))
			delete_rule(a, rules[i]);
	return ret;
}

static void free_root(struct root *r)
{
	cwd_audit_rules_free(r->rules, r->nrules);
	free(r);
}

int cwd_audit_watch_root(struct cwd_audit *a, const char *root, const char *const *paths,
			 size_t npaths, unsigned int *id, char *err, size_t errlen)
{
	struct root *r = find_root(a, root), *added = NULL;
	struct audit_rule_data **rules;
	size_t n, i;
	int ret;

	if (!r) {
		added = r = calloc(1, sizeof(*r) + strlen(root) + 1);
		if (!r) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		strcpy(r->path, root);
		r->id = a->next_id;
	}
	ret = cwd_audit_root_rules(root, paths, npaths, r->id, &rules, &n, err, errlen);
	if (ret) {
		free(added);
		return ret;
	}
	ret = add_new_rules(a, rules, n, r->rules, r->nrules, err, errlen);
	if (ret) {
		cwd_audit_rules_free(rules, n);
		free(added);
		return ret;
	}
	for (i = 0; i < r->nrules; i++)
		if (!has_rule(rules, n, r->rules[i]))
			delete_rule(a, r->rules[i]);
	cwd_audit_rules_free(r->rules, r->nrules);
	r->rules = rules;
	r->nrules = n;
	if (added) {
		a->next_id++;
		r->next = a->roots;
		a->roots = r;
	}
	*id = r->id;
	return 0;
}

void cwd_audit_unwatch_root(struct cwd_audit *a, unsigned int id)
{
	struct root **p, *r;
	size_t i;

	for (p = &a->roots; *p && (*p)->id != id; p = &(*p)->next)
		;
	r = *p;
	if (!r)
		return;
	*p = r->next;
	for (i = 0; i < r->nrules; i++)
		delete_rule(a, r->rules[i]);
	free_root(r);
}

void cwd_audit_close(struct cwd_audit *a)
{
	if (!a)
		return;
	while (a->roots)
		cwd_audit_unwatch_root(a, a->roots->id);
	if (a->au) {
		auparse_flush_feed(a->au);
		auparse_destroy(a->au);
	}
	if (a->owner)
		restore_settings(a);
	if (a->ev >= 0)
		close(a->ev);
	if (a->ctl >= 0)
		close(a->ctl);
	if (a->epfd >= 0)
		close(a->epfd);
	free(a);
}
