// SPDX-License-Identifier: GPL-2.0
/*
 * DNS (RFC 1035 §4): every message of the flow, queries and responses.
 * Over UDP each datagram is a message, walked whole: its questions, then
 * the owner names and the names inside the data of its records, compression
 * pointers followed (§4.1.4), a bounded number of names. Over TCP (§4.2.2,
 * 2-byte length prefixes) a message whole in one chunk is walked the same
 * way; one cut across chunks has only its header and first question
 * checked, as they stream by: no pointer can be followed there, so a loop
 * in its answers goes unseen (one in its question does not).
 *
 * A pointer must point before the start of the run of labels that holds
 * it: what every compressor writes, since it points back to names written
 * earlier. One that does not points at or past itself, or back into its
 * own name: a loop for whoever follows it. So does a name that takes more
 * than DNS_JUMPS_MAX pointers, each back before the last.
 */

#include "threat.h"

#define DNS_HDR		12
#define DNS_QR		0x80	/* in the header's third byte */
#define DNS_NAME_MAX	255	/* wire bytes of a name, length bytes included (§2.3.4) */
#define DNS_JUMPS_MAX	32	/* pointers followed in one name */
#define DNS_NAMES_MAX	256	/* names walked in one message */
#define DNS_BIG		512	/* the size a response must reach to amplify */
/* A label this long made of an encoding's alphabet carries data. */
#define DNS_TUNNEL_LABEL 50
/* Hyphens and underscores such a label may hold (base64url has them). */
#define DNS_TUNNEL_DASHES 3

#define TYPE_NS		2
#define TYPE_CNAME	5
#define TYPE_SOA	6
#define TYPE_NULL	10
#define TYPE_PTR	12
#define TYPE_MX		15
#define TYPE_SRV	33
#define TYPE_DNAME	39
#define TYPE_IXFR	251
#define TYPE_AXFR	252
#define TYPE_ANY	255

#define THREAT(id) CW_THREAT_BIT(CW_THREAT_##id)

/* A name's lengths and its current label, as its bytes go by. */
struct dns_name {
	u16 wire;	/* bytes so far, length bytes included */
	u16 text;	/* as dotted text */
	u8 left;	/* bytes left in the label */
	u8 len;		/* of the label */
	u8 dashes;	/* '-' and '_' in the label */
	u8 digit:1,	/* the label has a digit */
	   other:1;	/* and a byte of no encoding's alphabet */
};

/* Where a TCP direction is in its message cut across chunks. */
enum {
	T_PREFIX_HI,
	T_PREFIX_LO,
	T_HEADER,
	T_NAME,
	T_POINTER,	/* the second byte of a pointer */
	T_TYPE_HI,
	T_TYPE_LO,
	T_SKIP,		/* the rest of the message */
};

struct dns_dir {
	struct dns_name name;
	u16 msg_left;	/* bytes left in the message */
	u16 off;	/* offset in the message of the next byte */
	u8 phase;
	u8 hi;		/* the first byte of a pointer, of QDCOUNT, of QTYPE */
	u8 query;	/* the message is a query (QR clear) */
	u8 questions;	/* it has a question */
};

struct dns_state {
	struct dns_dir dir[2];
	u16 query_len;	/* UDP: the size of the last query */
};

/* Checks on names: tunnel ones on the questions of queries only. */
struct dns_check {
	bool tunnel;
	u32 tunnel_len;
};

/* A label's length byte @c, 0 to 63 (0: the root, the end). */
static u64 name_label(struct dns_name *n, u8 c, const struct dns_check *chk)
{
	u64 found = 0;

	if (c && n->text)
		n->text++;	/* the dot */
	n->text += c;
	n->wire += c + 1;
	n->left = c;
	n->len = c;
	n->dashes = 0;
	n->digit = 0;
	n->other = 0;
	/* A label: the root's byte is still to come. */
	if (n->wire + !!c > DNS_NAME_MAX)
		found |= THREAT(DNS_OVERSIZED_NAME);
	if (chk->tunnel && n->text >= chk->tunnel_len)
		found |= THREAT(DNS_TUNNEL);
	return found;
}

/* A byte of the label (n->left > 0): base32, base64(url) and hex, or not. */
static u64 name_char(struct dns_name *n, u8 c, const struct dns_check *chk)
{
	if (c >= '0' && c <= '9')
		n->digit = 1;
	else if (c == '-' || c == '_')
		n->dashes += n->dashes < 255;
	else if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '+' && c != '/' && c != '=')
		n->other = 1;
	if (--n->left)
		return 0;
	/* Random data encoded: a digit somewhere, words would have none. */
	if (chk->tunnel && n->len >= DNS_TUNNEL_LABEL && n->digit && !n->other &&
	    n->dashes <= DNS_TUNNEL_DASHES)
		return THREAT(DNS_TUNNEL);
	return 0;
}

/*
 * The name at @off of the first @len bytes of a message, pointers
 * followed. Returns the offset after it where it started, 0 when that
 * cannot be told (truncated, or a label type of no meaning).
 */
static u32 walk_name(const u8 *msg, u32 len, u32 off, const struct dns_check *chk, u64 *found)
{
	struct dns_name n = { 0 };
	u32 run = off, end = 0, jumps = 0, i;

	for (;;) {
		u8 c;

		if (off >= len)
			return end;
		c = msg[off];
		if ((c & 0xc0) == 0xc0) {
			u32 target;

			if (off + 1 >= len)
				return end;
			target = (c & 0x3f) << 8 | msg[off + 1];
			if (!end)
				end = off + 2;
			if (target >= run || ++jumps > DNS_JUMPS_MAX) {
				*found |= THREAT(DNS_POINTER_LOOP);
				return end;
			}
			/* Into the header: no name there, broken but no loop. */
			if (target < DNS_HDR)
				return end;
			run = target;
			off = target;
			continue;
		}
		/* 01 and 10: the extended label types of RFC 6891 §5, gone. */
		if (c & 0xc0) {
			*found |= THREAT(DNS_OVERSIZED_NAME);
			return end;
		}
		*found |= name_label(&n, c, chk);
		if (!c)
			return end ? end : off + 1;
		if (c >= len - off)
			return end;
		for (i = 1; i <= c; i++)
			*found |= name_char(&n, msg[off + i], chk);
		off += 1 + c;
		/* What pointers lead to is read no further than a name can be. */
		if (end && n.wire >= DNS_NAME_MAX)
			return end;
	}
}

static u64 qtype_threats(u16 type)
{
	if (type == TYPE_AXFR || type == TYPE_IXFR)
		return THREAT(DNS_ZONE_TRANSFER);
	return type == TYPE_NULL ? THREAT(DNS_NULL_TYPE) : 0;
}

/* Where the names are in a record's data: the first's offset, how many. */
static u32 rdata_names(u16 type, u32 *first)
{
	*first = 0;
	switch (type) {
	case TYPE_NS:
	case TYPE_CNAME:
	case TYPE_PTR:
	case TYPE_DNAME:
		return 1;
	case TYPE_SOA:
		return 2;
	case TYPE_MX:
		*first = 2;
		return 1;
	case TYPE_SRV:
		*first = 6;
		return 1;
	}
	return 0;
}

/*
 * A whole message of @len bytes. Writes the QTYPE of its first question to
 * @qtype (0: none).
 */
static u64 message(const u8 *msg, u32 len, const struct cw_threat_limits *limits, u16 *qtype)
{
	struct dns_check chk = { .tunnel_len = limits->threshold[CW_THREAT_DNS_TUNNEL] };
	u32 qd, rr, off = DNS_HDR, names = 0;
	u64 found = 0;

	*qtype = 0;
	if (len < DNS_HDR)
		return 0;
	chk.tunnel = !(msg[2] & DNS_QR);
	qd = cw_get_be16(msg + 4);
	rr = (u32)cw_get_be16(msg + 6) + cw_get_be16(msg + 8) + cw_get_be16(msg + 10);
	for (; qd; qd--) {
		u16 type;

		if (++names > DNS_NAMES_MAX)
			return found;
		off = walk_name(msg, len, off, &chk, &found);
		if (!off || off + 4 > len)
			return found;
		type = cw_get_be16(msg + off);
		if (!*qtype)
			*qtype = type;
		if (chk.tunnel)
			found |= qtype_threats(type);
		off += 4;
	}
	chk.tunnel = false;
	for (; rr; rr--) {
		u32 end, first, count;
		u16 rdlen;

		if (++names > DNS_NAMES_MAX)
			return found;
		off = walk_name(msg, len, off, &chk, &found);
		if (!off || off + 10 > len)
			return found;
		rdlen = cw_get_be16(msg + off + 8);
		end = off + 10 + rdlen;
		if (end > len)
			return found;
		/* The names inside the data, each in it. */
		count = rdata_names(cw_get_be16(msg + off), &first);
		off += 10 + first;
		while (count-- && off < end) {
			if (++names > DNS_NAMES_MAX)
				return found;
			off = walk_name(msg, end, off, &chk, &found);
			if (!off)
				break;
		}
		off = end;
	}
	return found;
}

/* @size: the datagram's, of which @data holds the first @len bytes. */
static u64 udp(struct dns_state *st, const struct cw_threat_limits *limits,
	       const u8 *data, u32 len, u32 size)
{
	u64 found;
	u16 qtype;

	found = message(data, len, limits, &qtype);
	if (len < DNS_HDR)
		return found;
	if (!(data[2] & DNS_QR)) {
		st->query_len = size > 0xffff ? 0xffff : size;
		return found;
	}
	/* A response: its size against its query's, or ANY's when none was seen. */
	if (size >= DNS_BIG &&
	    (st->query_len ?
	     size >= (u64)limits->threshold[CW_THREAT_DNS_AMPLIFICATION] * st->query_len :
	     qtype == TYPE_ANY))
		found |= THREAT(DNS_AMPLIFICATION);
	return found;
}

/* A byte of a TCP message cut across chunks: its header and first question. */
static u64 stream_byte(struct dns_dir *d, u8 c, const struct cw_threat_limits *limits)
{
	struct dns_check chk = {
		.tunnel = d->query,
		.tunnel_len = limits->threshold[CW_THREAT_DNS_TUNNEL],
	};
	u64 found = 0;

	switch (d->phase) {
	case T_HEADER:
		if (d->off == 2)
			d->query = !(c & DNS_QR);
		else if (d->off == 4)
			d->hi = c;
		else if (d->off == 5)
			d->questions = d->hi || c;
		if (d->off == DNS_HDR - 1) {
			memset(&d->name, 0, sizeof(d->name));
			d->phase = d->questions ? T_NAME : T_SKIP;
		}
		break;
	case T_NAME:
		if (d->name.left)
			return name_char(&d->name, c, &chk);
		if ((c & 0xc0) == 0xc0) {
			d->hi = c;
			d->phase = T_POINTER;
		} else if (c & 0xc0) {
			found = THREAT(DNS_OVERSIZED_NAME);
			d->phase = T_SKIP;
		} else {
			found = name_label(&d->name, c, &chk);
			if (!c)
				d->phase = T_TYPE_HI;
		}
		break;
	case T_POINTER:
		/* The first question's labels start at DNS_HDR. */
		if (((d->hi & 0x3f) << 8 | c) >= DNS_HDR)
			found = THREAT(DNS_POINTER_LOOP);
		d->phase = T_TYPE_HI;
		break;
	case T_TYPE_HI:
		d->hi = c;
		d->phase = T_TYPE_LO;
		break;
	case T_TYPE_LO:
		if (d->query)
			found = qtype_threats(d->hi << 8 | c);
		d->phase = T_SKIP;
		break;
	}
	return found;
}

static u64 tcp(struct dns_dir *d, const struct cw_threat_limits *limits,
	       const u8 *data, u32 len)
{
	u64 found = 0;
	u32 i = 0;

	while (i < len) {
		u32 n = 1;
		u16 qtype;

		if (d->phase == T_PREFIX_HI) {
			d->msg_left = data[i++] << 8;
			d->phase = T_PREFIX_LO;
			continue;
		}
		if (d->phase == T_PREFIX_LO) {
			d->msg_left |= data[i++];
			d->off = 0;
			d->phase = d->msg_left ? T_HEADER : T_PREFIX_HI;
			continue;
		}
		if (d->phase == T_HEADER && !d->off && d->msg_left <= len - i) {
			/* Whole here: walked as a datagram would be. */
			found |= message(data + i, d->msg_left, limits, &qtype);
			n = d->msg_left;
		} else if (d->phase == T_SKIP) {
			n = d->msg_left < len - i ? d->msg_left : len - i;
		} else {
			found |= stream_byte(d, data[i], limits);
		}
		i += n;
		d->off += n;
		d->msg_left -= n;
		if (!d->msg_left)
			d->phase = T_PREFIX_HI;
	}
	return found;
}

static u64 scan(struct cw_threat_scan *s, const struct cw_threat_limits *limits,
		bool client, const u8 *data, u32 len, u32 now_ms)
{
	struct dns_state *st = CW_THREAT_STATE(s, struct dns_state);

	/* Over TCP, each direction from its start: a length prefix first. */
	if (s->l4 == IPPROTO_UDP)
		return udp(st, limits, data, len, s->datagram_len > len ? s->datagram_len : len);
	return tcp(&st->dir[!client], limits, data, len);
}

const struct cw_threat_checker cw_threat_dns = {
	.name = "dns",
	.app = CW_APP_DNS,
	.scan = scan,
};
