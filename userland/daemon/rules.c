// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld: the policy files of rules_dir merged into one policy, and the
 * group selectors that put containers in groups.
 *
 * Files are read in name order, as in any .d directory. A group is defined
 * in one file only, and a domain listed in one group only; rules may name
 * the groups of every file; rule ids are unique across files, and a rule
 * without one gets the lowest id no file uses; a threat detection is set
 * in one file only (the others get their defaults); process and file rules
 * are sets, concatenated in file order. Every error points at the value at
 * fault, and a clash between two files names both places.
 */

#include "cellwalld.h"
#include "threat/threat.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cwd_rules {
	struct cw_policy policy;
};

/* *.json without dotfiles, which editors' swap and lock files are. */
static int policy_file(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 && !strcmp(d->d_name + len - 5, ".json");
}

/* Byte order: the order of the files must not depend on the locale. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* A name (a group's, a domain's) or an id, and where the file gives it. */
struct place {
	const char *name;	/* NULL for an id */
	uint32_t id;
	size_t file, seq;	/* seq: the order of definition */
	char path[48];
};

static int place_by_name(const void *a, const void *b)
{
	const struct place *p = a, *q = b;

	return strcmp(p->name, q->name) ?: (p->seq > q->seq) - (p->seq < q->seq);
}

static int place_id(const void *a, const void *b)
{
	const struct place *p = a, *q = b;

	return (p->id > q->id) - (p->id < q->id);
}

static int place_by_id(const void *a, const void *b)
{
	const struct place *p = a, *q = b;

	return place_id(a, b) ?: (p->seq > q->seq) - (p->seq < q->seq);
}

/* What the first file did with a name the second uses again. */
static const char *verb(const char *kind)
{
	if (!strcmp(kind, "group"))
		return "defined";
	return strcmp(kind, "threat") ? "listed" : "set";
}

/*
 * Sorts @places (all names or all ids); two of the same are from two files
 * (a file's own clashes are refused when it is read): the later one is the
 * error. @kind says what they are: "group", "domain", "threat", "group id",
 * "rule id".
 */
static int find_clash(const struct cw_json_file *files, struct place *places, size_t n,
		      const char *kind, char *err, size_t errlen)
{
	bool ids = n && !places->name;
	const struct place *first, *again;
	int line = 0, column = 0;
	size_t i;

	qsort(places, n, sizeof(*places), ids ? place_by_id : place_by_name);
	for (i = 1; i < n; i++) {
		first = &places[i - 1];
		again = &places[i];
		if (ids ? first->id != again->id : strcmp(first->name, again->name))
			continue;
		cw_json_locate(files[first->file].text, files[first->file].len, first->path,
			       &line, &column);
		if (!ids)
			return cw_json_file_error(&files[again->file], again->path, err, errlen,
						  "%s \"%s\" is also %s at %s:%d:%d", kind,
						  again->name, verb(kind), files[first->file].name,
						  line, column);
		return cw_json_file_error(&files[again->file], again->path, err, errlen,
					  "%s %u is also used at %s:%d:%d", kind, again->id,
					  files[first->file].name, line, column);
	}
	return 0;
}

/* Its path in its file: "groups" come before "address_groups" in @p. */
static void group_path(const struct cw_policy *p, size_t k, const char *key,
		       char *buf, size_t size)
{
	size_t plain = 0, i;

	for (i = 0; i < p->ngroups; i++)
		plain += !p->groups[i].address;
	if (p->groups[k].address)
		snprintf(buf, size, "address_groups[%zu].%s", k - plain, key);
	else
		snprintf(buf, size, "groups[%zu].%s", k, key);
}

/* Whether the file gives rules[@i] an id: the others are numbered after the merge. */
static bool rule_id_given(const struct cw_json_file *f, size_t i)
{
	return json_object_get(json_array_get(json_object_get(f->root, "rules"), i), "id");
}

/*
 * Checks @pols, the policies of @files, together and moves them into
 * @merged: the groups of every file, then their rules.
 */
static int merge(const struct cw_json_file *files, struct cw_policy *pols, size_t n,
		 struct cw_policy *merged, char *err, size_t errlen)
{
	struct place *names = NULL, *gids = NULL, *rids = NULL, *domains = NULL, *threats = NULL;
	size_t ng = 0, nr = 0, nd = 0, nt = 0, ngid = 0, nrid = 0, np = 0, nf = 0, i, j, k, d;
	struct cw_group_info *known = NULL;
	uint32_t next[2] = { 1, CW_RULE_ID_LEARNED };
	bool *given = NULL;
	int ret = -ENOMEM;

	for (i = 0; i < n; i++) {
		ng += pols[i].ngroups;
		nr += pols[i].nrules;
		np += pols[i].nprocesses;
		nf += pols[i].nfiles;
		for (j = 0; j < pols[i].ngroups; j++)
			nd += pols[i].groups[j].ndomains;
		for (j = 1; j <= CW_THREAT_MAX; j++)
			nt += pols[i].threats[j].set;
	}
	names = calloc(ng + 1, sizeof(*names));
	gids = calloc(ng + 1, sizeof(*gids));
	rids = calloc(nr + 1, sizeof(*rids));
	domains = calloc(nd + 1, sizeof(*domains));
	known = calloc(ng + 1, sizeof(*known));
	given = calloc(nr + 1, sizeof(*given));
	threats = calloc(nt + 1, sizeof(*threats));
	merged->groups = calloc(ng + 1, sizeof(*merged->groups));
	merged->rules = calloc(nr + 1, sizeof(*merged->rules));
	merged->processes = calloc(np + 1, sizeof(*merged->processes));
	merged->files = calloc(nf + 1, sizeof(*merged->files));
	if (!names || !gids || !rids || !domains || !known || !given || !threats ||
	    !merged->groups || !merged->rules || !merged->processes || !merged->files) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}

	for (i = 0, k = 0, nd = 0; i < n; i++) {
		for (j = 0; j < pols[i].ngroups; j++, k++) {
			const struct cw_policy_group *g = &pols[i].groups[j];

			names[k] = (struct place){ .name = g->name, .file = i, .seq = k };
			group_path(&pols[i], j, "name", names[k].path, sizeof(names[k].path));
			snprintf(known[k].name, sizeof(known[k].name), "%s", g->name);
			for (d = 0; d < g->ndomains; d++, nd++) {
				char key[32];

				domains[nd] = (struct place){ .name = g->domains[d], .file = i,
							      .seq = nd };
				snprintf(key, sizeof(key), "domains[%zu]", d);
				group_path(&pols[i], j, key, domains[nd].path,
					   sizeof(domains->path));
			}
			if (!g->id)
				continue;
			gids[ngid] = (struct place){ .id = g->id, .file = i, .seq = k };
			group_path(&pols[i], j, "id", gids[ngid++].path, sizeof(gids->path));
		}
	}
	for (i = 0, k = 0; i < n; i++) {
		for (j = 0; j < pols[i].nrules; j++, k++) {
			given[k] = rule_id_given(&files[i], j);
			if (!given[k])
				continue;
			rids[nrid] = (struct place){
				.id = pols[i].rules[j].id, .file = i, .seq = k
			};
			snprintf(rids[nrid++].path, sizeof(rids->path), "rules[%zu].id", j);
		}
	}
	for (i = 0, k = 0; i < n; i++) {
		for (j = 1; j <= CW_THREAT_MAX; j++) {
			if (!pols[i].threats[j].set)
				continue;
			threats[k] = (struct place){
				.name = cw_threat_name(j), .file = i, .seq = k
			};
			snprintf(threats[k].path, sizeof(threats->path), "threats.%s",
				 cw_threat_name(j));
			k++;
		}
	}
	ret = find_clash(files, names, ng, "group", err, errlen);
	if (!ret)
		ret = find_clash(files, domains, nd, "domain", err, errlen);
	if (!ret)
		ret = find_clash(files, threats, nt, "threat", err, errlen);
	if (!ret)
		ret = find_clash(files, gids, ngid, "group id", err, errlen);
	if (!ret)
		ret = find_clash(files, rids, nrid, "rule id", err, errlen);
	for (i = 0; i < n && !ret; i++)
		ret = cw_policy_check_file_groups(&files[i], &pols[i], known, ng, err, errlen);
	if (ret)
		goto out;

	/* Moved, not copied: the files' policies keep only their arrays. */
	for (i = 0; i < n; i++) {
		memcpy(merged->groups + merged->ngroups, pols[i].groups,
		       pols[i].ngroups * sizeof(*merged->groups));
		memcpy(merged->rules + merged->nrules, pols[i].rules,
		       pols[i].nrules * sizeof(*merged->rules));
		memcpy(merged->processes + merged->nprocesses, pols[i].processes,
		       pols[i].nprocesses * sizeof(*merged->processes));
		memcpy(merged->files + merged->nfiles, pols[i].files,
		       pols[i].nfiles * sizeof(*merged->files));
		merged->ngroups += pols[i].ngroups;
		merged->nrules += pols[i].nrules;
		merged->nprocesses += pols[i].nprocesses;
		merged->nfiles += pols[i].nfiles;
		pols[i].ngroups = pols[i].nrules = pols[i].nprocesses = pols[i].nfiles = 0;
		for (j = 1; j <= CW_THREAT_MAX; j++)
			if (pols[i].threats[j].set)
				merged->threats[j] = pols[i].threats[j];
	}
	/* rids is sorted by id: the ids given, to skip. */
	for (k = 0; k < nr; k++) {
		uint32_t *id = &next[merged->rules[k].learned];
		struct place key;

		if (given[k])
			continue;
		for (key.id = *id; bsearch(&key, rids, nrid, sizeof(*rids), place_id); key.id++)
			;
		merged->rules[k].id = key.id;
		*id = key.id + 1;
	}
out:
	free(names);
	free(domains);
	free(gids);
	free(rids);
	free(known);
	free(given);
	free(threats);
	return ret;
}

int cwd_rules_load(const char *dir, struct cwd_rules **out, char *err, size_t errlen)
{
	struct cw_json_file *files = NULL;
	struct cw_policy *pols = NULL;
	struct dirent **names = NULL;
	struct cwd_rules *r;
	char path[PATH_MAX];
	int n, i, ret = 0;

	n = scandir(dir, &names, policy_file, by_name);
	if (n < 0) {
		/* No directory, no policy: like an empty one. */
		if (errno != ENOENT) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			return ret;
		}
		n = 0;
	}
	r = calloc(1, sizeof(*r));
	files = calloc(n + 1, sizeof(*files));
	pols = calloc(n + 1, sizeof(*pols));
	if (!r || !files || !pols) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n && !ret; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		ret = cw_json_file_read(path, &files[i], err, errlen);
		if (!ret)
			ret = cw_policy_from_file(&files[i], &pols[i], err, errlen);
	}
	if (!ret)
		ret = merge(files, pols, n, &r->policy, err, errlen);
out:
	for (i = 0; i < n; i++) {
		if (files && pols) {
			cw_policy_free(&pols[i]);
			cw_json_file_free(&files[i]);
		}
		free(names[i]);
	}
	free(names);
	free(files);
	free(pols);
	if (ret) {
		cwd_rules_free(r);
		return ret;
	}
	*out = r;
	return 0;
}

void cwd_rules_free(struct cwd_rules *r)
{
	if (!r)
		return;
	cw_policy_free(&r->policy);
	free(r);
}

const struct cw_policy *cwd_rules_policy(const struct cwd_rules *r)
{
	return &r->policy;
}

/* Globs as the shell's, but '*' matches '/' too: one takes in a whole cgroup subtree. */
static bool glob_matches(const char *glob, const char *text)
{
	return !glob || !fnmatch(glob, text, 0);
}

static bool labels_match(json_t *globs, json_t *labels)
{
	const char *key;
	json_t *glob, *value;

	json_object_foreach(globs, key, glob) {
		value = json_object_get(labels, key);
		if (!json_is_string(value) ||
		    fnmatch(json_string_value(glob), json_string_value(value), 0))
			return false;
	}
	return true;
}

static bool selects(const struct cw_selector *s, const struct cwd_container *c)
{
	return glob_matches(s->name, c->name) && glob_matches(s->image, c->image) &&
	       glob_matches(s->cgroup, c->cgroup) &&
	       glob_matches(s->k8s_namespace, c->k8s_namespace) &&
	       (!s->runtime || !strcmp(s->runtime, cwd_runtime_name(c->runtime))) &&
	       labels_match(s->labels, c->labels);
}

const char *cwd_rules_group_of(const struct cwd_rules *r, const struct cwd_container *c)
{
	const struct cw_policy *p = &r->policy;
	size_t i, j;

	for (i = 0; i < p->ngroups; i++)
		for (j = 0; j < p->groups[i].nmatch; j++)
			if (selects(&p->groups[i].match[j], c))
				return p->groups[i].name;
	return NULL;
}
