// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld: /etc/cellwall/cellwalld.json (rules/README.md documents every
 * key). Strict like the policy files: an unknown key or a bad value is an
 * error at its line and column, never a silent default.
 */

#include "cellwalld.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

void cwd_config_defaults(struct cwd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->rules_dir, sizeof(cfg->rules_dir), "/etc/cellwall/rules.d");
	snprintf(cfg->learned_file, sizeof(cfg->learned_file), "/var/lib/cellwall/learned.json");
	snprintf(cfg->cgroup_root, sizeof(cfg->cgroup_root), "/sys/fs/cgroup");
	snprintf(cfg->docker_root, sizeof(cfg->docker_root), "/var/lib/docker");
	snprintf(cfg->containerd_state, sizeof(cfg->containerd_state), "/run/containerd");
	snprintf(cfg->crio_state, sizeof(cfg->crio_state), "/run/containers/storage");
	snprintf(cfg->crio_root, sizeof(cfg->crio_root), "/var/lib/containers/storage");
	snprintf(cfg->machines_dir, sizeof(cfg->machines_dir), "/run/systemd/machines");
	cfg->resync_interval = 60;
	cfg->learn = true;
	cfg->audit = true;
	cfg->learn_interval = 5;
	cfg->promote = false;
	cfg->promote_quiet = 3600;
	cfg->promote_to = CW_MODE_MONITOR;
	cfg->syslog = true;
	cfg->facility = LOG_LOCAL0;
	cfg->format = CWD_FORMAT_KV;
	cfg->forward = CWD_FORWARD_NONE;
	snprintf(cfg->forward_port, sizeof(cfg->forward_port), "514");
	cfg->event_buffer = 0;
}

struct ctx {
	const struct cw_json_file *f;
	struct cwd_config *cfg;
	char *err;
	size_t errlen;
};

struct option {
	const char *section;	/* "": the top level */
	const char *key;
	/* NULL: a section, an object of more options */
	int (*parse)(struct ctx *c, const struct option *o, const char *path, const char *name,
		     json_t *v);
	size_t offset, size;	/* of the field in struct cwd_config */
	unsigned int min, max;	/* integers */
};

#define FIELD(f) .offset = offsetof(struct cwd_config, f), \
		 .size = sizeof(((struct cwd_config *)0)->f)
#define OPTION(s, k, fn, f) { .section = s, .key = k, .parse = fn, FIELD(f) }
#define NUMBER(s, k, f, lo, hi) \
	{ .section = s, .key = k, .parse = parse_uint, FIELD(f), .min = lo, .max = hi }
#define SECTION(k) { .section = "", .key = k }

static void *field(struct ctx *c, const struct option *o)
{
	return (char *)c->cfg + o->offset;
}

/* A string value, or an error naming the key. */
static int get_string(struct ctx *c, const char *path, const char *name, json_t *v,
		      const char **s)
{
	*s = json_string_value(v);
	if (!*s)
		return cw_json_file_error(c->f, path, c->err, c->errlen,
					  "\"%s\" must be a string", name);
	return 0;
}

static int copy_path(struct ctx *c, const struct option *o, const char *path,
		     const char *name, const char *s)
{
	if (s[0] != '/')
		return cw_json_file_error(c->f, path, c->err, c->errlen,
					  "\"%s\" must be an absolute path, not \"%s\"", name, s);
	if (strlen(s) >= o->size)
		return cw_json_file_error(c->f, path, c->err, c->errlen,
					  "\"%s\" is longer than %zu bytes", name, o->size - 1);
	snprintf(field(c, o), o->size, "%s", s);
	return 0;
}

static int parse_path(struct ctx *c, const struct option *o, const char *path,
		      const char *name, json_t *v)
{
	const char *s;
	int ret = get_string(c, path, name, v, &s);

	return ret ? ret : copy_path(c, o, path, name, s);
}

/* A path, or "" for none. */
static int parse_optional_path(struct ctx *c, const struct option *o, const char *path,
			       const char *name, json_t *v)
{
	const char *s;
	int ret = get_string(c, path, name, v, &s);

	if (ret || !*s) {
		*(char *)field(c, o) = '\0';
		return ret;
	}
	return copy_path(c, o, path, name, s);
}

static int parse_uint(struct ctx *c, const struct option *o, const char *path,
		      const char *name, json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < o->min ||
	    json_integer_value(v) > o->max)
		return cw_json_file_error(c->f, path, c->err, c->errlen,
					  "\"%s\" must be an integer from %u to %u",
					  name, o->min, o->max);
	*(unsigned int *)field(c, o) = json_integer_value(v);
	return 0;
}

static int parse_bool(struct ctx *c, const struct option *o, const char *path,
		      const char *name, json_t *v)
{
	if (!json_is_boolean(v))
		return cw_json_file_error(c->f, path, c->err, c->errlen,
					  "\"%s\" must be true or false", name);
	*(bool *)field(c, o) = json_is_true(v);
	return 0;
}

static int parse_promote_to(struct ctx *c, const struct option *o, const char *path,
			    const char *name, json_t *v)
{
	const char *s;
	int ret = get_string(c, path, name, v, &s);

	if (ret)
		return ret;
	if (strcmp(s, "monitor") && strcmp(s, "protect"))
		return cw_json_file_error(c->f, path, c->err, c->errlen,
					  "\"%s\" must be \"monitor\" or \"protect\", not \"%s\"",
					  name, s);
	*(uint8_t *)field(c, o) = cw_mode_parse(s);
	return 0;
}

static const struct {
	const char *name;
	int facility;
} facilities[] = {
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 }, { "daemon", LOG_DAEMON },
	{ "user", LOG_USER }, { "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV },
};

static int parse_facility(struct ctx *c, const struct option *o, const char *path,
			  const char *name, json_t *v)
{
	const char *s;
	size_t i;
	int ret = get_string(c, path, name, v, &s);

	if (ret)
		return ret;
	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++) {
		if (!strcmp(s, facilities[i].name)) {
			*(int *)field(c, o) = facilities[i].facility;
			return 0;
		}
	}
	return cw_json_file_error(c->f, path, c->err, c->errlen,
				  "\"%s\": unknown facility \"%s\" (local0 to local7, daemon, user, auth or authpriv)",
				  name, s);
}

static int parse_format(struct ctx *c, const struct option *o, const char *path,
			const char *name, json_t *v)
{
	enum cwd_alert_format *format = field(c, o);
	const char *s;
	int ret = get_string(c, path, name, v, &s);

	if (ret)
		return ret;
	if (!strcmp(s, "kv"))
		*format = CWD_FORMAT_KV;
	else if (!strcmp(s, "json"))
		*format = CWD_FORMAT_JSON;
	else
		return cw_json_file_error(c->f, path, c->err, c->errlen,
					  "\"%s\" must be \"kv\" or \"json\", not \"%s\"", name, s);
	return 0;
}

/* A host name or an IPv4 address: what getaddrinfo() will resolve. */
static bool valid_host(const char *host, size_t len)
{
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		char ch = host[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

/* "udp://HOST[:PORT]", "tcp://HOST[:PORT]", "tcp://[IPV6][:PORT]"; "": none. */
static int parse_forward(struct ctx *c, const struct option *o, const char *path,
			 const char *name, json_t *v)
{
	struct cwd_config *cfg = c->cfg;
	const char *s, *host, *end, *port = "514";
	unsigned char addr[16];
	char v6[INET6_ADDRSTRLEN];
	size_t len, n;
	int ret = get_string(c, path, name, v, &s);

	(void)o;
	if (ret)
		return ret;
	cfg->forward = CWD_FORWARD_NONE;
	if (!*s)
		return 0;
	if (!strncmp(s, "udp://", 6))
		cfg->forward = CWD_FORWARD_UDP;
	else if (!strncmp(s, "tcp://", 6))
		cfg->forward = CWD_FORWARD_TCP;
	else
		goto bad;
	host = s + 6;
	if (*host == '[') {
		/* An IPv6 address, in brackets so that its colons are not the port's. */
		end = strchr(host, ']');
		len = end ? (size_t)(end - host - 1) : 0;
		if (!end || len >= sizeof(v6))
			goto bad;
		memcpy(v6, host + 1, len);
		v6[len] = '\0';
		if (inet_pton(AF_INET6, v6, addr) != 1)
			goto bad;
		host++;
		end++;
	} else {
		len = strcspn(host, ":");
		if (!valid_host(host, len))
			goto bad;
		end = host + len;
	}
	if (*end == ':') {
		port = end + 1;
		n = strspn(port, "0123456789");
		if (!n || n > 5 || port[n] || atoi(port) < 1 || atoi(port) > 65535)
			goto bad;
	} else if (*end) {
		goto bad;
	}
	if (len >= sizeof(cfg->forward_host))
		goto bad;
	memcpy(cfg->forward_host, host, len);
	cfg->forward_host[len] = '\0';
	snprintf(cfg->forward_port, sizeof(cfg->forward_port), "%s", port);
	return 0;
bad:
	return cw_json_file_error(c->f, path, c->err, c->errlen,
				  "\"%s\": bad address \"%s\" (udp://HOST[:PORT], tcp://HOST[:PORT] or tcp://[IPV6][:PORT])",
				  name, s);
}

static const struct option options[] = {
	OPTION("", "rules_dir", parse_path, rules_dir),
	OPTION("", "learned_file", parse_path, learned_file),
	OPTION("", "cgroup_root", parse_path, cgroup_root),
	OPTION("", "docker_root", parse_path, docker_root),
	OPTION("", "containerd_state", parse_path, containerd_state),
	OPTION("", "crio_state", parse_path, crio_state),
	OPTION("", "crio_root", parse_path, crio_root),
	OPTION("", "machines_dir", parse_path, machines_dir),
	NUMBER("", "resync_interval", resync_interval, 1, 86400),
	SECTION("learn"),
	OPTION("learn", "enabled", parse_bool, learn),
	NUMBER("learn", "interval", learn_interval, 1, 3600),
	SECTION("promote"),
	OPTION("promote", "enabled", parse_bool, promote),
	NUMBER("promote", "quiet_period", promote_quiet, 1, 31536000),
	OPTION("promote", "to", parse_promote_to, promote_to),
	SECTION("audit"),
	OPTION("audit", "enabled", parse_bool, audit),
	SECTION("alerts"),
	OPTION("alerts", "syslog", parse_bool, syslog),
	OPTION("alerts", "facility", parse_facility, facility),
	OPTION("alerts", "format", parse_format, format),
	OPTION("alerts", "forward", parse_forward, forward),
	OPTION("alerts", "json_file", parse_optional_path, json_file),
	/* A netlink receive buffer larger than 1 GiB only hides a stuck daemon. */
	NUMBER("", "event_buffer", event_buffer, 0, 1U << 30),
};

/* The members of @obj, which is @section ("" for the top level). */
static int parse_section(struct ctx *c, const char *section, json_t *obj)
{
	const struct option *o;
	char path[256], name[256];
	const char *key;
	json_t *v;
	size_t i;
	int ret;

	json_object_foreach(obj, key, v) {
		snprintf(path, sizeof(path), "%s", section);
		cw_json_path_add(path, sizeof(path), key);
		snprintf(name, sizeof(name), "%s%s%s", section, *section ? "." : "", key);
		for (i = 0, o = NULL; i < sizeof(options) / sizeof(options[0]) && !o; i++)
			if (!strcmp(options[i].section, section) && !strcmp(options[i].key, key))
				o = &options[i];
		if (!o)
			return cw_json_file_error(c->f, path, c->err, c->errlen,
						  "unknown key \"%s\"", name);
		if (o->parse)
			ret = o->parse(c, o, path, name, v);
		else if (!json_is_object(v))
			ret = cw_json_file_error(c->f, path, c->err, c->errlen,
						 "\"%s\" must be an object", name);
		else
			ret = parse_section(c, key, v);
		if (ret)
			return ret;
	}
	return 0;
}

int cwd_config_load(const char *path, bool optional, struct cwd_config *cfg,
		    char *err, size_t errlen)
{
	struct cwd_config tmp;
	struct cw_json_file f;
	struct ctx c = { .f = &f, .cfg = &tmp, .err = err, .errlen = errlen };
	int ret;

	cwd_config_defaults(&tmp);
	ret = cw_json_file_read(path, &f, err, errlen);
	if (ret == -ENOENT && optional) {
		*cfg = tmp;
		return 0;
	}
	if (ret)
		return ret;
	if (!json_is_object(f.root))
		ret = cw_json_file_error(&f, "", err, errlen,
					 "the configuration must be a JSON object");
	else
		ret = parse_section(&c, "", f.root);
	cw_json_file_free(&f);
	if (ret)
		return ret;
	/* Whole or not at all: a bad reload leaves the configuration in force. */
	*cfg = tmp;
	return 0;
}
