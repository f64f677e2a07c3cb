// SPDX-License-Identifier: GPL-2.0
/*
 * SIP over TCP or UDP (RFC 3261 §7.1, §7.2): a request line
 * "METHOD SP sip:user@host:port;params SP SIP/2.0", or a status line
 * "SIP/2.0 SP code". Extracts the first request's method (detail) and the
 * host of its Request-URI (name).
 */

#include "parsers.h"

enum sip_step {
	S_METHOD,		/* into detail */
	S_SCHEME,		/* "sip:", "sips:" */
	S_HOST,			/* into name */
	S_HOST_V6,		/* inside "[...]" */
	S_TAIL,			/* port, params, headers: or userinfo, if "@" follows */
};

struct sip_state {
	u8 step;		/* enum sip_step */
	u8 started;		/* the client's request was seen from its start */
};

/* RFC 3261 §27.4 and the extensions registered there. */
static const char *const methods[] = {
	"INVITE ", "ACK ", "BYE ", "CANCEL ", "REGISTER ", "OPTIONS ", "PRACK ", "SUBSCRIBE ",
	"NOTIFY ", "PUBLISH ", "INFO ", "REFER ", "MESSAGE ", "UPDATE ",
};

/* "SIP/2.0 100" to "SIP/2.0 699" (§7.2). */
static enum cw_dpi_result status_line(const u8 *data, u32 len)
{
	enum cw_dpi_result r = cw_dpi_match(data, len, "SIP/2.0 ");

	if (r != CW_DPI_YES)
		return r;
	if (len < 9)
		return CW_DPI_MORE;
	return data[8] >= '1' && data[8] <= '6' ? CW_DPI_YES : CW_DPI_NO;
}

/* A request's URI: sip or sips (§19.1). */
static enum cw_dpi_result uri(const u8 *t, u32 len)
{
	enum cw_dpi_result r = cw_dpi_match_nocase(t, len, "sip:");

	return r == CW_DPI_NO ? cw_dpi_match_nocase(t, len, "sips:") : r;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	enum cw_dpi_result ret;
	unsigned int i;

	if (d->inspected[!client])
		return CW_DPI_NO;
	/* A UA answers requests, and sends its own: both start a direction. */
	ret = status_line(data, len);
	if (ret != CW_DPI_NO)
		return ret;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		u32 mlen = strlen(methods[i]);

		switch (cw_dpi_match(data, len, methods[i])) {
		case CW_DPI_YES:
			return uri(data + mlen, len - mlen);
		case CW_DPI_MORE:
			ret = CW_DPI_MORE;
			break;
		case CW_DPI_NO:
			break;
		}
	}
	return ret;
}

/* Names are printable: anything else (a NUL too) shows as '?'. */
static void name_put(struct cw_dpi_info *info, u8 c)
{
	cw_dpi_name_put(info, c > 0x20 && c < 0x7f ? c : '?');
}

/* What was taken for the host was the userinfo: start again. */
static void name_reset(struct cw_dpi_info *info)
{
	info->name_len = 0;
	info->name[0] = '\0';
	info->truncated = 0;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct sip_state *s = CW_DPI_STATE(d, struct sip_state);
	u32 i;

	if (!client || (!s->started && status_line(data, len) != CW_DPI_NO))
		/* A response first: the request was missed. */
		return s->started ? CW_DPI_MORE : CW_DPI_YES;
	s->started = 1;
	for (i = 0; i < len; i++) {
		u8 c = data[i];

		if (c == '\r' || c == '\n' || (c == ' ' && s->step != S_METHOD))
			return CW_DPI_YES;	/* the URI's end */
		switch (s->step) {
		case S_METHOD:
			if (c == ' ')
				s->step = S_SCHEME;
			else
				cw_dpi_detail_put(info, &c, 1);
			break;
		case S_SCHEME:
			if (c == ':')
				s->step = S_HOST;
			break;
		case S_HOST:
			/* §19.1.1: the user part may hold ":;?" too, until "@". */
			if (c == '[' && !info->name_len)
				s->step = S_HOST_V6;
			else if (c == ':' || c == ';' || c == '?' || c == '>')
				s->step = S_TAIL;
			else if (c == '@')
				name_reset(info);
			else
				name_put(info, c);
			break;
		case S_HOST_V6:
			if (c == ']')
				s->step = S_TAIL;
			else
				name_put(info, c);
			break;
		case S_TAIL:
			if (c == '@') {
				name_reset(info);
				s->step = S_HOST;
			}
			break;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_sip = {
	.name = "sip",
	.app = CW_APP_SIP,
	.transports = CW_DPI_TCP | CW_DPI_UDP,
	.probe = probe,
	.feed = feed,
};
