// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for one DPI parser, FUZZ_PARSER (its name in
 * cw_dpi_parsers[]): the engine runs with that parser as its only
 * candidate, so that the input reaches its probe and, once that says yes,
 * its feed.
 *
 * Input: fuzz_input.h's, byte 0 picking the transport (bit 0 set: UDP)
 * when the parser takes both.
 */

#include "dpi/dpi.h"

/* The dns target also takes each chunk as a response to snoop. */
#if __has_include("dpi/dns.h")
#include "dpi/dns.h"
#define FUZZ_DNS_RESPONSE 1
#endif

#ifndef FUZZ_PARSER
#error "build with -DFUZZ_PARSER='\"name\"'"
#endif

#define FUZZ_TARGET "dpi_fuzz " FUZZ_PARSER
#include "fuzz_input.h"

static unsigned int parser;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (parser = 0; parser < cw_dpi_parser_count; parser++)
		if (!strcmp(cw_dpi_parsers[parser]->name, FUZZ_PARSER))
			return 0;
	fprintf(stderr, "dpi_fuzz: no parser is named \"%s\"\n", FUZZ_PARSER);
	exit(1);
}

/* What must hold after every chunk, whatever the bytes. */
static void check(const struct cw_dpi *d, const struct cw_dpi_info *info,
		  enum cw_dpi_status status)
{
	CHECK(status == d->status);
	CHECK(status == CW_DPI_IDENTIFYING || status == CW_DPI_INSPECTING ||
	      status == CW_DPI_DONE);
	CHECK(d->app < __CW_APP_LAST);
	CHECK(!(d->candidates & ~(1u << parser)));
	CHECK(d->head_len <= CW_DPI_HEAD);
	if (d->app != CW_APP_UNKNOWN || status == CW_DPI_INSPECTING)
		CHECK(d->parser == parser && d->app != CW_APP_UNKNOWN);
	CHECK(memchr(info->name, '\0', sizeof(info->name)));
	CHECK(info->name_len == strlen(info->name));
	CHECK(memchr(info->detail, '\0', sizeof(info->detail)));
	CHECK(info->detail_len == strlen(info->detail));
}

#ifdef FUZZ_DNS_RESPONSE
/* In buffers of the exact sizes given, so that ASan sees any overflow. */
static void dns_response(const u8 *msg, u32 len, u32 name_size, unsigned int max)
{
	char *name = malloc(name_size);
	struct cw_dns_answer *answers = malloc(max * sizeof(*answers));
	int n;

	if (!name || !answers)
		abort();
	n = cw_dns_response(msg, len, name, name_size, answers, max);
	CHECK(n >= -1 && n <= (int)max);
	if (n >= 0) {
		size_t name_len;

		CHECK(memchr(name, '\0', name_size));
		name_len = strlen(name);
		CHECK(!name_len || name[name_len - 1] != '.');
		for (size_t i = 0; i < name_len; i++)
			CHECK(name[i] < 'A' || name[i] > 'Z');
		for (int i = 0; i < n; i++)
			CHECK((answers[i].family == 4 || answers[i].family == 6) &&
			      !(answers[i].ttl & 0x80000000));
	}
	free(name);
	free(answers);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct cw_dpi_parser *p = cw_dpi_parsers[parser];
	struct cw_dpi d, d_before;
	struct cw_dpi_info info, info_before;
	size_t pos = 1, len;
	bool client;
	u8 *chunk;
	u8 l4;

	if (!size)
		return 0;
	/* Inputs are not wasted on a transport the parser never sees. */
	if (p->transports == CW_DPI_UDP || (p->transports & CW_DPI_UDP && data[0] & 1))
		l4 = IPPROTO_UDP;
	else
		l4 = IPPROTO_TCP;

	memset(&info, 0, sizeof(info));
	cw_dpi_init(&d, l4);
	d.candidates &= 1u << parser;
	check(&d, &info, d.status);

	while ((chunk = fuzz_next_chunk(data, size, &pos, &client, &len))) {
		enum cw_dpi_status status;

#ifdef FUZZ_DNS_RESPONSE
		if (!strcmp(FUZZ_PARSER, "dns")) {
			dns_response(chunk, len, 256, 8);
			dns_response(chunk, len, 12, 1);	/* too small: -1, no overflow */
		}
#endif
		d_before = d;
		info_before = info;
		status = cw_dpi_feed(&d, &info, client, chunk, len, MAX_BYTES);
		free(chunk);
		check(&d, &info, status);
		if (d_before.status == CW_DPI_DONE)
			CHECK(!memcmp(&d, &d_before, sizeof(d)) &&
			      !memcmp(&info, &info_before, sizeof(info)));
	}
	return 0;
}
