// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld as an operator runs it: containers of every runtime layout
 * made by hand (cgroup directories plus the runtime's metadata files) are
 * found and registered, and forgotten when they stop; discover mode learns
 * the traffic into learned.json, which export shows and protect enforces;
 * alerts reach the JSON-lines file; a bad policy file is reported with its
 * position and changes nothing; a bad configuration stops the start; the
 * kernel keeps enforcing through a kill -9, and the restarted daemon
 * changes nothing that was right.
 */

#define _GNU_SOURCE
#include "container.h"
#include "daemon.h"
#include "kselftest_harness.h"

#include <signal.h>

#define DAEMON_TIMEOUT 900
#define ROOT "/run/cwd-test"
#define CONFIG ROOT "/cellwalld.json"
#define RULES ROOT "/rules.d"
#define LEARNED ROOT "/state/learned.json"
#define ALERTS ROOT "/alerts.jsonl"
#define DAEMON_LOG ROOT "/cellwalld.log"
#define DOCKER_ROOT ROOT "/docker"
#define CONTAINERD ROOT "/containerd"
#define CRIO ROOT "/crio"
#define MACHINES ROOT "/machines"

/* One hand-made container: its netns (container.h), its runtime's cgroup. */
struct layout {
	const char *ct;		/* netns name */
	int x;			/* its address: 10.99.0.X */
	const char *cgroup;	/* under /sys/fs/cgroup */
	const char *meta_path;	/* the runtime's metadata file */
	const char *meta;
	const char *name;	/* the workload the daemon must register */
};

#define ID_WEB "1111111111111111111111111111111111111111111111111111111111111111"
#define ID_DB "2222222222222222222222222222222222222222222222222222222222222222"
#define ID_CART "3333333333333333333333333333333333333333333333333333333333333333"
#define ID_PAY "4444444444444444444444444444444444444444444444444444444444444444"
#define ID_POD "5555555555555555555555555555555555555555555555555555555555555555"

static const struct layout web = {
	"cwd-web", 21, "system.slice/docker-" ID_WEB ".scope",
	DOCKER_ROOT "/containers/" ID_WEB "/config.v2.json",
	"{\"Name\": \"/web\", \"Config\": {\"Image\": \"shop/web:1\","
	" \"Labels\": {\"tier\": \"front\"}}}",
	"web",
};

static const struct layout db = {
	"cwd-db", 22, "docker/" ID_DB,
	DOCKER_ROOT "/containers/" ID_DB "/config.v2.json",
	"{\"Name\": \"/db\", \"Config\": {\"Image\": \"postgres:15\", \"Labels\": null}}",
	"db",
};

static const struct layout cart = {
	"cwd-cart", 23, "kubepods/besteffort/pod0a1b/" ID_CART,
	CONTAINERD "/io.containerd.runtime.v2.task/k8s.io/" ID_CART "/config.json",
	"{\"annotations\": {\"io.kubernetes.cri.container-type\": \"container\","
	" \"io.kubernetes.cri.container-name\": \"cart\","
	" \"io.kubernetes.cri.sandbox-name\": \"cart-7d9\","
	" \"io.kubernetes.cri.sandbox-namespace\": \"shop\","
	" \"io.kubernetes.cri.image-name\": \"shop/cart:2\"}}",
	"shop.cart-7d9.cart",
};

static const struct layout pay = {
	"cwd-pay", 24,
	"kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod9f8e.slice/crio-" ID_PAY
	".scope",
	CRIO "/overlay-containers/" ID_PAY "/userdata/config.json",
	"{\"annotations\": {\"io.kubernetes.container.name\": \"pay\","
	" \"io.kubernetes.pod.name\": \"pay-1\", \"io.kubernetes.pod.namespace\": \"shop\","
	" \"io.kubernetes.cri-o.ImageName\": \"shop/pay:3\","
	" \"io.kubernetes.cri-o.Labels\": \"{\\\"app\\\": \\\"pay\\\"}\"}}",
	"shop.pay-1.pay",
};

static const struct layout podman = {
	"cwd-podman", 25, "machine.slice/libpod-" ID_POD ".scope",
	/* Podman's name is in containers/storage's own record of it. */
	CRIO "/overlay-containers/containers.json",
	"[{\"id\": \"" ID_POD "\", \"names\": [\"cache\"],"
	" \"metadata\": \"{\\\"image-name\\\": \\\"redis:7\\\", \\\"name\\\": \\\"cache\\\"}\"}]",
	"cache",
};

static const struct layout nspawn = {
	"cwd-box", 26, "machine.slice/machine-build\\x2dbox.scope",
	MACHINES "/build-box",
	"NAME=build-box\nCLASS=container\nSERVICE=systemd-nspawn\n",
	"build-box",
};

static const struct layout *const layouts[] = { &web, &db, &cart, &pay, &podman, &nspawn };

/* The policy file @name in the rules directory, written in one rename. */
static void write_policy(const char *name, const char *text)
{
	char tmp[256], path[256];

	snprintf(tmp, sizeof(tmp), ROOT "/.%s", name);
	snprintf(path, sizeof(path), RULES "/%s", name);
	cwd_write(tmp, text);
	rename(tmp, path);
}

/* Starts the container's process: in its runtime's cgroup and its netns. */
static int start_container(const struct layout *l)
{
	if (cw_ct_create(l->ct, l->x))
		return -1;
	cwd_write(l->meta_path, l->meta);
	/* The cgroup first, then the netns: runtimes do it in that order too. */
	return cw_sh("mkdir -p '" CW_CGROUP_ROOT "/%1$s' && "
		     "sh -c 'echo $$ >\"" CW_CGROUP_ROOT "/%1$s/cgroup.procs\" && "
		     "exec nsenter --net=/run/netns/%2$s sleep 100000' </dev/null >/dev/null 2>&1 &",
		     l->cgroup, l->ct);
}

/* Its processes killed: the cgroup is empty, and the container stopped. */
static void stop_container(const struct layout *l)
{
	cw_sh("echo 1 2>/dev/null >'" CW_CGROUP_ROOT "/%s/cgroup.kill'", l->cgroup);
	cw_wait_for(10000, "! grep -qs . '" CW_CGROUP_ROOT "/%s/cgroup.procs'", l->cgroup);
}

static void remove_container(const struct layout *l)
{
	stop_container(l);
	cw_sh("rmdir '" CW_CGROUP_ROOT "/%s' 2>/dev/null", l->cgroup);
	cw_ct_destroy(l->ct);
}

static const char config_json[] =
	"{\n"
	"  \"rules_dir\": \"" RULES "\",\n"
	"  \"learned_file\": \"" LEARNED "\",\n"
	"  \"docker_root\": \"" DOCKER_ROOT "\",\n"
	"  \"containerd_state\": \"" CONTAINERD "\",\n"
	"  \"crio_state\": \"" CRIO "\",\n"
	"  \"crio_root\": \"" CRIO "\",\n"
	"  \"machines_dir\": \"" MACHINES "\",\n"
	"  \"learn\": { \"interval\": 1 },\n"
	/*
	 * audit_test has the process and file events; once audit is enabled,
	 * every new task carries an audit context, which makes the later tests
	 * of check-debug (which leaves audit_test out) a third slower.
	 */
	"  \"audit\": { \"enabled\": false },\n"
	"  \"alerts\": { \"json_file\": \"" ALERTS "\" }\n"
	"}\n";

/* Two groups by name, in @mode; the rules @rules (a JSON array's inside). */
static void write_web_db_policy(const char *mode, const char *rules)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "{\n"
		 "  \"groups\": [\n"
		 "    { \"name\": \"front\", \"mode\": \"%1$s\", \"match\": { \"name\": \"web\" } },\n"
		 "    { \"name\": \"data\", \"mode\": \"%1$s\", \"match\": { \"image\": \"postgres:*\" } }\n"
		 "  ],\n"
		 "  \"rules\": [%2$s]\n"
		 "}\n", mode, rules);
	write_policy("10-shop.json", text);
}

/*
 * The clients below send nothing (stdin /dev/null) and wait for the
 * answer: socat -t 20 -T 20, not its default 0.5 s after its own EOF,
 * which a busy emulated guest (a debug kernel) can take to fork the
 * server's echo. Those that must be refused keep short timeouts.
 */

/* web and db running, the daemon started with them in groups front and data. */
static bool start_web_db(pid_t *pid)
{
	if (start_container(&web) || start_container(&db))
		return false;
	*pid = cwd_start(CONFIG, DAEMON_LOG);
	return *pid > 0 && cwd_wait_workload("web", "front") && cwd_wait_workload("db", "data") &&
	       cwd_wait_netns("web") && cwd_wait_netns("db");
}

/*
 * Everything a test made, in one shell (each command costs a good part of
 * a second in the emulated guest): the daemon, the containers' processes,
 * their cgroups (and the parents made for them), netns and links.
 */
static void clean(void)
{
	char cmd[8192], *p = cmd;
	size_t i;

	p += sprintf(p, "pkill -x cellwalld; cd " CW_CGROUP_ROOT "; cgroups='");
	for (i = 0; i < ARRAY_SIZE(layouts); i++)
		p += sprintf(p, "%s cw-%s ", layouts[i]->cgroup, layouts[i]->ct);
	p += sprintf(p, "'; for cg in $cgroups; do echo 1 2>/dev/null >\"$cg/cgroup.kill\"; done; "
		     "for cg in $cgroups; do for i in $(seq 100); do test -d \"$cg\" || break; "
		     "rmdir -p \"$cg\" 2>/dev/null; test -d \"$cg\" || break; sleep 0.1; done; done; "
		     "ip -force -batch - 2>/dev/null <<EOF\n");
	for (i = 0; i < ARRAY_SIZE(layouts); i++)
		p += sprintf(p, "netns del %1$s\nlink del vh-%1$s\n", layouts[i]->ct);
	sprintf(p, "EOF\nrm -rf " ROOT);
	cw_sh("%s", cmd);
}

FIXTURE(daemon)
{
	pid_t pid;
};

FIXTURE_SETUP(daemon)
{
	self->pid = -1;
	ASSERT_EQ(0, cw_module_unload());
	clean();
	ASSERT_EQ(0, cw_module_load());
	ASSERT_EQ(0, cw_sh("mkdir -p " RULES " " ROOT "/state"));
	cwd_write(CONFIG, config_json);
}

FIXTURE_TEARDOWN(daemon)
{
	if (self->pid > 0)
		EXPECT_EQ(0, cwd_stop(self->pid));
	if (!_metadata->passed)
		cw_sh("echo '# cellwalld log:'; sed 's/^/#   /' " DAEMON_LOG " 2>/dev/null");
	clean();
	cw_bridge_down();
	EXPECT_EQ(0, cw_module_unload());
}

/* Every runtime's layout found, named and grouped; gone when stopped. */
TEST_F_TIMEOUT(daemon, runtimes, DAEMON_TIMEOUT)
{
	char buf[64];

	write_policy("10-groups.json",
		     "{\n"
		     "  \"groups\": [\n"
		     "    { \"name\": \"front\", \"mode\": \"monitor\",\n"
		     "      \"match\": { \"labels\": { \"tier\": \"front\" } } },\n"
		     "    { \"name\": \"data\", \"match\": { \"image\": \"postgres:*\" } },\n"
		     "    { \"name\": \"shop\", \"match\": { \"k8s_namespace\": \"shop\" } },\n"
		     "    { \"name\": \"vms\", \"match\": { \"runtime\": \"nspawn\" } }\n"
		     "  ]\n"
		     "}\n");
	/* Two before the daemon starts (its first scan), the rest after (inotify). */
	ASSERT_EQ(0, start_container(&web));
	ASSERT_EQ(0, start_container(&db));
	self->pid = cwd_start(CONFIG, DAEMON_LOG);
	ASSERT_LT(0, self->pid);
	for (size_t i = 2; i < ARRAY_SIZE(layouts); i++)
		ASSERT_EQ(0, start_container(layouts[i]));

	EXPECT_TRUE(cwd_wait_workload("web", "front"));
	EXPECT_TRUE(cwd_wait_workload("db", "data"));
	EXPECT_TRUE(cwd_wait_workload("shop.cart-7d9.cart", "shop"));
	EXPECT_TRUE(cwd_wait_workload("shop.pay-1.pay", "shop"));
	EXPECT_TRUE(cwd_wait_workload("cache", "unknown"));
	EXPECT_TRUE(cwd_wait_workload("build-box", "vms"));

	/* Stopped (empty cgroup), removed (no cgroup): both forgotten. */
	stop_container(&db);
	remove_container(&cart);
	EXPECT_TRUE(cwd_wait_workload("db", ""));
	EXPECT_TRUE(cwd_wait_workload("shop.cart-7d9.cart", ""));
	EXPECT_STREQ("front", cwd_workload_group("web", buf, sizeof(buf)));
}

/* Discover learns web -> db; export shows it; protect allows it and only it. */
TEST_F_TIMEOUT(daemon, learn_export_protect, DAEMON_TIMEOUT)
{
	char out[4096];

	write_web_db_policy("discover", "");
	ASSERT_TRUE(start_web_db(&self->pid));

	ASSERT_LT(0, cw_ct_spawn(db.ct, NULL, "socat TCP-LISTEN:5432,fork,reuseaddr EXEC:'echo pg'"));
	ASSERT_LT(0, cw_ct_spawn(db.ct, NULL, "socat TCP-LISTEN:6379,fork,reuseaddr EXEC:'echo redis'"));
	ASSERT_TRUE(cw_ct_listening(db.ct, "tcp", 5432));
	ASSERT_TRUE(cw_ct_listening(db.ct, "tcp", 6379));
	ASSERT_EQ(0, cw_ct_sh(web.ct, "socat -T 20 -t 20 - TCP:10.99.0.22:5432 </dev/null | grep -q pg"));

	/* Learned, saved atomically, in force as a learned rule. */
	ASSERT_TRUE(cw_wait_for(20000, "grep -q 'tcp/5432' " LEARNED));
	ASSERT_EQ(0, cw_capture(out, sizeof(out), "python3 -c 'import json,sys; "
				"r=json.load(open(\"" LEARNED "\"))[\"rules\"]; "
				"print([(x[\"from\"], x[\"to\"], x[\"ports\"]) for x in r])'"));
	EXPECT_NE(NULL, strstr(out, "('front', 'data', ['tcp/5432'])")) TH_LOG("%s", out);
	ASSERT_EQ(0, cw_sh("%s policy export -o " ROOT "/export.json", cw_env("CW_CLI")));
	EXPECT_EQ(0, cw_sh("python3 -c 'import json,sys; r=json.load(open(\"" ROOT
			   "/export.json\"))[\"rules\"]; sys.exit(not any(x[\"from\"] == \"front\" and "
			   "x[\"to\"] == \"data\" and \"tcp/5432\" in x[\"ports\"] and x.get(\"learned\") "
			   "for x in r))'"));

	/* Protect: the learned connection still works, anything else is refused. */
	write_web_db_policy("protect", "");
	ASSERT_TRUE(cw_wait_for(20000, "%s group list | grep -w front | grep -qw protect",
				cw_env("CW_CLI")));
	EXPECT_EQ(0, cw_ct_sh(web.ct, "socat -T 20 -t 20 - TCP:10.99.0.22:5432 </dev/null | grep -q pg"));
	EXPECT_NE(0, cw_ct_sh(web.ct, "socat -T 5 -t 10 - TCP:10.99.0.22:6379 </dev/null | grep -q redis"));

	/* The refusal is an alert naming both ends. */
	EXPECT_TRUE(cw_wait_for(10000, "grep '\"type\": *\"violation\"' " ALERTS
				" | grep '\"from_workload\": *\"web\"' | grep '\"to_workload\": *\"db\"'"
				" | grep -q '\"dport\": *6379'")) {
		cw_sh("cat " ALERTS " >&2");
	}
}

/* A bad policy file: its position in the log and an alert; nothing changes. */
TEST_F_TIMEOUT(daemon, bad_policy_file, DAEMON_TIMEOUT)
{
	json_t *before, *after;

	write_web_db_policy("protect",
			    "{ \"from\": \"front\", \"to\": \"data\", \"ports\": [\"tcp/5432\"],"
			    " \"action\": \"allow\" }");
	ASSERT_TRUE(start_web_db(&self->pid));
	ASSERT_LT(0, cw_ct_spawn(db.ct, NULL, "socat TCP-LISTEN:5432,fork,reuseaddr EXEC:'echo pg'"));
	ASSERT_TRUE(cw_ct_listening(db.ct, "tcp", 5432));
	before = cw_status(NULL);
	ASSERT_NE(NULL, before);

	/* A rule naming a group nobody declared, on line 3. */
	write_policy("20-bad.json",
		     "{\n"
		     "  \"rules\": [\n"
		     "    { \"from\": \"front\", \"to\": \"nowhere\", \"action\": \"allow\" }\n"
		     "  ]\n"
		     "}\n");
	EXPECT_TRUE(cw_wait_for(10000, "grep -q '20-bad.json:3:[0-9]*: .*nowhere' " DAEMON_LOG));
	EXPECT_TRUE(cw_wait_for(10000, "grep '\"type\": *\"policy\"' " ALERTS
				" | grep -q '20-bad.json:3:'"));
	/* A syntax error: a missing comma on line 2. */
	write_policy("30-broken.json", "{\n  \"groups\": [] \"rules\": []\n}\n");
	EXPECT_TRUE(cw_wait_for(10000, "grep -q '30-broken.json:2:[0-9]*:' " DAEMON_LOG));

	after = cw_status(NULL);
	ASSERT_NE(NULL, after);
	EXPECT_EQ(cw_jint(before, "policy_generation"), cw_jint(after, "policy_generation"));
	EXPECT_EQ(0, cw_ct_sh(web.ct, "socat -T 20 -t 20 - TCP:10.99.0.22:5432 </dev/null | grep -q pg"));
	json_decref(before);
	json_decref(after);

	/* Mended: loaded, and the daemon says so. */
	unlink(RULES "/20-bad.json");
	unlink(RULES "/30-broken.json");
	EXPECT_TRUE(cw_wait_for(10000, "test $(grep -c 'policy loaded' " DAEMON_LOG ") -ge 2"));
}

/* kill -9: the kernel keeps enforcing; the restart changes nothing. */
TEST_F_TIMEOUT(daemon, kill9_restart, DAEMON_TIMEOUT)
{
	json_t *before, *after;
	long long size1, size2;
	pid_t client;

	write_web_db_policy("protect",
			    "{ \"from\": \"front\", \"to\": \"data\", \"ports\": [\"tcp/5432\"],"
			    " \"action\": \"allow\" }");
	ASSERT_TRUE(start_web_db(&self->pid));

	/* A connection that keeps sending through the whole test. */
	ASSERT_LT(0, cw_ct_spawn(db.ct, ROOT "/stream.out", "socat -u TCP-LISTEN:5432,reuseaddr -"));
	ASSERT_TRUE(cw_ct_listening(db.ct, "tcp", 5432));
	client = cw_ct_spawn(web.ct, NULL,
			     "while :; do echo tick; sleep 0.1; done | socat -u - TCP:10.99.0.22:5432");
	ASSERT_LT(0, client);
	ASSERT_TRUE(cw_wait_for(10000, "grep -q tick " ROOT "/stream.out"));
	before = cw_status(NULL);
	ASSERT_NE(NULL, before);

	ASSERT_EQ(0, kill(self->pid, SIGKILL));
	waitpid(self->pid, NULL, 0);
	self->pid = -1;
	/* No daemon: still enforced. */
	EXPECT_NE(0, cw_ct_sh(web.ct, "socat -T 3 - TCP:10.99.0.22:6379 </dev/null"));

	self->pid = cwd_start(CONFIG, DAEMON_LOG);
	ASSERT_LT(0, self->pid);
	after = cw_status(NULL);
	ASSERT_NE(NULL, after);
	/* Nothing loaded again, nothing judged again. */
	EXPECT_EQ(cw_jint(before, "policy_generation"), cw_jint(after, "policy_generation"));
	json_decref(before);
	json_decref(after);

	/* And the connection kept flowing all along. */
	ASSERT_EQ(0, cw_sh("stat -c %%s " ROOT "/stream.out >" ROOT "/size1"));
	usleep(1500 * 1000);
	ASSERT_EQ(0, cw_sh("stat -c %%s " ROOT "/stream.out >" ROOT "/size2"));
	size1 = cw_read_number(ROOT "/size1");
	size2 = cw_read_number(ROOT "/size2");
	EXPECT_LT(size1, size2);
	kill(client, SIGKILL);
}

/* SIGHUP: the files read again; SIGTERM: a clean exit, the policy left in force. */
TEST_F_TIMEOUT(daemon, signals, DAEMON_TIMEOUT)
{
	write_web_db_policy("protect", "");
	self->pid = cwd_start(CONFIG, DAEMON_LOG);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, kill(self->pid, SIGHUP));
	EXPECT_TRUE(cw_wait_for(10000, "grep -q 'policy loaded' " DAEMON_LOG));
	EXPECT_EQ(0, cwd_stop(self->pid));
	self->pid = -1;
	EXPECT_EQ(0, cw_sh("grep -q 'stopping' " DAEMON_LOG));
	EXPECT_EQ(0, cw_sh("%s group list | grep -w front | grep -qw protect", cw_env("CW_CLI")));
}

/* Quiet groups promoted: discover, then monitor, then protect. */
TEST_F_TIMEOUT(daemon, promotion, DAEMON_TIMEOUT)
{
	/* Learn first, without promotion: however slow the guest, the rule is there. */
	write_web_db_policy("discover", "");
	ASSERT_TRUE(start_web_db(&self->pid));
	ASSERT_LT(0, cw_ct_spawn(db.ct, NULL, "socat TCP-LISTEN:5432,fork,reuseaddr EXEC:'echo pg'"));
	ASSERT_TRUE(cw_ct_listening(db.ct, "tcp", 5432));
	ASSERT_EQ(0, cw_ct_sh(web.ct, "socat -T 20 -t 20 - TCP:10.99.0.22:5432 </dev/null | grep -q pg"));
	ASSERT_TRUE(cw_wait_for(20000, "grep -q 'tcp/5432' " LEARNED));
	EXPECT_EQ(0, cwd_stop(self->pid));

	cwd_write(CONFIG, "{\n"
		  "  \"rules_dir\": \"" RULES "\",\n"
		  "  \"learned_file\": \"" LEARNED "\",\n"
		  "  \"docker_root\": \"" DOCKER_ROOT "\",\n"
		  "  \"audit\": { \"enabled\": false },\n"
		  "  \"promote\": { \"enabled\": true, \"quiet_period\": 3, \"to\": \"protect\" }\n"
		  "}\n");
	self->pid = cwd_start(CONFIG, DAEMON_LOG);
	ASSERT_LT(0, self->pid);
	ASSERT_TRUE(cw_wait_for(30000, "%s group list | grep -w front | grep -qw monitor",
				cw_env("CW_CLI")));
	ASSERT_TRUE(cw_wait_for(30000, "%s group list | grep -w front | grep -qw protect",
				cw_env("CW_CLI")));
	EXPECT_EQ(0, cw_sh("grep -q 'group front: quiet for 3 s, promoted from monitor to protect' "
			   DAEMON_LOG));
	/* What discover saw still passes; nothing else does. */
	EXPECT_EQ(0, cw_ct_sh(web.ct, "socat -T 20 -t 20 - TCP:10.99.0.22:5432 </dev/null | grep -q pg"));
	EXPECT_NE(0, cw_ct_sh(web.ct, "socat -T 3 - TCP:10.99.0.22:5433 </dev/null"));
	/* Kept across a restart. */
	EXPECT_EQ(0, cwd_stop(self->pid));
	self->pid = cwd_start(CONFIG, DAEMON_LOG);
	ASSERT_LT(0, self->pid);
	EXPECT_EQ(0, cw_sh("%s group list | grep -w front | grep -qw protect", cw_env("CW_CLI")));
}

/* Events the daemon could not read in time: an alert says how many, then a resync. */
TEST_F_TIMEOUT(daemon, overrun, DAEMON_TIMEOUT)
{
	long long rate = cw_read_number("/proc/sys/net/cellwall/event_rate");

	cwd_write(CONFIG, "{\n"
		   "  \"rules_dir\": \"" RULES "\",\n"
		   "  \"learned_file\": \"" LEARNED "\",\n"
		   "  \"docker_root\": \"" DOCKER_ROOT "\",\n"
		   "  \"event_buffer\": 4096,\n"
		   "  \"audit\": { \"enabled\": false },\n"
		   "  \"alerts\": { \"json_file\": \"" ALERTS "\" }\n"
		   "}\n");
	write_web_db_policy("monitor", "");
	ASSERT_TRUE(start_web_db(&self->pid));
	ASSERT_EQ(0, cw_sysctl_set("/proc/sys/net/cellwall/event_rate", 1000000));

	/* 400 violations (each a new connection) while the daemon sleeps. */
	ASSERT_EQ(0, kill(self->pid, SIGSTOP));
	EXPECT_EQ(0, cw_sh("ip netns exec %s python3 -c 'import socket\n"
			   "for i in range(400):\n"
			   "    s = socket.socket(); s.setblocking(False)\n"
			   "    s.connect_ex((\"10.99.0.22\", 7000 + i)); s.close()'", web.ct));
	EXPECT_EQ(0, kill(self->pid, SIGCONT));
	EXPECT_TRUE(cw_wait_for(20000, "grep '\"type\": *\"lost\"' " ALERTS
				" | grep -q '\"lost\": *[1-9]'")) {
		cw_sh("cat " ALERTS " >&2");
	}
	/* Still reading: the next violation is an alert. (The rate stays
	 * high until then: the burst's second may not be over yet.) */
	EXPECT_NE(0, cw_ct_sh(web.ct, "socat -T 3 - TCP:10.99.0.22:6999 </dev/null"));
	EXPECT_TRUE(cw_wait_for(10000, "grep -q '\"dport\": *6999' " ALERTS));
	EXPECT_EQ(0, cw_sysctl_set("/proc/sys/net/cellwall/event_rate", rate));
}

/* Bad configurations: refused at start, with the place and the reason. */
TEST_F_TIMEOUT(daemon, bad_config, DAEMON_TIMEOUT)
{
	static const struct {
		const char *text;
		const char *expect;
	} cases[] = {
		{ "{\n  \"rules_dirr\": \"/x\"\n}\n", "bad.json:2:[0-9]*: .*rules_dirr" },
		{ "{\n  \"learn\": { \"interval\": \"soon\" }\n}\n", "bad.json:2:.*interval" },
		{ "{\n  \"alerts\": { \"facility\": \"local9\" }\n}\n", "bad.json:2:.*local9" },
		{ "{\n  \"alerts\": { \"forward\": \"smtp://x\" }\n}\n", "bad.json:2:.*forward" },
		{ "{\n  \"rules_dir\": \"relative\"\n}\n", "bad.json:2:.*rules_dir" },
		{ "{\n  \"resync_interval\": 1,\n}\n", "bad.json:3:" },
	};
	char out[1024];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cwd_write(ROOT "/bad.json", cases[i].text);
		EXPECT_EQ(1, cw_capture(out, sizeof(out), "%s -t -c " ROOT "/bad.json", cwd_bin()));
		EXPECT_EQ(0, cw_sh("echo '%s' | grep -q '%s'", out, cases[i].expect))
			TH_LOG("case %zu: %s", i, out);
	}
	/* And a policy file the check finds. */
	write_policy("10-bad.json", "{ \"groups\": [ { \"name\": \"x\", \"mode\": \"loud\" } ] }");
	EXPECT_EQ(1, cw_capture(out, sizeof(out), "%s -t -c " CONFIG, cwd_bin()));
	EXPECT_NE(NULL, strstr(out, "10-bad.json:1:")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
