// SPDX-License-Identifier: GPL-2.0
/*
 * PostgreSQL frontend/backend protocol 3.0 (docs: "Message Formats"): the
 * client starts with an untyped message, Int32 length then Int32 code:
 * StartupMessage (3.x, then "key\0value\0" pairs and a final NUL),
 * SSLRequest, GSSENCRequest or CancelRequest. After an SSLRequest or a
 * GSSENCRequest the server answers one byte: 'N' means the StartupMessage
 * follows in clear.
 */

#include "parsers.h"

#define PG_PROTO_3	0x00030000
#define PG_SSL		80877103
#define PG_GSSENC	80877104
#define PG_CANCEL	80877102
/* The server refuses longer startup packets (MAX_STARTUP_PACKET_LENGTH). */
#define PG_STARTUP_MAX	10000

enum {
	ST_HDR,		/* length and code */
	ST_ANSWER,	/* the server's answer to SSLRequest / GSSENCRequest */
	ST_KEY,
	ST_VALUE,
};

enum { VAL_OTHER, VAL_USER, VAL_DB };

struct pg_state {
	u32 len;	/* the message's length, then the bytes left of it */
	u32 code;
	u8 state;
	u8 pos;		/* header byte, or key byte */
	u8 value;	/* VAL_*: what the value being read is */
	u8 key[9];	/* the key being read, up to "database" */
};

/* The 8-byte header: a sane length for what the code says. */
static bool header_ok(u32 length, u32 code)
{
	switch (code) {
	case PG_SSL:
	case PG_GSSENC:
		return length == 8;
	case PG_CANCEL:
		return length == 16;
	}
	/* 3.0 and its minor versions (3.2 since PostgreSQL 18) */
	return (code & 0xffff0000) == PG_PROTO_3 && (code & 0xffff) <= 2 &&
	       length > 9 && length <= PG_STARTUP_MAX;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 length, code, i;

	if (!client || d->inspected[0] || d->inspected[1])
		return CW_DPI_NO;
	/* Lengths above 64 KiB or codes that cannot be: no need to wait. */
	if ((len >= 1 && data[0]) || (len >= 2 && data[1]) ||
	    (len >= 5 && data[4] != 0x00 && data[4] != 0x04))
		return CW_DPI_NO;
	if (len < 8)
		return CW_DPI_MORE;
	length = cw_get_be32(data);
	code = cw_get_be32(data + 4);
	if (!header_ok(length, code))
		return CW_DPI_NO;
	if (code == PG_SSL || code == PG_GSSENC || code == PG_CANCEL)
		return CW_DPI_YES;
	/* StartupMessage: the first key is a lowercase name ("user"...). */
	if (len > CW_DPI_HEAD)
		len = CW_DPI_HEAD;
	if (len < 9)
		return CW_DPI_MORE;
	if ((data[8] < 'a' || data[8] > 'z') && data[8] != '_')
		return CW_DPI_NO;
	for (i = 9; i < len && data[i]; i++)
		if (data[i] < 0x20 || data[i] > 0x7e)
			return CW_DPI_NO;
	return CW_DPI_YES;
}

static void detail_reset(struct cw_dpi_info *info)
{
	info->detail_len = 0;
	info->detail[0] = '\0';
}

static void detail_str(struct cw_dpi_info *info, const char *s)
{
	cw_dpi_detail_put(info, (const u8 *)s, strlen(s));
}

/* A key ended: which value follows. */
static void key_done(struct pg_state *s, struct cw_dpi_info *info)
{
	s->value = VAL_OTHER;
	if (s->pos == 4 && !memcmp(s->key, "user", 4)) {
		s->value = VAL_USER;
	} else if (s->pos == 8 && !memcmp(s->key, "database", 8) && !info->detail_len) {
		s->value = VAL_DB;
		detail_str(info, "db=");
	}
	s->state = ST_VALUE;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct pg_state *s = CW_DPI_STATE(d, struct pg_state);
	u32 i;

	if (!client) {
		if (s->state != ST_ANSWER)
			return CW_DPI_MORE;
		/* 'N': refused, the client goes on in clear; else TLS or GSSAPI */
		if (data[0] != 'N')
			return CW_DPI_YES;
		detail_reset(info);
		s->state = ST_HDR;
		s->pos = 0;
		s->len = 0;
		s->code = 0;
		return CW_DPI_MORE;
	}
	for (i = 0; i < len; i++) {
		bool body = s->state == ST_KEY || s->state == ST_VALUE;
		u8 c = data[i];

		switch (s->state) {
		case ST_HDR:
			if (s->pos < 4)
				s->len = s->len << 8 | c;
			else
				s->code = s->code << 8 | c;
			if (++s->pos < 8)
				break;
			if (!header_ok(s->len, s->code))
				return CW_DPI_YES;
			if (s->code == PG_CANCEL) {
				detail_str(info, "cancel");
				return CW_DPI_YES;
			}
			if (s->code == PG_SSL || s->code == PG_GSSENC) {
				detail_str(info, s->code == PG_SSL ? "ssl" : "gssenc");
				s->state = ST_ANSWER;
				return CW_DPI_MORE;
			}
			s->len -= 8;
			s->pos = 0;
			s->state = ST_KEY;
			break;
		case ST_ANSWER:
			return CW_DPI_MORE;	/* nothing is due before the answer */
		case ST_KEY:
			if (!c) {
				if (!s->pos)
					return CW_DPI_YES;	/* the list's end */
				key_done(s, info);
			} else if (s->pos < sizeof(s->key)) {
				s->key[s->pos++] = c;
			}
			break;
		case ST_VALUE:
			if (!c) {
				s->pos = 0;
				s->state = ST_KEY;
			} else if (s->value == VAL_USER) {
				cw_dpi_name_put(info, c);
			} else if (s->value == VAL_DB) {
				cw_dpi_detail_put(info, &c, 1);
			}
			break;
		}
		if (body) {
			if (s->len <= 1)	/* the message ended */
				return CW_DPI_YES;
			s->len--;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_postgresql = {
	.name = "postgresql",
	.app = CW_APP_POSTGRESQL,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
