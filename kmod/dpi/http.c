// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.x (RFC 9112 §3): the client speaks first, with a request line
 * "method SP request-target SP HTTP-version". Identified on a known method
 * and the start of a target form it allows (§3.2); extracts the first
 * request's method and path (detail) and its Host header (name).
 */

#include "parsers.h"

enum http_step {
	HTTP_METHOD,		/* the request line's method, into detail */
	HTTP_TARGET_START,	/* the target's first byte: which form */
	HTTP_TARGET,		/* the target's path, into detail */
	HTTP_TARGET_ABS,	/* "http://authority" of the absolute form */
	HTTP_REQ_REST,		/* the query and the version: skipped */
	HTTP_LINE_START,	/* a header line, or the empty line */
	HTTP_FIELD_NAME,	/* matching "host:" */
	HTTP_HOST_OWS,		/* spaces before the Host value */
	HTTP_HOST,		/* the Host value, into name */
	HTTP_HOST_V6,		/* inside "[...]" (an IPv6 literal) */
	HTTP_SKIP_LINE,		/* the rest of a line */
	HTTP_END_CR,		/* "\r" of the empty line seen */
};

struct http_state {
	u8 state;
	u8 pos;			/* bytes of "host:" matched */
	u8 host_seen;		/* only the first Host counts */
};

static const char *const methods[] = {
	"GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ",
};

/*
 * The target's start after "METHOD ": origin form "/", absolute form
 * "http://" (proxies; "OPTIONS rtsp://" is RTSP and "OPTIONS sip:" SIP),
 * for CONNECT an authority "host:port", and for OPTIONS the asterisk form
 * "* HTTP/" ("OPTIONS * RTSP/1.0" is RTSP) (RFC 9112 §3.2).
 */
static enum cw_dpi_result target_start(const u8 *t, u32 len, bool connect)
{
	enum cw_dpi_result r;

	if (!len)
		return CW_DPI_MORE;
	if (t[0] == '/')
		return CW_DPI_YES;
	if (t[0] == '*')
		return cw_dpi_match(t, len, "* HTTP/");
	if (connect)
		return (t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z') ||
		       (t[0] >= '0' && t[0] <= '9') || t[0] == '[' ? CW_DPI_YES : CW_DPI_NO;
	r = cw_dpi_match_nocase(t, len, "http://");
	if (r != CW_DPI_NO)
		return r;
	return cw_dpi_match_nocase(t, len, "https://");
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	enum cw_dpi_result ret = CW_DPI_NO;
	unsigned int i;

	/* Client-first: the request opens the client's direction. */
	if (!client || d->inspected[0])
		return CW_DPI_NO;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		u32 mlen = strlen(methods[i]);

		switch (cw_dpi_match(data, len, methods[i])) {
		case CW_DPI_YES:
			return target_start(data + mlen, len - mlen, data[0] == 'C');
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

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct http_state *s = CW_DPI_STATE(d, struct http_state);
	static const char host[] = "host:";
	u32 i = 0;

	if (!client)
		return CW_DPI_MORE;
	/* Each turn consumes a byte, or changes state to look at it again. */
	while (i < len) {
		u8 c = data[i++];

		switch (s->state) {
		case HTTP_METHOD:
			if (c == '\r' || c == '\n') {
				s->state = c == '\n' ? HTTP_LINE_START : HTTP_SKIP_LINE;
				break;
			}
			cw_dpi_detail_put(info, &c, 1);
			if (c != ' ')
				break;
			s->state = HTTP_TARGET_START;
			break;
		case HTTP_TARGET_START:
			/* Absolute form: the path only, the host is in Host too. */
			if ((c | 0x20) == 'h') {
				s->state = HTTP_TARGET_ABS;
				break;
			}
			s->state = HTTP_TARGET;
			i--;
			break;
		case HTTP_TARGET_ABS:
			if (c == ' ' || c == '\r' || c == '\n' || (c == '/' && ++s->pos == 3)) {
				/* The path of "http://host" is "/" (RFC 9110 §4.2.1). */
				cw_dpi_detail_put(info, (const u8 *)"/", 1);
				s->state = c == '/' ? HTTP_TARGET : HTTP_REQ_REST;
				if (c == '\n')
					s->state = HTTP_LINE_START;
			}
			break;
		case HTTP_TARGET:
			/* The path only: a query may hold secrets, and varies. */
			if (c == ' ' || c == '?' || c == '#' || c == '\r' || c == '\n') {
				s->state = c == '\n' ? HTTP_LINE_START : HTTP_REQ_REST;
				break;
			}
			cw_dpi_detail_put(info, &c, 1);
			break;
		case HTTP_REQ_REST:
		case HTTP_SKIP_LINE:
			if (c == '\n')
				s->state = HTTP_LINE_START;
			break;
		case HTTP_LINE_START:
			if (c == '\n')
				return CW_DPI_YES;
			if (c == '\r') {
				s->state = HTTP_END_CR;
				break;
			}
			s->pos = 0;
			s->state = HTTP_FIELD_NAME;
			i--;
			break;
		case HTTP_FIELD_NAME:
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (c != (u8)host[s->pos] || s->host_seen) {
				s->state = c == '\n' ? HTTP_LINE_START : HTTP_SKIP_LINE;
				break;
			}
			if (++s->pos == sizeof(host) - 1) {
				s->host_seen = 1;
				s->state = HTTP_HOST_OWS;
			}
			break;
		case HTTP_HOST_OWS:
			if (c == ' ' || c == '\t')
				break;
			if (c == '[') {
				s->state = HTTP_HOST_V6;
				break;
			}
			s->state = HTTP_HOST;
			i--;
			break;
		case HTTP_HOST:
			/* Up to the port, or the end of the value. */
			if (c == ':' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
				s->state = c == '\n' ? HTTP_LINE_START : HTTP_SKIP_LINE;
				break;
			}
			name_put(info, c);
			break;
		case HTTP_HOST_V6:
			if (c == ']' || c == '\r' || c == '\n') {
				s->state = c == '\n' ? HTTP_LINE_START : HTTP_SKIP_LINE;
				break;
			}
			name_put(info, c);
			break;
		case HTTP_END_CR:
			if (c == '\n')
				return CW_DPI_YES;
			/* A lone CR: not the end; the line is skipped. */
			s->state = HTTP_SKIP_LINE;
			break;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_http = {
	.name = "http",
	.app = CW_APP_HTTP,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
