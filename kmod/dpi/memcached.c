// SPDX-License-Identifier: GPL-2.0
/*
 * memcached (github.com/memcached/memcached, doc/protocol.txt and
 * protocol_binary.h): a text command line ("get key\r\n", "set key flags
 * exptime bytes\r\n", meta commands "mg key v\r\n"...), checked against its
 * arguments' shape, or a binary request: a 24-byte header, magic 0x80, a
 * known opcode with the extras and key lengths it takes, within the body.
 * Extracts the first command (detail): "get", "binary set".
 */

#include "parsers.h"

#define KEY_MAX		250		/* memcached's KEY_MAX_LENGTH */
#define BODY_MAX	(64u << 20)	/* larger than any item memcached takes */

/*
 * Text commands and their arguments: k a key, n a number, o any further
 * tokens (noreply, flags, more keys); "" nothing at all.
 */
static const struct {
	const char *name;
	const char *args;
} text_cmds[] = {
	{ "get", "ko" }, { "gets", "ko" }, { "gat", "nko" }, { "gats", "nko" },
	{ "set", "knnno" }, { "add", "knnno" }, { "replace", "knnno" },
	{ "append", "knnno" }, { "prepend", "knnno" }, { "cas", "knnnno" },
	{ "delete", "ko" }, { "incr", "kno" }, { "decr", "kno" }, { "touch", "kno" },
	{ "stats", "o" }, { "version", "" }, { "flush_all", "o" }, { "verbosity", "no" },
	{ "quit", "" }, { "mg", "ko" }, { "ms", "kno" }, { "md", "ko" }, { "ma", "ko" },
	{ "me", "k" }, { "mn", "" },
};

/* Binary opcodes: extras length (EXT_ANY: 0 or 4) and key (KEY_*). */
#define EXT_ANY 0xff
enum { KEY_NONE, KEY_NEEDED, KEY_ANY };

static const struct {
	const char *name;
	u8 extras;
	u8 key;
} bin_cmds[] = {
	[0x00] = { "get", 0, KEY_NEEDED },	[0x01] = { "set", 8, KEY_NEEDED },
	[0x02] = { "add", 8, KEY_NEEDED },	[0x03] = { "replace", 8, KEY_NEEDED },
	[0x04] = { "delete", 0, KEY_NEEDED },	[0x05] = { "incr", 20, KEY_NEEDED },
	[0x06] = { "decr", 20, KEY_NEEDED },	[0x07] = { "quit", 0, KEY_NONE },
	[0x08] = { "flush", EXT_ANY, KEY_NONE }, [0x09] = { "getq", 0, KEY_NEEDED },
	[0x0a] = { "noop", 0, KEY_NONE },	[0x0b] = { "version", 0, KEY_NONE },
	[0x0c] = { "getk", 0, KEY_NEEDED },	[0x0d] = { "getkq", 0, KEY_NEEDED },
	[0x0e] = { "append", 0, KEY_NEEDED },	[0x0f] = { "prepend", 0, KEY_NEEDED },
	[0x10] = { "stat", 0, KEY_ANY },	[0x11] = { "setq", 8, KEY_NEEDED },
	[0x12] = { "addq", 8, KEY_NEEDED },	[0x13] = { "replaceq", 8, KEY_NEEDED },
	[0x14] = { "deleteq", 0, KEY_NEEDED },	[0x15] = { "incrq", 20, KEY_NEEDED },
	[0x16] = { "decrq", 20, KEY_NEEDED },	[0x17] = { "quitq", 0, KEY_NONE },
	[0x18] = { "flushq", EXT_ANY, KEY_NONE }, [0x19] = { "appendq", 0, KEY_NEEDED },
	[0x1a] = { "prependq", 0, KEY_NEEDED },	[0x1b] = { "verbosity", 4, KEY_NONE },
	[0x1c] = { "touch", 4, KEY_NEEDED },	[0x1d] = { "gat", 4, KEY_NEEDED },
	[0x1e] = { "gatq", 4, KEY_NEEDED },	[0x20] = { "sasl_list_mechs", 0, KEY_NONE },
	[0x21] = { "sasl_auth", 0, KEY_NEEDED }, [0x22] = { "sasl_step", 0, KEY_NEEDED },
};
#define BIN_CMDS (sizeof(bin_cmds) / sizeof(bin_cmds[0]))

/* The request header (protocol_binary.h): all of it is in the first 24 bytes. */
static enum cw_dpi_result probe_binary(const u8 *data, u32 len)
{
	u32 keylen, extlen, body;
	u8 op;

	if (len < 2)
		return CW_DPI_MORE;
	op = data[1];
	if (op >= BIN_CMDS || !bin_cmds[op].name)
		return CW_DPI_NO;
	if (len < 24)
		return CW_DPI_MORE;
	keylen = cw_get_be16(data + 2);
	extlen = data[4];
	body = cw_get_be32(data + 8);
	/* raw data type; vbucket 0 (memcached has none) */
	if (data[5] || data[6] || data[7])
		return CW_DPI_NO;
	if (body > BODY_MAX || keylen > KEY_MAX || keylen + extlen > body)
		return CW_DPI_NO;
	if (bin_cmds[op].extras == EXT_ANY ? extlen && extlen != 4 : extlen != bin_cmds[op].extras)
		return CW_DPI_NO;
	if ((bin_cmds[op].key == KEY_NEEDED && !keylen) || (bin_cmds[op].key == KEY_NONE && keylen))
		return CW_DPI_NO;
	return CW_DPI_YES;
}

/*
 * The command line's arguments from @data[@i] as @args says. Seen up to the
 * first bytes only: a line that goes on past them passes if all so far did.
 */
static enum cw_dpi_result check_args(const u8 *data, u32 len, u32 i, const char *args)
{
	for (; *args; args++) {
		u32 start;

		if (*args == 'o') {
			/* anything printable up to the line's end */
			for (; i < len && data[i] != '\r' && data[i] != '\n'; i++)
				if (data[i] < 0x20 || data[i] > 0x7e)
					return CW_DPI_NO;
			break;
		}
		if (i >= len)
			return len < CW_DPI_HEAD ? CW_DPI_MORE : CW_DPI_YES;
		if (data[i++] != ' ')
			return CW_DPI_NO;
		for (start = i; i < len && data[i] != ' ' && data[i] != '\r' && data[i] != '\n';
		     i++) {
			if (data[i] <= 0x20 || data[i] > 0x7e)
				return CW_DPI_NO;
			if (*args == 'n' && (data[i] < '0' || data[i] > '9') &&
			    !(data[i] == '-' && i == start))
				return CW_DPI_NO;
		}
		if (i >= len)
			return len < CW_DPI_HEAD ? CW_DPI_MORE : CW_DPI_YES;
		if (i == start)
			return CW_DPI_NO;
	}
	if (i >= len)
		return len < CW_DPI_HEAD ? CW_DPI_MORE : CW_DPI_YES;
	if (data[i] == '\n')
		return CW_DPI_YES;
	if (data[i] != '\r')
		return CW_DPI_NO;
	if (i + 1 >= len)
		return len < CW_DPI_HEAD ? CW_DPI_MORE : CW_DPI_YES;
	return data[i + 1] == '\n' ? CW_DPI_YES : CW_DPI_NO;
}

static enum cw_dpi_result probe_text(const u8 *data, u32 len)
{
	unsigned int c;
	u32 word;

	for (word = 0; word < len && data[word] >= 'a' && data[word] <= 'z'; word++)
		;
	if (word < len && data[word] == '_')	/* flush_all */
		for (word++; word < len && data[word] >= 'a' && data[word] <= 'z'; word++)
			;
	if (word == len)
		return word < 10 ? CW_DPI_MORE : CW_DPI_NO;
	for (c = 0; c < sizeof(text_cmds) / sizeof(text_cmds[0]); c++)
		if (strlen(text_cmds[c].name) == word &&
		    !memcmp(data, text_cmds[c].name, word))
			return check_args(data, len, word, text_cmds[c].args);
	return CW_DPI_NO;
}

static enum cw_dpi_result probe(const struct cw_dpi *d, bool client, const u8 *data, u32 len)
{
	if (!client || d->inspected[0] || d->inspected[1])
		return CW_DPI_NO;
	/* Decide on the start alone, so that how it is cut does not matter. */
	if (len > CW_DPI_HEAD)
		len = CW_DPI_HEAD;
	if (data[0] == 0x80)
		return probe_binary(data, len);
	return probe_text(data, len);
}

struct memcached_state {
	u8 pos;		/* bytes of the command seen */
	u8 binary;
};

static enum cw_dpi_result feed(struct cw_dpi *d, struct cw_dpi_info *info, bool client,
			       const u8 *data, u32 len)
{
	struct memcached_state *s = CW_DPI_STATE(d, struct memcached_state);
	u32 i;

	if (!client)
		return CW_DPI_MORE;
	for (i = 0; i < len; i++) {
		u8 c = data[i];

		if (!s->pos && c == 0x80) {
			s->binary = 1;
		} else if (s->binary) {
			/* the opcode: the probe checked it is known */
			cw_dpi_detail_put(info, (const u8 *)"binary ", 7);
			if (c < BIN_CMDS && bin_cmds[c].name)
				cw_dpi_detail_put(info, (const u8 *)bin_cmds[c].name,
						  strlen(bin_cmds[c].name));
			return CW_DPI_YES;
		} else if (c == ' ' || c == '\r' || c == '\n' || s->pos >= 16) {
			return CW_DPI_YES;
		} else {
			cw_dpi_detail_put(info, &c, 1);
		}
		s->pos++;
	}
	return CW_DPI_MORE;
}

const struct cw_dpi_parser cw_dpi_memcached = {
	.name = "memcached",
	.app = CW_APP_MEMCACHED,
	.transports = CW_DPI_TCP,
	.probe = probe,
	.feed = feed,
};
