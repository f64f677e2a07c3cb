// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld: keeps the module's workloads, groups and policy in step with
 * the host's containers and the policy files, learns in discover mode, and
 * writes every alert to syslog. One thread, one epoll loop.
 */

#include "cellwalld.h"
#include "audit.h"
#include "cwformat.h"
#include "dpi/dpi.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>

#include <linux/sock_diag.h>

#define DEFAULT_CONFIG "/etc/cellwall/cellwalld.json"

struct daemon {
	struct cwd_config cfg;
	struct cw_nl *nl;		/* requests */
	struct cw_nl *events;		/* the events multicast group only */
	struct cwd_alerts *alerts;
	struct cwd_learned *learned;
	struct cwd_state *state;
	struct cwd_discovery *discovery;
	struct cwd_proc *proc;
	struct cwd_audit *audit;	/* NULL: no process and file events */
	int epoll, signals, tick, rules_watch;
	bool rules_watched;

	uint64_t socket_drops;		/* SO_MEMINFO drops seen so far */
	bool resync;			/* events were lost: read the kernel again */
	time_t learned_due;		/* 0: nothing new to save */
	time_t reload_due;		/* 0: no policy file changed */
	time_t next_resync;
	bool stop;
};

static int64_t now_s(void)
{
	return time(NULL);
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* A daemon alert that is not about a flow: a lost event, a refused policy. */
static void alert_daemon(struct daemon *d, const char *type, const char *severity,
			 uint64_t lost, const char *message)
{
	struct cwd_alert a = {
		.type = type, .severity = severity, .time_ns = realtime_ns(),
		.lost = lost, .message = message,
	};

	cwd_alert_emit(d->alerts, &a);
}

/* Learned rules and promotions: saved, then put in force with the files. */
static void save_learned(struct daemon *d)
{
	char err[512];

	d->learned_due = 0;
	if (cwd_learned_save(d->learned, d->cfg.learned_file, err, sizeof(err)))
		cwd_log(LOG_ERR, "saving learned rules: %s", err);
	if (cwd_state_sync(d->state, err, sizeof(err)))
		cwd_log(LOG_ERR, "loading learned rules: %s", err);
}

static void learn(struct daemon *d, const char *from, const char *to, uint8_t proto,
		  uint16_t port, uint64_t apps)
{
	struct cw_portspec ps = { .proto = proto, .port_min = port, .port_max = port };
	char text[32], names[64];
	bool added;

	if (!d->cfg.learn || !from || !to)
		return;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP) {
		if (proto != IPPROTO_ICMP && proto != IPPROTO_ICMPV6)
			return;		/* rules know tcp, udp and icmp */
		ps = (struct cw_portspec){ .proto = IPPROTO_ICMP, .port_max = 65535 };
	}
	/* A newer module's applications, which this build cannot name, are any. */
	apps &= ((2ULL << CW_APP_MAX) - 1) & ~(1ULL << CW_APP_UNKNOWN);
	if (cwd_learned_add(d->learned, from, to, &ps, apps, now_s(), &added) || !added)
		return;
	cw_portspec_format(&ps, text, sizeof(text));
	cw_apps_format(apps, names, sizeof(names));
	cwd_log(LOG_INFO, "learned %s -> %s %s apps=%s", from, to, text, names);
	if (!d->learned_due)
		d->learned_due = now_s() + d->cfg.learn_interval;
}

/* What the kernel saw in discover mode while we were away or overrun. */
static void learn_from_kernel(struct daemon *d)
{
	struct cw_rule_entry *seen = NULL;
	size_t n, i;

	if (cw_nl_learned_list(d->nl, &seen, &n))
		return;
	for (i = 0; i < n; i++)
		learn(d, cwd_state_group_name(d->state, seen[i].from),
		      cwd_state_group_name(d->state, seen[i].to), seen[i].proto, seen[i].port_min,
		      seen[i].apps);
	free(seen);
}

static void fill_end(struct daemon *d, struct cwd_alert_end *end, uint32_t workload,
		     uint32_t group)
{
	const struct cwd_workload *w = cwd_state_workload(d->state, workload);

	end->workload = workload;
	end->workload_name = w ? w->name : NULL;
	end->container_id = w ? w->c.id : NULL;
	end->group = cwd_state_group_name(d->state, group);
}

/*
 * What every flow alert says: the tuple, both ends, the application, the
 * process and its executable (in @exe, PATH_MAX bytes).
 */
static void fill_flow(struct daemon *d, struct cwd_alert *a, const struct cw_event *ev, char *exe)
{
	const struct cw_flow_info *f = &ev->flow;

	a->time_ns = realtime_ns();
	a->has_flow = true;
	a->family = f->family;
	a->proto = f->proto;
	a->sport = f->sport;
	a->dport = f->dport;
	memcpy(a->src, f->src, sizeof(a->src));
	memcpy(a->dst, f->dst, sizeof(a->dst));
	a->app = cw_app_name(f->app);
	a->app_attr = f->app_attr;
	a->app_detail = f->app_detail;
	a->pid = ev->pid;
	a->comm = ev->comm[0] ? ev->comm : NULL;
	/* A process that has exited is known by its exec's audit record: read those first. */
	if (d->audit)
		cwd_audit_handle(d->audit);
	a->exe = cwd_proc_exe(d->proc, ev->pid, exe, PATH_MAX);
	fill_end(d, &a->from, f->from_workload, f->from_group);
	fill_end(d, &a->to, f->to_workload, f->to_group);
}

static void alert_flow(struct daemon *d, const struct cw_event *ev)
{
	const struct cw_flow_info *f = &ev->flow;
	bool dropped = f->mode == CW_MODE_PROTECT;
	const char *app = cw_app_name(f->app);
	char message[128], exe[PATH_MAX];
	struct cwd_alert a = {
		.type = "violation",
		.severity = dropped ? "high" : "medium",
		.action = dropped ? "dropped" : "allowed",
		.rule = f->rule,
		.reason = f->app_mismatch ? CW_REASON_MISMATCH : NULL,
		.message = message,
	};

	fill_flow(d, &a, ev, exe);
	/* The rule then is the lowest of those for the port's other applications. */
	if (f->app_mismatch)
		snprintf(message, sizeof(message),
			 "%s on a port that rule %u allows for other applications",
			 app ? app : "an unidentified application", f->rule);
	else if (f->rule)
		snprintf(message, sizeof(message), "denied by rule %u", f->rule);
	else
		snprintf(message, sizeof(message), "no rule allows this connection");
	if (ev->suppressed)
		snprintf(message + strlen(message), sizeof(message) - strlen(message),
			 " (%u similar suppressed)", ev->suppressed);
	cwd_alert_emit(d->alerts, &a);
}

static void alert_threat(struct daemon *d, const struct cw_event *ev)
{
	struct cwd_threat_text text;
	struct cwd_alert a = {};
	char exe[PATH_MAX];

	fill_flow(d, &a, ev, exe);
	cwd_alert_threat(&a, ev, &text);
	cwd_alert_emit(d->alerts, &a);
}

static void on_event(const struct cw_event *ev, void *arg)
{
	struct daemon *d = arg;
	char message[96];

	switch (ev->type) {
	case CW_EVENT_LEARN:
		if (ev->has_flow)
			learn(d, cwd_state_group_name(d->state, ev->flow.from_group),
			      cwd_state_group_name(d->state, ev->flow.to_group), ev->flow.proto,
			      ev->flow.dport,
			      ev->flow.app <= CW_APP_MAX ? 1ULL << ev->flow.app : 0);
		break;
	case CW_EVENT_VIOLATION:
		if (ev->has_flow)
			alert_flow(d, ev);
		break;
	case CW_EVENT_THREAT:
		if (ev->has_flow)
			alert_threat(d, ev);
		break;
	case CW_EVENT_LOST:
		snprintf(message, sizeof(message), "the kernel's event ring was full: %llu events lost",
			 (unsigned long long)ev->lost);
		alert_daemon(d, "lost", "medium", ev->lost, message);
		d->resync = true;
		break;
	}
}

/* Drops on our event socket so far (netlink counts each overrun there). */
static uint64_t socket_drops(struct daemon *d)
{
	uint32_t mem[SK_MEMINFO_VARS] = {};
	socklen_t len = sizeof(mem);

	if (getsockopt(cw_nl_events_fd(d->events), SOL_SOCKET, SO_MEMINFO, mem, &len))
		return 0;
	return mem[SK_MEMINFO_DROPS];
}

static void read_events(struct daemon *d)
{
	char message[96];
	uint64_t drops;
	int ret = cw_nl_events_read(d->events, on_event, d);

	if (ret != -ENOBUFS) {
		if (ret)
			cwd_log(LOG_WARNING, "reading events: %s", strerror(-ret));
		return;
	}
	drops = socket_drops(d);
	snprintf(message, sizeof(message),
		 "the event socket overran: %llu events lost; resynchronizing",
		 (unsigned long long)(drops - d->socket_drops));
	alert_daemon(d, "lost", "medium", drops - d->socket_drops, message);
	d->socket_drops = drops;
	d->resync = true;
}

static void on_added(const struct cwd_container *c, void *arg)
{
	struct daemon *d = arg;

	cwd_state_container_added(d->state, c);
	cwd_proc_sync(d->proc);
}

static void on_removed(const struct cwd_container *c, void *arg)
{
	struct daemon *d = arg;

	cwd_state_container_removed(d->state, c);
	cwd_proc_sync(d->proc);
}

/* The policy files again; a bad one leaves the policy in force as it is. */
static int reload_rules(struct daemon *d, bool first)
{
	struct cwd_rules *rules;
	char err[1024], message[1100];
	int ret;

	d->reload_due = 0;
	ret = cwd_rules_load(d->cfg.rules_dir, &rules, err, sizeof(err));
	if (!ret) {
		ret = cwd_state_set_rules(d->state, rules, err, sizeof(err));
		if (ret)
			cwd_rules_free(rules);
	}
	if (ret) {
		snprintf(message, sizeof(message), "policy %s: %s", first ? "not loaded" :
			 "not reloaded, the running policy stays in force", err);
		cwd_log(LOG_ERR, "%s", message);
		alert_daemon(d, "policy", "high", 0, message);
		return ret;
	}
	if (!first)
		cwd_log(LOG_NOTICE, "policy loaded from %s", d->cfg.rules_dir);
	if (d->proc)
		cwd_proc_sync(d->proc);
	return 0;
}

static void watch_rules(struct daemon *d)
{
	if (d->rules_watched)
		return;
	if (inotify_add_watch(d->rules_watch, d->cfg.rules_dir,
			      IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
			      IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) >= 0) {
		d->rules_watched = true;
		return;
	}
	cwd_log(LOG_WARNING, "%s: %m; changes are seen on SIGHUP and every %u s",
		d->cfg.rules_dir, d->cfg.resync_interval);
}

static void rules_changed(struct daemon *d)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t len;

	while ((len = read(d->rules_watch, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + len; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
				d->rules_watched = false;
		}
	}
	/* Editors write in several steps: read the files a moment later. */
	d->reload_due = now_s() + 1;
}

/* Everything read again: containers, what the kernel learned, the policy. */
static void resync(struct daemon *d)
{
	char err[512];

	d->resync = false;
	d->next_resync = now_s() + d->cfg.resync_interval;
	watch_rules(d);
	cwd_discovery_scan(d->discovery);
	if (cwd_state_sync(d->state, err, sizeof(err)))
		cwd_log(LOG_ERR, "resync: %s", err);
	/* After the sync: the kernel's group ids name the learned ends. */
	learn_from_kernel(d);
	cwd_proc_sync(d->proc);
}

static void on_tick(struct daemon *d)
{
	uint64_t expirations;
	int64_t now = now_s();

	if (read(d->tick, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		cwd_log(LOG_WARNING, "timer: %m");
	cwd_state_tick(d->state);
	if (d->audit)
		cwd_audit_tick(d->audit);
	cwd_proc_tick(d->proc);
	if (d->reload_due && now >= d->reload_due)
		reload_rules(d, false);
	if (d->cfg.promote && cwd_state_rules(d->state) &&
	    cwd_learned_promote(d->learned, cwd_rules_policy(cwd_state_rules(d->state)), now,
				d->cfg.promote_quiet, d->cfg.promote_to))
		d->learned_due = now;
	if (d->learned_due && now >= d->learned_due)
		save_learned(d);
	if (d->resync || now >= d->next_resync)
		resync(d);
}

static void on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->signals, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			cwd_log(LOG_NOTICE, "SIGHUP: reloading the policy files");
			reload_rules(d, false);
			resync(d);
		} else {
			cwd_log(LOG_NOTICE, "%s: stopping; the module keeps enforcing the policy",
				strsignal(si.ssi_signo));
			d->stop = true;
		}
	}
}

static int add_fd(struct daemon *d, int fd, void (*handler)(struct daemon *d))
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = handler };

	return epoll_ctl(d->epoll, EPOLL_CTL_ADD, fd, &ev);
}

static void on_events_fd(struct daemon *d)
{
	read_events(d);
}

static void on_discovery(struct daemon *d)
{
	cwd_discovery_handle(d->discovery);
}

static void on_audit(struct daemon *d)
{
	cwd_audit_handle(d->audit);
}

/* A process joined a baseline: saved with the learned rules. */
static void process_learned(void *arg)
{
	struct daemon *d = arg;

	if (!d->learned_due)
		d->learned_due = now_s() + d->cfg.learn_interval;
}

/*
 * Process and file events: without them (audit off, or refused) the
 * daemon still does everything else, and says so.
 */
static int start_audit(struct daemon *d)
{
	static const struct cwd_proc_ops ops = { .learned = process_learned };
	char err[512];
	int ret;

	ret = cwd_proc_new(d->cfg.cgroup_root, d->state, d->learned, d->alerts, &ops, d, &d->proc);
	if (ret || !d->cfg.audit)
		return ret;
	ret = cwd_audit_open(&cwd_proc_audit_ops, d->proc, &d->audit, err, sizeof(err));
	if (ret) {
		cwd_log(LOG_WARNING, "no process and file events: %s", err);
		return 0;
	}
	cwd_proc_attach(d->proc, d->audit);
	if (add_fd(d, cwd_audit_fd(d->audit), on_audit)) {
		cwd_log(LOG_ERR, "setting up the event loop: %m");
		return -errno;
	}
	cwd_log(LOG_INFO, "audit: %s", cwd_audit_multicast(d->audit) ?
		"auditd owns the audit socket: reading its multicast group" :
		"reading as the audit daemon");
	return 0;
}

static int run(struct daemon *d)
{
	struct epoll_event ev[8];
	int n, i;

	while (!d->stop) {
		n = epoll_wait(d->epoll, ev, 8, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cwd_log(LOG_ERR, "epoll: %m");
			return 1;
		}
		for (i = 0; i < n && !d->stop; i++)
			((void (*)(struct daemon *))ev[i].data.ptr)(d);
	}
	return 0;
}

/* Everything that can be refused is checked here, before the loop starts. */
static int start(struct daemon *d)
{
	static const struct cwd_discovery_ops ops = { .added = on_added, .removed = on_removed };
	struct itimerspec second = { .it_interval.tv_sec = 1, .it_value.tv_sec = 1 };
	char err[1024];
	sigset_t mask;
	int ret;

	ret = cwd_alerts_open(&d->cfg, &d->alerts, err, sizeof(err));
	if (ret) {
		cwd_log(LOG_ERR, "alerts: %s", err);
		return ret;
	}
	ret = cwd_learned_load(d->cfg.learned_file, &d->learned, err, sizeof(err));
	if (ret) {
		cwd_log(LOG_ERR, "learned rules: %s", err);
		return ret;
	}
	ret = cw_nl_open(&d->nl);
	if (!ret)
		ret = cw_nl_open(&d->events);
	if (ret) {
		cwd_log(LOG_ERR, "%s", ret == -ENOENT ? "the cellwall module is not loaded" :
			strerror(-ret));
		return ret;
	}
	/* Join before reading the kernel, so that nothing falls between. */
	ret = cw_nl_events_join(d->events);
	if (ret) {
		cwd_log(LOG_ERR, "joining the event group: %s", strerror(-ret));
		return ret;
	}
	if (d->cfg.event_buffer &&
	    setsockopt(cw_nl_events_fd(d->events), SOL_SOCKET, SO_RCVBUFFORCE,
		       &d->cfg.event_buffer, sizeof(d->cfg.event_buffer)))
		cwd_log(LOG_WARNING, "event_buffer %u: %m", d->cfg.event_buffer);
	d->socket_drops = socket_drops(d);

	ret = cwd_state_new(d->nl, d->learned, d->cfg.cgroup_root, &d->state);
	if (ret)
		return ret;
	ret = reload_rules(d, true);
	if (ret)
		return ret;
	ret = cwd_discovery_open(&d->cfg, &ops, d, &d->discovery);
	if (ret) {
		cwd_log(LOG_ERR, "discovery under %s: %s", d->cfg.cgroup_root, strerror(-ret));
		return ret;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d->signals = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	d->tick = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	d->rules_watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	d->epoll = epoll_create1(EPOLL_CLOEXEC);
	if (d->signals < 0 || d->tick < 0 || d->rules_watch < 0 || d->epoll < 0 ||
	    timerfd_settime(d->tick, 0, &second, NULL) ||
	    add_fd(d, d->signals, on_signal) || add_fd(d, d->tick, on_tick) ||
	    add_fd(d, d->rules_watch, rules_changed) ||
	    add_fd(d, cw_nl_events_fd(d->events), on_events_fd) ||
	    add_fd(d, cwd_discovery_fd(d->discovery), on_discovery)) {
		cwd_log(LOG_ERR, "setting up the event loop: %m");
		return -errno;
	}
	ret = start_audit(d);
	if (ret)
		return ret;
	/* Every container known before the first comparison with the kernel. */
	watch_rules(d);
	cwd_discovery_scan(d->discovery);
	ret = cwd_state_sync(d->state, err, sizeof(err));
	if (ret) {
		cwd_log(LOG_ERR, "policy not loaded: %s", err);
		return ret;
	}
	learn_from_kernel(d);
	if (d->learned_due)
		save_learned(d);
	d->next_resync = now_s() + d->cfg.resync_interval;
	cwd_log(LOG_NOTICE, "started: policy loaded from %s, %zu learned rules",
		d->cfg.rules_dir, cwd_learned_count(d->learned));
	return 0;
}

static void stop(struct daemon *d)
{
	char err[512];

	if (d->learned && d->learned_due &&
	    cwd_learned_save(d->learned, d->cfg.learned_file, err, sizeof(err)))
		cwd_log(LOG_ERR, "saving learned rules: %s", err);
	cwd_discovery_close(d->discovery);
	/* Our audit rules go at once, whatever else fails. */
	cwd_audit_close(d->audit);
	cwd_proc_free(d->proc);
	cwd_state_free(d->state);
	cwd_learned_free(d->learned);
	cwd_alerts_close(d->alerts);
	cw_nl_close(d->events);
	cw_nl_close(d->nl);
	if (d->epoll >= 0)
		close(d->epoll);
	if (d->rules_watch >= 0)
		close(d->rules_watch);
	if (d->tick >= 0)
		close(d->tick);
	if (d->signals >= 0)
		close(d->signals);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cellwalld [-f] [-d] [-c FILE] [-t]\n"
		"  -f  stay in the foreground, messages on stderr (else syslog)\n"
		"  -d  debug messages too\n"
		"  -c  configuration file (default " DEFAULT_CONFIG ", optional)\n"
		"  -t  check the configuration and the policy files, then exit\n"
		"  -V  print the version\n");
}

int main(int argc, char *argv[])
{
	struct daemon d = { .signals = -1, .tick = -1, .rules_watch = -1, .epoll = -1 };
	const char *config = NULL;
	bool foreground = false, check = false;
	struct cwd_rules *rules;
	char err[1024];
	int opt, ret;

	while ((opt = getopt(argc, argv, "fdc:tVh")) != -1) {
		switch (opt) {
		case 'f':
			foreground = true;
			break;
		case 'd':
			cwd_log_set_debug(true);
			break;
		case 'c':
			config = optarg;
			break;
		case 't':
			check = foreground = true;
			break;
		case 'V':
			printf("cellwalld %s\n", CW_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	cwd_log_open(foreground);
	if (cwd_config_load(config ? config : DEFAULT_CONFIG, !config, &d.cfg, err, sizeof(err))) {
		cwd_log(LOG_ERR, "%s", err);
		return 1;
	}
	if (check) {
		if (cwd_rules_load(d.cfg.rules_dir, &rules, err, sizeof(err))) {
			cwd_log(LOG_ERR, "%s", err);
			return 1;
		}
		cwd_rules_free(rules);
		printf("configuration and policy files are valid\n");
		return 0;
	}
	ret = start(&d);
	if (!ret)
		ret = run(&d);
	stop(&d);
	return ret ? 1 : 0;
}
