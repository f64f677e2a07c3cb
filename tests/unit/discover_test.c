// SPDX-License-Identifier: GPL-2.0
/*
 * Container discovery on a fake cgroup tree: a temporary directory of
 * hand-written cgroup.events and cgroup.procs files, with the runtimes'
 * metadata beside it. Rewriting a file signals IN_MODIFY, as cgroup v2
 * does for cgroup.events, so the inotify path runs as it does on a host.
 */

#define _GNU_SOURCE	/* nftw() */

#include "cellwalld.h"
#include "kselftest_harness.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

/* 64 hex digits from 8 */
#define ID64(s) s s s s s s s s

#define ID_WEB		ID64("0123abcd")
#define ID_DB		ID64("1111aaaa")
#define ID_API		ID64("2222bbbb")
#define ID_PAUSE	ID64("3333cccc")
#define ID_WORKER	ID64("4444dddd")
#define ID_CACHE	ID64("5555eeee")
#define ID_CART		ID64("6666ffff")
#define ID_CRIO_PAUSE	ID64("77770000")
#define ID_REDIS	ID64("88881111")
#define ID_ROOTLESS	ID64("99992222")
#define ID_STOPPED	ID64("aaaa3333")
#define ID_BROKEN	ID64("bbbb4444")
#define ID_NESTED	ID64("cccc5555")
#define ID_OTHER	ID64("dddd6666")

#define CRI_POD "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b_3c4d.slice"

/* discover.c logs through log.c; here, as TAP comments, with warnings counted. */
static int warnings;

void cwd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio > LOG_WARNING)
		return;
	warnings++;
	fprintf(stderr, "# cwd_log(%d): ", prio);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* What the ops saw, copied: discovery owns the container it passes. */
struct event {
	bool added;
	struct cwd_container c;
	char labels[256];
};

struct record {
	struct event ev[32];
	int n;
};

static void note(const struct cwd_container *c, bool added, void *arg)
{
	struct record *r = arg;
	struct event *e;
	char *labels;

	if (r->n == (int)(sizeof(r->ev) / sizeof(r->ev[0])))
		abort();
	e = &r->ev[r->n++];
	e->added = added;
	e->c = *c;
	e->c.labels = NULL;
	labels = json_dumps(c->labels, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(e->labels, sizeof(e->labels), "%s", labels ? labels : "NULL");
	free(labels);
}

static void added(const struct cwd_container *c, void *arg)
{
	note(c, true, arg);
}

static void removed(const struct cwd_container *c, void *arg)
{
	note(c, false, arg);
}

/* The event for container @id, added or removed, from the @from'th on. */
static const struct event *find(const struct record *r, int from, const char *id, bool add)
{
	int i;

	for (i = from; i < r->n; i++)
		if (r->ev[i].added == add && !strcmp(r->ev[i].c.id, id))
			return &r->ev[i];
	return NULL;
}

/* Files */

static void mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST) {
		perror(buf);
		abort();
	}
}

static void __attribute__((format(printf, 2, 3))) put(const char *path, const char *fmt, ...)
{
	char dir[PATH_MAX];
	va_list ap;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		abort();
	}
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void rmtree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *tmpdir(void)
{
	/* tmpfs if there is one, like cgroupfs; any local file system works */
	return access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
}

FIXTURE(disc)
{
	char base[64];
	struct cwd_config cfg;
	struct record rec;
	struct cwd_discovery *d;
};

FIXTURE_SETUP(disc)
{
	const struct cwd_discovery_ops ops = { .added = added, .removed = removed };

	snprintf(self->base, sizeof(self->base), "%s/cwd-discover.XXXXXX", tmpdir());
	ASSERT_TRUE(mkdtemp(self->base) != NULL);
	memset(&self->cfg, 0, sizeof(self->cfg));
	snprintf(self->cfg.cgroup_root, sizeof(self->cfg.cgroup_root), "%s/cgroup", self->base);
	snprintf(self->cfg.docker_root, sizeof(self->cfg.docker_root), "%s/docker", self->base);
	snprintf(self->cfg.containerd_state, sizeof(self->cfg.containerd_state),
		 "%s/containerd", self->base);
	snprintf(self->cfg.crio_state, sizeof(self->cfg.crio_state), "%s/run-storage", self->base);
	snprintf(self->cfg.crio_root, sizeof(self->cfg.crio_root), "%s/lib-storage", self->base);
	snprintf(self->cfg.machines_dir, sizeof(self->cfg.machines_dir), "%s/machines", self->base);
	mkdirs(self->cfg.cgroup_root);
	memset(&self->rec, 0, sizeof(self->rec));
	warnings = 0;
	ASSERT_EQ(0, cwd_discovery_open(&self->cfg, &ops, &self->rec, &self->d));
	ASSERT_LE(0, cwd_discovery_fd(self->d));
}

FIXTURE_TEARDOWN(disc)
{
	cwd_discovery_close(self->d);
	rmtree(self->base);
}

/* A cgroup @rel: its events and procs (@pid 0: none), made if missing. */
static void cgroup(const struct cwd_config *cfg, const char *rel, int populated, int pid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s/cgroup.procs", cfg->cgroup_root, rel);
	if (pid)
		put(path, "%d\n", pid);
	else
		put(path, "%s", "");
	snprintf(path, sizeof(path), "%s%s/cgroup.events", cfg->cgroup_root, rel);
	put(path, "populated %d\nfrozen 0\n", populated);
}

static void cgroup_rm(const struct cwd_config *cfg, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", cfg->cgroup_root, rel);
	rmtree(path);
}

static uint64_t ino(const struct cwd_config *cfg, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", cfg->cgroup_root, rel);
	return stat(path, &st) ? 0 : st.st_ino;
}

static void docker_meta(const struct cwd_config *cfg, const char *id, const char *json)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", cfg->docker_root, id);
	put(path, "%s", json);
}

static void containerd_meta(const struct cwd_config *cfg, const char *id, const char *name,
			    const char *pod, const char *ns, const char *image, const char *type)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/io.containerd.runtime.v2.task/k8s.io/%s/config.json",
		 cfg->containerd_state, id);
	put(path, "{ \"ociVersion\": \"1.1.0\", \"annotations\": {"
	    " \"io.kubernetes.cri.container-name\": \"%s\","
	    " \"io.kubernetes.cri.sandbox-name\": \"%s\","
	    " \"io.kubernetes.cri.sandbox-namespace\": \"%s\","
	    " \"io.kubernetes.cri.image-name\": \"%s\","
	    " \"io.kubernetes.cri.container-type\": \"%s\" } }\n", name, pod, ns, image, type);
}

/* @labels: JSON text, escaped for a JSON string. */
static void crio_meta(const char *storage, const char *id, const char *name, const char *pod,
		      const char *ns, const char *image, const char *type, const char *labels)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/overlay-containers/%s/userdata/config.json", storage, id);
	put(path, "{ \"annotations\": {"
	    " \"io.kubernetes.container.name\": \"%s\","
	    " \"io.kubernetes.pod.name\": \"%s\","
	    " \"io.kubernetes.pod.namespace\": \"%s\","
	    " \"io.kubernetes.cri-o.ImageName\": \"%s\","
	    " \"io.kubernetes.cri-o.ContainerType\": \"%s\","
	    " \"io.kubernetes.cri-o.Labels\": \"%s\" } }\n", name, pod, ns, image, type, labels);
}

/* Reads inotify until nothing is left, as the daemon's poll loop would. */
static int drain(struct cwd_discovery *d)
{
	struct pollfd pfd = { .fd = cwd_discovery_fd(d), .events = POLLIN };
	int i, err;

	for (i = 0; i < 1000 && poll(&pfd, 1, 0) > 0; i++) {
		err = cwd_discovery_handle(d);
		if (err)
			return err;
	}
	return 0;
}

TEST(runtime_names)
{
	EXPECT_STREQ("docker", cwd_runtime_name(CWD_RUNTIME_DOCKER));
	EXPECT_STREQ("containerd", cwd_runtime_name(CWD_RUNTIME_CONTAINERD));
	EXPECT_STREQ("crio", cwd_runtime_name(CWD_RUNTIME_CRIO));
	EXPECT_STREQ("podman", cwd_runtime_name(CWD_RUNTIME_PODMAN));
	EXPECT_STREQ("nspawn", cwd_runtime_name(CWD_RUNTIME_NSPAWN));
	EXPECT_STREQ("?", cwd_runtime_name((enum cwd_runtime)42));
}

/* Every layout, found by the first scan; what is no workload is left out. */
TEST_F(disc, every_layout)
{
	const struct cwd_config *cfg = &self->cfg;
	const struct record *r = &self->rec;
	const struct event *e;
	char path[PATH_MAX];

	/* Docker, cgroupfs and systemd drivers */
	cgroup(cfg, "/docker/" ID_WEB, 1, 101);
	docker_meta(cfg, ID_WEB, "{ \"Name\": \"/web\", \"Config\": { \"Image\": \"nginx:1.25\","
		    " \"Labels\": { \"app\": \"web\", \"tier\": \"front\", \"n\": 1 } } }");
	cgroup(cfg, "/system.slice/docker-" ID_DB ".scope", 1, 102);
	docker_meta(cfg, ID_DB, "{ \"Name\": \"/db\", \"Config\": { \"Image\": \"postgres:16\","
		    " \"Labels\": null } }");
	/* a container in a container is the outer one's business */
	cgroup(cfg, "/docker/" ID_WEB "/docker/" ID_NESTED, 1, 111);
	cgroup(cfg, "/docker/" ID_STOPPED, 0, 0);
	cgroup(cfg, "/docker/" ID_BROKEN, 1, 112);
	docker_meta(cfg, ID_BROKEN, "{ \"Name\": ");

	/* containerd, systemd driver: a workload and its pod's pause container */
	cgroup(cfg, CRI_POD "/cri-containerd-" ID_API ".scope", 1, 103);
	containerd_meta(cfg, ID_API, "api", "api-7d9f", "shop", "registry.example/api:2",
			"container");
	cgroup(cfg, CRI_POD "/cri-containerd-" ID_PAUSE ".scope", 1, 104);
	containerd_meta(cfg, ID_PAUSE, "POD", "api-7d9f", "shop", "pause:3.9", "sandbox");

	/* cgroupfs driver: bare ids, with and without a QoS level */
	cgroup(cfg, "/kubepods/besteffort/pod0e1f/" ID_WORKER, 1, 105);
	containerd_meta(cfg, ID_WORKER, "worker", "worker-1", "batch", "worker:3", "container");
	cgroup(cfg, "/kubepods/pod5a6b/" ID_CACHE, 1, 106);
	crio_meta(cfg->crio_state, ID_CACHE, "cache", "cache-0", "shop", "redis:7", "container",
		  "{\\\"app\\\":\\\"cache\\\"}");

	/* CRI-O, systemd driver; its bundle only in the storage root */
	cgroup(cfg, "/kubepods.slice/kubepods-pod7c8d.slice/crio-" ID_CART ".scope", 1, 107);
	crio_meta(cfg->crio_root, ID_CART, "cart", "cart-5", "shop", "cart:1", "container",
		  "{\\\"app\\\":\\\"cart\\\",\\\"team\\\":\\\"pay\\\"}");
	cgroup(cfg, "/kubepods.slice/kubepods-pod7c8d.slice/crio-conmon-" ID_CART ".scope", 1, 207);
	cgroup(cfg, "/kubepods.slice/kubepods-pod7c8d.slice/crio-" ID_CRIO_PAUSE ".scope", 1, 208);
	crio_meta(cfg->crio_state, ID_CRIO_PAUSE, "POD", "cart-5", "shop", "pause:3.9", "sandbox",
		  "{}");

	/* Podman: processes in a child cgroup; name from containers-storage */
	cgroup(cfg, "/machine.slice/libpod-" ID_REDIS ".scope", 1, 0);
	cgroup(cfg, "/machine.slice/libpod-" ID_REDIS ".scope/container", 1, 109);
	cgroup(cfg, "/machine.slice/libpod-conmon-" ID_REDIS ".scope", 1, 209);
	snprintf(path, sizeof(path), "%s/overlay-containers/containers.json", cfg->crio_root);
	put(path, "[ { \"id\": \"%s\", \"names\": [ \"other\" ] },"
	    " { \"id\": \"%s\", \"names\": [ \"redis-cache\" ], \"image\": \"f00d\","
	    " \"metadata\": \"{\\\"image-name\\\":\\\"docker.io/library/redis:7\\\","
	    "\\\"name\\\":\\\"redis-cache\\\"}\" } ]\n", ID_OTHER, ID_REDIS);
	/* rootless, nothing known about it */
	cgroup(cfg, "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
	       ID_ROOTLESS ".scope", 1, 110);

	/* systemd-nspawn, and a libvirt VM that machined knows too */
	cgroup(cfg, "/machine.slice/machine-my\\x2dbox.scope", 1, 0);
	cgroup(cfg, "/machine.slice/machine-my\\x2dbox.scope/payload", 1, 4343);
	snprintf(path, sizeof(path), "%s/my-box", cfg->machines_dir);
	put(path, "NAME=my-box\nSCOPE=machine-my\\x2dbox.scope\nCLASS=container\nLEADER=4242\n"
	    "ROOT=/var/lib/machines/my-box\n");
	cgroup(cfg, "/machine.slice/machine-qemu\\x2d1\\x2dvm.scope", 1, 300);
	snprintf(path, sizeof(path), "%s/qemu-1-vm", cfg->machines_dir);
	put(path, "NAME=qemu-1-vm\nCLASS=vm\nLEADER=300\n");

	/* no container at all; a bare id means one only below docker or kubepods */
	cgroup(cfg, "/system.slice/ssh.service", 1, 1);
	cgroup(cfg, "/system.slice/" ID_OTHER, 1, 2);

	ASSERT_EQ(0, cwd_discovery_scan(self->d));
	EXPECT_EQ(10, r->n);

	e = find(r, 0, ID_WEB, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("docker", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("web", e->c.name);
	EXPECT_STREQ("nginx:1.25", e->c.image);
	EXPECT_STREQ("{\"app\":\"web\",\"tier\":\"front\"}", e->labels);
	EXPECT_STREQ("/docker/" ID_WEB, e->c.cgroup);
	EXPECT_EQ(ino(cfg, "/docker/" ID_WEB), e->c.cgroup_id);
	EXPECT_EQ(101, e->c.pid);
	EXPECT_STREQ("", e->c.k8s_namespace);
	EXPECT_STREQ("", e->c.k8s_pod);

	e = find(r, 0, ID_DB, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("docker", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("db", e->c.name);
	EXPECT_STREQ("postgres:16", e->c.image);
	EXPECT_STREQ("{}", e->labels);
	EXPECT_STREQ("/system.slice/docker-" ID_DB ".scope", e->c.cgroup);
	EXPECT_EQ(102, e->c.pid);

	e = find(r, 0, ID_BROKEN, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("docker-bbbb4444bbbb", e->c.name);
	EXPECT_STREQ("", e->c.image);
	EXPECT_STREQ("{}", e->labels);
	EXPECT_EQ(112, e->c.pid);
	EXPECT_LE(1, warnings);

	e = find(r, 0, ID_API, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("containerd", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("api", e->c.name);
	EXPECT_STREQ("registry.example/api:2", e->c.image);
	EXPECT_STREQ("shop", e->c.k8s_namespace);
	EXPECT_STREQ("api-7d9f", e->c.k8s_pod);
	EXPECT_STREQ("{}", e->labels);
	EXPECT_STREQ(CRI_POD "/cri-containerd-" ID_API ".scope", e->c.cgroup);
	EXPECT_EQ(103, e->c.pid);

	e = find(r, 0, ID_WORKER, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("containerd", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("worker", e->c.name);
	EXPECT_STREQ("worker:3", e->c.image);
	EXPECT_STREQ("batch", e->c.k8s_namespace);
	EXPECT_STREQ("worker-1", e->c.k8s_pod);
	EXPECT_STREQ("/kubepods/besteffort/pod0e1f/" ID_WORKER, e->c.cgroup);
	EXPECT_EQ(105, e->c.pid);

	e = find(r, 0, ID_CACHE, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("crio", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("cache", e->c.name);
	EXPECT_STREQ("redis:7", e->c.image);
	EXPECT_STREQ("shop", e->c.k8s_namespace);
	EXPECT_STREQ("cache-0", e->c.k8s_pod);
	EXPECT_STREQ("{\"app\":\"cache\"}", e->labels);
	EXPECT_EQ(106, e->c.pid);

	e = find(r, 0, ID_CART, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("crio", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("cart", e->c.name);
	EXPECT_STREQ("cart:1", e->c.image);
	EXPECT_STREQ("shop", e->c.k8s_namespace);
	EXPECT_STREQ("cart-5", e->c.k8s_pod);
	EXPECT_STREQ("{\"app\":\"cart\",\"team\":\"pay\"}", e->labels);
	EXPECT_STREQ("/kubepods.slice/kubepods-pod7c8d.slice/crio-" ID_CART ".scope", e->c.cgroup);
	EXPECT_EQ(107, e->c.pid);

	e = find(r, 0, ID_REDIS, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("podman", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("redis-cache", e->c.name);
	EXPECT_STREQ("docker.io/library/redis:7", e->c.image);
	EXPECT_STREQ("{}", e->labels);
	EXPECT_STREQ("/machine.slice/libpod-" ID_REDIS ".scope", e->c.cgroup);
	EXPECT_EQ(109, e->c.pid);

	e = find(r, 0, ID_ROOTLESS, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("podman", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("podman-99992222" "9999", e->c.name);
	EXPECT_STREQ("", e->c.image);
	EXPECT_EQ(110, e->c.pid);

	e = find(r, 0, "my-box", true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("nspawn", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("my-box", e->c.name);
	EXPECT_STREQ("/var/lib/machines/my-box", e->c.image);
	EXPECT_STREQ("/machine.slice/machine-my\\x2dbox.scope", e->c.cgroup);
	EXPECT_EQ(4242, e->c.pid);

	/* sandboxes, conmon, the VM, the stopped, the nested, the service */
	EXPECT_EQ(NULL, find(r, 0, ID_PAUSE, true));
	EXPECT_EQ(NULL, find(r, 0, ID_CRIO_PAUSE, true));
	EXPECT_EQ(NULL, find(r, 0, "qemu-1-vm", true));
	EXPECT_EQ(NULL, find(r, 0, ID_STOPPED, true));
	EXPECT_EQ(NULL, find(r, 0, ID_NESTED, true));
	EXPECT_EQ(NULL, find(r, 0, ID_OTHER, true));

	/* nothing changed, nothing to say */
	ASSERT_EQ(0, cwd_discovery_scan(self->d));
	ASSERT_EQ(0, drain(self->d));
	EXPECT_EQ(10, r->n);
}

/* Containers come and go after the first scan: inotify alone reports them. */
TEST_F(disc, inotify_lifecycle)
{
	const struct cwd_config *cfg = &self->cfg;
	const struct record *r = &self->rec;
	const char *web = "/docker/" ID_WEB;
	const char *pod = "/kubepods/burstable/pod9f8e";
	const struct event *e;
	char path[PATH_MAX];
	int from;

	ASSERT_EQ(0, cwd_discovery_scan(self->d));
	EXPECT_EQ(0, r->n);

	/* created, then started once its runtime wrote the metadata */
	snprintf(path, sizeof(path), "%s/docker", cfg->cgroup_root);
	mkdirs(path);
	ASSERT_EQ(0, drain(self->d));
	cgroup(cfg, web, 0, 0);
	ASSERT_EQ(0, drain(self->d));
	EXPECT_EQ(0, r->n);
	docker_meta(cfg, ID_WEB, "{ \"Name\": \"/web\", \"Config\": { \"Image\": \"nginx:1.25\","
		    " \"Labels\": { \"app\": \"web\" } } }");
	cgroup(cfg, web, 1, 501);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(1, r->n);
	e = find(r, 0, ID_WEB, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("web", e->c.name);
	EXPECT_STREQ("nginx:1.25", e->c.image);
	EXPECT_STREQ("{\"app\":\"web\"}", e->labels);
	EXPECT_EQ(501, e->c.pid);
	EXPECT_EQ(ino(cfg, web), e->c.cgroup_id);

	/* stopped: removed, as it was added */
	cgroup(cfg, web, 0, 0);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(2, r->n);
	e = find(r, 1, ID_WEB, false);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("web", e->c.name);
	EXPECT_STREQ("nginx:1.25", e->c.image);
	EXPECT_STREQ("{\"app\":\"web\"}", e->labels);
	EXPECT_EQ(501, e->c.pid);
	EXPECT_STREQ(web, e->c.cgroup);

	/* started again, then its cgroup removed */
	cgroup(cfg, web, 1, 502);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(3, r->n);
	EXPECT_EQ(502, r->ev[2].c.pid);
	EXPECT_TRUE(r->ev[2].added);
	cgroup_rm(cfg, web);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(4, r->n);
	e = find(r, 3, ID_WEB, false);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(502, e->c.pid);

	/* a whole subtree at once: the walk finds what inotify could not */
	from = r->n;
	containerd_meta(cfg, ID_WORKER, "worker", "worker-2", "batch", "worker:3", "container");
	cgroup(cfg, "/kubepods/burstable/pod9f8e/" ID_WORKER, 1, 601);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(from + 1, r->n);
	e = find(r, from, ID_WORKER, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("containerd", cwd_runtime_name(e->c.runtime));
	EXPECT_STREQ("worker", e->c.name);
	EXPECT_STREQ("worker-2", e->c.k8s_pod);
	EXPECT_EQ(601, e->c.pid);

	/* and the new directories are watched: a second container, a pause */
	snprintf(path, sizeof(path), "%s/" ID_API, pod);
	cgroup(cfg, path, 1, 602);
	containerd_meta(cfg, ID_PAUSE, "POD", "worker-2", "batch", "pause:3.9", "sandbox");
	snprintf(path, sizeof(path), "%s/" ID_PAUSE, pod);
	cgroup(cfg, path, 1, 603);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(from + 2, r->n);
	e = find(r, from, ID_API, true);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("containerd-2222bbbb2222", e->c.name);
	EXPECT_EQ(602, e->c.pid);

	/* the pod goes: both removed */
	snprintf(path, sizeof(path), "%s/kubepods", cfg->cgroup_root);
	rmtree(path);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(from + 4, r->n);
	EXPECT_NE(NULL, find(r, from, ID_WORKER, false));
	EXPECT_NE(NULL, find(r, from, ID_API, false));

	/* a directory made again is watched again */
	cgroup(cfg, "/kubepods/burstable/pod9f8e/" ID_WORKER, 1, 604);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(from + 5, r->n);
	EXPECT_EQ(604, r->ev[from + 4].c.pid);

	/* started before its metadata was written: a name for now, the real one next start */
	from = r->n;
	cgroup(cfg, "/docker/" ID_DB, 1, 701);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(from + 1, r->n);
	EXPECT_STREQ("docker-1111aaaa1111", r->ev[from].c.name);
	cgroup(cfg, "/docker/" ID_DB, 0, 0);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(from + 2, r->n);
	EXPECT_FALSE(r->ev[from + 1].added);
	EXPECT_STREQ("docker-1111aaaa1111", r->ev[from + 1].c.name);
	docker_meta(cfg, ID_DB, "{ \"Name\": \"/db\", \"Config\": { \"Image\": \"postgres:16\" } }");
	cgroup(cfg, "/docker/" ID_DB, 1, 702);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(from + 3, r->n);
	EXPECT_TRUE(r->ev[from + 2].added);
	EXPECT_STREQ("db", r->ev[from + 2].c.name);
	EXPECT_STREQ("postgres:16", r->ev[from + 2].c.image);
	EXPECT_EQ(702, r->ev[from + 2].c.pid);

	ASSERT_EQ(0, cwd_discovery_scan(self->d));
	EXPECT_EQ(from + 3, r->n);
}

/* The periodic scan removes what inotify did not report, and only once. */
TEST_F(disc, scan_reconciles)
{
	const struct cwd_config *cfg = &self->cfg;
	const struct record *r = &self->rec;
	const char *web = "/docker/" ID_WEB, *db = "/docker/" ID_DB, *api = "/docker/" ID_API;
	uint64_t old;

	cgroup(cfg, web, 1, 101);
	cgroup(cfg, db, 1, 102);
	cgroup(cfg, api, 1, 103);
	ASSERT_EQ(0, cwd_discovery_scan(self->d));
	ASSERT_EQ(3, r->n);
	EXPECT_STREQ("docker-0123abcd0123", find(r, 0, ID_WEB, true)->c.name);

	/* stopped, removed, and removed and made again, unbeknown to inotify */
	cgroup(cfg, web, 0, 0);
	cgroup_rm(cfg, db);
	old = ino(cfg, api);
	cgroup_rm(cfg, api);
	cgroup(cfg, api, 1, 104);
	ASSERT_NE(old, ino(cfg, api));
	ASSERT_EQ(0, cwd_discovery_scan(self->d));
	ASSERT_EQ(7, r->n);
	EXPECT_NE(NULL, find(r, 3, ID_WEB, false));
	EXPECT_NE(NULL, find(r, 3, ID_DB, false));
	EXPECT_EQ(old, find(r, 3, ID_API, false)->c.cgroup_id);
	EXPECT_EQ(ino(cfg, api), find(r, 3, ID_API, true)->c.cgroup_id);
	EXPECT_EQ(104, find(r, 3, ID_API, true)->c.pid);

	/* what inotify says now is old news */
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(0, cwd_discovery_scan(self->d));
	EXPECT_EQ(7, r->n);
}

/* A full inotify queue loses events: a scan makes up for them. */
TEST_F(disc, queue_overflow)
{
	const struct cwd_config *cfg = &self->cfg;
	const struct record *r = &self->rec;
	char path[PATH_MAX];
	FILE *f;
	int i, max = 0;

	f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
	if (!f || fscanf(f, "%d", &max) != 1 || max > 100000) {
		if (f)
			fclose(f);
		SKIP(return, "max_queued_events unknown or too large");
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/docker", cfg->cgroup_root);
	mkdirs(path);
	ASSERT_EQ(0, cwd_discovery_scan(self->d));
	for (i = 0; i <= max; i++) {
		snprintf(path, sizeof(path), "%s/f%d", cfg->cgroup_root, i);
		put(path, "%s", "");
	}
	/* its IN_CREATE does not fit in the queue any more */
	cgroup(cfg, "/docker/" ID_WEB, 1, 101);
	ASSERT_EQ(0, drain(self->d));
	ASSERT_EQ(1, r->n);
	EXPECT_NE(NULL, find(r, 0, ID_WEB, true));
}

TEST_F(disc, missing_root)
{
	rmtree(self->cfg.cgroup_root);
	EXPECT_EQ(-ENOENT, cwd_discovery_scan(self->d));
	EXPECT_EQ(0, self->rec.n);
	EXPECT_EQ(0, drain(self->d));
}

TEST_HARNESS_MAIN
