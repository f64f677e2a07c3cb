// SPDX-License-Identifier: GPL-2.0
/*
 * TLS and SSL: each direction's records (RFC 5246 §6.2, RFC 8446 §5.1), in
 * the clear until its ChangeCipherSpec or its first encrypted record:
 *  - heartbeats (RFC 6520 §4) whose payload_length, with its type, length
 *    and 16 bytes of padding, claims more than the record holds: Heartbleed
 *    (CVE-2014-0160);
 *  - the versions of ClientHello (the highest offered, supported_versions
 *    included, RFC 8446 §4.2.1) and ServerHello (the one selected);
 *  - SSL 2.0 records (2-byte header, top bit set): CLIENT-HELLO and
 *    SERVER-HELLO, their lengths, and CLIENT-MASTER-KEY's key_arg_length
 *    (CVE-2002-0656). An SSL 2.0 CLIENT-HELLO that offers 3.x is the
 *    compatible hello of old clients (RFC 5246 Appendix E.2): records of
 *    3.x follow.
 */

#include "threat.h"

#define REC_CCS 20
#define REC_HANDSHAKE 22
#define REC_APP_DATA 23
#define REC_HEARTBEAT 24
/* RFC 5246 §6.2.3: 2^14 bytes and 2048 of expansion. */
#define REC_MAX (16384 + 2048)

#define HS_CLIENT_HELLO 1
#define HS_SERVER_HELLO 2
#define EXT_SUPPORTED_VERSIONS 43

/* SSL 2.0 message types and the header bytes read of each. */
#define V2_CLIENT_HELLO 1
#define V2_CLIENT_MASTER_KEY 2
#define V2_SERVER_HELLO 4
#define V2_HEAD 10

/* RFC 6520 §4: at least 16 bytes of padding follow the payload. */
#define HB_HEAD 3
#define HB_PADDING 16

/* A direction's records: not seen yet, TLS, SSL 2.0, no more to check. */
enum { M_START, M_TLS, M_SSL2, M_DONE };

/*
 * Where a direction's handshake stream is: a fixed field of "need" bytes
 * (value in val), or a run of val bytes gone over in place ("skip").
 */
enum {
	H_TYPE,
	H_LENGTH,
	H_SKIP,			/* skip: the rest of the message */
	H_VERSION,
	H_RANDOM,		/* skip */
	H_SID_LEN,
	H_SID,			/* skip */
	H_SUITES_LEN,		/* ClientHello */
	H_SUITES,		/* skip; ServerHello: its suite and compression */
	H_COMP_LEN,
	H_COMP,			/* skip */
	H_EXTS_LEN,
	H_EXT_TYPE,
	H_EXT_LEN,
	H_EXT,			/* skip */
	H_VERSIONS_LEN,
	H_VERSION_ITEM,
};

/* A direction. SSL 2.0 has no handshake stream: its header uses those fields. */
struct tls_dir {
	u32 val;		/* the field being read, or the bytes to skip */
	u32 msg_left;		/* bytes left in the message; SSL 2.0: lengths summed */
	u16 rec_left;		/* bytes left in the record */
	u16 list_left;		/* in supported_versions (its type first); SSL 2.0: specs */
	u16 version;		/* the highest offered, or the one selected */
	u16 hb_len;		/* a heartbeat's payload_length */
	u8 rec_type;
	u8 rec_pos;		/* header bytes seen; 5 (SSL 2.0: 2): in the record */
	u8 head;		/* bytes of a heartbeat's or SSL 2.0 message's header seen */
	u8 mode;
	u8 step;
	u8 need;		/* bytes of the field still to read */
	u8 hello;		/* the type of the message being read */
};

struct tls_state {
	struct tls_dir dir[2];
};

/* GREASE (RFC 8701 §2): 0x0a0a, 0x1a1a... 0xfafa, never a real version. */
static bool grease(u32 v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* The hello was read whole: what its version says. */
static u64 hello_done(const struct tls_dir *d)
{
	if (d->version <= 0x0300)
		return CW_THREAT_BIT(CW_THREAT_SSL_V3);
	if (d->hello == HS_SERVER_HELLO && d->version <= 0x0302)
		return CW_THREAT_BIT(CW_THREAT_TLS_OLD_VERSION);
	return 0;
}

/* A fixed field of @need bytes next, if the message holds it. */
static bool expect(struct tls_dir *d, u8 step, u8 need)
{
	if (d->msg_left < need)
		return false;
	d->step = step;
	d->need = need;
	d->val = 0;
	return true;
}

/* @count bytes to go over next, if the message holds them. */
static bool skip(struct tls_dir *d, u8 step, u32 count)
{
	if (d->msg_left < count)
		return false;
	d->step = step;
	d->val = count;
	return true;
}

static bool is_skip(u8 step)
{
	return step == H_SKIP || step == H_RANDOM || step == H_SID || step == H_SUITES ||
	       step == H_COMP || step == H_EXT;
}

/* The next extension, or the end of the hello. */
static bool next_ext(struct tls_dir *d, u64 *found)
{
	if (!d->msg_left) {
		*found |= hello_done(d);
		d->step = H_TYPE;
		d->need = 1;
		d->val = 0;
		return true;
	}
	return expect(d, H_EXT_TYPE, 2);
}

/*
 * A field is whole (or gone over): sets what follows; false when the
 * message's lengths do not fit, and the rest of it is skipped.
 */
static bool field_done(struct tls_dir *d, u64 *found)
{
	bool client = d->hello == HS_CLIENT_HELLO;

	switch (d->step) {
	case H_TYPE:
		d->hello = d->val;
		d->step = H_LENGTH;
		d->need = 3;
		d->val = 0;
		return true;
	case H_LENGTH:
		d->msg_left = d->val;
		if (d->hello != HS_CLIENT_HELLO && d->hello != HS_SERVER_HELLO)
			return false;
		return expect(d, H_VERSION, 2);
	case H_SKIP:
		d->step = H_TYPE;
		d->need = 1;
		d->val = 0;
		return true;
	case H_VERSION:
		d->version = d->val;
		return skip(d, H_RANDOM, 32);
	case H_RANDOM:
		return expect(d, H_SID_LEN, 1);
	case H_SID_LEN:
		return d->val <= 32 && skip(d, H_SID, d->val);
	case H_SID:
		if (client)
			return expect(d, H_SUITES_LEN, 2);
		/* ServerHello: cipher_suite and compression_method. */
		return skip(d, H_COMP, 3);
	case H_SUITES_LEN:
		return skip(d, H_SUITES, d->val);
	case H_SUITES:
		return expect(d, H_COMP_LEN, 1);
	case H_COMP_LEN:
		return skip(d, H_COMP, d->val);
	case H_COMP:
		/* Extensions are optional before TLS 1.3. */
		if (!d->msg_left)
			return next_ext(d, found);
		return expect(d, H_EXTS_LEN, 2);
	case H_EXTS_LEN:
		/* They fill the rest of the hello. */
		return d->val == d->msg_left && next_ext(d, found);
	case H_EXT_TYPE:
		d->list_left = d->val;	/* the type, until its length is read */
		return expect(d, H_EXT_LEN, 2);
	case H_EXT_LEN:
		if (d->list_left != EXT_SUPPORTED_VERSIONS)
			return skip(d, H_EXT, d->val);
		if (d->val > d->msg_left)
			return false;
		/* ClientHello: a list of versions; ServerHello: the one chosen. */
		if (client) {
			d->list_left = d->val;
			return d->list_left >= 1 && expect(d, H_VERSIONS_LEN, 1);
		}
		d->list_left = 2;
		return d->val == 2 && expect(d, H_VERSION_ITEM, 2);
	case H_EXT:
		return next_ext(d, found);
	case H_VERSIONS_LEN:
		/* The list fills the extension, in versions of 2 bytes. */
		if (d->val != d->list_left - 1u || d->val % 2)
			return false;
		d->list_left = d->val;
		if (!d->list_left)
			return next_ext(d, found);
		return expect(d, H_VERSION_ITEM, 2);
	case H_VERSION_ITEM:
		if (!client)
			d->version = d->val;
		else if (!grease(d->val) && d->val > d->version)
			d->version = d->val;
		d->list_left -= 2;
		if (!d->list_left)
			return next_ext(d, found);
		return expect(d, H_VERSION_ITEM, 2);
	}
	return false;
}

/* Handshake bytes of a record: the messages they carry, cut anywhere. */
static u64 handshake(struct tls_dir *d, const u8 *data, u32 len)
{
	u64 found = 0;
	u32 i = 0;

	while (i < len) {
		u32 n = 1;

		if (is_skip(d->step)) {
			n = d->val < len - i ? d->val : len - i;
			d->val -= n;
		} else {
			d->val = d->val << 8 | data[i];
			d->need--;
		}
		i += n;
		/* The handshake header is outside the message. */
		if (d->step > H_LENGTH)
			d->msg_left -= n;
		/* Fields of no bytes (an empty extension) are over at once. */
		while (is_skip(d->step) ? !d->val : !d->need)
			if (!field_done(d, &found))
				skip(d, H_SKIP, d->msg_left);
	}
	return found;
}


/* A byte of a heartbeat record, rec_left the bytes after it. */
static u64 heartbeat(struct tls_dir *d, u8 c)
{
	if (d->head++)
		d->hb_len = d->hb_len << 8 | c;
	if (d->head == HB_HEAD && (u32)d->hb_len + HB_PADDING > d->rec_left)
		return CW_THREAT_BIT(CW_THREAT_TLS_HEARTBLEED);
	return 0;
}

/* Records of SSL 3.0 and TLS; false once the direction is done. */
static bool tls_records(struct tls_dir *d, const u8 *data, u32 len, u64 *found)
{
	u32 i = 0;

	while (i < len) {
		u32 n;

		if (d->rec_pos < 5) {
			u8 c = data[i++];

			if (d->rec_pos == 0) {
				d->rec_type = c;
				if (c < REC_CCS || c > REC_HEARTBEAT)
					return false;
			} else if (d->rec_pos == 1 && c != 3) {
				return false;
			} else if (d->rec_pos >= 3) {
				d->rec_left = d->rec_left << 8 | c;
			}
			if (++d->rec_pos < 5)
				continue;
			/* The handshake is over, or encrypted from here (TLS 1.3). */
			if (d->rec_type == REC_CCS || d->rec_type == REC_APP_DATA ||
			    d->rec_left > REC_MAX)
				return false;
			d->head = 0;
			d->hb_len = 0;
			if (!d->rec_left)
				d->rec_pos = 0;
			continue;
		}
		if (d->rec_type == REC_HEARTBEAT && d->head < HB_HEAD) {
			d->rec_left--;
			*found |= heartbeat(d, data[i++]);
		} else {
			n = d->rec_left < len - i ? d->rec_left : len - i;
			if (d->rec_type == REC_HANDSHAKE)
				*found |= handshake(d, data + i, n);
			i += n;
			d->rec_left -= n;
		}
		if (!d->rec_left)
			d->rec_pos = 0;
	}
	return true;
}

/* A byte of an SSL 2.0 message's header, rec_left the bytes after it. */
static u64 ssl2_head(struct tls_dir *d, u8 c)
{
	u8 pos = d->head++;
	u32 field;

	d->val = d->val << 8 | c;
	field = d->val & 0xffff;
	if (pos == 0) {
		d->hello = c;
		return c == V2_SERVER_HELLO ? CW_THREAT_BIT(CW_THREAT_SSL_V2) : 0;
	}
	if (d->hello == V2_CLIENT_MASTER_KEY) {
		/* CIPHER-KIND[3], CLEAR-KEY-, ENCRYPTED-KEY-, KEY-ARG-LENGTH. */
		if (pos == 9 && field > 8)
			return CW_THREAT_BIT(CW_THREAT_SSL_V2_CIPHER_OVERFLOW);
		return 0;
	}
	if (d->hello != V2_CLIENT_HELLO)
		return 0;
	/* VERSION, CIPHER-SPECS-, SESSION-ID-, CHALLENGE-LENGTH. */
	switch (pos) {
	case 2:
		d->version = field;
		if (field == 0x0002)
			return CW_THREAT_BIT(CW_THREAT_SSL_V2);
		return field <= 0x0300 ? CW_THREAT_BIT(CW_THREAT_SSL_V3) : 0;
	case 4:
		d->list_left = field;
		return 0;
	case 6:
		d->msg_left = d->list_left + field;
		return 0;
	case 8:
		if (d->list_left % 3 || field < 16 || field > 32 ||
		    d->msg_left + field > d->rec_left)
			return CW_THREAT_BIT(CW_THREAT_SSL_V2_CIPHER_OVERFLOW);
		return 0;
	}
	return 0;
}

/* Records of SSL 2.0 (2-byte headers); false once the direction is done. */
static bool ssl2_records(struct tls_dir *d, const u8 *data, u32 len, u32 *used, u64 *found)
{
	u32 i = 0;

	while (i < len) {
		u32 n;

		if (d->rec_pos < 2) {
			u8 c = data[i++];

			/* A 3-byte header (padding) is encrypted: too late. */
			if (d->rec_pos == 0 && !(c & 0x80))
				return false;
			d->rec_left = d->rec_left << 8 | (d->rec_pos ? c : c & 0x7f);
			if (++d->rec_pos < 2)
				continue;
			d->head = 0;
			d->hello = 0;
		} else if (d->head < V2_HEAD) {
			d->rec_left--;
			*found |= ssl2_head(d, data[i++]);
		} else {
			n = d->rec_left < len - i ? d->rec_left : len - i;
			i += n;
			d->rec_left -= n;
		}
		if (d->rec_pos < 2 || d->rec_left)
			continue;
		/* The record is over: what follows it. */
		d->rec_pos = 0;
		if (d->hello != V2_CLIENT_HELLO)
			return false;
		if (d->version != 0x0002) {
			/* A compatible hello: records of 3.x follow. */
			d->mode = M_TLS;
			d->step = H_TYPE;
			d->need = 1;
			d->val = 0;
			*used = i;
			return true;
		}
	}
	*used = i;
	return true;
}

static u64 scan(struct cw_threat_scan *s, const struct cw_threat_limits *limits,
		bool client, const u8 *data, u32 len, u32 now_ms)
{
	struct tls_state *st = CW_THREAT_STATE(s, struct tls_state);
	struct tls_dir *d = &st->dir[!client];
	u64 found = 0;
	u32 used;

	if (d->mode == M_START) {
		/* SSL 2.0's record header has its top bit set, TLS's type never. */
		d->mode = data[0] & 0x80 ? M_SSL2 : M_TLS;
		d->need = 1;
	}
	while (len && d->mode != M_DONE) {
		bool more;

		if (d->mode == M_SSL2) {
			more = ssl2_records(d, data, len, &used, &found);
		} else {
			more = tls_records(d, data, len, &found);
			used = len;
		}
		if (!more) {
			d->mode = M_DONE;
			break;
		}
		data += used;
		len -= used;
	}
	if (st->dir[0].mode == M_DONE && st->dir[1].mode == M_DONE)
		s->done = 1;
	return found;
}

const struct cw_threat_checker cw_threat_tls = {
	.name = "tls",
	.app = CW_APP_TLS,
	.scan = scan,
};
