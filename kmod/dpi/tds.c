// SPDX-License-Identifier: GPL-2.0
/*
 * Tabular Data Stream, Microsoft SQL Server ([MS-TDS] 2.2.3): packets with
 * an 8-byte header (type, status, length BE, SPID, packet id, window). A
 * client opens with PRELOGIN (0x12; option tokens with BE offsets, 0xFF
 * ends them, §2.2.6.5) or straight with LOGIN7 (0x10, §2.2.6.4). LOGIN7's
 * fixed part gives the offsets of the user name and the database, UTF-16LE
 * strings: they go to name and detail ("db=..."). When the PRELOGIN
 * exchange turned on TLS, the client's next packets are PRELOGIN again
 * (the TLS handshake): detail "ssl".
 */

#include "parsers.h"

#define TDS_LOGIN7	0x10
#define TDS_PRELOGIN	0x12
#define STATUS_EOM	0x01
#define HDR_LEN		8
#define PRELOGIN_MAX	4096
/* LOGIN7's fixed part: its length, then offsets and lengths from byte 36. */
#define LOGIN7_FIXED	94
#define LOGIN7_USER	40	/* ibUserName, cchUserName */
#define LOGIN7_DB	68	/* ibDatabase, cchDatabase */
#define LOGIN7_LAST	72	/* past what we read of the fixed part */
#define LOGIN7_NAME_MAX	128	/* characters of a user or database name */

static enum cw_dpi_result probe_prelogin(const u8 *data, u32 len, u32 plen)
{
	u32 i, first_data = plen - HDR_LEN;

	if (plen < HDR_LEN + 6 || plen > PRELOGIN_MAX || data[1] != STATUS_EOM)
		return CW_DPI_NO;
	/* Options: token, offset, length; VERSION first, in order; 0xFF ends them. */
	for (i = HDR_LEN; i + 5 <= len; i += 5) {
		u32 off = cw_get_be16(data + i + 1), olen = cw_get_be16(data + i + 3);

		if (data[i] == 0xff)
			return i > HDR_LEN ? CW_DPI_YES : CW_DPI_NO;
		if (i == HDR_LEN ? data[i] != 0x00 || olen != 6 : data[i] <= data[i - 5] ||
		    data[i] > 0x08)
			return CW_DPI_NO;
		if (off + olen > plen - HDR_LEN || off < i - HDR_LEN + 6)
			return CW_DPI_NO;
		if (off < first_data)
			first_data = off;
		if (i + 5 - HDR_LEN > first_data)
			return CW_DPI_NO;	/* the tokens run into the data */
	}
	if (i < len && data[i] == 0xff)
		return i > HDR_LEN ? CW_DPI_YES : CW_DPI_NO;
	return len < CW_DPI_HEAD ? CW_DPI_MORE : CW_DPI_YES;
}

static enum cw_dpi_result probe_login7(const u8 *data, u32 len, u32 plen)
{
	u32 llen, ver;

	if (plen < HDR_LEN + LOGIN7_FIXED)
		return CW_DPI_NO;
	if (len < 16)
		return CW_DPI_MORE;
	/* Length (LE) covers the whole message; TDSVersion 7.0 .. 7.4 */
	llen = cw_get_le32(data + 8);
	ver = cw_get_le32(data + 12);
	if (llen < LOGIN7_FIXED || llen > 65535 ||
	    (data[1] == STATUS_EOM && llen != plen - HDR_LEN))
		return CW_DPI_NO;
	if (ver >> 24 < 0x70 || ver >> 24 > 0x74 || (ver & 0x00ffff00) > 0x000b0000)
		return CW_DPI_NO;
	return CW_DPI_YES;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 plen;

	if (!client || d->inspected[0] || d->inspected[1])
		return CW_DPI_NO;
	/* Decide on the start alone, so that how it is cut does not matter. */
	if (len > CW_DPI_HEAD)
		len = CW_DPI_HEAD;
	if (data[0] != TDS_PRELOGIN && data[0] != TDS_LOGIN7)
		return CW_DPI_NO;
	/* status: end of message (or more to come, LOGIN7); SPID 0, window 0 */
	if ((len >= 2 && data[1] & ~STATUS_EOM) || (len >= 5 && data[4]) ||
	    (len >= 6 && data[5]) || (len >= 7 && data[6] > 1) || (len >= 8 && data[7]))
		return CW_DPI_NO;
	if (len < 4)
		return CW_DPI_MORE;
	plen = cw_get_be16(data + 2);
	if (plen < HDR_LEN)
		return CW_DPI_NO;
	if (len < HDR_LEN)
		return CW_DPI_MORE;
	if (data[0] == TDS_PRELOGIN)
		return probe_prelogin(data, len, plen);
	return probe_login7(data, len, plen);
}

struct tds_state {
	u32 bpos;		/* LOGIN7: bytes of the message's body seen */
	u16 left;		/* bytes left of the packet */
	u16 user_off, user_len;	/* in bytes, from the body's start */
	u16 db_off, db_len;
	u8 hdr;			/* header bytes seen */
	u8 type;
	u8 status;
	u8 msgs;		/* messages seen */
	u8 lo;			/* the low byte of a UTF-16 unit */
};

/* ASCII of a UTF-16LE unit; others as '?'. */
static u8 fold(u8 lo, u8 hi)
{
	return !hi && lo >= 0x20 && lo < 0x7f ? lo : '?';
}

/* One byte of LOGIN7's body. */
static enum cw_dpi_result login7_byte(struct tds_state *s, struct cw_dpi_info *info, u8 c)
{
	u32 p = s->bpos++;

	if (p < LOGIN7_LAST) {
		if (p >= LOGIN7_USER && p < LOGIN7_USER + 4) {
			u16 *f = p < LOGIN7_USER + 2 ? &s->user_off : &s->user_len;

			*f |= (u16)c << (8 * (p & 1));
		} else if (p >= LOGIN7_DB && p < LOGIN7_DB + 4) {
			u16 *f = p < LOGIN7_DB + 2 ? &s->db_off : &s->db_len;

			*f |= (u16)c << (8 * (p & 1));
		}
		if (p == LOGIN7_LAST - 1) {
			/*
			 * Characters to bytes. Strings inside the fixed part, or
			 * longer than the 128 characters allowed, are bogus.
			 */
			if (s->user_off < LOGIN7_FIXED || s->user_len > LOGIN7_NAME_MAX)
				s->user_len = 0;
			if (s->db_off < LOGIN7_FIXED || s->db_len > LOGIN7_NAME_MAX)
				s->db_len = 0;
			s->user_len *= 2;
			s->db_len *= 2;
			if (!s->user_len && !s->db_len)
				return CW_DPI_YES;
		}
		return CW_DPI_MORE;
	}
	if (p >= s->user_off && p < (u32)s->user_off + s->user_len) {
		if ((p - s->user_off) & 1)
			cw_dpi_name_put(info, fold(s->lo, c));
		else
			s->lo = c;
	} else if (p >= s->db_off && p < (u32)s->db_off + s->db_len) {
		if (p == s->db_off)
			cw_dpi_detail_put(info, (const u8 *)"db=", 3);
		if ((p - s->db_off) & 1) {
			u8 a = fold(s->lo, c);

			cw_dpi_detail_put(info, &a, 1);
		} else {
			s->lo = c;
		}
	}
	return (!s->user_len || p + 1 >= (u32)s->user_off + s->user_len) &&
	       (!s->db_len || p + 1 >= (u32)s->db_off + s->db_len) ? CW_DPI_YES : CW_DPI_MORE;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct tds_state *s = CW_DPI_STATE(d, struct tds_state);
	u32 i = 0;

	if (!client)
		return CW_DPI_MORE;
	while (i < len) {
		u32 n;

		if (s->hdr < HDR_LEN) {
			u8 c = data[i++];

			if (s->hdr == 0) {
				/* a message's first packet, or the next of LOGIN7's */
				if (s->type && s->status & STATUS_EOM) {
					if (c == TDS_PRELOGIN) {
						cw_dpi_detail_put(info, (const u8 *)"ssl", 3);
						return CW_DPI_YES;
					}
					if (c != TDS_LOGIN7 || ++s->msgs > 2)
						return CW_DPI_YES;
				} else if (s->type && c != s->type) {
					return CW_DPI_YES;
				}
				s->type = c;
			} else if (s->hdr == 1) {
				s->status = c;
			} else if (s->hdr == 2) {
				s->left = (u16)c << 8;
			} else if (s->hdr == 3) {
				s->left |= c;
				if (s->left <= HDR_LEN)
					return CW_DPI_YES;
				s->left -= HDR_LEN;
			}
			s->hdr++;
			continue;
		}
		if (s->type != TDS_LOGIN7) {
			n = len - i < s->left ? len - i : s->left;
			i += n;
			s->left -= n;
		} else {
			s->left--;
			if (login7_byte(s, info, data[i++]) == CW_DPI_YES)
				return CW_DPI_YES;
		}
		if (!s->left) {
			if (s->type == TDS_LOGIN7 && s->status & STATUS_EOM)
				return CW_DPI_YES;
			s->hdr = 0;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_tds = {
	.name = "tds",
	.app = CW_APP_TDS,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
