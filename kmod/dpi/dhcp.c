// SPDX-License-Identifier: GPL-2.0
/*
 * DHCP (RFC 2131 §2): a BOOTP message (RFC 951) of 236 bytes, the magic
 * cookie 99.130.83.99, then options (RFC 2132), of which 53, the message
 * type, makes it DHCP. Extracts the type (detail) and the client's host
 * name (option 12, name).
 */

#include "parsers.h"

#define BOOTP_LEN	236
#define DHCP_OPTIONS	(BOOTP_LEN + 4)
#define OPT_PAD		0
#define OPT_HOST_NAME	12
#define OPT_TYPE	53
#define OPT_END		255
#define DHCP_DATAGRAMS	4	/* looked at for a host name */

/* RFC 2132 §9.6, RFC 3203, RFC 4388, RFC 6926, RFC 7724. */
static const char *const types[] = {
	[1] = "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE",
	"INFORM", "FORCERENEW", "LEASEQUERY", "LEASEUNASSIGNED", "LEASEUNKNOWN",
	"LEASEACTIVE", "BULKLEASEQUERY", "LEASEQUERYDONE", "ACTIVELEASEQUERY",
	"LEASEQUERYSTATUS", "TLS",
};

struct dhcp_msg {
	u8 type;	/* option 53 */
	u8 name_len;
	u32 name;	/* where option 12's value is, 0: absent */
};

/*
 * A whole message: BOOTP's fixed fields sane (op, a hardware address of at
 * most 16 bytes, few relay hops, flags other than broadcast clear), the
 * cookie, options that end with END and hold a known message type.
 */
static bool parse(const u8 *data, u32 len, struct dhcp_msg *m)
{
	u32 i = DHCP_OPTIONS;

	if (len < DHCP_OPTIONS + 3 || (data[0] != 1 && data[0] != 2) ||
	    !data[1] || data[1] > 40 || data[2] > 16 || data[3] > 16 ||
	    cw_get_be16(data + 10) & 0x7fff || cw_get_be32(data + BOOTP_LEN) != 0x63825363)
		return false;
	memset(m, 0, sizeof(*m));
	while (i < len) {
		u8 code = data[i], size;

		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END)
			return m->type > 0;
		if (len - i < 2 || data[i + 1] > len - i - 2)
			return false;
		size = data[i + 1];
		if (code == OPT_TYPE) {
			if (size != 1 || !data[i + 2] ||
			    data[i + 2] >= sizeof(types) / sizeof(types[0]))
				return false;
			m->type = data[i + 2];
		} else if (code == OPT_HOST_NAME && size) {
			m->name = i + 2;
			m->name_len = size;
		}
		i += 2 + size;
	}
	return false;	/* no END */
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	struct dhcp_msg m;

	return parse(data, len, &m) ? CW_DPI_YES : CW_DPI_NO;
}

struct dhcp_state {
	u8 datagrams;
};

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct dhcp_state *s = CW_DPI_STATE(d, struct dhcp_state);
	struct dhcp_msg m;
	u32 i;

	if (parse(data, len, &m)) {
		if (!info->detail_len) {
			const char *type = types[m.type];

			cw_dpi_detail_put(info, (const u8 *)type, strlen(type));
		}
		if (!info->name_len) {
			for (i = 0; i < m.name_len; i++) {
				u8 c = data[m.name + i];

				cw_dpi_name_put(info, c > 0x20 && c < 0x7f ? c : '?');
			}
		}
	}
	/* A DISCOVER without a host name may be followed by a REQUEST with one. */
	return info->name_len || ++s->datagrams >= DHCP_DATAGRAMS ? CW_DPI_YES : CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_dhcp = {
	.name = "dhcp",
	.app = CW_APP_DHCP,
	.transports = CW_DPI_UDP,
	.probe = probe,
	.feed = feed,
};
