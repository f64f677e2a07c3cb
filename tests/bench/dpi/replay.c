// SPDX-License-Identifier: GPL-2.0
/*
 * make bench-dpi: replays pcap files through cellwall's DPI engine and
 * nDPI side by side, and compares what each identified, how soon, with how
 * much state per flow and how many instructions per packet.
 *
 * Instructions come from callgrind, never from a clock: each engine's
 * per-packet work is one function of its own (bench_cw_packet,
 * bench_ndpi_packet). Under callgrind, --dump writes one profile per pcap;
 * run.sh reads the inclusive cost of both functions from each and hands
 * them back with --costs for the report.
 */

#include "dpi/dpi.h"
#include "pcapflow.h"

#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ndpi_api.h>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

/* Kept out of line and unspecialised, so that callgrind sees each call. */
#ifdef __clang__
#define MEASURED __attribute__((noinline, used))
#else
#define MEASURED __attribute__((noipa, used))
#endif

/* ndpiReader's defaults: the packets it gives a flow before giving up. */
#define NDPI_TCP_PACKETS 80
#define NDPI_UDP_PACKETS 24

struct tally {
	unsigned int flows;
	unsigned int ident[2], in_two[2];	/* [0] cellwall, [1] nDPI */
	unsigned long calls[2];			/* packets each engine processed */
	unsigned long payload_calls[2];		/* ... that carried payload */
	uint64_t ir[2];				/* instructions, from --costs */
	bool have_ir;
};

struct app_count {
	char name[64];
	unsigned int n;
};

static struct ndpi_detection_module_struct *ndpi;
static u32 max_bytes = 4096;	/* net.cellwall.dpi_max_bytes by default */
static bool verbose;
static int64_t ndpi_live;	/* bytes nDPI holds on the heap */
static int64_t ndpi_held, ndpi_held_max;	/* ... for flows, at their end */

/* nDPI keeps some of a flow's data on the heap: counted here. */
static void *track_malloc(size_t size)
{
	void *p = malloc(size);

	if (p)
		ndpi_live += malloc_usable_size(p);
	return p;
}

static void track_free(void *p)
{
	if (p)
		ndpi_live -= malloc_usable_size(p);
	free(p);
}

MEASURED enum cw_dpi_status bench_cw_packet(struct cw_dpi *d, struct cw_dpi_info *info,
					    bool client, const u8 *data, u32 len)
{
	return cw_dpi_feed(d, info, client, data, len, max_bytes);
}

MEASURED ndpi_protocol bench_ndpi_packet(struct ndpi_flow_struct *flow, const u8 *ip,
					 u32 len, uint64_t time_ms)
{
	return ndpi_detection_process_packet(ndpi, flow, ip, (unsigned short)len, time_ms);
}

static void count_app(struct app_count *apps, unsigned int max, const char *name)
{
	unsigned int i;

	for (i = 0; i < max && apps[i].n; i++)
		if (!strcmp(apps[i].name, name))
			break;
	if (i == max)
		return;
	snprintf(apps[i].name, sizeof(apps[i].name), "%s", name);
	apps[i].n++;
}

/* "http 3, tls 1" */
static void print_apps(const struct app_count *apps, unsigned int max)
{
	for (unsigned int i = 0; i < max && apps[i].n; i++)
		printf("%s%s %u", i ? ", " : "", apps[i].name, apps[i].n);
}

static bool ndpi_known(ndpi_protocol p)
{
	return p.app_protocol != NDPI_PROTOCOL_UNKNOWN ||
	       p.master_protocol != NDPI_PROTOCOL_UNKNOWN;
}

/* Both engines over one flow; @apps[0] cellwall's, [1] nDPI's. */
static int run_flow(const struct pf_flow *f, unsigned int index, struct tally *t,
		    struct app_count apps[2][64])
{
	struct cw_dpi d;
	struct cw_dpi_info info = {0};
	struct ndpi_flow_struct *nf;
	ndpi_protocol proto = NDPI_PROTOCOL_NULL;
	unsigned int payload = 0, ndpi_pkts = 0;
	int at[2] = { -1, -1 };		/* payload packet it was known at */
	bool ndpi_done = false;
	int64_t heap;
	char name[64];

	nf = ndpi_flow_malloc(ndpi_detection_get_sizeof_ndpi_flow_struct());
	if (!nf)
		return -1;
	memset(nf, 0, ndpi_detection_get_sizeof_ndpi_flow_struct());
	heap = ndpi_live;
	cw_dpi_init(&d, f->l4);

	for (unsigned int i = 0; i < f->n_pkts; i++) {
		const struct pf_packet *p = &f->pkts[i];

		if (p->l4_len)
			payload++;
		/* The kernel calls the engine until it is done, on new bytes. */
		if (p->len && d.status != CW_DPI_DONE) {
			bench_cw_packet(&d, &info, p->client, p->data, p->len);
			t->calls[0]++;
			t->payload_calls[0]++;
			if (at[0] < 0 && d.app != CW_APP_UNKNOWN)
				at[0] = payload;
		}
		/* nDPI as ndpiReader drives it: every packet until completed. */
		if (!ndpi_done) {
			bool enough;

			proto = bench_ndpi_packet(nf, p->ip, p->ip_len, p->time_ms);
			ndpi_pkts++;
			t->calls[1]++;
			if (p->l4_len)
				t->payload_calls[1]++;
			if (at[1] < 0 && ndpi_known(proto))
				at[1] = payload;
			enough = ndpi_pkts > (f->l4 == IPPROTO_UDP ? NDPI_UDP_PACKETS : NDPI_TCP_PACKETS);
			if ((enough || proto.app_protocol != NDPI_PROTOCOL_UNKNOWN) &&
			    (enough || !ndpi_extra_dissection_possible(ndpi, nf)))
				ndpi_done = true;
		}
	}
	/* No guessing from ports: only what the payload showed counts. */
	if (proto.app_protocol == NDPI_PROTOCOL_UNKNOWN) {
		u_int8_t guessed = 0;

		proto = ndpi_detection_giveup(ndpi, nf, 0, &guessed);
	}
	heap = ndpi_live - heap;
	ndpi_held += heap;
	if (heap > ndpi_held_max)
		ndpi_held_max = heap;

	t->flows++;
	if (d.app != CW_APP_UNKNOWN) {
		t->ident[0]++;
		t->in_two[0] += at[0] >= 0 && at[0] <= 2;
	}
	if (ndpi_known(proto)) {
		t->ident[1]++;
		t->in_two[1] += at[1] >= 0 && at[1] <= 2;
	}
	count_app(apps[0], 64, cw_app_name(d.app) ?: "unknown");
	ndpi_protocol2name(ndpi, proto, name, sizeof(name));
	count_app(apps[1], 64, ndpi_known(proto) ? name : "unknown");

	if (verbose) {
		printf("  %3u %s: %u packets, %u with payload%s%s\n", index, f->name,
		       f->n_pkts, f->payload_pkts, f->gap[0] ? ", client gap" : "",
		       f->gap[1] ? ", server gap" : "");
		printf("      cellwall %s", cw_app_name(d.app) ?: "unknown");
		if (at[0] >= 0)
			printf(" at payload packet %d", at[0]);
		if (info.name_len)
			printf(" name \"%s\"", info.name);
		if (info.detail_len)
			printf(" detail \"%s\"", info.detail);
		if (info.version)
			printf(" version %#x", info.version);
		printf("\n      nDPI     %s", ndpi_known(proto) ? name : "unknown");
		if (at[1] >= 0)
			printf(" at payload packet %d", at[1]);
		else if (ndpi_known(proto))
			printf(" at giveup");
		printf(", %" PRId64 " bytes of heap\n", heap);
	}
	ndpi_free_flow(nf);
	return 0;
}

static void add(struct tally *sum, const struct tally *t)
{
	sum->flows += t->flows;
	for (int e = 0; e < 2; e++) {
		sum->ident[e] += t->ident[e];
		sum->in_two[e] += t->in_two[e];
		sum->calls[e] += t->calls[e];
		sum->payload_calls[e] += t->payload_calls[e];
		sum->ir[e] += t->ir[e];
	}
	sum->have_ir |= t->have_ir;
}

static double pct(unsigned int n, unsigned int of)
{
	return of ? 100.0 * n / of : 0;
}

/* "   1.23", or "      -" when there is nothing to divide by. */
static void ratio(double a, double b)
{
	if (b > 0)
		printf(" %7.2f", a / b);
	else
		printf(" %7s", "-");
}

static void per(const struct tally *t, int e, const unsigned long *calls)
{
	if (t->have_ir && calls[e])
		printf(" %8.0f", (double)t->ir[e] / calls[e]);
	else
		printf(" %8s", "-");
}

static void print_ident(const char *name, const struct tally *t)
{
	printf("%-22.22s %6u %8.1f %8.1f %9.1f %8.1f", name, t->flows,
	       pct(t->ident[0], t->flows), pct(t->ident[1], t->flows),
	       pct(t->in_two[0], t->flows), pct(t->in_two[1], t->flows));
}

static void print_cost(const char *name, const struct tally *t)
{
	printf("%-22.22s %8lu %8lu", name, t->calls[0], t->calls[1]);
	per(t, 0, t->calls);
	per(t, 1, t->calls);
	if (t->have_ir && t->calls[0] && t->calls[1])
		ratio((double)t->ir[0] / t->calls[0], (double)t->ir[1] / t->calls[1]);
	else
		printf(" %7s", "-");
	per(t, 0, t->payload_calls);
	per(t, 1, t->payload_calls);
	if (t->have_ir && t->payload_calls[0] && t->payload_calls[1])
		ratio((double)t->ir[0] / t->payload_calls[0],
		      (double)t->ir[1] / t->payload_calls[1]);
	else
		printf(" %7s", "-");
	printf("\n");
}

/* run.sh's "INDEX CELLWALL_IR NDPI_IR" lines, one per pcap. */
static int read_costs(const char *path, struct tally *t, int n)
{
	FILE *f = fopen(path, "r");
	unsigned long long a, b;
	int i;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fscanf(f, "%d %llu %llu", &i, &a, &b) == 3)
		if (i >= 1 && i <= n) {
			t[i - 1].ir[0] = a;
			t[i - 1].ir[1] = b;
			t[i - 1].have_ir = true;
		}
	fclose(f);
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void usage(void)
{
	fprintf(stderr, "usage: replay [-v] [--max-bytes N] [--dump | --costs FILE] PCAP...\n"
		"  --dump   under callgrind: one profile per pcap, nothing printed\n"
		"  --costs  instructions per pcap, from run.sh\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *costs = NULL;
	struct tally *tallies, total = {0};
	NDPI_PROTOCOL_BITMASK all;
	bool dump = false;
	int64_t heap_flows;
	int i, n;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = true;
		else if (!strcmp(argv[i], "--dump"))
			dump = true;
		else if (!strcmp(argv[i], "--costs") && i + 1 < argc)
			costs = argv[++i];
		else if (!strcmp(argv[i], "--max-bytes") && i + 1 < argc)
			max_bytes = strtoul(argv[++i], NULL, 0);
		else
			usage();
	}
	n = argc - i;
	if (n <= 0)
		usage();
	argv += i;

	tallies = calloc(n, sizeof(*tallies));
	if (!tallies)
		return 1;
	if (costs && read_costs(costs, tallies, n))
		return 1;

	set_ndpi_malloc(track_malloc);
	set_ndpi_free(track_free);
	ndpi = ndpi_init_detection_module(ndpi_no_prefs);
	if (!ndpi) {
		fprintf(stderr, "replay: ndpi_init_detection_module failed\n");
		return 1;
	}
	NDPI_BITMASK_SET_ALL(all);
	ndpi_set_protocol_detection_bitmask2(ndpi, &all);
	ndpi_finalize_initialization(ndpi);

	if (!dump)
		printf("# cellwall vs nDPI %s, %d pcap%s, cellwall inspecting up to %u bytes a flow\n"
		       "\n# identification (%% of flows; \"in 2\": known by the 2nd payload packet)\n"
		       "%-22s %6s %8s %8s %9s %8s  %s\n", ndpi_revision(), n, n == 1 ? "" : "s",
		       max_bytes, "pcap", "flows", "cw", "nDPI", "cw in 2", "nDPI", "apps: cellwall | nDPI");
	CALLGRIND_ZERO_STATS;
	for (int p = 0; p < n; p++) {
		struct app_count (*apps)[64] = calloc(2, sizeof(*apps));
		struct pf_capture cap;
		char err[512];

		if (!apps || pf_load(argv[p], &cap, err, sizeof(err))) {
			fprintf(stderr, "replay: %s\n", apps ? err : "out of memory");
			return 1;
		}
		if (verbose && !dump)
			printf("%s: %lu packets, %lu not TCP/UDP over IP, %u flows\n", argv[p],
			       cap.packets, cap.ignored, cap.n_flows);
		for (unsigned int j = 0; j < cap.n_flows; j++)
			if (run_flow(&cap.flows[j], j + 1, &tallies[p], apps)) {
				fprintf(stderr, "replay: out of memory\n");
				return 1;
			}
		/* Before pf_free, so that freeing is not in this pcap's profile. */
		CALLGRIND_DUMP_STATS_AT(argv[p]);
		pf_free(&cap);
		if (!dump) {
			print_ident(base_name(argv[p]), &tallies[p]);
			printf("  ");
			print_apps(apps[0], 64);
			printf(" | ");
			print_apps(apps[1], 64);
			printf("\n");
		}
		add(&total, &tallies[p]);
		free(apps);
	}
	if (dump)
		return 0;
	print_ident("total", &total);
	printf("\n");

	printf("\n# instructions per packet each engine processed (callgrind, inclusive)\n"
	       "%-22s %8s %8s %8s %8s %7s %8s %8s %7s\n", "pcap", "cw pkts", "nDPI", "cw Ir/pk",
	       "nDPI", "ratio", "cw Ir/pl", "nDPI", "ratio");
	for (int p = 0; p < n; p++)
		print_cost(base_name(argv[p]), &tallies[p]);
	print_cost("total", &total);
	if (!total.have_ir)
		printf("(no instruction counts: run under make bench-dpi, which uses callgrind)\n");
	printf("(Ir/pl: per packet with payload; cellwall only ever processes those)\n");

	heap_flows = total.flows ? ndpi_held / total.flows : 0;
	printf("\n# state per flow, bytes\n"
	       "cellwall: %zu (struct cw_dpi) + %zu attributes (struct cw_dpi_info) = %zu\n"
	       "nDPI:     %u (struct ndpi_flow_struct; 4.2 has no ndpi_id_struct) + %" PRId64
	       " on the heap at the flow's end on average (at most %" PRId64 ")\n",
	       sizeof(struct cw_dpi), sizeof(struct cw_dpi_info),
	       sizeof(struct cw_dpi) + sizeof(struct cw_dpi_info),
	       ndpi_detection_get_sizeof_ndpi_flow_struct(), heap_flows, ndpi_held_max);
	printf("ratio:   ");
	ratio(sizeof(struct cw_dpi), ndpi_detection_get_sizeof_ndpi_flow_struct());
	printf(" state only,");
	ratio(sizeof(struct cw_dpi) + sizeof(struct cw_dpi_info),
	      ndpi_detection_get_sizeof_ndpi_flow_struct() + heap_flows);
	printf(" with attributes and heap\n");

	ndpi_exit_detection_module(ndpi);
	free(tallies);
	return 0;
}
