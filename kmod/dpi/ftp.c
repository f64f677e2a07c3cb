// SPDX-License-Identifier: GPL-2.0
/*
 * FTP control connection (RFC 959): the server greets first with "220"
 * SP or "220-" (§4.2), as SMTP does. This probe takes the greetings that
 * say "FTP" (vsFTPd, ProFTPD, pyftpdlib, "Microsoft FTP Service") within
 * their first bytes; smtp.c takes the plain ones and tells FTP from SMTP
 * by the client's first command. The feed is SMTP's command-line machine:
 * name is the USER argument, detail the client's first command.
 */

#include "parsers.h"

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 i, end = len < CW_DPI_HEAD ? len : CW_DPI_HEAD;
	u32 window = 0;
	bool ftp = false, line_end = false;

	if (client || d->inspected[0] || d->inspected[1] || (d->head_len && d->head_client))
		return CW_DPI_NO;
	if (len < 4)
		return cw_dpi_match(data, len, "220") == CW_DPI_NO ? CW_DPI_NO : CW_DPI_MORE;
	if (cw_dpi_match(data, len, "220") != CW_DPI_YES || (data[3] != ' ' && data[3] != '-'))
		return CW_DPI_NO;
	/* Only what the engine always shows at once: the first CW_DPI_HEAD bytes. */
	for (i = 4; i < end; i++) {
		u8 c = data[i];

		if (c == '\r' || c == '\n') {
			line_end = true;
			continue;
		}
		if (c < 0x20 || c >= 0x7f)
			return CW_DPI_NO;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		window = window << 8 | c;
		if (window == ('S' << 24 | 'M' << 16 | 'T' << 8 | 'P'))
			return CW_DPI_NO;
		if ((window & 0xffffff) == ('F' << 16 | 'T' << 8 | 'P'))
			ftp = true;
	}
	if (end < CW_DPI_HEAD && !line_end)
		return CW_DPI_MORE;
	return ftp ? CW_DPI_YES : CW_DPI_NO;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	return cw_dpi_smtp.feed(d, info, client, data, len);
}

const struct cw_dpi_parser cw_dpi_ftp = {
	.name = "ftp",
	.app = CW_APP_FTP,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
