// SPDX-License-Identifier: GPL-2.0
/*
 * The recorded conversations: every tests/dpi/pcap/<app>[-variant].pcap
 * that has a <same>.expect. Each flow carrying payload is replayed as the
 * kernel sees it (pcapflow.c: in-order bytes per direction) and must be
 * identified as the app its line names, by its second payload packet,
 * with the attribute (info.name) and detail that line gives.
 *
 * A .expect has one line per flow carrying payload, in the order of the
 * flows' first packets: "APP ATTRIBUTE DETAIL", "-" for an empty field;
 * DETAIL is the rest of the line and may hold spaces; one longer than
 * info.detail holds is compared as a prefix (cut to CW_DPI_DETAIL_LEN - 1
 * characters, as the parser's is). Blank lines and lines starting with
 * '#' are skipped. DPI_PCAP_DIR overrides the
 * directory (the tests run from the top of the tree).
 */

#include "dpi_test.h"
#include "kselftest_harness.h"
#include "../bench/dpi/pcapflow.h"

#include <glob.h>
#include <stdlib.h>

#define MAX_BYTES 4096	/* net.cellwall.dpi_max_bytes by default */

struct expect {
	char app[32], name[CW_DPI_NAME_LEN], detail[CW_DPI_DETAIL_LEN];
};

static void field(char *dst, size_t size, const char *src, size_t len)
{
	snprintf(dst, size, "%.*s", (int)(len ? len : 1), len ? src : "-");
}

/* As the .expect writes it: "-" when empty. */
static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

/* The lines of @path: their number, or -1 when it cannot be read. */
static int read_expect(const char *path, struct expect *e, int max)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n < max) {
		char *p = line, *end;
		size_t len;

		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		memset(&e[n], 0, sizeof(e[n]));
		len = strcspn(p, " \t");
		field(e[n].app, sizeof(e[n].app), p, len);
		p += len + strspn(p + len, " \t");
		len = strcspn(p, " \t");
		field(e[n].name, sizeof(e[n].name), p, len);
		p += len + strspn(p + len, " \t");
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		/* Cut as cw_dpi_detail_put() cuts: a longer one is a prefix. */
		field(e[n].detail, sizeof(e[n].detail), p, end - p);
		n++;
	}
	fclose(f);
	return n;
}

/* The flow's new payload of each packet, as messages for dpi_run(). */
static unsigned int flow_msgs(const struct pf_flow *f, struct msg *msgs)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < f->n_pkts; i++)
		if (f->pkts[i].len)
			msgs[n++] = (struct msg){ f->pkts[i].client, f->pkts[i].data,
						  f->pkts[i].len };
	return n;
}

TEST(recorded_pcaps)
{
	const char *dir = getenv("DPI_PCAP_DIR") ?: "tests/dpi/pcap";
	static struct expect expect[1024];
	unsigned int tested = 0;
	char pattern[4096];
	glob_t g;

	snprintf(pattern, sizeof(pattern), "%s/*.pcap", dir);
	if (glob(pattern, 0, NULL, &g))
		g.gl_pathc = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *pcap = g.gl_pathv[i];
		struct pf_capture cap;
		char path[4096], err[512];
		unsigned int flow = 0;
		int lines;

		snprintf(path, sizeof(path), "%.*s.expect", (int)(strlen(pcap) - 5), pcap);
		lines = read_expect(path, expect, 1024);
		if (lines < 0) {
			TH_LOG("%s: no .expect, not tested", pcap);
			continue;
		}
		ASSERT_EQ(0, pf_load(pcap, &cap, err, sizeof(err))) TH_LOG("%s", err);
		tested++;

		for (unsigned int j = 0; j < cap.n_flows; j++) {
			const struct pf_flow *f = &cap.flows[j];
			struct msg *msgs = calloc(f->n_pkts, sizeof(*msgs));
			static struct dpi_result r;
			const struct expect *e;
			unsigned int n;

			ASSERT_NE(NULL, msgs);
			n = flow_msgs(f, msgs);
			if (!n) {	/* no payload: not on a line */
				free(msgs);
				continue;
			}
			if ((int)flow >= lines) {
				flow++;
				free(msgs);
				continue;
			}
			e = &expect[flow++];
			dpi_run(f->l4, msgs, n, 0, MAX_BYTES, &r);
			free(msgs);

			EXPECT_STREQ(e->app, or_dash(cw_app_name(r.state.app)))
				TH_LOG("%s, flow %u (%s): app", pcap, flow, f->name);
			if (r.state.app) {
				EXPECT_GE(2u, r.packets_to_identify)
					TH_LOG("%s, flow %u (%s): identified at payload packet %u",
					       pcap, flow, f->name, r.packets_to_identify);
			}
			EXPECT_STREQ(e->name, or_dash(r.info.name))
				TH_LOG("%s, flow %u (%s): attribute", pcap, flow, f->name);
			EXPECT_STREQ(e->detail, or_dash(r.info.detail))
				TH_LOG("%s, flow %u (%s): detail", pcap, flow, f->name);
		}
		EXPECT_EQ(lines, (int)flow)
			TH_LOG("%s: %u flows carry payload, %s has %d lines", pcap, flow,
			       path, lines);
		pf_free(&cap);
	}
	globfree(&g);
	if (!tested)
		SKIP(return, "no pcap with a .expect in %s", dir);
}

TEST_HARNESS_MAIN
