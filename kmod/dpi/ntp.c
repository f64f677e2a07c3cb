// SPDX-License-Identifier: GPL-2.0
/*
 * NTP (RFC 5905 §7.3): a 48-byte header, then extension fields and a MAC
 * (§7.5), all in 32-bit words. The first byte holds LI, VN and Mode.
 * Extracts the version (VN) and the mode of the first packet (detail).
 */

#include "parsers.h"

#define NTP_HEADER	48

/* Modes 6 (control) and 7 (private) have other formats. */
static const char *const modes[] = {
	[1] = "symmetric active", "symmetric passive", "client", "server", "broadcast",
};

/*
 * VN 1 to 4, a mode with this header, stratum 0 (unspecified, kiss codes)
 * to 16 (unsynchronized), a poll interval (log2 seconds, chrony goes down
 * to -7) and a precision (log2 seconds; chrony's requests say 32) sane.
 */
static bool header_ok(const u8 *data, u32 len)
{
	u8 vn = data[0] >> 3 & 7, mode = data[0] & 7;
	int poll, precision;

	if (len < NTP_HEADER || (len - NTP_HEADER) % 4)
		return false;
	poll = (signed char)data[2];
	precision = (signed char)data[3];
	return vn >= 1 && vn <= 4 && mode >= 1 && mode <= 5 && data[1] <= 16 &&
	       poll >= -7 && poll <= 17 && precision >= -32 && precision <= 32;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	return header_ok(data, len) ? CW_DPI_YES : CW_DPI_NO;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	const char *mode = modes[data[0] & 7];

	/* The datagram the probe took: all there is to know. */
	info->version = data[0] >> 3 & 7;
	cw_dpi_detail_put(info, (const u8 *)mode, strlen(mode));
	return CW_DPI_YES;
}

const struct cw_dpi_parser cw_dpi_ntp = {
	.name = "ntp",
	.app = CW_APP_NTP,
	.transports = CW_DPI_UDP,
	.probe = probe,
	.feed = feed,
};
