// SPDX-License-Identifier: GPL-2.0
/*
 * MongoDB wire protocol (mongodb.com/docs/manual/reference/mongodb-wire-
 * protocol): a 16-byte little-endian header (messageLength, requestID,
 * responseTo 0 in a request, opCode), then OP_MSG (2013: flagBits, a kind 0
 * section holding the command's BSON document) or the legacy OP_QUERY
 * (2004: flags, "db.$cmd", skip, return, the query document) that drivers
 * still open with. Extracts the command, the first key of the document
 * (detail), and its database (name): OP_MSG's "$db", OP_QUERY's prefix.
 */

#include "parsers.h"

#define OP_QUERY	2004
#define OP_MSG		2013
#define MSG_MAX		48000000	/* maxMessageSizeBytes */
/* OP_MSG flagBits a client may set: checksumPresent, moreToCome, exhaustAllowed. */
#define MSG_FLAGS	0x00010003

/* BSON element types (bsonspec.org): 0x01..0x13, min key, max key. */
static bool bson_type_ok(u8 t)
{
	return (t >= 0x01 && t <= 0x13) || t == 0x7f || t == 0xff;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 mlen, op, i, first;

	if (!client || d->inspected[0] || d->inspected[1])
		return CW_DPI_NO;
	/* Decide on the start alone, so that how it is cut does not matter. */
	if (len > CW_DPI_HEAD)
		len = CW_DPI_HEAD;
	if (len >= 4) {
		mlen = cw_get_le32(data);
		if (mlen < 16 + 21 || mlen > MSG_MAX)
			return CW_DPI_NO;
	}
	if (len >= 12 && cw_get_le32(data + 8))
		return CW_DPI_NO;	/* responseTo: a request answers nothing */
	if (len < 16)
		return CW_DPI_MORE;
	op = cw_get_le32(data + 12);
	if (op != OP_MSG && op != OP_QUERY)
		return CW_DPI_NO;
	if (len < 21)
		return CW_DPI_MORE;
	if (op == OP_MSG) {
		/* flagBits, section kind 0 (the body), its document's length, type, key */
		if (cw_get_le32(data + 16) & ~MSG_FLAGS || data[20])
			return CW_DPI_NO;
		if (len < 26)
			return CW_DPI_MORE;
		i = cw_get_le32(data + 21);
		if (i < 5 || i > mlen - 21 || !bson_type_ok(data[25]))
			return CW_DPI_NO;
		first = 26;
	} else {
		/* flags: bit 0 and 8..31 are reserved; then "db.collection" */
		if (cw_get_le32(data + 16) & ~0xfeu)
			return CW_DPI_NO;
		first = 20;
	}
	if (len <= first)
		return CW_DPI_MORE;
	/* A command's name, or a database's: a letter, then printable up to NUL. */
	if (!((data[first] | 0x20) >= 'a' && (data[first] | 0x20) <= 'z') && data[first] != '_')
		return CW_DPI_NO;
	for (i = first + 1; i < len && data[i]; i++)
		if (data[i] < 0x20 || data[i] > 0x7e)
			return CW_DPI_NO;
	if (i == len && len < CW_DPI_HEAD)
		return CW_DPI_MORE;
	return CW_DPI_YES;
}

enum {
	ST_HDR,		/* header and flags: 20 bytes */
	ST_KIND,	/* OP_MSG: the section's kind */
	ST_COLL,	/* OP_QUERY: "db.collection" */
	ST_SKIP,	/* bytes to skip, then s->next */
	ST_DOCLEN,	/* a document's length */
	ST_TYPE,	/* an element's type */
	ST_KEY,		/* its key */
	ST_VLEN,	/* a value's int32 length (string, document, binary...) */
	ST_CSTR,	/* a regex: two C strings */
	ST_DB,		/* the string value of "$db" */
};

struct mongodb_state {
	u32 op;
	u32 left;	/* bytes left of the body document */
	u32 skip;
	u32 num;	/* a little-endian int32 being read */
	u8 state;
	u8 next;
	u8 pos;		/* header byte; key byte (saturates); int32 byte */
	u8 type;	/* the element's type */
	u8 keys;	/* elements seen (saturates) */
	u8 db;		/* the key so far is a prefix of "$db" */
	u8 cstr;	/* regex: C strings left */
	u8 dot;		/* OP_QUERY: the collection name's '.' was seen */
};

/* Fixed-size values; -1: an int32 length comes first; -2: two C strings. */
static int value_size(u8 t)
{
	switch (t) {
	case 0x01: case 0x09: case 0x11: case 0x12:	/* double, date, timestamp, int64 */
		return 8;
	case 0x07:					/* ObjectId */
		return 12;
	case 0x08:					/* bool */
		return 1;
	case 0x10:					/* int32 */
		return 4;
	case 0x13:					/* decimal128 */
		return 16;
	case 0x06: case 0x0a: case 0x7f: case 0xff:	/* undefined, null, max, min */
		return 0;
	case 0x0b:					/* regex */
		return -2;
	}
	return -1;	/* string, document, array, binary, DBPointer, code */
}

static void skip(struct mongodb_state *s, u32 n, u8 next)
{
	s->skip = n;
	s->next = next;
	s->state = n ? ST_SKIP : next;
}

/* A value's int32 length read: how much of it to skip. */
static u32 value_skip(const struct mongodb_state *s)
{
	switch (s->type) {
	case 0x03: case 0x04: case 0x0f:	/* the length counts itself */
		return s->num >= 4 ? s->num - 4 : 0;
	case 0x05:				/* binary: subtype, then the bytes */
		return s->num + 1;
	case 0x0c:				/* DBPointer: string, ObjectId */
		return s->num + 12;
	}
	return s->num;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct mongodb_state *s = CW_DPI_STATE(d, struct mongodb_state);
	u32 i = 0;

	if (!client)
		return CW_DPI_MORE;
	while (i < len) {
		bool in_doc = s->state >= ST_TYPE || (s->state == ST_SKIP && s->next >= ST_TYPE);
		u32 n;
		int size;
		u8 c;

		if (in_doc && !s->left)
			return CW_DPI_YES;	/* the document ended */
		if (s->state == ST_SKIP) {
			n = len - i;
			if (n > s->skip)
				n = s->skip;
			if (in_doc && n > s->left)
				n = s->left;
			i += n;
			s->skip -= n;
			if (in_doc)
				s->left -= n;
			if (!s->skip)
				s->state = s->next;
			continue;
		}
		c = data[i++];
		if (in_doc)
			s->left--;
		switch (s->state) {
		case ST_HDR:
			if (s->pos >= 12 && s->pos < 16)
				s->op |= (u32)c << (8 * (s->pos - 12));
			if (++s->pos < 20)
				break;
			s->pos = 0;
			s->state = s->op == OP_MSG ? ST_KIND : ST_COLL;
			break;
		case ST_KIND:
			if (c)
				return CW_DPI_YES;	/* a document sequence: no command */
			s->state = ST_DOCLEN;
			break;
		case ST_COLL:
			if (!c) {
				skip(s, 8, ST_DOCLEN);	/* numberToSkip, numberToReturn */
				break;
			}
			if (c == '.')
				s->dot = 1;
			else if (!s->dot)
				cw_dpi_name_put(info, c);
			break;
		case ST_DOCLEN:
			s->num |= (u32)c << (8 * s->pos);
			if (++s->pos < 4)
				break;
			if (s->num < 5 || s->num > MSG_MAX)
				return CW_DPI_YES;
			s->left = s->num - 4;
			s->pos = 0;
			s->state = ST_TYPE;
			break;
		case ST_TYPE:
			if (!c || !bson_type_ok(c))
				return CW_DPI_YES;
			s->type = c;
			s->pos = 0;
			s->db = 1;
			s->state = ST_KEY;
			break;
		case ST_KEY:
			if (c) {
				if (!s->keys)
					cw_dpi_detail_put(info, &c, 1);
				s->db = s->db && s->pos < 3 && c == "$db"[s->pos];
				if (s->pos < 0xff)
					s->pos++;
				break;
			}
			s->db = s->db && s->pos == 3 && s->type == 0x02 && s->op == OP_MSG;
			if (s->keys < 0xff)
				s->keys++;
			/* OP_QUERY: the first key is all; OP_MSG: the value of "$db" too */
			if (s->op != OP_MSG)
				return CW_DPI_YES;
			s->pos = 0;
			s->num = 0;
			size = value_size(s->type);
			if (size >= 0)
				skip(s, size, ST_TYPE);
			else if (size == -2)
				s->state = ST_CSTR;
			else
				s->state = ST_VLEN;
			s->cstr = 2;
			break;
		case ST_VLEN:
			s->num |= (u32)c << (8 * s->pos);
			if (++s->pos < 4)
				break;
			if (s->num > MSG_MAX)
				return CW_DPI_YES;
			if (s->db) {
				s->state = ST_DB;
				break;
			}
			skip(s, value_skip(s), ST_TYPE);
			break;
		case ST_CSTR:
			if (!c && !--s->cstr)
				s->state = ST_TYPE;
			break;
		case ST_DB:
			if (!c)
				return CW_DPI_YES;
			cw_dpi_name_put(info, c);
			break;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_mongodb = {
	.name = "mongodb",
	.app = CW_APP_MONGODB,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
