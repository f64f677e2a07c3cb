// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld: containers from the cgroup v2 tree, kept current with inotify.
 *
 * A container is a cgroup directory whose name matches one of the layouts
 * below; its runtime's files give its name, image and labels. Every other
 * directory is watched for children coming and going, and every
 * container's cgroup.events for IN_MODIFY, which is how cgroup v2 says
 * that "populated" changed. Nothing below a container is looked at: nested
 * cgroups belong to it.
 *
 * cwd_discovery_open() reports nothing: call cwd_discovery_scan() once
 * after it, then cwd_discovery_handle() whenever the descriptor is
 * readable. The ops are called from those two only, and must not call
 * back into discovery.
 */

#include "cellwalld.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define HEX_ID_LEN	64
#define NOT_WORKLOAD	-1	/* a layout's runtime: conmon and the like */
#define DIR_EVENTS	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR)
#define PID_DEPTH	3	/* how deep below a container to look for a process */

static const char *const runtime_names[] = {
	[CWD_RUNTIME_DOCKER] = "docker",
	[CWD_RUNTIME_CONTAINERD] = "containerd",
	[CWD_RUNTIME_CRIO] = "crio",
	[CWD_RUNTIME_PODMAN] = "podman",
	[CWD_RUNTIME_NSPAWN] = "nspawn",
};

const char *cwd_runtime_name(enum cwd_runtime rt)
{
	if ((unsigned int)rt >= ARRAY_SIZE(runtime_names))
		return "?";
	return runtime_names[rt];
}

/*
 * How runtimes name a container's cgroup directory; the first match wins.
 * The middle of the name is the id: 64 hex digits, or for nspawn a
 * machine name in systemd's unit-name escaping. @parent: the parent
 * directory must have this name; @kubepods: some ancestor's name starts
 * with "kubepods".
 */
static const struct layout {
	const char *prefix;
	const char *suffix;
	const char *parent;
	bool kubepods;
	bool hex_id;
	int runtime;		/* enum cwd_runtime, or NOT_WORKLOAD */
} layouts[] = {
	/* conmon, the runtime's monitor, has a cgroup beside the container's */
	{ "crio-conmon-",	".scope", NULL,	false, true, NOT_WORKLOAD },
	{ "crio-conmon-",	"",	NULL,	false, true, NOT_WORKLOAD },
	{ "libpod-conmon-",	".scope", NULL,	false, true, NOT_WORKLOAD },
	{ "libpod-conmon-",	"",	NULL,	false, true, NOT_WORKLOAD },
	{ "docker-",		".scope", NULL,	false, true, CWD_RUNTIME_DOCKER },
	{ "",			"",	"docker", false, true, CWD_RUNTIME_DOCKER },
	{ "cri-containerd-",	".scope", NULL,	false, true, CWD_RUNTIME_CONTAINERD },
	{ "crio-",		".scope", NULL,	false, true, CWD_RUNTIME_CRIO },
	{ "crio-",		"",	NULL,	false, true, CWD_RUNTIME_CRIO },
	{ "libpod-",		".scope", NULL,	false, true, CWD_RUNTIME_PODMAN },
	{ "libpod-",		"",	NULL,	false, true, CWD_RUNTIME_PODMAN },
	/* kubelet's cgroupfs driver: the bundle tells containerd from CRI-O */
	{ "",			"",	NULL,	true,  true, CWD_RUNTIME_CONTAINERD },
	{ "machine-",		".scope", "machine.slice", false, false, CWD_RUNTIME_NSPAWN },
};

/* What a CRI runtime's OCI bundle says in its annotations. */
struct cri_keys {
	const char *name, *pod, *ns, *image, *type, *labels;
};

static const struct cri_keys containerd_keys = {
	.name = "io.kubernetes.cri.container-name",
	.pod = "io.kubernetes.cri.sandbox-name",
	.ns = "io.kubernetes.cri.sandbox-namespace",
	.image = "io.kubernetes.cri.image-name",
	.type = "io.kubernetes.cri.container-type",
};

static const struct cri_keys crio_keys = {
	.name = "io.kubernetes.container.name",
	.pod = "io.kubernetes.pod.name",
	.ns = "io.kubernetes.pod.namespace",
	.image = "io.kubernetes.cri-o.ImageName",
	.type = "io.kubernetes.cri-o.ContainerType",
	.labels = "io.kubernetes.cri-o.Labels",	/* a JSON object in a string */
};

struct entry;

struct watch {
	struct watch *next;
	int wd;
	struct entry *entry;	/* NULL: a directory watched for its children */
	bool seen;		/* met by the scan under way */
	char path[];		/* relative to cgroup_root: "" or "/a/b" */
};

struct entry {
	struct entry *next;
	struct cwd_container c;
	const struct layout *layout;
	struct watch *watch;	/* on cgroup.events; NULL if it could not be added */
	pid_t leader;		/* nspawn: the machine's leader, from machined */
	bool reported;		/* added was called, removed not yet */
	bool skip;		/* its runtime says it is no workload (sandbox, VM) */
	bool seen;
};

struct cwd_discovery {
	struct cwd_config cfg;
	struct cwd_discovery_ops ops;
	void *arg;
	int fd;
	struct watch *watches;
	struct entry *entries;
	bool watch_limit_logged;
};

static int __attribute__((format(printf, 2, 3)))
pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

static void set(char *dst, size_t len, const char *src)
{
	if (src)
		snprintf(dst, len, "%s", src);
}

/* @path's first bytes, NUL-terminated; their length or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

/* Path components */

static bool is_hex_id(const char *s, size_t len)
{
	size_t i;

	if (len != HEX_ID_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * systemd's unit-name escaping undone ("\x2d" is "-"). False unless the
 * result is a name that is safe as one path component.
 */
static bool unescape_unit(const char *s, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '\\') {
			if (len - i < 4 || s[i + 1] != 'x' || hexval(s[i + 2]) < 0 ||
			    hexval(s[i + 3]) < 0)
				return false;
			ch = (char)(hexval(s[i + 2]) << 4 | hexval(s[i + 3]));
			i += 3;
		}
		if (ch == '/' || ch == '\0' || o + 1 >= outlen)
			return false;
		out[o++] = ch;
	}
	out[o] = '\0';
	return o && strcmp(out, ".") && strcmp(out, "..");
}

/* The layout directory @name below @parent matches, with its id; or NULL. */
static const struct layout *classify(const char *parent, const char *name, char *id, size_t idlen)
{
	const char *base = strrchr(parent, '/');
	size_t len = strlen(name);
	const struct layout *l;

	base = base ? base + 1 : parent;
	for (l = layouts; l < layouts + ARRAY_SIZE(layouts); l++) {
		size_t plen = strlen(l->prefix), slen = strlen(l->suffix);
		const char *mid = name + plen;
		size_t midlen = len - plen - slen;

		if (len <= plen + slen || strncmp(name, l->prefix, plen) ||
		    strcmp(name + len - slen, l->suffix))
			continue;
		if (l->parent && strcmp(base, l->parent))
			continue;
		if (l->kubepods && !strstr(parent, "/kubepods"))
			continue;
		if (l->hex_id) {
			if (!is_hex_id(mid, midlen) || midlen >= idlen)
				continue;
			memcpy(id, mid, midlen);
			id[midlen] = '\0';
		} else if (!unescape_unit(mid, midlen, id, idlen)) {
			continue;
		}
		return l;
	}
	return NULL;
}

/* @path is @rel or below it. */
static bool under(const char *path, const char *rel)
{
	size_t n = strlen(rel);

	return !strncmp(path, rel, n) && (path[n] == '\0' || path[n] == '/');
}

/* Metadata */

/*
 * @path as JSON of @type, or NULL: not there (yet), or broken (logged; the
 * caller falls back to what the cgroup says).
 */
static json_t *load_json(const char *path, json_type type)
{
	json_error_t jerr;
	json_t *root;

	errno = 0;
	root = json_load_file(path, 0, &jerr);
	if (!root) {
		if (json_error_code(&jerr) != json_error_cannot_open_file)
			cwd_log(LOG_WARNING, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		else if (errno != ENOENT)
			cwd_log(LOG_WARNING, "%s", jerr.text);
		return NULL;
	}
	if (json_typeof(root) != type) {
		cwd_log(LOG_WARNING, "%s: not a JSON %s", path,
			type == JSON_OBJECT ? "object" : "array");
		json_decref(root);
		return NULL;
	}
	return root;
}

static const char *jstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* The string members of @src into @labels; anything else is ignored. */
static void copy_labels(json_t *labels, json_t *src)
{
	const char *key;
	json_t *value;

	if (!json_is_object(src))
		return;
	json_object_foreach(src, key, value)
		if (json_is_string(value))
			json_object_set_new(labels, key, json_string(json_string_value(value)));
}

/* <docker_root>/containers/<id>/config.v2.json */
static void read_docker(const struct cwd_discovery *d, struct cwd_container *c)
{
	char path[PATH_MAX];
	const char *name;
	json_t *root, *config;

	if (pathf(path, "%s/containers/%s/config.v2.json", d->cfg.docker_root, c->id))
		return;
	root = load_json(path, JSON_OBJECT);
	if (!root)
		return;
	name = jstr(root, "Name");
	if (name && *name == '/')
		name++;
	set(c->name, sizeof(c->name), name);
	config = json_object_get(root, "Config");
	set(c->image, sizeof(c->image), jstr(config, "Image"));
	copy_labels(c->labels, json_object_get(config, "Labels"));
	json_decref(root);
}

/* CRI-O's bundle: in its run root, else in its root. Podman's is there too. */
static json_t *load_crio_bundle(const struct cwd_discovery *d, const char *id)
{
	const char *roots[] = { d->cfg.crio_state, d->cfg.crio_root };
	char path[PATH_MAX];
	json_t *root;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(roots); i++) {
		if (pathf(path, "%s/overlay-containers/%s/userdata/config.json", roots[i], id))
			continue;
		root = load_json(path, JSON_OBJECT);
		if (root)
			return root;
	}
	return NULL;
}

/* What Kubernetes told the runtime; true if it is a pod's sandbox (pause). */
static bool read_cri(json_t *bundle, const struct cri_keys *keys, struct cwd_container *c)
{
	json_t *ann = json_object_get(bundle, "annotations");
	const char *type = jstr(ann, keys->type);
	const char *labels = keys->labels ? jstr(ann, keys->labels) : NULL;

	set(c->name, sizeof(c->name), jstr(ann, keys->name));
	set(c->k8s_pod, sizeof(c->k8s_pod), jstr(ann, keys->pod));
	set(c->k8s_namespace, sizeof(c->k8s_namespace), jstr(ann, keys->ns));
	set(c->image, sizeof(c->image), jstr(ann, keys->image));
	if (labels) {
		json_error_t jerr;
		json_t *obj = json_loads(labels, 0, &jerr);

		if (json_is_object(obj))
			copy_labels(c->labels, obj);
		else
			cwd_log(LOG_WARNING, "%s %s: %s: not a JSON object", cwd_runtime_name(c->runtime),
				c->id, keys->labels);
		json_decref(obj);
	}
	return type && !strcmp(type, "sandbox");
}

/*
 * containerd: <containerd_state>/io.containerd.runtime.v2.task/k8s.io/<id>/
 * config.json. Under kubelet's cgroupfs driver the directory name alone
 * does not say which runtime it is (@either): then a CRI-O bundle for the
 * id makes it CRI-O.
 */
static bool read_containerd(const struct cwd_discovery *d, struct cwd_container *c, bool either)
{
	char path[PATH_MAX];
	json_t *bundle = NULL;
	bool sandbox;

	if (!pathf(path, "%s/io.containerd.runtime.v2.task/k8s.io/%s/config.json",
		   d->cfg.containerd_state, c->id))
		bundle = load_json(path, JSON_OBJECT);
	if (!bundle && either) {
		bundle = load_crio_bundle(d, c->id);
		if (bundle) {
			c->runtime = CWD_RUNTIME_CRIO;
			sandbox = read_cri(bundle, &crio_keys, c);
			json_decref(bundle);
			return sandbox;
		}
	}
	if (!bundle)
		return false;
	sandbox = read_cri(bundle, &containerd_keys, c);
	json_decref(bundle);
	return sandbox;
}

static bool read_crio(const struct cwd_discovery *d, struct cwd_container *c)
{
	json_t *bundle = load_crio_bundle(d, c->id);
	bool sandbox;

	if (!bundle)
		return false;
	sandbox = read_cri(bundle, &crio_keys, c);
	json_decref(bundle);
	return sandbox;
}

/*
 * Podman. Its OCI bundle (userdata/config.json, beside CRI-O's) carries no
 * name: podman adds only io.container.manager=libpod and the user's own
 * --annotation values, and keeps names and labels in its own database
 * (bolt or sqlite). But podman also gives the container's name to
 * containers/storage (libpod/storage.go, CreateContainerStorage: names =
 * [name], metadata = JSON text {"image-name", "image-id", "name", ...}),
 * which keeps it in <root>/overlay-containers/containers.json, or
 * volatile-containers.json for containers stored without fsync; with a
 * transient store both are in the run root. Those are what we read.
 */
static void read_podman(const struct cwd_discovery *d, struct cwd_container *c)
{
	const char *roots[] = { d->cfg.crio_root, d->cfg.crio_state };
	const char *files[] = { "containers.json", "volatile-containers.json" };
	char path[PATH_MAX];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(roots) * ARRAY_SIZE(files); i++) {
		json_t *list, *ctr, *meta;
		const char *text;

		if (pathf(path, "%s/overlay-containers/%s", roots[i / ARRAY_SIZE(files)],
			  files[i % ARRAY_SIZE(files)]))
			continue;
		list = load_json(path, JSON_ARRAY);
		json_array_foreach(list, j, ctr) {
			json_error_t jerr;

			if (!json_is_string(json_object_get(ctr, "id")) || strcmp(jstr(ctr, "id"), c->id))
				continue;
			set(c->name, sizeof(c->name),
			    json_string_value(json_array_get(json_object_get(ctr, "names"), 0)));
			text = jstr(ctr, "metadata");
			meta = text ? json_loads(text, 0, &jerr) : NULL;
			set(c->image, sizeof(c->image), jstr(meta, "image-name"));
			if (!c->name[0])
				set(c->name, sizeof(c->name), jstr(meta, "name"));
			json_decref(meta);
			json_decref(list);
			return;
		}
		json_decref(list);
	}
}

/*
 * systemd-nspawn: machined's <machines_dir>/<name>, lines of KEY=value.
 * True if it is a machine but not a container (a VM registered by libvirt).
 */
static bool read_machine(const struct cwd_discovery *d, struct entry *e)
{
	struct cwd_container *c = &e->c;
	char path[PATH_MAX], *line = NULL;
	bool vm = false;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	set(c->name, sizeof(c->name), c->id);
	if (pathf(path, "%s/%s", d->cfg.machines_dir, c->id))
		return false;
	f = fopen(path, "re");
	if (!f) {
		if (errno != ENOENT)
			cwd_log(LOG_WARNING, "%s: %s", path, strerror(errno));
		return false;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		char *value = strchr(line, '=');

		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (!value)
			continue;
		*value++ = '\0';
		if (!strcmp(line, "NAME") && *value)
			set(c->name, sizeof(c->name), value);
		else if (!strcmp(line, "CLASS"))
			vm = strcmp(value, "container") != 0;
		else if (!strcmp(line, "LEADER"))
			e->leader = (pid_t)strtol(value, NULL, 10);
		else if (!strcmp(line, "IMAGE") && *value)
			set(c->image, sizeof(c->image), value);
		else if (!strcmp(line, "ROOT") && strcmp(value, "/") && !c->image[0])
			set(c->image, sizeof(c->image), value);
	}
	free(line);
	fclose(f);
	return vm;
}

/* Reads @e's metadata afresh; sets e->skip when it is no workload. */
static void read_metadata(const struct cwd_discovery *d, struct entry *e)
{
	struct cwd_container *c = &e->c;

	c->runtime = e->layout->runtime;
	c->name[0] = c->image[0] = c->k8s_namespace[0] = c->k8s_pod[0] = '\0';
	json_object_clear(c->labels);
	e->leader = 0;
	switch (c->runtime) {
	case CWD_RUNTIME_DOCKER:
		read_docker(d, c);
		break;
	case CWD_RUNTIME_CONTAINERD:
		e->skip = read_containerd(d, c, !*e->layout->prefix);
		break;
	case CWD_RUNTIME_CRIO:
		e->skip = read_crio(d, c);
		break;
	case CWD_RUNTIME_PODMAN:
		read_podman(d, c);
		break;
	case CWD_RUNTIME_NSPAWN:
		e->skip = read_machine(d, e);
		break;
	}
	/* the metadata may not be written yet: report the container anyway */
	if (!c->name[0])
		snprintf(c->name, sizeof(c->name), "%s-%.12s", cwd_runtime_name(c->runtime), c->id);
}

/* The cgroup */

/* 1 or 0, or -errno: gone (-ENOENT), unreadable. */
static int read_populated(const struct cwd_discovery *d, const char *rel)
{
	char path[PATH_MAX], buf[256];
	const char *p;
	ssize_t n;

	if (pathf(path, "%s%s/cgroup.events", d->cfg.cgroup_root, rel))
		return -ENAMETOOLONG;
	n = read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	p = strncmp(buf, "populated ", 10) ? strstr(buf, "\npopulated ") : buf;
	if (!p)
		return -EINVAL;
	if (*p == '\n')
		p++;
	return p[10] == '1';
}

/* The first pid of @dir's cgroup.procs, else of a cgroup @depth below it. */
static pid_t first_pid(const char *dir, int depth)
{
	char path[PATH_MAX], buf[32];
	struct dirent *de;
	pid_t pid = 0;
	DIR *dp;

	if (pathf(path, "%s/cgroup.procs", dir))
		return 0;
	if (read_small(path, buf, sizeof(buf)) > 0)
		pid = (pid_t)strtol(buf, NULL, 10);
	if (pid > 0 || depth <= 0)
		return pid > 0 ? pid : 0;
	dp = opendir(dir);
	if (!dp)
		return 0;
	while (!pid && (de = readdir(dp))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.' ||
		    pathf(path, "%s/%s", dir, de->d_name))
			continue;
		pid = first_pid(path, depth - 1);
	}
	closedir(dp);
	return pid;
}

/* Watches */

static struct watch *watch_find(const struct cwd_discovery *d, int wd)
{
	struct watch *w;

	for (w = d->watches; w; w = w->next)
		if (w->wd == wd)
			return w;
	return NULL;
}

/* Forgets @w; @rm: tell the kernel too (it has not dropped it itself). */
static void watch_drop(struct cwd_discovery *d, struct watch *w, bool rm)
{
	struct watch **pw;

	for (pw = &d->watches; *pw; pw = &(*pw)->next) {
		if (*pw == w) {
			*pw = w->next;
			break;
		}
	}
	if (rm)
		inotify_rm_watch(d->fd, w->wd);
	if (w->entry)
		w->entry->watch = NULL;
	free(w);
}

/* Watches @full for @mask; NULL with errno set if that failed. */
static struct watch *watch_add(struct cwd_discovery *d, const char *full, const char *rel,
			       uint32_t mask, struct entry *e)
{
	struct watch *w;
	int wd, err;

	wd = inotify_add_watch(d->fd, full, mask);
	if (wd < 0) {
		err = errno;
		if (err == ENOSPC && !d->watch_limit_logged) {
			d->watch_limit_logged = true;
			cwd_log(LOG_WARNING, "out of inotify watches (fs.inotify.max_user_watches): "
				"new containers wait for the next rescan");
		} else if (err != ENOENT && err != ENOSPC) {
			cwd_log(LOG_WARNING, "inotify %s: %s", full, strerror(err));
		}
		errno = err;
		return NULL;
	}
	w = watch_find(d, wd);
	if (w && w->entry == e && !strcmp(w->path, rel))
		return w;
	if (w)	/* the same inode under a new name */
		watch_drop(d, w, false);
	w = malloc(sizeof(*w) + strlen(rel) + 1);
	if (!w) {
		inotify_rm_watch(d->fd, wd);
		errno = ENOMEM;
		return NULL;
	}
	w->wd = wd;
	w->entry = e;
	w->seen = false;
	strcpy(w->path, rel);
	w->next = d->watches;
	d->watches = w;
	return w;
}

/* Containers */

static void report(struct cwd_discovery *d, struct entry *e, bool added)
{
	void (*fn)(const struct cwd_container *, void *) = added ? d->ops.added : d->ops.removed;

	e->reported = added;
	if (fn)
		fn(&e->c, d->arg);
}

static struct entry *entry_find(const struct cwd_discovery *d, const char *rel)
{
	struct entry *e;

	for (e = d->entries; e; e = e->next)
		if (!strcmp(e->c.cgroup, rel))
			return e;
	return NULL;
}

static void entry_free(struct entry *e)
{
	json_decref(e->c.labels);
	free(e);
}

/* Forgets @e, reporting it removed if it was added. */
static void entry_drop(struct cwd_discovery *d, struct entry *e)
{
	struct entry **pe;

	if (e->reported)
		report(d, e, false);
	if (e->watch)
		watch_drop(d, e->watch, true);
	for (pe = &d->entries; *pe; pe = &(*pe)->next) {
		if (*pe == e) {
			*pe = e->next;
			break;
		}
	}
	entry_free(e);
}

/* Watches @e's cgroup.events; false if the cgroup is gone. */
static bool entry_watch(struct cwd_discovery *d, struct entry *e)
{
	char path[PATH_MAX];

	if (pathf(path, "%s%s/cgroup.events", d->cfg.cgroup_root, e->c.cgroup))
		return false;
	e->watch = watch_add(d, path, e->c.cgroup, IN_MODIFY, e);
	return e->watch || errno != ENOENT;
}

/* Reports what changed in @e's cgroup: populated 1 -> added, 0 or gone -> removed. */
static void update(struct cwd_discovery *d, struct entry *e)
{
	char path[PATH_MAX];
	int populated = read_populated(d, e->c.cgroup);

	if (populated < 0 && populated != -ENOENT) {
		cwd_log(LOG_WARNING, "%s%s/cgroup.events: %s", d->cfg.cgroup_root, e->c.cgroup,
			strerror(-populated));
		return;
	}
	if (populated <= 0 || e->skip) {
		if (e->reported)
			report(d, e, false);
		return;
	}
	if (e->reported)
		return;
	/* the runtime may have written its metadata since we last looked */
	read_metadata(d, e);
	if (e->skip || pathf(path, "%s%s", d->cfg.cgroup_root, e->c.cgroup))
		return;
	e->c.pid = first_pid(path, 0);
	if (!e->c.pid)
		e->c.pid = e->leader;
	if (!e->c.pid)	/* e.g. nspawn's payload, podman's "container" */
		e->c.pid = first_pid(path, PID_DEPTH);
	report(d, e, true);
}

/* The container cgroup @rel (of layout @l, with @id): known, new or renewed. */
static void container(struct cwd_discovery *d, const char *rel, const struct layout *l,
		      const char *id)
{
	char full[PATH_MAX];
	struct entry *e = entry_find(d, rel);
	struct stat st;

	if (pathf(full, "%s%s", d->cfg.cgroup_root, rel) || stat(full, &st))
		return;
	if (e && e->c.cgroup_id != (uint64_t)st.st_ino) {
		/* removed and made again between two looks */
		entry_drop(d, e);
		e = NULL;
	}
	if (!e) {
		if (strlen(rel) >= sizeof(e->c.cgroup) || strlen(id) >= sizeof(e->c.id)) {
			cwd_log(LOG_WARNING, "%s: path too long for a container", full);
			return;
		}
		e = calloc(1, sizeof(*e));
		if (!e || !(e->c.labels = json_object())) {
			free(e);
			cwd_log(LOG_ERR, "%s: out of memory", full);
			return;
		}
		e->layout = l;
		e->c.runtime = l->runtime;
		strcpy(e->c.id, id);
		strcpy(e->c.cgroup, rel);
		e->c.cgroup_id = st.st_ino;
		e->next = d->entries;
		d->entries = e;
	}
	/* watch before reading, so that no change falls in between */
	if (!e->watch && !entry_watch(d, e)) {
		entry_drop(d, e);
		return;
	}
	e->seen = true;
	update(d, e);
}

/* Tree walk */

static void walk(struct cwd_discovery *d, const char *rel, int *err);

static bool is_dir(DIR *dp, const struct dirent *de)
{
	struct stat st;

	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	return !fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW) && S_ISDIR(st.st_mode);
}

/* The directory @name below @parent: a container, or more tree to watch. */
static void visit(struct cwd_discovery *d, const char *parent, const char *name, int *err)
{
	char rel[PATH_MAX], id[sizeof(((struct cwd_container *)0)->id)];
	const struct layout *l;

	if (pathf(rel, "%s/%s", parent, name)) {
		cwd_log(LOG_WARNING, "%s%s/%s: path too long", d->cfg.cgroup_root, parent, name);
		return;
	}
	l = classify(parent, name, id, sizeof(id));
	if (!l)
		walk(d, rel, err);
	else if (l->runtime != NOT_WORKLOAD)
		container(d, rel, l, id);
}

/*
 * Watches @rel, then looks at what is in it: what appears in between is
 * both reported by inotify and found here, which is harmless.
 */
static void walk(struct cwd_discovery *d, const char *rel, int *err)
{
	char full[PATH_MAX];
	struct dirent *de;
	struct watch *w;
	DIR *dp;

	if (pathf(full, "%s%s", d->cfg.cgroup_root, rel))
		return;
	w = watch_add(d, full, rel, DIR_EVENTS, NULL);
	if (w)
		w->seen = true;
	dp = opendir(full);
	if (!dp) {
		int e = errno;

		/* gone between readdir and here: its parent reports that */
		if (e != ENOENT)
			cwd_log(LOG_WARNING, "%s: %s", full, strerror(e));
		if (!*rel)
			*err = -e;
		return;
	}
	while ((de = readdir(dp)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && is_dir(dp, de))
			visit(d, rel, de->d_name, err);
	closedir(dp);
}

/* The directory @rel exists, and is the inode @ino unless that is 0. */
static bool still_there(const struct cwd_discovery *d, const char *rel, uint64_t ino)
{
	char full[PATH_MAX];
	struct stat st;

	return !pathf(full, "%s%s", d->cfg.cgroup_root, rel) && !lstat(full, &st) &&
	       S_ISDIR(st.st_mode) && (!ino || (uint64_t)st.st_ino == ino);
}

/*
 * @rel went away: forget what was below it. The event may be older than
 * the last scan, which may have met a new directory by that name: keep
 * what is still there (a stale watch goes with its IN_IGNORED).
 */
static void forget(struct cwd_discovery *d, const char *rel)
{
	struct entry *e, *enext;
	struct watch *w, *wnext;

	for (e = d->entries; e; e = enext) {
		enext = e->next;
		if (under(e->c.cgroup, rel) && !still_there(d, e->c.cgroup, e->c.cgroup_id))
			entry_drop(d, e);
	}
	for (w = d->watches; w; w = wnext) {
		wnext = w->next;
		if (!w->entry && under(w->path, rel) && !still_there(d, w->path, 0))
			watch_drop(d, w, true);
	}
}

int cwd_discovery_scan(struct cwd_discovery *d)
{
	struct entry *e, *enext;
	struct watch *w, *wnext;
	int err = 0;

	for (e = d->entries; e; e = e->next)
		e->seen = false;
	for (w = d->watches; w; w = w->next)
		w->seen = false;
	walk(d, "", &err);
	/* what the walk did not meet is gone */
	for (e = d->entries; e; e = enext) {
		enext = e->next;
		if (!e->seen)
			entry_drop(d, e);
	}
	for (w = d->watches; w; w = wnext) {
		wnext = w->next;
		if (!w->entry && !w->seen)
			watch_drop(d, w, true);
	}
	return err;
}

/* Events */

static void handle_event(struct cwd_discovery *d, const struct inotify_event *ev)
{
	struct watch *w = watch_find(d, ev->wd);
	char parent[PATH_MAX], rel[PATH_MAX];
	int err = 0;

	if (!w)		/* dropped already; its IN_IGNORED, or events queued before */
		return;
	if (w->entry) {
		struct entry *e = w->entry;

		/* cgroup.events changed, or went away with its cgroup */
		if (ev->mask & IN_IGNORED)
			watch_drop(d, w, false);
		update(d, e);
		return;
	}
	if (ev->mask & IN_IGNORED) {
		watch_drop(d, w, false);
		return;
	}
	if (!(ev->mask & IN_ISDIR) || !ev->len)
		return;
	/* the walk below may drop and replace watches, @w with them */
	strcpy(parent, w->path);
	if (pathf(rel, "%s/%s", parent, ev->name))
		return;
	if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
		forget(d, rel);
	else if (ev->mask & (IN_CREATE | IN_MOVED_TO))
		visit(d, parent, ev->name, &err);
}

int cwd_discovery_handle(struct cwd_discovery *d)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	bool overflow = false;
	int reads;
	ssize_t n;
	char *p;

	/* bounded, so that a busy tree cannot starve the daemon's other work */
	for (reads = 0; reads < 16; reads++) {
		n = read(d->fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return -errno;
		}
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW)
				overflow = true;
			else
				handle_event(d, ev);
		}
	}
	if (overflow) {
		cwd_log(LOG_NOTICE, "inotify queue overflow: scanning %s again", d->cfg.cgroup_root);
		return cwd_discovery_scan(d);
	}
	return 0;
}

int cwd_discovery_fd(const struct cwd_discovery *d)
{
	return d->fd;
}

int cwd_discovery_open(const struct cwd_config *cfg, const struct cwd_discovery_ops *ops,
		       void *arg, struct cwd_discovery **out)
{
	struct cwd_discovery *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	d->cfg = *cfg;
	d->ops = *ops;
	d->arg = arg;
	d->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (d->fd < 0) {
		err = -errno;
		free(d);
		return err;
	}
	*out = d;
	return 0;
}

/* Containers still running are not reported removed: the daemon is what stops. */
void cwd_discovery_close(struct cwd_discovery *d)
{
	struct entry *e;
	struct watch *w;

	if (!d)
		return;
	while ((e = d->entries)) {
		d->entries = e->next;
		entry_free(e);
	}
	while ((w = d->watches)) {
		d->watches = w->next;
		free(w);
	}
	close(d->fd);
	free(d);
}
