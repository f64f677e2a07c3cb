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

static const struct {
	u32 key;
	u8 kind;
} keywords[] = {
	{ KEY("or"), K_OR }, { KEY("true"), K_TRUE }, { KEY("union"), K_UNION },
	{ KEY("all"), K_ALL }, { KEY("distinct"), K_DISTINCT }, { KEY("select"), K_SELECT },
	{ KEY("exec"), K_RUN }, { KEY("execute"), K_RUN }, { KEY("declare"), K_RUN },
	{ KEY("shutdown"), K_RUN },
	{ KEY("drop"), K_DDL }, { KEY("create"), K_DDL }, { KEY("alter"), K_DDL },
	{ KEY("truncate"), K_DDL },
	{ KEY("table"), K_OBJECT }, { KEY("database"), K_OBJECT }, { KEY("schema"), K_OBJECT },
	{ KEY("user"), K_OBJECT }, { KEY("procedure"), K_OBJECT },
	{ KEY("function"), K_OBJECT },
	{ KEY("delete"), K_DELETE }, { KEY("from"), K_FROM }, { KEY("insert"), K_INSERT },
	{ KEY("update"), K_UPDATE }, { KEY("set"), K_SET },
	{ KEY("sleep"), K_FUNC }, { KEY("benchmark"), K_FUNC }, { KEY("pg_sleep"), K_FUNC },
	{ KEY("load_file"), K_FUNC }, { KEY("extractvalue"), K_FUNC },
	{ KEY("updatexml"), K_FUNC }, { KEY("xp_cmdshell"), K_XP_CMDSHELL },
	{ KEY("waitfor"), K_WAITFOR }, { KEY("delay"), K_DELAY }, { KEY("into"), K_INTO },
	{ KEY("outfile"), K_FILE }, { KEY("dumpfile"), K_FILE },
	{ KEY("information_schema"), K_EVIDENCE }, { KEY("@@version"), K_EVIDENCE },
	{ KEY("version"), K_VERSION },
};

static u8 keyword(u32 key)
{
	unsigned int i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (keywords[i].key == key)
			return keywords[i].kind;
	return K_OTHER;
}

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
	ctx = follow(m, type, kind, op);
	if (ctx == X_NONE)
		ctx = begin(m, type, kind, op);
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

static bool is_space(u8 c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_word(u8 c)
{
	return (c >= 'a' && c <= 'z') || c == '_' || c == '@' || c == '$' ||
	       (c >= '0' && c <= '9');
}

/* Between tokens: what @c starts. */
static void start(struct cw_sql *m, u8 c)
{
	if (is_space(c)) {
		m->flags |= F_SEP;
	} else if (c >= '0' && c <= '9') {
		m->lex = L_NUM;
		m->acc = FNV_BASIS;
		hash(m, c);
	} else if (is_word(c)) {
		m->lex = L_WORD;
		m->acc = KC(c);
		m->len = 1;
	} else if (c == '\'' || c == '"' || c == '`') {
		if (http(m) && c != '`' && !(m->flags & F_BROKE)) {
			m->flags |= F_BROKE;
			token(m, T_BREAK, 0);
			return;
		}
		m->lex = L_STR;
		m->quote = c;
		m->acc = FNV_BASIS;
	} else if (c == '-') {
		m->lex = L_DASH;
	} else if (c == '/') {
		m->lex = L_SLASH;
	} else if (c == '#' && m->mode != CW_SQL_POSTGRESQL) {
		comment(m, L_LINE);
	} else {
		token(m, T_OP, c);
	}
}

static void step(struct cw_sql *m, u8 c)
{
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	switch (m->lex) {
	case L_WORD:
		if (is_word(c)) {
			if (m->len < 5)
				m->acc |= (u32)KC(c) << (5 * m->len);
			if (m->len < KEY_LEN_MAX)
				m->len++;
			return;
		}
		token(m, T_WORD, 0);
		break;
	case L_NUM:
		if (is_word(c) || c == '.') {
			hash(m, c);
			return;
		}
		token(m, T_NUM, 0);
		break;
	case L_STR:
		if (c == m->quote)
			m->lex = L_STR_END;
		else if (c == '\\' && m->mode != CW_SQL_POSTGRESQL && m->quote != '`')
			m->lex = L_ESC;
		else
			hash(m, c);
		return;
	case L_ESC:
		hash(m, c);
		m->lex = L_STR;
		return;
	case L_STR_END:
		if (c == m->quote) {
			hash(m, c);
			m->lex = L_STR;
			return;
		}
		token(m, T_STR, 0);
		break;
	case L_DASH:
		if (c == '-') {
			comment(m, L_LINE);
			return;
		}
		token(m, T_OP, '-');
		break;
	case L_SLASH:
		if (c == '*') {
			comment(m, L_BLOCK);
			return;
		}
		token(m, T_OP, '/');
		break;
	case L_LINE:
		if (c == '\n') {
			m->lex = L_NONE;
			m->flags &= ~F_STR_LINE;
		}
		return;
	case L_BLOCK:
		if (c == '*')
			m->lex = L_STAR;
		return;
	case L_STAR:
		if (c == '/')
			m->lex = L_NONE;
		else if (c != '*')
			m->lex = L_BLOCK;
		return;
	}
	start(m, c);
}

void cw_sql_start(struct cw_sql *m, u8 mode)
{
	memset(m, 0, sizeof(*m));
	m->mode = mode;
}

bool cw_sql_feed(struct cw_sql *m, const u8 *data, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		step(m, data[i]);
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
