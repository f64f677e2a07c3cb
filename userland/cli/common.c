// SPDX-License-Identifier: GPL-2.0
/* Helpers every subcommand shares. */

#include "cellwall.h"
#include "cwformat.h"
#include "libcellwall.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool parse_u32(const char *text, uint32_t *value)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || v > UINT32_MAX || text[0] == '-') {
		fprintf(stderr, "%s: invalid number `%s'\n", prog, text);
		return false;
	}
	*value = v;
	return true;
}

const struct cw_group_info *find_group(const struct cw_group_info *groups, size_t count,
				       const char *name)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	fprintf(stderr, "%s: unknown group `%s'\n", prog, name);
	return NULL;
}

const struct cw_workload_info *find_workload(const struct cw_workload_info *workloads,
					     size_t count, const char *name)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (!strcmp(workloads[i].name, name))
			return &workloads[i];
	fprintf(stderr, "%s: unknown workload `%s'\n", prog, name);
	return NULL;
}

int load_names(struct cw_nl *nl, struct cw_names *names)
{
	struct cw_group_info *groups;
	struct cw_workload_info *workloads;

	memset(names, 0, sizeof(*names));
	if (NL_CALL(nl, cw_nl_group_list(nl, &groups, &names->ngroups)))
		return -1;
	if (NL_CALL(nl, cw_nl_workload_list(nl, &workloads, &names->nworkloads))) {
		free(groups);
		return -1;
	}
	names->groups = groups;
	names->workloads = workloads;
	return 0;
}

void free_names(struct cw_names *names)
{
	free((void *)names->groups);
	free((void *)names->workloads);
	memset(names, 0, sizeof(*names));
}

int print_json(json_t *json)
{
	int ret;

	if (!json)
		return 1;
	ret = json_dumpf(json, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(json);
	return ret ? 1 : 0;
}
