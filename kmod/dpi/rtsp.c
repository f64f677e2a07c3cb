// SPDX-License-Identifier: GPL-2.0
/*
 * RTSP (RFC 2326 §6.1, §7.1; RFC 7826 for 2.0): requests as in HTTP,
 * "METHOD SP rtsp://host[:port]/path SP RTSP/1.0" or "OPTIONS * RTSP/1.0",
 * and "RTSP/1.0 SP status" from the server. Extracts the first request's
 * method (detail) and the host of its URL (name).
 */

#include "parsers.h"

enum rtsp_step {
	R_METHOD,		/* into detail */
	R_TARGET,		/* the URL's first byte: "*" or a scheme */
	R_SCHEME,		/* "rtsp:" */
	R_SLASHES,		/* "//" */
	R_HOST,			/* into name */
	R_HOST_V6,		/* inside "[...]" */
	R_PORT,			/* or a password, when "@" follows */
};

struct rtsp_state {
	u8 step;		/* enum rtsp_step */
	u8 started;		/* the client's request was seen from its start */
};

/* RFC 2326 §10, RFC 7826 §13. */
static const char *const methods[] = {
	"OPTIONS ", "DESCRIBE ", "ANNOUNCE ", "SETUP ", "PLAY ", "PAUSE ", "TEARDOWN ",
	"GET_PARAMETER ", "SET_PARAMETER ", "REDIRECT ", "RECORD ", "PLAY_NOTIFY ",
};

/* A request's target: an rtsp, rtsps or rtspu URL, or "*" for the server. */
static enum cw_dpi_result target(const u8 *t, u32 len)
{
	enum cw_dpi_result r = cw_dpi_match_nocase(t, len, "rtsp");

	if (r != CW_DPI_YES)
		return len && t[0] == '*' ? cw_dpi_match(t, len, "* RTSP/") : r;
	if (len < 5)
		return CW_DPI_MORE;
	t += 4;
	len -= 4;
	if (t[0] == 's' || t[0] == 'S' || t[0] == 'u' || t[0] == 'U') {
		t++;
		len--;
	}
	return cw_dpi_match(t, len, "://");
}

/* "RTSP/1.0 200" or "RTSP/2.0 200". */
static enum cw_dpi_result status_line(const u8 *data, u32 len)
{
	static const char status[] = "RTSP/x.0 d";
	u32 i;

	for (i = 0; i < sizeof(status) - 1; i++) {
		if (i >= len)
			return CW_DPI_MORE;
		if (status[i] == 'x' ? data[i] != '1' && data[i] != '2' :
		    status[i] == 'd' ? data[i] < '1' || data[i] > '5' : data[i] != (u8)status[i])
			return CW_DPI_NO;
	}
	return CW_DPI_YES;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	enum cw_dpi_result ret = CW_DPI_NO;
	unsigned int i;

	if (d->inspected[!client])
		return CW_DPI_NO;
	if (!client)
		return status_line(data, len);
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		u32 mlen = strlen(methods[i]);

		switch (cw_dpi_match(data, len, methods[i])) {
		case CW_DPI_YES:
			return target(data + mlen, len - mlen);
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
	struct rtsp_state *s = CW_DPI_STATE(d, struct rtsp_state);
	u32 i = 0;

	if (!client)
		/* The server's status line first: the request was missed. */
		return s->started ? CW_DPI_MORE : CW_DPI_YES;
	s->started = 1;
	/* Each turn consumes a byte, or changes state to look at it again. */
	while (i < len) {
		u8 c = data[i++];

		if (c == '\r' || c == '\n' || (c == ' ' && s->step != R_METHOD))
			return CW_DPI_YES;	/* the URL's end */
		switch (s->step) {
		case R_METHOD:
			if (c == ' ')
				s->step = R_TARGET;
			else
				cw_dpi_detail_put(info, &c, 1);
			break;
		case R_TARGET:
			if (c == '*')
				return CW_DPI_YES;
			s->step = R_SCHEME;
			i--;
			break;
		case R_SCHEME:
			if (c == ':')
				s->step = R_SLASHES;
			break;
		case R_SLASHES:
			if (c == '/')
				break;
			s->step = c == '[' ? R_HOST_V6 : R_HOST;
			if (c != '[')
				i--;
			break;
		case R_HOST:
			/* RFC 2326 §3.2: rtsp://host[:port][abs_path] */
			if (c == '/' || c == '?' || c == '#')
				return CW_DPI_YES;
			if (c == ':')
				s->step = R_PORT;
			else if (c == '@')
				name_reset(info);
			else
				name_put(info, c);
			break;
		case R_HOST_V6:
			if (c == ']')
				s->step = R_PORT;
			else
				name_put(info, c);
			break;
		case R_PORT:
			if (c == '/' || c == '?' || c == '#')
				return CW_DPI_YES;
			if (c == '@') {
				name_reset(info);
				s->step = R_SLASHES;
			}
			break;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_rtsp = {
	.name = "rtsp",
	.app = CW_APP_RTSP,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
