/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SQL injection: a streaming matcher shared by the HTTP, MySQL and
 * PostgreSQL checks. It reads each byte once (lowercasing it, taking runs
 * of whitespace and comments as one separator), cuts the text into tokens
 * (words, numbers, quoted strings, operators) and follows a few token
 * patterns; it keeps 16 bytes and never looks back. A token's bytes cost a
 * table lookup each; a word is told from the keywords when it ends.
 *
 * A "value" is what one cw_sql_start() .. cw_sql_end() covers: a path, a
 * query or form parameter's value (HTTP) or one query (databases).
 *
 * In HTTP mode the value was meant as data inside some query. The first
 * quote (' or ") of a value is a quote break: it closes the string the
 * application put the value in, and what follows is SQL. Later quotes open
 * and close strings, and a string still open at the end of the value is
 * closed there (by the application's own closing quote). In database modes
 * quotes open and close strings from the start ('' and, for MySQL, \'
 * inside a string are escapes).
 *
 * What counts as an injection (either mode unless said):
 * - tautology: OR, a literal, '=', the same literal (strings and numbers
 *   compare by a hash of their text: or 1=1, or 'a'='a', or ''=''); or
 *   OR TRUE;
 * - HTTP: a quote break followed, past whitespace and ')', by a comment
 *   (-- # or slash-star); databases: a string closed and right away (no
 *   space) a block comment, or a line comment the query ends in;
 * - HTTP: UNION [ALL|DISTINCT] SELECT right after a number, a string, the
 *   quote break or ')'; databases: UNION SELECT anywhere, but only counted
 *   once the query also shows information_schema, @@version, version( or
 *   ends inside a line comment;
 * - stacked query: ';' then EXEC, EXECUTE, DECLARE, SHUTDOWN, or DROP,
 *   CREATE, ALTER, TRUNCATE and TABLE, DATABASE, SCHEMA, USER, PROCEDURE,
 *   FUNCTION, or DELETE FROM, INSERT INTO, UPDATE name SET. HTTP: after a
 *   number, a string, the quote break or ')'; databases: after a string,
 *   counted with the same extra evidence as UNION;
 * - SLEEP( BENCHMARK( PG_SLEEP( LOAD_FILE( EXTRACTVALUE( UPDATEXML( (the
 *   parenthesis right after the name), WAITFOR DELAY, INTO OUTFILE, INTO
 *   DUMPFILE, XP_CMDSHELL.
 *
 * Not understood (read as plain SQL): PostgreSQL dollar quoting, nested
 * comments, E'' escapes.
 */
#ifndef _CW_THREAT_SQL_H
#define _CW_THREAT_SQL_H

#include "dpi/dpi.h"

enum cw_sql_mode {
	CW_SQL_HTTP,		/* a value from a URL or a form */
	CW_SQL_MYSQL,		/* queries: # comments, \ escapes */
	CW_SQL_POSTGRESQL,	/* queries */
};

struct cw_sql {
	u32 acc;	/* the token being read: a word's key, a literal's hash */
	u32 left;	/* hash of the literal after OR */
	u8 mode;	/* enum cw_sql_mode */
	u8 lex;		/* where in a token or comment */
	u8 quote;	/* the quote of the string being read */
	u8 len;		/* bytes of the word being read (saturates) */
	u8 ctx;		/* the pattern the last tokens started */
	u8 prev;	/* class of the last token */
	u8 flags;
};

/* Starts a value (HTTP) or a query (databases). */
void cw_sql_start(struct cw_sql *m, u8 mode);

/* More text of the value; true once it showed an injection. */
bool cw_sql_feed(struct cw_sql *m, const u8 *data, u32 len);

/* The value ends: true if it showed an injection. Starts the next one. */
bool cw_sql_end(struct cw_sql *m);

#endif /* _CW_THREAT_SQL_H */
