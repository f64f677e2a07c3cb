/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the threat checks: a conversation (struct msg, as for the
 * DPI parsers) is fed to a fresh checker whole, then over TCP again cut
 * into chunks of every size from 1 byte up, and must give the same threats
 * and the same done flag each time.
 */
#ifndef CW_TEST_THREAT_H
#define CW_TEST_THREAT_H

#include "dpi_test.h"
#include "threat/threat.h"

/* More than any conversation holds: the checks never stop for the budget. */
#define THREAT_BUDGET (1u << 20)

struct threat_result {
	u64 found;
	bool done;
};

/* Feeds @msgs to a fresh @app checker over @l4, each cut in chunks of @chunk bytes (0: whole). */
static inline struct threat_result threat_run(u8 app, u8 l4,
					      const struct cw_threat_limits *limits,
					      const struct msg *msgs, unsigned int n,
					      unsigned int chunk)
{
	struct threat_result r = { 0 };
	struct cw_threat_scan s;

	cw_threat_scan_init(&s, app);
	s.l4 = l4;
	for (unsigned int i = 0; i < n; i++) {
		const u8 *p = msgs[i].data;
		unsigned int left = msgs[i].len;

		while (left) {
			unsigned int len = chunk && chunk < left ? chunk : left;

			r.found |= cw_threat_scan(&s, limits, msgs[i].client, p, len, 0,
						  THREAT_BUDGET);
			p += len;
			left -= len;
		}
	}
	r.done = s.done;
	return r;
}

/*
 * The threats in @msgs, whole and in every cut (datagrams are never cut),
 * and the whole run's done flag in @done unless NULL; ~0 (after printing
 * the cut) when a cut changed either.
 */
static inline u64 threat_check(u8 app, u8 l4, const struct cw_threat_limits *limits,
			       const struct msg *msgs, unsigned int n, bool *done)
{
	struct threat_result whole = threat_run(app, l4, limits, msgs, n, 0), cut;
	unsigned int longest = 0;

	if (done)
		*done = whole.done;
	for (unsigned int i = 0; i < n; i++)
		if (msgs[i].len > longest)
			longest = msgs[i].len;
	for (unsigned int chunk = 1; l4 == IPPROTO_TCP && chunk < longest; chunk++) {
		cut = threat_run(app, l4, limits, msgs, n, chunk);
		if (cut.found != whole.found || cut.done != whole.done) {
			fprintf(stderr,
				"cut in chunks of %u: %#llx done %d; whole: %#llx done %d\n", chunk,
				(unsigned long long)cut.found, cut.done,
				(unsigned long long)whole.found, whole.done);
			return ~0ull;
		}
	}
	return whole.found;
}

#endif /* CW_TEST_THREAT_H */
