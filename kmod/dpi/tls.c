// SPDX-License-Identifier: GPL-2.0
/*
 * TLS (RFC 8446 §5.1, RFC 5246 §6.2): handshake records open both sides,
 * a ClientHello from the client (a ServerHello seen first still is TLS).
 * The ClientHello (RFC 8446 §4.1.2), which may be cut anywhere and span
 * records, gives the SNI (RFC 6066 §3, name), the ALPN protocols (RFC 7301
 * §3.1, detail, joined by ",") and the version: the highest offered in
 * supported_versions (RFC 8446 §4.2.1), else legacy_version. SSL 2.0's
 * CLIENT-HELLO is TLS too, for the threat checks to see it.
 */

#include "parsers.h"

#define TLS_HANDSHAKE 22
#define TLS_CLIENT_HELLO 1
#define TLS_SERVER_HELLO 2
/* A record's plaintext is at most 2^14 bytes (RFC 8446 §5.1), 2^14 + 2048 in TLS 1.2. */
#define TLS_RECORD_MAX (16384 + 2048)
/* version 2, random 32, session id 1, cipher suites 2 + 2, compression 1 + 1 */
#define TLS_CLIENT_HELLO_MIN 41
/* version 2, random 32, session id 1, cipher suite 2, compression 1 */
#define TLS_SERVER_HELLO_MIN 38
#define SSL2_CLIENT_HELLO 1
/* type 1, version 2, cipher specs', session id's and challenge's lengths 2 each */
#define SSL2_HELLO_MIN 9

#define EXT_SERVER_NAME 0
#define EXT_ALPN 16
#define EXT_SUPPORTED_VERSIONS 43

/*
 * Where the ClientHello parser is. Fixed fields are read whole into val;
 * the steps marked "bulk" go over val bytes (counted down) in place.
 */
enum tls_step {
	T_TYPE,			/* handshake type */
	T_LENGTH,		/* handshake length */
	T_VERSION,		/* legacy_version */
	T_RANDOM,		/* bulk */
	T_SESSION_ID_LEN,
	T_SESSION_ID,		/* bulk */
	T_SUITES_LEN,
	T_SUITES,		/* bulk */
	T_COMPRESSION_LEN,
	T_COMPRESSION,		/* bulk */
	T_EXTS_LEN,
	T_EXT_TYPE,
	T_EXT_LEN,
	T_EXT_SKIP,		/* bulk: the rest of an extension */
	T_SNI_LIST_LEN,
	T_SNI_TYPE,
	T_SNI_LEN,
	T_SNI_NAME,		/* bulk */
	T_ALPN_LIST_LEN,
	T_ALPN_LEN,
	T_ALPN_NAME,		/* bulk */
	T_VERSIONS_LEN,
	T_VERSION_ITEM,
};

/* Nesting: each level's length bounds those inside it. */
enum tls_level {
	L_HELLO,		/* the ClientHello's body */
	L_EXTS,			/* the extensions */
	L_EXT,			/* one extension */
	L_LIST,			/* the list inside it */
	L_COUNT,
};

struct tls_state {
	u32 val;		/* the field being read, or bulk bytes left */
	u32 left[L_COUNT];	/* bytes left at each level */
	u16 rec_left;		/* bytes left in the record */
	u16 ext_type;
	u16 max_version;	/* from supported_versions */
	u8 started;		/* the client's start was seen */
	u8 rec_pos;		/* record header bytes seen (5: in a record) */
	u8 step;		/* enum tls_step */
	u8 need;		/* bytes of a fixed field still to read */
	u8 level;		/* enum tls_level: the innermost one open */
	u8 sni_type;		/* of the name being read: 0 is host_name */
	u8 sni_done;
	u8 alpn_count;
};

/*
 * SSL 2.0's CLIENT-HELLO (a 2-byte record header, its top bit set): SSL
 * 2.0 itself, or the compatible hello of old clients offering 3.x (RFC
 * 5246 Appendix E.2). Whatever its lengths say: attacks lie in them.
 */
static enum cw_dpi_result probe_ssl2(const u8 *data, u32 len)
{
	if (len < 2)
		return CW_DPI_MORE;
	if (((data[0] & 0x7f) << 8 | data[1]) < SSL2_HELLO_MIN)
		return CW_DPI_NO;
	if ((len >= 3 && data[2] != SSL2_CLIENT_HELLO) ||
	    (len >= 4 && data[3] != 0 && data[3] != 3))
		return CW_DPI_NO;
	if (len < 5)
		return CW_DPI_MORE;
	return (data[3] == 0 && data[4] == 2) || (data[3] == 3 && data[4] <= 4) ?
	       CW_DPI_YES : CW_DPI_NO;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 rec_len, hs_len;

	if (d->inspected[!client])
		return CW_DPI_NO;
	if (client && len && data[0] & 0x80)
		return probe_ssl2(data, len);
	/* RFC 8446 §5.1: content type handshake, version 3.0 to 3.4. */
	if ((len >= 1 && data[0] != TLS_HANDSHAKE) || (len >= 2 && data[1] != 3) ||
	    (len >= 3 && data[2] > 4))
		return CW_DPI_NO;
	if (len < 5)
		return CW_DPI_MORE;
	rec_len = cw_get_be16(data + 3);
	if (rec_len < 4 || rec_len > TLS_RECORD_MAX)
		return CW_DPI_NO;
	if (len < 6)
		return CW_DPI_MORE;
	/* §4: the first handshake message of each side. */
	if (data[5] != (client ? TLS_CLIENT_HELLO : TLS_SERVER_HELLO))
		return CW_DPI_NO;
	if (len < 9)
		return CW_DPI_MORE;
	/* Long enough for its fixed fields; it may span records. */
	hs_len = (u32)data[6] << 16 | data[7] << 8 | data[8];
	if (hs_len < (client ? TLS_CLIENT_HELLO_MIN : TLS_SERVER_HELLO_MIN) || hs_len > 0xffff)
		return CW_DPI_NO;
	if (len < 11)
		return CW_DPI_MORE;
	/* §4.1.2 legacy_version: 3.0 to 3.3 (TLS 1.3 keeps 0x0303). */
	return data[9] == 3 && data[10] <= 3 ? CW_DPI_YES : CW_DPI_NO;
}

/* Names are printable: anything else (a NUL too) shows as '?'. */
static void name_put(struct cw_dpi_info *info, u8 c)
{
	cw_dpi_name_put(info, c > 0x20 && c < 0x7f ? c : '?');
}

/* GREASE (RFC 8701 §2): 0x0a0a, 0x1a1a... 0xfafa, never a real version. */
static bool grease(u32 v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/*
 * Each helper below sets the next step and returns false when the
 * ClientHello is over or its lengths do not fit: then parsing stops.
 */

/* A fixed field of @need bytes next, if the innermost level holds it. */
static bool expect(struct tls_state *s, u8 step, u8 need)
{
	if (s->left[s->level] < need)
		return false;
	s->step = step;
	s->need = need;
	s->val = 0;
	return true;
}

/* @count bytes to go over next, in place. */
static bool bulk(struct tls_state *s, u8 step, u32 count)
{
	if (s->left[s->level] < count)
		return false;
	s->step = step;
	s->val = count;
	return true;
}

/* Opens a level of @len bytes inside the current one. */
static bool open_level(struct tls_state *s, u8 level, u32 len)
{
	if (len > s->left[s->level])
		return false;
	s->level = level;
	s->left[level] = len;
	return true;
}

static bool next_ext(struct tls_state *s, struct cw_dpi_info *info)
{
	if (s->ext_type == EXT_SUPPORTED_VERSIONS && s->max_version)
		info->version = s->max_version;
	s->ext_type = 0xffff;
	s->level = L_EXTS;
	/* After the last extension: all was seen. */
	return s->left[L_EXTS] && expect(s, T_EXT_TYPE, 2);
}

/* What is left of the extension is of no interest. */
static bool end_ext(struct tls_state *s, struct cw_dpi_info *info)
{
	s->level = L_EXT;
	if (s->left[L_EXT])
		return bulk(s, T_EXT_SKIP, s->left[L_EXT]);
	return next_ext(s, info);
}

/* The next item of a list, or the end of its extension. */
static bool next_item(struct tls_state *s, struct cw_dpi_info *info, u8 step, u8 need)
{
	s->level = L_LIST;
	if (s->left[L_LIST])
		return expect(s, step, need);
	return end_ext(s, info);
}

/* A field is over (whole in s->val, or gone over): what follows. */
static bool field_done(struct tls_state *s, struct cw_dpi_info *info)
{
	switch (s->step) {
	case T_TYPE:
		if (s->val != TLS_CLIENT_HELLO)
			return false;
		/* The handshake header is outside L_HELLO: no bound yet. */
		s->step = T_LENGTH;
		s->need = 3;
		s->val = 0;
		return true;
	case T_LENGTH:
		s->level = L_HELLO;
		s->left[L_HELLO] = s->val;
		return expect(s, T_VERSION, 2);
	case T_VERSION:
		info->version = s->val;
		return bulk(s, T_RANDOM, 32);
	case T_RANDOM:
		return expect(s, T_SESSION_ID_LEN, 1);
	case T_SESSION_ID_LEN:
		return s->val <= 32 && bulk(s, T_SESSION_ID, s->val);
	case T_SESSION_ID:
		return expect(s, T_SUITES_LEN, 2);
	case T_SUITES_LEN:
		return bulk(s, T_SUITES, s->val);
	case T_SUITES:
		return expect(s, T_COMPRESSION_LEN, 1);
	case T_COMPRESSION_LEN:
		return bulk(s, T_COMPRESSION, s->val);
	case T_COMPRESSION:
		/* Extensions are optional before TLS 1.3. */
		return s->left[L_HELLO] && expect(s, T_EXTS_LEN, 2);
	case T_EXTS_LEN:
		return open_level(s, L_EXTS, s->val) && next_ext(s, info);
	case T_EXT_TYPE:
		s->ext_type = s->val;
		return expect(s, T_EXT_LEN, 2);
	case T_EXT_LEN:
		if (!open_level(s, L_EXT, s->val))
			return false;
		if (s->ext_type == EXT_SERVER_NAME && !s->sni_done)
			return expect(s, T_SNI_LIST_LEN, 2);
		if (s->ext_type == EXT_ALPN && !s->alpn_count)
			return expect(s, T_ALPN_LIST_LEN, 2);
		if (s->ext_type == EXT_SUPPORTED_VERSIONS)
			return expect(s, T_VERSIONS_LEN, 1);
		return end_ext(s, info);
	case T_EXT_SKIP:
		return next_ext(s, info);
	case T_SNI_LIST_LEN:
		return open_level(s, L_LIST, s->val) && next_item(s, info, T_SNI_TYPE, 1);
	case T_SNI_TYPE:
		s->sni_type = s->val;
		return expect(s, T_SNI_LEN, 2);
	case T_SNI_LEN:
		return bulk(s, T_SNI_NAME, s->val);
	case T_SNI_NAME:
		/* RFC 6066 §3: one name per type; the first host_name counts. */
		if (!s->sni_type)
			s->sni_done = 1;
		return next_item(s, info, T_SNI_TYPE, 1);
	case T_ALPN_LIST_LEN:
		return open_level(s, L_LIST, s->val) && next_item(s, info, T_ALPN_LEN, 1);
	case T_ALPN_LEN:
		/* RFC 7301 §3.1: empty names are not allowed. */
		if (!s->val)
			return false;
		if (s->alpn_count < 255 && s->alpn_count++)
			cw_dpi_detail_put(info, (const u8 *)",", 1);
		return bulk(s, T_ALPN_NAME, s->val);
	case T_ALPN_NAME:
		return next_item(s, info, T_ALPN_LEN, 1);
	case T_VERSIONS_LEN:
		return open_level(s, L_LIST, s->val) && next_item(s, info, T_VERSION_ITEM, 2);
	case T_VERSION_ITEM:
		if (!grease(s->val) && s->val > s->max_version)
			s->max_version = s->val;
		return next_item(s, info, T_VERSION_ITEM, 2);
	}
	return false;
}

static bool is_bulk(u8 step)
{
	return step == T_RANDOM || step == T_SESSION_ID || step == T_SUITES ||
	       step == T_COMPRESSION || step == T_EXT_SKIP || step == T_SNI_NAME ||
	       step == T_ALPN_NAME;
}

/* Handshake bytes (of a record); false once the ClientHello is over. */
static bool hello(struct tls_state *s, struct cw_dpi_info *info, const u8 *data, u32 len)
{
	u32 i = 0, l;

	while (i < len) {
		u32 n = 1;

		if (is_bulk(s->step)) {
			n = s->val < len - i ? s->val : len - i;
			if (s->step == T_SNI_NAME && !s->sni_type) {
				u32 k;

				for (k = 0; k < n; k++)
					name_put(info, data[i + k]);
			} else if (s->step == T_ALPN_NAME) {
				cw_dpi_detail_put(info, data + i, n);
			}
			s->val -= n;
		} else {
			s->val = s->val << 8 | data[i];
			s->need--;
		}
		i += n;
		/* The handshake header is outside L_HELLO. */
		if (s->step > T_LENGTH)
			for (l = 0; l <= s->level; l++)
				s->left[l] -= n;
		if (is_bulk(s->step) ? !s->val : !s->need)
			if (!field_done(s, info))
				return false;
	}
	return true;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct tls_state *s = CW_DPI_STATE(d, struct tls_state);
	u32 i = 0;

	if (!client)
		/* A ServerHello first: the client's start was missed. */
		return s->started ? CW_DPI_MORE : CW_DPI_YES;
	if (!s->started) {
		s->started = 1;
		s->need = 1;		/* T_TYPE */
	}
	while (i < len) {
		u32 n;

		if (s->rec_pos < 5) {
			u8 c = data[i++];

			/* RFC 8446 §5.1: a hello is in handshake records only. */
			if (!s->rec_pos && c != TLS_HANDSHAKE)
				return CW_DPI_YES;
			if (s->rec_pos >= 3)
				s->rec_left = s->rec_left << 8 | c;
			if (++s->rec_pos == 5 && !s->rec_left)
				s->rec_pos = 0;
			continue;
		}
		n = s->rec_left < len - i ? s->rec_left : len - i;
		if (!hello(s, info, data + i, n))
			return CW_DPI_YES;
		i += n;
		s->rec_left -= n;
		if (!s->rec_left)
			s->rec_pos = 0;
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_tls = {
	.name = "tls",
	.app = CW_APP_TLS,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
