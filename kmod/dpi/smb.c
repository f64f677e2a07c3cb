// SPDX-License-Identifier: GPL-2.0
/*
 * SMB over TCP: a NetBIOS session message header (RFC 1002 §4.3.6: type 0,
 * then a length, 24 bits in SMB2's direct TCP, MS-SMB2 §2.1), then an SMB1
 * header ("\xffSMB", MS-CIFS §2.2.3.1) or an SMB2/3 one ("\xfeSMB", 64
 * bytes, MS-SMB2 §2.2.1). A connection starts with NEGOTIATE. Extracts the
 * header's version (detail, "smb1" or "smb2").
 */

#include "parsers.h"

#define NBSS_HEADER		4
#define SMB1_HEADER		32
#define SMB2_HEADER		64
#define SMB1_NEGOTIATE		0x72
#define SMB2_NEGOTIATE		0

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 msg_len;

	if (d->inspected[!client])
		return CW_DPI_NO;
	if (data[0])
		return CW_DPI_NO;
	if (len < NBSS_HEADER + 4)
		return CW_DPI_MORE;
	msg_len = (u32)data[1] << 16 | cw_get_be16(data + 2);
	if (data[5] != 'S' || data[6] != 'M' || data[7] != 'B')
		return CW_DPI_NO;
	if (data[4] == 0xff) {
		/* A command, then a word count and a byte count at least. */
		if (msg_len < SMB1_HEADER + 3)
			return CW_DPI_NO;
		if (len < NBSS_HEADER + 5)
			return CW_DPI_MORE;
		return data[8] == SMB1_NEGOTIATE ? CW_DPI_YES : CW_DPI_NO;
	}
	if (data[4] == 0xfe) {
		/* StructureSize 64, then the command (little-endian). */
		if (msg_len < SMB2_HEADER + 2)
			return CW_DPI_NO;
		if (len < NBSS_HEADER + 14)
			return CW_DPI_MORE;
		return cw_get_le16(data + 8) == SMB2_HEADER &&
		       cw_get_le16(data + 16) == SMB2_NEGOTIATE ? CW_DPI_YES : CW_DPI_NO;
	}
	return CW_DPI_NO;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	/* The chunk the probe took: it holds the protocol's byte. */
	if (len > NBSS_HEADER) {
		const char *version = data[NBSS_HEADER] == 0xff ? "smb1" : "smb2";

		cw_dpi_detail_put(info, (const u8 *)version, 4);
	}
	return CW_DPI_YES;
}

const struct cw_dpi_parser cw_dpi_smb = {
	.name = "smb",
	.app = CW_APP_SMB,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
