// SPDX-License-Identifier: GPL-2.0
/* cellwall: the configuration CLI. */

#include "cellwall.h"
#include "libcellwall.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *prog;

static const struct {
	const char *name;
	int (*main)(int argc, char *argv[]);
	const char *help;
} subcommands[] = {
	{ "status", status_main, "Shows whether cellwall is enabled and its counters" },
	{ "version", version_main, "Shows the versions of the CLI and the module" },
	{ "group", group_main, "Lists, adds and deletes workload groups" },
	{ "mode", mode_main, "Sets the mode of a group: discover, monitor or protect" },
	{ "workload", workload_main, "Lists, adds, changes and deletes workloads" },
	{ "addr", addr_main, "Maps remote addresses and prefixes to workloads or groups" },
	{ "domain", domain_main, "Maps domain names (*.example.com) to address groups" },
	{ "rule", rule_main, "Lists, adds and deletes rules of the policy in force" },
	{ "policy", policy_main, "Loads, shows and exports the policy (a JSON file)" },
	{ "flows", flows_main, "Lists the connections the module tracks" },
	{ "events", events_main, "Follows learn, violation and threat events" },
	{ "threats", threats_main, "Lists the threat detections, their actions and counts" },
	{ "threat", threat_main, "Sets or resets the action and threshold of a detection" },
};

static void show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s <cmd> [<args>]\n\nAvailable subcommands:\n", prog);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name, subcommands[i].help);
	fprintf(f, "\nYou may pass `--help' to any of these subcommands to view usage.\n");
}

void print_nl_error(int err, const char *errmsg)
{
	const char *prefix = "cellwall: ";

	/* The kernel's own words say best what it refused, and why. */
	if (errmsg && *errmsg) {
		if (!strncmp(errmsg, prefix, strlen(prefix)))
			errmsg += strlen(prefix);
		fprintf(stderr, "%s: %s\n", prog, errmsg);
		return;
	}
	switch (err) {
	case -ENOENT:
		fprintf(stderr, "%s: kernel module not loaded\n", prog);
		return;
	case -EPERM:
		fprintf(stderr, "%s: permission denied: this needs CAP_NET_ADMIN (run it as root)\n",
			prog);
		return;
	}
	fprintf(stderr, "%s: %s\n", prog, strerror(-err));
}

struct cw_nl *open_nl(void)
{
	struct cw_nl *nl;
	int ret = cw_nl_open(&nl);

	if (ret) {
		print_nl_error(ret, NULL);
		return NULL;
	}
	return nl;
}

int main(int argc, char *argv[])
{
	size_t i;

	prog = "cellwall";
	if (argc < 2) {
		show_usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		show_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return version_main(argc - 1, argv + 1);

	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].main(argc - 1, argv + 1);
	}
	fprintf(stderr, "%s: invalid subcommand `%s'\n", prog, argv[1]);
	show_usage(stderr);
	return 1;
}
