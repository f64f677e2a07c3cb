// SPDX-License-Identifier: GPL-2.0
/*
 * Oracle TNS (Transparent Network Substrate): the client opens with a
 * CONNECT packet, an 8-byte header (length BE, packet checksum 0, type 1,
 * flags, header checksum 0) then version, lowest compatible version,
 * options, SDU, TDU..., "value of 1 in hardware", and the length and the
 * offset of the connect data: "(DESCRIPTION=...(CONNECT_DATA=
 * (SERVICE_NAME=x)(CID=(PROGRAM=...)(USER=u)))...)". The connect data is
 * either in the packet at that offset or, when longer than 230 bytes, in
 * the DATA packet that follows. Extracts USER (name) and SERVICE_NAME
 * (detail "service=x") or SID ("sid=x").
 */

#include "parsers.h"

#define TNS_CONNECT	1
#define HDR_LEN		8
#define CONNECT_FIXED	34	/* the header and the fields up to the data's offset */
/* Versions: 300 (8i) .. 319 (23ai), with room to grow. */
#define VERSION_MIN	300
#define VERSION_MAX	400
/* A DATA packet's header and data flags, when the data comes apart. */
#define DATA_HDR	10

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 plen, ver, compat, cdlen, cdoff, one;

	if (!client || d->inspected[0] || d->inspected[1])
		return CW_DPI_NO;
	if (len < HDR_LEN) {
		/* checksums 0, type CONNECT */
		if ((len >= 3 && data[2]) || (len >= 4 && data[3]) ||
		    (len >= 5 && data[4] != TNS_CONNECT))
			return CW_DPI_NO;
		return CW_DPI_MORE;
	}
	plen = cw_get_be16(data);
	if (plen < CONNECT_FIXED || data[2] || data[3] || data[4] != TNS_CONNECT ||
	    data[6] || data[7])
		return CW_DPI_NO;
	if (len < 28)
		return CW_DPI_MORE;
	ver = cw_get_be16(data + 8);
	compat = cw_get_be16(data + 10);
	one = cw_get_be16(data + 22);
	cdlen = cw_get_be16(data + 24);
	cdoff = cw_get_be16(data + 26);
	if (ver < VERSION_MIN || ver > VERSION_MAX || compat < VERSION_MIN || compat > ver)
		return CW_DPI_NO;
	if (one != 0x0100 && one != 0x0001)
		return CW_DPI_NO;
	/* The data in the packet, or (its offset the packet's end) after it. */
	if (!cdlen || cdoff < CONNECT_FIXED || cdoff > plen ||
	    (cdoff + cdlen > plen && cdoff != plen))
		return CW_DPI_NO;
	return CW_DPI_YES;
}

/* Keys of the connect descriptor looked for, case-insensitive. */
static const char *const keys[] = { "(service_name=", "(sid=", "(user=" };
#define KEYS (sizeof(keys) / sizeof(keys[0]))
enum { KEY_SERVICE, KEY_SID, KEY_USER, KEY_NONE = 0xff };

struct tns_state {
	u32 pos;	/* client bytes seen */
	u32 start;	/* where the connect data starts */
	u32 end;	/* where it ends */
	u16 plen;	/* the CONNECT packet's length */
	u8 hdr[6];	/* length, data length and offset, as they come */
	u8 match[KEYS];	/* bytes of each key matched */
	u8 value;	/* the key whose value is being read, or KEY_NONE */
	u8 found[KEYS];	/* 1: the key was seen; 2: its value too */
};

static void value_byte(struct tns_state *s, struct cw_dpi_info *info, u8 c)
{
	/* the detail's prefix with the value's first byte: none for no value */
	if (s->found[s->value] == 1) {
		s->found[s->value] = 2;
		if (s->value == KEY_SERVICE)
			cw_dpi_detail_put(info, (const u8 *)"service=", 8);
		else if (s->value == KEY_SID)
			cw_dpi_detail_put(info, (const u8 *)"sid=", 4);
	}
	if (s->value == KEY_USER)
		cw_dpi_name_put(info, c);
	else
		cw_dpi_detail_put(info, &c, 1);
}

static void scan(struct tns_state *s, struct cw_dpi_info *info, u8 c)
{
	unsigned int k;

	if (s->value != KEY_NONE) {
		if (c == ')')
			s->value = KEY_NONE;
		else
			value_byte(s, info, c);
		return;
	}
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	for (k = 0; k < KEYS; k++) {
		/* '(' starts each key and is nowhere else in it */
		if (c == (u8)keys[k][s->match[k]])
			s->match[k]++;
		else
			s->match[k] = c == '(';
		if (keys[k][s->match[k]])
			continue;
		s->match[k] = 0;
		/* the first of each; SERVICE_NAME or SID, not both */
		if (s->found[k] || (k != KEY_USER && (s->found[KEY_SERVICE] || s->found[KEY_SID])))
			continue;
		s->found[k] = 1;
		s->value = k;
	}
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct tns_state *s = CW_DPI_STATE(d, struct tns_state);
	u32 i;

	if (!client)
		return CW_DPI_MORE;
	if (!s->pos)
		s->value = KEY_NONE;
	for (i = 0; i < len; i++, s->pos++) {
		u32 p = s->pos;

		if (p < CONNECT_FIXED) {
			if (p < 2)
				s->hdr[p] = data[i];
			else if (p >= 24 && p < 28)
				s->hdr[p - 22] = data[i];
			if (p == CONNECT_FIXED - 1) {
				u32 cdlen = cw_get_be16(s->hdr + 2);

				s->plen = cw_get_be16(s->hdr);
				s->start = cw_get_be16(s->hdr + 4);
				/* apart: past the DATA packet's header */
				if (s->start == s->plen)
					s->start += DATA_HDR;
				s->end = s->start + cdlen;
			}
			continue;
		}
		if (p < s->start)
			continue;
		if (p >= s->end)
			return CW_DPI_YES;
		scan(s, info, data[i]);
		if (s->found[KEY_USER] && (s->found[KEY_SERVICE] || s->found[KEY_SID]) &&
		    s->value == KEY_NONE)
			return CW_DPI_YES;
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_tns = {
	.name = "tns",
	.app = CW_APP_TNS,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
