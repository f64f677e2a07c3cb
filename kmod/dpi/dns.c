// SPDX-License-Identifier: GPL-2.0
/*
 * DNS (RFC 1035 §4): a 12-byte header, then one question. Over UDP a
 * datagram is a message; over TCP each message has a 2-byte length prefix
 * (§4.2.2). Extracts the question name and type and the RCODE of the first
 * response; detail is the type's mnemonic, then the RCODE's unless it is
 * NOERROR: "A", "AAAA NXDOMAIN", "TYPE65534". Also cw_dns_response()
 * (dns.h), for the kernel's DNS snooping.
 */

#include "parsers.h"
#include "dns.h"

#define DNS_HDR		12
#define DNS_RR_MIN	11	/* a root owner name and type, class, TTL, rdlength */
#define DNS_QUESTION_MIN 5	/* the root name, QTYPE, QCLASS */
#define DNS_NAME_MAX	255	/* wire bytes of a name, length bytes included (§2.3.4) */
#define DNS_JUMPS_MAX	16	/* compression pointers followed in one name */

#define DNS_QR		0x8000
#define DNS_Z		0x0040
#define DNS_TYPE_A	1
#define DNS_TYPE_AAAA	28
#define DNS_CLASS_IN	1

enum { NEED_MORE = 0, BAD = -1 };

/* A byte a label may hold in a name we report: no separator, no control. */
static bool label_char_ok(u8 c)
{
	return c > 0x20 && c < 0x7f && c != '.';
}

/*
 * The header of a message of @msg_len bytes (§4.1.1): one question, an
 * opcode in use (QUERY, STATUS, NOTIFY, UPDATE: RFC 3425 retired IQUERY),
 * Z clear, and as many records as could fit.
 */
static bool header_ok(const u8 *h, u32 msg_len)
{
	u16 flags = cw_get_be16(h + 2);
	u32 an = cw_get_be16(h + 6), ns = cw_get_be16(h + 8), ar = cw_get_be16(h + 10);
	u8 opcode = flags >> 11 & 0xf;

	if (msg_len < DNS_HDR + DNS_QUESTION_MIN || cw_get_be16(h + 4) != 1)
		return false;
	if (flags & DNS_Z || (opcode != 0 && opcode != 2 && opcode != 4 && opcode != 5))
		return false;
	if (flags & DNS_QR) {
		if ((flags & 0xf) > 11)	/* RCODEs assigned for the header */
			return false;
	} else {
		/*
		 * A query asks: no error, and records only for NOTIFY and
		 * UPDATE, but for IXFR's SOA (RFC 1995 §3) in a QUERY.
		 */
		if (flags & 0xf || (an && opcode < 4) || (ns > (opcode ? 0 : 1) && opcode != 5))
			return false;
	}
	return (an + ns + ar) * DNS_RR_MIN <= msg_len - DNS_HDR - DNS_QUESTION_MIN;
}

/*
 * The question at @off of the first @len bytes of a message: a name,
 * QTYPE, QCLASS. Returns the offset after it, NEED_MORE when @len ends
 * first, or BAD. Nothing precedes the name to point to, labels are at
 * most 63 bytes and names 255 (§2.3.4), but attacks break those rules
 * and the threat checks must see them: a pointer ends the name, a label
 * type of no meaning (01, 10) is taken as a long label.
 */
static int question(const u8 *msg, u32 len, u32 off)
{
	u32 i;
	u16 qclass;

	for (;;) {
		u8 c;

		if (off >= len)
			return NEED_MORE;
		c = msg[off++];
		if (!c)
			break;
		if ((c & 0xc0) == 0xc0) {
			if (off >= len)
				return NEED_MORE;
			off++;
			break;
		}
		for (i = 0; i < c; i++, off++) {
			if (off >= len)
				return NEED_MORE;
			/* Any byte is legal (RFC 2181 §11), but names in use are text. */
			if (msg[off] < 0x20 || msg[off] == 0x7f)
				return BAD;
		}
	}
	if (off + 4 > len)
		return len - off >= 2 && !cw_get_be16(msg + off) ? BAD : NEED_MORE;
	qclass = cw_get_be16(msg + off + 2) & 0x7fff;	/* mDNS: the QU bit */
	if (!cw_get_be16(msg + off) ||
	    (qclass != 1 && qclass != 3 && qclass != 4 && qclass != 254 && qclass != 255))
		return BAD;
	return off + 4;
}

/* Skips the name at @off without following pointers: the offset after it. */
static int skip_name(const u8 *msg, u32 len, u32 off)
{
	u32 wire = 0;

	for (;;) {
		u8 c;

		if (off >= len)
			return BAD;
		c = msg[off];
		if ((c & 0xc0) == 0xc0) {
			/* Compression points back into what came before (§4.1.4). */
			if (off + 2 > len || (u32)((c & 0x3f) << 8 | msg[off + 1]) >= off)
				return BAD;
			return off + 2;
		}
		if (c & 0xc0)
			return BAD;
		off += 1 + c;
		if (!c)
			return off;
		wire += c + 1;
		if (wire + 1 > DNS_NAME_MAX)
			return BAD;
	}
}

/* The records after the question at @off fill a message of @len exactly. */
static bool records_ok(const u8 *msg, u32 len, u32 off)
{
	u32 n = (u32)cw_get_be16(msg + 6) + cw_get_be16(msg + 8) + cw_get_be16(msg + 10);
	int end;

	while (n--) {
		end = skip_name(msg, len, off);
		if (end < 0 || (u32)end + 10 > len)
			return false;
		off = end + 10;
		if (cw_get_be16(msg + off - 2) > len - off)
			return false;
		off += cw_get_be16(msg + off - 2);
	}
	return off == len;
}

/*
 * The message in @msg, of @msg_len bytes of which @len are here: YES when
 * whole and well-formed or when the part here is and can decide, MORE when
 * it is too short to, else NO.
 */
static enum cw_dpi_result message(const u8 *msg, u32 msg_len, u32 len)
{
	int end;

	if (len < DNS_HDR)
		return CW_DPI_MORE;
	if (!header_ok(msg, msg_len))
		return CW_DPI_NO;
	end = question(msg, len < msg_len ? len : msg_len, DNS_HDR);
	if (end == BAD)
		return CW_DPI_NO;
	if (len >= msg_len)
		return end > 0 && records_ok(msg, msg_len, end) ? CW_DPI_YES : CW_DPI_NO;
	return CW_DPI_MORE;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	enum cw_dpi_result r;

	if (d->l4 == IPPROTO_UDP)
		return message(data, len, len) == CW_DPI_YES ? CW_DPI_YES : CW_DPI_NO;

	/* TCP: the length prefix, then the message, from the stream's start. */
	if (d->inspected[!client])
		return CW_DPI_NO;
	if (len < 2)
		return CW_DPI_MORE;
	r = message(data + 2, cw_get_be16(data), len - 2);
	/* A full head of a message that is well-formed so far is enough. */
	if (r == CW_DPI_MORE && len >= CW_DPI_HEAD)
		return CW_DPI_YES;
	return r;
}

enum { D_HEADER, D_LABEL_LEN, D_LABEL, D_QTYPE, D_IGNORE };

/* Where a direction is in its first message (TCP) or its datagram (UDP). */
struct dns_dir {
	u8 phase;
	u8 pos;		/* bytes of the prefix and header, then of QTYPE, seen */
	u8 left;	/* bytes left in the current label */
	u8 wire;	/* bytes of the name seen, length bytes included */
	u8 flags[2];	/* the header's flags */
};

struct dns_state {
	struct dns_dir dir[2];
	u8 name_dir;	/* 1 + the direction the name comes from, 0: none yet */
	u8 name_done;	/* the question name and type were taken */
	u8 rcode_done;	/* a response was seen */
	u8 qtype[2];
};

/* QTYPE mnemonics (IANA DNS parameters): the common ones. */
static const struct {
	u16 type;
	char name[7];
} qtypes[] = {
	{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" },
	{ 13, "HINFO" }, { 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" }, { 33, "SRV" },
	{ 35, "NAPTR" }, { 43, "DS" }, { 46, "RRSIG" }, { 47, "NSEC" },
	{ 48, "DNSKEY" }, { 52, "TLSA" }, { 64, "SVCB" }, { 65, "HTTPS" },
	{ 99, "SPF" }, { 251, "IXFR" }, { 252, "AXFR" }, { 255, "ANY" },
	{ 257, "CAA" },
};

/* RCODEs 1 to 11, those header_ok() lets through (RFC 6895 §2.3). */
static const char rcodes[11][10] = {
	"FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
	"YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI",
};

static void detail_str(struct cw_dpi_info *info, const char *s)
{
	cw_dpi_detail_put(info, (const u8 *)s, strlen(s));
}

/* "@prefix@n" in decimal: the form of RFC 3597 §5 for unknown types. */
static void detail_num(struct cw_dpi_info *info, const char *prefix, u16 n)
{
	u8 digits[5];
	unsigned int i = 0;

	detail_str(info, prefix);
	do {
		digits[i++] = '0' + n % 10;
		n /= 10;
	} while (n && i < sizeof(digits));
	while (i--)
		cw_dpi_detail_put(info, &digits[i], 1);
}

/* Detail, rewritten whole: the QTYPE, then the RCODE but NOERROR's. */
static void detail_update(const struct dns_state *s, struct cw_dpi_info *info)
{
	unsigned int i;

	info->detail_len = 0;
	info->detail[0] = '\0';
	if (info->dns_type) {
		for (i = 0; i < sizeof(qtypes) / sizeof(qtypes[0]); i++)
			if (qtypes[i].type == info->dns_type)
				break;
		if (i < sizeof(qtypes) / sizeof(qtypes[0]))
			detail_str(info, qtypes[i].name);
		else
			detail_num(info, "TYPE", info->dns_type);
	}
	if (!s->rcode_done || !info->dns_rcode)
		return;
	if (info->detail_len)
		detail_str(info, " ");
	if (info->dns_rcode <= 11)
		detail_str(info, rcodes[info->dns_rcode - 1]);
	else
		detail_num(info, "RCODE", info->dns_rcode);
}

/* The header is whole: the RCODE of a first response; whose name to take. */
static void header_done(struct dns_state *s, struct cw_dpi_info *info, unsigned int dir)
{
	struct dns_dir *p = &s->dir[dir];

	if (p->flags[0] & DNS_QR >> 8 && !s->rcode_done) {
		info->dns_rcode = p->flags[1] & 0xf;
		s->rcode_done = 1;
		detail_update(s, info);
	}
	if (s->name_dir && s->name_dir != dir + 1) {
		p->phase = D_IGNORE;
		return;
	}
	s->name_dir = dir + 1;
	p->phase = s->name_done ? D_IGNORE : D_LABEL_LEN;
}

/* The name ended, well or not: it is taken as it is. */
static void name_done(struct dns_state *s, struct dns_dir *p)
{
	s->name_done = 1;
	p->phase = D_IGNORE;
}

static void feed_byte(struct dns_state *s, struct cw_dpi_info *info, unsigned int dir,
		      u8 c, u8 hdr_len)
{
	struct dns_dir *p = &s->dir[dir];

	switch (p->phase) {
	case D_HEADER:
		/* The flags are at 2 in the header, after the prefix if any. */
		if (p->pos == hdr_len - DNS_HDR + 2 || p->pos == hdr_len - DNS_HDR + 3)
			p->flags[p->pos - (hdr_len - DNS_HDR + 2)] = c;
		if (++p->pos == hdr_len)
			header_done(s, info, dir);
		break;
	case D_LABEL_LEN:
		if (!c) {
			p->phase = D_QTYPE;
			p->pos = 0;
			break;
		}
		if (c > 63 || p->wire + c + 2 > DNS_NAME_MAX) {
			name_done(s, p);
			break;
		}
		if (p->wire)
			cw_dpi_name_put(info, '.');
		p->wire += c + 1;
		p->left = c;
		p->phase = D_LABEL;
		break;
	case D_LABEL:
		cw_dpi_name_put(info, label_char_ok(c) ? c : '?');
		if (!--p->left)
			p->phase = D_LABEL_LEN;
		break;
	case D_QTYPE:
		s->qtype[p->pos++] = c;
		if (p->pos == 2) {
			info->dns_type = cw_get_be16(s->qtype);
			name_done(s, p);
			detail_update(s, info);
		}
		break;
	}
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct dns_state *s = CW_DPI_STATE(d, struct dns_state);
	unsigned int dir = !client;
	struct dns_dir *p = &s->dir[dir];
	u8 hdr_len = DNS_HDR;
	u32 i;

	if (d->l4 == IPPROTO_UDP) {
		/* Each datagram is a message: only whole, well-formed ones count. */
		if (message(data, len, len) != CW_DPI_YES)
			return CW_DPI_MORE;
		memset(p, 0, sizeof(*p));
	} else {
		hdr_len += 2;
	}
	for (i = 0; i < len && p->phase != D_IGNORE; i++)
		feed_byte(s, info, dir, data[i], hdr_len);
	return s->name_done && s->rcode_done ? CW_DPI_YES : CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_dns = {
	.name = "dns",
	.app = CW_APP_DNS,
	.transports = CW_DPI_TCP | CW_DPI_UDP,
	.probe = probe,
	.feed = feed,
};

/*
 * The name at @off, following pointers, each to before the last one's
 * target so that none loops. Writes it to @out (if not NULL) as dotted
 * text; returns the offset after the name where it starts, or BAD.
 */
static int read_name(const u8 *msg, u32 len, u32 off, char *out, u32 out_size)
{
	u32 limit = off, end = 0, wire = 0, n = 0, jumps = 0, i;

	for (;;) {
		u8 c;

		if (off >= len)
			return BAD;
		c = msg[off];
		if ((c & 0xc0) == 0xc0) {
			u32 target;

			if (off + 2 > len)
				return BAD;
			target = (c & 0x3f) << 8 | msg[off + 1];
			if (!end)
				end = off + 2;
			if (target >= limit || ++jumps > DNS_JUMPS_MAX)
				return BAD;
			limit = target;
			off = target;
			continue;
		}
		if (c & 0xc0)
			return BAD;
		if (!c)
			break;
		wire += c + 1;
		if (wire + 1 > DNS_NAME_MAX || c > len - off - 1)
			return BAD;
		if (out) {
			/* A dot and the label, and room for the NUL. */
			if (n + !!n + c + 1 > out_size)
				return BAD;
			if (n)
				out[n++] = '.';
			for (i = 1; i <= c; i++) {
				u8 b = msg[off + i];

				if (!label_char_ok(b))
					return BAD;
				out[n++] = b >= 'A' && b <= 'Z' ? b + 'a' - 'A' : b;
			}
		}
		off += 1 + c;
	}
	if (out) {
		if (!out_size)
			return BAD;
		out[n] = '\0';
	}
	return end ? end : off + 1;
}

int cw_dns_response(const u8 *data, u32 len, char *name, u32 name_size,
		    struct cw_dns_answer *answers, unsigned int max)
{
	u32 an, off, ttl;
	unsigned int found = 0;
	int end;

	if (len < DNS_HDR || !(data[2] & DNS_QR >> 8) || (data[2] >> 3 & 0xf) ||
	    (data[3] & 0xf) || cw_get_be16(data + 4) != 1)
		return -1;
	end = read_name(data, len, DNS_HDR, name, name_size);
	if (end < 0 || (u32)end + 4 > len)
		return -1;
	off = end + 4;

	/* The A and AAAA records of the answer section, CNAME chains' included. */
	for (an = cw_get_be16(data + 6); an; an--) {
		u16 type, class, rdlen;

		end = read_name(data, len, off, NULL, 0);
		if (end < 0 || (u32)end + 10 > len)
			return -1;
		off = end;
		type = cw_get_be16(data + off);
		class = cw_get_be16(data + off + 2) & 0x7fff;	/* mDNS: cache flush */
		ttl = cw_get_be32(data + off + 4);
		rdlen = cw_get_be16(data + off + 8);
		off += 10;
		if (rdlen > len - off)
			return -1;
		if (class == DNS_CLASS_IN && (type == DNS_TYPE_A || type == DNS_TYPE_AAAA)) {
			u8 size = type == DNS_TYPE_A ? 4 : 16;

			if (rdlen != size)
				return -1;
			if (found < max) {
				struct cw_dns_answer *a = &answers[found++];

				memset(a, 0, sizeof(*a));
				a->family = size == 4 ? 4 : 6;
				memcpy(a->addr, data + off, size);
				a->ttl = ttl & 0x80000000 ? 0 : ttl;
			}
		}
		off += rdlen;
	}
	return found;
}
