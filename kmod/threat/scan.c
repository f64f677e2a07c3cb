// SPDX-License-Identifier: GPL-2.0
/* Which payload checks a flow gets, by its application. */

#include "threat.h"

static const struct cw_threat_checker *const checkers[] = {
	&cw_threat_http,
	&cw_threat_tls,
	&cw_threat_ssh,
	&cw_threat_dns,
	&cw_threat_mysql,
	&cw_threat_postgresql,
};

bool cw_threat_scan_init(struct cw_threat_scan *s, u8 app)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < sizeof(checkers) / sizeof(checkers[0]); i++) {
		if (checkers[i]->app == app) {
			s->app = app;
			s->checker = i;
			return true;
		}
	}
	s->done = 1;
	return false;
}

u64 cw_threat_scan(struct cw_threat_scan *s, const struct cw_threat_limits *limits,
		   bool client, const u8 *data, u32 len, u32 now_ms, u32 max_bytes)
{
	u32 *scanned = &s->scanned[!client];
	u64 found;

	if (s->done || !s->app)
		return 0;
	if (*scanned >= max_bytes) {
		s->done = 1;
		return 0;
	}
	if (len > max_bytes - *scanned)
		len = max_bytes - *scanned;
	found = checkers[s->checker]->scan(s, limits, client, data, len, now_ms);
	*scanned += len;
	return found;
}

void cw_threat_default_limits(struct cw_threat_limits *limits)
{
	unsigned int i;

	for (i = 0; i <= CW_THREAT_MAX; i++)
		limits->threshold[i] = cw_threat_defs[i].threshold;
}
