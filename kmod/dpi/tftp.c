// SPDX-License-Identifier: GPL-2.0
/*
 * TFTP (RFC 1350 §5): a read or write request, opcode 1 or 2, then the
 * file name and the mode, each ending with NUL, then options (RFC 2347
 * §2), pairs of NUL-terminated strings; 512 bytes at most. The transfer
 * itself comes from another port: a flow of its own. Extracts "RRQ octet
 * FILE" (detail; file names are case-sensitive, so no name).
 */

#include "parsers.h"

#define TFTP_REQUEST_MAX 512

static const char *const modes[] = { "netascii", "octet", "mail" };

/* The NUL-terminated text at @off: the offset after its NUL, or 0. */
static u32 string(const u8 *data, u32 len, u32 off)
{
	for (; off < len; off++) {
		if (!data[off])
			return off + 1;
		if (data[off] < 0x20 || data[off] == 0x7f)
			return 0;
	}
	return 0;
}

/* A whole request: its mode (index in modes[]) and file name's end, or -1. */
static int request(const u8 *data, u32 len, u32 *name_end)
{
	u32 off, mode_end, i;
	int mode = -1;

	if (len < 2 + 2 + 5 || len > TFTP_REQUEST_MAX || data[0] || (data[1] != 1 && data[1] != 2))
		return -1;
	off = string(data, len, 2);
	if (off <= 3)	/* no file name */
		return -1;
	*name_end = off - 1;
	mode_end = string(data, len, off);
	if (!mode_end)
		return -1;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (mode_end - off - 1 == strlen(modes[i]) &&
		    cw_dpi_match_nocase(data + off, len - off, modes[i]) == CW_DPI_YES)
			mode = i;
	}
	if (mode < 0)
		return -1;
	/* Options: a name (never empty) and a value, up to the end exactly. */
	for (off = mode_end; off < len; off = i) {
		i = string(data, len, off);
		if (i <= off + 1)
			return -1;
		i = string(data, len, i);
		if (!i)
			return -1;
	}
	return mode;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 name_end;

	return request(data, len, &name_end) >= 0 ? CW_DPI_YES : CW_DPI_NO;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	u32 name_end;
	int mode = request(data, len, &name_end);

	if (mode < 0)
		return CW_DPI_MORE;
	cw_dpi_detail_put(info, (const u8 *)(data[1] == 1 ? "RRQ " : "WRQ "), 4);
	cw_dpi_detail_put(info, (const u8 *)modes[mode], strlen(modes[mode]));
	cw_dpi_detail_put(info, (const u8 *)" ", 1);
	cw_dpi_detail_put(info, data + 2, name_end - 2);
	return CW_DPI_YES;
}

const struct cw_dpi_parser cw_dpi_tftp = {
	.name = "tftp",
	.app = CW_APP_TFTP,
	.transports = CW_DPI_UDP,
	.probe = probe,
	.feed = feed,
};
