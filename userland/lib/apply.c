// SPDX-License-Identifier: GPL-2.0
/*
 * libcellwall: putting a policy in force (groups, address groups and their
 * domains, then the rules in one transaction, every step taken back if a
 * later one fails), and writing JSON files atomically. The CLI and the daemon share both.
 */

#include "cwpolicy.h"
#include "threat/threat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* One step of a policy load, and how to take it back. */
struct undo {
	enum { DEL_GROUP, SET_MODE, DEL_ADDR, SET_ADDR, MOVE_DOMAIN, SET_THREAT } op;
	uint32_t group;
	uint8_t mode;
	struct cw_addr_info addr;
	struct cw_domain_change domain;		/* taken back to its @from */
	struct cw_threat_change threat;		/* taken back to its old_* */
};

struct undo_log {
	struct undo *steps;
	size_t count;
};

static int log_step(struct undo_log *log, const struct undo *step)
{
	struct undo *steps = realloc(log->steps, (log->count + 1) * sizeof(*steps));

	if (!steps)
		return -ENOMEM;
	log->steps = steps;
	log->steps[log->count++] = *step;
	return 0;
}

/* Puts domain @name in group @group, or deletes it for 0. */
static int move_domain(struct cw_nl *nl, const char *name, uint32_t group)
{
	struct cw_domain_info d = { .group = group };

	if (!group)
		return cw_nl_domain_del(nl, name);
	snprintf(d.name, sizeof(d.name), "%s", name);
	return cw_nl_domain_set(nl, &d);
}

/* Takes back what the load did, last step first; errors are not news. */
static void undo_all(struct cw_nl *nl, struct undo_log *log)
{
	while (log->count) {
		const struct undo *u = &log->steps[--log->count];

		switch (u->op) {
		case DEL_GROUP:
			cw_nl_group_del(nl, u->group);
			break;
		case SET_MODE:
			cw_nl_group_set(nl, u->group, NULL, u->mode);
			break;
		case DEL_ADDR:
			cw_nl_addr_del(nl, &u->addr.cidr);
			break;
		case SET_ADDR:
			cw_nl_addr_set(nl, &u->addr);
			break;
		case MOVE_DOMAIN:
			move_domain(nl, u->domain.name, u->domain.from);
			break;
		case SET_THREAT:
			cw_nl_threat_set(nl, u->threat.id, u->threat.old_action,
					 u->threat.old_threshold);
			break;
		}
	}
}

static const struct cw_group_info *group_named(const struct cw_group_info *groups, size_t n,
					       const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	return NULL;
}

static bool same_cidr(const struct cw_cidr *a, const struct cw_cidr *b)
{
	return a->family == b->family && a->prefix == b->prefix &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

/* Creates the groups of @p or sets their modes. */
static int apply_groups(struct cw_nl *nl, const struct cw_policy *p,
			const struct cw_group_info *kgroups, size_t nk, struct undo_log *log)
{
	size_t i;
	int ret;

	for (i = 0; i < p->ngroups; i++) {
		const struct cw_policy_group *g = &p->groups[i];
		const struct cw_group_info *k = group_named(kgroups, nk, g->name);
		struct undo u = { .group = g->id };

		if (!k) {
			ret = cw_nl_group_set(nl, g->id, g->name,
					      g->mode ? g->mode : CW_MODE_DISCOVER);
			u.op = DEL_GROUP;
		} else if (g->mode && g->mode != k->mode) {
			ret = cw_nl_group_set(nl, g->id, NULL, g->mode);
			u.op = SET_MODE;
			u.mode = k->mode;
		} else {
			continue;
		}
		if (ret || (ret = log_step(log, &u)))
			return ret;
	}
	return 0;
}

/* Makes the explicit entries of @p's address groups what the policy lists. */
static int apply_addrs(struct cw_nl *nl, const struct cw_policy *p,
		       const struct cw_addr_info *addrs, size_t na, struct undo_log *log)
{
	size_t i, j, k;
	int ret;

	for (i = 0; i < p->ngroups; i++) {
		const struct cw_policy_group *g = &p->groups[i];

		if (!g->address)
			continue;
		for (j = 0; j < g->ncidrs; j++) {
			struct cw_addr_info a = { .cidr = g->cidrs[j], .group = g->id };
			struct undo u = { .op = DEL_ADDR, .addr = a };

			for (k = 0; k < na; k++) {
				if (same_cidr(&addrs[k].cidr, &a.cidr) &&
				    addrs[k].origin == CW_ADDR_ORIGIN_EXPLICIT)
					break;
			}
			if (k < na && addrs[k].group == g->id)
				continue;
			if (k < na) {
				u.op = SET_ADDR;
				u.addr = addrs[k];
			}
			ret = cw_nl_addr_set(nl, &a);
			if (ret || (ret = log_step(log, &u)))
				return ret;
		}
		/* What the group had that the policy no longer lists. */
		for (k = 0; k < na; k++) {
			struct undo u = { .op = SET_ADDR, .addr = addrs[k] };

			if (addrs[k].group != g->id || addrs[k].origin != CW_ADDR_ORIGIN_EXPLICIT)
				continue;
			for (j = 0; j < g->ncidrs; j++)
				if (same_cidr(&g->cidrs[j], &addrs[k].cidr))
					break;
			if (j < g->ncidrs)
				continue;
			ret = cw_nl_addr_del(nl, &addrs[k].cidr);
			if (ret || (ret = log_step(log, &u)))
				return ret;
		}
	}
	return 0;
}

static const struct cw_policy_group *group_with_id(const struct cw_policy *p, uint32_t id)
{
	size_t i;

	for (i = 0; i < p->ngroups; i++)
		if (p->groups[i].id == id)
			return &p->groups[i];
	return NULL;
}

static int add_change(struct cw_domain_change **changes, size_t *count, const char *name,
		      uint32_t from, uint32_t to)
{
	struct cw_domain_change *grown = realloc(*changes, (*count + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	*changes = grown;
	snprintf(grown[*count].name, sizeof(grown->name), "%s", name);
	grown[*count].from = from;
	grown[(*count)++].to = to;
	return 0;
}

/* Names first, then deletions: a name that moves between groups is set, never deleted. */
int cw_policy_domain_changes(const struct cw_policy *p, const struct cw_domain_info *domains,
			     size_t nd, struct cw_domain_change **changes, size_t *count)
{
	const struct cw_policy_group *g;
	size_t i, j, k;
	int ret = 0;

	*changes = NULL;
	*count = 0;
	for (i = 0; i < p->ngroups && !ret; i++) {
		for (j = 0; j < p->groups[i].ndomains && !ret; j++) {
			const char *name = p->groups[i].domains[j];

			for (k = 0; k < nd && strcmp(domains[k].name, name); k++)
				;
			if (k == nd || domains[k].group != p->groups[i].id)
				ret = add_change(changes, count, name, k < nd ? domains[k].group : 0,
						 p->groups[i].id);
		}
	}
	/* What the address groups had that no group lists any more. */
	for (k = 0; k < nd && !ret; k++) {
		g = group_with_id(p, domains[k].group);
		if (g && g->address && !cw_policy_domain_group(p, domains[k].name))
			ret = add_change(changes, count, domains[k].name, domains[k].group, 0);
	}
	if (ret) {
		free(*changes);
		*changes = NULL;
		*count = 0;
	}
	return ret;
}

/* Makes the domains of @p's address groups what the policy lists. */
static int apply_domains(struct cw_nl *nl, const struct cw_policy *p,
			 const struct cw_domain_info *domains, size_t nd, struct undo_log *log)
{
	struct cw_domain_change *changes;
	size_t n, i;
	int ret;

	ret = cw_policy_domain_changes(p, domains, nd, &changes, &n);
	for (i = 0; i < n && !ret; i++) {
		struct undo u = { .op = MOVE_DOMAIN, .domain = changes[i] };

		ret = move_domain(nl, changes[i].name, changes[i].to);
		if (!ret)
			ret = log_step(log, &u);
	}
	free(changes);
	return ret;
}

int cw_policy_threat_changes(const struct cw_policy *p, const struct cw_threat_info *threats,
			     size_t n, struct cw_threat_change **changes, size_t *count,
			     char *err, size_t errlen)
{
	struct cw_threat_change *c;
	uint32_t threshold;
	unsigned int id;
	uint8_t action;
	size_t i;

	*changes = NULL;
	*count = 0;
	for (id = 1; id <= CW_THREAT_MAX; id++) {
		for (i = 0; i < n && threats[i].id != id; i++)
			;
		if (i == n && p->threats[id].set) {
			snprintf(err, errlen, "the module has no threat detection \"%s\"",
				 cw_threat_name(id));
			return -ENOENT;
		}
	}
	c = calloc(n + 1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const struct cw_threat_info *k = &threats[i];

		/* A newer module's own: this build knows no default for it. */
		if (!cw_threat_name(k->id))
			continue;
		cw_policy_threat_want(p, k->id, &action, &threshold);
		/* The kernel says whether it has a threshold. */
		if (!k->threshold)
			threshold = 0;
		if (k->action == action && k->threshold == threshold)
			continue;
		c[*count] = (struct cw_threat_change){
			.id = k->id, .action = action, .old_action = k->action,
			.threshold = threshold, .old_threshold = k->threshold,
		};
		(*count)++;
	}
	*changes = c;
	return 0;
}

/* Sets every threat detection to what @p wants. */
static int apply_threats(struct cw_nl *nl, const struct cw_policy *p, struct undo_log *log)
{
	struct cw_threat_change *changes = NULL;
	struct cw_threat_info *threats;
	size_t n, nc, i;
	char err[128];
	int ret;

	ret = cw_nl_threat_list(nl, &threats, &n);
	/* A module without threat detection: fine, unless @p sets one. */
	if (ret == -EOPNOTSUPP) {
		for (i = 1; i <= CW_THREAT_MAX && !p->threats[i].set; i++)
			;
		if (i > CW_THREAT_MAX)
			return 0;
		cw_nl_set_error(nl, "the module has no threat detection", 0);
	}
	if (ret)
		return ret;
	ret = cw_policy_threat_changes(p, threats, n, &changes, &nc, err, sizeof(err));
	if (ret)
		cw_nl_set_error(nl, err, 0);
	for (i = 0; i < nc && !ret; i++) {
		struct undo u = { .op = SET_THREAT, .threat = changes[i] };

		ret = cw_nl_threat_set(nl, changes[i].id, changes[i].action, changes[i].threshold);
		if (!ret)
			ret = log_step(log, &u);
	}
	free(changes);
	free(threats);
	return ret;
}

/* Keeps the kernel's message about a failure, not the undo's. */
static void undo_failed(struct cw_nl *nl, struct undo_log *log)
{
	char errmsg[256];
	uint32_t erroff = cw_nl_erroff(nl);

	snprintf(errmsg, sizeof(errmsg), "%s", cw_nl_errmsg(nl));
	undo_all(nl, log);
	cw_nl_set_error(nl, errmsg, erroff);
}

int cw_policy_apply_threats(struct cw_nl *nl, const struct cw_policy *p)
{
	struct undo_log log = {};
	int ret = apply_threats(nl, p, &log);

	if (ret)
		undo_failed(nl, &log);
	free(log.steps);
	return ret;
}

int cw_policy_apply(struct cw_nl *nl, const struct cw_policy *p,
		    const struct cw_group_info *kgroups, size_t nk,
		    const struct cw_rule_entry *entries, size_t ne)
{
	struct cw_domain_info *domains = NULL;
	struct cw_addr_info *addrs = NULL;
	struct undo_log log = {};
	size_t na, nd;
	int ret;

	ret = cw_nl_addr_list(nl, &addrs, &na);
	if (!ret)
		ret = cw_nl_domain_list(nl, &domains, &nd);
	if (ret) {
		free(addrs);
		return ret;
	}
	ret = apply_groups(nl, p, kgroups, nk, &log);
	if (!ret)
		ret = apply_addrs(nl, p, addrs, na, &log);
	if (!ret)
		ret = apply_domains(nl, p, domains, nd, &log);
	/* Before the rules: a commit is the one step there is no taking back. */
	if (!ret)
		ret = apply_threats(nl, p, &log);
	if (!ret && entries)
		ret = cw_nl_policy_load(nl, entries, ne, NULL);
	if (ret)
		undo_failed(nl, &log);
	free(log.steps);
	free(domains);
	free(addrs);
	return ret;
}

int cw_json_write_atomic(json_t *json, const char *path, char *err, size_t errlen)
{
	char tmp[4096];
	FILE *f;
	int fd, e;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(e));
		return -e;
	}
	fchmod(fd, 0644);
	f = fdopen(fd, "w");
	errno = 0;
	if (!f || json_dumpf(json, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	    fputc('\n', f) == EOF || fflush(f) || fsync(fd)) {
		e = errno ? errno : EIO;
		snprintf(err, errlen, "%s: %s", tmp, strerror(e));
		if (f)
			fclose(f);
		else
			close(fd);
		unlink(tmp);
		return -e;
	}
	/* The rename is atomic; the fsync before it makes the content durable. */
	if (fclose(f) || rename(tmp, path)) {
		e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		unlink(tmp);
		return -e;
	}
	return 0;
}
