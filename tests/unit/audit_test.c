// SPDX-License-Identifier: GPL-2.0
/*
 * The audit client without a kernel: records written as the kernel sends
 * them become exec and file events (ours only, successful only, assembled
 * across interleaved serials, argv cut at CWD_ARGV_MAX); and the rules a
 * root gets, checked field by field.
 */

#include "audit.h"
#include "kselftest_harness.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libaudit.h>

#define MAX_EVENTS 8

struct seen {
	struct cwd_exec_event exec[MAX_EVENTS];
	struct cwd_file_event file[MAX_EVENTS];
	size_t nexec, nfile;
};

static void on_exec(const struct cwd_exec_event *ev, void *arg)
{
	struct seen *s = arg;

	if (s->nexec < MAX_EVENTS)
		s->exec[s->nexec] = *ev;
	s->nexec++;
}

static void on_file(const struct cwd_file_event *ev, void *arg)
{
	struct seen *s = arg;

	if (s->nfile < MAX_EVENTS)
		s->file[s->nfile] = *ev;
	s->nfile++;
}

static const struct cwd_audit_ops ops = { .exec = on_exec, .file = on_file };

/* One record of event @serial, as the kernel sends it. */
static void record(struct cwd_audit *a, int type, unsigned int serial, const char *fmt, ...)
{
	char text[8192];
	va_list ap;
	int n;

	n = snprintf(text, sizeof(text), "audit(1700000000.123:%u): ", serial);
	va_start(ap, fmt);
	n += vsnprintf(text + n, sizeof(text) - n, fmt, ap);
	va_end(ap);
	cwd_audit_feed(a, type, text, n);
}

static void syscall_record(struct cwd_audit *a, unsigned int serial, int nr, const char *success,
			   const char *key)
{
	record(a, AUDIT_SYSCALL, serial, "arch=c000003e syscall=%d success=%s exit=0 a0=55d0c8 "
	       "a1=55d0d0 a2=55d0e0 a3=0 items=2 ppid=1200 pid=1234 auid=4294967295 uid=1000 "
	       "gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
	       "comm=\"nc\" exe=\"/bin/busybox\" key=%s", nr, success, key);
}

static void path_record(struct cwd_audit *a, unsigned int serial, int item, const char *name,
			const char *nametype)
{
	record(a, AUDIT_PATH, serial, "item=%d name=%s inode=12 dev=00:2a mode=0100644 ouid=0 "
	       "ogid=0 rdev=00:00 nametype=%s cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 "
	       "cap_frootid=0", item, name, nametype);
}

static void end_event(struct cwd_audit *a, unsigned int serial)
{
	record(a, AUDIT_PROCTITLE, serial, "proctitle=6E63002D6C002D70");
	record(a, AUDIT_EOE, serial, "");
}

/* nc -l -p, run from /tmp: the brief's example. */
static void exec_event(struct cwd_audit *a, unsigned int serial, const char *success,
		       const char *key)
{
	syscall_record(a, serial, 59, success, key);
	record(a, AUDIT_EXECVE, serial, "argc=3 a0=\"nc\" a1=\"-l\" a2=2D70");
	record(a, AUDIT_CWD, serial, "cwd=\"/tmp\"");
	path_record(a, serial, 0, "\"/usr/bin/nc\"", "NORMAL");
	end_event(a, serial);
}

/* A change of one file: @nr on x86_64, the PATH items given as name, type pairs. */
static void file_event(struct cwd_audit *a, unsigned int serial, int nr, const char *cwd,
		       const char *const *items, int nitems)
{
	int i;

	syscall_record(a, serial, nr, "yes", "\"cellwall:2\"");
	record(a, AUDIT_CWD, serial, "cwd=\"%s\"", cwd);
	for (i = 0; i < nitems; i++)
		path_record(a, serial, i, items[2 * i], items[2 * i + 1]);
	end_event(a, serial);
}

FIXTURE(records)
{
	struct cwd_audit *a;
	struct seen seen;
};

FIXTURE_SETUP(records)
{
	memset(&self->seen, 0, sizeof(self->seen));
	ASSERT_EQ(0, cwd_audit_open_feed(&ops, &self->seen, &self->a));
	EXPECT_EQ(-1, cwd_audit_fd(self->a));
	EXPECT_FALSE(cwd_audit_multicast(self->a));
}

FIXTURE_TEARDOWN(records)
{
	cwd_audit_close(self->a);
}

TEST_F(records, exec)
{
	const struct cwd_exec_event *ev = &self->seen.exec[0];

	exec_event(self->a, 4242, "yes", "\"cellwall:3\"");
	ASSERT_EQ(1U, self->seen.nexec);
	EXPECT_EQ(0U, self->seen.nfile);
	EXPECT_EQ(3U, ev->root);
	EXPECT_EQ(4242U, ev->serial);
	EXPECT_EQ(1700000000123000000ULL, ev->time_ns);
	EXPECT_EQ(1234, ev->proc.pid);
	EXPECT_EQ(1200, ev->proc.ppid);
	EXPECT_EQ(1000U, ev->proc.uid);
	EXPECT_EQ(0U, ev->proc.euid);
	EXPECT_STREQ("nc", ev->proc.comm);
	EXPECT_STREQ("/bin/busybox", ev->proc.exe);
	EXPECT_STREQ("/tmp", ev->proc.cwd);
	EXPECT_STREQ("nc -l -p", ev->argv);
}

/* Names with spaces come hex-encoded; so may the whole argument list. */
TEST_F(records, exec_hex_encoded)
{
	const struct cwd_exec_event *ev = &self->seen.exec[0];

	record(self->a, AUDIT_SYSCALL, 7, "arch=c000003e syscall=322 success=yes exit=0 items=2 "
	       "ppid=1 pid=77 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 "
	       "fsgid=0 tty=(none) ses=4294967295 comm=6D792070726F67 "
	       "exe=2F6F70742F6D792070726F67 key=\"cellwall:1\"");
	record(self->a, AUDIT_EXECVE, 7, "argc=2 a0=6D792070726F67 a1=\"--x\"");
	record(self->a, AUDIT_CWD, 7, "cwd=2F686F6D652F6D7920646972");
	record(self->a, AUDIT_EOE, 7, "");
	ASSERT_EQ(1U, self->seen.nexec);
	EXPECT_STREQ("my prog", ev->proc.comm);
	EXPECT_STREQ("/opt/my prog", ev->proc.exe);
	EXPECT_STREQ("/home/my dir", ev->proc.cwd);
	EXPECT_STREQ("my prog --x", ev->argv);
}

TEST_F(records, not_our_key)
{
	exec_event(self->a, 10, "yes", "\"other:3\"");
	exec_event(self->a, 11, "yes", "(null)");
	exec_event(self->a, 12, "yes", "\"cellwall\"");
	exec_event(self->a, 13, "yes", "\"cellwall:x\"");
	EXPECT_EQ(0U, self->seen.nexec);
	EXPECT_EQ(0U, self->seen.nfile);
	exec_event(self->a, 14, "yes", "\"cellwall:1\"");
	EXPECT_EQ(1U, self->seen.nexec);
}

TEST_F(records, failed_syscalls)
{
	const char *const items[] = { "\"/etc/\"", "PARENT", "\"/etc/shadow\"", "DELETE" };

	exec_event(self->a, 20, "no", "\"cellwall:3\"");
	syscall_record(self->a, 21, 87, "no", "\"cellwall:2\"");
	path_record(self->a, 21, 0, items[0], items[1]);
	end_event(self->a, 21);
	EXPECT_EQ(0U, self->seen.nexec);
	EXPECT_EQ(0U, self->seen.nfile);
	exec_event(self->a, 22, "yes", "\"cellwall:3\"");
	EXPECT_EQ(1U, self->seen.nexec);
}

TEST_F(records, rename)
{
	const char *const items[] = {
		"\"/etc/\"", "PARENT", "\"/etc/\"", "PARENT",
		"\"/etc/passwd+\"", "DELETE", "\"/etc/passwd\"", "CREATE",
	};
	const struct cwd_file_event *ev = &self->seen.file[0];

	file_event(self->a, 30, 316, "/root", items, 4);
	ASSERT_EQ(1U, self->seen.nfile);
	EXPECT_STREQ("rename", cwd_file_op_name(ev->op));
	EXPECT_STREQ("renameat2", ev->syscall);
	EXPECT_STREQ("/etc/passwd", ev->path);
	EXPECT_STREQ("/etc/passwd+", ev->from);
	EXPECT_EQ(2U, ev->root);
	EXPECT_EQ(1234, ev->proc.pid);
	EXPECT_STREQ("nc", ev->proc.comm);
}

/* A relative name: the kernel logs the cwd as the parent's name. */
TEST_F(records, create_relative)
{
	const char *const items[] = { "\"/etc\"", "PARENT", "\"newfile\"", "CREATE" };
	const struct cwd_file_event *ev = &self->seen.file[0];

	file_event(self->a, 40, 257, "/etc", items, 2);
	ASSERT_EQ(1U, self->seen.nfile);
	EXPECT_STREQ("create", cwd_file_op_name(ev->op));
	EXPECT_STREQ("openat", ev->syscall);
	EXPECT_STREQ("/etc/newfile", ev->path);
	EXPECT_STREQ("", ev->from);
	EXPECT_STREQ("/etc", ev->proc.cwd);
}

TEST_F(records, relative_names_normalized)
{
	const char *const items[] = {
		"\"/etc\"", "PARENT", "\".//cron.d/./../x/..//y\"", "CREATE",
	};

	file_event(self->a, 41, 83, "/etc/", items, 2);
	ASSERT_EQ(1U, self->seen.nfile);
	EXPECT_STREQ("create", cwd_file_op_name(self->seen.file[0].op));
	EXPECT_STREQ("mkdir", self->seen.file[0].syscall);
	EXPECT_STREQ("/etc/y", self->seen.file[0].path);
}

TEST_F(records, open_for_writing)
{
	const char *const items[] = { "\"/etc/hosts\"", "NORMAL" };

	file_event(self->a, 42, 257, "/", items, 1);
	ASSERT_EQ(1U, self->seen.nfile);
	EXPECT_STREQ("write", cwd_file_op_name(self->seen.file[0].op));
	EXPECT_STREQ("/etc/hosts", self->seen.file[0].path);
}

TEST_F(records, unlink)
{
	const char *const items[] = { "\"/etc/\"", "PARENT", "\"/etc/shadow\"", "DELETE" };

	file_event(self->a, 50, 263, "/", items, 2);
	ASSERT_EQ(1U, self->seen.nfile);
	EXPECT_STREQ("delete", cwd_file_op_name(self->seen.file[0].op));
	EXPECT_STREQ("unlinkat", self->seen.file[0].syscall);
	EXPECT_STREQ("/etc/shadow", self->seen.file[0].path);
}

TEST_F(records, chmod)
{
	const char *const items[] = { "\"/etc/passwd\"", "NORMAL" };

	file_event(self->a, 60, 90, "/", items, 1);
	ASSERT_EQ(1U, self->seen.nfile);
	EXPECT_STREQ("attr", cwd_file_op_name(self->seen.file[0].op));
	EXPECT_STREQ("chmod", self->seen.file[0].syscall);
	EXPECT_STREQ("/etc/passwd", self->seen.file[0].path);
}

/* fchmod on a descriptor: the item has no name. */
TEST_F(records, no_name)
{
	const char *const items[] = { "(null)", "NORMAL" };

	file_event(self->a, 61, 91, "/", items, 1);
	ASSERT_EQ(1U, self->seen.nfile);
	EXPECT_STREQ("attr", cwd_file_op_name(self->seen.file[0].op));
	EXPECT_STREQ("", self->seen.file[0].path);
}

TEST_F(records, interleaved)
{
	syscall_record(self->a, 100, 59, "yes", "\"cellwall:3\"");
	syscall_record(self->a, 101, 87, "yes", "\"cellwall:4\"");
	record(self->a, AUDIT_CWD, 101, "cwd=\"/var\"");
	record(self->a, AUDIT_EXECVE, 100, "argc=2 a0=\"ls\" a1=\"-l\"");
	path_record(self->a, 101, 0, "\"/var/lib/\"", "PARENT");
	record(self->a, AUDIT_CWD, 100, "cwd=\"/srv\"");
	path_record(self->a, 101, 1, "\"lib/x\"", "DELETE");
	path_record(self->a, 100, 0, "\"/bin/ls\"", "NORMAL");
	record(self->a, AUDIT_EOE, 101, "");
	record(self->a, AUDIT_EOE, 100, "");

	ASSERT_EQ(1U, self->seen.nexec);
	ASSERT_EQ(1U, self->seen.nfile);
	EXPECT_EQ(100U, self->seen.exec[0].serial);
	EXPECT_EQ(3U, self->seen.exec[0].root);
	EXPECT_STREQ("ls -l", self->seen.exec[0].argv);
	EXPECT_STREQ("/srv", self->seen.exec[0].proc.cwd);
	EXPECT_EQ(101U, self->seen.file[0].serial);
	EXPECT_EQ(4U, self->seen.file[0].root);
	EXPECT_STREQ("delete", cwd_file_op_name(self->seen.file[0].op));
	EXPECT_STREQ("/var/lib/x", self->seen.file[0].path);
	EXPECT_STREQ("/var", self->seen.file[0].proc.cwd);
}

TEST_F(records, long_argv_cut)
{
	char args[4096], expect[4096];
	const char *argv;
	int i, n = 0, len = 0;

	for (i = 0; i < 60; i++) {
		n += snprintf(args + n, sizeof(args) - n, " a%d=\"arg%02d\"", i, i);
		len += snprintf(expect + len, sizeof(expect) - len, "%sarg%02d", i ? " " : "", i);
	}
	syscall_record(self->a, 70, 59, "yes", "\"cellwall:1\"");
	record(self->a, AUDIT_EXECVE, 70, "argc=60%s", args);
	end_event(self->a, 70);
	ASSERT_EQ(1U, self->seen.nexec);
	argv = self->seen.exec[0].argv;
	EXPECT_EQ((size_t)CWD_ARGV_MAX - 1, strlen(argv));
	EXPECT_STREQ("...", argv + CWD_ARGV_MAX - 4);
	EXPECT_EQ(0, strncmp(argv, expect, CWD_ARGV_MAX - 4));
}

/* The kernel splits a long argument (aN_len, aN[0], aN[1]) and the records. */
TEST_F(records, split_argument)
{
	char piece[601];

	memset(piece, 'x', 600);
	piece[600] = '\0';
	syscall_record(self->a, 71, 59, "yes", "\"cellwall:1\"");
	record(self->a, AUDIT_EXECVE, 71, "argc=3 a0=\"sh\" a1_len=1200 a1[0]=\"%s\"", piece);
	record(self->a, AUDIT_EXECVE, 71, "a1[1]=\"%s\" a2=\"-c\"", piece);
	end_event(self->a, 71);
	ASSERT_EQ(1U, self->seen.nexec);
	EXPECT_EQ(0, strncmp(self->seen.exec[0].argv, "sh xxx", 6));
	EXPECT_STREQ("...", self->seen.exec[0].argv + CWD_ARGV_MAX - 4);
}

/* Without its EOE, an event is reported once old (tick), or at close. */
TEST_F(records, incomplete_events)
{
	syscall_record(self->a, 80, 59, "yes", "\"cellwall:1\"");
	record(self->a, AUDIT_EXECVE, 80, "argc=1 a0=\"true\"");
	EXPECT_EQ(0U, self->seen.nexec);
	cwd_audit_tick(self->a);
	ASSERT_EQ(1U, self->seen.nexec);
	EXPECT_STREQ("true", self->seen.exec[0].argv);

	syscall_record(self->a, 81, 59, "yes", "\"cellwall:1\"");
	cwd_audit_close(self->a);
	self->a = NULL;
	EXPECT_EQ(2U, self->seen.nexec);
}

/* Records outside the 1300s (user messages, replies) are not events. */
TEST_F(records, other_types_ignored)
{
	record(self->a, AUDIT_USER_CMD, 90, "pid=1 uid=0 msg='cmd=6C73 key=\"cellwall:1\"'");
	record(self->a, AUDIT_EOE + 200, 90, "");
	syscall_record(self->a, 91, 59, "yes", "\"cellwall:1\"");
	record(self->a, AUDIT_EOE, 91, "");
	EXPECT_EQ(1U, self->seen.nexec);
	EXPECT_EQ(91U, self->seen.exec[0].serial);
}

/* ---- rules ---- */

static int field_at(const struct audit_rule_data *r, uint32_t field)
{
	uint32_t i;

	for (i = 0; i < r->field_count; i++)
		if (r->fields[i] == field)
			return i;
	return -1;
}

/* The string value of @field; our rules hold no other string fields. */
static const char *string_of(const struct audit_rule_data *r, uint32_t field, char *buf,
			     size_t size)
{
	uint32_t i, off = 0;

	for (i = 0; i < r->field_count; i++) {
		if (r->fields[i] != AUDIT_WATCH && r->fields[i] != AUDIT_DIR &&
		    r->fields[i] != AUDIT_FILTERKEY)
			continue;
		if (r->fields[i] == field) {
			snprintf(buf, size, "%.*s", (int)r->values[i], r->buf + off);
			return buf;
		}
		off += r->values[i];
	}
	return NULL;
}

static bool has_syscall(const struct audit_rule_data *r, int nr)
{
	return r->mask[AUDIT_WORD(nr)] & AUDIT_BIT(nr);
}


FIXTURE(rules)
{
	char root[64];
	struct audit_rule_data **rules;
	size_t n;
};

FIXTURE_SETUP(rules)
{
	char path[128];
	int fd;

	snprintf(self->root, sizeof(self->root), "/tmp/cw-audit-test-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	snprintf(path, sizeof(path), "%s/etc", self->root);
	ASSERT_EQ(0, mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/etc/passwd", self->root);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	ASSERT_LE(0, fd);
	close(fd);
	self->rules = NULL;
	self->n = 0;
}

FIXTURE_TEARDOWN(rules)
{
	char path[128];

	cwd_audit_rules_free(self->rules, self->n);
	snprintf(path, sizeof(path), "%s/etc/passwd", self->root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc", self->root);
	rmdir(path);
	rmdir(self->root);
}

static void expect_exec_rule(struct __test_metadata *_metadata, const struct audit_rule_data *r,
			     uint32_t arch, int execve, int execveat, const char *dir,
			     const char *key)
{
	char buf[256];
	int i;

	EXPECT_EQ((uint32_t)AUDIT_FILTER_EXIT, r->flags);
	EXPECT_EQ((uint32_t)AUDIT_ALWAYS, r->action);
	i = field_at(r, AUDIT_ARCH);
	ASSERT_LE(0, i);
	EXPECT_EQ(arch, r->values[i]);
	i = field_at(r, AUDIT_SUCCESS);
	ASSERT_LE(0, i);
	EXPECT_EQ(1U, r->values[i]);
	EXPECT_TRUE(has_syscall(r, execve));
	EXPECT_TRUE(has_syscall(r, execveat));
	EXPECT_FALSE(has_syscall(r, 2));	/* open on x86_64, fork on i386 */
	EXPECT_EQ(-1, field_at(r, AUDIT_WATCH));
	EXPECT_EQ(-1, field_at(r, AUDIT_PERM));
	if (dir) {
		EXPECT_STREQ(dir, string_of(r, AUDIT_DIR, buf, sizeof(buf)));
	} else {
		EXPECT_EQ(-1, field_at(r, AUDIT_DIR));
	}
	EXPECT_STREQ(key, string_of(r, AUDIT_FILTERKEY, buf, sizeof(buf)));
}

static void expect_path_rule(struct __test_metadata *_metadata, const struct audit_rule_data *r,
			     uint32_t type, const char *path, const char *key)
{
	char buf[256];
	int i;

	EXPECT_EQ((uint32_t)AUDIT_FILTER_EXIT, r->flags);
	EXPECT_EQ((uint32_t)AUDIT_ALWAYS, r->action);
	/* The syscalls that change files (x86_64 numbers), not the others. */
	EXPECT_TRUE(has_syscall(r, 257));	/* openat */
	EXPECT_TRUE(has_syscall(r, 82));	/* rename */
	EXPECT_TRUE(has_syscall(r, 263));	/* unlinkat */
	EXPECT_TRUE(has_syscall(r, 90));	/* chmod */
	EXPECT_FALSE(has_syscall(r, 0));	/* read */
	EXPECT_FALSE(has_syscall(r, 1));	/* write */
	EXPECT_FALSE(has_syscall(r, 3));	/* close */
	EXPECT_FALSE(has_syscall(r, 59));	/* execve */
	EXPECT_EQ(4U, r->field_count);
	i = field_at(r, AUDIT_ARCH);
	ASSERT_LE(0, i);
	EXPECT_EQ((uint32_t)AUDIT_ARCH_X86_64, r->values[i]);
	EXPECT_STREQ(path, string_of(r, type, buf, sizeof(buf)));
	i = field_at(r, AUDIT_PERM);
	ASSERT_LE(0, i);
	EXPECT_EQ((uint32_t)(AUDIT_PERM_WRITE | AUDIT_PERM_ATTR), r->values[i]);
	EXPECT_STREQ(key, string_of(r, AUDIT_FILTERKEY, buf, sizeof(buf)));
}

TEST_F(rules, container_root)
{
	const char *const paths[] = { "/etc", "/etc/passwd/", "etc/newfile", "/nope/x" };
	char err[256], want[128];

	ASSERT_EQ(0, cwd_audit_root_rules(self->root, paths, 4, 7, &self->rules, &self->n,
					  err, sizeof(err))) TH_LOG("%s", err);
	/* exec b64, exec b32, then the three paths whose directory exists */
	ASSERT_EQ(5U, self->n);
	expect_exec_rule(_metadata, self->rules[0], AUDIT_ARCH_X86_64, 59, 322, self->root,
			 "cellwall:7");
	expect_exec_rule(_metadata, self->rules[1], AUDIT_ARCH_I386, 11, 358, self->root,
			 "cellwall:7");
	snprintf(want, sizeof(want), "%s/etc", self->root);
	expect_path_rule(_metadata, self->rules[2], AUDIT_DIR, want, "cellwall:7");
	snprintf(want, sizeof(want), "%s/etc/passwd", self->root);
	expect_path_rule(_metadata, self->rules[3], AUDIT_WATCH, want, "cellwall:7");
	snprintf(want, sizeof(want), "%s/etc/newfile", self->root);
	expect_path_rule(_metadata, self->rules[4], AUDIT_WATCH, want, "cellwall:7");
}

/* The host's root: every exec (no dir), paths as they are. */
TEST_F(rules, host_root)
{
	const char *const paths[] = { "/etc", "/etc/passwd", "/cw-audit-test-new" };
	char err[256];

	ASSERT_EQ(0, cwd_audit_root_rules("/", paths, 3, 1, &self->rules, &self->n,
					  err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(5U, self->n);
	expect_exec_rule(_metadata, self->rules[0], AUDIT_ARCH_X86_64, 59, 322, NULL,
			 "cellwall:1");
	expect_path_rule(_metadata, self->rules[2], AUDIT_DIR, "/etc", "cellwall:1");
	expect_path_rule(_metadata, self->rules[3], AUDIT_WATCH, "/etc/passwd", "cellwall:1");
	expect_path_rule(_metadata, self->rules[4], AUDIT_WATCH, "/cw-audit-test-new",
			 "cellwall:1");
}

TEST_F(rules, bad_roots)
{
	char err[256] = "";

	EXPECT_NE(0, cwd_audit_root_rules("relative", NULL, 0, 1, &self->rules, &self->n,
					  err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "relative"));
	err[0] = '\0';
	EXPECT_NE(0, cwd_audit_root_rules("/a!=b", NULL, 0, 1, &self->rules, &self->n,
					  err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "/a!=b"));
}

/* Roots keep their id when their paths change; ids are never reused. */
TEST(watch_root_ids)
{
	const char *const one[] = { "/etc" }, *const two[] = { "/etc", "/tmp" };
	struct cwd_audit *a;
	unsigned int id1, id1again, id2, id3;
	char err[256];

	ASSERT_EQ(0, cwd_audit_open_feed(&ops, NULL, &a));
	ASSERT_EQ(0, cwd_audit_watch_root(a, "/", one, 1, &id1, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, cwd_audit_watch_root(a, "/tmp", one, 1, &id2, err, sizeof(err)));
	ASSERT_EQ(0, cwd_audit_watch_root(a, "/", two, 2, &id1again, err, sizeof(err)));
	EXPECT_EQ(1U, id1);
	EXPECT_EQ(2U, id2);
	EXPECT_EQ(id1, id1again);
	cwd_audit_unwatch_root(a, id2);
	ASSERT_EQ(0, cwd_audit_watch_root(a, "/tmp", one, 1, &id3, err, sizeof(err)));
	EXPECT_EQ(3U, id3);
	EXPECT_NE(0, cwd_audit_watch_root(a, "rel", one, 1, &id3, err, sizeof(err)));
	cwd_audit_close(a);
}

TEST_HARNESS_MAIN
