// SPDX-License-Identifier: GPL-2.0
/*
 * SMTP (RFC 5321): the server speaks first, "220" SP or "220-" (§4.2).
 * FTP (RFC 959 §4.2) greets with "220" too: a greeting that says "SMTP"
 * (ESMTP...) within its first bytes is SMTP, one that says "FTP" is left
 * to ftp.c, and one that says neither is decided by the client's first
 * command (EHLO/HELO... SMTP, USER/AUTH/FEAT... FTP, RFC 959 §5.3.1).
 *
 * The feed is the command-line machine of the server-first text protocols
 * (SMTP, FTP, POP3, IMAP: ftp.c, pop3.c and imap.c call it): detail is the
 * client's first command, name the argument of its login or greeting
 * command (EHLO/HELO, USER, USER/APOP, LOGIN).
 */

#include "parsers.h"

#define WORD_LEN	12	/* "AUTHENTICATE" */
#define MAX_LINES	8	/* client lines read before giving up on the name */

enum phase {
	P_TAG,		/* IMAP: the tag before the command (RFC 9051 §2.2.1) */
	P_WORD,		/* the command */
	P_ARG_START,	/* spaces before the argument wanted */
	P_ARG,		/* an atom, up to SP or CRLF */
	P_QUOTED,	/* IMAP quoted string (RFC 9051 §4.3) */
	P_ESCAPE,	/* ... after a backslash */
	P_EOL,		/* the rest of the line */
};

struct cmd_state {
	u8 word[WORD_LEN];	/* the command, upper case */
	u8 word_len;
	u8 phase;
	u8 lines;		/* client lines ended */
	u8 started;
	u8 undecided;		/* SMTP or FTP: the first command tells */
	u8 done;
};

/* Commands an FTP client may start with, none of which SMTP has. */
static const char *const ftp_words[] = {
	"USER", "PASS", "ACCT", "AUTH", "FEAT", "SYST", "OPTS", "PWD", "XPWD", "CWD",
	"TYPE", "PASV", "EPSV", "PORT", "EPRT", "LIST", "NLST", "RETR", "STOR", "SIZE",
	"MDTM", "MLSD", "MLST", "CLNT", "PBSZ", "PROT", "SITE",
};

/*
 * Scans the greeting's first CW_DPI_HEAD bytes, all the engine promises to
 * show at once: NO if it is not a "220" greeting of printable text, else
 * whether it names SMTP or FTP.
 */
enum greeting { G_NO, G_MORE, G_PLAIN, G_SMTP, G_FTP };

static enum greeting greeting(const u8 *data, u32 len)
{
	u32 i, end = len < CW_DPI_HEAD ? len : CW_DPI_HEAD;
	u32 window = 0;
	bool ftp = false, line_end = false;

	if (len < 4)
		return cw_dpi_match(data, len, "220") == CW_DPI_NO ? G_NO : G_MORE;
	if (cw_dpi_match(data, len, "220") != CW_DPI_YES || (data[3] != ' ' && data[3] != '-'))
		return G_NO;
	for (i = 4; i < end; i++) {
		u8 c = data[i];

		if (c == '\r' || c == '\n') {
			line_end = true;
			continue;
		}
		if (c < 0x20 || c >= 0x7f)
			return G_NO;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		window = window << 8 | c;
		if (window == ('S' << 24 | 'M' << 16 | 'T' << 8 | 'P'))
			return G_SMTP;
		if ((window & 0xffffff) == ('F' << 16 | 'T' << 8 | 'P'))
			ftp = true;
	}
	/* "SMTP" may still follow "FTP" on a greeting cut short. */
	if (end < CW_DPI_HEAD && !line_end)
		return G_MORE;
	return ftp ? G_FTP : G_PLAIN;
}

/* The server spoke before the client (its start may be held by the engine). */
static bool server_first(const struct cw_dpi *d)
{
	return d->inspected[1] || (d->head_len && !d->head_client);
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	if (client) {
		/*
		 * A plain "220" greeting, and the client answers with a
		 * command: its feed tells SMTP from FTP.
		 */
		if (!server_first(d) || d->inspected[0])
			return CW_DPI_NO;
		return (data[0] | 0x20) >= 'a' && (data[0] | 0x20) <= 'z' ? CW_DPI_YES : CW_DPI_NO;
	}
	if (d->inspected[0] || (d->head_len && d->head_client))
		return CW_DPI_NO;
	if (d->inspected[1])
		return CW_DPI_MORE;	/* the rest of a plain greeting */
	switch (greeting(data, len)) {
	case G_SMTP:
		return CW_DPI_YES;
	case G_MORE:
	case G_PLAIN:
		return CW_DPI_MORE;
	default:
		return CW_DPI_NO;
	}
}

static bool word_is(const struct cmd_state *s, const char *w)
{
	return strlen(w) == (size_t)s->word_len && !memcmp(s->word, w, s->word_len);
}

static bool is_ftp_word(const struct cmd_state *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(ftp_words) / sizeof(ftp_words[0]); i++)
		if (word_is(s, ftp_words[i]))
			return true;
	return false;
}

/* A command ended: the phase that follows. */
static u8 command(struct cw_dpi *d, struct cw_dpi_info *info, struct cmd_state *s)
{
	bool login;

	if (!s->lines)
		cw_dpi_detail_put(info, s->word, s->word_len);
	if (s->undecided) {
		s->undecided = 0;
		d->app = is_ftp_word(s) ? CW_APP_FTP : CW_APP_SMTP;
	}
	switch (d->app) {
	case CW_APP_FTP:
		/* After AUTH TLS/SSL (RFC 4217 §4) all is encrypted. */
		s->done = word_is(s, "AUTH");
		login = word_is(s, "USER");
		break;
	case CW_APP_POP3:
		s->done = word_is(s, "STLS");	/* RFC 2595 §4 */
		login = word_is(s, "USER") || word_is(s, "APOP");
		break;
	case CW_APP_IMAP:
		s->done = word_is(s, "STARTTLS");
		login = word_is(s, "LOGIN");
		break;
	default:
		s->done = word_is(s, "STARTTLS");	/* RFC 3207 */
		login = word_is(s, "EHLO") || word_is(s, "HELO") || word_is(s, "LHLO");
		break;
	}
	return login ? P_ARG_START : P_EOL;
}

static void client_byte(struct cw_dpi *d, struct cw_dpi_info *info, struct cmd_state *s, u8 c)
{
	if (c == '\n') {
		if (s->phase == P_WORD && s->word_len)
			command(d, info, s);
		else if (s->phase == P_ARG)
			s->done = 1;
		if (++s->lines >= MAX_LINES)
			s->done = 1;
		s->phase = d->app == CW_APP_IMAP ? P_TAG : P_WORD;
		s->word_len = 0;
		return;
	}
	switch (s->phase) {
	case P_TAG:
		if (c == ' ')
			s->phase = P_WORD;
		break;
	case P_WORD:
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c >= 'A' && c <= 'Z') {
			if (s->word_len < WORD_LEN)
				s->word[s->word_len++] = c;
			break;
		}
		s->phase = s->word_len ? command(d, info, s) : P_EOL;
		if (c != ' ')
			s->phase = P_EOL;
		break;
	case P_ARG_START:
		if (c == ' ')
			break;
		if (c == '"' && d->app == CW_APP_IMAP) {
			s->phase = P_QUOTED;
			break;
		}
		if (c == '\r' || c == '{') {	/* none, or an IMAP literal */
			s->phase = P_EOL;
			break;
		}
		cw_dpi_name_put(info, c);
		s->phase = P_ARG;
		break;
	case P_ARG:
		if (c == ' ' || c == '\r') {
			s->done = 1;
			break;
		}
		cw_dpi_name_put(info, c);
		break;
	case P_QUOTED:
		if (c == '\\')
			s->phase = P_ESCAPE;
		else if (c == '"' || c == '\r')
			s->done = 1;
		else
			cw_dpi_name_put(info, c);
		break;
	case P_ESCAPE:
		cw_dpi_name_put(info, c);
		s->phase = P_QUOTED;
		break;
	}
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct cmd_state *s = CW_DPI_STATE(d, struct cmd_state);
	u32 i;

	if (!s->started) {
		s->started = 1;
		s->phase = d->app == CW_APP_IMAP ? P_TAG : P_WORD;
		/* Found on the client's first command: the greeting was plain. */
		s->undecided = d->app == CW_APP_SMTP && client;
	}
	if (!client)
		return CW_DPI_MORE;
	for (i = 0; i < len && !s->done; i++)
		client_byte(d, info, s, data[i]);
	return s->done ? CW_DPI_YES : CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_smtp = {
	.name = "smtp",
	.app = CW_APP_SMTP,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
