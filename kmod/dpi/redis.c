// SPDX-License-Identifier: GPL-2.0
/*
 * Redis serialization protocol (RESP, redis.io/docs/reference/protocol-spec):
 * the client sends "*N\r\n" then N bulk strings "$L\r\n<L bytes>\r\n", the
 * first one the command name; or an inline command, "PING\r\n". The probe
 * wants a known command name, not just the framing. Extracts the command
 * (detail) and the user of "AUTH user pass" or "HELLO 3 AUTH user pass".
 */

#include "parsers.h"

#define CMD_MAX 13	/* the longest name below */

/*
 * Commands a client starts with. Those that memcached has too (lowercase
 * there) are claimed inline only in upper case.
 */
static const char *const commands[] = {
	"PING", "AUTH", "HELLO", "INFO", "SELECT", "CLIENT", "COMMAND", "CONFIG",
	"CLUSTER", "ECHO", "KEYS", "SCAN", "EXISTS", "DEL", "UNLINK", "TYPE", "TTL",
	"EXPIRE", "MGET", "MSET", "SETEX", "SETNX", "INCRBY", "HGET", "HSET", "HMGET",
	"HMSET", "HGETALL", "HDEL", "LPUSH", "RPUSH", "LPOP", "RPOP", "LRANGE", "LLEN",
	"SADD", "SMEMBERS", "ZADD", "ZRANGE", "ZRANGEBYSCORE", "XADD", "XREAD",
	"PUBLISH", "SUBSCRIBE", "PSUBSCRIBE", "MULTI", "EXEC", "EVAL", "EVALSHA",
	"SCRIPT", "DBSIZE", "FLUSHDB", "FLUSHALL", "MONITOR", "READONLY", "SYNC",
	"PSYNC", "REPLCONF", "WATCH",
	/* memcached's too: from here on, shared */
	"GET", "SET", "INCR", "DECR", "TOUCH",
};
#define FIRST_SHARED 59
_Static_assert(sizeof(commands) / sizeof(commands[0]) == FIRST_SHARED + 5,
	       "FIRST_SHARED is the index of \"GET\"");

/* @word (@len bytes): a known command; *shared: memcached has it too. */
static bool known(const u8 *word, u32 len, bool *shared)
{
	char up[CMD_MAX + 1];
	unsigned int i;

	if (!len || len > CMD_MAX)
		return false;
	for (i = 0; i < len; i++) {
		u8 c = word[i];

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		else if (c < 'A' || c > 'Z')
			return false;
		up[i] = c;
	}
	up[len] = '\0';
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(up, commands[i])) {
			*shared = i >= FIRST_SHARED;
			return true;
		}
	}
	return false;
}

/* Decimal digits at @data[*pos] up to "\r\n": their value; -1 when malformed, -2: cut. */
static int number(const u8 *data, u32 len, u32 *pos, u32 max)
{
	u32 v = 0, i = *pos;

	for (; i < len && data[i] >= '0' && data[i] <= '9'; i++) {
		v = v * 10 + data[i] - '0';
		if (v > max)
			return -1;
	}
	if (i == *pos && i < len)
		return -1;
	if (i + 2 > len)
		return i < len && data[i] != '\r' ? -1 : -2;
	if (data[i] != '\r' || data[i + 1] != '\n')
		return -1;
	*pos = i + 2;
	return (int)v;
}

static enum cw_dpi_result probe_resp(const u8 *data, u32 len)
{
	u32 pos = 1;
	int n, l;
	bool shared;

	n = number(data, len, &pos, 1000000);
	if (n == -2)
		return CW_DPI_MORE;
	if (n < 1)
		return CW_DPI_NO;
	if (pos >= len)
		return CW_DPI_MORE;
	if (data[pos++] != '$')
		return CW_DPI_NO;
	l = number(data, len, &pos, CMD_MAX);
	if (l == -2)
		return CW_DPI_MORE;
	if (l < 1)
		return CW_DPI_NO;
	if (pos + l + 2 > len)
		return CW_DPI_MORE;
	if (!known(data + pos, l, &shared) || data[pos + l] != '\r' || data[pos + l + 1] != '\n')
		return CW_DPI_NO;
	return CW_DPI_YES;
}

/* "CMD[ args]\r\n", the whole line printable and in the first bytes. */
static enum cw_dpi_result probe_inline(const u8 *data, u32 len)
{
	u32 i, word = 0;
	bool shared;

	for (i = 0; i < len; i++) {
		u8 c = data[i];

		if (!word && (c == ' ' || c == '\r' || c == '\n')) {
			word = i;
			if (!known(data, word, &shared))
				return CW_DPI_NO;
			/* memcached's commands are lowercase: "get k" is not ours */
			if (shared && (data[0] < 'A' || data[0] > 'Z'))
				return CW_DPI_NO;
		}
		if (c == '\n')
			return word ? CW_DPI_YES : CW_DPI_NO;
		if (c == '\r')
			continue;
		if (c < 0x20 || c > 0x7e || (!word && i >= CMD_MAX))
			return CW_DPI_NO;
		/* an HTTP, RTSP or SIP request line is not a command */
		if (c == '/')
			return CW_DPI_NO;
	}
	return len < CW_DPI_HEAD ? CW_DPI_MORE : CW_DPI_NO;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	if (!client || d->inspected[0] || d->inspected[1])
		return CW_DPI_NO;
	/* Decide on the start alone, so that how it is cut does not matter. */
	if (len > CW_DPI_HEAD)
		len = CW_DPI_HEAD;
	if (data[0] == '*')
		return probe_resp(data, len);
	return probe_inline(data, len);
}

enum {
	ST_START,
	ST_COUNT,	/* "*N": digits */
	ST_DOLLAR,	/* '$' of the next argument */
	ST_BULKLEN,	/* its length's digits */
	ST_BULKLF,	/* the LF after the length */
	ST_BULK,	/* the argument's bytes */
	ST_CRLF,	/* the CR LF after it */
	ST_INLINE,	/* an inline command's bytes */
};

enum { CMD_OTHER, CMD_AUTH, CMD_HELLO };

struct redis_state {
	u32 nargs;
	u32 left;	/* bytes left in the argument */
	u8 state;
	u8 arg;		/* the argument being read (saturates) */
	u8 pos;		/* bytes of it read (saturates) */
	u8 cmd;		/* CMD_* */
	u8 crlf;	/* bytes of CR LF seen after a bulk string */
	u8 user_arg;	/* the argument that is a user name, 0: none */
	u8 word[6];	/* the argument's start, upper case */
};

/* One byte of argument @s->arg. */
static void arg_byte(struct redis_state *s, struct cw_dpi_info *info, u8 c)
{
	u8 up = c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;

	if (s->pos < sizeof(s->word))
		s->word[s->pos] = up;
	if (s->pos < 0xff)
		s->pos++;
	if (!s->arg)
		cw_dpi_detail_put(info, &up, 1);
	else if (s->arg == s->user_arg)
		cw_dpi_name_put(info, c);
}

static bool word_is(const struct redis_state *s, const char *w)
{
	u32 n = strlen(w);

	return s->pos == n && !memcmp(s->word, w, n);
}

/* Argument @s->arg ended: what the next ones are. */
static void arg_end(struct redis_state *s)
{
	if (!s->arg) {
		/* "AUTH user pass"; "AUTH pass" names no user */
		if (word_is(s, "AUTH") && s->nargs == 3) {
			s->cmd = CMD_AUTH;
			s->user_arg = 1;
		} else if (word_is(s, "HELLO")) {
			s->cmd = CMD_HELLO;
		}
	} else if (s->cmd == CMD_HELLO && s->arg == 2 && word_is(s, "AUTH")) {
		/* "HELLO protover AUTH user pass" */
		s->user_arg = 3;
	}
	if (s->arg < 0xff)
		s->arg++;
	s->pos = 0;
}

/* Seen all there is to extract: never read a password or a value. */
static bool enough(const struct redis_state *s)
{
	if (s->arg >= s->nargs)
		return true;
	if (s->user_arg)
		return s->arg > s->user_arg;
	return s->cmd != CMD_HELLO || s->arg >= 3;
}

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct redis_state *s = CW_DPI_STATE(d, struct redis_state);
	u32 i;

	if (!client)
		return CW_DPI_MORE;
	for (i = 0; i < len; i++) {
		u8 c = data[i];

		switch (s->state) {
		case ST_START:
			s->state = c == '*' ? ST_COUNT : ST_INLINE;
			if (c == '*')
				break;
			arg_byte(s, info, c);
			break;
		case ST_INLINE:
			/* the command word only */
			if (c == ' ' || c == '\r' || c == '\n')
				return CW_DPI_YES;
			arg_byte(s, info, c);
			break;
		case ST_COUNT:
			if (c == '\r')
				break;
			if (c == '\n') {
				s->state = ST_DOLLAR;
				break;
			}
			if (c < '0' || c > '9' || s->nargs > 1000000)
				return CW_DPI_YES;
			s->nargs = s->nargs * 10 + c - '0';
			break;
		case ST_DOLLAR:
			if (c != '$')
				return CW_DPI_YES;
			s->left = 0;
			s->state = ST_BULKLEN;
			break;
		case ST_BULKLEN:
			if (c == '\r') {
				s->state = ST_BULKLF;
				break;
			}
			if (c < '0' || c > '9' || s->left > 100000000)
				return CW_DPI_YES;
			s->left = s->left * 10 + c - '0';
			break;
		case ST_BULKLF:
			if (c != '\n')
				return CW_DPI_YES;
			s->state = s->left ? ST_BULK : ST_CRLF;
			s->crlf = 0;
			break;
		case ST_BULK:
			arg_byte(s, info, c);
			if (!--s->left) {
				s->state = ST_CRLF;
				s->crlf = 0;
			}
			break;
		case ST_CRLF:
			if (++s->crlf < 2)
				break;
			arg_end(s);
			if (enough(s))
				return CW_DPI_YES;
			s->state = ST_DOLLAR;
			break;
		}
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_redis = {
	.name = "redis",
	.app = CW_APP_REDIS,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
