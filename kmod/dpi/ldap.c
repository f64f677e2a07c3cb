// SPDX-License-Identifier: GPL-2.0
/*
 * LDAP (RFC 4511 §4.2, BER as in X.690 §8.1): each message is a SEQUENCE
 * of a messageID INTEGER and an operation, tagged [APPLICATION n]. The
 * client speaks first. Extracts its first operation (detail: "bind",
 * "search", "starttls"...) and the DN of a simple bind (name).
 */

#include "parsers.h"

#define TAG_SEQUENCE	0x30
#define TAG_INTEGER	0x02
#define TAG_OCTETS	0x04
#define TAG_SIMPLE	0x80	/* bind's authentication [0], extended's requestName [0] */
#define OP_BIND		0x60
#define OP_EXTENDED	0x77
#define MSG_MIN		7	/* the shortest message: an unbind */
#define LDAP_MSG_MAX	(1 << 24)	/* larger first messages are not LDAP's */

/* RFC 4511 §4.7: StartTLS's requestName. */
static const char starttls_oid[] = "1.3.6.1.4.1.1466.20037";

static const char *op_name(u8 tag)
{
	switch (tag) {
	case OP_BIND: return "bind";
	case 0x42: return "unbind";
	case 0x63: return "search";
	case 0x66: return "modify";
	case 0x68: return "add";
	case 0x4a: return "delete";
	case 0x6c: return "moddn";
	case 0x6e: return "compare";
	case 0x50: return "abandon";
	case OP_EXTENDED: return "extended";
	}
	return NULL;
}

/*
 * A BER length at @p (short, or long in 1 to 4 bytes): its size in bytes,
 * 0 when more bytes are needed, -1 when malformed.
 */
static int ber_len(const u8 *p, u32 avail, u32 *value)
{
	u32 n, i;

	if (!avail)
		return 0;
	if (p[0] < 0x80) {
		*value = p[0];
		return 1;
	}
	n = p[0] & 0x7f;
	if (!n || n > 4)
		return -1;
	if (avail < n + 1)
		return 0;
	for (*value = 0, i = 1; i <= n; i++)
		*value = *value << 8 | p[i];
	return n + 1;
}

/*
 * The stream's first message: a SEQUENCE whose length holds a positive
 * messageID of 1 to 4 bytes and a request whose own length fits in it.
 */
static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 seq_len, id_len, op_len, off;
	int n;

	if (d->inspected[!client] || data[0] != TAG_SEQUENCE)
		return CW_DPI_NO;
	n = ber_len(data + 1, len - 1, &seq_len);
	if (n < 0 || (n && (seq_len < MSG_MIN - 2 || seq_len > LDAP_MSG_MAX)))
		return CW_DPI_NO;
	off = 1 + n;
	if (!n || len < off + 3)
		return CW_DPI_MORE;
	id_len = data[off + 1];
	if (data[off] != TAG_INTEGER || !id_len || id_len > 4 || data[off + 2] & 0x80)
		return CW_DPI_NO;
	off += 2 + id_len;
	if (len < off + 1)
		return CW_DPI_MORE;
	if (!op_name(data[off]))
		return CW_DPI_NO;
	n = ber_len(data + off + 1, len - off - 1, &op_len);
	if (n < 0)
		return CW_DPI_NO;
	if (!n)
		return CW_DPI_MORE;
	/* The operation (controls may follow it) within the SEQUENCE. */
	if (op_len > seq_len || 2 + id_len + 1 + n + op_len > seq_len)
		return CW_DPI_NO;
	return CW_DPI_YES;
}

enum { S_SEQ, S_ID, S_OP, S_VERSION, S_DN, S_AUTH, S_OID, S_DONE };
enum { P_TAG, P_LEN, P_LEN_MORE, P_SKIP, P_VALUE };

/* A walk of the first message's TLVs, one byte at a time. */
struct ldap_state {
	u8 step;	/* which TLV: S_* */
	u8 phase;	/* where in it: P_* */
	u8 len_bytes;	/* long form: length bytes left */
	u8 op;
	u8 oid_match;	/* the requestName is StartTLS's so far */
	u32 len;	/* the TLV's length, then its bytes left */
};

static void set_detail(struct cw_dpi_info *info, const char *s)
{
	info->detail_len = 0;
	cw_dpi_detail_put(info, (const u8 *)s, strlen(s));
}

/* A TLV's length is known: go into it, over it, or on to the next. */
static void value(struct ldap_state *s, struct cw_dpi_info *info)
{
	switch (s->step) {
	case S_SEQ:
		s->step = S_ID;
		s->phase = P_TAG;
		return;
	case S_ID:
	case S_VERSION:
		s->phase = P_SKIP;
		break;
	case S_OP:
		if (s->op == OP_BIND) {
			s->step = S_VERSION;
		} else if (s->op == OP_EXTENDED) {
			s->step = S_OID;
		} else {
			s->step = S_DONE;
			return;
		}
		s->phase = P_TAG;
		return;
	case S_DN:
	case S_OID:
		s->phase = P_VALUE;
		s->oid_match = s->len == sizeof(starttls_oid) - 1;
		break;
	}
	if (!s->len) {
		/* Empty: the next TLV, or the end of the OID. */
		if (s->step == S_OID) {
			s->step = S_DONE;
			return;
		}
		s->step++;
		s->phase = P_TAG;
	}
}

static void feed_byte(struct ldap_state *s, struct cw_dpi_info *info, u8 c)
{
	static const u8 tags[] = {
		[S_SEQ] = TAG_SEQUENCE, [S_ID] = TAG_INTEGER, [S_VERSION] = TAG_INTEGER,
		[S_DN] = TAG_OCTETS, [S_OID] = TAG_SIMPLE,
	};

	switch (s->phase) {
	case P_TAG:
		if (s->step == S_OP) {
			s->op = c;
			set_detail(info, op_name(c) ?: "?");
		} else if (s->step == S_AUTH) {
			/* Only a simple bind's DN names someone: SASL's may not. */
			if (c != TAG_SIMPLE) {
				info->name_len = 0;
				info->name[0] = '\0';
				info->truncated = 0;
			}
			s->step = S_DONE;
			return;
		} else if (c != tags[s->step]) {
			s->step = S_DONE;
			return;
		}
		s->phase = P_LEN;
		break;
	case P_LEN:
		if (c < 0x80) {
			s->len = c;
			value(s, info);
		} else if (c > 0x80 && c <= 0x84) {
			s->len = 0;
			s->len_bytes = c & 0x7f;
			s->phase = P_LEN_MORE;
		} else {
			s->step = S_DONE;
		}
		break;
	case P_LEN_MORE:
		s->len = s->len << 8 | c;
		if (!--s->len_bytes)
			value(s, info);
		break;
	case P_SKIP:
	case P_VALUE:
		if (s->phase == P_VALUE && s->step == S_DN) {
			cw_dpi_name_put(info, c >= 0x20 && c < 0x7f ? c : '?');
		} else if (s->phase == P_VALUE) {
			u32 i = sizeof(starttls_oid) - 1 - s->len;

			if (i >= sizeof(starttls_oid) - 1 || c != (u8)starttls_oid[i])
				s->oid_match = 0;
		}
		if (--s->len)
			break;
		if (s->step == S_OID) {
			if (s->oid_match)
				set_detail(info, "starttls");
			s->step = S_DONE;
			break;
		}
		s->step++;
		s->phase = P_TAG;
		break;
	}
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct ldap_state *s = CW_DPI_STATE(d, struct ldap_state);
	u32 i;

	if (!client)
		return s->step == S_DONE ? CW_DPI_YES : CW_DPI_MORE;
	for (i = 0; i < len && s->step != S_DONE; i++)
		feed_byte(s, info, data[i]);
	return s->step == S_DONE ? CW_DPI_YES : CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_ldap = {
	.name = "ldap",
	.app = CW_APP_LDAP,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
