// SPDX-License-Identifier: GPL-2.0
/*
 * POP3 (RFC 1939 §4): the server greets first with "+OK", then SP and
 * text or CRLF. The client speaks first in Redis, whose replies also
 * start "+OK". The feed is SMTP's command-line machine: name is the USER
 * or APOP argument (§7), detail the client's first command (CAPA, USER,
 * STLS...).
 */

#include "parsers.h"

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 i, end = len < CW_DPI_HEAD ? len : CW_DPI_HEAD;
	enum cw_dpi_result r;

	if (client || d->inspected[0] || d->inspected[1] || (d->head_len && d->head_client))
		return CW_DPI_NO;
	r = cw_dpi_match(data, len, "+OK");
	if (r != CW_DPI_YES)
		return r;
	if (len == 3)
		return CW_DPI_MORE;
	if (data[3] != ' ' && data[3] != '\r' && data[3] != '\n')
		return CW_DPI_NO;
	/* A line of text to CRLF, or as far as the engine always shows. */
	for (i = 3; i < end && data[i] != '\r' && data[i] != '\n'; i++)
		if (data[i] < 0x20 || data[i] >= 0x7f)
			return CW_DPI_NO;
	return i < end || end == CW_DPI_HEAD ? CW_DPI_YES : CW_DPI_MORE;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	return cw_dpi_smtp.feed(d, info, client, data, len);
}

const struct cw_dpi_parser cw_dpi_pop3 = {
	.name = "pop3",
	.app = CW_APP_POP3,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
