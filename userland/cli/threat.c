// SPDX-License-Identifier: GPL-2.0
/* cellwall threats, cellwall threat set|reset: the threat detections. */

#include "cellwall.h"
#include "cwpolicy.h"
#include "libcellwall.h"
#include "threat/threat.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void threat_usage(void)
{
	fprintf(stderr, "Usage: %s threat set NAME [action=off|alert|block] [threshold=N]\n"
		"       %s threat reset [NAME]\n"
		"       %s threats [-j]\n", prog, prog, prog);
}

/* What this build's table says of @t, or NULL for a newer module's own. */
static const struct cw_threat_def *table_row(const struct cw_threat_info *t)
{
	return cw_threat_name(t->id) ? &cw_threat_defs[t->id] : NULL;
}

static json_t *threat_json(const struct cw_threat_info *t)
{
	const struct cw_threat_def *def = table_row(t);
	const char *severity = cw_severity_name(t->severity);

	return json_pack("{s:i,s:s,s:s?,s:s,s:o,s:s?,s:I,s:s?}",
			 "id", t->id, "name", t->name, "severity", severity,
			 "action", cw_threat_action_name(t->action),
			 "threshold", t->threshold ? json_integer(t->threshold) : json_null(),
			 "unit", t->threshold && def ? def->unit : NULL,
			 "count", (json_int_t)t->count, "summary", def ? def->summary : NULL);
}

/* "2000 SYNs per second to a workload", or "-" for none. */
static void threshold_format(const struct cw_threat_info *t, char *buf, size_t len)
{
	const struct cw_threat_def *def = table_row(t);

	if (!t->threshold)
		snprintf(buf, len, "-");
	else if (def && def->unit)
		snprintf(buf, len, "%" PRIu32 " %s", t->threshold, def->unit);
	else
		snprintf(buf, len, "%" PRIu32, t->threshold);
}

static void print_threats(const struct cw_threat_info *threats, size_t n)
{
	int name_w = strlen("name"), thr_w = strlen("threshold");
	char thr[128];
	size_t i;

	/* Columns as wide as their longest value. */
	for (i = 0; i < n; i++) {
		threshold_format(&threats[i], thr, sizeof(thr));
		if ((int)strlen(threats[i].name) > name_w)
			name_w = strlen(threats[i].name);
		if ((int)strlen(thr) > thr_w)
			thr_w = strlen(thr);
	}
	printf("%-*s %-8s %-6s %-*s %-10s %s\n", name_w, "name", "severity", "action", thr_w,
	       "threshold", "count", "summary");
	for (i = 0; i < n; i++) {
		const struct cw_threat_info *t = &threats[i];
		const struct cw_threat_def *def = table_row(t);
		const char *severity = cw_severity_name(t->severity);

		threshold_format(t, thr, sizeof(thr));
		printf("%-*s %-8s %-6s %-*s %-10" PRIu64 " %s\n", name_w, t->name,
		       severity ? severity : "?", cw_threat_action_name(t->action), thr_w, thr,
		       t->count, def ? def->summary : "-");
	}
}

int threats_main(int argc, char *argv[])
{
	struct cw_threat_info *threats;
	bool json = argc == 2 && !strcmp(argv[1], "-j");
	json_t *array;
	struct cw_nl *nl;
	size_t n, i;
	int ret;

	if (argc > 2 || (argc == 2 && !json)) {
		fprintf(stderr, "Usage: %s threats [-j]\n", prog);
		return 1;
	}
	nl = open_nl();
	if (!nl)
		return 1;
	ret = NL_CALL(nl, cw_nl_threat_list(nl, &threats, &n));
	cw_nl_close(nl);
	if (ret)
		return 1;
	if (json) {
		array = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(array, threat_json(&threats[i]));
		ret = print_json(array);
	} else {
		print_threats(threats, n);
	}
	free(threats);
	return ret;
}

/* The detection named @name, or 0 after saying there is none. */
static unsigned int find_threat(const char *name)
{
	unsigned int id = cw_threat_by_name(name);

	if (!id)
		fprintf(stderr, "%s: unknown threat '%s' (cellwall threats lists them)\n",
			prog, name);
	return id;
}

/* A threshold: a decimal number from 1 to UINT32_MAX. */
static bool parse_threshold(const char *text, uint32_t *value)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || text[0] < '0' || text[0] > '9' || !v ||
	    v > UINT32_MAX) {
		fprintf(stderr, "%s: bad threshold '%s' (a number from 1 to %" PRIu32 ")\n",
			prog, text, UINT32_MAX);
		return false;
	}
	*value = v;
	return true;
}

/* NAME [action=off|alert|block] [threshold=N]: checked before the module is needed. */
static int parse_set(int argc, char *argv[], unsigned int *id, int *action, uint32_t *threshold)
{
	int i;

	*id = find_threat(argv[0]);
	if (!*id)
		return -1;
	*action = -1;
	*threshold = 0;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strncmp(arg, "action=", 7)) {
			if (*action >= 0) {
				fprintf(stderr, "%s: action= is given twice\n", prog);
				return -1;
			}
			*action = cw_threat_action_parse(arg + 7);
			if (*action < 0) {
				fprintf(stderr, "%s: bad action '%s' (off, alert or block)\n", prog,
					arg + 7);
				return -1;
			}
		} else if (!strncmp(arg, "threshold=", 10)) {
			if (*threshold) {
				fprintf(stderr, "%s: threshold= is given twice\n", prog);
				return -1;
			}
			if (!cw_threat_defs[*id].unit) {
				fprintf(stderr, "%s: threat '%s' has no threshold\n", prog,
					argv[0]);
				return -1;
			}
			if (!parse_threshold(arg + 10, threshold))
				return -1;
		} else {
			threat_usage();
			return -1;
		}
	}
	if (*action < 0 && !*threshold) {
		fprintf(stderr, "%s: nothing to set: give action=off|alert|block, threshold=N"
			" or both\n", prog);
		return -1;
	}
	return 0;
}

int threat_main(int argc, char *argv[])
{
	static const struct cw_policy defaults;
	const struct cw_threat_def *def;
	uint32_t threshold;
	unsigned int id = 0;
	struct cw_nl *nl;
	int action, ret;

	if (argc >= 3 && !strcmp(argv[1], "set")) {
		if (parse_set(argc - 2, argv + 2, &id, &action, &threshold))
			return 1;
	} else if ((argc == 2 || argc == 3) && !strcmp(argv[1], "reset")) {
		if (argc == 3) {
			id = find_threat(argv[2]);
			if (!id)
				return 1;
			def = &cw_threat_defs[id];
			action = def->action;
			threshold = def->unit ? def->threshold : 0;
		}
	} else {
		threat_usage();
		return 1;
	}
	nl = open_nl();
	if (!nl)
		return 1;
	/* reset without a name: every detection that is off its defaults. */
	if (id)
		ret = NL_CALL(nl, cw_nl_threat_set(nl, id, action, threshold));
	else
		ret = NL_CALL(nl, cw_policy_apply_threats(nl, &defaults));
	cw_nl_close(nl);
	return ret ? 1 : 0;
}
