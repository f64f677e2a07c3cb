// SPDX-License-Identifier: GPL-2.0
/* cellwall addr add|del|list: remote ends mapped to workloads or groups. */

#include "cellwall.h"
#include "cwformat.h"
#include "libcellwall.h"
#include "cwpolicy.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void addr_usage(void)
{
	fprintf(stderr, "Usage: %s addr add ADDR[/PREFIX] group GROUP|workload WORKLOAD\n"
		"       %s addr del ADDR[/PREFIX]\n"
		"       %s addr list [-j]\n", prog, prog, prog);
}

static bool parse_addr(const char *text, struct cw_cidr *cidr)
{
	char err[256];

	if (cw_cidr_parse(text, cidr, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return false;
	}
	return true;
}

static int add_addr(struct cw_nl *nl, const char *text, const char *kind, const char *name)
{
	struct cw_addr_info a = {};
	struct cw_names names;
	int ret = 1;

	if (!parse_addr(text, &a.cidr))
		return 1;
	if (load_names(nl, &names))
		return 1;
	if (!strcmp(kind, "group")) {
		const struct cw_group_info *g = find_group(names.groups, names.ngroups, name);

		if (!g)
			goto out;
		a.group = g->id;
	} else {
		const struct cw_workload_info *w = find_workload(names.workloads,
								 names.nworkloads, name);

		if (!w)
			goto out;
		a.workload = w->id;
	}
	if (!NL_CALL(nl, cw_nl_addr_set(nl, &a)))
		ret = 0;
out:
	free_names(&names);
	return ret;
}

static const char *name_of(const struct cw_names *n, const struct cw_addr_info *a)
{
	size_t i;

	for (i = 0; a->group && i < n->ngroups; i++)
		if (n->groups[i].id == a->group)
			return n->groups[i].name;
	for (i = 0; a->workload && i < n->nworkloads; i++)
		if (n->workloads[i].id == a->workload)
			return n->workloads[i].name;
	return "?";
}

static const char *origin_name(uint8_t origin)
{
	return origin == CW_ADDR_ORIGIN_LEARNED ? "learned" : "explicit";
}

static int list_addrs(struct cw_nl *nl, bool json)
{
	struct cw_addr_info *addrs;
	struct cw_names names;
	json_t *array = NULL;
	size_t count, i;

	if (load_names(nl, &names))
		return 1;
	if (NL_CALL(nl, cw_nl_addr_list(nl, &addrs, &count))) {
		free_names(&names);
		return 1;
	}
	if (json)
		array = json_array();
	else
		printf("%-40s %-6s %-8s %-24s %s\n", "address", "prefix", "kind", "name", "origin");
	for (i = 0; i < count; i++) {
		const struct cw_addr_info *a = &addrs[i];
		const char *kind = a->group ? "group" : "workload";
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(a->cidr.family, a->cidr.addr, addr, sizeof(addr));
		if (!json) {
			printf("%-40s %-6u %-8s %-24s %s\n", addr, a->cidr.prefix, kind,
			       name_of(&names, a), origin_name(a->origin));
			continue;
		}
		json_array_append_new(array, json_pack("{s:s,s:i,s:s?,s:I,s:s?,s:I,s:s}",
			"address", addr, "prefix", (int)a->cidr.prefix,
			"workload", a->workload ? name_of(&names, a) : NULL,
			"workload_id", (json_int_t)a->workload,
			"group", a->group ? name_of(&names, a) : NULL,
			"group_id", (json_int_t)a->group,
			"origin", origin_name(a->origin)));
	}
	free(addrs);
	free_names(&names);
	return json ? print_json(array) : 0;
}

int addr_main(int argc, char *argv[])
{
	struct cw_cidr cidr;
	struct cw_nl *nl;
	int ret;

	if (argc >= 2 && !strcmp(argv[1], "list") &&
	    (argc == 2 || (argc == 3 && !strcmp(argv[2], "-j")))) {
		nl = open_nl();
		if (!nl)
			return 1;
		ret = list_addrs(nl, argc == 3);
	} else if (argc == 5 && !strcmp(argv[1], "add") &&
		   (!strcmp(argv[3], "group") || !strcmp(argv[3], "workload"))) {
		nl = open_nl();
		if (!nl)
			return 1;
		ret = add_addr(nl, argv[2], argv[3], argv[4]);
	} else if (argc == 3 && !strcmp(argv[1], "del")) {
		if (!parse_addr(argv[2], &cidr))
			return 1;
		nl = open_nl();
		if (!nl)
			return 1;
		ret = NL_CALL(nl, cw_nl_addr_del(nl, &cidr)) ? 1 : 0;
	} else {
		addr_usage();
		return 1;
	}
	cw_nl_close(nl);
	return ret;
}
