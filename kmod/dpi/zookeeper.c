// SPDX-License-Identifier: GPL-2.0
/*
 * ZooKeeper: the client speaks first, with a ConnectRequest (jute, the
 * length BE 4 before it): protocolVersion 0, lastZxidSeen (8),
 * timeOut (ms), sessionId (8), passwd (a 16-byte buffer), and readOnly
 * (1, since 3.4): a length of 44 or 45. Or with a four-letter word
 * ("ruok", "srvr"... ZooKeeper Administrator's Guide, "The Four Letter
 * Words") alone, maybe ended by a newline, answered in text. detail is
 * "connect" or the word.
 */

#include "parsers.h"

#define CONNECT_LEN	32	/* to the passwd's length, included */
#define MAX_TIMEOUT	86400000	/* a day, in ms: clients ask for seconds */

static const char *const words[] = {
	"ruok", "stat", "srvr", "mntr", "conf", "cons", "envi", "dump", "wchs",
	"wchc", "wchp", "crst", "srst", "isro", "dirs", "gtmk", "stmk",
};

/* The answers that tell which word was asked (when the engine held it). */
static const struct {
	const char *answer;
	const char *word;
} answers[] = {
	{ "imok", "ruok" },
	{ "Zookeeper version: ", "srvr" },	/* or stat: srvr is the one allowed by default */
	{ "zk_version\t", "mntr" },
	{ "clientPort=", "conf" },
	{ "Environment:", "envi" },
	{ "SessionTracker dump:", "dump" },
};

struct zk_state {
	u8 start[5];	/* the answer's first bytes */
	u8 pos;		/* bytes of the answer seen */
	u8 alive;	/* answers[] still matching, a bit each */
};

static int word_of(const u8 *data)
{
	unsigned int i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!memcmp(data, words[i], 4))
			return i;
	return -1;
}

static enum cw_dpi_result probe_connect(const u8 *data, u32 len)
{
	u32 size, timeout, i;

	if (len < CONNECT_LEN)
		return CW_DPI_MORE;
	size = cw_get_be32(data);
	timeout = cw_get_be32(data + 16);
	if (size != 44 && size != 45)
		return CW_DPI_NO;
	for (i = 4; i < 8; i++)		/* protocolVersion */
		if (data[i])
			return CW_DPI_NO;
	if ((data[8] & 0x80) || (data[20] & 0x80))	/* zxid, sessionId: >= 0 */
		return CW_DPI_NO;
	if (!timeout || timeout > MAX_TIMEOUT || cw_get_be32(data + 28) != 16)
		return CW_DPI_NO;
	return CW_DPI_YES;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	u32 i;

	if (!client) {
		/*
		 * The server answers a word of exactly 4 bytes, which the
		 * engine held (a word may start a longer command of another
		 * protocol, as "stat" does memcached's "stats").
		 */
		if (d->inspected[0] || d->inspected[1] || d->head_len != 4 || !d->head_client)
			return CW_DPI_NO;
		return data[0] >= 0x20 && data[0] < 0x7f ? CW_DPI_YES : CW_DPI_NO;
	}
	if (d->inspected[0] || d->inspected[1] || (d->head_len && !d->head_client))
		return CW_DPI_NO;
	if (data[0] == 0)
		return probe_connect(data, len);
	for (i = 0; i < 4 && i < len; i++)
		if (data[i] < 'a' || data[i] > 'z')
			return CW_DPI_NO;
	if (len < 5)
		return len < 4 || word_of(data) >= 0 ? CW_DPI_MORE : CW_DPI_NO;
	if (word_of(data) < 0 || (data[4] != '\n' && data[4] != '\r'))
		return CW_DPI_NO;
	return len == 5 || data[5] == '\n' ? CW_DPI_YES : CW_DPI_NO;
}

/* One byte of the answer: true once it told the word (or cannot). */
static bool answer_byte(struct zk_state *s, struct cw_dpi_info *info, u8 c)
{
	unsigned int i;
	int w;

	if (s->pos < sizeof(s->start))
		s->start[s->pos] = c;
	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		u32 n = strlen(answers[i].answer);

		if (!(s->alive & 1 << i))
			continue;
		if (c != (u8)answers[i].answer[s->pos]) {
			s->alive &= ~(1 << i);
		} else if (s->pos == n - 1) {
			cw_dpi_detail_put(info, (const u8 *)answers[i].word, 4);
			return true;
		}
	}
	s->pos++;
	if (s->pos < sizeof(s->start))
		return false;
	/* "ruok is not executed because it is not in the whitelist." */
	w = word_of(s->start);
	if (s->start[4] == ' ' && w >= 0) {
		cw_dpi_detail_put(info, (const u8 *)words[w], 4);
		return true;
	}
	if (!s->alive)
		cw_dpi_detail_put(info, (const u8 *)"4lw", 3);
	return !s->alive;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct zk_state *s = CW_DPI_STATE(d, struct zk_state);
	u32 i;
	int w;

	if (client) {
		if (s->pos)	/* found on the answer: the word is behind */
			return CW_DPI_MORE;
		/* Found on it: whole in the chunk its probe said YES to. */
		w = data[0] && len >= 4 ? word_of(data) : -1;
		cw_dpi_detail_put(info, (const u8 *)(w >= 0 ? words[w] : "connect"),
				  w >= 0 ? 4 : 7);
		return CW_DPI_YES;
	}
	/* A word the engine held: the server's answer tells which. */
	if (!s->pos)
		s->alive = (1 << (sizeof(answers) / sizeof(answers[0]))) - 1;
	for (i = 0; i < len; i++)
		if (answer_byte(s, info, data[i]))
			return CW_DPI_YES;
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_zookeeper = {
	.name = "zookeeper",
	.app = CW_APP_ZOOKEEPER,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
