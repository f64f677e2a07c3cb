// SPDX-License-Identifier: GPL-2.0
/* cellwall flows, cellwall events. */

#include "cellwall.h"
#include "cwformat.h"
#include "libcellwall.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int flows_main(int argc, char *argv[])
{
	struct cw_flow_info *flows;
	char line[CW_LINE_MAX];
	struct cw_names names;
	bool json = false;
	struct cw_nl *nl;
	json_t *array;
	size_t count, i;
	int ret = 1;

	if (argc == 2 && !strcmp(argv[1], "-j")) {
		json = true;
	} else if (argc != 1) {
		fprintf(stderr, "Usage: %s flows [-j]\n", prog);
		return 1;
	}
	nl = open_nl();
	if (!nl)
		return 1;
	if (load_names(nl, &names))
		goto out;
	if (NL_CALL(nl, cw_nl_flow_list(nl, &flows, &count))) {
		free_names(&names);
		goto out;
	}
	if (json) {
		array = json_array();
		for (i = 0; i < count; i++)
			json_array_append_new(array, cw_flow_json(&flows[i], &names));
		ret = print_json(array);
	} else {
		for (i = 0; i < count; i++) {
			cw_flow_format(&flows[i], &names, line, sizeof(line));
			puts(line);
		}
		ret = 0;
	}
	free(flows);
	free_names(&names);
out:
	cw_nl_close(nl);
	return ret;
}

struct listener {
	struct cw_nl *nl;		/* for names, not the event socket */
	struct cw_names names;
	bool json;
	unsigned long count, max;	/* max 0: no limit */
};

static bool has_group(const struct cw_names *n, uint32_t id)
{
	size_t i;

	for (i = 0; id && i < n->ngroups; i++)
		if (n->groups[i].id == id)
			return true;
	return !id;
}

static bool has_workload(const struct cw_names *n, uint32_t id)
{
	size_t i;

	for (i = 0; id && i < n->nworkloads; i++)
		if (n->workloads[i].id == id)
			return true;
	return !id;
}

/* Reads the names again when an event names something new. */
static void refresh_names(struct listener *l, const struct cw_event *ev)
{
	const struct cw_flow_info *f = &ev->flow;
	struct cw_names fresh;

	if (!ev->has_flow || (has_group(&l->names, f->from_group) &&
			      has_group(&l->names, f->to_group) &&
			      has_workload(&l->names, f->from_workload) &&
			      has_workload(&l->names, f->to_workload)))
		return;
	if (load_names(l->nl, &fresh))
		return;
	free_names(&l->names);
	l->names = fresh;
}

static void print_event(const struct cw_event *ev, void *arg)
{
	struct listener *l = arg;
	char line[CW_LINE_MAX];
	json_t *obj;

	if (l->max && l->count >= l->max)
		return;
	refresh_names(l, ev);
	if (l->json) {
		obj = cw_event_json(ev, &l->names);
		json_dumpf(obj, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(obj);
	} else {
		cw_event_format(ev, &l->names, line, sizeof(line));
		puts(line);
	}
	l->count++;
}

static bool parse_count(const char *text, unsigned long *value)
{
	uint32_t v;

	if (!parse_u32(text, &v))
		return false;
	*value = v;
	return true;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int events_main(int argc, char *argv[])
{
	struct listener l = {};
	unsigned long seconds = 0;
	struct cw_nl *events;
	int64_t deadline = 0;
	int i, ret = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j")) {
			l.json = true;
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			if (!parse_count(argv[++i], &l.max))
				return 1;
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			if (!parse_count(argv[++i], &seconds))
				return 1;
		} else {
			fprintf(stderr, "Usage: %s events [-j] [-n COUNT] [-t SECONDS]\n", prog);
			return 1;
		}
	}
	/* Tests read the lines as they come. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	events = open_nl();
	if (!events)
		return 1;
	l.nl = open_nl();
	if (!l.nl)
		goto out;
	if (NL_CALL(events, cw_nl_events_join(events)) || load_names(l.nl, &l.names))
		goto out;
	fprintf(stderr, "listening\n");
	if (seconds)
		deadline = now_ms() + seconds * 1000LL;

	while (!l.max || l.count < l.max) {
		struct pollfd pfd = { .fd = cw_nl_events_fd(events), .events = POLLIN };
		int timeout = -1, err;

		if (deadline) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				break;
			timeout = left;
		}
		err = poll(&pfd, 1, timeout);
		if (err < 0 && errno == EINTR)
			continue;
		if (err < 0) {
			fprintf(stderr, "%s: poll: %s\n", prog, strerror(errno));
			goto out;
		}
		if (!err)
			continue;	/* the deadline check ends it */
		err = cw_nl_events_read(events, print_event, &l);
		if (err == -ENOBUFS) {
			fprintf(stderr, "%s: events lost: the socket's buffer overflowed\n", prog);
		} else if (err) {
			print_nl_error(err, NULL);
			goto out;
		}
	}
	ret = 0;
out:
	free_names(&l.names);
	cw_nl_close(l.nl);
	cw_nl_close(events);
	return ret;
}
