// SPDX-License-Identifier: GPL-2.0
/*
 * NATS (the NATS client protocol, docs.nats.io): the server speaks first,
 * "INFO {json}\r\n"; the client answers "CONNECT {json}\r\n". Both are
 * claimed, the brace checked (HTTP's CONNECT names a host, not JSON).
 * detail is the server's "version", name the client's "name" (both read
 * from the first line of each side, up to its CRLF).
 */

#include "parsers.h"

struct nats_state {
	u8 matched[2];	/* bytes of the key matched, by direction */
	u8 copying[2];	/* inside the value wanted */
	u8 done[2];	/* the first line ended, or the value did */
};

static const char *const keys[2] = {
	"\"name\":\"",		/* client */
	"\"version\":\"",	/* server */
};

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	const char *verb = client ? "CONNECT" : "INFO";
	enum cw_dpi_result r;
	u32 i;

	/* The first bytes of the flow: CONNECT alone is a flow whose INFO was lost. */
	if (d->inspected[0] || d->inspected[1] || (d->head_len && d->head_client != client))
		return CW_DPI_NO;
	r = cw_dpi_match(data, len, verb);
	if (r != CW_DPI_YES)
		return r;
	/* Spaces or tabs, then the JSON object, within what is always shown. */
	for (i = strlen(verb); i < len && i < CW_DPI_HEAD; i++) {
		if (data[i] == '{')
			return i > strlen(verb) ? CW_DPI_YES : CW_DPI_NO;
		if (data[i] != ' ' && data[i] != '\t')
			return CW_DPI_NO;
	}
	return i < CW_DPI_HEAD ? CW_DPI_MORE : CW_DPI_NO;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct nats_state *s = CW_DPI_STATE(d, struct nats_state);
	unsigned int dir = !client;
	const char *key = keys[dir];
	u32 i, key_len = strlen(key);

	for (i = 0; i < len && !s->done[dir]; i++) {
		u8 c = data[i];

		if (c == '\r' || c == '\n') {
			s->done[dir] = 1;
		} else if (s->copying[dir]) {
			if (c == '"' || c == '\\') {
				s->done[dir] = 1;
			} else if (client) {
				cw_dpi_name_put(info, c);
			} else {
				cw_dpi_detail_put(info, &c, 1);
			}
		} else if (c == (u8)key[s->matched[dir]]) {
			if (++s->matched[dir] == key_len)
				s->copying[dir] = 1;
		} else {
			s->matched[dir] = c == (u8)key[0];
		}
	}
	return s->done[0] && s->done[1] ? CW_DPI_YES : CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_nats = {
	.name = "nats",
	.app = CW_APP_NATS,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
