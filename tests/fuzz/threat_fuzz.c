// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for one threat checker, FUZZ_CHECKER (its name in
 * kmod/threat/scan.c), through cw_threat_scan() with the default limits.
 *
 * Input: fuzz_input.h's, as dpi_fuzz.c's (pcap2corpus's seeds serve both),
 * byte 0 picking the transport (bit 0 set: UDP) for the dns checker, the
 * only one of UDP.
 *
 * Besides what ASan and UBSan catch: only the checker's own threats are
 * reported, nothing once it is done, and over TCP the same threats when
 * every chunk is cut in pieces of 1 to 8 bytes (byte 0's bits 1-3), the dns
 * checker excepted: it walks a message whole in one chunk further than one
 * cut across chunks.
 */

#include "threat/threat.h"

#ifndef FUZZ_CHECKER
#error "build with -DFUZZ_CHECKER='\"name\"'"
#endif

#define FUZZ_TARGET "threat_fuzz " FUZZ_CHECKER
#include "fuzz_input.h"

#define BIT(id) CW_THREAT_BIT(CW_THREAT_##id)
#define BITS(first, last) \
	((CW_THREAT_BIT(CW_THREAT_##last) << 1) - CW_THREAT_BIT(CW_THREAT_##first))

/* Each checker, and the threats it may report. */
static const struct {
	const struct cw_threat_checker *checker;
	u64 threats;
} targets[] = {
	{ &cw_threat_http, BITS(HTTP_SMUGGLING_CL_TE, HTTP_SPRING4SHELL) },
	{ &cw_threat_tls, BITS(TLS_HEARTBLEED, SSL_V2_CIPHER_OVERFLOW) },
	{ &cw_threat_ssh, BIT(SSH_V1) },
	{ &cw_threat_dns, BITS(DNS_ZONE_TRANSFER, DNS_OVERSIZED_NAME) },
	{ &cw_threat_mysql, BIT(MYSQL_SQL_INJECTION) | BIT(MYSQL_AUTH_FAILURES) },
	{ &cw_threat_postgresql, BIT(POSTGRESQL_SQL_INJECTION) },
};

static unsigned int target;
static struct cw_threat_limits limits;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	cw_threat_http_init();
	cw_threat_default_limits(&limits);
	for (target = 0; target < sizeof(targets) / sizeof(targets[0]); target++)
		if (!strcmp(targets[target].checker->name, FUZZ_CHECKER))
			return 0;
	fprintf(stderr, "threat_fuzz: no checker is named \"%s\"\n", FUZZ_CHECKER);
	exit(1);
}

static u64 scan_one(struct cw_threat_scan *s, bool client, const u8 *data, u32 len)
{
	struct cw_threat_scan before = *s;
	u64 found;

	found = cw_threat_scan(s, &limits, client, data, len, 0, MAX_BYTES);
	CHECK(!(found & ~targets[target].threats));
	CHECK(s->app == before.app && s->checker == before.checker && s->l4 == before.l4);
	if (before.done)
		CHECK(!found && !memcmp(s, &before, sizeof(*s)));
	return found;
}

/* The input's chunks, each whole or (@piece) cut in pieces: the threats found. */
static u64 run(const u8 *data, size_t size, u8 l4, size_t piece)
{
	struct cw_threat_scan s;
	size_t pos = 1, len;
	u64 found = 0;
	bool client;
	u8 *chunk;

	CHECK(cw_threat_scan_init(&s, targets[target].checker->app));
	s.l4 = l4;
	while ((chunk = fuzz_next_chunk(data, size, &pos, &client, &len))) {
		for (size_t i = 0; i < len; i += piece ? piece : len)
			found |= scan_one(&s, client, chunk + i,
					  piece && piece < len - i ? piece : len - i);
		free(chunk);
	}
	return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool dns = targets[target].checker == &cw_threat_dns;
	u8 l4 = dns && size && data[0] & 1 ? IPPROTO_UDP : IPPROTO_TCP;
	u64 found;

	if (!size)
		return 0;
	found = run(data, size, l4, 0);
	if (l4 == IPPROTO_TCP && !dns)
		CHECK(run(data, size, l4, 1 + (data[0] >> 1 & 7)) == found);
	return 0;
}
