// SPDX-License-Identifier: GPL-2.0
/*
 * libcellwall: JSON files whose errors point at a line and column.
 *
 * jansson gives positions for syntax errors only; a parsed value does not
 * know where it was. Semantic errors (a bad mode, an unknown key) name the
 * value by its path ("rules[3].ports[1]"), and the locator below finds that
 * path in the text again. It runs only when there is an error to report,
 * on text jansson has already accepted, so it is a plain structural scan
 * (strings with their escapes, nesting), not a second parser.
 */

#include "cwpolicy.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cw_json_file_read(const char *path, struct cw_json_file *f, char *err, size_t errlen)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	size_t size = 0, n;
	json_error_t error;
	FILE *in;
	char *text;
	int ret;

	memset(f, 0, sizeof(*f));
	in = is_stdin ? stdin : fopen(path, "r");
	if (!in) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return ret;
	}
	/* Standard input has no size to ask for: grow as it comes. */
	do {
		if (f->len + 1 >= size) {
			size = size ? size * 2 : 4096;
			text = realloc(f->text, size);
			if (!text) {
				ret = -ENOMEM;
				snprintf(err, errlen, "%s: out of memory", name);
				goto err;
			}
			f->text = text;
		}
		n = fread(f->text + f->len, 1, size - f->len - 1, in);
		f->len += n;
	} while (n);
	if (ferror(in)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		goto err;
	}
	f->text[f->len] = '\0';
	f->name = strdup(name);
	if (!f->name) {
		ret = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", name);
		goto err;
	}
	f->root = json_loadb(f->text, f->len, JSON_REJECT_DUPLICATES, &error);
	if (!f->root) {
		ret = -EINVAL;
		snprintf(err, errlen, "%s:%d:%d: %s", name, error.line, error.column, error.text);
		goto err;
	}
	if (!is_stdin)
		fclose(in);
	return 0;
err:
	if (!is_stdin)
		fclose(in);
	cw_json_file_free(f);
	return ret;
}

void cw_json_file_free(struct cw_json_file *f)
{
	free((char *)f->name);
	free(f->text);
	json_decref(f->root);
	memset(f, 0, sizeof(*f));
}

/* The locator */

struct scan {
	const char *s, *end;
};

static bool at(const struct scan *sc, char ch)
{
	return sc->s < sc->end && *sc->s == ch;
}

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static void skip_ws(struct scan *sc)
{
	while (sc->s < sc->end && is_ws(*sc->s))
		sc->s++;
}

/* From a string's opening quote past its closing one; escapes hide quotes. */
static bool skip_string(struct scan *sc)
{
	for (sc->s++; sc->s < sc->end; sc->s++) {
		if (*sc->s == '\\') {
			sc->s++;
		} else if (*sc->s == '"') {
			sc->s++;
			return true;
		}
	}
	return false;
}

/*
 * Past one value. Inside a container only strings need care (they may hold
 * brackets); a scalar at the top ends where a delimiter starts.
 */
static bool skip_value(struct scan *sc)
{
	int depth = 0;

	do {
		if (sc->s >= sc->end)
			return false;
		switch (*sc->s) {
		case '"':
			if (!skip_string(sc))
				return false;
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			depth--;
			break;
		default:
			if (depth)
				break;
			while (sc->s < sc->end && !is_ws(*sc->s) && *sc->s != ',' &&
			       *sc->s != '}' && *sc->s != ']')
				sc->s++;
			return true;
		}
		sc->s++;
	} while (depth > 0);
	return true;
}

/* Whether the string token @tok (quotes included) says @key. */
static bool same_key(const char *tok, size_t toklen, const char *key, size_t keylen)
{
	json_t *decoded;
	bool same;

	if (!memchr(tok, '\\', toklen))
		return toklen - 2 == keylen && !memcmp(tok + 1, key, keylen);
	/* Escaped: let jansson decode it rather than decode it here. */
	decoded = json_loadb(tok, toklen, JSON_DECODE_ANY, NULL);
	same = json_is_string(decoded) && json_string_length(decoded) == keylen &&
	       !memcmp(json_string_value(decoded), key, keylen);
	json_decref(decoded);
	return same;
}

/* From an object's '{' to the value of its member @key. */
static bool find_member(struct scan *sc, const char *key, size_t keylen)
{
	const char *tok;
	bool found;

	if (!at(sc, '{'))
		return false;
	sc->s++;
	for (;;) {
		skip_ws(sc);
		tok = sc->s;
		if (!at(sc, '"') || !skip_string(sc))
			return false;
		found = same_key(tok, sc->s - tok, key, keylen);
		skip_ws(sc);
		if (!at(sc, ':'))
			return false;
		sc->s++;
		skip_ws(sc);
		if (found)
			return true;
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (!at(sc, ','))
			return false;
		sc->s++;
	}
}

/* From an array's '[' to its element @index. */
static bool find_element(struct scan *sc, unsigned long index)
{
	if (!at(sc, '['))
		return false;
	sc->s++;
	for (;;) {
		skip_ws(sc);
		if (sc->s == sc->end || *sc->s == ']')
			return false;
		if (!index--)
			return true;
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (!at(sc, ','))
			return false;
		sc->s++;
	}
}

/* One quoted step, ["key"]: @p is at its '['; returns the ']' or NULL. */
static const char *quoted_step(struct scan *sc, const char *p, bool *found)
{
	struct scan q = { p + 1, p + strlen(p) };
	json_t *key;

	if (!skip_string(&q) || !at(&q, ']'))
		return NULL;
	key = json_loadb(p + 1, q.s - p - 1, JSON_DECODE_ANY, NULL);
	if (!json_is_string(key)) {
		json_decref(key);
		return NULL;
	}
	*found = find_member(sc, json_string_value(key), json_string_length(key));
	json_decref(key);
	return q.s;
}

int cw_json_locate(const char *text, size_t len, const char *path, int *line, int *column)
{
	struct scan sc = { text, text + len };
	bool found = true;
	const char *p = path, *s;
	char *end;
	size_t n;

	skip_ws(&sc);
	while (found && *p) {
		if (p[0] == '[' && p[1] == '"') {
			p = quoted_step(&sc, p, &found);
			if (!p)
				return -EINVAL;
			p++;
		} else if (p[0] == '[') {
			if (!isdigit((unsigned char)p[1]))
				return -EINVAL;
			found = find_element(&sc, strtoul(p + 1, &end, 10));
			if (*end != ']')
				return -EINVAL;
			p = end + 1;
		} else {
			if (*p == '.' && p != path)
				p++;
			n = strcspn(p, ".[");
			if (!n)
				return -EINVAL;
			found = find_member(&sc, p, n);
			p += n;
		}
	}
	if (!found)
		return -ENOENT;

	/* Columns count characters, not bytes, as jansson's do. */
	*line = 1;
	*column = 1;
	for (s = text; s < sc.s; s++) {
		if (*s == '\n') {
			(*line)++;
			*column = 1;
		} else if (((unsigned char)*s & 0xc0) != 0x80) {
			(*column)++;
		}
	}
	return 0;
}

void cw_json_path_add(char *path, size_t size, const char *key)
{
	size_t len = strlen(path), i;
	json_t *str;
	char *quoted;

	for (i = 0; key[i]; i++)
		if (!isalnum((unsigned char)key[i]) && key[i] != '_' && key[i] != '-')
			break;
	if (i && !key[i]) {
		snprintf(path + len, size - len, "%s%s", len ? "." : "", key);
		return;
	}
	/* A name the dotted form would misread: a JSON string in brackets. */
	str = json_string(key);
	quoted = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
	snprintf(path + len, size - len, "[%s]", quoted ? quoted : "\"?\"");
	free(quoted);
	json_decref(str);
}

int cw_json_file_error(const struct cw_json_file *f, const char *path, char *err,
		       size_t errlen, const char *fmt, ...)
{
	char reason[512];
	int line, column;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (path && f->text && !cw_json_locate(f->text, f->len, path, &line, &column))
		snprintf(err, errlen, "%s:%d:%d: %s", f->name, line, column, reason);
	else if (path && *path)
		snprintf(err, errlen, "%s: %s: %s", f->name, path, reason);
	else
		snprintf(err, errlen, "%s: %s", f->name, reason);
	return -EINVAL;
}
