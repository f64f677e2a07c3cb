/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the guest tests: run commands, load the module, read
 * `cellwall status -j`. Paths come from the environment that
 * tests/kselftests/run.sh sets: CW_KO (the module), CW_CLI (the CLI).
 */
#ifndef CW_TEST_HELPERS_H
#define CW_TEST_HELPERS_H

#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline const char *cw_env(const char *name)
{
	const char *value = getenv(name);

	if (!value || !*value) {
		fprintf(stderr, "%s is not set (run through tests/kselftests/run.sh)\n", name);
		exit(1);
	}
	return value;
}

/* Runs a shell command; returns its exit status, or -1 if it died. */
static inline int __attribute__((format(printf, 1, 2))) cw_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Runs a command, keeps its stdout and stderr in @out; returns its status. */
static inline int __attribute__((format(printf, 3, 4)))
cw_capture(char *out, size_t size, const char *fmt, ...)
{
	char cmd[4096];
	size_t len = 0;
	va_list ap;
	FILE *f;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (len + 1 < size) {
		size_t n = fread(out + len, 1, size - 1 - len, f);

		if (!n)
			break;
		len += n;
	}
	out[len] = '\0';
	status = pclose(f);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static inline bool cw_module_loaded(void)
{
	struct stat st;

	return stat("/sys/module/cellwall", &st) == 0;
}

static inline int cw_module_load(void)
{
	if (cw_module_loaded())
		return 0;
	/* insmod does not load dependencies; built in on debug kernels. */
	cw_sh("modprobe -qa nf_reject_ipv4 nf_reject_ipv6 2>/dev/null");
	return cw_sh("insmod %s", cw_env("CW_KO"));
}

static inline int cw_module_unload(void)
{
	if (!cw_module_loaded())
		return 0;
	return cw_sh("rmmod cellwall");
}

/* Waits up to @ms for cmd to succeed: a polling waiter, not a sleep. */
static inline bool __attribute__((format(printf, 2, 3)))
cw_wait_for(int ms, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int waited;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	for (waited = 0; waited < ms; waited += 50) {
		if (cw_sh("%s", cmd) == 0)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

/* @rel in the source tree, from this binary's place in it (build/tests/kselftests/). */
static inline const char *cw_tree_path(const char *rel, char *buf, size_t size)
{
	char exe[1024];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (len < 0) {
		snprintf(buf, size, "%s", rel);
		return buf;
	}
	exe[len] = '\0';
	snprintf(buf, size, "%s/../../../%s", dirname(exe), rel);
	return buf;
}

/* `cellwall status -j`, run in @netns (NULL: the test's own). */
static inline json_t *cw_status(const char *netns)
{
	char cmd[1024];
	json_error_t error;
	json_t *root;
	FILE *f;

	if (netns)
		snprintf(cmd, sizeof(cmd), "ip netns exec %s %s status -j",
			 netns, cw_env("CW_CLI"));
	else
		snprintf(cmd, sizeof(cmd), "%s status -j", cw_env("CW_CLI"));
	f = popen(cmd, "r");
	if (!f)
		return NULL;
	root = json_loadf(f, 0, &error);
	if (pclose(f) != 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* One counter of a status: scope "netns" or "all", dir "in"/"out"/"forward",
 * what "packets" or "bytes". */
static inline uint64_t cw_counter(json_t *status, const char *scope,
				  const char *dir, const char *what)
{
	json_t *v = json_object_get(json_object_get(json_object_get(status, scope), dir), what);

	return json_is_integer(v) ? (uint64_t)json_integer_value(v) : UINT64_MAX;
}

/*
 * The keys of the CLI's JSON output (-j), in one place: when the CLI
 * renames one, change it here and nowhere else.
 */
/* cellwall status -j */
#define CW_JK_FLOW_ENTRY_SIZE	"flow_entry_size"
#define CW_JK_FLOW_STATS	"flows"		/* object: the counters below */
#define CW_JK_FLOWS_ACTIVE	"active"
#define CW_JK_FLOWS_EVICTED	"evicted"
#define CW_JK_FLOWS_FULL_ACCEPTED "full_accepted"
#define CW_JK_FLOWS_FULL_DROPPED "full_dropped"
#define CW_JK_POLICY_RULES	"policy_rules"
/* cellwall flows -j and events -j: one object per flow or event */
#define CW_JK_TYPE		"type"		/* events: "LEARN", "VIOLATION" */
#define CW_JK_HOOK		"hook"		/* "egress", "ingress" */
#define CW_JK_PROTO		"proto"		/* "tcp", "udp", "icmp", "icmpv6" */
#define CW_JK_DPORT		"dport"
#define CW_JK_FROM_WORKLOAD	"from_workload"	/* a name (or "#ID"), null for none */
#define CW_JK_TO_WORKLOAD	"to_workload"
#define CW_JK_FROM_GROUP	"from_group"
#define CW_JK_TO_GROUP		"to_group"
#define CW_JK_ID_SUFFIX		"_id"		/* from_workload_id: the number */
#define CW_JK_STATE		"state"		/* "established", ... */
#define CW_JK_VERDICT		"verdict"	/* flows: "allow", "deny" */
#define CW_JK_PACKETS_ORIG	"packets_orig"
#define CW_JK_BYTES_ORIG	"bytes_orig"
#define CW_JK_PACKETS_REPLY	"packets_reply"
#define CW_JK_BYTES_REPLY	"bytes_reply"
#define CW_JK_PID		"pid"
#define CW_JK_COMM		"comm"
/* cellwall workload list -j: an array of objects */
#define CW_JK_NAME		"name"
#define CW_JK_ID		"id"

/*
 * Runs a command and parses its stdout: one JSON document, or JSON lines
 * (returned as an array). NULL if the command fails or prints no JSON.
 */
static inline json_t *__attribute__((format(printf, 1, 2))) cw_json_cmd(const char *fmt, ...)
{
	size_t size = 1 << 20, len = 0;
	char cmd[4096], *buf, *line, *next;
	json_t *root, *item;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	buf = malloc(size);
	f = buf ? popen(cmd, "r") : NULL;
	if (!f) {
		free(buf);
		return NULL;
	}
	for (;;) {
		size_t n;

		if (len + 1 == size) {
			char *bigger = realloc(buf, size * 2);

			if (!bigger)
				break;
			buf = bigger;
			size *= 2;
		}
		n = fread(buf + len, 1, size - 1 - len, f);
		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	if (pclose(f) != 0) {
		free(buf);
		return NULL;
	}
	root = json_loads(buf, 0, NULL);
	if (!root) {
		root = json_array();
		for (line = buf; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			item = json_loads(line, 0, NULL);
			if (item)
				json_array_append_new(root, item);
		}
	}
	free(buf);
	return root;
}

/* A string member, "" if absent or not a string. */
static inline const char *cw_jstr(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

/* An integer member, -1 if absent or not an integer. */
static inline long long cw_jint(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/*
 * Whether member @key (e.g. CW_JK_FROM_WORKLOAD) names @name: by name, or
 * by number (@id >= 1) in the name or in @key CW_JK_ID_SUFFIX.
 */
static inline bool cw_jnames(json_t *obj, const char *key, const char *name, long long id)
{
	char id_key[64], hash_id[32];
	const char *s = cw_jstr(obj, key);

	if (!strcmp(s, name))
		return true;
	if (id < 1)
		return false;
	snprintf(hash_id, sizeof(hash_id), "#%lld", id);
	snprintf(id_key, sizeof(id_key), "%s%s", key, CW_JK_ID_SUFFIX);
	return !strcmp(s, hash_id) || cw_jint(obj, id_key) == id ||
	       (json_is_integer(json_object_get(obj, key)) && cw_jint(obj, key) == id);
}

/* `cellwall status -j` of @netns: the flow entry size, 0 if missing. */
static inline long long cw_status_entry_size(json_t *status)
{
	return cw_jint(status, CW_JK_FLOW_ENTRY_SIZE);
}

/* A flow table counter (CW_JK_FLOWS_*) of a status, -1 if missing. */
static inline long long cw_status_flows(json_t *status, const char *counter)
{
	return cw_jint(json_object_get(status, CW_JK_FLOW_STATS), counter);
}

/* `cellwall flows -j`: an array of flows, NULL on failure. */
static inline json_t *cw_flows(void)
{
	json_t *flows = cw_json_cmd("%s flows -j", cw_env("CW_CLI"));

	if (flows && !json_is_array(flows)) {
		json_t *inner = json_incref(json_object_get(flows, "flows"));

		json_decref(flows);
		flows = inner;
	}
	return flows;
}

/* The id of workload @name, from `cellwall workload list -j`; -1 if none. */
static inline long long cw_workload_id(const char *name)
{
	json_t *list = cw_json_cmd("%s workload list -j", cw_env("CW_CLI")), *w;
	long long id = -1;
	size_t i;

	json_array_foreach(list, i, w)
		if (!strcmp(cw_jstr(w, CW_JK_NAME), name))
			id = cw_jint(w, CW_JK_ID);
	json_decref(list);
	return id;
}

/*
 * `cellwall events -j` in the background, its JSON lines in a file.
 * Start it before the traffic: it returns once the CLI said "listening".
 */
struct cw_events {
	int pid;
	char out[96], err[96];
};

static inline bool cw_events_start(struct cw_events *ev, const char *tag)
{
	char pid[32];

	snprintf(ev->out, sizeof(ev->out), "/tmp/cw-events-%s.json", tag);
	snprintf(ev->err, sizeof(ev->err), "/tmp/cw-events-%s.err", tag);
	ev->pid = -1;
	unlink(ev->out);
	unlink(ev->err);
	if (cw_capture(pid, sizeof(pid), "%s events -j -t 600 </dev/null >%s 2>%s & echo $!",
		       cw_env("CW_CLI"), ev->out, ev->err))
		return false;
	ev->pid = atoi(pid);
	return ev->pid > 0 && cw_wait_for(20000, "grep -qs listening %s", ev->err);
}

static inline void cw_events_stop(struct cw_events *ev)
{
	if (ev->pid > 0)
		kill(ev->pid, SIGKILL);
	ev->pid = -1;
}

/*
 * Polls the events printed so far, up to @ms, for one that @match
 * accepts; returns it (json_decref it), or NULL.
 */
static inline json_t *cw_events_wait(struct cw_events *ev, int ms,
				     bool (*match)(json_t *event, void *arg), void *arg)
{
	char line[8192];
	int waited;

	for (waited = 0; waited <= ms; waited += 100) {
		FILE *f = fopen(ev->out, "r");

		while (f && fgets(line, sizeof(line), f)) {
			json_t *event = json_loads(line, 0, NULL);

			if (event && match(event, arg)) {
				fclose(f);
				return event;
			}
			json_decref(event);
		}
		if (f)
			fclose(f);
		usleep(100 * 1000);
	}
	return NULL;
}

/* Writes @text to the file @path; 0 or -1. */
static inline int cw_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fputs(text, f) < 0 ? -1 : 0;
	return fclose(f) || ret ? -1 : 0;
}

/* Reads a small number from a file (a sysctl), -1 on failure. */
static inline long long cw_read_number(const char *path)
{
	long long value = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%lld", &value) != 1)
			value = -1;
		fclose(f);
	}
	return value;
}

/*
 * Writes a sysctl through /proc (sysctl(8) exits 0 even when the write
 * fails) and reads it back; 0 or -1.
 */
static inline int cw_sysctl_set(const char *path, long long value)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld\n", value);
	if (cw_write_file(path, text))
		return -1;
	return cw_read_number(path) == value ? 0 : -1;
}

#endif /* CW_TEST_HELPERS_H */
