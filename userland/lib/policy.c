// SPDX-License-Identifier: GPL-2.0
/* libcellwall: policy files, port specs and CIDRs (see policy.h). */

#include "cwpolicy.h"
#include "dpi/dpi.h"
#include "threat/threat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A decimal number in [0, max], digits only. */
static bool parse_num(const char *text, size_t len, unsigned long max, unsigned long *value)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		v = v * 10 + (text[i] - '0');
	}
	if (v > max)
		return false;
	*value = v;
	return true;
}

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = {
	{ "any", 0 },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "icmp", IPPROTO_ICMP },
};

int cw_portspec_parse(const char *text, struct cw_portspec *ps, char *err, size_t errlen)
{
	const char *slash = strchr(text, '/'), *dash;
	size_t namelen = slash ? (size_t)(slash - text) : strlen(text);
	unsigned long lo, hi;
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strlen(protos[i].name) == namelen && !strncmp(text, protos[i].name, namelen))
			break;
	if (i == sizeof(protos) / sizeof(protos[0]))
		return fail(err, errlen, "unknown protocol \"%s\" (tcp, udp, icmp or any)", text);
	ps->proto = protos[i].proto;
	ps->port_min = 0;
	ps->port_max = 65535;
	if (!slash)
		return 0;
	if (ps->proto != IPPROTO_TCP && ps->proto != IPPROTO_UDP)
		return fail(err, errlen, "ports only go with tcp or udp: \"%s\"", text);

	dash = strchr(slash + 1, '-');
	if (!dash) {
		if (!parse_num(slash + 1, strlen(slash + 1), 65535, &lo))
			return fail(err, errlen, "bad port \"%s\"", text);
		hi = lo;
	} else if (!parse_num(slash + 1, dash - slash - 1, 65535, &lo) ||
		   !parse_num(dash + 1, strlen(dash + 1), 65535, &hi) || lo > hi) {
		return fail(err, errlen, "bad port range \"%s\"", text);
	}
	ps->port_min = lo;
	ps->port_max = hi;
	return 0;
}

const char *cw_proto_name(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case 0:
		return "any";
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	}
	snprintf(buf, len, "%u", proto);
	return buf;
}

const char *cw_action_name(uint8_t action)
{
	switch (action) {
	case CW_ACTION_ALLOW:
		return "allow";
	case CW_ACTION_DENY:
		return "deny";
	case CW_ACTION_NONE:
		return "none";
	}
	return "?";
}

void cw_portspec_format(const struct cw_portspec *ps, char *buf, size_t len)
{
	char num[8];
	const char *name = cw_proto_name(ps->proto, num, sizeof(num));

	if (ps->proto == 0 || (ps->port_min == 0 && ps->port_max == 65535))
		snprintf(buf, len, "%s", name);
	else if (ps->port_min == ps->port_max)
		snprintf(buf, len, "%s/%u", name, ps->port_min);
	else
		snprintf(buf, len, "%s/%u-%u", name, ps->port_min, ps->port_max);
}

int cw_cidr_parse(const char *text, struct cw_cidr *c, char *err, size_t errlen)
{
	const char *slash = strchr(text, '/');
	char addr[INET6_ADDRSTRLEN];
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	unsigned long prefix;
	unsigned int bits, i;

	memset(c, 0, sizeof(*c));
	if (len >= sizeof(addr))
		return fail(err, errlen, "bad address \"%s\"", text);
	memcpy(addr, text, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, c->addr) == 1)
		c->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, c->addr) == 1)
		c->family = AF_INET6;
	else
		return fail(err, errlen, "bad address \"%s\"", text);
	bits = c->family == AF_INET ? 32 : 128;
	if (!slash)
		prefix = bits;
	else if (!parse_num(slash + 1, strlen(slash + 1), bits, &prefix))
		return fail(err, errlen, "bad prefix length \"%s\"", text);
	c->prefix = prefix;
	for (i = prefix; i < bits; i++)
		if (c->addr[i / 8] & (0x80 >> (i % 8)))
			return fail(err, errlen, "host bits set in \"%s\"", text);
	return 0;
}

void cw_cidr_format(const struct cw_cidr *c, bool always_prefix, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "?";
	unsigned int bits = c->family == AF_INET ? 32 : 128;

	inet_ntop(c->family, c->addr, addr, sizeof(addr));
	if (always_prefix || c->prefix != bits)
		snprintf(buf, len, "%s/%u", addr, c->prefix);
	else
		snprintf(buf, len, "%s", addr);
}

/* The longest DNS name in text, as the kernel takes it. */
#define DOMAIN_LEN 253

int cw_domain_name_parse(const char *text, char *out, char *err, size_t errlen)
{
	size_t skip = strncmp(text, "*.", 2) ? 0 : 2, len = strlen(text) - skip, label = 0, i;

	for (i = 0; i < len && len <= DOMAIN_LEN; i++) {
		char ch = text[skip + i];

		/* ASCII only: <ctype.h> would follow the locale. */
		if (ch >= 'A' && ch <= 'Z')
			ch += 'a' - 'A';
		if (ch == '.' && label)
			label = 0;
		else if (((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
			  ch == '_') && label < 63)
			label++;
		else
			break;
		out[skip + i] = ch;
	}
	if (i < len || !label)
		return fail(err, errlen, "bad domain name \"%s\" (labels of 1 to 63 of A-Z a-z 0-9 - _"
			    " joined by dots, at most %d in all, optionally after \"*.\")",
			    text, DOMAIN_LEN);
	memcpy(out, text, skip);
	out[skip + len] = '\0';
	return 0;
}

/*
 * An application of a newer module that this build cannot name goes by
 * number: loading that back fails rather than widen the rule to any.
 */
static const char *app_name(unsigned int app, char *buf, size_t len)
{
	const char *name = cw_app_name(app);

	if (name)
		return name;
	snprintf(buf, len, "%u", app);
	return buf;
}

void cw_apps_format(uint64_t apps, char *buf, size_t len)
{
	unsigned int app;
	char num[8];
	size_t used;

	snprintf(buf, len, "%s", apps ? "" : "any");
	for (app = 0; app < 64; app++) {
		if (!(apps & 1ULL << app))
			continue;
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? "," : "",
			 app_name(app, num, sizeof(num)));
	}
}

json_t *cw_apps_json(uint64_t apps)
{
	json_t *array = json_array();
	unsigned int app;
	char num[8];

	for (app = 0; app < 64; app++)
		if (apps & 1ULL << app)
			json_array_append_new(array, json_string(app_name(app, num, sizeof(num))));
	return array;
}

int cw_apps_parse(json_t *array, uint64_t *apps, ssize_t *bad, char *err, size_t errlen)
{
	unsigned int app;
	const char *name;
	json_t *v;
	size_t i;

	*apps = 0;
	*bad = -1;
	if (!json_is_array(array) || !json_array_size(array))
		return fail(err, errlen, "\"apps\" must be a non-empty array of application names"
			    " (leave it out for any)");
	json_array_foreach(array, i, v) {
		*bad = i;
		name = json_string_value(v);
		if (!name)
			return fail(err, errlen, "an application must be a string");
		app = cw_app_by_name(name);
		if (app == CW_APP_UNKNOWN)
			return fail(err, errlen, "unknown application \"%s\"", name);
		if (*apps & 1ULL << app)
			return fail(err, errlen, "\"%s\" is listed twice", name);
		*apps |= 1ULL << app;
	}
	return 0;
}

/* Policy files */

/* Enough for any path an error names, a long label key included. */
#define JPATH_LEN 512

struct ctx {
	const struct cw_json_file *f;
	char *err;
	size_t errlen;
	struct cw_policy *p;
};

/* An error at the value @path names: "FILE:LINE:COLUMN: what". */
static int __attribute__((format(printf, 3, 4)))
bad(struct ctx *c, const char *path, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return cw_json_file_error(c->f, path, c->err, c->errlen, "%s", what);
}

/* The path of @path's member @key, in @buf. */
static const char *member(char *buf, size_t size, const char *path, const char *key)
{
	snprintf(buf, size, "%s", path);
	cw_json_path_add(buf, size, key);
	return buf;
}

/* Every key of @obj must be one of @keys (NULL-terminated): catches typos. */
static int check_keys(struct ctx *c, const char *path, json_t *obj, const char *const *keys)
{
	char where[JPATH_LEN];
	const char *key;
	json_t *value;
	size_t i;

	json_object_foreach(obj, key, value) {
		for (i = 0; keys[i]; i++)
			if (!strcmp(key, keys[i]))
				break;
		if (!keys[i])
			return bad(c, member(where, sizeof(where), path, key),
				   "unknown key \"%s\"", key);
	}
	return 0;
}

static bool valid_name(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len >= CW_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

/* A string member @key of @obj: required or NULL when absent. */
static int get_string(struct ctx *c, const char *path, json_t *obj, const char *key,
		      bool required, const char **value)
{
	json_t *v = json_object_get(obj, key);
	char where[JPATH_LEN];

	*value = NULL;
	if (!v) {
		if (required)
			return bad(c, path, "\"%s\" is missing", key);
		return 0;
	}
	if (!json_is_string(v))
		return bad(c, member(where, sizeof(where), path, key),
			   "\"%s\" must be a string", key);
	*value = json_string_value(v);
	return 0;
}

/* An integer member in [min, max], 0 when absent. */
static int get_id(struct ctx *c, const char *path, json_t *obj, const char *key,
		  json_int_t min, json_int_t max, uint32_t *value)
{
	json_t *v = json_object_get(obj, key);
	char where[JPATH_LEN];

	*value = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return bad(c, member(where, sizeof(where), path, key),
			   "\"%s\" must be an integer from %lld to %lld", key,
			   (long long)min, (long long)max);
	*value = json_integer_value(v);
	return 0;
}

/* A boolean member, false when absent. */
static int get_bool(struct ctx *c, const char *path, json_t *obj, const char *key, bool *value)
{
	json_t *v = json_object_get(obj, key);
	char where[JPATH_LEN];

	if (v && !json_is_boolean(v))
		return bad(c, member(where, sizeof(where), path, key),
			   "\"%s\" must be true or false", key);
	*value = json_is_true(v);
	return 0;
}

static bool builtin_group(const char *name)
{
	return !strcmp(name, "host") || !strcmp(name, "external") || !strcmp(name, "unknown");
}

static struct cw_policy_group *file_group(struct cw_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ngroups; i++)
		if (!strcmp(p->groups[i].name, name))
			return &p->groups[i];
	return NULL;
}

static const struct cw_group_info *kernel_group(const struct cw_group_info *groups,
						size_t n, const char *name)
{
	size_t i;

	for (i = 0; groups && i < n; i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	return NULL;
}

/*
 * Member @key of @obj: absent (*@array NULL) or an array of strings; an
 * error points at the element that is not one.
 */
static int get_strings(struct ctx *c, const char *path, json_t *obj, const char *key,
		       json_t **array)
{
	char where[JPATH_LEN];
	size_t i, len;
	json_t *v;

	*array = json_object_get(obj, key);
	if (!*array)
		return 0;
	member(where, sizeof(where), path, key);
	if (!json_is_array(*array))
		return bad(c, where, "\"%s\" must be an array of strings", key);
	json_array_foreach(*array, i, v) {
		if (json_is_string(v))
			continue;
		len = strlen(where);
		snprintf(where + len, sizeof(where) - len, "[%zu]", i);
		return bad(c, where, "\"%s\" must be an array of strings", key);
	}
	return 0;
}

static int parse_cidrs(struct ctx *c, const char *path, json_t *cidrs, struct cw_policy_group *g)
{
	char where[JPATH_LEN], why[128];
	json_t *v;
	size_t i, j;

	g->cidrs = calloc(json_array_size(cidrs) + 1, sizeof(*g->cidrs));
	if (!g->cidrs)
		return bad(c, NULL, "out of memory");
	json_array_foreach(cidrs, i, v) {
		snprintf(where, sizeof(where), "%s.cidrs[%zu]", path, i);
		if (cw_cidr_parse(json_string_value(v), &g->cidrs[i], why, sizeof(why)))
			return bad(c, where, "%s", why);
		for (j = 0; j < i; j++)
			if (!memcmp(&g->cidrs[j], &g->cidrs[i], sizeof(g->cidrs[i])))
				return bad(c, where, "\"%s\" is listed twice", json_string_value(v));
		g->ncidrs++;
	}
	return 0;
}

const struct cw_policy_group *cw_policy_domain_group(const struct cw_policy *p,
						     const char *name)
{
	size_t i, j;

	for (i = 0; i < p->ngroups; i++)
		for (j = 0; j < p->groups[i].ndomains; j++)
			if (!strcmp(p->groups[i].domains[j], name))
				return &p->groups[i];
	return NULL;
}

/* A name is in one group, once: the kernel keeps one group per name. */
static int parse_domains(struct ctx *c, const char *path, json_t *domains,
			 struct cw_policy_group *g)
{
	char where[JPATH_LEN], why[256];
	const struct cw_policy_group *other;
	const char *text;
	json_t *v;
	size_t i;

	g->domains = calloc(json_array_size(domains) + 1, sizeof(*g->domains));
	if (!g->domains)
		return bad(c, NULL, "out of memory");
	json_array_foreach(domains, i, v) {
		snprintf(where, sizeof(where), "%s.domains[%zu]", path, i);
		text = json_string_value(v);
		if (cw_domain_name_parse(text, g->domains[i], why, sizeof(why)))
			return bad(c, where, "%s", why);
		other = cw_policy_domain_group(c->p, g->domains[i]);
		if (other == g)
			return bad(c, where, "\"%s\" is listed twice", text);
		if (other)
			return bad(c, where, "\"%s\" is in group \"%s\" too", text, other->name);
		g->ndomains++;
	}
	return 0;
}

/* Remote ends by address, by name, or both. */
static int parse_address_group(struct ctx *c, const char *path, json_t *obj,
			       struct cw_policy_group *g)
{
	json_t *cidrs, *domains;
	int ret;

	ret = get_strings(c, path, obj, "cidrs", &cidrs);
	if (!ret)
		ret = get_strings(c, path, obj, "domains", &domains);
	if (ret)
		return ret;
	if (!cidrs && !domains)
		return bad(c, path, "an address group needs \"cidrs\", \"domains\" or both");
	ret = parse_cidrs(c, path, cidrs, g);
	return ret ? ret : parse_domains(c, path, domains, g);
}

static const char *const runtimes[] = { "docker", "containerd", "crio", "podman", "nspawn", NULL };

/* A glob of a selector: a non-empty string, copied. */
static int get_glob(struct ctx *c, const char *path, json_t *obj, const char *key, char **glob)
{
	json_t *v = json_object_get(obj, key);
	char where[JPATH_LEN];

	if (!v)
		return 0;
	if (!json_is_string(v) || !json_string_length(v))
		return bad(c, member(where, sizeof(where), path, key),
			   "\"%s\" must be a non-empty string (a glob)", key);
	*glob = strdup(json_string_value(v));
	return *glob ? 0 : bad(c, NULL, "out of memory");
}

static int parse_selector(struct ctx *c, const char *path, json_t *obj, struct cw_selector *s)
{
	static const char *const keys[] = {
		"name", "image", "labels", "cgroup", "k8s_namespace", "runtime", NULL
	};
	char where[JPATH_LEN], label[JPATH_LEN];
	const char *runtime, *key;
	json_t *labels, *v;
	size_t i;
	int ret;

	if (!json_is_object(obj))
		return bad(c, path, "a selector must be an object");
	ret = check_keys(c, path, obj, keys);
	if (!ret)
		ret = get_glob(c, path, obj, "name", &s->name);
	if (!ret)
		ret = get_glob(c, path, obj, "image", &s->image);
	if (!ret)
		ret = get_glob(c, path, obj, "cgroup", &s->cgroup);
	if (!ret)
		ret = get_glob(c, path, obj, "k8s_namespace", &s->k8s_namespace);
	if (!ret)
		ret = get_string(c, path, obj, "runtime", false, &runtime);
	if (ret)
		return ret;
	if (runtime) {
		for (i = 0; runtimes[i] && strcmp(runtime, runtimes[i]); i++)
			;
		if (!runtimes[i])
			return bad(c, member(where, sizeof(where), path, "runtime"),
				   "bad runtime \"%s\" (docker, containerd, crio, podman or nspawn)",
				   runtime);
		s->runtime = runtimes[i];
	}

	labels = json_object_get(obj, "labels");
	if (!labels)
		return 0;
	member(where, sizeof(where), path, "labels");
	if (!json_is_object(labels))
		return bad(c, where, "\"labels\" must be an object of label globs");
	json_object_foreach(labels, key, v)
		if (!json_is_string(v) || !json_string_length(v))
			return bad(c, member(label, sizeof(label), where, key),
				   "label \"%s\" must be a non-empty string (a glob)", key);
	/* A copy: the selector outlives the document. */
	s->labels = json_deep_copy(labels);
	return s->labels ? 0 : bad(c, NULL, "out of memory");
}

/* "match": a selector, or an array of them of which any one selects. */
static int parse_match(struct ctx *c, const char *path, json_t *obj, struct cw_policy_group *g)
{
	json_t *match = json_object_get(obj, "match"), *v;
	char where[JPATH_LEN], elem[JPATH_LEN + 24];
	size_t i;
	int ret;

	if (!match)
		return 0;
	member(where, sizeof(where), path, "match");
	if (!json_is_object(match) && (!json_is_array(match) || !json_array_size(match)))
		return bad(c, where, "\"match\" must be a selector or a non-empty array of them");
	g->nmatch = json_is_array(match) ? json_array_size(match) : 1;
	g->match = calloc(g->nmatch, sizeof(*g->match));
	if (!g->match) {
		g->nmatch = 0;
		return bad(c, NULL, "out of memory");
	}
	if (json_is_object(match))
		return parse_selector(c, where, match, &g->match[0]);
	json_array_foreach(match, i, v) {
		snprintf(elem, sizeof(elem), "%s[%zu]", where, i);
		ret = parse_selector(c, elem, v, &g->match[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_group(struct ctx *c, const char *path, json_t *obj, bool address)
{
	static const char *const group_keys[] = { "name", "mode", "id", "match", NULL };
	static const char *const address_keys[] = {
		"name", "mode", "id", "cidrs", "domains", NULL
	};
	struct cw_policy_group *g = &c->p->groups[c->p->ngroups];
	char name_at[JPATH_LEN], id_at[JPATH_LEN], where[JPATH_LEN];
	const char *name, *mode;
	size_t i;
	int ret;

	if (!json_is_object(obj))
		return bad(c, path, "a group must be an object");
	ret = check_keys(c, path, obj, address ? address_keys : group_keys);
	if (!ret)
		ret = get_string(c, path, obj, "name", true, &name);
	if (!ret)
		ret = get_string(c, path, obj, "mode", false, &mode);
	if (!ret)
		ret = get_id(c, path, obj, "id", 1, UINT32_MAX, &g->id);
	if (ret)
		return ret;
	member(name_at, sizeof(name_at), path, "name");
	member(id_at, sizeof(id_at), path, "id");
	if (!valid_name(name))
		return bad(c, name_at, "bad group name \"%s\" (1 to %d of A-Z a-z 0-9 _ . -)",
			   name, CW_NAME_MAX - 1);
	if (file_group(c->p, name))
		return bad(c, name_at, "group \"%s\" is defined twice", name);
	if (!strcmp(name, "external") || !strcmp(name, "unknown"))
		return bad(c, name_at, "group \"%s\" is the kernel's and cannot be redefined", name);
	if (!strcmp(name, "host")) {
		const char *why = "group \"host\" is the kernel's: only its mode may be set";

		if (address)
			return bad(c, path, "%s", why);
		if (g->id && g->id != CW_GROUP_HOST)
			return bad(c, id_at, "%s", why);
		if (json_object_get(obj, "match"))
			return bad(c, member(where, sizeof(where), path, "match"), "%s", why);
	}
	if (strcmp(name, "host") && g->id && g->id < CW_GROUP_FIRST_USER)
		return bad(c, id_at, "group ids below %d are the kernel's", CW_GROUP_FIRST_USER);
	for (i = 0; i < c->p->ngroups; i++)
		if (g->id && c->p->groups[i].id == g->id)
			return bad(c, id_at, "group id %u is used by \"%s\" too", g->id,
				   c->p->groups[i].name);
	if (mode) {
		g->mode = cw_mode_parse(mode);
		if (g->mode == CW_MODE_NONE)
			return bad(c, member(where, sizeof(where), path, "mode"),
				   "bad mode \"%s\" (discover, monitor or protect)", mode);
	} else if (address) {
		g->mode = CW_MODE_DISCOVER;
	}
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->address = address;
	c->p->ngroups++;	/* from here on, freed with the policy */
	return address ? parse_address_group(c, path, obj, g) : parse_match(c, path, obj, g);
}

static int parse_rule(struct ctx *c, const char *path, json_t *obj)
{
	static const char *const keys[] = {
		"id", "from", "to", "ports", "apps", "action", "learned", NULL
	};
	struct cw_policy_rule *r = &c->p->rules[c->p->nrules];
	char id_at[JPATH_LEN], where[JPATH_LEN], why[128];
	const char *from, *to, *action;
	json_t *ports, *apps, *v;
	ssize_t bad_app;
	size_t i;
	int ret;

	if (!json_is_object(obj))
		return bad(c, path, "a rule must be an object");
	ret = check_keys(c, path, obj, keys);
	if (!ret)
		ret = get_string(c, path, obj, "from", true, &from);
	if (!ret)
		ret = get_string(c, path, obj, "to", true, &to);
	if (!ret)
		ret = get_string(c, path, obj, "action", true, &action);
	if (!ret)
		ret = get_id(c, path, obj, "id", 1, UINT32_MAX, &r->id);
	if (!ret)
		ret = get_bool(c, path, obj, "learned", &r->learned);
	if (ret)
		return ret;

	member(id_at, sizeof(id_at), path, "id");
	if (r->id && r->learned && r->id < CW_RULE_ID_LEARNED)
		return bad(c, id_at, "learned rules have ids from %d", CW_RULE_ID_LEARNED);
	if (r->id && !r->learned && r->id >= CW_RULE_ID_LEARNED)
		return bad(c, id_at, "ids from %d are for learned rules", CW_RULE_ID_LEARNED);
	for (i = 0; i < c->p->nrules; i++)
		if (r->id && c->p->rules[i].id == r->id)
			return bad(c, id_at, "rule id %u is used by rules[%zu] too", r->id, i);

	snprintf(r->from, sizeof(r->from), "%s", from);
	snprintf(r->to, sizeof(r->to), "%s", to);

	if (!strcmp(action, "allow"))
		r->action = CW_ACTION_ALLOW;
	else if (!strcmp(action, "deny"))
		r->action = CW_ACTION_DENY;
	else
		return bad(c, member(where, sizeof(where), path, "action"),
			   "bad action \"%s\" (allow or deny)", action);

	apps = json_object_get(obj, "apps");
	if (apps && cw_apps_parse(apps, &r->apps, &bad_app, why, sizeof(why))) {
		if (bad_app < 0)
			member(where, sizeof(where), path, "apps");
		else
			snprintf(where, sizeof(where), "%s.apps[%zd]", path, bad_app);
		return bad(c, where, "%s", why);
	}

	ports = json_object_get(obj, "ports");
	if (ports && (!json_is_array(ports) || !json_array_size(ports)))
		return bad(c, member(where, sizeof(where), path, "ports"),
			   "\"ports\" must be a non-empty array (leave it out for any)");
	r->ports = calloc(ports ? json_array_size(ports) : 1, sizeof(*r->ports));
	if (!r->ports)
		return bad(c, NULL, "out of memory");
	c->p->nrules++;		/* from here on, freed with the policy */
	if (!ports) {
		r->nports = 1;	/* calloc'ed: proto 0, every port */
		r->ports[0].port_max = 65535;
		return 0;
	}
	json_array_foreach(ports, i, v) {
		snprintf(where, sizeof(where), "%s.ports[%zu]", path, i);
		if (!json_is_string(v))
			return bad(c, where, "a port spec must be a string");
		if (cw_portspec_parse(json_string_value(v), &r->ports[i], why, sizeof(why)))
			return bad(c, where, "%s", why);
		/* The kernel refuses it too: nothing identifies ICMP. */
		if (r->apps && r->ports[i].proto == IPPROTO_ICMP)
			return bad(c, where, "\"icmp\" has no application: put it in a rule"
				   " without \"apps\"");
		r->nports++;
	}
	return 0;
}

/* "group" of a process or file rule; whether it exists is checked with the rules' groups. */
static int get_group(struct ctx *c, const char *path, json_t *obj, char *group)
{
	char where[JPATH_LEN];
	const char *name;
	int ret;

	ret = get_string(c, path, obj, "group", true, &name);
	if (ret)
		return ret;
	if (!valid_name(name))
		return bad(c, member(where, sizeof(where), path, "group"),
			   "bad group name \"%s\" (1 to %d of A-Z a-z 0-9 _ . -)",
			   name, CW_NAME_MAX - 1);
	snprintf(group, CW_NAME_MAX, "%s", name);
	return 0;
}

static int parse_process(struct ctx *c, const char *path, json_t *obj, bool flag)
{
	static const char *const keys[] = {
		"group", "path", "name", "user", "action", "learned", NULL
	};
	struct cw_policy_process *r = &c->p->processes[c->p->nprocesses];
	char where[JPATH_LEN];
	const char *action;
	json_t *user;
	int ret;

	(void)flag;
	if (!json_is_object(obj))
		return bad(c, path, "a process rule must be an object");
	c->p->nprocesses++;	/* calloc'ed: freed with the policy from here on */
	r->uid = -1;
	ret = check_keys(c, path, obj, keys);
	if (!ret)
		ret = get_group(c, path, obj, r->group);
	if (!ret)
		ret = get_glob(c, path, obj, "path", &r->path);
	if (!ret)
		ret = get_glob(c, path, obj, "name", &r->name);
	if (!ret)
		ret = get_string(c, path, obj, "action", false, &action);
	if (!ret)
		ret = get_bool(c, path, obj, "learned", &r->learned);
	if (ret)
		return ret;
	if (r->path && r->path[0] != '/')
		return bad(c, member(where, sizeof(where), path, "path"),
			   "\"path\" must start with \"/\": a glob on the executable's"
			   " absolute path");
	if (r->name && strlen(r->name) > CW_COMM_MAX)
		return bad(c, member(where, sizeof(where), path, "name"),
			   "\"name\" \"%s\" is longer than %d characters, the most a process name"
			   " (comm) has", r->name, CW_COMM_MAX);
	if (!r->path && !r->name)
		return bad(c, path, "a process rule needs \"path\", \"name\" or both");

	user = json_object_get(obj, "user");
	if (user && (!json_is_integer(user) || json_integer_value(user) < 0 ||
		     json_integer_value(user) >= UINT32_MAX))
		return bad(c, member(where, sizeof(where), path, "user"),
			   "\"user\" must be a uid, an integer from 0 to %u", UINT32_MAX - 1);
	if (user)
		r->uid = json_integer_value(user);

	if (!action || !strcmp(action, "allow"))
		r->action = CW_ACTION_ALLOW;
	else if (!strcmp(action, "deny"))
		r->action = CW_ACTION_DENY;
	else
		return bad(c, member(where, sizeof(where), path, "action"),
			   "bad action \"%s\" (allow or deny)", action);
	return 0;
}

/* Absolute, without empty, "." or ".." components: "/" or "/a/b", never "/a/". */
static bool normal_path(const char *path)
{
	size_t len;

	if (path[0] != '/')
		return false;
	if (!path[1])
		return true;
	while (*path == '/') {
		path++;
		len = strcspn(path, "/");
		if (!len || (len == 1 && path[0] == '.') || (len == 2 && !strncmp(path, "..", 2)))
			return false;
		path += len;
	}
	return true;
}

static int parse_file_rule(struct ctx *c, const char *path, json_t *obj, bool flag)
{
	static const char *const keys[] = { "group", "path", "process", "action", NULL };
	struct cw_policy_file *f = &c->p->files[c->p->nfiles];
	const char *file, *action;
	char where[JPATH_LEN];
	int ret;

	(void)flag;
	if (!json_is_object(obj))
		return bad(c, path, "a file rule must be an object");
	c->p->nfiles++;		/* calloc'ed: freed with the policy from here on */
	ret = check_keys(c, path, obj, keys);
	if (!ret)
		ret = get_group(c, path, obj, f->group);
	if (!ret)
		ret = get_string(c, path, obj, "path", true, &file);
	if (!ret)
		ret = get_glob(c, path, obj, "process", &f->process);
	if (!ret)
		ret = get_string(c, path, obj, "action", false, &action);
	if (ret)
		return ret;
	if (!normal_path(file))
		return bad(c, member(where, sizeof(where), path, "path"),
			   "bad path \"%s\" (absolute, without \"//\", \".\" or \"..\","
			   " no \"/\" at the end)", file);
	f->path = strdup(file);
	if (!f->path)
		return bad(c, NULL, "out of memory");

	if (!action)
		return 0;	/* watch without "process", allow with it */
	if (!strcmp(action, "watch")) {
		if (f->process)
			return bad(c, member(where, sizeof(where), path, "process"),
				   "\"watch\" takes no \"process\" (\"allow\" lets one change"
				   " the path)");
	} else if (!strcmp(action, "allow")) {
		if (!f->process)
			return bad(c, member(where, sizeof(where), path, "action"),
				   "\"allow\" needs \"process\", the program that may change"
				   " the path");
	} else {
		return bad(c, member(where, sizeof(where), path, "action"),
			   "bad action \"%s\" (watch or allow)", action);
	}
	return 0;
}

/* The largest threshold the kernel takes for @id (kmod/detect.c). */
static uint32_t threshold_max(unsigned int id)
{
	/* It counts distinct ports in a 64-bit set. */
	return id == CW_THREAT_PORT_SCAN ? 64 : UINT32_MAX;
}

/* "threats": { "syn_flood": { "action": "alert", "threshold": 100 }, ... } */
static int parse_threats(struct ctx *c, json_t *root)
{
	static const char *const keys[] = { "action", "threshold", NULL };
	json_t *threats = json_object_get(root, "threats"), *v;
	char at[JPATH_LEN], where[JPATH_LEN];
	const struct cw_threat_def *def;
	struct cw_policy_threat *t;
	const char *name, *action;
	unsigned int id;
	int ret;

	if (!threats)
		return 0;
	if (!json_is_object(threats))
		return bad(c, "threats", "\"threats\" must be an object of threat names");
	json_object_foreach(threats, name, v) {
		member(at, sizeof(at), "threats", name);
		id = cw_threat_by_name(name);
		if (!id)
			return bad(c, at, "unknown threat \"%s\" (cellwall threats lists them)",
				   name);
		if (!json_is_object(v) || !json_object_size(v))
			return bad(c, at, "threat \"%s\" must be an object with \"action\","
				   " \"threshold\" or both", name);
		ret = check_keys(c, at, v, keys);
		if (!ret)
			ret = get_string(c, at, v, "action", false, &action);
		if (ret)
			return ret;
		def = &cw_threat_defs[id];
		t = &c->p->threats[id];
		t->action = def->action;
		if (action) {
			ret = cw_threat_action_parse(action);
			if (ret < 0)
				return bad(c, member(where, sizeof(where), at, "action"),
					   "bad action \"%s\" (off, alert or block)", action);
			t->action = ret;
		}
		if (json_object_get(v, "threshold") && !def->unit)
			return bad(c, member(where, sizeof(where), at, "threshold"),
				   "threat \"%s\" has no threshold", name);
		ret = get_id(c, at, v, "threshold", 1, threshold_max(id), &t->threshold);
		if (ret)
			return ret;
		if (!t->threshold && def->unit)
			t->threshold = def->threshold;
		t->set = true;
	}
	return 0;
}

/* The lowest id >= @from that no rule of @p uses. */
static uint32_t free_rule_id(const struct cw_policy *p, uint32_t from)
{
	uint32_t id = from;
	size_t i;

again:
	for (i = 0; i < p->nrules; i++) {
		if (p->rules[i].id == id) {
			id++;
			goto again;
		}
	}
	return id;
}

/* Walks one top-level array with @parse; the path names each element. */
static int parse_array(struct ctx *c, json_t *root, const char *key,
		       int (*parse)(struct ctx *c, const char *path, json_t *obj, bool flag),
		       bool flag)
{
	json_t *array = json_object_get(root, key), *v;
	char path[64];
	size_t i;
	int ret;

	if (!array)
		return 0;
	if (!json_is_array(array))
		return bad(c, key, "\"%s\" must be an array", key);
	json_array_foreach(array, i, v) {
		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		ret = parse(c, path, v, flag);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_rule_flag(struct ctx *c, const char *path, json_t *obj, bool flag)
{
	(void)flag;
	return parse_rule(c, path, obj);
}

int cw_policy_from_file(const struct cw_json_file *f, struct cw_policy *p,
			char *err, size_t errlen)
{
	static const char *const keys[] = {
		"groups", "address_groups", "rules", "threats", "process_rules", "file_rules", NULL
	};
	struct ctx c = { .f = f, .err = err, .errlen = errlen, .p = p };
	json_t *root = f->root;
	size_t ngroups, nrules, i;
	int ret;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(root))
		return bad(&c, "", "the policy must be a JSON object");
	ret = check_keys(&c, "", root, keys);
	if (ret)
		return ret;
	ngroups = json_array_size(json_object_get(root, "groups")) +
		  json_array_size(json_object_get(root, "address_groups"));
	nrules = json_array_size(json_object_get(root, "rules"));
	p->groups = calloc(ngroups + 1, sizeof(*p->groups));
	p->rules = calloc(nrules + 1, sizeof(*p->rules));
	p->processes = calloc(json_array_size(json_object_get(root, "process_rules")) + 1,
			      sizeof(*p->processes));
	p->files = calloc(json_array_size(json_object_get(root, "file_rules")) + 1,
			  sizeof(*p->files));
	if (!p->groups || !p->rules || !p->processes || !p->files) {
		ret = bad(&c, NULL, "out of memory");
		goto err;
	}
	/* Groups first: rules may name any group of the file. */
	ret = parse_array(&c, root, "groups", parse_group, false);
	if (!ret)
		ret = parse_array(&c, root, "address_groups", parse_group, true);
	if (!ret)
		ret = parse_array(&c, root, "rules", parse_rule_flag, false);
	if (!ret)
		ret = parse_array(&c, root, "process_rules", parse_process, false);
	if (!ret)
		ret = parse_array(&c, root, "file_rules", parse_file_rule, false);
	if (!ret)
		ret = parse_threats(&c, root);
	if (ret)
		goto err;
	for (i = 0; i < p->nrules; i++)
		if (!p->rules[i].id)
			p->rules[i].id = free_rule_id(p, p->rules[i].learned ?
							 CW_RULE_ID_LEARNED : 1);
	return 0;
err:
	cw_policy_free(p);
	return ret;
}

int cw_policy_from_json(json_t *root, const char *file, struct cw_policy *p,
			char *err, size_t errlen)
{
	const struct cw_json_file f = { .name = file, .root = root };

	return cw_policy_from_file(&f, p, err, errlen);
}

int cw_policy_read(const char *path, struct cw_policy *p, char *err, size_t errlen)
{
	struct cw_json_file f;
	int ret;

	memset(p, 0, sizeof(*p));
	if (cw_json_file_read(path, &f, err, errlen))
		return -EINVAL;
	ret = cw_policy_from_file(&f, p, err, errlen);
	cw_json_file_free(&f);
	return ret;
}

static void selector_free(struct cw_selector *s)
{
	free(s->name);
	free(s->image);
	free(s->cgroup);
	free(s->k8s_namespace);
	json_decref(s->labels);
}

void cw_policy_free(struct cw_policy *p)
{
	size_t i, j;

	for (i = 0; i < p->ngroups; i++) {
		free(p->groups[i].cidrs);
		free(p->groups[i].domains);
		for (j = 0; j < p->groups[i].nmatch; j++)
			selector_free(&p->groups[i].match[j]);
		free(p->groups[i].match);
	}
	for (i = 0; i < p->nrules; i++)
		free(p->rules[i].ports);
	for (i = 0; i < p->nprocesses; i++) {
		free(p->processes[i].path);
		free(p->processes[i].name);
	}
	for (i = 0; i < p->nfiles; i++) {
		free(p->files[i].path);
		free(p->files[i].process);
	}
	free(p->groups);
	free(p->rules);
	free(p->processes);
	free(p->files);
	memset(p, 0, sizeof(*p));
}

static bool group_exists(const struct cw_policy *p, const struct cw_group_info *known,
			 size_t nknown, const char *name)
{
	return builtin_group(name) || file_group((struct cw_policy *)p, name) ||
	       kernel_group(known, nknown, name);
}

int cw_policy_check_file_groups(const struct cw_json_file *f, const struct cw_policy *p,
				const struct cw_group_info *known, size_t nknown,
				char *err, size_t errlen)
{
	const char *name;
	char where[64];
	size_t i, end;

	for (i = 0; i < p->nrules; i++) {
		const struct cw_policy_rule *r = &p->rules[i];

		for (end = 0; end < 2; end++) {
			const char *key = end ? "to" : "from";

			name = end ? r->to : r->from;
			if (group_exists(p, known, nknown, name))
				continue;
			snprintf(where, sizeof(where), "rules[%zu].%s", i, key);
			return cw_json_file_error(f, where, err, errlen,
						  "unknown group \"%s\" in \"%s\"", name, key);
		}
	}
	for (i = 0; i < p->nprocesses; i++) {
		name = p->processes[i].group;
		if (group_exists(p, known, nknown, name))
			continue;
		snprintf(where, sizeof(where), "process_rules[%zu].group", i);
		return cw_json_file_error(f, where, err, errlen, "unknown group \"%s\"", name);
	}
	for (i = 0; i < p->nfiles; i++) {
		name = p->files[i].group;
		if (group_exists(p, known, nknown, name))
			continue;
		snprintf(where, sizeof(where), "file_rules[%zu].group", i);
		return cw_json_file_error(f, where, err, errlen, "unknown group \"%s\"", name);
	}
	return 0;
}

/* Matching processes and files */

/* A learned rule holds what was seen, which may have glob characters in it. */
static bool field_matches(const char *want, const char *text, bool exact)
{
	if (!want)
		return true;
	if (!text)
		return false;
	return exact ? !strcmp(want, text) : !fnmatch(want, text, 0);
}

bool cw_process_rule_match(const struct cw_policy_process *r, const char *exe,
			   const char *comm, uint32_t uid)
{
	return (r->uid < 0 || r->uid == uid) && field_matches(r->path, exe, r->learned) &&
	       field_matches(r->name, comm, r->learned);
}

int cw_policy_process_verdict(const struct cw_policy *p, const char *group, const char *exe,
			      const char *comm, uint32_t uid)
{
	int verdict = CW_ACTION_NONE;
	size_t i;

	for (i = 0; i < p->nprocesses; i++) {
		const struct cw_policy_process *r = &p->processes[i];

		if (strcmp(r->group, group) || !cw_process_rule_match(r, exe, comm, uid))
			continue;
		if (r->action == CW_ACTION_DENY)
			return CW_ACTION_DENY;
		verdict = CW_ACTION_ALLOW;
	}
	return verdict;
}

bool cw_path_within(const char *dir, const char *path)
{
	size_t len = strlen(dir);

	if (!len || strncmp(dir, path, len))
		return false;
	/* "/" ends in the separator itself. */
	return dir[len - 1] == '/' || path[len] == '\0' || path[len] == '/';
}

bool cw_file_rule_allows(const struct cw_policy *p, const char *group, const char *path,
			 const char *exe, const char *comm)
{
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		const struct cw_policy_file *f = &p->files[i];
		bool by_exe = f->process && f->process[0] == '/';

		if (f->process && !strcmp(f->group, group) && cw_path_within(f->path, path) &&
		    field_matches(f->process, by_exe ? exe : comm, false))
			return true;
	}
	return false;
}

int cw_policy_check_groups(const struct cw_policy *p, const char *file,
			   const struct cw_group_info *known, size_t nknown,
			   char *err, size_t errlen)
{
	const struct cw_json_file f = { .name = file };

	return cw_policy_check_file_groups(&f, p, known, nknown, err, errlen);
}

/* Loading */

static bool group_id_taken(const struct cw_policy *p, const struct cw_group_info *kgroups,
			   size_t nk, uint32_t id)
{
	size_t i;

	for (i = 0; i < nk; i++)
		if (kgroups[i].id == id)
			return true;
	for (i = 0; i < p->ngroups; i++)
		if (p->groups[i].id == id)
			return true;
	return false;
}

int cw_policy_resolve(struct cw_policy *p, const struct cw_group_info *kgroups, size_t nk,
		      char *err, size_t errlen)
{
	const struct cw_group_info *k;
	uint32_t next = CW_GROUP_FIRST_USER;
	size_t i, j;

	for (i = 0; i < p->ngroups; i++) {
		struct cw_policy_group *g = &p->groups[i];

		k = kernel_group(kgroups, nk, g->name);
		if (k) {
			if (g->id && g->id != k->id)
				return fail(err, errlen, "group \"%s\" has id %u in the kernel, not %u",
					    g->name, k->id, g->id);
			g->id = k->id;
			continue;
		}
		for (j = 0; g->id && j < nk; j++)
			if (kgroups[j].id == g->id)
				return fail(err, errlen, "group id %u of \"%s\" belongs to \"%s\"",
					    g->id, g->name, kgroups[j].name);
	}
	for (i = 0; i < p->ngroups; i++) {
		if (p->groups[i].id)
			continue;
		while (group_id_taken(p, kgroups, nk, next))
			next++;
		p->groups[i].id = next;
	}
	return 0;
}

static uint32_t group_id(const struct cw_policy *p, const struct cw_group_info *kgroups,
			 size_t nk, const char *name)
{
	const struct cw_group_info *k;
	size_t i;

	for (i = 0; i < p->ngroups; i++)
		if (!strcmp(p->groups[i].name, name))
			return p->groups[i].id;
	k = kernel_group(kgroups, nk, name);
	return k ? k->id : 0;
}

int cw_policy_entries(const struct cw_policy *p, const struct cw_group_info *kgroups,
		      size_t nk, struct cw_rule_entry **entries, size_t *count,
		      char *err, size_t errlen)
{
	struct cw_rule_entry *e;
	size_t i, j, n = 0;

	for (i = 0; i < p->nrules; i++)
		n += p->rules[i].nports;
	if (n > CW_POLICY_MAX_RULES)
		return fail(err, errlen, "%zu rule entries (one per port spec): at most %d",
			    n, CW_POLICY_MAX_RULES);
	e = calloc(n + 1, sizeof(*e));
	if (!e)
		return fail(err, errlen, "out of memory");
	n = 0;
	for (i = 0; i < p->nrules; i++) {
		const struct cw_policy_rule *r = &p->rules[i];
		uint32_t from = group_id(p, kgroups, nk, r->from);
		uint32_t to = group_id(p, kgroups, nk, r->to);

		if (!from || !to) {
			free(e);
			return fail(err, errlen, "rule %u: unknown group \"%s\"", r->id,
				    from ? r->to : r->from);
		}
		for (j = 0; j < r->nports; j++, n++) {
			e[n].id = r->id;
			e[n].from = from;
			e[n].to = to;
			e[n].proto = r->ports[j].proto;
			e[n].port_min = r->ports[j].port_min;
			e[n].port_max = r->ports[j].port_max;
			e[n].action = r->action;
			e[n].learned = r->learned;
			e[n].apps = r->apps;
		}
	}
	*entries = e;
	*count = n;
	return 0;
}

/* Export */

static const char *group_name(const struct cw_group_info *groups, size_t ng, uint32_t id)
{
	size_t i;

	for (i = 0; i < ng; i++)
		if (groups[i].id == id)
			return groups[i].name;
	return NULL;
}

/* Adds @e's ports to @r, once. */
static int add_port(struct cw_policy_rule *r, const struct cw_rule_entry *e)
{
	struct cw_portspec ps = { e->proto, e->port_min, e->port_max }, *ports;
	size_t i;

	if (!e->proto) {
		ps.port_min = 0;
		ps.port_max = 65535;
	}
	/* Field by field: memcmp would compare the padding after proto. */
	for (i = 0; i < r->nports; i++)
		if (r->ports[i].proto == ps.proto && r->ports[i].port_min == ps.port_min &&
		    r->ports[i].port_max == ps.port_max)
			return 0;
	ports = realloc(r->ports, (r->nports + 1) * sizeof(*ports));
	if (!ports)
		return -ENOMEM;
	r->ports = ports;
	r->ports[r->nports++] = ps;
	return 0;
}

/*
 * Merges @entries into @p's rules: by id, or for learned entries (id 0) by
 * from, to, action and apps under a new id from CW_RULE_ID_LEARNED up.
 */
static int merge_entries(struct cw_policy *p, const struct cw_group_info *groups, size_t ng,
			 const struct cw_rule_entry *entries, size_t n, bool learned,
			 char *err, size_t errlen)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct cw_rule_entry *e = &entries[i];
		const char *from = group_name(groups, ng, e->from);
		const char *to = group_name(groups, ng, e->to);
		struct cw_policy_rule *r = NULL;

		if (!from || !to)
			return fail(err, errlen, "rule %u names group id %u, which does not exist",
				    e->id, from ? e->to : e->from);
		for (j = 0; j < p->nrules && !r; j++) {
			struct cw_policy_rule *q = &p->rules[j];
			bool same = !strcmp(q->from, from) && !strcmp(q->to, to) &&
				    q->action == e->action && q->apps == e->apps &&
				    q->learned == (e->learned || learned);

			if (learned ? same && q->learned : q->id == e->id) {
				if (!same)
					return fail(err, errlen, "rule %u: its entries differ in from, to, action, apps or learned",
						    e->id);
				r = q;
			}
		}
		if (!r) {
			r = &p->rules[p->nrules];
			memset(r, 0, sizeof(*r));
			r->id = learned ? free_rule_id(p, CW_RULE_ID_LEARNED) : e->id;
			snprintf(r->from, sizeof(r->from), "%s", from);
			snprintf(r->to, sizeof(r->to), "%s", to);
			r->action = e->action;
			r->apps = e->apps;
			r->learned = e->learned || learned;
			p->nrules++;
		}
		if (add_port(r, e))
			return fail(err, errlen, "out of memory");
	}
	return 0;
}

/* Adds the explicit address entries and the domains of group @id to @g. */
static int add_addresses(struct cw_policy_group *g, uint32_t id,
			 const struct cw_addr_info *addrs, size_t na,
			 const struct cw_domain_info *domains, size_t nd)
{
	size_t i;

	for (i = 0; i < na; i++) {
		struct cw_cidr *cidrs;

		if (addrs[i].group != id || addrs[i].origin != CW_ADDR_ORIGIN_EXPLICIT)
			continue;
		cidrs = realloc(g->cidrs, (g->ncidrs + 1) * sizeof(*cidrs));
		if (!cidrs)
			return -ENOMEM;
		g->cidrs = cidrs;
		g->cidrs[g->ncidrs++] = addrs[i].cidr;
		g->address = true;
	}
	for (i = 0; i < nd; i++) {
		char (*names)[CW_DOMAIN_STRLEN];

		if (domains[i].group != id)
			continue;
		names = realloc(g->domains, (g->ndomains + 1) * sizeof(*names));
		if (!names)
			return -ENOMEM;
		g->domains = names;
		snprintf(g->domains[g->ndomains++], sizeof(*names), "%s", domains[i].name);
		g->address = true;
	}
	return 0;
}

int cw_policy_from_kernel(const struct cw_group_info *groups, size_t ng,
			  const struct cw_addr_info *addrs, size_t na,
			  const struct cw_domain_info *domains, size_t nd,
			  const struct cw_rule_entry *rules, size_t nr,
			  const struct cw_rule_entry *learned, size_t nlearned,
			  struct cw_policy *p, char *err, size_t errlen)
{
	size_t i;
	int ret;

	memset(p, 0, sizeof(*p));
	p->groups = calloc(ng + 1, sizeof(*p->groups));
	p->rules = calloc(nr + nlearned + 1, sizeof(*p->rules));
	if (!p->groups || !p->rules) {
		ret = fail(err, errlen, "out of memory");
		goto err;
	}
	for (i = 0; i < ng; i++) {
		struct cw_policy_group *g = &p->groups[p->ngroups];

		if (groups[i].id != CW_GROUP_HOST && groups[i].id < CW_GROUP_FIRST_USER)
			continue;
		snprintf(g->name, sizeof(g->name), "%s", groups[i].name);
		g->id = groups[i].id == CW_GROUP_HOST ? 0 : groups[i].id;
		g->mode = groups[i].mode;
		p->ngroups++;
		/* host cannot be an address group */
		if (groups[i].id != CW_GROUP_HOST &&
		    add_addresses(g, groups[i].id, addrs, na, domains, nd)) {
			ret = fail(err, errlen, "out of memory");
			goto err;
		}
	}
	ret = merge_entries(p, groups, ng, rules, nr, false, err, errlen);
	if (!ret)
		ret = merge_entries(p, groups, ng, learned, nlearned, true, err, errlen);
	if (!ret)
		return 0;
err:
	cw_policy_free(p);
	return ret;
}

void cw_policy_threat_want(const struct cw_policy *p, unsigned int id, uint8_t *action,
			   uint32_t *threshold)
{
	const struct cw_threat_def *def = &cw_threat_defs[id];

	if (p->threats[id].set) {
		*action = p->threats[id].action;
		*threshold = p->threats[id].threshold;
	} else {
		*action = def->action;
		*threshold = def->unit ? def->threshold : 0;
	}
}

void cw_policy_threats_from_kernel(struct cw_policy *p, const struct cw_threat_info *threats,
				   size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct cw_policy_threat *t;

		/* One this build does not know cannot be named in a file. */
		if (!cw_threat_name(threats[i].id))
			continue;
		t = &p->threats[threats[i].id];
		t->set = true;
		t->action = threats[i].action;
		t->threshold = threats[i].threshold;
	}
}

/* The settings of @p off their defaults, or NULL when there is none. */
static json_t *threats_json(const struct cw_policy *p)
{
	json_t *all = json_object(), *obj;
	uint8_t action;
	uint32_t threshold;
	unsigned int id;

	for (id = 1; id <= CW_THREAT_MAX; id++) {
		const struct cw_threat_def *def = &cw_threat_defs[id];

		cw_policy_threat_want(p, id, &action, &threshold);
		obj = json_object();
		if (action != def->action)
			json_object_set_new(obj, "action",
					    json_string(cw_threat_action_name(action)));
		if (def->unit && threshold && threshold != def->threshold)
			json_object_set_new(obj, "threshold", json_integer(threshold));
		if (json_object_size(obj))
			json_object_set_new(all, def->name, obj);
		else
			json_decref(obj);
	}
	if (json_object_size(all))
		return all;
	json_decref(all);
	return NULL;
}

static json_t *selector_json(const struct cw_selector *s)
{
	json_t *obj = json_object();

	if (s->name)
		json_object_set_new(obj, "name", json_string(s->name));
	if (s->image)
		json_object_set_new(obj, "image", json_string(s->image));
	if (s->labels)
		json_object_set_new(obj, "labels", json_deep_copy(s->labels));
	if (s->cgroup)
		json_object_set_new(obj, "cgroup", json_string(s->cgroup));
	if (s->k8s_namespace)
		json_object_set_new(obj, "k8s_namespace", json_string(s->k8s_namespace));
	if (s->runtime)
		json_object_set_new(obj, "runtime", json_string(s->runtime));
	return obj;
}

static json_t *group_json(const struct cw_policy_group *g)
{
	json_t *obj = json_object(), *cidrs, *domains, *match;
	char buf[CW_CIDR_STRLEN];
	size_t i;

	json_object_set_new(obj, "name", json_string(g->name));
	if (g->id)
		json_object_set_new(obj, "id", json_integer(g->id));
	if (g->mode != CW_MODE_NONE)
		json_object_set_new(obj, "mode", json_string(cw_mode_name(g->mode)));
	/* One of the two at least: the file must load back. */
	if (g->address && (g->ncidrs || !g->ndomains)) {
		cidrs = json_array();
		for (i = 0; i < g->ncidrs; i++) {
			cw_cidr_format(&g->cidrs[i], true, buf, sizeof(buf));
			json_array_append_new(cidrs, json_string(buf));
		}
		json_object_set_new(obj, "cidrs", cidrs);
	}
	if (g->ndomains) {
		domains = json_array();
		for (i = 0; i < g->ndomains; i++)
			json_array_append_new(domains, json_string(g->domains[i]));
		json_object_set_new(obj, "domains", domains);
	}
	if (g->nmatch == 1) {
		json_object_set_new(obj, "match", selector_json(&g->match[0]));
	} else if (g->nmatch) {
		match = json_array();
		for (i = 0; i < g->nmatch; i++)
			json_array_append_new(match, selector_json(&g->match[i]));
		json_object_set_new(obj, "match", match);
	}
	return obj;
}

json_t *cw_policy_process_json(const struct cw_policy_process *r)
{
	json_t *obj = json_pack("{s:s}", "group", r->group);

	if (r->path)
		json_object_set_new(obj, "path", json_string(r->path));
	if (r->name)
		json_object_set_new(obj, "name", json_string(r->name));
	if (r->uid >= 0)
		json_object_set_new(obj, "user", json_integer(r->uid));
	if (r->action == CW_ACTION_DENY)
		json_object_set_new(obj, "action", json_string("deny"));
	if (r->learned)
		json_object_set_new(obj, "learned", json_true());
	return obj;
}

static json_t *file_rule_json(const struct cw_policy_file *f)
{
	json_t *obj = json_pack("{s:s, s:s}", "group", f->group, "path", f->path);

	if (f->process)
		json_object_set_new(obj, "process", json_string(f->process));
	return obj;
}

json_t *cw_policy_to_json(const struct cw_policy *p)
{
	json_t *root = json_object(), *groups = json_array(), *agroups = json_array();
	json_t *rules = json_array(), *threats;
	char buf[32];
	size_t i, j;

	for (i = 0; i < p->ngroups; i++)
		json_array_append_new(p->groups[i].address ? agroups : groups,
				      group_json(&p->groups[i]));
	for (i = 0; i < p->nrules; i++) {
		const struct cw_policy_rule *r = &p->rules[i];
		json_t *obj = json_object(), *ports = json_array();

		json_object_set_new(obj, "id", json_integer(r->id));
		json_object_set_new(obj, "from", json_string(r->from));
		json_object_set_new(obj, "to", json_string(r->to));
		for (j = 0; j < r->nports; j++) {
			cw_portspec_format(&r->ports[j], buf, sizeof(buf));
			json_array_append_new(ports, json_string(buf));
		}
		json_object_set_new(obj, "ports", ports);
		if (r->apps)
			json_object_set_new(obj, "apps", cw_apps_json(r->apps));
		json_object_set_new(obj, "action", json_string(cw_action_name(r->action)));
		if (r->learned)
			json_object_set_new(obj, "learned", json_true());
		json_array_append_new(rules, obj);
	}
	json_object_set_new(root, "groups", groups);
	json_object_set_new(root, "address_groups", agroups);
	json_object_set_new(root, "rules", rules);
	threats = threats_json(p);
	if (threats)
		json_object_set_new(root, "threats", threats);
	/* Only when there are some: older readers refuse keys they do not know. */
	if (p->nprocesses) {
		json_t *processes = json_array();

		for (i = 0; i < p->nprocesses; i++)
			json_array_append_new(processes, cw_policy_process_json(&p->processes[i]));
		json_object_set_new(root, "process_rules", processes);
	}
	if (p->nfiles) {
		json_t *files = json_array();

		for (i = 0; i < p->nfiles; i++)
			json_array_append_new(files, file_rule_json(&p->files[i]));
		json_object_set_new(root, "file_rules", files);
	}
	return root;
}
