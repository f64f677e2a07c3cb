// SPDX-License-Identifier: GPL-2.0
/*
 * cellwalld: alerts, to syslog, to a collector (RFC 5424) and to a
 * JSON-lines file.
 *
 * An alert is a list of fields, each `key=value` in the key=value format
 * and a member of one object in JSON; both formats use the same keys in
 * the same order. Absent fields are left out (a NULL or empty string, a
 * zero id, no flow).
 *
 *   time              when it happened, UTC: 2026-11-28T17:37:31.123Z
 *   type              violation, threat, lost, ...
 *   severity          critical, high, medium, low, info
 *   action            allowed, dropped
 *   host              the node's host name
 *   from_workload     the sending workload's name: web1
 *   from_workload_id  its id in the module: 1
 *   from_container    its container's runtime id: 4f1c9e0b2a7d
 *   from_group        its group: web
 *   to_workload, to_workload_id, to_container, to_group
 *                     the same for the receiving end
 *   proto             tcp, udp, icmp, icmpv6, or the protocol's number
 *   src, dst          addresses: 10.0.0.1, fd00::1
 *   sport, dport      ports (tcp and udp only, when known): 40000, 5432
 *   app               the application protocol found: http
 *   app_attr          its key attribute: the HTTP host, TLS SNI, DNS name or
 *                     database user: shop.example.com
 *   app_detail        more of it: "GET /path", the ALPN protocols, db=NAME,
 *                     the SSH client's banner
 *   rule              the rule's id: 4
 *   reason            why a violation is one, when the rule alone does not
 *                     say: "application mismatch" (the port's rules are for
 *                     other applications)
 *   threat            the threat's name: http_sql_injection
 *   pid, comm         the process: 321, psql
 *   exe               its executable, as the container sees it: /usr/bin/psql
 *   ppid, uid         process alerts: its parent and real user: 300, 0
 *   argv              process alerts: its arguments, cut at 255 bytes: "nc -l -p 4444"
 *   cwd               process alerts: its working directory: /srv
 *   op, path          file alerts: what was done (write, create, delete,
 *                     rename, attr) to which path, in the container: /etc/passwd
 *   old_path          a rename's old name
 *   lost              how many events the module could not deliver
 *   packet            a threat's offending packet, its first bytes from the
 *                     IP header in lowercase hex: 4500003c1c46...
 *   msg               what happened, in a few words
 *
 * Process and file alerts (types process and file) name the container
 * where it happened as the from_ end.
 *
 * key=value quotes a value holding a space, '"' or '=' with '"', and
 * escapes '"' and '\' inside the quotes with '\'; control characters
 * print as '?'. JSON numbers are numbers. For example:
 *
 *   time=2026-11-28T17:37:31.123Z type=violation severity=high action=dropped
 *   host=node1 from_workload=web1 from_workload_id=1 from_container=4f1c9e0b2a7d
 *   from_group=web to_workload=db1 to_workload_id=2 to_container=9b8e7d6c5f4a
 *   to_group=db proto=tcp src=10.0.0.1 sport=40000 dst=10.0.0.2 dport=5432
 *   rule=4 pid=321 comm=psql msg="no rule allows web -> db"
 *
 *   {"time":"2026-11-28T17:37:31.123Z","type":"violation","severity":"high",
 *   "action":"dropped","host":"node1","from_workload":"web1",
 *   "from_workload_id":1,"from_container":"4f1c9e0b2a7d","from_group":"web",
 *   "to_workload":"db1","to_workload_id":2,"to_container":"9b8e7d6c5f4a",
 *   "to_group":"db","proto":"tcp","src":"10.0.0.1","sport":40000,
 *   "dst":"10.0.0.2","dport":5432,"rule":4,"pid":321,"comm":"psql",
 *   "msg":"no rule allows web -> db"}
 *
 *   time=2026-11-28T17:37:31.000Z type=lost severity=medium host=node1 lost=42
 *   msg="events lost"
 *
 * (each one line). Syslog gets the configured format at facility|severity;
 * the collector the same body after an RFC 5424 header:
 *
 *   <131>1 2026-11-28T17:37:31.123456Z node1 cellwalld 812 ALERT - time=...
 *
 * one per datagram over UDP, as "LENGTH SP MESSAGE" over TCP (RFC 6587).
 * The JSON-lines file gets JSON whatever the format.
 */

#include "cellwalld.h"
#include "cwformat.h"
#include "cwpolicy.h"
#include "threat/threat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define ALERT_MAX	8192		/* one rendered alert; messages are short */
#define FWD_QUEUE	(64 * 1024)	/* TCP frames waiting for the collector */
#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	32000
#define DROPS_EVERY_MS	60000		/* how often dropped alerts are reported */

struct cwd_alerts {
	bool syslog;
	int facility;
	enum cwd_alert_format format;
	char host[HOST_NAME_MAX + 1];	/* for the RFC 5424 header; "-" if none */

	enum cwd_forward_proto fwd;
	char fwd_name[300];		/* "host:port", for messages */
	struct sockaddr_storage fwd_addr;
	socklen_t fwd_addrlen;
	int fwd_fd;			/* UDP: from open; TCP: -1 when not connected */
	bool fwd_failing;		/* the failure is logged already */
	uint64_t fwd_retry;		/* TCP: no connect before (CLOCK_MONOTONIC ms) */
	unsigned int fwd_backoff;	/* ms; 0 after a send went through */
	uint64_t dropped, dropped_told, drops_next;
	/* Whole frames; the first @sent bytes are with the kernel already. */
	size_t queued, sent;
	char queue[FWD_QUEUE];

	char json_path[sizeof(((struct cwd_config *)0)->json_file)];
	int json_fd;
	dev_t json_dev;
	ino_t json_ino;
	bool json_failing;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* Rendering: fields() names every field once, for both formats. */

struct sink {
	enum cwd_alert_format format;
	json_t *obj;
	char *buf;
	size_t len;
	size_t pos;	/* goes past @len: the length it would take */
};

static void kv_put(struct sink *s, const char *p, size_t n)
{
	if (s->pos + n < s->len)
		memcpy(s->buf + s->pos, p, n);
	s->pos += n;
}

static void kv_key(struct sink *s, const char *key)
{
	if (s->pos)
		kv_put(s, " ", 1);
	kv_put(s, key, strlen(key));
	kv_put(s, "=", 1);
}

static void kv_value(struct sink *s, const char *v)
{
	bool quote = v[strcspn(v, " \"=")] != '\0';
	char c;

	if (quote)
		kv_put(s, "\"", 1);
	for (; *v; v++) {
		c = *v;
		/* One alert, one line, whatever a name or a comm holds. */
		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = '?';
		else if (quote && (c == '"' || c == '\\'))
			kv_put(s, "\\", 1);
		kv_put(s, &c, 1);
	}
	if (quote)
		kv_put(s, "\"", 1);
}

static void put_str(struct sink *s, const char *key, const char *v)
{
	if (!v || !*v)
		return;
	if (s->format == CWD_FORMAT_JSON) {
		/* A comm, a label or a host name from a packet may not be UTF-8. */
		json_object_set_new(s->obj, key, cw_json_text(v));
	} else {
		kv_key(s, key);
		kv_value(s, v);
	}
}

static void put_num(struct sink *s, const char *key, uint64_t v)
{
	char num[24];

	if (s->format == CWD_FORMAT_JSON) {
		json_object_set_new(s->obj, key, json_integer((json_int_t)v));
	} else {
		kv_key(s, key);
		kv_put(s, num, snprintf(num, sizeof(num), "%" PRIu64, v));
	}
}

static void put_end(struct sink *s, const char *side, const struct cwd_alert_end *e)
{
	char key[32];

	snprintf(key, sizeof(key), "%s_workload", side);
	put_str(s, key, e->workload_name);
	if (e->workload) {
		snprintf(key, sizeof(key), "%s_workload_id", side);
		put_num(s, key, e->workload);
	}
	snprintf(key, sizeof(key), "%s_container", side);
	put_str(s, key, e->container_id);
	snprintf(key, sizeof(key), "%s_group", side);
	put_str(s, key, e->group);
}

static void put_addr(struct sink *s, const char *key, uint8_t family, const uint8_t *addr)
{
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(family, addr, text, sizeof(text)))
		put_str(s, key, text);
}

static void fields(struct sink *s, const struct cwd_alert *a)
{
	char when[40], host[HOST_NAME_MAX + 1], num[8];
	bool ports;

	cw_time_format(a->time_ns, when, sizeof(when));
	put_str(s, "time", when);
	put_str(s, "type", a->type);
	put_str(s, "severity", a->severity);
	put_str(s, "action", a->action);
	/* Each time: the host may be renamed while the daemon runs. */
	if (!gethostname(host, sizeof(host) - 1)) {
		host[sizeof(host) - 1] = '\0';
		put_str(s, "host", host);
	}
	put_end(s, "from", &a->from);
	put_end(s, "to", &a->to);
	if (a->has_flow) {
		/*
		 * The module keeps the ICMP echo id in the ports: not a port. A
		 * threat in a fragment after the first has none (0 both).
		 */
		ports = (a->proto == IPPROTO_TCP || a->proto == IPPROTO_UDP ||
			 a->proto == IPPROTO_UDPLITE) && (a->sport || a->dport);
		put_str(s, "proto", cw_proto_name(a->proto, num, sizeof(num)));
		put_addr(s, "src", a->family, a->src);
		if (ports)
			put_num(s, "sport", a->sport);
		put_addr(s, "dst", a->family, a->dst);
		if (ports)
			put_num(s, "dport", a->dport);
	}
	put_str(s, "app", a->app);
	put_str(s, "app_attr", a->app_attr);
	put_str(s, "app_detail", a->app_detail);
	if (a->rule)
		put_num(s, "rule", a->rule);
	put_str(s, "reason", a->reason);
	put_str(s, "threat", a->threat);
	if (a->pid)
		put_num(s, "pid", a->pid);
	put_str(s, "comm", a->comm);
	put_str(s, "exe", a->exe);
	if (a->ppid)
		put_num(s, "ppid", a->ppid);
	if (a->has_uid)
		put_num(s, "uid", a->uid);
	put_str(s, "argv", a->argv);
	put_str(s, "cwd", a->cwd);
	put_str(s, "op", a->op);
	put_str(s, "path", a->path);
	put_str(s, "old_path", a->old_path);
	if (a->lost)
		put_num(s, "lost", a->lost);
	put_str(s, "packet", a->packet);
	put_str(s, "msg", a->message);
}

void cwd_alert_threat(struct cwd_alert *a, const struct cw_event *ev, struct cwd_threat_text *t)
{
	const char *name = cw_threat_label(ev->threat, t->name, sizeof(t->name));

	a->type = "threat";
	a->severity = cw_severity_name(ev->severity);
	a->action = ev->flow.verdict == CW_ACTION_DENY ? "dropped" : "allowed";
	a->threat = name;
	cw_hex_format(ev->packet, ev->packet_len, t->packet, sizeof(t->packet));
	a->packet = t->packet;
	if (cw_threat_name(ev->threat))
		snprintf(t->message, sizeof(t->message), "%s", cw_threat_defs[ev->threat].summary);
	else
		snprintf(t->message, sizeof(t->message), "threat %s", name);
	if (ev->suppressed)
		snprintf(t->message + strlen(t->message), sizeof(t->message) - strlen(t->message),
			 " (%u similar suppressed)", ev->suppressed);
	a->message = t->message;
}

int cwd_alert_format(const struct cwd_alert *alert, enum cwd_alert_format format,
		     char *buf, size_t len)
{
	struct sink s = { .format = format, .buf = buf, .len = len };

	if (format == CWD_FORMAT_JSON) {
		s.obj = json_object();
		if (!s.obj)
			return -ENOMEM;
		fields(&s, alert);
		s.pos = json_dumpb(s.obj, buf, len, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(s.obj);
		if (!s.pos)
			return -ENOMEM;
	} else {
		fields(&s, alert);
	}
	if (s.pos >= len || s.pos > INT_MAX)
		return -ENOSPC;
	buf[s.pos] = '\0';
	return s.pos;
}

static int severity_prio(const char *severity)
{
	static const struct {
		const char *name;
		int prio;
	} map[] = {
		{ "critical", LOG_CRIT },
		{ "high", LOG_ERR },
		{ "medium", LOG_WARNING },
		{ "low", LOG_NOTICE },
		{ "info", LOG_INFO },
	};
	size_t i;

	for (i = 0; severity && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(severity, map[i].name))
			return map[i].prio;
	return LOG_WARNING;
}

/* An output failed: say so once, not for every alert until it recovers. */
static void trouble(bool *failing, const char *what, const char *name, int err)
{
	if (!*failing)
		cwd_log(LOG_WARNING, "%s %s: %s", what, name, strerror(err));
	*failing = true;
}

static void recovered(bool *failing, const char *what, const char *name)
{
	if (*failing)
		cwd_log(LOG_NOTICE, "%s %s: working again", what, name);
	*failing = false;
}

/* The forward to a collector. */

static void report_drops(struct cwd_alerts *a, bool now)
{
	uint64_t t = now_ms();

	if (a->dropped == a->dropped_told || (!now && t < a->drops_next))
		return;
	cwd_log(LOG_WARNING, "forward %s: alerts dropped: %" PRIu64
		" (the collector is slow or away)", a->fwd_name, a->dropped - a->dropped_told);
	a->dropped_told = a->dropped;
	a->drops_next = t + DROPS_EVERY_MS;
}

/* A frame's whole size, from its "LENGTH SP" prefix. */
static size_t frame_size(const char *p)
{
	size_t n = 0, i;

	for (i = 0; p[i] != ' '; i++)
		n = n * 10 + (p[i] - '0');
	return i + 1 + n;
}

static void queue_drop(struct cwd_alerts *a, size_t bytes)
{
	memmove(a->queue, a->queue + bytes, a->queued - bytes);
	a->queued -= bytes;
	a->sent -= bytes < a->sent ? bytes : a->sent;
}

/* Forgets the frames the kernel took whole. */
static void queue_trim(struct cwd_alerts *a)
{
	size_t off = 0, f;

	while (off < a->queued && off + (f = frame_size(a->queue + off)) <= a->sent)
		off += f;
	queue_drop(a, off);
}

static void tcp_failed(struct cwd_alerts *a, int err)
{
	if (a->fwd_fd >= 0) {
		close(a->fwd_fd);
		a->fwd_fd = -1;
	}
	queue_trim(a);
	/* The collector got the start of this frame: the next connection must not. */
	if (a->sent) {
		queue_drop(a, frame_size(a->queue));
		a->dropped++;
	}
	a->fwd_backoff = a->fwd_backoff ? a->fwd_backoff * 2 : BACKOFF_MIN_MS;
	if (a->fwd_backoff > BACKOFF_MAX_MS)
		a->fwd_backoff = BACKOFF_MAX_MS;
	a->fwd_retry = now_ms() + a->fwd_backoff;
	trouble(&a->fwd_failing, "forward", a->fwd_name, err);
}

static int tcp_connect(struct cwd_alerts *a)
{
	int fd, err;

	fd = socket(a->fwd_addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&a->fwd_addr, a->fwd_addrlen) && errno != EINPROGRESS) {
		err = errno;
		close(fd);
		return err;
	}
	a->fwd_fd = fd;
	return 0;
}

/* Sends what the socket takes now; the rest waits for the next alert. */
static void tcp_flush(struct cwd_alerts *a)
{
	ssize_t n;
	int err;

	if (a->fwd_fd < 0) {
		if (!a->queued || now_ms() < a->fwd_retry)
			return;
		err = tcp_connect(a);
		if (err) {
			tcp_failed(a, err);
			return;
		}
	}
	while (a->sent < a->queued) {
		/* While connecting, this is EAGAIN too. */
		n = send(a->fwd_fd, a->queue + a->sent, a->queued - a->sent,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				break;
			tcp_failed(a, errno);
			return;
		}
		a->sent += n;
		a->fwd_backoff = 0;
		recovered(&a->fwd_failing, "forward", a->fwd_name);
	}
	queue_trim(a);
}

static void tcp_queue(struct cwd_alerts *a, const char *msg, size_t len)
{
	char prefix[24];
	size_t plen = snprintf(prefix, sizeof(prefix), "%zu ", len);

	if (a->queued + plen + len > sizeof(a->queue))
		tcp_flush(a);
	if (a->queued + plen + len > sizeof(a->queue)) {
		/* Never wait for a slow collector. */
		a->dropped++;
	} else {
		memcpy(a->queue + a->queued, prefix, plen);
		memcpy(a->queue + a->queued + plen, msg, len);
		a->queued += plen + len;
	}
	tcp_flush(a);
}

static void udp_send(struct cwd_alerts *a, const char *msg, size_t len)
{
	if (sendto(a->fwd_fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL,
		   (struct sockaddr *)&a->fwd_addr, a->fwd_addrlen) >= 0) {
		recovered(&a->fwd_failing, "forward", a->fwd_name);
		return;
	}
	a->dropped++;
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS)
		trouble(&a->fwd_failing, "forward", a->fwd_name, errno);
}

/* RFC 3339 with microseconds, for the RFC 5424 header. */
static void time_us(uint64_t ns, char *buf, size_t len)
{
	time_t secs = ns / 1000000000;
	char date[32];
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06uZ", date, (unsigned int)(ns % 1000000000 / 1000));
}

static void forward(struct cwd_alerts *a, const struct cwd_alert *alert, int prio,
		    const char *body)
{
	char line[ALERT_MAX + 256], when[40];
	int n;

	time_us(alert->time_ns, when, sizeof(when));
	/* @line has room for the header and any body. */
	n = snprintf(line, sizeof(line), "<%d>1 %s %s cellwalld %d ALERT - %s",
		     a->facility | prio, when, a->host, (int)getpid(), body);
	if (a->fwd == CWD_FORWARD_TCP)
		tcp_queue(a, line, n);
	else
		udp_send(a, line, n);
}

static int forward_open(struct cwd_alerts *a, const struct cwd_config *cfg,
			char *err, size_t errlen)
{
	struct addrinfo hints = {
		.ai_socktype = cfg->forward == CWD_FORWARD_TCP ? SOCK_STREAM : SOCK_DGRAM,
	};
	struct addrinfo *res;
	int ret;

	snprintf(a->fwd_name, sizeof(a->fwd_name), strchr(cfg->forward_host, ':') ?
		 "[%s]:%s" : "%s:%s", cfg->forward_host, cfg->forward_port);
	if (!cfg->forward_host[0] || !cfg->forward_port[0]) {
		snprintf(err, errlen, "forward needs forward_host and forward_port");
		return -EINVAL;
	}
	ret = getaddrinfo(cfg->forward_host, cfg->forward_port, &hints, &res);
	if (ret) {
		snprintf(err, errlen, "forward %s: %s", a->fwd_name,
			 ret == EAI_SYSTEM ? strerror(errno) : gai_strerror(ret));
		return -EINVAL;
	}
	memcpy(&a->fwd_addr, res->ai_addr, res->ai_addrlen);
	a->fwd_addrlen = res->ai_addrlen;
	freeaddrinfo(res);

	if (cfg->forward == CWD_FORWARD_UDP) {
		a->fwd_fd = socket(a->fwd_addr.ss_family,
				   SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (a->fwd_fd < 0) {
			ret = -errno;
			snprintf(err, errlen, "forward %s: %s", a->fwd_name, strerror(-ret));
			return ret;
		}
	}
	/* TCP connects with the first alert: the collector may start later. */
	return 0;
}

/* The JSON-lines file. */

static int json_file_open(struct cwd_alerts *a)
{
	struct stat st;
	int fd, err;

	fd = open(a->json_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	a->json_fd = fd;
	a->json_dev = st.st_dev;
	a->json_ino = st.st_ino;
	return 0;
}

static void json_file_write(struct cwd_alerts *a, const char *line, size_t len)
{
	struct stat st;
	ssize_t n;
	int err;

	/* Rotated (renamed or removed): the next line starts a new file. */
	if (a->json_fd >= 0 && (stat(a->json_path, &st) || st.st_dev != a->json_dev ||
				st.st_ino != a->json_ino)) {
		close(a->json_fd);
		a->json_fd = -1;
	}
	if (a->json_fd < 0) {
		err = json_file_open(a);
		if (err) {
			trouble(&a->json_failing, "json_file", a->json_path, -err);
			return;
		}
	}
	n = write(a->json_fd, line, len);
	if (n != (ssize_t)len) {
		trouble(&a->json_failing, "json_file", a->json_path, n < 0 ? errno : ENOSPC);
		/* Opened again with the next alert. */
		close(a->json_fd);
		a->json_fd = -1;
		return;
	}
	recovered(&a->json_failing, "json_file", a->json_path);
}

int cwd_alerts_open(const struct cwd_config *cfg, struct cwd_alerts **out,
		    char *err, size_t errlen)
{
	struct cwd_alerts *a;
	int ret;

	a = calloc(1, sizeof(*a));
	if (!a) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	a->syslog = cfg->syslog;
	a->facility = cfg->facility;
	a->format = cfg->format;
	a->fwd = cfg->forward;
	a->fwd_fd = -1;
	a->json_fd = -1;
	if (gethostname(a->host, sizeof(a->host) - 1) || !a->host[0])
		strcpy(a->host, "-");

	if (a->fwd != CWD_FORWARD_NONE) {
		ret = forward_open(a, cfg, err, errlen);
		if (ret)
			goto fail;
	}
	snprintf(a->json_path, sizeof(a->json_path), "%s", cfg->json_file);
	if (a->json_path[0]) {
		ret = json_file_open(a);
		if (ret) {
			snprintf(err, errlen, "json_file %s: %s", a->json_path, strerror(-ret));
			goto fail;
		}
	}
	/* The ident and the pid even when log.c writes to stderr. */
	if (a->syslog)
		openlog("cellwalld", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	*out = a;
	return 0;

fail:
	cwd_alerts_close(a);
	return ret;
}

void cwd_alerts_close(struct cwd_alerts *a)
{
	size_t off;

	if (!a)
		return;
	if (a->fwd == CWD_FORWARD_TCP) {
		tcp_flush(a);
		for (off = 0; off < a->queued; off += frame_size(a->queue + off))
			a->dropped++;
	}
	if (a->fwd != CWD_FORWARD_NONE)
		report_drops(a, true);
	if (a->fwd_fd >= 0)
		close(a->fwd_fd);
	if (a->json_fd >= 0)
		close(a->json_fd);
	free(a);
}

static int render(const struct cwd_alert *alert, enum cwd_alert_format format,
		  char *buf, size_t len)
{
	int n = cwd_alert_format(alert, format, buf, len);

	if (n < 0)
		cwd_log(LOG_ERR, "alert (type %s) not written: %s", alert->type ?: "-",
			n == -ENOSPC ? "too long" : strerror(-n));
	return n;
}

void cwd_alert_emit(struct cwd_alerts *a, const struct cwd_alert *alert)
{
	char body[ALERT_MAX];
	struct cwd_alert stamped;
	struct timespec ts;
	int n;

	/* The alerts the daemon raises itself may leave the time to us. */
	if (!alert->time_ns) {
		clock_gettime(CLOCK_REALTIME, &ts);
		stamped = *alert;
		stamped.time_ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
		alert = &stamped;
	}
	if (a->syslog || a->fwd != CWD_FORWARD_NONE) {
		n = render(alert, a->format, body, sizeof(body));
		if (n >= 0 && a->syslog)
			syslog(a->facility | severity_prio(alert->severity), "%s", body);
		if (n >= 0 && a->fwd != CWD_FORWARD_NONE)
			forward(a, alert, severity_prio(alert->severity), body);
	}
	if (a->json_path[0]) {
		/* Room for the newline. */
		n = render(alert, CWD_FORMAT_JSON, body, sizeof(body) - 1);
		if (n >= 0) {
			body[n] = '\n';
			json_file_write(a, body, n + 1);
		}
	}
	if (a->fwd != CWD_FORWARD_NONE)
		report_drops(a, false);
}
