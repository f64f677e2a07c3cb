// SPDX-License-Identifier: GPL-2.0
/*
 * SSH (RFC 4253 §4.2): each side starts with "SSH-protoversion-software".
 * Extracts the client's banner (detail) and the protocol version: 2, or 1
 * for "SSH-1.x" other than 1.99 (which means 2 as well).
 */

#include "parsers.h"

struct ssh_state {
	u8 pos[2];		/* bytes of each direction's banner seen */
	u8 done[2];		/* that banner ended (CR or LF) */
	u8 proto[2][4];		/* the first bytes after "SSH-" */
};

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	if (d->inspected[!client])
		return CW_DPI_NO;
	return cw_dpi_match(data, len, "SSH-");
}

static u16 version_of(const u8 *proto)
{
	if (proto[0] == '2')
		return 2;
	if (proto[0] == '1')
		return proto[2] == '9' && proto[3] == '9' ? 2 : 1;
	return 0;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct ssh_state *s = CW_DPI_STATE(d, struct ssh_state);
	unsigned int dir = !client;
	u32 i;

	for (i = 0; i < len && !s->done[dir]; i++) {
		u8 c = data[i];

		if (c == '\r' || c == '\n' || s->pos[dir] == 255) {
			s->done[dir] = 1;
			break;
		}
		if (s->pos[dir] >= 4 && s->pos[dir] < 8)
			s->proto[dir][s->pos[dir] - 4] = c;
		s->pos[dir]++;
	}
	if (client)
		cw_dpi_detail_put(info, data, i);
	if (s->done[dir] && !info->version)
		info->version = version_of(s->proto[dir]);
	return s->done[0] && s->done[1] ? CW_DPI_YES : CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_ssh = {
	.name = "ssh",
	.app = CW_APP_SSH,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
