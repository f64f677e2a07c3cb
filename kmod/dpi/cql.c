// SPDX-License-Identifier: GPL-2.0
/*
 * Cassandra native protocol (CQL binary protocol v3..v5, native_protocol_v4
 * .spec §2): a 9-byte frame header, version (0x03..0x05 a request, 0x80 set
 * in a response; 0x41, 0x42 DataStax Enterprise), flags, stream (int16),
 * opcode, length (int32). A client opens with OPTIONS (0x05, no body) or
 * STARTUP (0x01, a string map holding "CQL_VERSION"). Extracts the
 * STARTUP's CQL_VERSION (detail "CQL_VERSION=3.0.0").
 */

#include "parsers.h"

#define OP_STARTUP	0x01
#define OP_OPTIONS	0x05
/* Flags: compression is not negotiated yet, the others are v3..v5's. */
#define FLAGS_FIRST	0x1e
#define STARTUP_MAX	4096

static bool version_ok(u8 v)
{
	return (v >= 0x03 && v <= 0x05) || v == 0x41 || v == 0x42;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 blen, n, klen, i;

	if (!client || d->inspected[0] || d->inspected[1])
		return CW_DPI_NO;
	/* Decide on the start alone, so that how it is cut does not matter. */
	if (len > CW_DPI_HEAD)
		len = CW_DPI_HEAD;
	/* A request's stream is not negative. */
	if (!version_ok(data[0]) || (len >= 2 && data[1] & ~FLAGS_FIRST) ||
	    (len >= 3 && data[2] & 0x80) ||
	    (len >= 5 && data[4] != OP_STARTUP && data[4] != OP_OPTIONS))
		return CW_DPI_NO;
	if (len < 9)
		return CW_DPI_MORE;
	blen = cw_get_be32(data + 5);
	if (data[4] == OP_OPTIONS)
		return blen ? CW_DPI_NO : CW_DPI_YES;
	/* STARTUP: [string map] n, then [string] keys such as "CQL_VERSION" */
	if (blen < 2 + 2 + 1 + 2 || blen > STARTUP_MAX)
		return CW_DPI_NO;
	if (len < 11)
		return CW_DPI_MORE;
	n = cw_get_be16(data + 9);
	if (!n || n > 16)
		return CW_DPI_NO;
	if (len < 13)
		return CW_DPI_MORE;
	klen = cw_get_be16(data + 11);
	if (!klen || klen > 32 || 2 + 2 + klen > blen)
		return CW_DPI_NO;
	for (i = 13; i < len && i < 13 + klen; i++)
		if ((data[i] < 'A' || data[i] > 'Z') && data[i] != '_')
			return CW_DPI_NO;
	if (i == 13)
		return CW_DPI_MORE;
	return CW_DPI_YES;
}

enum {
	ST_HDR,		/* a frame's header */
	ST_SKIP,	/* a body that is not STARTUP's */
	ST_COUNT,	/* the map's entries */
	ST_LEN,		/* a string's length */
	ST_STR,		/* its bytes */
};

struct cql_state {
	u32 left;	/* bytes left of the body */
	u16 count;	/* strings left of the map (keys and values) */
	u16 slen;	/* bytes left of the string */
	u8 state;
	u8 pos;		/* header or length byte; key byte (saturates) */
	u8 opcode;
	u8 frames;	/* frames seen */
	u8 match;	/* the key so far is a prefix of "CQL_VERSION" */
	u8 value;	/* the value being read is CQL_VERSION's */
};

static const char cql_version[] = "CQL_VERSION";

/* A string of the map is starting (it has @s->slen bytes). */
static void str_start(struct cql_state *s, struct cw_dpi_info *info)
{
	bool key = !(s->count & 1);	/* count is even before a key */

	s->value = !key && s->match;
	s->match = key;
	s->pos = 0;
	if (s->value) {
		cw_dpi_detail_put(info, (const u8 *)"CQL_VERSION=", sizeof(cql_version));
		s->match = 0;
	}
	s->state = ST_STR;
}

static enum cw_dpi_result str_end(struct cql_state *s)
{
	bool key = !(s->count & 1);

	if (key)
		s->match = s->match && s->pos == sizeof(cql_version) - 1;
	else
		s->match = 0;
	if (!--s->count || (!key && s->value))
		return CW_DPI_YES;
	s->pos = 0;
	s->state = ST_LEN;
	return CW_DPI_MORE;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct cql_state *s = CW_DPI_STATE(d, struct cql_state);
	u32 i = 0;

	if (!client)
		return CW_DPI_MORE;
	while (i < len) {
		u32 n;
		u8 c;

		if (s->state == ST_SKIP) {
			n = len - i < s->left ? len - i : s->left;
			i += n;
			s->left -= n;
			if (!s->left)
				s->state = ST_HDR;
			continue;
		}
		if (s->state != ST_HDR && !s->left)
			return CW_DPI_YES;	/* the body ended early */
		c = data[i++];
		if (s->state != ST_HDR)
			s->left--;
		switch (s->state) {
		case ST_HDR:
			if (s->pos == 0 && !version_ok(c))
				return CW_DPI_YES;
			if (s->pos == 4)
				s->opcode = c;
			if (s->pos >= 5)
				s->left = s->left << 8 | c;
			if (++s->pos < 9)
				break;
			s->pos = 0;
			/* OPTIONS, maybe again at a lower version, then STARTUP */
			if (++s->frames > 4 || s->left > STARTUP_MAX)
				return CW_DPI_YES;
			if (s->opcode == OP_STARTUP)
				s->state = ST_COUNT;
			else if (s->left)
				s->state = ST_SKIP;
			break;
		case ST_COUNT:
			s->count = s->count << 8 | c;
			if (++s->pos < 2)
				break;
			if (!s->count || s->count > 16)
				return CW_DPI_YES;
			s->count *= 2;
			s->pos = 0;
			s->state = ST_LEN;
			break;
		case ST_LEN:
			s->slen = s->slen << 8 | c;
			if (++s->pos < 2)
				break;
			if (s->slen) {
				str_start(s, info);
			} else {
				s->match = 0;
				s->pos = 0;
				if (str_end(s) == CW_DPI_YES)
					return CW_DPI_YES;
			}
			break;
		case ST_STR:
			if (s->value)
				cw_dpi_detail_put(info, &c, 1);
			else if (s->match)
				s->match = s->pos < sizeof(cql_version) - 1 &&
					   c == cql_version[s->pos];
			if (s->pos < 0xff)
				s->pos++;
			if (!--s->slen && str_end(s) == CW_DPI_YES)
				return CW_DPI_YES;
			break;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_cql = {
	.name = "cql",
	.app = CW_APP_CQL,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
