// SPDX-License-Identifier: GPL-2.0
/* cellwall status, cellwall version. */

#include "cellwall.h"
#include "libcellwall.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const dir_names[CW_DIR_COUNT] = {
	[CW_DIR_IN] = "in",
	[CW_DIR_OUT] = "out",
	[CW_DIR_FWD] = "forward",
};

static int get_status(struct cw_status *status)
{
	struct cw_nl *nl = open_nl();
	int ret;

	if (!nl)
		return -1;
	ret = NL_CALL(nl, cw_nl_status(nl, status));
	cw_nl_close(nl);
	return ret;
}

static json_t *counters_json(const struct cw_counters *c)
{
	json_t *obj = json_object();
	int dir;

	for (dir = 0; dir < CW_DIR_COUNT; dir++)
		json_object_set_new(obj, dir_names[dir],
				    json_pack("{s:I,s:I}",
					      "packets", (json_int_t)c->packets[dir],
					      "bytes", (json_int_t)c->bytes[dir]));
	return obj;
}

static int print_status_json(const struct cw_status *s)
{
	json_t *root;

	root = json_pack("{s:s,s:s,s:b,s:i,s:o,s:o}",
			 "version", CW_VERSION,
			 "module_version", s->version,
			 "enabled", s->enabled,
			 "netns_count", (int)s->netns_count,
			 "netns", counters_json(&s->netns),
			 "all", counters_json(&s->all));
	if (!root)
		return 1;
	/* Keys stay absent when the module does not report them. */
	if (s->has_policy) {
		json_object_set_new(root, "policy_generation", json_integer(s->policy_generation));
		json_object_set_new(root, "policy_rules", json_integer(s->policy_rules));
	}
	if (s->has_flows) {
		json_object_set_new(root, "flow_entry_size", json_integer(s->flow_entry_size));
		json_object_set_new(root, "flows", json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
			"active", (json_int_t)s->flows.active,
			"created", (json_int_t)s->flows.created,
			"evicted", (json_int_t)s->flows.evicted,
			"full_accepted", (json_int_t)s->flows.full_accepted,
			"full_dropped", (json_int_t)s->flows.full_dropped,
			"expired", (json_int_t)s->flows.expired,
			"held", (json_int_t)s->flows.held));
	}
	if (s->has_events_lost)
		json_object_set_new(root, "events_lost", json_integer(s->events_lost));
	return print_json(root);
}

static void print_counters(const char *label, const struct cw_counters *c)
{
	int dir;

	printf("%-16s", label);
	for (dir = 0; dir < CW_DIR_COUNT; dir++)
		printf(" %11" PRIu64 " %13" PRIu64, c->packets[dir], c->bytes[dir]);
	putchar('\n');
}

static void print_text(const struct cw_status *s)
{
	char all_label[32];

	printf("cellwall %s: %s\n", s->version, s->enabled ? "enabled" : "disabled");
	printf("%-16s %11s %13s %11s %13s %11s %13s\n", "counters",
	       "in packets", "in bytes", "out packets", "out bytes",
	       "fwd packets", "fwd bytes");
	print_counters("this netns", &s->netns);
	snprintf(all_label, sizeof(all_label), "all (%u netns)", s->netns_count);
	print_counters(all_label, &s->all);
	if (s->has_flows)
		printf("flows: %u active, %" PRIu64 " created, %" PRIu64 " evicted, %" PRIu64
		       " expired, %" PRIu64 " full accepted, %" PRIu64 " full dropped, %"
		       PRIu64 " held back (%u bytes each)\n", s->flows.active, s->flows.created,
		       s->flows.evicted, s->flows.expired, s->flows.full_accepted,
		       s->flows.full_dropped, s->flows.held, s->flow_entry_size);
	if (s->has_policy)
		printf("policy: generation %u, %u rules\n", s->policy_generation,
		       s->policy_rules);
	if (s->has_events_lost)
		printf("events lost: %" PRIu64 "\n", s->events_lost);
}

int status_main(int argc, char *argv[])
{
	struct cw_status status;
	bool json = false;

	if (argc == 2 && (!strcmp(argv[1], "-j") || !strcmp(argv[1], "--json"))) {
		json = true;
	} else if (argc != 1) {
		fprintf(stderr, "Usage: %s %s [-j]\n", prog, argv[0]);
		return 1;
	}
	if (get_status(&status))
		return 1;
	if (json)
		return print_status_json(&status);
	print_text(&status);
	return 0;
}

int version_main(int argc, char *argv[])
{
	struct cw_status status;

	if (argc != 1) {
		fprintf(stderr, "Usage: %s %s\n", prog, argv[0]);
		return 1;
	}
	printf("cellwall %s\n", CW_VERSION);
	fflush(stdout);	/* before any error, when both go to one pipe */
	if (get_status(&status))
		return 1;
	printf("module %s\n", status.version);
	return 0;
}
