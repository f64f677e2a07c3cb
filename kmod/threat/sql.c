// SPDX-License-Identifier: GPL-2.0
/* SQL injection: the streaming matcher (sql.h says what it matches). */

#include "sql.h"

enum lex {
	L_NONE,		/* between tokens */
	L_WORD,
	L_NUM,
	L_STR,		/* in a quoted string */
	L_ESC,		/* after a backslash in a string */
	L_STR_END,	/* after the closing quote: a doubled one continues */
	L_DASH,		/* '-': an operator or a comment's start */
	L_SLASH,
	L_LINE,		/* line comment */
	L_BLOCK,	/* block comment */
	L_STAR,		/* '*' in a block comment */
};

/* Token classes (prev). */
enum { T_NONE, T_WORD, T_NUM, T_STR, T_BREAK, T_OP, T_RPAREN };

/* Patterns in progress (ctx). */
enum {
	X_NONE,
	X_BREAK,	/* after the quote break (and ')') */
	X_OR,
	X_OR_LIT,	/* OR and a literal, hashed in left */
	X_OR_EQ,
	X_UNION,	/* UNION [ALL|DISTINCT] where it counts */
	X_SEMI,		/* ';' where a stacked query counts */
	X_SEMI_DDL,	/* ... DROP, CREATE...: TABLE, DATABASE... must follow */
	X_SEMI_DELETE,	/* ... DELETE: FROM must follow */
	X_SEMI_INSERT,	/* ... INSERT: INTO must follow */
	X_SEMI_UPDATE,	/* ... UPDATE: a name, then SET */
	X_SEMI_UPDATE_NAME,
	X_FUNC,		/* a function name: '(' must follow */
	X_WAITFOR,
	X_INTO,
	X_VERSION,
};

#define F_HIT		0x01	/* the value showed an injection */
#define F_BROKE		0x02	/* HTTP: the quote break happened */
#define F_SEP		0x04	/* whitespace or a comment since the last token */
#define F_PENDING	0x08	/* databases: UNION SELECT or a stacked query seen */
#define F_STR_LINE	0x10	/* databases: this line comment follows a string */

/* A word's key: its first 5 bytes, 5 bits each, and its length. */
#define KC(c) ((c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 1 : (c) == '_' ? 27 : \
	       (c) == '@' ? 28 : (c) >= '0' && (c) <= '9' ? 29 : 30)
#define KI(s, i) (i < sizeof(s) - 1 ? (u32)KC(s[i]) << (5 * i) : 0)
#define KEY(s) (KI(s, 0) | KI(s, 1) | KI(s, 2) | KI(s, 3) | KI(s, 4) | \
		(u32)(sizeof(s) - 1) << 25)
#define KEY_LEN_MAX 127

enum {
	K_OTHER, K_OR, K_TRUE, K_UNION, K_ALL, K_DISTINCT, K_SELECT, K_RUN, K_DDL,
	K_OBJECT, K_DELETE, K_FROM, K_INSERT, K_UPDATE, K_SET, K_FUNC, K_XP_CMDSHELL,
	K_WAITFOR, K_DELAY, K_INTO, K_FILE, K_EVIDENCE, K_VERSION,
};

/*
 * What a word is: a jump on its first letter, then a compare or a few
 * (most words are no keyword, and a word ends every few bytes).
 */
static u8 keyword(u32 key)
{
	switch (key & 31) {
	case KC('a'):
		return key == KEY("all") ? K_ALL : key == KEY("alter") ? K_DDL : K_OTHER;
	case KC('b'):
		return key == KEY("benchmark") ? K_FUNC : K_OTHER;
	case KC('c'):
		return key == KEY("create") ? K_DDL : K_OTHER;
	case KC('d'):
		return key == KEY("distinct") ? K_DISTINCT : key == KEY("declare") ? K_RUN :
		       key == KEY("drop") ? K_DDL : key == KEY("database") ? K_OBJECT :
		       key == KEY("delete") ? K_DELETE : key == KEY("delay") ? K_DELAY :
		       key == KEY("dumpfile") ? K_FILE : K_OTHER;
	case KC('e'):
		return key == KEY("exec") || key == KEY("execute") ? K_RUN :
		       key == KEY("extractvalue") ? K_FUNC : K_OTHER;
	case KC('f'):
		return key == KEY("function") ? K_OBJECT : key == KEY("from") ? K_FROM : K_OTHER;
	case KC('i'):
		return key == KEY("insert") ? K_INSERT : key == KEY("into") ? K_INTO :
		       key == KEY("information_schema") ? K_EVIDENCE : K_OTHER;
	case KC('l'):
		return key == KEY("load_file") ? K_FUNC : K_OTHER;
	case KC('o'):
		return key == KEY("or") ? K_OR : key == KEY("outfile") ? K_FILE : K_OTHER;
	case KC('p'):
		return key == KEY("procedure") ? K_OBJECT : key == KEY("pg_sleep") ? K_FUNC :
		       K_OTHER;
	case KC('s'):
		return key == KEY("select") ? K_SELECT : key == KEY("shutdown") ? K_RUN :
		       key == KEY("schema") ? K_OBJECT : key == KEY("set") ? K_SET :
		       key == KEY("sleep") ? K_FUNC : K_OTHER;
	case KC('t'):
		return key == KEY("true") ? K_TRUE : key == KEY("truncate") ? K_DDL :
		       key == KEY("table") ? K_OBJECT : K_OTHER;
	case KC('u'):
		return key == KEY("union") ? K_UNION : key == KEY("user") ? K_OBJECT :
		       key == KEY("update") ? K_UPDATE : key == KEY("updatexml") ? K_FUNC :
		       K_OTHER;
	case KC('v'):
		return key == KEY("version") ? K_VERSION : K_OTHER;
	case KC('w'):
		return key == KEY("waitfor") ? K_WAITFOR : K_OTHER;
	case KC('x'):
		return key == KEY("xp_cmdshell") ? K_XP_CMDSHELL : K_OTHER;
	case KC('@'):
		return key == KEY("@@version") ? K_EVIDENCE : K_OTHER;
	}
	return K_OTHER;
}

/*
 * Byte classes, one table lookup a byte: a word byte is C_WORD | its key
 * (KC() of it lowercased); the others what they start between tokens.
 */
enum { C_OP, C_SPACE, C_QUOTE, C_TICK, C_DASH, C_SLASH, C_HASH };
#define C_WORD 0x20
#define C_KEY 0x1f
#define LETTER(c) [c] = C_WORD | KC(c), [(c) - 'a' + 'A'] = C_WORD | KC(c)

static const u8 classes[256] = {
	LETTER('a'), LETTER('b'), LETTER('c'), LETTER('d'), LETTER('e'), LETTER('f'),
	LETTER('g'), LETTER('h'), LETTER('i'), LETTER('j'), LETTER('k'), LETTER('l'),
	LETTER('m'), LETTER('n'), LETTER('o'), LETTER('p'), LETTER('q'), LETTER('r'),
	LETTER('s'), LETTER('t'), LETTER('u'), LETTER('v'), LETTER('w'), LETTER('x'),
	LETTER('y'), LETTER('z'),
	['_'] = C_WORD | KC('_'), ['@'] = C_WORD | KC('@'), ['$'] = C_WORD | KC('$'),
	['0' ... '9'] = C_WORD | KC('0'),
	[' '] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\r'] = C_SPACE,
	['\v'] = C_SPACE, ['\f'] = C_SPACE,
	['\''] = C_QUOTE, ['"'] = C_QUOTE, ['`'] = C_TICK,
	['-'] = C_DASH, ['/'] = C_SLASH, ['#'] = C_HASH,
};

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static void hash(struct cw_sql *m, u8 c)
{
	m->acc = (m->acc ^ c) * FNV_PRIME;
}

static bool http(const struct cw_sql *m)
{
	return m->mode == CW_SQL_HTTP;
}

/* What may come before UNION or ';' for them to count. */
static bool breaks_out(const struct cw_sql *m)
{
	if (!http(m))
		return m->prev == T_STR;
	return m->prev == T_NUM || m->prev == T_STR || m->prev == T_BREAK ||
	       m->prev == T_RPAREN;
}

/* An injection shape that is conclusive in HTTP, a hint in a database. */
static void stacked_or_union(struct cw_sql *m)
{
	m->flags |= http(m) ? F_HIT : F_PENDING;
}

/* Continues the pattern in progress with a token; X_NONE if it ends it. */
static u8 follow(struct cw_sql *m, u8 type, u8 kind, u8 op)
{
	bool lit = type == T_NUM || type == T_STR;
	bool adjacent = !(m->flags & F_SEP);

	switch (m->ctx) {
	case X_BREAK:
		return op == ')' ? X_BREAK : X_NONE;
	case X_OR:
		if (lit) {
			m->left = m->acc;
			return X_OR_LIT;
		}
		if (kind == K_TRUE)
			m->flags |= F_HIT;
		return X_NONE;
	case X_OR_LIT:
		return op == '=' ? X_OR_EQ : X_NONE;
	case X_OR_EQ:
		if (lit && m->acc == m->left)
			m->flags |= F_HIT;
		return X_NONE;
	case X_UNION:
		if (kind == K_ALL || kind == K_DISTINCT)
			return X_UNION;
		if (kind == K_SELECT)
			stacked_or_union(m);
		return X_NONE;
	case X_SEMI:
		/* Statements as words of a sentence need their next word too. */
		switch (kind) {
		case K_RUN:
			stacked_or_union(m);
			return X_NONE;
		case K_DDL:
			return X_SEMI_DDL;
		case K_DELETE:
			return X_SEMI_DELETE;
		case K_INSERT:
			return X_SEMI_INSERT;
		case K_UPDATE:
			return X_SEMI_UPDATE;
		}
		return X_NONE;
	case X_SEMI_DDL:
	case X_SEMI_DELETE:
	case X_SEMI_INSERT:
		if ((m->ctx == X_SEMI_DDL && kind == K_OBJECT) ||
		    (m->ctx == X_SEMI_DELETE && kind == K_FROM) ||
		    (m->ctx == X_SEMI_INSERT && kind == K_INTO))
			stacked_or_union(m);
		return X_NONE;
	case X_SEMI_UPDATE:
		return type == T_WORD ? X_SEMI_UPDATE_NAME : X_NONE;
	case X_SEMI_UPDATE_NAME:
		if (kind == K_SET)
			stacked_or_union(m);
		return X_NONE;
	case X_FUNC:
		if (op == '(' && adjacent)
			m->flags |= F_HIT;
		return X_NONE;
	case X_WAITFOR:
		if (kind == K_DELAY)
			m->flags |= F_HIT;
		return X_NONE;
	case X_INTO:
		if (kind == K_FILE)
			m->flags |= F_HIT;
		return X_NONE;
	case X_VERSION:
		if (op == '(' && adjacent && (m->flags & F_PENDING))
			m->flags |= F_HIT;
		return X_NONE;
	}
	return X_NONE;
}

/* The pattern a token starts. */
static u8 begin(struct cw_sql *m, u8 type, u8 kind, u8 op)
{
	switch (type) {
	case T_BREAK:
		return X_BREAK;
	case T_OP:
		return op == ';' && breaks_out(m) ? X_SEMI : X_NONE;
	case T_WORD:
		break;
	default:
		return X_NONE;
	}
	switch (kind) {
	case K_OR:
		return X_OR;
	case K_UNION:
		return !http(m) || breaks_out(m) ? X_UNION : X_NONE;
	case K_FUNC:
		return X_FUNC;
	case K_XP_CMDSHELL:
		m->flags |= F_HIT;
		return X_NONE;
	case K_WAITFOR:
		return X_WAITFOR;
	case K_INTO:
		return X_INTO;
	case K_EVIDENCE:
		if (m->flags & F_PENDING)
			m->flags |= F_HIT;
		return X_NONE;
	case K_VERSION:
		return X_VERSION;
	}
	return X_NONE;
}

static void token(struct cw_sql *m, u8 type, u8 op)
{
	u8 kind = K_OTHER;
	u8 ctx;

	if (type == T_WORD)
		kind = keyword(m->acc | (u32)m->len << 25);
	/* Most tokens neither go on with a pattern nor start one. */
	if (m->ctx == X_NONE && kind == K_OTHER && type != T_OP && type != T_BREAK) {
		ctx = X_NONE;
	} else {
		ctx = follow(m, type, kind, op);
		if (ctx == X_NONE)
			ctx = begin(m, type, kind, op);
	}
	m->ctx = ctx;
	m->prev = type == T_OP && op == ')' ? T_RPAREN : type;
	m->flags &= ~F_SEP;
	m->lex = L_NONE;
}

/* A comment starts (at its second byte, or at '#'). */
static void comment(struct cw_sql *m, u8 lex)
{
	if (http(m)) {
		if (m->ctx == X_BREAK)
			m->flags |= F_HIT;
	} else if (m->prev == T_STR && !(m->flags & F_SEP)) {
		if (lex == L_BLOCK)
			m->flags |= F_HIT;
		else
			m->flags |= F_STR_LINE;
	}
	m->flags |= F_SEP;
	m->lex = lex;
}

static u8 lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

static void string_open(struct cw_sql *m, u8 quote)
{
	m->lex = L_STR;
	m->quote = quote;
	m->acc = FNV_BASIS;
}

/* Between tokens: what @c starts. */
static void start(struct cw_sql *m, u8 c)
{
	u8 class = classes[c];

	if (class & C_WORD) {
		if (c >= '0' && c <= '9') {
			m->lex = L_NUM;
			m->acc = FNV_BASIS;
			hash(m, c);
		} else {
			m->lex = L_WORD;
			m->acc = class & C_KEY;
			m->len = 1;
		}
		return;
	}
	switch (class) {
	case C_SPACE:
		m->flags |= F_SEP;
		break;
	case C_QUOTE:
		if (http(m) && !(m->flags & F_BROKE)) {
			m->flags |= F_BROKE;
			token(m, T_BREAK, 0);
			break;
		}
		string_open(m, c);
		break;
	case C_TICK:
		string_open(m, c);
		break;
	case C_DASH:
		m->lex = L_DASH;
		break;
	case C_SLASH:
		m->lex = L_SLASH;
		break;
	case C_HASH:
		if (m->mode != CW_SQL_POSTGRESQL)
			comment(m, L_LINE);
		else
			token(m, T_OP, c);
		break;
	default:
		token(m, T_OP, c);
		break;
	}
}

/*
 * A literal's hash is only compared after OR and after OR literal '=', and
 * no pattern changes while a literal is read: the others need none.
 */
static bool hashed(const struct cw_sql *m)
{
	return m->ctx == X_OR || m->ctx == X_OR_EQ;
}

/*
 * The rest of a token or comment in @p..@end: each returns where it
 * stopped, at @end or at the byte that ends it (not consumed).
 */
static const u8 *word(struct cw_sql *m, const u8 *p, const u8 *end)
{
	u32 acc = m->acc;
	u8 len = m->len;

	for (; p < end && (classes[*p] & C_WORD); p++) {
		if (len < 5)
			acc |= (u32)(classes[*p] & C_KEY) << (5 * len);
		if (len < KEY_LEN_MAX)
			len++;
	}
	m->acc = acc;
	m->len = len;
	return p;
}

static const u8 *number(struct cw_sql *m, const u8 *p, const u8 *end)
{
	bool keep = hashed(m);
	u32 acc = m->acc;

	for (; p < end && ((classes[*p] & C_WORD) || *p == '.'); p++)
		if (keep)
			acc = (acc ^ lower(*p)) * FNV_PRIME;
	m->acc = acc;
	return p;
}

/* Up to the closing quote or a backslash (consumed, and lex changed). */
static const u8 *string(struct cw_sql *m, const u8 *p, const u8 *end)
{
	u8 escape = m->mode != CW_SQL_POSTGRESQL && m->quote != '`' ? '\\' : m->quote;
	bool keep = hashed(m);
	u32 acc = m->acc;

	for (; p < end; p++) {
		if (*p == m->quote) {
			m->lex = L_STR_END;
			p++;
			break;
		}
		if (*p == escape) {
			m->lex = L_ESC;
			p++;
			break;
		}
		if (keep)
			acc = (acc ^ lower(*p)) * FNV_PRIME;
	}
	m->acc = acc;
	return p;
}

static const u8 *find(const u8 *p, const u8 *end, u8 c)
{
	while (p < end && *p != c)
		p++;
	return p;
}

void cw_sql_start(struct cw_sql *m, u8 mode)
{
	memset(m, 0, sizeof(*m));
	m->mode = mode;
}

bool cw_sql_feed(struct cw_sql *m, const u8 *data, u32 len)
{
	const u8 *p = data, *end = data + len;

	while (p < end) {
		switch (m->lex) {
		case L_WORD:
			p = word(m, p, end);
			if (p == end)
				continue;
			token(m, T_WORD, 0);
			break;
		case L_NUM:
			p = number(m, p, end);
			if (p == end)
				continue;
			token(m, T_NUM, 0);
			break;
		case L_STR:
			p = string(m, p, end);
			continue;
		case L_ESC:
			hash(m, lower(*p++));
			m->lex = L_STR;
			continue;
		case L_STR_END:
			if (*p == m->quote) {
				hash(m, *p++);
				m->lex = L_STR;
				continue;
			}
			token(m, T_STR, 0);
			break;
		case L_DASH:
			if (*p == '-') {
				p++;
				comment(m, L_LINE);
				continue;
			}
			token(m, T_OP, '-');
			break;
		case L_SLASH:
			if (*p == '*') {
				p++;
				comment(m, L_BLOCK);
				continue;
			}
			token(m, T_OP, '/');
			break;
		case L_LINE:
			p = find(p, end, '\n');
			if (p < end) {
				p++;
				m->lex = L_NONE;
				m->flags &= ~F_STR_LINE;
			}
			continue;
		case L_BLOCK:
			p = find(p, end, '*');
			if (p < end) {
				p++;
				m->lex = L_STAR;
			}
			continue;
		case L_STAR:
			if (*p == '/')
				m->lex = L_NONE;
			else if (*p != '*')
				m->lex = L_BLOCK;
			p++;
			continue;
		}
		start(m, *p++);
	}
	return m->flags & F_HIT;
}

bool cw_sql_end(struct cw_sql *m)
{
	bool hit;

	switch (m->lex) {
	case L_WORD:
		token(m, T_WORD, 0);
		break;
	case L_NUM:
		token(m, T_NUM, 0);
		break;
	case L_STR:
	case L_ESC:
	case L_STR_END:
		/* HTTP: the application's own quote closes it. */
		token(m, T_STR, 0);
		break;
	case L_DASH:
	case L_SLASH:
		token(m, T_OP, m->lex == L_DASH ? '-' : '/');
		break;
	case L_LINE:
		/* A comment that hides the rest of the query. */
		if (m->flags & (F_STR_LINE | F_PENDING))
			m->flags |= F_HIT;
		break;
	}
	hit = m->flags & F_HIT;
	cw_sql_start(m, m->mode);
	return hit;
}
