// SPDX-License-Identifier: GPL-2.0
/*
 * IMAP (RFC 9051 §7.1, RFC 3501): the server greets first with an
 * untagged "* OK" or "* PREAUTH" (also "* BYE" when it refuses, not
 * claimed). The feed is SMTP's command-line machine: name is the user of
 * "tag SP LOGIN SP user" (atom or quoted string), detail the client's
 * first command (CAPABILITY, LOGIN, STARTTLS...).
 */

#include "parsers.h"

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 i, end = len < CW_DPI_HEAD ? len : CW_DPI_HEAD;
	enum cw_dpi_result r;
	u32 text;

	if (client || d->inspected[0] || d->inspected[1] || (d->head_len && d->head_client))
		return CW_DPI_NO;
	r = cw_dpi_match(data, len, "* OK ");
	text = 5;
	if (r == CW_DPI_NO) {
		r = cw_dpi_match(data, len, "* PREAUTH ");
		text = 10;
	}
	if (r != CW_DPI_YES)
		return r;
	/* resp-text: printable to CRLF, or as far as the engine always shows. */
	for (i = text; i < end && data[i] != '\r' && data[i] != '\n'; i++)
		if (data[i] < 0x20 || data[i] >= 0x7f)
			return CW_DPI_NO;
	return i < end || end == CW_DPI_HEAD ? CW_DPI_YES : CW_DPI_MORE;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	return cw_dpi_smtp.feed(d, info, client, data, len);
}

const struct cw_dpi_parser cw_dpi_imap = {
	.name = "imap",
	.app = CW_APP_IMAP,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
