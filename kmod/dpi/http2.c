// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/2 over cleartext TCP (RFC 9113 §3.4): the client opens with the
 * preface "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", then frames (§4.1). The
 * client's first header block (HEADERS and CONTINUATION frames) is read
 * through HPACK (RFC 7541) for :authority (name), :method and :path
 * (detail, "GET /path" as for HTTP/1) and a content-type of
 * application/grpc, which makes it gRPC. Literal strings are read plain or
 * Huffman-coded (RFC 7541 §5.2); the dynamic table is empty in a first
 * block, so indexed fields are those of the static table.
 */

#include "parsers.h"

static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
#define PREFACE_LEN (sizeof(preface) - 1)
/* "PRI * HTTP/2.0\r\n": enough to tell, even from a short first packet. */
#define PREFACE_DECIDES 16

/* RFC 9113 §6: frame types and flags read here. */
#define H2_HEADERS 0x1
#define H2_SETTINGS 0x4
#define H2_CONTINUATION 0x9
#define H2_END_HEADERS 0x4
#define H2_PADDED 0x8
#define H2_PRIORITY 0x20

enum h2_phase {
	H2_PREFACE,
	H2_FRAME_HEADER,
	H2_PAD_LENGTH,
	H2_PRIORITY_FIELDS,
	H2_BLOCK,		/* a header block fragment: HPACK */
	H2_SKIP,		/* another frame's payload, or padding */
};

enum hpack_step {
	HP_START,		/* a representation's first byte */
	HP_INT,			/* an integer's continuation bytes (§5.1) */
	HP_STR_LEN,		/* a string's first byte: H and length */
	HP_STR,			/* a string's bytes */
};

/* What an integer being decoded is. */
enum hpack_int {
	HI_INDEX,		/* of an indexed field: nothing to read */
	HI_TABLE_SIZE,		/* a dynamic table size update */
	HI_NAME_INDEX,		/* of a literal: its name, 0 for a literal name */
	HI_STR_LEN,
};

/* Fields extracted, as bits of struct h2_state.names. */
enum h2_field {
	F_AUTHORITY,
	F_METHOD,
	F_PATH,
	F_CONTENT_TYPE,
	F_COUNT,
	F_NONE = F_COUNT,
};

static const char *const field_names[F_COUNT] = {
	":authority", ":method", ":path", "content-type",
};

/* In struct h2_state.seen: a character of the path is in detail. */
#define SEEN_PATH_CHARS 0x80

/* The prefix of content-type that means gRPC (gRPC over HTTP/2, "Requests"). */
static const char grpc_type[] = "application/grpc";
#define GRPC_TYPE_LEN (sizeof(grpc_type) - 1)

struct h2_state {
	u32 left;		/* bytes left in the frame's payload */
	u32 ival;		/* the HPACK integer being decoded */
	u32 str_left;		/* bytes left in the HPACK string */
	u32 code;		/* Huffman: the bits of a code not yet decoded */
	u8 phase;		/* enum h2_phase */
	u8 pos;			/* preface or frame header bytes seen */
	u8 type;
	u8 flags;
	u8 pad;			/* padding at the frame's end */
	u8 in_block;		/* a header block was started: CONTINUATION follows */
	u8 step;		/* enum hpack_step */
	u8 ikind;		/* enum hpack_int */
	u8 ishift;
	u8 huffman;		/* the string is Huffman-coded */
	u8 code_len;		/* bits in code */
	u8 in_name;		/* the string is a literal name, not a value */
	u8 field;		/* enum h2_field of the value being read */
	u8 names;		/* literal name: the fields it may still be */
	u8 spos;		/* characters of the string seen (saturates) */
	u8 vstop;		/* the value has nothing more to give */
	u8 seen;		/* fields already extracted, by bit */
	u8 mlen;		/* characters of the method in detail */
};

/*
 * RFC 7541 Appendix B is a canonical Huffman code (checked when these were
 * made from it): the codes of each length, 5 to 30 bits, are consecutive
 * and start at first_code; syms lists the symbols by code, EOS (256) last.
 */
#define HUFF_MIN 5
#define HUFF_MAX 30
static const u8 huff_count[HUFF_MAX - HUFF_MIN + 1] = {
	10, 26, 32, 6, 0, 5, 3, 2, 6, 2, 3, 0, 0, 0, 3, 8, 13, 26, 29, 12, 4, 15, 19, 29, 0, 4,
};

static const u32 huff_first_code[HUFF_MAX - HUFF_MIN + 1] = {
	0x0, 0x14, 0x5c, 0xf8, 0x1fc, 0x3f8, 0x7fa, 0xffa, 0x1ff8, 0x3ffc, 0x7ffc, 0xfffe,
	0x1fffc, 0x3fff8, 0x7fff0, 0xfffe6, 0x1fffdc, 0x3fffd2, 0x7fffd8, 0xffffea,
	0x1ffffec, 0x3ffffe0, 0x7ffffde, 0xfffffe2, 0x1ffffffe, 0x3ffffffc,
};

static const u16 huff_offset[HUFF_MAX - HUFF_MIN + 1] = {
	0, 10, 36, 68, 74, 74, 79, 82, 84, 90, 92, 95, 95, 95, 95, 98, 106, 119, 145, 174,
	186, 190, 205, 224, 253, 253,
};

#define HUFF_EOS 256
static const u8 huff_syms[256] = {
	0x30, 0x31, 0x32, 0x61, 0x63, 0x65, 0x69, 0x6f, 0x73, 0x74, 0x20, 0x25,
	0x2d, 0x2e, 0x2f, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3d, 0x41,
	0x5f, 0x62, 0x64, 0x66, 0x67, 0x68, 0x6c, 0x6d, 0x6e, 0x70, 0x72, 0x75,
	0x3a, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c,
	0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x59,
	0x6a, 0x6b, 0x71, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x26, 0x2a, 0x2c, 0x3b,
	0x58, 0x5a, 0x21, 0x22, 0x28, 0x29, 0x3f, 0x27, 0x2b, 0x7c, 0x23, 0x3e,
	0x00, 0x24, 0x40, 0x5b, 0x5d, 0x7e, 0x5e, 0x7d, 0x3c, 0x60, 0x7b, 0x5c,
	0xc3, 0xd0, 0x80, 0x82, 0x83, 0xa2, 0xb8, 0xc2, 0xe0, 0xe2, 0x99, 0xa1,
	0xa7, 0xac, 0xb0, 0xb1, 0xb3, 0xd1, 0xd8, 0xd9, 0xe3, 0xe5, 0xe6, 0x81,
	0x84, 0x85, 0x86, 0x88, 0x92, 0x9a, 0x9c, 0xa0, 0xa3, 0xa4, 0xa9, 0xaa,
	0xad, 0xb2, 0xb5, 0xb9, 0xba, 0xbb, 0xbd, 0xbe, 0xc4, 0xc6, 0xe4, 0xe8,
	0xe9, 0x01, 0x87, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8f, 0x93, 0x95, 0x96,
	0x97, 0x98, 0x9b, 0x9d, 0x9e, 0xa5, 0xa6, 0xa8, 0xae, 0xaf, 0xb4, 0xb6,
	0xb7, 0xbc, 0xbf, 0xc5, 0xe7, 0xef, 0x09, 0x8e, 0x90, 0x91, 0x94, 0x9f,
	0xab, 0xce, 0xd7, 0xe1, 0xec, 0xed, 0xc7, 0xcf, 0xea, 0xeb, 0xc0, 0xc1,
	0xc8, 0xc9, 0xca, 0xcd, 0xd2, 0xd5, 0xda, 0xdb, 0xee, 0xf0, 0xf2, 0xf3,
	0xff, 0xcb, 0xcc, 0xd3, 0xd4, 0xd6, 0xdd, 0xde, 0xdf, 0xf1, 0xf4, 0xf5,
	0xf6, 0xf7, 0xf8, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0x02, 0x03, 0x04, 0x05,
	0x06, 0x07, 0x08, 0x0b, 0x0c, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14,
	0x15, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x7f, 0xdc,
	0xf9, 0x0a, 0x0d, 0x16,
};

/*
 * A server that sends its SETTINGS (§3.4) before the client's preface:
 * could still be HTTP/2 when these bytes fit an empty or whole SETTINGS
 * frame header on stream 0.
 */
static enum cw_dpi_result server_settings(const u8 *data, u32 len)
{
	static const u8 rest[6] = { H2_SETTINGS, 0, 0, 0, 0, 0 };
	u32 i;

	for (i = 3; i < len && i < 9; i++)
		if (data[i] != rest[i - 3])
			return CW_DPI_NO;
	if (len >= 3 && ((u32)data[0] << 16 | data[1] << 8 | data[2]) % 6)
		return CW_DPI_NO;
	return CW_DPI_MORE;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 n = len < PREFACE_LEN ? len : PREFACE_LEN;

	if (!client) {
		/* Only while the client has said nothing. */
		if (d->inspected[0] || (d->head_len && d->head_client))
			return CW_DPI_NO;
		return d->inspected[1] ? CW_DPI_MORE : server_settings(data, len);
	}
	if (d->inspected[0] || memcmp(data, preface, n))
		return CW_DPI_NO;
	return n >= PREFACE_DECIDES ? CW_DPI_YES : CW_DPI_MORE;
}

static u8 static_field(u32 index)
{
	/* RFC 7541 Appendix A: 1 :authority, 2-3 :method, 4-5 :path, 31 content-type */
	switch (index) {
	case 1:
		return F_AUTHORITY;
	case 2:
	case 3:
		return F_METHOD;
	case 4:
	case 5:
		return F_PATH;
	case 31:
		return F_CONTENT_TYPE;
	}
	return F_NONE;
}

/* A character of a literal name: which of field_names it may still be. */
static void name_char(struct h2_state *s, u8 c)
{
	unsigned int f;

	for (f = 0; f < F_COUNT; f++)
		if ((s->names & 1u << f) &&
		    (s->spos >= strlen(field_names[f]) || field_names[f][s->spos] != c))
			s->names &= ~(1u << f);
}

/* Names are printable: anything else (a NUL too) shows as '?'. */
static void name_put(struct cw_dpi_info *info, u8 c)
{
	cw_dpi_name_put(info, c > 0x20 && c < 0x7f ? c : '?');
}

/*
 * Inserts @c at @at in detail, what follows moving right (its last byte
 * lost when full): the method may come after the path.
 */
static void detail_insert(struct cw_dpi_info *info, u32 at, u8 c)
{
	u32 len = info->detail_len, i;

	if (at > len || at >= CW_DPI_DETAIL_LEN - 1)
		return;
	if (len < CW_DPI_DETAIL_LEN - 1)
		len++;
	for (i = len - 1; i > at; i--)
		info->detail[i] = info->detail[i - 1];
	info->detail[at] = c >= 0x20 && c < 0x7f ? c : '?';
	info->detail_len = len;
	info->detail[len] = '\0';
}

/* The method is whole: a space between it and a path already there. */
static void method_end(struct h2_state *s, struct cw_dpi_info *info)
{
	if (s->mlen && (s->seen & SEEN_PATH_CHARS))
		detail_insert(info, s->mlen, ' ');
}

static void path_char(struct h2_state *s, struct cw_dpi_info *info, u8 c)
{
	if (!(s->seen & SEEN_PATH_CHARS)) {
		s->seen |= SEEN_PATH_CHARS;
		if (s->mlen && (s->seen & 1u << F_METHOD))
			cw_dpi_detail_put(info, (const u8 *)" ", 1);
	}
	cw_dpi_detail_put(info, &c, 1);
}

static void value_char(struct cw_dpi *d, struct h2_state *s, struct cw_dpi_info *info, u8 c)
{
	switch (s->field) {
	case F_AUTHORITY:
		/* The host: no userinfo in HTTP/2 (§8.3.1), no port, no brackets. */
		if (c == '[' && !s->spos)
			return;
		if (c == ':' || c == ']')
			s->vstop = 1;
		else
			name_put(info, c);
		return;
	case F_METHOD:
		/* Before the path in detail, wherever the path is. */
		detail_insert(info, s->mlen, c);
		if (s->mlen < 255)
			s->mlen++;
		return;
	case F_PATH:
		/* As for HTTP/1: the path without its query. */
		if (c == '?' || c == '#')
			s->vstop = 1;
		else
			path_char(s, info, c);
		return;
	case F_CONTENT_TYPE:
		/* "application/grpc", then its end, "+proto" or ";params". */
		if (s->spos < GRPC_TYPE_LEN) {
			if (c != (u8)grpc_type[s->spos])
				s->vstop = 1;
		} else {
			if (c == '+' || c == ';')
				d->app = CW_APP_GRPC;
			s->vstop = 1;
		}
		return;
	}
}

static void string_char(struct cw_dpi *d, struct h2_state *s, struct cw_dpi_info *info, u8 c)
{
	if (s->in_name)
		name_char(s, c);
	else if (s->field != F_NONE && !s->vstop)
		value_char(d, s, info, c);
	if (s->spos < 255)
		s->spos++;
}

/* A string's start: which field its value is, and whether it counts. */
static void string_start(struct h2_state *s, bool in_name, u8 field)
{
	s->in_name = in_name;
	s->names = in_name ? (1u << F_COUNT) - 1 : 0;
	s->field = field;
	s->spos = 0;
	s->vstop = field != F_NONE && (s->seen & 1u << field);
	s->code = 0;
	s->code_len = 0;
	s->step = HP_STR_LEN;
}

static void string_end(struct cw_dpi *d, struct h2_state *s, struct cw_dpi_info *info)
{
	unsigned int f;

	if (s->in_name) {
		/* The value follows: of the field the name matched whole. */
		for (f = 0; f < F_COUNT; f++)
			if ((s->names & 1u << f) && s->spos == strlen(field_names[f]))
				break;
		string_start(s, false, f);
		return;
	}
	if (s->field != F_NONE) {
		if (s->field == F_CONTENT_TYPE && !s->vstop && s->spos == GRPC_TYPE_LEN)
			d->app = CW_APP_GRPC;
		if (s->field == F_METHOD && !(s->seen & 1u << F_METHOD))
			method_end(s, info);
		s->seen |= 1u << s->field;
	}
	s->step = HP_START;
}

/* Feeds the bits of one Huffman-coded byte; false on a bad code. */
static bool huffman_byte(struct cw_dpi *d, struct h2_state *s, struct cw_dpi_info *info, u8 b)
{
	int bit;

	for (bit = 7; bit >= 0; bit--) {
		u32 index;

		s->code = s->code << 1 | ((b >> bit) & 1);
		if (++s->code_len < HUFF_MIN)
			continue;
		if (s->code_len > HUFF_MAX)
			return false;
		index = s->code - huff_first_code[s->code_len - HUFF_MIN];
		if (index >= huff_count[s->code_len - HUFF_MIN])
			continue;
		index += huff_offset[s->code_len - HUFF_MIN];
		if (index == HUFF_EOS)	/* §5.2: EOS in a string is an error */
			return false;
		string_char(d, s, info, huff_syms[index]);
		s->code = 0;
		s->code_len = 0;
	}
	return true;
}

/* An indexed field (§6.1): the static table's values wanted, as if literal. */
static void indexed(struct cw_dpi *d, struct h2_state *s, struct cw_dpi_info *info, u32 index)
{
	static const char *const values[] = {
		[2] = "GET", [3] = "POST", [4] = "/", [5] = "/index.html",
	};
	const char *v;

	if (index < 2 || index > 5)
		return;
	string_start(s, false, static_field(index));
	for (v = values[index]; *v; v++)
		string_char(d, s, info, *v);
	string_end(d, s, info);
}

/* An integer of the representation is whole (§5.1): what follows it. */
static void int_done(struct cw_dpi *d, struct h2_state *s, struct cw_dpi_info *info)
{
	switch (s->ikind) {
	case HI_INDEX:
		indexed(d, s, info, s->ival);
		s->step = HP_START;
		break;
	case HI_TABLE_SIZE:
		s->step = HP_START;
		break;
	case HI_NAME_INDEX:
		if (s->ival)
			string_start(s, false, static_field(s->ival));
		else
			string_start(s, true, F_NONE);
		break;
	case HI_STR_LEN:
		s->str_left = s->ival;
		s->step = HP_STR;
		if (!s->str_left)
			string_end(d, s, info);
		break;
	}
}

/* Starts an integer with an @prefix-bit prefix of @b. */
static void int_start(struct cw_dpi *d, struct h2_state *s, struct cw_dpi_info *info,
		      u8 b, u8 prefix, u8 kind)
{
	u8 max = (1u << prefix) - 1;

	s->ikind = kind;
	s->ival = b & max;
	s->ishift = 0;
	s->step = HP_INT;
	if (s->ival < max)
		int_done(d, s, info);
}

/* A header block fragment's bytes; false when it cannot be decoded. */
static bool hpack(struct cw_dpi *d, struct h2_state *s, struct cw_dpi_info *info,
		  const u8 *data, u32 len)
{
	u32 i = 0;

	while (i < len) {
		u8 b;

		if (s->step == HP_STR) {
			u32 n = len - i < s->str_left ? len - i : s->str_left;
			u32 k;

			for (k = 0; k < n; k++) {
				if (!s->huffman)
					string_char(d, s, info, data[i + k]);
				else if (!huffman_byte(d, s, info, data[i + k]))
					return false;
			}
			i += n;
			s->str_left -= n;
			if (!s->str_left)
				string_end(d, s, info);
			continue;
		}
		b = data[i++];
		switch (s->step) {
		case HP_START:
			if (b & 0x80)			/* §6.1 indexed */
				int_start(d, s, info, b, 7, HI_INDEX);
			else if (b & 0x40)		/* §6.2.1 incremental indexing */
				int_start(d, s, info, b, 6, HI_NAME_INDEX);
			else if (b & 0x20)		/* §6.3 table size update */
				int_start(d, s, info, b, 5, HI_TABLE_SIZE);
			else				/* §6.2.2-3 without, never indexed */
				int_start(d, s, info, b, 4, HI_NAME_INDEX);
			break;
		case HP_STR_LEN:
			s->huffman = b >> 7;
			int_start(d, s, info, b, 7, HI_STR_LEN);
			break;
		case HP_INT:
			/* Up to 28 bits: more is no real header block. */
			if (s->ishift > 21)
				return false;
			s->ival += (u32)(b & 0x7f) << s->ishift;
			s->ishift += 7;
			if (!(b & 0x80))
				int_done(d, s, info);
			break;
		}
	}
	return true;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct h2_state *s = CW_DPI_STATE(d, struct h2_state);
	u32 i = 0;

	/* The server's frames hold nothing wanted here. */
	if (!client)
		return CW_DPI_MORE;
	while (i < len) {
		u32 n;

		switch (s->phase) {
		case H2_PREFACE:
			if (data[i++] != (u8)preface[s->pos++])
				return CW_DPI_YES;
			if (s->pos == PREFACE_LEN) {
				s->phase = H2_FRAME_HEADER;
				s->pos = 0;
			}
			continue;
		case H2_FRAME_HEADER:
			if (s->pos < 3)
				s->left = s->left << 8 | data[i];
			else if (s->pos == 3)
				s->type = data[i];
			else if (s->pos == 4)
				s->flags = data[i];
			i++;
			if (++s->pos < 9)
				continue;
			s->pos = 0;
			s->pad = 0;
			if (s->type == H2_HEADERS) {
				s->in_block = 1;
				s->phase = s->flags & H2_PADDED ? H2_PAD_LENGTH :
					   s->flags & H2_PRIORITY ? H2_PRIORITY_FIELDS : H2_BLOCK;
			} else if (s->type == H2_CONTINUATION && s->in_block) {
				s->phase = H2_BLOCK;
			} else {
				s->phase = H2_SKIP;
			}
			break;
		case H2_PAD_LENGTH:
			s->pad = data[i++];
			s->left--;
			if (s->pad + (s->flags & H2_PRIORITY ? 5u : 0u) > s->left)
				return CW_DPI_YES;
			s->phase = s->flags & H2_PRIORITY ? H2_PRIORITY_FIELDS : H2_BLOCK;
			break;
		case H2_PRIORITY_FIELDS:
			/* Stream dependency (4) and weight (1), §6.2. */
			i++;
			s->left--;
			if (++s->pos == 5) {
				s->pos = 0;
				s->phase = H2_BLOCK;
			}
			break;
		case H2_BLOCK:
			n = s->left - s->pad;
			if (n > len - i)
				n = len - i;
			if (!hpack(d, s, info, data + i, n))
				return CW_DPI_YES;
			i += n;
			s->left -= n;
			if (s->left == s->pad)
				s->phase = H2_SKIP;
			break;
		case H2_SKIP:
			n = s->left < len - i ? s->left : len - i;
			i += n;
			s->left -= n;
			break;
		}
		/* A frame ends: the end of the first header block is the end. */
		if (s->phase != H2_FRAME_HEADER && s->phase != H2_PREFACE && !s->left) {
			if (s->in_block && (s->flags & H2_END_HEADERS) &&
			    (s->type == H2_HEADERS || s->type == H2_CONTINUATION))
				return CW_DPI_YES;
			s->phase = H2_FRAME_HEADER;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_http2 = {
	.name = "http2",
	.app = CW_APP_HTTP2,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
