// SPDX-License-Identifier: GPL-2.0
/*
 * MySQL and MariaDB client/server protocol: the server speaks first with
 * Protocol::Handshake v10 (packet header: 3-byte LE length, sequence 0).
 * The client answers with HandshakeResponse41 (user, database) or, before
 * TLS, with a 32-byte SSLRequest.
 */

#include "parsers.h"

/* Capability flags (include/mysql_com.h). */
#define CLIENT_CONNECT_WITH_DB		0x00000008
#define CLIENT_PROTOCOL_41		0x00000200
#define CLIENT_SSL			0x00000800
#define CLIENT_SECURE_CONNECTION	0x00008000
#define CLIENT_PLUGIN_AUTH_LENENC	0x00200000

/* Sizes of a greeting payload: v10 with a short version ... a long one. */
#define GREETING_MIN	32
#define GREETING_MAX	512

enum {
	ST_HDR,		/* the client packet's 4-byte header */
	ST_CAPS,	/* capability flags */
	ST_SKIP,	/* bytes to skip, then s->next */
	ST_USER,	/* NUL-terminated user name */
	ST_AUTHLEN,	/* length of the auth response */
	ST_AUTHNUL,	/* NUL-terminated auth response (old clients) */
	ST_DB,		/* NUL-terminated database */
};

struct mysql_state {
	u32 caps;
	u32 left;	/* bytes left in the client's packet */
	u32 skip;
	u8 state;
	u8 next;	/* state after ST_SKIP */
	u8 pos;		/* byte index in the header, caps or length */
	u8 lenenc;	/* bytes of a length-encoded integer left */
};

/* Protocol::Handshake (v10): header, 0x0a, "x.y..." NUL, thread id, scramble, filler 0. */
static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 plen = 0, i, nul = 0;
	bool dot = false;

	if (client || d->inspected[0] || d->inspected[1])
		return CW_DPI_NO;
	/* Decide on the start alone, so that how the greeting is cut does not matter. */
	if (len > CW_DPI_HEAD)
		len = CW_DPI_HEAD;
	if (len >= 3) {
		plen = data[0] | data[1] << 8 | data[2] << 16;
		if (plen < GREETING_MIN || plen > GREETING_MAX)
			return CW_DPI_NO;
	}
	if ((len >= 4 && data[3]) || (len >= 5 && data[4] != 10) ||
	    (len >= 6 && (data[5] < '1' || data[5] > '9')))
		return CW_DPI_NO;
	for (i = 6; i < len; i++) {
		if (!data[i]) {
			nul = i;
			break;
		}
		if (data[i] < 0x20 || data[i] > 0x7e)
			return CW_DPI_NO;
		if (data[i] == '.' && i <= 8)
			dot = true;
	}
	if (len > 8 && !dot)
		return CW_DPI_NO;
	if (!nul)
		return len == CW_DPI_HEAD ? CW_DPI_YES : CW_DPI_MORE;
	/* Version, thread id (4), scramble (8) and filler must fit in the payload. */
	if (nul < 8 || nul - 4 + 14 > plen)
		return CW_DPI_NO;
	if (nul + 13 >= len)
		return len == CW_DPI_HEAD ? CW_DPI_YES : CW_DPI_MORE;
	return data[nul + 13] ? CW_DPI_NO : CW_DPI_YES;
}

static void skip(struct mysql_state *s, u32 n, u8 next)
{
	s->skip = n;
	s->next = next;
	s->state = ST_SKIP;
}

/* After the auth response: the database, when the client said it sends one. */
static enum cw_dpi_result enter_db(struct mysql_state *s, struct cw_dpi_info *info)
{
	if (!(s->caps & CLIENT_CONNECT_WITH_DB))
		return CW_DPI_YES;
	cw_dpi_detail_put(info, (const u8 *)"db=", 3);
	s->state = ST_DB;
	return CW_DPI_MORE;
}

/* The client's first packet: HandshakeResponse41 (or 320), or SSLRequest. */
static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct mysql_state *s = CW_DPI_STATE(d, struct mysql_state);
	u32 i = 0;

	if (!client)
		return CW_DPI_MORE;
	while (i < len) {
		u32 n;
		u8 c;

		if (s->state != ST_HDR && !s->left)
			return CW_DPI_YES;	/* the packet ended early */
		if (s->state == ST_SKIP) {
			n = len - i;
			if (n > s->skip)
				n = s->skip;
			if (n > s->left)
				n = s->left;
			i += n;
			s->skip -= n;
			s->left -= n;
			if (!s->skip) {
				s->state = s->next;
				if (s->state == ST_DB && enter_db(s, info) == CW_DPI_YES)
					return CW_DPI_YES;
			}
			continue;
		}
		c = data[i++];
		if (s->state != ST_HDR)
			s->left--;
		switch (s->state) {
		case ST_HDR:
			if (s->pos < 3) {
				s->left |= (u32)c << (8 * s->pos++);
				break;
			}
			if (c != 1 || !s->left)
				return CW_DPI_YES;	/* not the handshake response */
			s->pos = 0;
			s->state = ST_CAPS;
			break;
		case ST_CAPS:
			s->caps |= (u32)c << (8 * s->pos);
			if (++s->pos < 4)
				break;
			s->pos = 0;
			if (!(s->caps & CLIENT_PROTOCOL_41)) {
				/* HandshakeResponse320: 2 bytes of caps, 3 of max packet */
				skip(s, 1, ST_USER);
			} else if (s->caps & CLIENT_SSL && s->left == 28) {
				cw_dpi_detail_put(info, (const u8 *)"ssl", 3);
				return CW_DPI_YES;
			} else {
				/* max packet (4), charset (1), reserved (23) */
				skip(s, 28, ST_USER);
			}
			break;
		case ST_USER:
			if (c)
				cw_dpi_name_put(info, c);
			else if (s->caps & (CLIENT_PLUGIN_AUTH_LENENC | CLIENT_SECURE_CONNECTION))
				s->state = ST_AUTHLEN;
			else
				s->state = ST_AUTHNUL;
			break;
		case ST_AUTHLEN:
			if (s->lenenc) {
				s->skip |= (u32)c << (8 * s->pos++);
				if (--s->lenenc)
					break;
				skip(s, s->skip, ST_DB);
			} else if (!(s->caps & CLIENT_PLUGIN_AUTH_LENENC) || c < 0xfb) {
				skip(s, c, ST_DB);
			} else if (c == 0xfc || c == 0xfd) {
				s->lenenc = c == 0xfc ? 2 : 3;
				s->skip = 0;
				s->pos = 0;
				break;
			} else {
				return CW_DPI_YES;	/* no sane auth response is that long */
			}
			if (!s->skip) {
				s->state = ST_DB;
				if (enter_db(s, info) == CW_DPI_YES)
					return CW_DPI_YES;
			}
			break;
		case ST_AUTHNUL:
			if (!c && enter_db(s, info) == CW_DPI_YES)
				return CW_DPI_YES;
			break;
		case ST_DB:
			if (!c)
				return CW_DPI_YES;
			cw_dpi_detail_put(info, &c, 1);
			break;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_mysql = {
	.name = "mysql",
	.app = CW_APP_MYSQL,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
