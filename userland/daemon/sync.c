// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld: the state the kernel should hold (the policy files' groups,
 * address groups and rules, the learned rules, one workload per running
 * container) and the requests that make it hold it. A sync compares with
 * what the kernel has and changes only the difference, so a restarted
 * daemon changes nothing that is already right: no policy generation is
 * bumped and no allowed flow is judged again for nothing.
 */

#include "cellwalld.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

struct cwd_state {
	struct cw_nl *nl;
	struct cwd_learned *learned;
	struct cwd_rules *rules;	/* the policy files in force; NULL before the first */
	struct cwd_workload *workloads;
	size_t nworkloads;
	struct cw_group_info *groups;	/* the kernel's, as of the last sync */
	size_t ngroups;
	/*
	 * Until the first sync, containers and files are only recorded: a
	 * restarted daemon must know them all before it compares with what
	 * the kernel holds, or it would remove workloads it has not seen yet.
	 */
	bool synced;
	ino_t own_netns;		/* host-network containers share it */
	char cgroup_root[256];
};

int cwd_state_new(struct cw_nl *nl, struct cwd_learned *learned, const char *cgroup_root,
		  struct cwd_state **out)
{
	struct cwd_state *s = calloc(1, sizeof(*s));
	struct stat st;

	if (!s)
		return -ENOMEM;
	s->nl = nl;
	s->learned = learned;
	snprintf(s->cgroup_root, sizeof(s->cgroup_root), "%s", cgroup_root);
	if (!stat("/proc/self/ns/net", &st))
		s->own_netns = st.st_ino;
	*out = s;
	return 0;
}

void cwd_state_free(struct cwd_state *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nworkloads; i++)
		json_decref(s->workloads[i].c.labels);
	free(s->workloads);
	free(s->groups);
	cwd_rules_free(s->rules);
	free(s);
}

const struct cwd_rules *cwd_state_rules(const struct cwd_state *s)
{
	return s->rules;
}

static bool builtin_group(const char *name)
{
	return !strcmp(name, "host") || !strcmp(name, "external") || !strcmp(name, "unknown");
}

static bool declared_group(const struct cw_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ngroups; i++)
		if (!strcmp(p->groups[i].name, name))
			return true;
	return builtin_group(name);
}

/*
 * The policy to put in force: the files' policy, the modes promotion gave
 * their groups, and the learned rules between groups that still exist.
 */
static int merged_policy(struct cwd_state *s, const struct cw_policy *declared,
			 struct cw_policy *out, char *err, size_t errlen)
{
	json_t *root = cw_policy_to_json(declared), *groups, *rules, *learned, *v;
	size_t i;
	int ret;

	if (!root)
		return -ENOMEM;
	groups = json_object_get(root, "groups");
	json_array_foreach(groups, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *declared_mode = json_string_value(json_object_get(v, "mode"));
		uint8_t mode = declared_mode ? cw_mode_parse(declared_mode) : CW_MODE_NONE;

		if (name && mode)
			json_object_set_new(v, "mode", json_string(cw_mode_name(
				cwd_learned_mode(s->learned, name, mode))));
	}
	rules = json_object_get(root, "rules");
	if (!rules) {
		rules = json_array();
		json_object_set_new(root, "rules", rules);
	}
	learned = cwd_learned_rules(s->learned);
	json_array_foreach(learned, i, v) {
		if (declared_group(declared, json_string_value(json_object_get(v, "from"))) &&
		    declared_group(declared, json_string_value(json_object_get(v, "to"))))
			json_array_append(rules, v);
	}
	json_decref(learned);
	ret = cw_policy_from_json(root, "policy", out, err, errlen);
	json_decref(root);
	return ret;
}

static int by_rule(const void *a, const void *b)
{
	const struct cw_rule_entry *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->port_min != y->port_min)
		return x->port_min < y->port_min ? -1 : 1;
	return (int)x->port_max - (int)y->port_max;
}

/* True when the kernel holds exactly @entries already (in any order). */
static bool rules_in_force(struct cwd_state *s, struct cw_rule_entry *entries, size_t ne)
{
	struct cw_rule_entry *k = NULL;
	bool same = false;
	size_t nk, i;

	if (cw_nl_policy_list(s->nl, &k, &nk) || nk != ne)
		goto out;
	qsort(k, nk, sizeof(*k), by_rule);
	qsort(entries, ne, sizeof(*entries), by_rule);
	for (i = 0; i < ne; i++)
		if (by_rule(&k[i], &entries[i]) || k[i].action != entries[i].action ||
		    k[i].learned != entries[i].learned || k[i].apps != entries[i].apps)
			goto out;
	same = true;
out:
	free(k);
	return same;
}

static int refresh_groups(struct cwd_state *s)
{
	struct cw_group_info *groups;
	size_t n;
	int ret = cw_nl_group_list(s->nl, &groups, &n);

	if (ret)
		return ret;
	free(s->groups);
	s->groups = groups;
	s->ngroups = n;
	return 0;
}

static int nl_fail(struct cwd_state *s, int ret, const char *what, char *err, size_t errlen)
{
	const char *msg = cw_nl_errmsg(s->nl);

	snprintf(err, errlen, "%s: %s", what, *msg ? msg : strerror(-ret));
	return ret;
}

/* Groups, address groups and rules of @declared (plus the learned) in force. */
static int sync_policy(struct cwd_state *s, const struct cw_policy *declared,
		       char *err, size_t errlen)
{
	struct cw_rule_entry *entries = NULL;
	struct cw_policy p = {};
	size_t ne;
	int ret;

	ret = refresh_groups(s);
	if (ret)
		return nl_fail(s, ret, "listing groups", err, errlen);
	ret = merged_policy(s, declared, &p, err, errlen);
	if (!ret)
		ret = cw_policy_check_groups(&p, "policy", s->groups, s->ngroups, err, errlen);
	if (!ret)
		ret = cw_policy_resolve(&p, s->groups, s->ngroups, err, errlen);
	if (!ret)
		ret = cw_policy_entries(&p, s->groups, s->ngroups, &entries, &ne, err, errlen);
	if (ret)
		goto out;
	ret = cw_policy_apply(s->nl, &p, s->groups, s->ngroups,
			      rules_in_force(s, entries, ne) ? NULL : entries, ne);
	if (ret) {
		nl_fail(s, ret, "loading the policy", err, errlen);
		goto out;
	}
	ret = refresh_groups(s);
	if (ret)
		nl_fail(s, ret, "listing groups", err, errlen);
out:
	free(entries);
	cw_policy_free(&p);
	return ret;
}

static const struct cw_group_info *group_by_name(const struct cwd_state *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		if (!strcmp(s->groups[i].name, name))
			return &s->groups[i];
	return NULL;
}

const char *cwd_state_group_name(const struct cwd_state *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		if (s->groups[i].id == id)
			return s->groups[i].name;
	return NULL;
}

const struct cwd_workload *cwd_state_workload(const struct cwd_state *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->nworkloads; i++)
		if (s->workloads[i].id == id)
			return &s->workloads[i];
	return NULL;
}

const struct cwd_workload *cwd_state_workloads(const struct cwd_state *s, size_t *n)
{
	*n = s->nworkloads;
	return s->workloads;
}

uint8_t cwd_state_group_mode(const struct cwd_state *s, const char *group)
{
	const struct cw_group_info *g = group_by_name(s, group);

	return g ? g->mode : CW_MODE_NONE;
}

const struct cwd_workload *cwd_state_workload_of(const struct cwd_state *s, const char *cgroup)
{
	const struct cwd_workload *best = NULL;
	size_t i, len;

	for (i = 0; i < s->nworkloads; i++) {
		len = strlen(s->workloads[i].c.cgroup);
		if (strncmp(s->workloads[i].c.cgroup, cgroup, len) ||
		    (cgroup[len] != '\0' && cgroup[len] != '/'))
			continue;
		if (!best || len > strlen(best->c.cgroup))
			best = &s->workloads[i];
	}
	return best;
}

static struct cwd_workload *workload_by_cgroup(struct cwd_state *s, uint64_t cgroup_id)
{
	size_t i;

	for (i = 0; i < s->nworkloads; i++)
		if (s->workloads[i].c.cgroup_id == cgroup_id)
			return &s->workloads[i];
	return NULL;
}

/* The group of @w's container by the selectors in force. */
static void assign_group(struct cwd_state *s, struct cwd_workload *w)
{
	const char *group = s->rules ? cwd_rules_group_of(s->rules, &w->c) : NULL;

	snprintf(w->group, sizeof(w->group), "%s", group ? group : "unknown");
}

static bool name_taken(const struct cwd_state *s, const struct cwd_workload *self,
		       const char *name)
{
	size_t i;

	for (i = 0; i < s->nworkloads; i++)
		if (&s->workloads[i] != self && !strcmp(s->workloads[i].name, name))
			return true;
	return false;
}

/*
 * The kernel's name for a container: its own name (Kubernetes:
 * namespace.pod.container) in the characters a name may have, made
 * unique with the start of its id.
 */
static void assign_name(struct cwd_state *s, struct cwd_workload *w)
{
	char name[512];
	size_t i;

	if (w->c.k8s_pod[0])
		snprintf(name, sizeof(name), "%s.%s.%s", w->c.k8s_namespace, w->c.k8s_pod,
			 w->c.name);
	else
		snprintf(name, sizeof(name), "%s", w->c.name[0] ? w->c.name : w->c.id);
	for (i = 0; name[i]; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-'))
			name[i] = '-';
	}
	name[CW_NAME_MAX - 1] = '\0';
	if (name_taken(s, w, name)) {
		name[CW_NAME_MAX - 14] = '\0';
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "-%.12s", w->c.id);
	}
	memcpy(w->name, name, sizeof(w->name));
}

/* The lowest workload id neither we nor the kernel use. */
static uint32_t free_id(const struct cwd_state *s, const struct cw_workload_info *k, size_t nk)
{
	uint32_t id;
	size_t i;

	for (id = 1;; id++) {
		for (i = 0; i < s->nworkloads && s->workloads[i].id != id; i++)
			;
		if (i < s->nworkloads)
			continue;
		for (i = 0; i < nk && k[i].id != id; i++)
			;
		if (i == nk)
			return id;
	}
}

static int64_t monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* How long a runtime may take from the cgroup to the netns. */
#define NETNS_WAIT_S 10

/* The netns of process @pid, or -1 if it is gone or in the host's netns. */
static int process_netns(struct cwd_state *s, pid_t pid)
{
	char path[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !fstat(fd, &st) && st.st_ino == s->own_netns) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * The container's netns, from any of its processes: runc puts its first
 * process in the cgroup while still in the host's netns, and the
 * container's own process joins later. -1 while none is in a netns of
 * its own (and for good, for a host-network container).
 */
static int container_netns(struct cwd_state *s, const struct cwd_workload *w)
{
	char path[1024];
	FILE *procs;
	int pid, fd = -1;

	snprintf(path, sizeof(path), "%s%s/cgroup.procs", s->cgroup_root, w->c.cgroup);
	procs = fopen(path, "re");
	while (procs && fd < 0 && fscanf(procs, "%d", &pid) == 1)
		fd = process_netns(s, pid);
	if (procs)
		fclose(procs);
	if (fd < 0 && w->c.pid > 0)
		fd = process_netns(s, w->c.pid);
	return fd;
}

/* Registers @w (or corrects it); its netns comes from a process of it. */
static int register_workload(struct cwd_state *s, struct cwd_workload *w,
			     const struct cw_workload_info *in_kernel)
{
	const struct cw_group_info *g = group_by_name(s, w->group);
	struct cw_workload_info info = { .id = w->id, .cgroup_id = w->c.cgroup_id };
	int fd = -1, ret;

	if (!g) {
		cwd_log(LOG_WARNING, "container %s: group %s is not in the kernel; using unknown",
			w->name, w->group);
		snprintf(w->group, sizeof(w->group), "unknown");
		g = group_by_name(s, "unknown");
		if (!g)
			return -ENOENT;
	}
	info.group = g->id;
	snprintf(info.name, sizeof(info.name), "%s", w->name);
	if (in_kernel && !strcmp(in_kernel->name, info.name) && in_kernel->group == info.group)
		return 0;
	if (!in_kernel) {
		fd = container_netns(s, w);
		w->netns_until = fd < 0 ? monotonic_s() + NETNS_WAIT_S : 0;
	}
	ret = cw_nl_workload_set(s->nl, &info, fd);
	if (fd >= 0)
		close(fd);
	if (ret) {
		cwd_log(LOG_ERR, "container %s: registering it: %s", w->name,
			*cw_nl_errmsg(s->nl) ? cw_nl_errmsg(s->nl) : strerror(-ret));
		return ret;
	}
	cwd_log(LOG_INFO, "container %s (%s %.12s, cgroup %s) is workload %u in group %s",
		w->name, cwd_runtime_name(w->c.runtime), w->c.id, w->c.cgroup, w->id, w->group);
	return 0;
}

void cwd_state_tick(struct cwd_state *s)
{
	int64_t now = monotonic_s();
	size_t i;

	for (i = 0; i < s->nworkloads; i++) {
		struct cwd_workload *w = &s->workloads[i];
		struct cw_workload_info info = { .id = w->id };
		int fd, ret;

		if (!w->netns_until)
			continue;
		fd = container_netns(s, w);
		if (fd < 0) {
			if (now >= w->netns_until) {
				w->netns_until = 0;
				cwd_log(LOG_INFO, "container %s shares the host's netns", w->name);
			}
			continue;
		}
		w->netns_until = 0;
		ret = cw_nl_workload_set(s->nl, &info, fd);
		close(fd);
		if (ret)
			cwd_log(LOG_ERR, "container %s: setting its netns: %s", w->name,
				*cw_nl_errmsg(s->nl) ? cw_nl_errmsg(s->nl) : strerror(-ret));
		else
			cwd_log(LOG_INFO, "container %s entered its netns", w->name);
	}
}

/*
 * Workloads: one per container we know, matched to the kernel's by cgroup
 * id (a restarted daemon finds its own there), and none for a cgroup that
 * no container has any more.
 */
static int sync_workloads(struct cwd_state *s)
{
	struct cw_workload_info *k = NULL;
	size_t nk, i, j;
	int ret, failed = 0;

	ret = cw_nl_workload_list(s->nl, &k, &nk);
	if (ret)
		return ret;
	for (i = 0; i < nk; i++) {
		if (!k[i].cgroup_id || workload_by_cgroup(s, k[i].cgroup_id))
			continue;
		cwd_log(LOG_INFO, "workload %s (%u): its container is gone", k[i].name, k[i].id);
		ret = cw_nl_workload_del(s->nl, k[i].id);
		if (ret && ret != -ENOENT)
			failed = ret;
		k[i].cgroup_id = 0;
		k[i].id = 0;
	}
	for (i = 0; i < s->nworkloads; i++) {
		struct cwd_workload *w = &s->workloads[i];
		const struct cw_workload_info *in_kernel = NULL;

		for (j = 0; j < nk; j++)
			if (k[j].cgroup_id && k[j].cgroup_id == w->c.cgroup_id)
				in_kernel = &k[j];
		if (!w->id)
			w->id = in_kernel ? in_kernel->id : free_id(s, k, nk);
		ret = register_workload(s, w, in_kernel);
		if (ret)
			failed = ret;
	}
	free(k);
	return failed;
}

/* User groups that no policy names and no workload uses any more. */
static void drop_stale_groups(struct cwd_state *s, const struct cw_policy *declared)
{
	size_t i, j;

	for (i = 0; i < s->ngroups; i++) {
		const struct cw_group_info *g = &s->groups[i];

		if (g->id < CW_GROUP_FIRST_USER || declared_group(declared, g->name))
			continue;
		for (j = 0; j < s->nworkloads; j++)
			if (!strcmp(s->workloads[j].group, g->name))
				break;
		if (j < s->nworkloads)
			continue;
		if (!cw_nl_group_del(s->nl, g->id))
			cwd_log(LOG_INFO, "group %s: no policy file declares it; removed", g->name);
	}
}

int cwd_state_sync(struct cwd_state *s, char *err, size_t errlen)
{
	static const struct cw_policy empty;
	const struct cw_policy *declared = s->rules ? cwd_rules_policy(s->rules) : &empty;
	size_t i;
	int ret;

	s->synced = true;
	ret = sync_policy(s, declared, err, errlen);
	if (ret)
		return ret;
	for (i = 0; i < s->nworkloads; i++)
		assign_group(s, &s->workloads[i]);
	ret = sync_workloads(s);
	if (ret)
		return nl_fail(s, ret, "registering workloads", err, errlen);
	drop_stale_groups(s, declared);
	return refresh_groups(s);
}

int cwd_state_set_rules(struct cwd_state *s, struct cwd_rules *rules, char *err, size_t errlen)
{
	struct cwd_rules *old = s->rules;
	int ret;

	s->rules = rules;
	if (!s->synced) {
		cwd_rules_free(old);
		return 0;
	}
	ret = cwd_state_sync(s, err, errlen);
	if (ret) {
		/* The kernel took back the failed load: keep the old files. */
		s->rules = old;
		cwd_state_sync(s, err + strlen(err), errlen - strlen(err));
		return ret;
	}
	cwd_rules_free(old);
	return 0;
}

void cwd_state_container_added(struct cwd_state *s, const struct cwd_container *c)
{
	struct cwd_workload *w = workload_by_cgroup(s, c->cgroup_id);

	if (!w) {
		w = realloc(s->workloads, (s->nworkloads + 1) * sizeof(*w));
		if (!w) {
			cwd_log(LOG_ERR, "container %.12s: out of memory", c->id);
			return;
		}
		s->workloads = w;
		w = &s->workloads[s->nworkloads++];
		memset(w, 0, sizeof(*w));
	} else {
		json_decref(w->c.labels);
	}
	w->c = *c;
	json_incref(w->c.labels);
	assign_name(s, w);
	assign_group(s, w);
	if (s->synced)
		sync_workloads(s);
}

void cwd_state_container_removed(struct cwd_state *s, const struct cwd_container *c)
{
	struct cwd_workload *w = workload_by_cgroup(s, c->cgroup_id);
	int ret;

	if (!w)
		return;
	ret = s->synced && w->id ? cw_nl_workload_del(s->nl, w->id) : 0;
	if (ret && ret != -ENOENT)
		cwd_log(LOG_ERR, "workload %s: removing it: %s", w->name, strerror(-ret));
	else
		cwd_log(LOG_INFO, "container %s stopped; workload %u removed", w->name, w->id);
	json_decref(w->c.labels);
	*w = s->workloads[--s->nworkloads];
}
