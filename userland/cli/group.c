// SPDX-License-Identifier: GPL-2.0
/* cellwall group list|add|del, cellwall mode. */

#include "cellwall.h"
#include "libcellwall.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_mode(const char *text, uint8_t *mode)
{
	*mode = cw_mode_parse(text);
	if (*mode == CW_MODE_NONE) {
		fprintf(stderr, "%s: invalid mode `%s' (discover, monitor or protect)\n",
			prog, text);
		return false;
	}
	return true;
}

static int list_groups(struct cw_nl *nl, bool json)
{
	struct cw_group_info *groups;
	size_t count, i;

	if (NL_CALL(nl, cw_nl_group_list(nl, &groups, &count)))
		return 1;
	if (json) {
		json_t *array = json_array();

		for (i = 0; i < count; i++)
			json_array_append_new(array, json_pack("{s:I,s:s,s:s}",
				"id", (json_int_t)groups[i].id, "name", groups[i].name,
				"mode", cw_mode_name(groups[i].mode)));
		json_dumpf(array, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(array);
	} else {
		printf("%-10s %-24s %s\n", "id", "name", "mode");
		for (i = 0; i < count; i++)
			printf("%-10" PRIu32 " %-24s %s\n", groups[i].id, groups[i].name,
			       cw_mode_name(groups[i].mode));
	}
	free(groups);
	return 0;
}

/* group add NAME [id ID] [mode MODE]: the next free id, discover by default. */
static int add_group(struct cw_nl *nl, int argc, char *argv[])
{
	struct cw_group_info *groups;
	uint8_t mode = CW_MODE_DISCOVER;
	uint32_t id = 0;
	size_t count, i;
	int ret;

	for (i = 1; i + 1 < (size_t)argc; i += 2) {
		if (!strcmp(argv[i], "id")) {
			if (!parse_u32(argv[i + 1], &id))
				return 1;
		} else if (!strcmp(argv[i], "mode")) {
			if (!parse_mode(argv[i + 1], &mode))
				return 1;
		} else {
			break;
		}
	}
	if (i != (size_t)argc) {
		fprintf(stderr, "Usage: %s group add NAME [id ID] [mode discover|monitor|protect]\n", prog);
		return 1;
	}
	if (NL_CALL(nl, cw_nl_group_list(nl, &groups, &count)))
		return 1;
	for (i = 0; i < count; i++) {
		if (!strcmp(groups[i].name, argv[0])) {
			fprintf(stderr, "%s: group `%s' exists already\n", prog, argv[0]);
			free(groups);
			return 1;
		}
		if (id && groups[i].id == id) {
			fprintf(stderr, "%s: group id %" PRIu32 " belongs to `%s'\n",
				prog, id, groups[i].name);
			free(groups);
			return 1;
		}
	}
	if (!id) {
		id = CW_GROUP_FIRST_USER;
		for (i = 0; i < count; i++)
			if (groups[i].id >= id)
				id = groups[i].id + 1;
	}
	free(groups);
	ret = NL_CALL(nl, cw_nl_group_set(nl, id, argv[0], mode));
	return ret ? 1 : 0;
}

static int del_group(struct cw_nl *nl, const char *name)
{
	const struct cw_group_info *group;
	struct cw_group_info *groups;
	size_t count;
	int ret = 1;

	if (NL_CALL(nl, cw_nl_group_list(nl, &groups, &count)))
		return 1;
	group = find_group(groups, count, name);
	if (group && !NL_CALL(nl, cw_nl_group_del(nl, group->id)))
		ret = 0;
	free(groups);
	return ret;
}

static void group_usage(void)
{
	fprintf(stderr, "Usage: %s group list [-j]\n"
		"       %s group add NAME [id ID] [mode discover|monitor|protect]\n"
		"       %s group del NAME\n", prog, prog, prog);
}

int group_main(int argc, char *argv[])
{
	enum { LIST, ADD, DEL } cmd;
	struct cw_nl *nl;
	int ret;

	if (argc >= 2 && !strcmp(argv[1], "list") &&
	    (argc == 2 || (argc == 3 && !strcmp(argv[2], "-j")))) {
		cmd = LIST;
	} else if (argc >= 3 && !strcmp(argv[1], "add")) {
		cmd = ADD;
	} else if (argc == 3 && !strcmp(argv[1], "del")) {
		cmd = DEL;
	} else {
		group_usage();
		return 1;
	}
	nl = open_nl();
	if (!nl)
		return 1;
	switch (cmd) {
	case LIST:
		ret = list_groups(nl, argc == 3);
		break;
	case ADD:
		ret = add_group(nl, argc - 2, argv + 2);
		break;
	default:
		ret = del_group(nl, argv[2]);
		break;
	}
	cw_nl_close(nl);
	return ret;
}

int mode_main(int argc, char *argv[])
{
	const struct cw_group_info *group;
	struct cw_group_info *groups;
	struct cw_nl *nl;
	size_t count;
	uint8_t mode;
	int ret = 1;

	if (argc != 3) {
		fprintf(stderr, "Usage: %s mode GROUP discover|monitor|protect\n", prog);
		return 1;
	}
	if (!parse_mode(argv[2], &mode))
		return 1;
	nl = open_nl();
	if (!nl)
		return 1;
	if (!NL_CALL(nl, cw_nl_group_list(nl, &groups, &count))) {
		group = find_group(groups, count, argv[1]);
		if (group && !NL_CALL(nl, cw_nl_group_set(nl, group->id, NULL, mode)))
			ret = 0;
		free(groups);
	}
	cw_nl_close(nl);
	return ret;
}
