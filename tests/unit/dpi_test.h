/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the DPI parsers: a conversation (the payloads of one flow,
 * in order, as recorded from real clients and servers) is fed to the
 * engine whole, then again cut into chunks of every size from 1 byte up,
 * and must give the same application and attributes each time.
 */
#ifndef CW_TEST_DPI_H
#define CW_TEST_DPI_H

#include "dpi/dpi.h"

#include <stdio.h>
#include <string.h>

/* One payload: sent by the client (initiator) or the server. */
struct msg {
	bool client;
	const void *data;
	unsigned int len;
};

#define C(s) { true, s, sizeof(s) - 1 }
#define S(s) { false, s, sizeof(s) - 1 }
#define CB(a) { true, a, sizeof(a) }
#define SB(a) { false, a, sizeof(a) }

struct dpi_result {
	struct cw_dpi state;
	struct cw_dpi_info info;
	/* Payload packets (messages) fed until the app was known, 0: never. */
	unsigned int packets_to_identify;
};

/* Feeds @msgs, each cut into chunks of @chunk bytes (0: whole). */
static inline void dpi_run(u8 l4, const struct msg *msgs, unsigned int n,
			   unsigned int chunk, u32 max_bytes, struct dpi_result *r)
{
	memset(r, 0, sizeof(*r));
	cw_dpi_init(&r->state, l4);
	for (unsigned int i = 0; i < n; i++) {
		const u8 *p = msgs[i].data;
		unsigned int left = msgs[i].len;

		do {
			unsigned int len = chunk && chunk < left ? chunk : left;

			cw_dpi_feed(&r->state, &r->info, msgs[i].client, p, len, max_bytes);
			p += len;
			left -= len;
		} while (left);
		if (!r->packets_to_identify && r->state.app)
			r->packets_to_identify = i + 1;
	}
}

/*
 * Feeds @msgs whole and in every chunk size: returns the first result, or
 * NULL (after printing why) when a cut changed what was found.
 */
static inline const struct dpi_result *dpi_check(u8 l4, const struct msg *msgs,
						 unsigned int n)
{
	static struct dpi_result whole, cut;
	unsigned int longest = 0;

	dpi_run(l4, msgs, n, 0, 65535, &whole);
	for (unsigned int i = 0; i < n; i++)
		if (msgs[i].len > longest)
			longest = msgs[i].len;
	/* Datagrams are never cut. */
	for (unsigned int chunk = 1; l4 == IPPROTO_TCP && chunk < longest; chunk++) {
		dpi_run(l4, msgs, n, chunk, 65535, &cut);
		if (cut.state.app != whole.state.app ||
		    strcmp(cut.info.name, whole.info.name) ||
		    strcmp(cut.info.detail, whole.info.detail) ||
		    cut.info.version != whole.info.version ||
		    cut.info.dns_type != whole.info.dns_type ||
		    cut.info.dns_rcode != whole.info.dns_rcode) {
			fprintf(stderr, "cut in chunks of %u: app %s name \"%s\" detail \"%s\"; "
				"whole: app %s name \"%s\" detail \"%s\"\n", chunk,
				cw_app_name(cut.state.app) ?: "unknown", cut.info.name,
				cut.info.detail, cw_app_name(whole.state.app) ?: "unknown",
				whole.info.name, whole.info.detail);
			return NULL;
		}
	}
	return &whole;
}

#define dpi_check_tcp(msgs) dpi_check(IPPROTO_TCP, msgs, sizeof(msgs) / sizeof(msgs[0]))
#define dpi_check_udp(msgs) dpi_check(IPPROTO_UDP, msgs, sizeof(msgs) / sizeof(msgs[0]))

/* @app is what the engine finds for @msgs, whole or cut in any chunk size. */
static inline bool claims(unsigned int app, const struct msg *msgs, unsigned int n)
{
	static struct dpi_result r;
	unsigned int chunk, i, longest = 0;

	for (i = 0; i < n; i++)
		if (msgs[i].len > longest)
			longest = msgs[i].len;
	for (chunk = 0; chunk < longest; chunk++) {
		dpi_run(IPPROTO_TCP, msgs, n, chunk, 65535, &r);
		if (r.state.app == app)
			return true;
	}
	return false;
}

#define CLAIMS(app, msgs) claims(app, msgs, sizeof(msgs) / sizeof(msgs[0]))

#endif /* CW_TEST_DPI_H */
