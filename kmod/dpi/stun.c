// SPDX-License-Identifier: GPL-2.0
/*
 * STUN (RFC 5389 §6): a 20-byte header, the type's two top bits 0, the
 * length of the attributes (a multiple of 4), the magic cookie 0x2112A442
 * and a transaction ID; TURN (RFC 8656) adds methods. Over UDP a datagram
 * is a message; over TCP they follow each other. Extracts the method and
 * class of the first message (detail, "binding request").
 */

#include "parsers.h"

#define STUN_HEADER	20
#define STUN_COOKIE	0x2112a442

/* RFC 5389 §18.1, RFC 8656 §17, RFC 6062 §6.1. */
static const char *const methods[] = {
	[0x001] = "binding", [0x003] = "allocate", [0x004] = "refresh", [0x006] = "send",
	[0x007] = "data", [0x008] = "createpermission", [0x009] = "channelbind",
	[0x00a] = "connect", [0x00b] = "connectionbind", [0x00c] = "connectionattempt",
};

static const char *const classes[] = { "request", "indication", "response", "error" };

/* The type's bits are M11..M7 C1 M6..M4 C0 M3..M0 (§6). */
static u16 method_of(u16 type)
{
	return (type & 0xf) | (type >> 1 & 0x70) | (type >> 2 & 0xf80);
}

static u8 class_of(u16 type)
{
	return (type >> 4 & 1) | (type >> 7 & 2);
}

static bool header_ok(const u8 *data)
{
	u16 type = cw_get_be16(data), method = method_of(type);

	return !(type & 0xc000) && !(cw_get_be16(data + 2) % 4) &&
	       cw_get_be32(data + 4) == STUN_COOKIE &&
	       method < sizeof(methods) / sizeof(methods[0]) && methods[method];
}

/* The attributes (§15) fill the message exactly. */
static bool attributes_ok(const u8 *data, u32 len)
{
	u32 off = STUN_HEADER;

	while (off < len) {
		u32 size;

		if (len - off < 4)
			return false;
		size = (cw_get_be16(data + off + 2) + 3) & ~3u;
		if (size > len - off - 4)
			return false;
		off += 4 + size;
	}
	return true;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	if (d->l4 == IPPROTO_UDP)
		return len >= STUN_HEADER && header_ok(data) &&
		       len == STUN_HEADER + (u32)cw_get_be16(data + 2) && attributes_ok(data, len) ?
		       CW_DPI_YES : CW_DPI_NO;
	/* TCP: the header at the stream's start decides (32 bits of cookie). */
	if (d->inspected[!client])
		return CW_DPI_NO;
	if (len < STUN_HEADER)
		return data[0] & 0xc0 || (len >= 8 && cw_get_be32(data + 4) != STUN_COOKIE) ?
		       CW_DPI_NO : CW_DPI_MORE;
	return header_ok(data) ? CW_DPI_YES : CW_DPI_NO;
}

struct stun_state {
	u8 pos;		/* bytes of the first type seen */
	u8 type[2];
};

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct stun_state *s = CW_DPI_STATE(d, struct stun_state);
	const char *method, *class;
	u16 type;

	while (len-- && s->pos < 2)
		s->type[s->pos++] = *data++;
	if (s->pos < 2)
		return CW_DPI_MORE;
	type = cw_get_be16(s->type);
	method = methods[method_of(type)];
	class = classes[class_of(type)];
	cw_dpi_detail_put(info, (const u8 *)method, strlen(method));
	cw_dpi_detail_put(info, (const u8 *)" ", 1);
	cw_dpi_detail_put(info, (const u8 *)class, strlen(class));
	return CW_DPI_YES;
}

const struct cw_dpi_parser cw_dpi_stun = {
	.name = "stun",
	.app = CW_APP_STUN,
	.transports = CW_DPI_TCP | CW_DPI_UDP,
	.probe = probe,
	.feed = feed,
};
