// SPDX-License-Identifier: GPL-2.0
/* MONGODB: not written yet (a stub that never matches). */

#include "parsers.h"

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	return CW_DPI_NO;
}

const struct cw_dpi_parser cw_dpi_mongodb = {
	.name = "mongodb",
	.app = CW_APP_MONGODB,
	.transports = CW_DPI_TCP,
	.probe = probe,
};
