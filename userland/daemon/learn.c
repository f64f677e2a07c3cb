// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld: what discover mode saw, as learned rules and process
 * baselines, and the automatic promotion of quiet groups. Kept in
 * learned_file:
 *
 *   {
 *     "rules": [ { "from": "web", "to": "api", "ports": ["tcp/8080"],
 *                  "apps": ["http"], "action": "allow", "learned": true } ],
 *     "process_rules": [ { "group": "web", "path": "/bin/busybox", "name": "sleep",
 *                          "user": 0, "learned": true } ],
 *     "promotion": [ { "group": "web", "quiet_since": 1764367200,
 *                      "mode": "monitor", "declared": "discover" } ]
 *   }
 *
 * "rules" is a policy file's rules section, one rule per (from, to, apps)
 * with every port seen: a connection whose application was identified is
 * learned for that application only, one that was not for any.
 * "process_rules" is a policy file's section too, one exact entry per
 * (group, executable, name, user) seen. "promotion" remembers since when
 * each group has been quiet (no new rule, no new process) and the mode
 * it was promoted to; a promotion holds only while the policy files still
 * declare the mode it was made from.
 */

#include "cellwalld.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

struct learned_conn {
	char from[CW_NAME_MAX], to[CW_NAME_MAX];
	struct cw_portspec port;
	uint64_t apps;			/* 0: any */
};

struct group_record {
	char name[CW_NAME_MAX];
	int64_t quiet_since;
	uint8_t mode;			/* CW_MODE_NONE: not promoted */
	uint8_t declared;
	bool processes_full;		/* PROCESSES_MAX reached, said once */
};

/*
 * Learning stops there: a group that runs more programs is not settling on
 * a baseline, and each one costs memory and a line of learned_file.
 */
#define PROCESSES_MAX 4096

struct cwd_learned {
	struct learned_conn *conns;
	size_t nconns;
	struct group_record *groups;
	size_t ngroups;
	/* Sorted by (group, path, name, uid): every exec looks itself up. */
	struct cw_policy_process *procs;
	size_t nprocs;
};

static int bad(char *err, size_t errlen, const char *path, const char *what)
{
	snprintf(err, errlen, "%s: %s", path, what);
	return -EINVAL;
}

static struct group_record *record(struct cwd_learned *l, const char *group, int64_t now)
{
	struct group_record *g;
	size_t i;

	for (i = 0; i < l->ngroups; i++)
		if (!strcmp(l->groups[i].name, group))
			return &l->groups[i];
	g = realloc(l->groups, (l->ngroups + 1) * sizeof(*g));
	if (!g)
		return NULL;
	l->groups = g;
	g = &l->groups[l->ngroups++];
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", group);
	g->quiet_since = now;
	return g;
}

/* One rule's worth: the same ends and applications. */
static bool same_rule(const struct learned_conn *a, const char *from, const char *to,
		      uint64_t apps)
{
	return !strcmp(a->from, from) && !strcmp(a->to, to) && a->apps == apps;
}

static int add_conn(struct cwd_learned *l, const char *from, const char *to,
		    const struct cw_portspec *ps, uint64_t apps, bool *added)
{
	struct learned_conn *c;
	size_t i;

	*added = false;
	/* Nothing identifies ICMP, and a rule for it may not name applications. */
	if (ps->proto == IPPROTO_ICMP)
		apps = 0;
	for (i = 0; i < l->nconns; i++) {
		c = &l->conns[i];
		if (same_rule(c, from, to, apps) && c->port.proto == ps->proto &&
		    c->port.port_min == ps->port_min && c->port.port_max == ps->port_max)
			return 0;
	}
	c = realloc(l->conns, (l->nconns + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	l->conns = c;
	c = &l->conns[l->nconns++];
	snprintf(c->from, sizeof(c->from), "%s", from);
	snprintf(c->to, sizeof(c->to), "%s", to);
	c->port = *ps;
	c->apps = apps;
	*added = true;
	return 0;
}

static int load_rules(struct cwd_learned *l, json_t *rules, const char *path,
		      char *err, size_t errlen)
{
	json_t *rule, *port, *apps_json;
	uint64_t apps;
	size_t i, j;
	char why[256];
	ssize_t at;

	json_array_foreach(rules, i, rule) {
		const char *from = json_string_value(json_object_get(rule, "from"));
		const char *to = json_string_value(json_object_get(rule, "to"));
		json_t *ports = json_object_get(rule, "ports");

		if (!from || !to || strlen(from) >= CW_NAME_MAX || strlen(to) >= CW_NAME_MAX ||
		    !json_is_array(ports))
			return bad(err, errlen, path, "a rule needs from, to and ports");
		apps_json = json_object_get(rule, "apps");
		apps = 0;
		if (apps_json && cw_apps_parse(apps_json, &apps, &at, why, sizeof(why)))
			return bad(err, errlen, path, why);
		json_array_foreach(ports, j, port) {
			struct cw_portspec ps;
			bool added;

			if (!json_is_string(port) ||
			    cw_portspec_parse(json_string_value(port), &ps, why, sizeof(why)))
				return bad(err, errlen, path, "a rule has a bad port");
			if (add_conn(l, from, to, &ps, apps, &added))
				return -ENOMEM;
		}
	}
	return 0;
}

static int proc_cmp(const struct cw_policy_process *r, const char *group, const char *exe,
		    const char *comm, uint32_t uid)
{
	int d = strcmp(r->group, group);

	if (!d)
		d = strcmp(r->path, exe);
	if (!d)
		d = strcmp(r->name, comm);
	return d ? d : (r->uid > uid) - (r->uid < uid);
}

/* The index of the first process not before (@group, @exe, @comm, @uid). */
static size_t proc_lower(const struct cwd_learned *l, const char *group, const char *exe,
			 const char *comm, uint32_t uid)
{
	size_t lo = 0, hi = l->nprocs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (proc_cmp(&l->procs[mid], group, exe, comm, uid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Adds the process at @at, its place in the order, unless it is there already. */
static int add_proc(struct cwd_learned *l, size_t at, const char *group, const char *exe,
		    const char *comm, uint32_t uid, bool *added)
{
	struct cw_policy_process r = { .uid = uid, .action = CW_ACTION_ALLOW, .learned = true };
	struct cw_policy_process *procs;

	*added = false;
	if (at < l->nprocs && !proc_cmp(&l->procs[at], group, exe, comm, uid))
		return 0;
	procs = realloc(l->procs, (l->nprocs + 1) * sizeof(*procs));
	if (!procs)
		return -ENOMEM;
	l->procs = procs;
	snprintf(r.group, sizeof(r.group), "%s", group);
	r.path = strdup(exe);
	r.name = strdup(comm);
	if (!r.path || !r.name) {
		free(r.path);
		free(r.name);
		return -ENOMEM;
	}
	memmove(&procs[at + 1], &procs[at], (l->nprocs - at) * sizeof(*procs));
	procs[at] = r;
	l->nprocs++;
	*added = true;
	return 0;
}

/* A policy file's "process_rules" of learned entries, checked as a policy file's. */
static int load_processes(struct cwd_learned *l, json_t *processes, const char *path,
			  char *err, size_t errlen)
{
	json_t *doc = json_pack("{s:O}", "process_rules", processes);
	struct cw_policy p;
	bool added;
	size_t i;
	int ret;

	if (!doc)
		return -ENOMEM;
	ret = cw_policy_from_json(doc, path, &p, err, errlen);
	json_decref(doc);
	if (ret)
		return ret;
	for (i = 0; i < p.nprocesses && !ret; i++) {
		const struct cw_policy_process *r = &p.processes[i];

		if (!r->path || !r->name || r->uid < 0 || r->action != CW_ACTION_ALLOW) {
			snprintf(err, errlen, "%s: process_rules[%zu]: a learned process has"
				 " \"path\", \"name\" and \"user\", and is allowed", path, i);
			ret = -EINVAL;
			break;
		}
		ret = add_proc(l, proc_lower(l, r->group, r->path, r->name, r->uid), r->group,
			       r->path, r->name, r->uid, &added);
	}
	cw_policy_free(&p);
	return ret;
}

static int load_promotion(struct cwd_learned *l, json_t *promotion, const char *path,
			  char *err, size_t errlen)
{
	json_t *entry;
	size_t i;

	json_array_foreach(promotion, i, entry) {
		const char *group = json_string_value(json_object_get(entry, "group"));
		json_t *since = json_object_get(entry, "quiet_since");
		const char *mode = json_string_value(json_object_get(entry, "mode"));
		const char *declared = json_string_value(json_object_get(entry, "declared"));
		struct group_record *g;

		if (!group || strlen(group) >= CW_NAME_MAX || !json_is_integer(since))
			return bad(err, errlen, path, "a promotion entry needs group and quiet_since");
		g = record(l, group, json_integer_value(since));
		if (!g)
			return -ENOMEM;
		if (mode && declared) {
			g->mode = cw_mode_parse(mode);
			g->declared = cw_mode_parse(declared);
		}
	}
	return 0;
}

int cwd_learned_load(const char *path, struct cwd_learned **out, char *err, size_t errlen)
{
	struct cwd_learned *l = calloc(1, sizeof(*l));
	json_error_t error;
	json_t *root;
	int ret;

	if (!l)
		return -ENOMEM;
	root = json_load_file(path, 0, &error);
	if (!root) {
		if (json_error_code(&error) == json_error_cannot_open_file && errno == ENOENT) {
			*out = l;
			return 0;
		}
		snprintf(err, errlen, "%s:%d:%d: %s", path, error.line, error.column, error.text);
		free(l);
		return -EINVAL;
	}
	ret = load_rules(l, json_object_get(root, "rules"), path, err, errlen);
	if (!ret && json_object_get(root, "process_rules"))
		ret = load_processes(l, json_object_get(root, "process_rules"), path, err, errlen);
	if (!ret)
		ret = load_promotion(l, json_object_get(root, "promotion"), path, err, errlen);
	json_decref(root);
	if (ret) {
		cwd_learned_free(l);
		return ret;
	}
	*out = l;
	return 0;
}

void cwd_learned_free(struct cwd_learned *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nprocs; i++) {
		free(l->procs[i].path);
		free(l->procs[i].name);
	}
	free(l->procs);
	free(l->conns);
	free(l->groups);
	free(l);
}

int cwd_learned_add(struct cwd_learned *l, const char *from, const char *to,
		    const struct cw_portspec *ps, uint64_t apps, int64_t now, bool *added)
{
	struct group_record *g;
	int ret;

	ret = add_conn(l, from, to, ps, apps, added);
	if (ret || !*added)
		return ret;
	/* Something new: both ends' perimeters are not quiet yet. */
	g = record(l, from, now);
	if (g)
		g->quiet_since = now;
	g = record(l, to, now);
	if (g)
		g->quiet_since = now;
	return g ? 0 : -ENOMEM;
}

size_t cwd_learned_count(const struct cwd_learned *l)
{
	return l->nconns;
}

int cwd_learned_add_process(struct cwd_learned *l, const char *group, const char *exe,
			    const char *comm, uint32_t uid, int64_t now, bool *added)
{
	struct group_record *g;
	size_t at, first;
	int ret;

	*added = false;
	if (strlen(group) >= CW_NAME_MAX || !exe || exe[0] != '/' || !comm[0] ||
	    strlen(comm) > CW_COMM_MAX)
		return -EINVAL;
	at = proc_lower(l, group, exe, comm, uid);
	if (at < l->nprocs && !proc_cmp(&l->procs[at], group, exe, comm, uid))
		return 0;
	g = record(l, group, now);
	if (!g)
		return -ENOMEM;
	/* The group's entries are consecutive: is the PROCESSES_MAX-th one of it? */
	first = proc_lower(l, group, "", "", 0);
	if (first + PROCESSES_MAX <= l->nprocs &&
	    !strcmp(l->procs[first + PROCESSES_MAX - 1].group, group)) {
		if (!g->processes_full)
			cwd_log(LOG_WARNING, "group %s: %d learned processes, learning no more",
				group, PROCESSES_MAX);
		g->processes_full = true;
		return 0;
	}
	ret = add_proc(l, at, group, exe, comm, uid, added);
	/* Something new: the baseline is not quiet yet. */
	if (!ret)
		g->quiet_since = now;
	return ret;
}

const struct cw_policy_process *cwd_learned_processes(const struct cwd_learned *l, size_t *n)
{
	*n = l->nprocs;
	return l->procs;
}

size_t cwd_learned_process_count(const struct cwd_learned *l)
{
	return l->nprocs;
}

/* The rules, one per (from, to, apps) in the order first seen, every port. */
json_t *cwd_learned_rules(const struct cwd_learned *l)
{
	json_t *rules = json_array();
	char port[32];
	size_t i, j;

	for (i = 0; i < l->nconns; i++) {
		const struct learned_conn *c = &l->conns[i];
		json_t *rule, *ports;

		for (j = 0; j < i; j++)
			if (same_rule(&l->conns[j], c->from, c->to, c->apps))
				break;
		if (j < i)
			continue;	/* merged into the rule of the first one */
		ports = json_array();
		for (j = i; j < l->nconns; j++) {
			if (!same_rule(&l->conns[j], c->from, c->to, c->apps))
				continue;
			cw_portspec_format(&l->conns[j].port, port, sizeof(port));
			json_array_append_new(ports, json_string(port));
		}
		rule = json_pack("{s:s, s:s, s:o}", "from", c->from, "to", c->to, "ports", ports);
		if (c->apps)
			json_object_set_new(rule, "apps", cw_apps_json(c->apps));
		json_object_set_new(rule, "action", json_string("allow"));
		json_object_set_new(rule, "learned", json_true());
		json_array_append_new(rules, rule);
	}
	return rules;
}

int cwd_learned_save(const struct cwd_learned *l, const char *path, char *err, size_t errlen)
{
	json_t *root, *promotion = json_array(), *processes = json_array();
	size_t i;
	int ret;

	for (i = 0; i < l->nprocs; i++)
		json_array_append_new(processes, cw_policy_process_json(&l->procs[i]));

	for (i = 0; i < l->ngroups; i++) {
		const struct group_record *g = &l->groups[i];
		json_t *entry = json_pack("{s:s, s:I}", "group", g->name,
					  "quiet_since", (json_int_t)g->quiet_since);

		if (g->mode) {
			json_object_set_new(entry, "mode", json_string(cw_mode_name(g->mode)));
			json_object_set_new(entry, "declared",
					    json_string(cw_mode_name(g->declared)));
		}
		json_array_append_new(promotion, entry);
	}
	root = json_pack("{s:o, s:o, s:o}", "rules", cwd_learned_rules(l),
			 "process_rules", processes, "promotion", promotion);
	ret = cw_json_write_atomic(root, path, err, errlen);
	json_decref(root);
	return ret;
}

uint8_t cwd_learned_mode(const struct cwd_learned *l, const char *group, uint8_t declared)
{
	size_t i;

	for (i = 0; i < l->ngroups; i++) {
		const struct group_record *g = &l->groups[i];

		if (!strcmp(g->name, group) && g->mode && g->declared == declared)
			return g->mode;
	}
	return declared;
}

bool cwd_learned_promote(struct cwd_learned *l, const struct cw_policy *declared, int64_t now,
			 unsigned quiet, uint8_t to)
{
	bool changed = false;
	size_t i;

	for (i = 0; i < declared->ngroups; i++) {
		const struct cw_policy_group *pg = &declared->groups[i];
		uint8_t mode = cwd_learned_mode(l, pg->name, pg->mode);
		struct group_record *g;

		if (pg->address || !pg->mode || mode >= to || mode == CW_MODE_PROTECT)
			continue;
		g = record(l, pg->name, now);
		if (!g || now - g->quiet_since < (int64_t)quiet)
			continue;
		g->mode = mode == CW_MODE_DISCOVER ? CW_MODE_MONITOR : CW_MODE_PROTECT;
		g->declared = pg->mode;
		g->quiet_since = now;
		cwd_log(LOG_NOTICE, "group %s: quiet for %u s, promoted from %s to %s", pg->name,
			quiet, cw_mode_name(mode), cw_mode_name(g->mode));
		changed = true;
	}
	return changed;
}
