// SPDX-License-Identifier: GPL-2.0
/* NTP: not written yet (a stub that never matches). */

#include "parsers.h"

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	return CW_DPI_NO;
}

const struct cw_dpi_parser cw_dpi_ntp = {
	.name = "ntp",
	.app = CW_APP_NTP,
	.transports = CW_DPI_UDP,
	.probe = probe,
};
