// SPDX-License-Identifier: GPL-2.0
/* cellwall workload add|set|del|list. */

#include "cellwall.h"
#include "cwformat.h"
#include "libcellwall.h"

#include <fcntl.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

static bool all_digits(const char *text)
{
	return *text && strspn(text, "0123456789") == strlen(text);
}

/* A cgroup v2 directory (absolute or under /sys/fs/cgroup) or an id. */
static bool parse_cgroup(const char *text, uint64_t *id)
{
	char path[4096];
	struct stat st;

	if (all_digits(text)) {
		errno = 0;
		*id = strtoull(text, NULL, 10);
		if (errno || !*id) {
			fprintf(stderr, "%s: invalid cgroup id `%s'\n", prog, text);
			return false;
		}
		return true;
	}
	snprintf(path, sizeof(path), "%s%s%s", text[0] == '/' ? "" : CGROUP_ROOT,
		 text[0] == '/' ? "" : "/", text);
	if (stat(path, &st)) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s: not a cgroup directory\n", prog, path);
		return false;
	}
	/* On 64-bit, a cgroup v2 directory's inode number is the cgroup's id. */
	*id = st.st_ino;
	return true;
}

/* A netns file (/run/netns/x, /proc/PID/ns/net) or a PID, opened. */
static int open_netns(const char *text)
{
	char path[4096];
	int fd;

	if (all_digits(text))
		snprintf(path, sizeof(path), "/proc/%s/ns/net", text);
	else
		snprintf(path, sizeof(path), "%s", text);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
	return fd;
}

static void workload_usage(void)
{
	fprintf(stderr, "Usage: %s workload add|set NAME [group GROUP] [id ID] [cgroup PATH|ID] [netns PATH|PID]\n"
		"       %s workload del NAME\n"
		"       %s workload list [-j]\n", prog, prog, prog);
}

/* add and set: adds the workload, or changes the one of that name. */
static int set_workload(struct cw_nl *nl, int argc, char *argv[])
{
	const char *name = argv[0], *group = NULL, *cgroup = NULL, *netns = NULL;
	struct cw_workload_info w = {}, *workloads = NULL;
	const struct cw_workload_info *old = NULL;
	struct cw_group_info *groups = NULL;
	const struct cw_group_info *g;
	size_t nw = 0, ng = 0, i;
	int netns_fd = -1, ret = 1;

	for (i = 1; i + 1 < (size_t)argc; i += 2) {
		if (!strcmp(argv[i], "group"))
			group = argv[i + 1];
		else if (!strcmp(argv[i], "id")) {
			if (!parse_u32(argv[i + 1], &w.id))
				return 1;
		} else if (!strcmp(argv[i], "cgroup"))
			cgroup = argv[i + 1];
		else if (!strcmp(argv[i], "netns"))
			netns = argv[i + 1];
		else
			break;
	}
	if (i != (size_t)argc) {
		workload_usage();
		return 1;
	}
	if (strlen(name) >= sizeof(w.name)) {
		fprintf(stderr, "%s: workload name `%s' is too long\n", prog, name);
		return 1;
	}
	snprintf(w.name, sizeof(w.name), "%s", name);
	if (cgroup && !parse_cgroup(cgroup, &w.cgroup_id))
		return 1;
	if (NL_CALL(nl, cw_nl_workload_list(nl, &workloads, &nw)) ||
	    NL_CALL(nl, cw_nl_group_list(nl, &groups, &ng)))
		goto out;
	for (i = 0; i < nw; i++) {
		if (!strcmp(workloads[i].name, name))
			old = &workloads[i];
		else if (w.id && workloads[i].id == w.id) {
			fprintf(stderr, "%s: workload id %" PRIu32 " belongs to `%s'\n", prog,
				w.id, workloads[i].name);
			goto out;
		}
	}
	if (old && w.id && w.id != old->id) {
		fprintf(stderr, "%s: workload `%s' has id %" PRIu32 "\n", prog, name, old->id);
		goto out;
	}
	if (!old && !group) {
		fprintf(stderr, "%s: a new workload needs a group\n", prog);
		goto out;
	}
	if (group) {
		g = find_group(groups, ng, group);
		if (!g)
			goto out;
		w.group = g->id;
	}
	if (old) {
		w.id = old->id;
	} else if (!w.id) {
		/* The lowest free id: the list is sorted by id. */
		w.id = 1;
		for (i = 0; i < nw; i++)
			if (workloads[i].id == w.id)
				w.id++;
	}
	if (netns) {
		netns_fd = open_netns(netns);
		if (netns_fd < 0)
			goto out;
	}
	if (!NL_CALL(nl, cw_nl_workload_set(nl, &w, netns_fd)))
		ret = 0;
out:
	if (netns_fd >= 0)
		close(netns_fd);
	free(workloads);
	free(groups);
	return ret;
}

static int del_workload(struct cw_nl *nl, const char *name)
{
	const struct cw_workload_info *w;
	struct cw_workload_info *workloads;
	size_t count;
	int ret = 1;

	if (NL_CALL(nl, cw_nl_workload_list(nl, &workloads, &count)))
		return 1;
	w = find_workload(workloads, count, name);
	if (w && !NL_CALL(nl, cw_nl_workload_del(nl, w->id)))
		ret = 0;
	free(workloads);
	return ret;
}

static const char *group_of(const struct cw_names *names, uint32_t id)
{
	size_t i;

	for (i = 0; i < names->ngroups; i++)
		if (names->groups[i].id == id)
			return names->groups[i].name;
	return "?";
}

static int list_workloads(struct cw_nl *nl, bool json)
{
	struct cw_names names;
	json_t *array;
	size_t i;

	if (load_names(nl, &names))
		return 1;
	if (json) {
		array = json_array();
		for (i = 0; i < names.nworkloads; i++) {
			const struct cw_workload_info *w = &names.workloads[i];

			json_array_append_new(array, json_pack("{s:I,s:s,s:s,s:I,s:I,s:I}",
				"id", (json_int_t)w->id, "name", w->name,
				"group", group_of(&names, w->group),
				"group_id", (json_int_t)w->group,
				"cgroup_id", (json_int_t)w->cgroup_id,
				"netns_cookie", (json_int_t)w->netns_cookie));
		}
		free_names(&names);
		return print_json(array);
	}
	printf("%-10s %-24s %-24s %-20s %s\n", "id", "name", "group", "cgroup", "netns");
	for (i = 0; i < names.nworkloads; i++) {
		const struct cw_workload_info *w = &names.workloads[i];
		char cgroup[24] = "-", netns[24] = "-";

		if (w->cgroup_id)
			snprintf(cgroup, sizeof(cgroup), "%" PRIu64, w->cgroup_id);
		if (w->netns_cookie)
			snprintf(netns, sizeof(netns), "%" PRIu64, w->netns_cookie);
		printf("%-10" PRIu32 " %-24s %-24s %-20s %s\n", w->id, w->name,
		       group_of(&names, w->group), cgroup, netns);
	}
	free_names(&names);
	return 0;
}

int workload_main(int argc, char *argv[])
{
	enum { LIST, SET, DEL } cmd;
	struct cw_nl *nl;
	int ret;

	if (argc >= 2 && !strcmp(argv[1], "list") &&
	    (argc == 2 || (argc == 3 && !strcmp(argv[2], "-j")))) {
		cmd = LIST;
	} else if (argc >= 3 && (!strcmp(argv[1], "add") || !strcmp(argv[1], "set"))) {
		cmd = SET;
	} else if (argc == 3 && !strcmp(argv[1], "del")) {
		cmd = DEL;
	} else {
		workload_usage();
		return 1;
	}
	nl = open_nl();
	if (!nl)
		return 1;
	if (cmd == LIST)
		ret = list_workloads(nl, argc == 3);
	else if (cmd == SET)
		ret = set_workload(nl, argc - 2, argv + 2);
	else
		ret = del_workload(nl, argv[2]);
	cw_nl_close(nl);
	return ret;
}
