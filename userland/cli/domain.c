// SPDX-License-Identifier: GPL-2.0
/* cellwall domain add|del|list: domain names of address groups. */

#include "cellwall.h"
#include "cwformat.h"
#include "cwpolicy.h"
#include "libcellwall.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void domain_usage(void)
{
	fprintf(stderr, "Usage: %s domain add NAME group GROUP\n"
		"       %s domain del NAME\n"
		"       %s domain list [-j]\n"
		"NAME: example.com (that name) or *.example.com (the names below it)\n",
		prog, prog, prog);
}

/* Checked here as the kernel checks it, before the module is needed. */
static bool parse_domain(const char *text, char *name)
{
	char err[512];

	if (cw_domain_name_parse(text, name, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return false;
	}
	return true;
}

static int add_domain(struct cw_nl *nl, struct cw_domain_info *d, const char *group)
{
	const struct cw_group_info *g;
	struct cw_names names;
	int ret = 1;

	if (load_names(nl, &names))
		return 1;
	g = find_group(names.groups, names.ngroups, group);
	if (g) {
		d->group = g->id;
		ret = NL_CALL(nl, cw_nl_domain_set(nl, d)) ? 1 : 0;
	}
	free_names(&names);
	return ret;
}

static int list_domains(struct cw_nl *nl, bool json)
{
	struct cw_domain_info *domains;
	char line[CW_LINE_MAX];
	struct cw_names names;
	json_t *array = NULL;
	size_t count, i;

	if (load_names(nl, &names))
		return 1;
	if (NL_CALL(nl, cw_nl_domain_list(nl, &domains, &count))) {
		free_names(&names);
		return 1;
	}
	if (json)
		array = json_array();
	else
		printf("%-40s %s\n", "domain", "group");
	for (i = 0; i < count; i++) {
		if (json) {
			json_array_append_new(array, cw_domain_json(&domains[i], &names));
			continue;
		}
		cw_domain_format(&domains[i], &names, line, sizeof(line));
		puts(line);
	}
	free(domains);
	free_names(&names);
	return json ? print_json(array) : 0;
}

int domain_main(int argc, char *argv[])
{
	struct cw_domain_info d = {};
	struct cw_nl *nl;
	int ret;

	if (argc >= 2 && !strcmp(argv[1], "list") &&
	    (argc == 2 || (argc == 3 && !strcmp(argv[2], "-j")))) {
		nl = open_nl();
		if (!nl)
			return 1;
		ret = list_domains(nl, argc == 3);
	} else if (argc == 5 && !strcmp(argv[1], "add") && !strcmp(argv[3], "group")) {
		if (!parse_domain(argv[2], d.name))
			return 1;
		nl = open_nl();
		if (!nl)
			return 1;
		ret = add_domain(nl, &d, argv[4]);
	} else if (argc == 3 && !strcmp(argv[1], "del")) {
		if (!parse_domain(argv[2], d.name))
			return 1;
		nl = open_nl();
		if (!nl)
			return 1;
		ret = NL_CALL(nl, cw_nl_domain_del(nl, d.name)) ? 1 : 0;
	} else {
		domain_usage();
		return 1;
	}
	cw_nl_close(nl);
	return ret;
}
