// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.x requests, one after another on a connection (keep-alive: the
 * next starts after the body, by Content-Length or chunked encoding):
 * request smuggling, bad Content-Length, slowloris, and attack strings in
 * the target, the header values and the body. Responses are not looked at.
 *
 * The content of the target, the header values and the body goes through
 * a decoder (percent-encoding twice over, so %252e is '.'; '+' as space in
 * a query or form; the overlong UTF-8 %c0%ae, %c0%af, %c1%9c), is
 * lowercased, and feeds at once: an Aho-Corasick automaton (OGNL,
 * shellshock, Spring4Shell strings; built by cw_threat_http_init()), the
 * log4shell and path traversal state machines, and the SQL matcher
 * (path, query and form parameters, each a value of its own: a body goes
 * through it only when application/x-www-form-urlencoded).
 *
 * This runs for every request, so most bytes are taken in runs (run()): up
 * to the next byte that means more than content, or where nothing is
 * looked at, up to the next that ends something; the SQL matcher gets a
 * run's decoded bytes at once. step() takes the rest a byte at a time.
 */

#include "threat.h"
#include "sql.h"

enum state {
	S_METHOD,	/* a request's first line... */
	S_PATH,
	S_QUERY,
	S_VERSION,
	S_LINE,		/* the start of a header line, or the head's end */
	S_NAME,
	S_NAME_WS,	/* whitespace after a header's name */
	S_VALUE,
	S_SKIP_LINE,	/* a line that is no header */
	S_BODY,		/* Content-Length bytes */
	S_CHUNK_SIZE,
	S_CHUNK_EXT,
	S_CHUNK_DATA,
	S_CHUNK_END,	/* the CRLF after a chunk's data */
	S_TRAILER,	/* a trailer line's start, or the body's end */
	S_TRAILER_LINE,
	S_LOST,		/* a body whose end cannot be told */
};

/* Where decoded content goes. */
enum region {
	RG_NONE,
	RG_PATH,
	RG_QKEY,	/* a query parameter's name */
	RG_QVAL,
	RG_HEADER,	/* a header's value */
	RG_BODY,
	RG_FKEY,	/* a form parameter's name */
	RG_FVAL,
};

#define RF_HEAD		0x01	/* the request's head: shellshock counts */
#define RF_PATH		0x02	/* path traversal counts */
#define RF_SQL		0x04	/* goes through the SQL matcher */
#define RF_PLUS		0x08	/* '+' is a space */
#define RF_KEY		0x10	/* a parameter's name: Spring4Shell counts */

static const u8 region_flags[] = {
	[RG_PATH] = RF_HEAD | RF_PATH | RF_SQL,
	[RG_QKEY] = RF_HEAD | RF_PATH | RF_SQL | RF_PLUS | RF_KEY,
	[RG_QVAL] = RF_HEAD | RF_PATH | RF_SQL | RF_PLUS,
	[RG_HEADER] = RF_HEAD,
	[RG_FKEY] = RF_SQL | RF_PLUS | RF_KEY,
	[RG_FVAL] = RF_SQL | RF_PLUS,
};

/* Headers told apart (hdr). */
enum { H_OTHER, H_CL, H_TE, H_CT, H_COUNT };

#define NAME(s) { s, sizeof(s) - 1 }
static const struct {
	const char *text;
	u8 len;
} header_names[H_COUNT] = {
	[H_CL] = NAME("content-length"),
	[H_TE] = NAME("transfer-encoding"),
	[H_CT] = NAME("content-type"),
};

/* Flags of the request being read (req). */
#define R_HEAD		0x01	/* its head started: the slowloris clock runs */
#define R_CL		0x02	/* a valid Content-Length, folded in cl */
#define R_TE		0x04
#define R_BAD_CL	0x08	/* a bad Content-Length: no body is assumed */
#define R_FORM		0x10	/* application/x-www-form-urlencoded */
#define R_CHUNKED	0x20	/* the Transfer-Encoding's last coding was chunked */

struct http_state {
	struct cw_sql sql;
	u64 len;	/* Content-Length read, then body or chunk bytes left */
	u32 start_ms;	/* when the head began */
	u32 cl;		/* the first Content-Length, folded to 32 bits */
	u8 state;	/* enum state */
	u8 region;	/* enum region */
	u8 req;		/* R_* */
	u8 hdr;		/* name: bit per candidate H_*; value: the H_* */
	u8 pos;		/* bytes matched of a name, a value or a coding */
	u8 val;		/* the value's parser state (name: 1 if '_' for '-') */
	u8 codings;	/* Transfer-Encoding: bit per coding still matching */
	u8 pct[2];	/* the two percent decoders: 1 after '%', 2 | hex << 4 */
	u8 utf;		/* a 0xc0 or 0xc1 held for the next byte */
	u8 ac;		/* Aho-Corasick state */
	u8 jndi[2];	/* log4shell: flags, progress */
	u8 dots;	/* path traversal */
};

#define FOUND(x) CW_THREAT_BIT(CW_THREAT_HTTP_##x)

/* --- Strings: one Aho-Corasick automaton, a DFA over byte classes. --- */

enum { P_OGNL = 1, P_SHELLSHOCK = 2, P_SPRING = 4 };

static const struct {
	const char *text;	/* lowercase: the input is lowercased */
	u8 kind;
} patterns[] = {
	{ "%{(#", P_OGNL },
	{ "${(#", P_OGNL },
	{ "#_memberaccess", P_OGNL },
	{ "@ognl.ognlcontext@", P_OGNL },
	{ "#context[", P_OGNL },
	{ "(#cmd=", P_OGNL },
	{ "new java.lang.processbuilder", P_OGNL },
	{ "() {", P_SHELLSHOCK },
	{ "(){", P_SHELLSHOCK },
	{ "class.module.classloader", P_SPRING },
	{ "class[module][classloader]", P_SPRING },
};

/* Above the trie's nodes (132 with the root) and its bytes (34 with "none"). */
#define AC_STATES 160
#define AC_CLASSES 40

static u8 ac_class[256];		/* byte, any case -> class; 0: in no pattern */
static u8 ac_next[AC_STATES][AC_CLASSES];
static u8 ac_out[AC_STATES];		/* P_* ending at a state */

void cw_threat_http_init(void)
{
	u8 fail[AC_STATES], queue[AC_STATES];
	unsigned int states = 1, classes = 1, head = 0, tail = 0, i, a, s, t;
	const char *p;

	memset(ac_class, 0, sizeof(ac_class));
	memset(ac_next, 0, sizeof(ac_next));
	memset(ac_out, 0, sizeof(ac_out));
	/* The trie: a 0 transition is none yet. */
	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		for (s = 0, p = patterns[i].text; *p; p++) {
			if (!ac_class[(u8)*p])
				ac_class[(u8)*p] = classes++;
			a = ac_class[(u8)*p];
			if (!ac_next[s][a])
				ac_next[s][a] = states++;
			s = ac_next[s][a];
		}
		ac_out[s] |= patterns[i].kind;
	}
	/* Breadth first, so that a state's failure is complete before it is used. */
	for (a = 0; a < classes; a++) {
		if (ac_next[0][a]) {
			fail[ac_next[0][a]] = 0;
			queue[tail++] = ac_next[0][a];
		}
	}
	while (head < tail) {
		s = queue[head++];
		for (a = 0; a < classes; a++) {
			t = ac_next[s][a];
			if (t) {
				fail[t] = ac_next[fail[s]][a];
				ac_out[t] |= ac_out[fail[t]];
				queue[tail++] = t;
			} else {
				ac_next[s][a] = ac_next[fail[s]][a];
			}
		}
	}
	/* The automaton reads raw bytes: uppercase letters as their lowercase. */
	for (i = 'A'; i <= 'Z'; i++)
		ac_class[i] = ac_class[i - 'A' + 'a'];
}

/* --- Log4shell: ${ whose resolved text starts with "jndi:". --- */

/*
 * Outside a lookup, "${" opens one (the outer). Its bytes must spell
 * "jndi:" (progress in the low nibble of jndi[1]). A lookup nested in it,
 * ${name:arg} or ${name:key:-default}, adds only its argument or default:
 * its bytes after the first ':' spell on from the outer's progress
 * (tentative, high nibble), restarted by each ":-"; its '}' commits them
 * unless they went wrong, which kills the outer. Quotes inside are
 * skipped (${date:'j'}).
 */
#define J_PHASE		0x03	/* 0: outside, 1: outer, 2: nested */
#define J_DOLLAR	0x04	/* the last byte was '$' */
#define J_ARG		0x08	/* nested: past the name */
#define J_COLON		0x10	/* nested: the last byte was ':' */
#define J_WRONG		0x20	/* nested: the argument spells something else */
#define J_DEPTH_SHIFT	6	/* nested: depth, 1..3 */

static const char jndi[] = "jndi:";

static bool jndi_byte(u8 *j, u8 c)
{
	u8 done = j[1] & 0x0f, tent = j[1] >> 4, depth = j[0] >> J_DEPTH_SHIFT;

	switch (j[0] & J_PHASE) {
	case 1:
		if (c != (u8)jndi[done]) {
			j[0] = j[1] = 0;
			return false;
		}
		if (++done == sizeof(jndi) - 1) {
			j[0] = j[1] = 0;
			return true;
		}
		j[1] = done;
		return false;
	case 2:
		break;
	default:
		return false;
	}
	if (c == '}') {
		if (--depth) {
			j[0] = (j[0] & ~(3 << J_DEPTH_SHIFT)) | depth << J_DEPTH_SHIFT | J_ARG;
		} else if (j[0] & J_WRONG) {
			j[0] = j[1] = 0;
		} else {
			j[0] = 1;
			j[1] = tent;
		}
		return false;
	}
	if (!(j[0] & J_ARG)) {
		if (c == ':')
			j[0] |= J_ARG | J_COLON;
		return false;
	}
	if (c == '-' && (j[0] & J_COLON)) {
		j[0] &= ~(J_COLON | J_WRONG);
		j[1] = done | done << 4;
		return false;
	}
	j[0] = (j[0] & ~J_COLON) | (c == ':' ? J_COLON : 0);
	if (c == '\'' || (j[0] & J_WRONG))
		return false;
	if (c != (u8)jndi[tent]) {
		j[0] |= J_WRONG;
		return false;
	}
	if (++tent == sizeof(jndi) - 1) {
		j[0] = j[1] = 0;
		return true;
	}
	j[1] = done | tent << 4;
	return false;
}

static void jndi_open(u8 *j)
{
	u8 depth = j[0] >> J_DEPTH_SHIFT;

	switch (j[0] & J_PHASE) {
	case 0:
		j[0] = 1;
		j[1] = 0;
		break;
	case 1:
		j[0] = 2 | 1 << J_DEPTH_SHIFT;
		j[1] |= j[1] << 4;
		break;
	default:
		if (depth < 3)
			depth++;
		j[0] = (j[0] & (J_PHASE | J_WRONG)) | depth << J_DEPTH_SHIFT;
		break;
	}
}

static bool jndi_step(u8 *j, u8 c)
{
	if (j[0] & J_DOLLAR) {
		j[0] &= ~J_DOLLAR;
		if (c == '{') {
			jndi_open(j);
			return false;
		}
		if (jndi_byte(j, '$'))
			return true;
	}
	if (c == '$') {
		j[0] |= J_DOLLAR;
		return false;
	}
	return jndi_byte(j, c);
}

/* --- Path traversal: ../ or ..\ anywhere, /.. at the end. --- */

#define D_COUNT		0x03	/* dots in a row, up to 2 */
#define D_AFTER_SLASH	0x04	/* ... that came right after a slash */
#define D_SLASH		0x08	/* the last byte was a slash */

static bool dots_step(u8 *d, u8 c)
{
	if (c == '.') {
		if (!(*d & D_COUNT))
			*d = *d & D_SLASH ? D_AFTER_SLASH : 0;
		if ((*d & D_COUNT) < 2)
			(*d)++;
		return false;
	}
	if (c == '/' || c == '\\') {
		bool two = (*d & D_COUNT) == 2;

		*d = D_SLASH;
		return two;
	}
	*d = 0;
	return false;
}

/* --- Decoding and dispatch of content bytes. --- */

static void region_start(struct http_state *st, u8 region)
{
	st->region = region;
	st->pct[0] = st->pct[1] = 0;
	st->utf = 0;
	st->ac = 0;
	st->jndi[0] = st->jndi[1] = 0;
	st->dots = 0;
	cw_sql_start(&st->sql, CW_SQL_HTTP);
}

static u64 region_end(struct http_state *st)
{
	u8 flags = region_flags[st->region];
	u64 found = 0;

	if ((flags & RF_SQL) && cw_sql_end(&st->sql))
		found |= FOUND(SQL_INJECTION);
	if ((flags & RF_PATH) && (st->dots & (D_COUNT | D_AFTER_SLASH)) == (2 | D_AFTER_SLASH))
		found |= FOUND(PATH_TRAVERSAL);
	st->region = RG_NONE;
	return found;
}

static u8 lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

/* What the strings ending at an automaton state mean in a region. */
static u64 strings_found(u8 out, u8 flags)
{
	u64 found = 0;

	if (out & P_OGNL)
		found |= FOUND(STRUTS_OGNL);
	if ((out & P_SHELLSHOCK) && (flags & RF_HEAD))
		found |= FOUND(SHELLSHOCK);
	if ((out & P_SPRING) && (flags & RF_KEY))
		found |= FOUND(SPRING4SHELL);
	return found;
}

/* A decoded byte of the current region. */
static u64 sink(struct http_state *st, u8 c)
{
	u8 flags = region_flags[st->region];
	u64 found = 0;

	st->ac = ac_next[st->ac][ac_class[c]];
	if (ac_out[st->ac])
		found |= strings_found(ac_out[st->ac], flags);
	/* Log4shell: only '$' starts a lookup, and outside one nothing changes. */
	if ((st->jndi[0] || c == '$') && jndi_step(st->jndi, lower(c)))
		found |= FOUND(LOG4SHELL);
	if ((flags & RF_PATH) && dots_step(&st->dots, c))
		found |= FOUND(PATH_TRAVERSAL);
	if ((flags & RF_SQL) && cw_sql_feed(&st->sql, &c, 1))
		found |= FOUND(SQL_INJECTION);
	return found;
}

/* Overlong UTF-8 for '.', '/' and '\' (%c0%ae...), which old servers took. */
static u64 overlong(struct http_state *st, u8 c)
{
	u64 found = 0;

	if (st->utf) {
		u8 held = st->utf;

		st->utf = 0;
		if (held == 0xc0 && c == 0xae)
			return sink(st, '.');
		if (held == 0xc0 && c == 0xaf)
			return sink(st, '/');
		if (held == 0xc1 && c == 0x9c)
			return sink(st, '\\');
		found = sink(st, held);
	}
	if (c == 0xc0 || c == 0xc1) {
		st->utf = c;
		return found;
	}
	return found | sink(st, c);
}

static int hex(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One percent-decoding step; the bytes it lets out go to out[] (up to 3). */
static unsigned int unpercent(u8 *d, u8 c, u8 *out)
{
	unsigned int n = 0;
	int v = hex(c);

	switch (*d & 3) {
	case 1:
		if (v >= 0) {
			*d = 2 | v << 4;
			return 0;
		}
		out[n++] = '%';
		break;
	case 2:
		if (v >= 0) {
			out[0] = (*d >> 4) << 4 | v;
			*d = 0;
			return 1;
		}
		out[n++] = '%';
		out[n++] = "0123456789abcdef"[*d >> 4];
		break;
	}
	*d = 0;
	if (c == '%')
		*d = 1;
	else
		out[n++] = c;
	return n;
}

/* A raw content byte of the current region. */
static u64 content(struct http_state *st, u8 c)
{
	unsigned int i, j, n1, n2;
	u8 once[3], twice[3];
	u64 found = 0;

	if (c == '+' && (region_flags[st->region] & RF_PLUS))
		c = ' ';
	/* Most bytes: nothing to decode. */
	if (!(st->pct[0] | st->pct[1] | st->utf) && c != '%' && c < 0xc0)
		return sink(st, c);
	n1 = unpercent(&st->pct[0], c, once);
	for (i = 0; i < n1; i++) {
		n2 = unpercent(&st->pct[1], once[i], twice);
		for (j = 0; j < n2; j++)
			found |= overlong(st, twice[j]);
	}
	return found;
}

/*
 * Runs of bytes: most bytes of a request need nothing but the matchers
 * (content) or nothing at all. A byte class tells the bytes that end a
 * run: those are left to step(), as are all bytes where a run cannot be.
 */
#define B_SLOW		0x001	/* '%', 0xc0, 0xc1 (the decoders), '$' (log4shell) */
#define B_PLUS		0x002
#define B_SPACE		0x004	/* ' ', '\t' */
#define B_CR		0x008
#define B_LF		0x010
#define B_QUERY		0x020	/* '?' */
#define B_AMP		0x040
#define B_EQ		0x080
#define B_COLON		0x100
#define B_DOTS		0x200	/* '.', '/', '\\': path traversal */

static const u16 byte_class[256] = {
	['%'] = B_SLOW, [0xc0] = B_SLOW, [0xc1] = B_SLOW, ['$'] = B_SLOW, ['+'] = B_PLUS,
	[' '] = B_SPACE, ['\t'] = B_SPACE, ['\r'] = B_CR, ['\n'] = B_LF,
	['?'] = B_QUERY, ['&'] = B_AMP, ['='] = B_EQ, [':'] = B_COLON,
	['.'] = B_DOTS, ['/'] = B_DOTS, ['\\'] = B_DOTS,
};

static u32 skip(const u8 *p, u32 n, u16 stop)
{
	u32 i = 0;

	while (i < n && !(byte_class[p[i]] & stop))
		i++;
	return i;
}

/* Bytes plain() decodes before they go to the SQL matcher together. */
#define PLAIN_BATCH 64

/* %xx: the byte it stands for, -1 if sink() must see it alone (%25, %c0). */
static int percent(const u8 *p)
{
	int hi = hex(p[1]), lo = hex(p[2]);

	if (hi < 0 || lo < 0 || (byte_class[hi << 4 | lo] & B_SLOW))
		return -1;
	return hi << 4 | lo;
}

/* plain() where only the automaton reads: header values, most bodies. */
static u32 strings_only(struct http_state *st, const u8 *p, u32 n, u16 stop,
			 u64 *found)
{
	u8 ac = st->ac, out = 0;
	u32 i;

	for (i = 0; i < n && !(byte_class[p[i]] & stop); i++) {
		ac = ac_next[ac][ac_class[p[i]]];
		out |= ac_out[ac];
	}
	st->ac = ac;
	if (out)
		*found |= strings_found(out, region_flags[st->region]);
	return i;
}

/*
 * Content bytes up to one in @stop or one that sink() must see alone: each
 * goes to the matchers as sink() would take it (a '+' that is a space as a
 * space, a %xx whose three bytes are here as its byte), to the SQL matcher
 * in batches. Returns the bytes used: none while a decoder or a log4shell
 * lookup is in progress.
 */
static u32 plain(struct http_state *st, const u8 *p, u32 n, u16 stop, u64 *found)
{
	u8 flags = region_flags[st->region], ac = st->ac, out = 0, batch[PLAIN_BATCH];
	u32 i = 0, b = 0;
	bool sql = false;

	if (st->pct[0] | st->pct[1] | st->utf | st->jndi[0])
		return 0;
	if (!(flags & (RF_PATH | RF_SQL | RF_PLUS)))
		return strings_only(st, p, n, stop | B_SLOW, found);
	stop |= B_SLOW | (flags & RF_PLUS ? B_PLUS : 0);
	while (i < n) {
		int c = p[i];

		if (!(byte_class[c] & stop)) {
			i++;
		} else if (c == '+' && (flags & RF_PLUS)) {
			c = ' ';
			i++;
		} else if (c == '%' && n - i > 2 && (c = percent(p + i)) >= 0) {
			i += 3;
		} else {
			break;
		}
		ac = ac_next[ac][ac_class[c]];
		out |= ac_out[ac];
		/* Other bytes only reset the path traversal state. */
		if ((flags & RF_PATH) && (st->dots || (byte_class[c] & B_DOTS)) &&
		    dots_step(&st->dots, c))
			*found |= FOUND(PATH_TRAVERSAL);
		if (flags & RF_SQL) {
			batch[b++] = c;
			if (b == PLAIN_BATCH) {
				sql |= cw_sql_feed(&st->sql, batch, b);
				b = 0;
			}
		}
	}
	st->ac = ac;
	if (out)
		*found |= strings_found(out, flags);
	if (b)
		sql |= cw_sql_feed(&st->sql, batch, b);
	if (sql)
		*found |= FOUND(SQL_INJECTION);
	return i;
}

/* --- Headers. --- */

static bool is_ows(u8 c)
{
	return c == ' ' || c == '\t';
}

static void name_byte(struct http_state *st, u8 c)
{
	unsigned int h;

	c = lower(c);
	for (h = 1; h < H_COUNT; h++) {
		if (!(st->hdr & 1 << h))
			continue;
		if (st->pos < header_names[h].len && c == (u8)header_names[h].text[st->pos])
			continue;
		/* Transfer_Encoding: some proxies take it for the real one. */
		if (h == H_TE && st->pos == 8 && c == '_') {
			st->val = 1;
			continue;
		}
		st->hdr &= ~(1 << h);
	}
	if (st->pos < 255)
		st->pos++;
}

/* A header's first byte: the names it may start. */
static void name_start(struct http_state *st, u8 c)
{
	unsigned int h;

	st->state = S_NAME;
	st->hdr = 0;
	st->pos = 1;
	st->val = 0;
	c = lower(c);
	for (h = 1; h < H_COUNT; h++)
		if (c == (u8)header_names[h].text[0])
			st->hdr |= 1 << h;
}

static u64 name_end(struct http_state *st, bool space)
{
	unsigned int h, hdr = H_OTHER;
	u64 found = 0;

	for (h = 1; h < H_COUNT; h++)
		if ((st->hdr & 1 << h) && st->pos == header_names[h].len)
			hdr = h;
	if (hdr == H_TE) {
		if (st->val || space || (st->req & R_TE))
			found |= FOUND(SMUGGLING_TE);
		st->req = (st->req | R_TE) & ~R_CHUNKED;
	}
	st->hdr = hdr;
	st->pos = 0;
	st->val = 0;
	st->state = S_VALUE;
	region_start(st, RG_HEADER);
	return found;
}

/* Content-Length: optional whitespace, 1 to 18 digits, optional whitespace. */
enum { CL_LEAD, CL_DIGITS, CL_TRAIL, CL_BAD };
#define CL_DIGITS_MAX 18

static void cl_byte(struct http_state *st, u8 c)
{
	bool digit = c >= '0' && c <= '9';

	switch (st->val) {
	case CL_LEAD:
		if (digit) {
			st->len = c - '0';
			st->pos = 1;
			st->val = CL_DIGITS;
		} else if (!is_ows(c)) {
			st->val = CL_BAD;
		}
		break;
	case CL_DIGITS:
		if (digit && st->pos < CL_DIGITS_MAX) {
			st->len = st->len * 10 + c - '0';
			st->pos++;
		} else {
			st->val = is_ows(c) ? CL_TRAIL : CL_BAD;
		}
		break;
	case CL_TRAIL:
		if (!is_ows(c))
			st->val = CL_BAD;
		break;
	}
}

static u64 cl_end(struct http_state *st)
{
	u32 fold = (u32)st->len ^ (u32)(st->len >> 32);

	if (st->val == CL_LEAD || st->val == CL_BAD) {
		st->req |= R_BAD_CL;
		return FOUND(BAD_CONTENT_LENGTH);
	}
	if (st->req & R_CL)
		return fold != st->cl ? FOUND(SMUGGLING_CL_CL) : 0;
	st->req |= R_CL;
	st->cl = fold;
	return 0;
}

/* Transfer-Encoding: a list of known codings, chunked last. */
enum { TE_LEAD, TE_TOKEN, TE_AFTER, TE_BAD };

static const char *const codings[] = {
	"chunked", "gzip", "deflate", "compress", "identity", "x-gzip",
};

static void te_token_end(struct http_state *st)
{
	unsigned int i;

	for (i = 0; i < sizeof(codings) / sizeof(codings[0]); i++) {
		if ((st->codings & 1 << i) && st->pos == strlen(codings[i])) {
			/* Nothing may come after chunked. */
			if (st->req & R_CHUNKED)
				break;
			if (i == 0)
				st->req |= R_CHUNKED;
			return;
		}
	}
	st->val = TE_BAD;
}

static void te_byte(struct http_state *st, u8 c)
{
	unsigned int i;

	if (st->val == TE_LEAD) {
		if (is_ows(c))
			return;
		if (c == ',') {
			st->val = TE_BAD;
			return;
		}
		st->val = TE_TOKEN;
		st->codings = (1 << (sizeof(codings) / sizeof(codings[0]))) - 1;
		st->pos = 0;
	}
	switch (st->val) {
	case TE_TOKEN:
		if (is_ows(c) || c == ',') {
			te_token_end(st);
			if (st->val != TE_BAD)
				st->val = c == ',' ? TE_LEAD : TE_AFTER;
			break;
		}
		c = lower(c);
		for (i = 0; i < sizeof(codings) / sizeof(codings[0]); i++)
			if (st->pos >= strlen(codings[i]) || c != (u8)codings[i][st->pos])
				st->codings &= ~(1 << i);
		if (st->pos < 255)
			st->pos++;
		break;
	case TE_AFTER:
		if (c == ',')
			st->val = TE_LEAD;
		else if (!is_ows(c))
			st->val = TE_BAD;
		break;
	}
}

static u64 te_end(struct http_state *st)
{
	if (st->val == TE_TOKEN)
		te_token_end(st);
	if (st->val == TE_BAD || st->val == TE_LEAD || !(st->req & R_CHUNKED))
		return FOUND(SMUGGLING_TE);
	return 0;
}

/* Content-Type: application/x-www-form-urlencoded, parameters allowed. */
enum { CT_LEAD, CT_MATCH, CT_DONE };
static const char form_type[] = "application/x-www-form-urlencoded";

static void ct_byte(struct http_state *st, u8 c)
{
	if (st->val == CT_LEAD) {
		if (is_ows(c))
			return;
		st->val = CT_MATCH;
		st->pos = 0;
	}
	if (st->val != CT_MATCH)
		return;
	if (st->pos < sizeof(form_type) - 1 && lower(c) == (u8)form_type[st->pos]) {
		if (++st->pos == sizeof(form_type) - 1)
			st->req |= R_FORM;
		return;
	}
	if (st->pos < sizeof(form_type) - 1 || (c != ';' && !is_ows(c)))
		st->req &= ~R_FORM;
	st->val = CT_DONE;
}

static void value_byte(struct http_state *st, u8 c)
{
	switch (st->hdr) {
	case H_CL:
		cl_byte(st, c);
		break;
	case H_TE:
		te_byte(st, c);
		break;
	case H_CT:
		ct_byte(st, c);
		break;
	}
}

static u64 value_end(struct http_state *st)
{
	u64 found = region_end(st);

	if (st->hdr == H_CL)
		found |= cl_end(st);
	else if (st->hdr == H_TE)
		found |= te_end(st);
	st->state = S_LINE;
	return found;
}

/* --- Requests. --- */

static void request_start(struct http_state *st)
{
	st->state = S_METHOD;
	st->req = 0;
	st->hdr = H_OTHER;
	st->len = 0;
	st->region = RG_NONE;
}

static u64 head_end(struct http_state *st)
{
	u64 found = 0;

	st->req &= ~R_HEAD;
	if ((st->req & (R_CL | R_TE)) == (R_CL | R_TE))
		found |= FOUND(SMUGGLING_CL_TE);
	/* Transfer-Encoding wins over Content-Length (RFC 9112 6.3). */
	if (st->req & R_TE) {
		st->state = S_CHUNK_SIZE;
		st->len = 0;
		st->pos = 0;
	} else if ((st->req & R_CL) && !(st->req & R_BAD_CL) && st->len) {
		st->state = S_BODY;
	} else {
		request_start(st);
		return found;
	}
	region_start(st, st->req & R_FORM ? RG_FKEY : RG_BODY);
	return found;
}

static u64 body_end(struct http_state *st)
{
	u64 found = region_end(st);

	request_start(st);
	return found;
}

/* A byte of the body itself: form structure, else content. */
static u64 body_byte(struct http_state *st, u8 c)
{
	if (st->region == RG_FKEY || st->region == RG_FVAL) {
		if (c == '&') {
			u64 found = region_end(st);

			region_start(st, RG_FKEY);
			return found;
		}
		if (c == '=' && st->region == RG_FKEY) {
			u64 found = region_end(st);

			region_start(st, RG_FVAL);
			return found;
		}
	}
	return content(st, c);
}

static u64 chunk_size_end(struct http_state *st)
{
	if (!st->pos) {
		st->state = S_LOST;
		return 0;
	}
	st->state = st->len ? S_CHUNK_DATA : S_TRAILER;
	return 0;
}

static u64 step(struct http_state *st, u8 c, u32 now_ms)
{
	u64 found = 0;
	int v;

	switch (st->state) {
	case S_METHOD:
		if (!(st->req & R_HEAD)) {
			/* Empty lines may come before a request. */
			if (c == '\r' || c == '\n')
				break;
			st->req |= R_HEAD;
			st->start_ms = now_ms;
		}
		if (c == ' ') {
			st->state = S_PATH;
			region_start(st, RG_PATH);
		} else if (c == '\n') {
			st->state = S_LINE;
		}
		break;
	case S_PATH:
	case S_QUERY:
		if (c == ' ' || c == '\n') {
			found = region_end(st);
			st->state = c == ' ' ? S_VERSION : S_LINE;
		} else if (c == '?' && st->state == S_PATH) {
			found = region_end(st);
			st->state = S_QUERY;
			region_start(st, RG_QKEY);
		} else if (c == '&' && st->state == S_QUERY) {
			found = region_end(st);
			region_start(st, RG_QKEY);
		} else if (c == '=' && st->region == RG_QKEY) {
			found = region_end(st);
			region_start(st, RG_QVAL);
		} else if (c != '\r') {
			found = content(st, c);
		}
		break;
	case S_VERSION:
		if (c == '\n')
			st->state = S_LINE;
		break;
	case S_LINE:
		if (c == '\n') {
			found = head_end(st);
		} else if (is_ows(c)) {
			/* obs-fold: a line continuing the last header's value. */
			if (st->hdr == H_TE)
				found = FOUND(SMUGGLING_TE);
			st->hdr = H_OTHER;
			st->state = S_VALUE;
			region_start(st, RG_HEADER);
		} else if (c != '\r') {
			name_start(st, c);
		}
		break;
	case S_NAME:
		if (c == ':')
			found = name_end(st, false);
		else if (is_ows(c))
			st->state = S_NAME_WS;
		else if (c == '\n')
			st->state = S_LINE;
		else if (c != '\r')
			name_byte(st, c);
		break;
	case S_NAME_WS:
		if (c == ':')
			found = name_end(st, true);
		else if (c == '\n')
			st->state = S_LINE;
		else if (!is_ows(c))
			st->state = S_SKIP_LINE;
		break;
	case S_VALUE:
		if (c == '\n') {
			found = value_end(st);
		} else if (c != '\r') {
			value_byte(st, c);
			found = content(st, c);
		}
		break;
	case S_SKIP_LINE:
		if (c == '\n')
			st->state = S_LINE;
		break;
	case S_BODY:
		found = body_byte(st, c);
		if (!--st->len)
			found |= body_end(st);
		break;
	case S_CHUNK_SIZE:
		v = hex(c);
		if (v >= 0 && st->pos < 16) {
			st->len = st->len << 4 | v;
			st->pos++;
		} else if (c == ';' || is_ows(c)) {
			st->state = S_CHUNK_EXT;
		} else if (c == '\n') {
			found = chunk_size_end(st);
		} else if (c != '\r') {
			st->state = S_LOST;
		}
		break;
	case S_CHUNK_EXT:
		if (c == '\n')
			found = chunk_size_end(st);
		break;
	case S_CHUNK_DATA:
		found = body_byte(st, c);
		if (!--st->len)
			st->state = S_CHUNK_END;
		break;
	case S_CHUNK_END:
		if (c == '\n') {
			st->state = S_CHUNK_SIZE;
			st->pos = 0;
		} else if (c != '\r') {
			st->state = S_LOST;
		}
		break;
	case S_TRAILER:
		if (c == '\n')
			found = body_end(st);
		else if (c != '\r')
			st->state = S_TRAILER_LINE;
		break;
	case S_TRAILER_LINE:
		if (c == '\n')
			st->state = S_TRAILER;
		break;
	case S_LOST:
		found = content(st, c);
		break;
	}
	return found;
}

/* A run of bytes that step() would take one by one alike: its length. */
static u32 run(struct http_state *st, const u8 *p, u32 n, u64 *found)
{
	u16 stop = 0;
	u32 k;

	/* Outside content, '\r' changes nothing: only '\n' ends a line. */
	switch (st->state) {
	case S_METHOD:
		return st->req & R_HEAD ? skip(p, n, B_SPACE | B_LF) : 0;
	case S_NAME:
		/* No header told apart has this name. */
		return st->hdr ? 0 : skip(p, n, B_SPACE | B_LF | B_COLON);
	case S_VERSION:
	case S_SKIP_LINE:
	case S_CHUNK_EXT:
	case S_TRAILER_LINE:
		return skip(p, n, B_LF);
	case S_PATH:
		return plain(st, p, n, B_SPACE | B_CR | B_LF | B_QUERY, found);
	case S_QUERY:
		stop = B_SPACE | B_CR | B_LF | B_AMP | (st->region == RG_QKEY ? B_EQ : 0);
		return plain(st, p, n, stop, found);
	case S_VALUE:
		return st->hdr == H_OTHER ? plain(st, p, n, B_CR | B_LF, found) : 0;
	case S_LOST:
		return plain(st, p, n, 0, found);
	case S_BODY:
	case S_CHUNK_DATA:
		break;
	default:
		return 0;
	}
	if (st->region == RG_FKEY)
		stop = B_AMP | B_EQ;
	else if (st->region == RG_FVAL)
		stop = B_AMP;
	k = plain(st, p, n < st->len ? n : st->len, stop, found);
	st->len -= k;
	if (k && !st->len) {
		if (st->state == S_BODY)
			*found |= body_end(st);
		else
			st->state = S_CHUNK_END;
	}
	return k;
}

static u64 scan(struct cw_threat_scan *s, const struct cw_threat_limits *limits,
		bool client, const u8 *data, u32 len, u32 now_ms)
{
	struct http_state *st = CW_THREAT_STATE(s, struct http_state);
	u32 slow = limits->threshold[CW_THREAT_HTTP_SLOWLORIS];
	u64 found = 0;
	u32 i;

	if (!client)
		return 0;
	/* A head still coming this long after its first byte (0: off). */
	if ((st->req & R_HEAD) && slow && now_ms - st->start_ms > (u64)slow * 1000)
		found |= FOUND(SLOWLORIS);
	for (i = 0; i < len; ) {
		i += run(st, data + i, len - i, &found);
		if (i < len)
			found |= step(st, data[i++], now_ms);
	}
	return found;
}

const struct cw_threat_checker cw_threat_http = {
	.name = "http",
	.app = CW_APP_HTTP,
	.scan = scan,
};
