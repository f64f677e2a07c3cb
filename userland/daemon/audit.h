/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cellwalld's audit client (audit.c): its own audit rules, keyed
 * "cellwall:ROOT", one set per container root, and the events they raise,
 * assembled by libauparse.
 *
 * With no audit daemon, cellwalld is the one (it registers its pid, and
 * gives the socket back at exit); when auditd owns the socket, it reads
 * the read-only multicast group instead and leaves auditd alone.
 */
#ifndef CWD_AUDIT_H
#define CWD_AUDIT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CWD_AUDIT_KEY "cellwall"	/* every rule's key starts so */
#define CWD_ARGV_MAX 256		/* argv joined by spaces, "..." when cut */

/* What one audited syscall did, as its records say. */
struct cwd_audit_process {
	pid_t pid, ppid;
	uint32_t uid, euid;		/* real, effective (after the exec) */
	char exe[PATH_MAX];		/* as the process sees its root */
	char comm[16];
	char cwd[PATH_MAX];		/* "" when the event had none */
};

struct cwd_exec_event {
	unsigned root;			/* the root whose rule matched */
	uint64_t time_ns;		/* the record's time, CLOCK_REALTIME */
	uint64_t serial;
	struct cwd_audit_process proc;
	char argv[CWD_ARGV_MAX];
};

enum cwd_file_op {
	CWD_FILE_WRITE,			/* opened for writing, truncated */
	CWD_FILE_CREATE,		/* a new name: creat, mknod, mkdir, link, symlink */
	CWD_FILE_DELETE,		/* unlink, rmdir */
	CWD_FILE_RENAME,		/* path: the new name; from: the old */
	CWD_FILE_ATTR,			/* chmod, chown, setxattr, utimes */
};

const char *cwd_file_op_name(enum cwd_file_op op);	/* "write", ... */

struct cwd_file_event {
	unsigned root;
	uint64_t time_ns;
	uint64_t serial;
	struct cwd_audit_process proc;
	enum cwd_file_op op;
	char syscall[32];		/* "openat", "renameat2", ... */
	char path[PATH_MAX];		/* absolute, in the container's root; "": unnamed */
	char from[PATH_MAX];		/* a rename's old name, else "" */
};

struct cwd_audit_ops {
	void (*exec)(const struct cwd_exec_event *ev, void *arg);
	void (*file)(const struct cwd_file_event *ev, void *arg);
	/*
	 * The kernel lost records (its counter went up by @lost since the
	 * last call), or our socket overran; @backlog: records waiting.
	 */
	void (*lost)(uint32_t lost, uint32_t backlog, const char *why, void *arg);
};

struct cwd_audit;
struct audit_rule_data;

/*
 * Opens the audit netlink, removes rules a previous cellwalld left (its
 * key), and reads as the audit daemon or through the multicast group.
 * Fails when audit cannot be used (no CAP_AUDIT_CONTROL, locked rules, a
 * kernel without audit), with @err saying why.
 */
int cwd_audit_open(const struct cwd_audit_ops *ops, void *arg, struct cwd_audit **out,
		   char *err, size_t errlen);
/*
 * Removes exactly the rules it added; gives the socket back; restores what
 * it set. Events still incomplete are reported first, through the ops.
 */
void cwd_audit_close(struct cwd_audit *a);
/*
 * For poll() or epoll: the same descriptor for the client's whole life,
 * though the socket behind it changes when auditd comes or goes.
 */
int cwd_audit_fd(const struct cwd_audit *a);
/* Reads every record waiting; calls the ops for each complete event. */
int cwd_audit_handle(struct cwd_audit *a);
/* Each second: events left incomplete, the kernel's lost counter, who owns the socket. */
void cwd_audit_tick(struct cwd_audit *a);
/* True when it reads through the multicast group (auditd owns the socket). */
bool cwd_audit_multicast(const struct cwd_audit *a);

/*
 * The rules for one root (a directory in our mount namespace; "/" for
 * containers that share the host's): execs of its files, and writes,
 * creations, deletions, renames and attribute changes under each of
 * @paths (relative to the root, absolute: "/etc/passwd", "/usr/bin").
 * Paths that do not exist in the root are left out; a file whose
 * directory exists is watched for its creation. *@id names the root in
 * events. Calling it again for the same @root replaces its paths.
 */
int cwd_audit_watch_root(struct cwd_audit *a, const char *root, const char *const *paths,
			 size_t npaths, unsigned *id, char *err, size_t errlen);
/* Removes the root's rules. */
void cwd_audit_unwatch_root(struct cwd_audit *a, unsigned id);

/*
 * For tests: @text, one record as the kernel sends it ("audit(T:S): ..."),
 * of audit message type @type, as if read from the socket.
 */
void cwd_audit_feed(struct cwd_audit *a, int type, const char *text, size_t len);
/*
 * For tests: a client with no socket, fed by cwd_audit_feed(); its
 * cwd_audit_watch_root() keeps the rules without giving them to a kernel.
 */
int cwd_audit_open_feed(const struct cwd_audit_ops *ops, void *arg, struct cwd_audit **out);

/*
 * For tests: the rules cwd_audit_watch_root() gives the kernel for @root
 * as root @id, in *@rules (*@n of them), freed by cwd_audit_rules_free().
 */
int cwd_audit_root_rules(const char *root, const char *const *paths, size_t npaths, unsigned id,
			 struct audit_rule_data ***rules, size_t *n, char *err, size_t errlen);
void cwd_audit_rules_free(struct audit_rule_data **rules, size_t n);

#endif /* CWD_AUDIT_H */
