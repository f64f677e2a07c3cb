/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libcellwall: policy files (rules/README.md is their reference), port
 * specs and CIDRs. Nothing here talks to the kernel: the CLI brings the
 * kernel's groups, addresses and rules, and sends what this computes.
 *
 * Every function that can fail returns 0 or -EINVAL and writes one line
 * of explanation (without "cellwall: " and without a newline) to @err.
 */
#ifndef CW_LIB_POLICY_H
#define CW_LIB_POLICY_H

#include "libcellwall.h"

#include <jansson.h>

/* A protocol and destination ports: 0..65535 is every port. */
struct cw_portspec {
	uint8_t proto;		/* 0 (any), IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP */
	uint16_t port_min, port_max;
};

/* "tcp/443", "udp/53", "tcp/8000-8080", "tcp", "udp", "icmp", "any". */
int cw_portspec_parse(const char *text, struct cw_portspec *ps, char *err, size_t errlen);
void cw_portspec_format(const struct cw_portspec *ps, char *buf, size_t len);

/*
 * Applications as rules name them: "http", "mysql"... (enum cw_app, named
 * by kmod/dpi). A set of them is a bit mask, bit n for application n; 0 is
 * any application.
 */
/* "http,mysql", in enum order; "any" for 0. */
void cw_apps_format(uint64_t apps, char *buf, size_t len);
/* The names as a JSON array, in enum order. */
json_t *cw_apps_json(uint64_t apps);
/*
 * A non-empty JSON array of names, each once. Returns 0, or -EINVAL with
 * *@bad the index of the element at fault (-1: the array itself).
 */
int cw_apps_parse(json_t *array, uint64_t *apps, ssize_t *bad, char *err, size_t errlen);

/* "10.0.0.0/8", "fd00::/8", "192.0.2.1" (full length); host bits must be 0. */
int cw_cidr_parse(const char *text, struct cw_cidr *c, char *err, size_t errlen);
#define CW_CIDR_STRLEN 64
/* "10.0.0.0/8"; a full-length one without "/32" unless @always_prefix. */
void cw_cidr_format(const struct cw_cidr *c, bool always_prefix, char *buf, size_t len);

/*
 * "example.com" (that name) or "*.example.com" (the names below it), as
 * the kernel takes them: labels of 1 to 63 of A-Z a-z 0-9 - _ joined by
 * dots, at most 253 characters after the "*.". Writes the name in
 * lowercase, as the kernel keeps it, to @out (CW_DOMAIN_STRLEN bytes).
 */
int cw_domain_name_parse(const char *text, char *out, char *err, size_t errlen);

/* "tcp", "udp", "icmp", "icmpv6", "any" (0), else the number. */
const char *cw_proto_name(uint8_t proto, char *buf, size_t len);
/* "allow", "deny"; "none" for CW_ACTION_NONE. */
const char *cw_action_name(uint8_t action);

/*
 * Which containers a group holds (cellwalld; the CLI ignores selectors): a
 * container matches when every field given (not NULL) matches it.
 */
struct cw_selector {
	char *name;		/* fnmatch(3) globs; NULL: any */
	char *image;
	char *cgroup;
	char *k8s_namespace;
	json_t *labels;		/* object: label -> glob, every one must match; NULL: any */
	const char *runtime;	/* "docker", "containerd", "crio", "podman" or "nspawn" */
};

struct cw_policy_group {
	char name[CW_NAME_MAX];
	uint32_t id;		/* 0: not given (cw_policy_resolve picks one) */
	uint8_t mode;		/* CW_MODE_NONE: not given */
	bool address;		/* listed under "address_groups" */
	struct cw_cidr *cidrs;
	size_t ncidrs;
	char (*domains)[CW_DOMAIN_STRLEN];	/* lowercase */
	size_t ndomains;
	struct cw_selector *match;	/* "match": any one selects a container */
	size_t nmatch;
};

struct cw_policy_rule {
	uint32_t id;
	char from[CW_NAME_MAX], to[CW_NAME_MAX];
	struct cw_portspec *ports;	/* at least one */
	size_t nports;
	uint8_t action;
	bool learned;
	uint64_t apps;			/* "apps": bit n, enum cw_app n; 0: any */
};

/*
 * A threat detection as a policy's "threats" sets it. One the policy does
 * not name gets the table's default action and threshold when the policy
 * is put in force.
 */
struct cw_policy_threat {
	bool set;		/* named; else the defaults */
	uint8_t action;		/* enum cw_threat_action */
	uint32_t threshold;	/* 0 for a detection without one */
};

/*
 * A program a group's containers may run (cellwalld; the CLI ignores it):
 * "process_rules". Declared ones match with fnmatch(3) globs, learned ones
 * exactly.
 */
struct cw_policy_process {
	char group[CW_NAME_MAX];
	char *path;		/* the executable's absolute path; NULL: any */
	char *name;		/* the kernel's comm, at most 15 characters; NULL: any */
	int64_t uid;		/* -1: any */
	uint8_t action;		/* CW_ACTION_ALLOW or CW_ACTION_DENY */
	bool learned;
};

/*
 * "file_rules" (cellwalld): a path to watch in a group's containers, or,
 * with @process, one that process may change without an alert. A path
 * covers what is below it.
 */
struct cw_policy_file {
	char group[CW_NAME_MAX];
	char *path;		/* absolute, normalized */
	char *process;		/* glob on the exe ("/..."), else on comm; NULL: watch */
};

struct cw_policy {
	struct cw_policy_group *groups;
	size_t ngroups;
	struct cw_policy_rule *rules;
	size_t nrules;
	struct cw_policy_threat threats[CW_THREAT_MAX + 1];	/* by enum cw_threat */
	struct cw_policy_process *processes;
	size_t nprocesses;
	struct cw_policy_file *files;
	size_t nfiles;
};

/* The longest process name (comm) the kernel keeps. */
#define CW_COMM_MAX 15

/*
 * Whether process @exe (NULL: unknown), named @comm, of user @uid is one
 * @r describes. Globs without FNM_PATHNAME: a "*" after "/usr/" covers
 * every level below it.
 */
bool cw_process_rule_match(const struct cw_policy_process *r, const char *exe,
			   const char *comm, uint32_t uid);
/*
 * What the process rules of @group say of a process: CW_ACTION_DENY when a
 * deny matches (deny wins), else CW_ACTION_ALLOW when an allow does, else
 * CW_ACTION_NONE (outside the baseline).
 */
int cw_policy_process_verdict(const struct cw_policy *p, const char *group, const char *exe,
			      const char *comm, uint32_t uid);
/* @r as an element of "process_rules" (a new reference). */
json_t *cw_policy_process_json(const struct cw_policy_process *r);
/*
 * Whether a file_rules "allow" of @group lets the process @exe (NULL:
 * unknown), named @comm, change @path.
 */
bool cw_file_rule_allows(const struct cw_policy *p, const char *group, const char *path,
			 const char *exe, const char *comm);
/* Whether @path is @dir or below it, component by component: "/etc" has not "/etcx". */
bool cw_path_within(const char *dir, const char *path);

/* JSON files whose errors point at a line and column (jsonpos.c). */

struct cw_json_file {
	const char *name;	/* the path, "<stdin>" for "-" (a copy) */
	char *text;		/* the whole file, NUL-terminated; NULL: not known */
	size_t len;
	json_t *root;
};

/*
 * Reads and parses @path ("-": standard input), refusing duplicate keys.
 * Returns -errno if it cannot be read ("NAME: strerror"), -EINVAL on a
 * syntax error ("NAME:LINE:COLUMN: jansson's reason").
 */
int cw_json_file_read(const char *path, struct cw_json_file *f, char *err, size_t errlen);
void cw_json_file_free(struct cw_json_file *f);

/*
 * Where the value @path names starts in the JSON @text: *@line from 1,
 * *@column from 1 in characters (as jansson counts). A path is steps:
 * key (.key after the first), [N] for an array element, and ["key"]
 * (a JSON string) for a key with characters other than A-Z a-z 0-9 _ -;
 * "" is the document. rules[3].ports[1],
 * groups[0].match.labels["app.kubernetes.io/name"].
 * Returns 0, -ENOENT if @text has no such value, -EINVAL for a bad path.
 */
int cw_json_locate(const char *text, size_t len, const char *path, int *line, int *column);
/* Appends the member @key to @path, in brackets when it needs them. */
void cw_json_path_add(char *path, size_t size, const char *key);
/*
 * Writes "NAME:LINE:COLUMN: reason" to @err, at the value @path names in
 * @f; without the text (or the value in it) "NAME: PATH: reason", and
 * "NAME: reason" for an empty or NULL @path. Returns -EINVAL.
 */
int cw_json_file_error(const struct cw_json_file *f, const char *path, char *err,
		       size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Reads and validates the policy file @path ("-": standard input; named
 * "<stdin>" in errors, which say "FILE:LINE:COLUMN: reason"). Rules
 * without an id get the lowest unused one (>= CW_RULE_ID_LEARNED for
 * learned ones).
 */
int cw_policy_read(const char *path, struct cw_policy *p, char *err, size_t errlen);
/* The same for a file already read. */
int cw_policy_from_file(const struct cw_json_file *f, struct cw_policy *p,
			char *err, size_t errlen);
/*
 * The same for a document without its text: errors say "FILE: PATH:
 * reason", PATH as cw_json_locate() takes it.
 */
int cw_policy_from_json(json_t *root, const char *file, struct cw_policy *p,
			char *err, size_t errlen);
void cw_policy_free(struct cw_policy *p);
/* The group of @p that lists domain @name (lowercase), or NULL. */
const struct cw_policy_group *cw_policy_domain_group(const struct cw_policy *p,
						     const char *name);

/*
 * Rules may name the file's groups, the kernel's own (host, external,
 * unknown) and @known (the groups in the kernel; may be NULL).
 */
int cw_policy_check_groups(const struct cw_policy *p, const char *file,
			   const struct cw_group_info *known, size_t nknown,
			   char *err, size_t errlen);
/* The same for @p read from @f: errors say "FILE:LINE:COLUMN: reason". */
int cw_policy_check_file_groups(const struct cw_json_file *f, const struct cw_policy *p,
				const struct cw_group_info *known, size_t nknown,
				char *err, size_t errlen);

/*
 * Gives every group of @p its id: the kernel's id of a group of that name,
 * the file's own for a new group, or else the lowest free one >=
 * CW_GROUP_FIRST_USER. Fails when an id clashes with the kernel's groups.
 */
int cw_policy_resolve(struct cw_policy *p, const struct cw_group_info *kgroups, size_t nk,
		      char *err, size_t errlen);

/*
 * The rule entries to load, one per port spec, each with the rule's
 * applications; after cw_policy_resolve.
 */
int cw_policy_entries(const struct cw_policy *p, const struct cw_group_info *kgroups,
		      size_t nk, struct cw_rule_entry **entries, size_t *count,
		      char *err, size_t errlen);

/*
 * The kernel's state as a policy (export): its user groups and host's
 * mode, explicit address entries and domains of groups as address groups
 * (the domains in the order given), the rules in
 * force merged back by id, and @learned merged by (from, to, action, apps)
 * as learned rules with ids from CW_RULE_ID_LEARNED up that no rule uses.
 */
int cw_policy_from_kernel(const struct cw_group_info *groups, size_t ng,
			  const struct cw_addr_info *addrs, size_t na,
			  const struct cw_domain_info *domains, size_t nd,
			  const struct cw_rule_entry *rules, size_t nr,
			  const struct cw_rule_entry *learned, size_t nlearned,
			  struct cw_policy *p, char *err, size_t errlen);
json_t *cw_policy_to_json(const struct cw_policy *p);

/*
 * What @p wants of detection @id (1 to CW_THREAT_MAX): its setting, or
 * the defaults of kmod/threat/table.c.
 */
void cw_policy_threat_want(const struct cw_policy *p, unsigned int id, uint8_t *action,
			   uint32_t *threshold);
/* Adds the kernel's @threats (export): only those off their defaults show in JSON. */
void cw_policy_threats_from_kernel(struct cw_policy *p, const struct cw_threat_info *threats,
				   size_t n);

/* Detection @id goes from the old action and threshold to the new ones. */
struct cw_threat_change {
	uint8_t id;
	uint8_t action, old_action;
	uint32_t threshold, old_threshold;	/* 0: it has none */
};

/*
 * What makes the kernel's @threats what @p wants (apply.c): a change for
 * each detection that differs, nothing when they agree. Refuses (-ENOENT,
 * with @err) a setting of a detection the kernel does not have.
 */
int cw_policy_threat_changes(const struct cw_policy *p, const struct cw_threat_info *threats,
			     size_t n, struct cw_threat_change **changes, size_t *count,
			     char *err, size_t errlen);

/* Domain @name goes from group @from to group @to; 0 on either side: none. */
struct cw_domain_change {
	char name[CW_DOMAIN_STRLEN];
	uint32_t from, to;
};

/*
 * What makes the kernel's @domains those @p lists (apply.c): a name listed
 * goes to its group, from wherever it is; a name of one of @p's address
 * groups that @p no longer lists goes away; the domains of other groups
 * stay. Nothing when they agree. After cw_policy_resolve.
 */
int cw_policy_domain_changes(const struct cw_policy *p, const struct cw_domain_info *domains,
			     size_t nd, struct cw_domain_change **changes, size_t *count);

/*
 * Puts @p in force (apply.c): creates its groups or sets their modes, makes
 * its address groups' explicit entries and domains what it lists, sets
 * every threat detection to what @p wants, then loads @entries in one
 * transaction (NULL: the rules in force stay); it changes nothing that is
 * already right. A failure takes back every step taken; cw_nl_errmsg()
 * says why. After cw_policy_resolve.
 */
int cw_policy_apply(struct cw_nl *nl, const struct cw_policy *p,
		    const struct cw_group_info *kgroups, size_t nk,
		    const struct cw_rule_entry *entries, size_t ne);
/* The threat detections of cw_policy_apply alone (an empty @p: every default). */
int cw_policy_apply_threats(struct cw_nl *nl, const struct cw_policy *p);

/* Writes @json to @path: a temporary file, fsync'ed, renamed over it. */
int cw_json_write_atomic(json_t *json, const char *path, char *err, size_t errlen);

#endif /* CW_LIB_POLICY_H */
