// SPDX-License-Identifier: GPL-2.0
/*
 * libcellwall: putting a policy in force (groups, address groups, then the
 * rules in one transaction, every step taken back if a later one fails),
 * and writing JSON files atomically. The CLI and the daemon share both.
 */

#include "cwpolicy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* One step of a policy load, and how to take it back. */
struct undo {
	enum { DEL_GROUP, SET_MODE, DEL_ADDR, SET_ADDR } op;
	uint32_t group;
	uint8_t mode;
	struct cw_addr_info addr;
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

int cw_policy_apply(struct cw_nl *nl, const struct cw_policy *p,
		    const struct cw_group_info *kgroups, size_t nk,
		    const struct cw_rule_entry *entries, size_t ne)
{
	struct cw_addr_info *addrs = NULL;
	struct undo_log log = {};
	size_t na;
	int ret;

	ret = cw_nl_addr_list(nl, &addrs, &na);
	if (ret)
		return ret;
	ret = apply_groups(nl, p, kgroups, nk, &log);
	if (!ret)
		ret = apply_addrs(nl, p, addrs, na, &log);
	if (!ret && entries)
		ret = cw_nl_policy_load(nl, entries, ne, NULL);
	if (ret) {
		/* Keep the kernel's message about the failure, not the undo's. */
		char errmsg[256];
		uint32_t erroff = cw_nl_erroff(nl);

		snprintf(errmsg, sizeof(errmsg), "%s", cw_nl_errmsg(nl));
		undo_all(nl, &log);
		cw_nl_set_error(nl, errmsg, erroff);
	}
	free(log.steps);
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
