// SPDX-License-Identifier: GPL-2.0
/*
 * AMQP: the client speaks first with the protocol header, "AMQP" and 4
 * bytes: 0 0 9 1 for 0-9-1 (AMQP 0-9-1 §4.2.2), 1 1 0 9 for 0-9, 1 1 8 0
 * for 0-8 (as RabbitMQ reads them), and for 1.0 (OASIS AMQP 1.0 §2.2) a
 * protocol id (0 AMQP, 2 TLS, 3 SASL) then 1 0 0. detail is the version:
 * "0-9-1", "0-9", "0-8" or "1.0".
 */

#include "parsers.h"

#define HEADER_LEN 8

static const struct {
	u8 id[4];
	const char *version;
} headers[] = {
	{ { 0, 0, 9, 1 }, "0-9-1" },
	{ { 1, 1, 0, 9 }, "0-9" },
	{ { 1, 1, 8, 0 }, "0-8" },
	{ { 0, 1, 0, 0 }, "1.0" },
	{ { 2, 1, 0, 0 }, "1.0" },
	{ { 3, 1, 0, 0 }, "1.0" },
};

struct amqp_state {
	u8 id[4];
	u8 pos;
};

/* The header's version, NULL if none (@id: its last 4 bytes). */
static const char *version_of(const u8 *id)
{
	unsigned int i;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (!memcmp(id, headers[i].id, 4))
			return headers[i].version;
	return NULL;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	enum cw_dpi_result r;
	unsigned int i;
	u32 n;

	if (!client || d->inspected[0] || d->inspected[1] || (d->head_len && !d->head_client))
		return CW_DPI_NO;
	r = cw_dpi_match(data, len, "AMQP");
	if (r != CW_DPI_YES)
		return r;
	if (len >= HEADER_LEN)
		return version_of(data + 4) ? CW_DPI_YES : CW_DPI_NO;
	/* A start of one of the ids. */
	n = len - 4;
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (!memcmp(data + 4, headers[i].id, n))
			return CW_DPI_MORE;
	return CW_DPI_NO;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct amqp_state *s = CW_DPI_STATE(d, struct amqp_state);
	const char *version;
	u32 i;

	if (!client)
		return CW_DPI_MORE;
	for (i = 0; i < len && s->pos < HEADER_LEN; i++, s->pos++)
		if (s->pos >= 4)
			s->id[s->pos - 4] = data[i];
	if (s->pos < HEADER_LEN)
		return CW_DPI_MORE;
	version = version_of(s->id);
	if (version)
		cw_dpi_detail_put(info, (const u8 *)version, strlen(version));
	return CW_DPI_YES;
}

const struct cw_dpi_parser cw_dpi_amqp = {
	.name = "amqp",
	.app = CW_APP_AMQP,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
