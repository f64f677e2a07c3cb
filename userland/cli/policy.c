// SPDX-License-Identifier: GPL-2.0
/* cellwall policy load|show|export, cellwall rule add|del|list. */

#include "cellwall.h"
#include "cwformat.h"
#include "cwpolicy.h"
#include "libcellwall.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* policy load FILE: groups, addresses, then the rules in one transaction. */
static int load_policy(const char *path)
{
	struct cw_nl *nl;
	struct cw_group_info *kgroups = NULL;
	struct cw_rule_entry *entries = NULL;
	struct cw_policy p = {};
	struct cw_json_file f;
	size_t nk, ne;
	char err[512];
	int ret = 1;

	/* Everything is checked before anything changes; the text stays for errors. */
	if (cw_json_file_read(path, &f, err, sizeof(err)) ||
	    cw_policy_from_file(&f, &p, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		cw_json_file_free(&f);
		return 1;
	}
	nl = open_nl();
	if (!nl) {
		cw_policy_free(&p);
		cw_json_file_free(&f);
		return 1;
	}
	if (NL_CALL(nl, cw_nl_group_list(nl, &kgroups, &nk)))
		goto out;
	if (cw_policy_check_file_groups(&f, &p, kgroups, nk, err, sizeof(err)) ||
	    cw_policy_resolve(&p, kgroups, nk, err, sizeof(err)) ||
	    cw_policy_entries(&p, kgroups, nk, &entries, &ne, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto out;
	}
	if (NL_CALL(nl, cw_policy_apply(nl, &p, kgroups, nk, entries, ne)))
		goto out;
	ret = 0;
out:
	cw_policy_free(&p);
	cw_json_file_free(&f);
	free(entries);
	free(kgroups);
	cw_nl_close(nl);
	return ret;
}

/* The kernel's policy as a policy file would say it; @learned adds those. */
static int kernel_policy(struct cw_nl *nl, bool learned, struct cw_policy *p,
			 size_t *pending)
{
	struct cw_rule_entry *rules = NULL, *seen = NULL;
	struct cw_domain_info *domains = NULL;
	struct cw_group_info *groups = NULL;
	struct cw_addr_info *addrs = NULL;
	size_t ng, na, nd, nr, nseen = 0;
	char err[256];
	int ret = -1;

	if (NL_CALL(nl, cw_nl_group_list(nl, &groups, &ng)) ||
	    NL_CALL(nl, cw_nl_addr_list(nl, &addrs, &na)) ||
	    NL_CALL(nl, cw_nl_domain_list(nl, &domains, &nd)) ||
	    NL_CALL(nl, cw_nl_policy_list(nl, &rules, &nr)) ||
	    NL_CALL(nl, cw_nl_learned_list(nl, &seen, &nseen)))
		goto out;
	if (pending)
		*pending = nseen;
	if (cw_policy_from_kernel(groups, ng, addrs, na, domains, nd, rules, nr, seen,
				  learned ? nseen : 0, p, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto out;
	}
	ret = 0;
out:
	free(groups);
	free(addrs);
	free(domains);
	free(rules);
	free(seen);
	return ret;
}

static int export_policy(struct cw_nl *nl, const char *path)
{
	struct cw_threat_info *threats;
	char err[512];
	struct cw_policy p;
	size_t nt;
	json_t *json;
	int ret;

	if (kernel_policy(nl, true, &p, NULL))
		return 1;
	if (NL_CALL(nl, cw_nl_threat_list(nl, &threats, &nt))) {
		cw_policy_free(&p);
		return 1;
	}
	/* "threats" lists those off their defaults. */
	cw_policy_threats_from_kernel(&p, threats, nt);
	free(threats);
	json = cw_policy_to_json(&p);
	cw_policy_free(&p);
	if (!path)
		return print_json(json);
	ret = cw_json_write_atomic(json, path, err, sizeof(err));
	json_decref(json);
	if (ret)
		fprintf(stderr, "%s: %s\n", prog, err);
	return ret ? 1 : 0;
}

static void print_rules(const struct cw_policy *p)
{
	char ports[1024], one[32], apps[512];
	size_t i, j;

	printf("%-10s %-20s %-20s %-6s %-12s %s\n", "id", "from", "to", "action", "apps", "ports");
	for (i = 0; i < p->nrules; i++) {
		const struct cw_policy_rule *r = &p->rules[i];

		ports[0] = '\0';
		for (j = 0; j < r->nports; j++) {
			cw_portspec_format(&r->ports[j], one, sizeof(one));
			if (strlen(ports) + strlen(one) + 2 < sizeof(ports))
				snprintf(ports + strlen(ports), sizeof(ports) - strlen(ports),
					 "%s%s", j ? "," : "", one);
		}
		cw_apps_format(r->apps, apps, sizeof(apps));
		printf("%-10" PRIu32 " %-20s %-20s %-6s %-12s %s%s\n", r->id, r->from, r->to,
		       cw_action_name(r->action), apps, ports, r->learned ? " learned" : "");
	}
}

static int show_policy(struct cw_nl *nl)
{
	char cidr[CW_CIDR_STRLEN];
	struct cw_policy p;
	size_t pending, i, j;

	if (kernel_policy(nl, false, &p, &pending))
		return 1;
	printf("%-10s %-20s %-9s %s\n", "group", "name", "mode", "addresses");
	for (i = 0; i < p.ngroups; i++) {
		const struct cw_policy_group *g = &p.groups[i];

		printf("%-10" PRIu32 " %-20s %-9s", g->id ? g->id : CW_GROUP_HOST, g->name,
		       cw_mode_name(g->mode));
		for (j = 0; j < g->ncidrs; j++) {
			cw_cidr_format(&g->cidrs[j], true, cidr, sizeof(cidr));
			printf("%s%s", j ? "," : " ", cidr);
		}
		for (j = 0; j < g->ndomains; j++)
			printf("%s%s", j || g->ncidrs ? "," : " ", g->domains[j]);
		putchar('\n');
	}
	putchar('\n');
	print_rules(&p);
	if (pending)
		printf("\n%zu learned connections no rule covers (policy export adds them)\n",
		       pending);
	cw_policy_free(&p);
	return 0;
}

static void policy_usage(void)
{
	fprintf(stderr, "Usage: %s policy load FILE|-\n"
		"       %s policy show\n"
		"       %s policy export [-o FILE]\n", prog, prog, prog);
}

int policy_main(int argc, char *argv[])
{
	struct cw_nl *nl;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "load"))
		return load_policy(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "show")) {
		nl = open_nl();
		if (!nl)
			return 1;
		ret = show_policy(nl);
	} else if (argc >= 2 && !strcmp(argv[1], "export") &&
		   (argc == 2 || (argc == 4 && !strcmp(argv[2], "-o")))) {
		nl = open_nl();
		if (!nl)
			return 1;
		ret = export_policy(nl, argc == 4 ? argv[3] : NULL);
	} else {
		policy_usage();
		return 1;
	}
	cw_nl_close(nl);
	return ret;
}

/* Rules, one at a time: each change loads the whole policy again. */

static void rule_usage(void)
{
	fprintf(stderr, "Usage: %s rule add [id ID] from GROUP to GROUP [PORTSPEC...] allow|deny\n"
		"       %s rule del ID\n"
		"       %s rule list [-j]\n"
		"PORTSPEC: tcp/443, udp/53, tcp/8000-8080, tcp, udp, icmp, any\n",
		prog, prog, prog);
}

static uint32_t lowest_free_rule_id(const struct cw_rule_entry *rules, size_t nr)
{
	uint32_t id = 1;
	size_t i;

again:
	for (i = 0; i < nr; i++) {
		if (rules[i].id == id) {
			id++;
			goto again;
		}
	}
	return id;
}

static int add_rule(struct cw_nl *nl, int argc, char *argv[])
{
	struct cw_rule_entry *rules = NULL, *grown, e = {};
	const struct cw_group_info *from, *to;
	struct cw_group_info *groups = NULL;
	struct cw_portspec *ports = NULL;
	size_t nr, ng, nports = 0, i;
	int first = 0, ret = 1;
	char err[256];

	if (argc >= 2 && !strcmp(argv[0], "id")) {
		if (!parse_u32(argv[1], &e.id))
			return 1;
		if (!e.id || e.id >= CW_RULE_ID_LEARNED) {
			fprintf(stderr, "%s: rule ids go from 1 to %d (learned rules have the rest)\n",
				prog, CW_RULE_ID_LEARNED - 1);
			return 1;
		}
		first = 2;
	}
	if (argc - first < 5 || strcmp(argv[first], "from") || strcmp(argv[first + 2], "to")) {
		rule_usage();
		return 1;
	}
	if (!strcmp(argv[argc - 1], "allow")) {
		e.action = CW_ACTION_ALLOW;
	} else if (!strcmp(argv[argc - 1], "deny")) {
		e.action = CW_ACTION_DENY;
	} else {
		fprintf(stderr, "%s: bad action `%s' (allow or deny)\n", prog, argv[argc - 1]);
		return 1;
	}
	ports = calloc(argc, sizeof(*ports));
	if (!ports)
		return 1;
	for (i = first + 4; i < (size_t)argc - 1; i++) {
		if (cw_portspec_parse(argv[i], &ports[nports++], err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", prog, err);
			goto out;
		}
	}
	if (!nports)
		ports[nports++] = (struct cw_portspec){ 0, 0, 65535 };

	if (NL_CALL(nl, cw_nl_group_list(nl, &groups, &ng)) ||
	    NL_CALL(nl, cw_nl_policy_list(nl, &rules, &nr)))
		goto out;
	from = find_group(groups, ng, argv[first + 1]);
	to = from ? find_group(groups, ng, argv[first + 3]) : NULL;
	if (!to)
		goto out;
	for (i = 0; e.id && i < nr; i++) {
		if (rules[i].id == e.id) {
			fprintf(stderr, "%s: rule %" PRIu32 " exists already\n", prog, e.id);
			goto out;
		}
	}
	if (!e.id)
		e.id = lowest_free_rule_id(rules, nr);
	grown = realloc(rules, (nr + nports) * sizeof(*rules));
	if (!grown)
		goto out;
	rules = grown;
	e.from = from->id;
	e.to = to->id;
	for (i = 0; i < nports; i++) {
		e.proto = ports[i].proto;
		e.port_min = ports[i].port_min;
		e.port_max = ports[i].port_max;
		rules[nr++] = e;
	}
	if (!NL_CALL(nl, cw_nl_policy_load(nl, rules, nr, NULL))) {
		printf("rule %" PRIu32 "\n", e.id);
		ret = 0;
	}
out:
	free(ports);
	free(groups);
	free(rules);
	return ret;
}

static int del_rule(struct cw_nl *nl, const char *text)
{
	struct cw_rule_entry *rules;
	size_t nr, i, kept = 0;
	uint32_t id;
	int ret = 1;

	if (!parse_u32(text, &id))
		return 1;
	if (NL_CALL(nl, cw_nl_policy_list(nl, &rules, &nr)))
		return 1;
	for (i = 0; i < nr; i++)
		if (rules[i].id != id)
			rules[kept++] = rules[i];
	if (kept == nr)
		fprintf(stderr, "%s: no rule %" PRIu32 "\n", prog, id);
	else if (!NL_CALL(nl, cw_nl_policy_load(nl, rules, kept, NULL)))
		ret = 0;
	free(rules);
	return ret;
}

static int list_rules(struct cw_nl *nl, bool json)
{
	struct cw_policy p;
	json_t *all;

	if (kernel_policy(nl, false, &p, NULL))
		return 1;
	if (json) {
		all = cw_policy_to_json(&p);
		cw_policy_free(&p);
		json_incref(json_object_get(all, "rules"));
		print_json(json_object_get(all, "rules"));
		json_decref(all);
		return 0;
	}
	print_rules(&p);
	cw_policy_free(&p);
	return 0;
}

int rule_main(int argc, char *argv[])
{
	struct cw_nl *nl;
	int ret;

	if (argc >= 2 && !strcmp(argv[1], "list") &&
	    (argc == 2 || (argc == 3 && !strcmp(argv[2], "-j")))) {
		nl = open_nl();
		if (!nl)
			return 1;
		ret = list_rules(nl, argc == 3);
	} else if (argc >= 3 && !strcmp(argv[1], "add")) {
		nl = open_nl();
		if (!nl)
			return 1;
		ret = add_rule(nl, argc - 2, argv + 2);
	} else if (argc == 3 && !strcmp(argv[1], "del")) {
		nl = open_nl();
		if (!nl)
			return 1;
		ret = del_rule(nl, argv[2]);
	} else {
		rule_usage();
		return 1;
	}
	cw_nl_close(nl);
	return ret;
}
