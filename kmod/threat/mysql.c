// SPDX-License-Identifier: GPL-2.0
/*
 * MySQL: the login (greeting, the client's handshake response, the
 * server's answer with any auth-switch rounds) for failed logins, then the
 * client's queries (COM_QUERY, COM_STMT_PREPARE) for SQL injection; a
 * client that asks for TLS or compression ends the checks. A
 * packet is a 3-byte little-endian length, a sequence byte, the payload;
 * packets may be cut anywhere and come several to a chunk.
 */

#include "threat.h"
#include "sql.h"

enum phase {
	P_GREETING,	/* the server's first packet */
	P_LOGIN,	/* the client's handshake response */
	P_AUTH,		/* until the server's OK */
	P_COMMAND,
};

/* Capability flags the client's response sets: byte of the LE u32, bit. */
#define CLIENT_COMPRESS_BYTE0	0x20	/* CLIENT_COMPRESS, 0x20 */
#define CLIENT_SSL_BYTE1	0x08	/* CLIENT_SSL, 0x0800 */
#define CLIENT_ZSTD_BYTE3	0x04	/* CLIENT_ZSTD_COMPRESSION_ALGORITHM, 1 << 26 */
#define MYSQL_OK		0x00
#define MYSQL_ERR		0xff
#define ER_ACCESS_DENIED	1045
#define COM_QUERY		0x03
#define COM_STMT_PREPARE	0x16

struct mysql_state {
	struct cw_sql sql;
	u32 left[2];	/* payload bytes left of the current packet, [0] client */
	u16 code;	/* the server's ERR code */
	u8 head[2];	/* header bytes read of the current packet, 0..4 */
	u8 pos[2];	/* payload bytes read of it (saturates) */
	u8 phase;	/* enum phase */
	u8 cmd;		/* the client's packet: its command */
	u8 answer;	/* the server's packet in P_AUTH: its first byte */
};

static bool is_query(u8 cmd)
{
	return cmd == COM_QUERY || cmd == COM_STMT_PREPARE;
}

/* @n bytes of a packet's payload, at its offset pos[d]. */
static u64 payload(struct cw_threat_scan *s, struct mysql_state *st, unsigned int d,
		   const u8 *p, u32 n)
{
	u32 i, at = st->pos[d];

	if (d == 1) {
		/* The server: first byte, then a 2-byte error code. */
		for (i = 0; st->phase == P_AUTH && i < n && at + i < 3; i++) {
			if (at + i == 0)
				st->answer = p[i];
			else
				st->code |= p[i] << (8 * (at + i - 1));
		}
		return 0;
	}
	if (st->phase == P_LOGIN) {
		/* TLS or compression: the rest cannot be read. */
		for (i = 0; i < n && at + i < 4; i++) {
			if ((at + i == 0 && (p[i] & CLIENT_COMPRESS_BYTE0)) ||
			    (at + i == 1 && (p[i] & CLIENT_SSL_BYTE1)) ||
			    (at + i == 3 && (p[i] & CLIENT_ZSTD_BYTE3)))
				s->done = 1;
		}
		return 0;
	}
	if (st->phase != P_COMMAND)
		return 0;
	i = 0;
	if (at == 0) {
		st->cmd = p[0];
		if (is_query(st->cmd))
			cw_sql_start(&st->sql, CW_SQL_MYSQL);
		i = 1;
	}
	if (is_query(st->cmd) && n > i && cw_sql_feed(&st->sql, p + i, n - i))
		return CW_THREAT_BIT(CW_THREAT_MYSQL_SQL_INJECTION);
	return 0;
}

static u64 packet_end(struct mysql_state *st, unsigned int d)
{
	u64 found = 0;

	st->head[d] = 0;
	st->left[d] = 0;
	if (d == 0) {
		if (st->phase == P_LOGIN)
			st->phase = P_AUTH;
		else if (st->phase == P_COMMAND && is_query(st->cmd) && cw_sql_end(&st->sql))
			found = CW_THREAT_BIT(CW_THREAT_MYSQL_SQL_INJECTION);
		st->cmd = 0;
		return found;
	}
	if (st->phase == P_GREETING) {
		st->phase = P_LOGIN;
	} else if (st->phase == P_AUTH) {
		/* 0xfe (auth switch) and 0x01 (more data) keep the login going. */
		if (st->answer == MYSQL_OK)
			st->phase = P_COMMAND;
		else if (st->answer == MYSQL_ERR && st->code == ER_ACCESS_DENIED)
			found = CW_THREAT_BIT(CW_THREAT_MYSQL_AUTH_FAILURES);
		st->answer = 0;
		st->code = 0;
	}
	return found;
}

static u64 scan(struct cw_threat_scan *s, const struct cw_threat_limits *limits,
		bool client, const u8 *data, u32 len, u32 now_ms)
{
	struct mysql_state *st = CW_THREAT_STATE(s, struct mysql_state);
	unsigned int d = !client;
	u64 found = 0;
	u32 n;

	/* Result sets: nothing to see. */
	if (!client && st->phase == P_COMMAND)
		return 0;
	while (len && !s->done) {
		if (st->head[d] < 4) {
			if (st->head[d] < 3)
				st->left[d] |= (u32)*data << (8 * st->head[d]);
			data++;
			len--;
			if (++st->head[d] == 4) {
				st->pos[d] = 0;
				if (!st->left[d])
					found |= packet_end(st, d);
			}
			continue;
		}
		n = len < st->left[d] ? len : st->left[d];
		found |= payload(s, st, d, data, n);
		st->pos[d] = st->pos[d] + n < 255 ? st->pos[d] + n : 255;
		data += n;
		len -= n;
		st->left[d] -= n;
		if (!st->left[d])
			found |= packet_end(st, d);
	}
	return found;
}

const struct cw_threat_checker cw_threat_mysql = {
	.name = "mysql",
	.app = CW_APP_MYSQL,
	.scan = scan,
};
