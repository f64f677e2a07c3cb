/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cellwalld: discovers containers, loads declared and learned policy into
 * the module, and writes every alert to syslog. One file per part:
 *
 *   main.c      options, the event loop, signals
 *   config.c    /etc/cellwall/cellwalld.json
 *   rules.c     the policy files of rules_dir, with selectors
 *   discover.c  containers from the cgroup v2 tree and runtime metadata
 *   sync.c      desired state (groups, workloads, addresses, rules) -> kernel
 *   learn.c     LEARN events -> learned rules, learned.json, promotion
 *   audit.c     the audit netlink: our rules, records -> exec and file events
 *   proc.c      exec and file events -> baselines, PROCESS and FILE alerts, kills
 *   alert.c     alerts -> syslog, RFC 5424 forward, JSON-lines file
 *   log.c       the daemon's own messages: stderr (-f) or syslog
 */
#ifndef CWD_CELLWALLD_H
#define CWD_CELLWALLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "libcellwall.h"
#include "cwpolicy.h"

/* log.c: the daemon's own messages (not alerts). */

/* @foreground: to stderr; else syslog(3), facility daemon, ident cellwalld. */
void cwd_log_open(bool foreground);
/* @prio: LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG. */
void cwd_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cwd_log_set_debug(bool debug);

/* config.c */

enum cwd_alert_format {
	CWD_FORMAT_KV,		/* key=value pairs */
	CWD_FORMAT_JSON,	/* one JSON object */
};

enum cwd_forward_proto {
	CWD_FORWARD_NONE,
	CWD_FORWARD_UDP,
	CWD_FORWARD_TCP,	/* octet-counted framing (RFC 6587) */
};

struct cwd_config {
	char rules_dir[256];		/* "/etc/cellwall/rules.d" */
	char learned_file[256];		/* "/var/lib/cellwall/learned.json" */
	char cgroup_root[256];		/* "/sys/fs/cgroup" */
	char docker_root[256];		/* "/var/lib/docker" */
	char containerd_state[256];	/* "/run/containerd" */
	char crio_state[256];		/* "/run/containers/storage" (CRI-O, Podman) */
	char crio_root[256];		/* "/var/lib/containers/storage" */
	char machines_dir[256];		/* "/run/systemd/machines" (systemd-nspawn) */
	unsigned resync_interval;	/* seconds between full rescans; 60 */

	bool learn;			/* LEARN events -> learned rules; true */
	unsigned learn_interval;	/* seconds between saves and loads; 5 */
	bool promote;			/* automatic promotion; false */
	unsigned promote_quiet;		/* seconds without a new learned rule; 3600 */
	uint8_t promote_to;		/* CW_MODE_MONITOR or CW_MODE_PROTECT */

	bool audit;			/* process and file events; true */

	bool syslog;			/* alerts to /dev/log; true */
	int facility;			/* LOG_LOCAL0 */
	enum cwd_alert_format format;	/* key=value */
	enum cwd_forward_proto forward;	/* none */
	char forward_host[256];
	char forward_port[16];		/* "514" */
	char json_file[256];		/* "": none */
	uint32_t event_buffer;		/* netlink receive buffer bytes; 0: the default */
};

/* Defaults, then @path (which must exist unless @optional). */
int cwd_config_load(const char *path, bool optional, struct cwd_config *cfg,
		    char *err, size_t errlen);
void cwd_config_defaults(struct cwd_config *cfg);

/* discover.c */

enum cwd_runtime {
	CWD_RUNTIME_DOCKER,
	CWD_RUNTIME_CONTAINERD,		/* CRI under kubepods */
	CWD_RUNTIME_CRIO,
	CWD_RUNTIME_PODMAN,
	CWD_RUNTIME_NSPAWN,
};

struct cwd_container {
	enum cwd_runtime runtime;
	char id[80];			/* the runtime's id; nspawn: the machine name */
	char cgroup[512];		/* relative to cgroup_root, starts with "/" */
	uint64_t cgroup_id;		/* the cgroup directory's inode number */
	pid_t pid;			/* a process in it, read when populated */
	char name[128];			/* Docker/Podman name, machine, or k8s container name */
	char image[256];		/* "" when unknown */
	json_t *labels;			/* object of strings; never NULL */
	char k8s_namespace[128];	/* CRI only, else "" */
	char k8s_pod[128];
};

const char *cwd_runtime_name(enum cwd_runtime rt);	/* "docker", ... */

struct cwd_discovery;

struct cwd_discovery_ops {
	/* A container is running (its cgroup is populated). */
	void (*added)(const struct cwd_container *c, void *arg);
	/* It stopped (its cgroup is empty or gone); @c as it was added. */
	void (*removed)(const struct cwd_container *c, void *arg);
};

int cwd_discovery_open(const struct cwd_config *cfg, const struct cwd_discovery_ops *ops,
		       void *arg, struct cwd_discovery **out);
void cwd_discovery_close(struct cwd_discovery *d);
/* The inotify descriptor, for poll(). */
int cwd_discovery_fd(const struct cwd_discovery *d);
/* Reads what inotify reported; calls the ops. */
int cwd_discovery_handle(struct cwd_discovery *d);
/* Walks the whole tree again: adds the new, removes the gone. */
int cwd_discovery_scan(struct cwd_discovery *d);

/* rules.c: the policy files, with group selectors. */

struct cwd_rules;

/*
 * Reads every *.json of @dir (sorted by name) into one policy. On error
 * @err says "FILE:LINE:COLUMN: reason" and *@out is untouched.
 */
int cwd_rules_load(const char *dir, struct cwd_rules **out, char *err, size_t errlen);
void cwd_rules_free(struct cwd_rules *r);
/* The merged policy: groups, address groups and rules of every file. */
const struct cw_policy *cwd_rules_policy(const struct cwd_rules *r);
/* The group a container belongs to (first matching selector), or NULL. */
const char *cwd_rules_group_of(const struct cwd_rules *r, const struct cwd_container *c);

/* learn.c: learned rules, process baselines and promotion, kept in learned_file. */

struct cwd_learned;

/* A missing file is an empty set. */
int cwd_learned_load(const char *path, struct cwd_learned **out, char *err, size_t errlen);
void cwd_learned_free(struct cwd_learned *l);
/*
 * Records a connection discover mode saw, of the applications @apps (0:
 * any; ICMP is always any); *@added when it was new.
 */
int cwd_learned_add(struct cwd_learned *l, const char *from, const char *to,
		    const struct cw_portspec *ps, uint64_t apps, int64_t now, bool *added);
/* The connections learned (not the processes). */
size_t cwd_learned_count(const struct cwd_learned *l);
/*
 * Records a process discover mode saw run in @group: its executable @exe
 * (absolute), its name @comm (1 to 15 characters; else -EINVAL) and its
 * user; *@added when it was new, which makes the group not quiet. At most
 * 4096 per group: beyond, nothing is learned (and that is logged once).
 */
int cwd_learned_add_process(struct cwd_learned *l, const char *group, const char *exe,
			    const char *comm, uint32_t uid, int64_t now, bool *added);
/* The learned processes: learned, exact path, name and uid; valid until the next add. */
const struct cw_policy_process *cwd_learned_processes(const struct cwd_learned *l, size_t *n);
size_t cwd_learned_process_count(const struct cwd_learned *l);
/* The learned rules as a policy file's "rules" array (a new reference). */
json_t *cwd_learned_rules(const struct cwd_learned *l);
/* Writes learned_file atomically (temporary file, fsync, rename). */
int cwd_learned_save(const struct cwd_learned *l, const char *path, char *err, size_t errlen);
/* The mode in force for @group, which the policy files declare @declared. */
uint8_t cwd_learned_mode(const struct cwd_learned *l, const char *group, uint8_t declared);
/*
 * Promotes (discover -> monitor -> protect, up to @to) every group of
 * @declared with no new learned rule or process for @quiet seconds; true
 * if any was.
 */
bool cwd_learned_promote(struct cwd_learned *l, const struct cw_policy *declared, int64_t now,
			 unsigned quiet, uint8_t to);

/* sync.c: what the kernel should hold, and making it hold that. */

struct cwd_workload {
	struct cwd_container c;		/* as discovered; labels referenced */
	uint32_t id;			/* the kernel's workload id */
	char name[CW_NAME_MAX];
	char group[CW_NAME_MAX];	/* by the selectors; "unknown" when none */
	/*
	 * A runtime may put its process in the cgroup before it enters the
	 * container's netns: until this time (CLOCK_MONOTONIC seconds), a
	 * process still in the host's netns is looked at again every tick.
	 */
	int64_t netns_until;
};

struct cwd_state;

int cwd_state_new(struct cw_nl *nl, struct cwd_learned *learned, const char *cgroup_root,
		  struct cwd_state **out);
void cwd_state_free(struct cwd_state *s);
/*
 * Puts @rules with the learned rules in force (consuming @rules on
 * success). On failure the policy in force stays, and @err says why.
 */
int cwd_state_set_rules(struct cwd_state *s, struct cwd_rules *rules, char *err, size_t errlen);
const struct cwd_rules *cwd_state_rules(const struct cwd_state *s);
/* Makes the kernel hold the state: groups, addresses, rules, workloads. Idempotent. */
int cwd_state_sync(struct cwd_state *s, char *err, size_t errlen);
/* Each second: the netns of containers that had not entered theirs yet. */
void cwd_state_tick(struct cwd_state *s);
/* The kernel's workloads follow the containers. */
void cwd_state_container_added(struct cwd_state *s, const struct cwd_container *c);
void cwd_state_container_removed(struct cwd_state *s, const struct cwd_container *c);
/* For alerts: NULL when unknown. */
const char *cwd_state_group_name(const struct cwd_state *s, uint32_t id);
const struct cwd_workload *cwd_state_workload(const struct cwd_state *s, uint32_t id);
/* Every workload (the array changes with them). */
const struct cwd_workload *cwd_state_workloads(const struct cwd_state *s, size_t *n);
/* The mode the kernel holds for @group; CW_MODE_NONE when it has no such group. */
uint8_t cwd_state_group_mode(const struct cwd_state *s, const char *group);
/*
 * The workload of a process in @cgroup (as /proc/PID/cgroup says, from
 * the cgroup root): its container's, or the nearest ancestor's; NULL: none.
 */
const struct cwd_workload *cwd_state_workload_of(const struct cwd_state *s, const char *cgroup);

/* proc.c: exec and file events in containers -> baselines, alerts, kills. */

struct cwd_proc;
struct cwd_audit;
struct cwd_alerts;

struct cwd_proc_ops {
	/* A process joined a group's learned baseline: save it soon. */
	void (*learned)(void *arg);
};

/*
 * Attributes each event to its container through @state; alerts through
 * @alerts. Events come from an audit client opened with
 * cwd_proc_audit_ops and the struct cwd_proc as argument, then attached.
 */
int cwd_proc_new(const char *cgroup_root, struct cwd_state *state, struct cwd_learned *learned,
		 struct cwd_alerts *alerts, const struct cwd_proc_ops *ops, void *arg,
		 struct cwd_proc **out);
void cwd_proc_free(struct cwd_proc *p);
extern const struct cwd_audit_ops cwd_proc_audit_ops;
/* @audit (not owned) gets the containers' rules from now on. */
void cwd_proc_attach(struct cwd_proc *p, struct cwd_audit *audit);
/* The containers' roots and the watched paths follow the workloads and the policy. */
void cwd_proc_sync(struct cwd_proc *p);
/* Each second: the roots of containers that had not changed theirs yet. */
void cwd_proc_tick(struct cwd_proc *p);
/* The executable of @pid: as it is now, or as its last exec said; NULL: unknown. */
const char *cwd_proc_exe(struct cwd_proc *p, uint32_t pid, char *buf, size_t len);

/* alert.c */

struct cwd_alert_end {
	uint32_t workload;		/* 0: none */
	const char *workload_name;	/* NULL: none */
	const char *container_id;	/* NULL: none */
	const char *group;		/* NULL: none */
};

struct cwd_alert {
	const char *type;		/* "violation", "threat", "lost", ... */
	const char *severity;		/* "critical", "high", "medium", "low", "info" */
	const char *action;		/* "allowed", "dropped" */
	uint64_t time_ns;		/* CLOCK_REALTIME */
	struct cwd_alert_end from, to;
	bool has_flow;
	uint8_t family, proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	const char *app;		/* NULL: unknown */
	const char *app_attr;		/* host, SNI, DNS name, user; NULL: none */
	const char *app_detail;		/* "GET /path", ALPN...; NULL: none */
	uint32_t rule;			/* 0: none */
	const char *reason;		/* "application mismatch"; NULL: none */
	const char *threat;		/* NULL: none */
	uint32_t pid;			/* 0: none */
	const char *comm;
	const char *exe;		/* NULL: unknown */
	uint32_t ppid;			/* process alerts; 0: none */
	bool has_uid;
	uint32_t uid;
	const char *argv;
	const char *cwd;
	const char *op;			/* file alerts: "write", "create", ... */
	const char *path;
	const char *old_path;		/* a rename's old name */
	uint64_t lost;			/* type "lost" */
	const char *packet;		/* a threat's packet in hex; NULL: none */
	const char *message;
};

struct cwd_alerts;

int cwd_alerts_open(const struct cwd_config *cfg, struct cwd_alerts **out,
		    char *err, size_t errlen);
void cwd_alerts_close(struct cwd_alerts *a);
/* Writes @alert to every configured output; never blocks for long. */
void cwd_alert_emit(struct cwd_alerts *a, const struct cwd_alert *alert);
/* What a THREAT event's alert says in its own words. */
struct cwd_threat_text {
	char name[16];		/* "#ID" for a newer module's threat */
	char packet[2 * CW_THREAT_PACKET_BYTES + 1];
	char message[192];
};

/*
 * The fields of @ev, a THREAT event, other than the flow's: type threat,
 * the threat's severity, what the kernel did (its verdict), the threat's
 * name, the packet in hex and the threat's summary as the message, in @t.
 */
void cwd_alert_threat(struct cwd_alert *a, const struct cw_event *ev, struct cwd_threat_text *t);
/* The alert as one line without a newline, for tests. */
int cwd_alert_format(const struct cwd_alert *alert, enum cwd_alert_format format,
		     char *buf, size_t len);

#endif /* CWD_CELLWALLD_H */
