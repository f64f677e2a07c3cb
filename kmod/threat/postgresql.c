// SPDX-License-Identifier: GPL-2.0
/*
 * PostgreSQL: the client's messages, for SQL injection in simple queries
 * ('Q') and in the statements it prepares ('P'). The first message has no
 * type byte (a startup, SSL, GSS or cancel request); when the server
 * accepts SSL or GSS encryption ('S', 'G'), nothing more can be seen. The
 * server is otherwise not looked at.
 */

#include "threat.h"
#include "sql.h"

enum phase {
	P_STARTUP,	/* untyped messages: length, code, body */
	P_TYPED,	/* type, length, body */
};

#define PG_PROTOCOL_3	3	/* a startup code's major version */
#define PG_CANCEL	80877102
#define PG_SSL		80877103
#define PG_GSSENC	80877104
#define TLS_HANDSHAKE	0x16	/* TLS right away (sslnegotiation=direct) */

/* Where in a message's body: parts end at a NUL. */
enum { PART_NAME, PART_QUERY, PART_REST };

struct pg_state {
	struct cw_sql sql;
	u32 left;	/* body bytes left of the current message */
	u32 code;	/* a startup message's code */
	u8 head;	/* header bytes read */
	u8 type;	/* the current message's type (P_TYPED) */
	u8 phase;	/* enum phase */
	u8 part;
	u8 answer;	/* an SSL or GSS request waits for the server's byte */
};

#define SQL_INJECTION CW_THREAT_BIT(CW_THREAT_POSTGRESQL_SQL_INJECTION)

/* A header's last byte came: the body's length and what it holds. */
static void header_end(struct cw_threat_scan *s, struct pg_state *st)
{
	u32 header = st->phase == P_STARTUP ? 8 : 4;

	if (st->left < header) {
		s->done = 1;
		return;
	}
	st->left -= header;
	if (st->phase == P_STARTUP) {
		if (st->code == PG_SSL || st->code == PG_GSSENC)
			st->answer = 1;
		else if (st->code >> 16 != PG_PROTOCOL_3)
			s->done = 1;	/* a cancel request, or unknown */
		st->part = PART_REST;
		return;
	}
	st->part = st->type == 'Q' ? PART_QUERY : st->type == 'P' ? PART_NAME : PART_REST;
	if (st->part == PART_QUERY)
		cw_sql_start(&st->sql, CW_SQL_POSTGRESQL);
}

static u64 body(struct pg_state *st, const u8 *p, u32 n)
{
	u64 found = 0;
	u32 k;

	while (n && st->part != PART_REST) {
		for (k = 0; k < n && p[k]; k++)
			;
		if (st->part == PART_QUERY && k && cw_sql_feed(&st->sql, p, k))
			found |= SQL_INJECTION;
		if (k == n)
			break;
		/* A NUL ends the statement's name, or the query. */
		if (st->part == PART_QUERY) {
			if (cw_sql_end(&st->sql))
				found |= SQL_INJECTION;
			st->part = PART_REST;
		} else {
			cw_sql_start(&st->sql, CW_SQL_POSTGRESQL);
			st->part = PART_QUERY;
		}
		p += k + 1;
		n -= k + 1;
	}
	return found;
}

static u64 message_end(struct pg_state *st)
{
	u64 found = 0;

	/* A query without its NUL ends with its message. */
	if (st->part == PART_QUERY && cw_sql_end(&st->sql))
		found = SQL_INJECTION;
	if (st->phase == P_STARTUP && !st->answer)
		st->phase = P_TYPED;
	st->head = 0;
	st->left = 0;
	st->code = 0;
	return found;
}

static u64 scan(struct cw_threat_scan *s, const struct cw_threat_limits *limits,
		bool client, const u8 *data, u32 len, u32 now_ms)
{
	struct pg_state *st = CW_THREAT_STATE(s, struct pg_state);
	u64 found = 0;
	u32 n;

	if (!client) {
		if (st->answer) {
			st->answer = 0;
			if (data[0] == 'S' || data[0] == 'G')
				s->done = 1;
		}
		return 0;
	}
	while (len && !s->done) {
		u8 header = st->phase == P_STARTUP ? 8 : 5;

		if (st->head < header) {
			u8 at = st->phase == P_STARTUP ? st->head : st->head - 1;

			if (st->phase == P_STARTUP && !st->head && *data == TLS_HANDSHAKE)
				s->done = 1;
			else if (st->phase == P_TYPED && !st->head)
				st->type = *data;
			else if (at < 4)
				st->left = st->left << 8 | *data;
			else
				st->code = st->code << 8 | *data;
			data++;
			len--;
			if (++st->head == header) {
				header_end(s, st);
				if (!st->left)
					found |= message_end(st);
			}
			continue;
		}
		n = len < st->left ? len : st->left;
		found |= body(st, data, n);
		data += n;
		len -= n;
		st->left -= n;
		if (!st->left)
			found |= message_end(st);
	}
	return found;
}

const struct cw_threat_checker cw_threat_postgresql = {
	.name = "postgresql",
	.app = CW_APP_POSTGRESQL,
	.scan = scan,
};
