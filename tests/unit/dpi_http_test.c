// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.x: requests of curl 7.88.1 to nginx 1.22.1 (Debian 12) over
 * loopback, recorded with tcpdump; hand-made bytes for the edge cases.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"
#include "dpi/parsers.h"

/* What the HTTP probe alone says of a direction's first bytes. */
static int http_probe(bool client, const char *data, u32 len)
{
	struct cw_dpi d;

	cw_dpi_init(&d, IPPROTO_TCP);
	return cw_dpi_http.probe(&d, client, (const u8 *)data, len);
}

/* curl http://127.0.0.1:47080/index.html?q=1 -H "Host: WWW.Example.COM:47080", then a POST. */
TEST(curl_get_and_post)
{
	static const struct msg msgs[] = {
		C("GET /index.html?q=1 HTTP/1.1\r\n"
		  "Host: WWW.Example.COM:47080\r\n"
		  "User-Agent: curl/7.88.1\r\n"
		  "Accept: */*\r\n"
		  "\r\n"),
		S("HTTP/1.1 200 OK\r\n"
		  "Server: nginx/1.22.1\r\n"
		  "Date: Sun, 29 Nov 2026 01:29:04 GMT\r\n"
		  "Content-Type: text/html\r\n"
		  "Content-Length: 6\r\n"
		  "Connection: keep-alive\r\n"
		  "\r\n"
		  "hello\n"),
	};
	static const struct msg post[] = {
		C("POST /api/v1/items HTTP/1.1\r\n"
		  "Host: localhost:47080\r\n"
		  "User-Agent: curl/7.88.1\r\n"
		  "Accept: */*\r\n"
		  "Content-Length: 3\r\n"
		  "Content-Type: application/x-www-form-urlencoded\r\n"
		  "\r\n"
		  "a=b"),
		S("HTTP/1.1 200 OK\r\n"
		  "Server: nginx/1.22.1\r\n"
		  "Date: Sun, 29 Nov 2026 01:29:04 GMT\r\n"
		  "Content-Type: text/plain\r\n"
		  "Content-Length: 6\r\n"
		  "Connection: keep-alive\r\n"
		  "\r\n"
		  "hello\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("http", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("www.example.com", r->info.name);
	EXPECT_STREQ("GET /index.html", r->info.detail);
	EXPECT_EQ(0, r->info.version);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(post);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("localhost", r->info.name);
	EXPECT_STREQ("POST /api/v1/items", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/*
 * curl -x http://127.0.0.1:47080 "http://Shop.Example.org:8080/cart?id=7": the absolute
 * form, of which detail keeps the path only.
 */
TEST(curl_through_a_proxy)
{
	static const struct msg msgs[] = {
		C("GET http://Shop.Example.org:8080/cart?id=7 HTTP/1.1\r\n"
		  "Host: Shop.Example.org:8080\r\n"
		  "User-Agent: curl/7.88.1\r\n"
		  "Accept: */*\r\n"
		  "Proxy-Connection: Keep-Alive\r\n"
		  "\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP, r->state.app);
	EXPECT_STREQ("shop.example.org", r->info.name);
	EXPECT_STREQ("GET /cart", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* Hand-made: Host after long headers, in odd case, in a second packet. */
TEST(host_after_long_headers)
{
	static const struct msg msgs[] = {
		C("OPTIONS * HTTP/1.1\r\n"
		  "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0\r\n"
		  "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
		  "X-Host: decoy.example\r\n"
		  "Hostname: decoy2.example\r\n"),
		C("hOsT:\t API.Internal.Example \r\n"
		  "Host: second.example\r\n"
		  "\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("api.internal.example", r->info.name);
	EXPECT_STREQ("OPTIONS *", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* Hand-made: IPv6 literal, bare LF line ends, CONNECT, no Host at all. */
TEST(other_forms)
{
	static const struct msg v6[] = { C("PUT /f HTTP/1.1\nHost: [2001:DB8::1]:8080\n\n") };
	static const struct msg connect[] = {
		C("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
	};
	static const struct msg v10[] = { C("HEAD /a/b HTTP/1.0\r\n\r\n") };
	const struct dpi_result *r;

	r = dpi_check_tcp(v6);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("2001:db8::1", r->info.name);
	EXPECT_STREQ("PUT /f", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(connect);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP, r->state.app);
	EXPECT_STREQ("example.com", r->info.name);
	EXPECT_STREQ("CONNECT example.com:443", r->info.detail);

	r = dpi_check_tcp(v10);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP, r->state.app);
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("HEAD /a/b", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* A long path and a long Host are cut to fit, without harm. */
TEST(long_fields_are_truncated)
{
	static const struct msg msgs[] = {
		C("GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  " HTTP/1.1\r\nHost: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.example"
		  "\r\n\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP, r->state.app);
	EXPECT_EQ(CW_DPI_NAME_LEN - 1, r->info.name_len);
	EXPECT_EQ(1, r->info.truncated);
	EXPECT_EQ(CW_DPI_DETAIL_LEN - 1, r->info.detail_len);
	EXPECT_EQ(0, strncmp(r->info.detail, "GET /aaaa", 9));
}

TEST(truncated_and_hostile)
{
	/* A request cut short: identified, nothing more to read. */
	static const struct msg cut[] = { C("GET /x HTTP/1.1\r\nHo") };
	static const struct msg method_only[] = { C("GET") };
	static const struct msg no_space[] = { C("GETX / HTTP/1.1\r\n\r\n") };
	static const struct msg lower[] = { C("get / HTTP/1.1\r\n\r\n") };
	static const struct msg garbage[] = { C("\x00\xff\r\n\r\nGET / HTTP/1.1\r\n\r\n") };
	static const struct msg no_target[] = { C("GET  HTTP/1.1\r\n\r\n") };
	static const struct msg server_first[] = {
		S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
		C("GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(cut);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP, r->state.app);
	EXPECT_STREQ("GET /x", r->info.detail);
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_INSPECTING, r->state.status);

	EXPECT_NE(CW_APP_HTTP, dpi_check_tcp(method_only)->state.app);
	EXPECT_NE(CW_APP_HTTP, dpi_check_tcp(no_space)->state.app);
	EXPECT_NE(CW_APP_HTTP, dpi_check_tcp(lower)->state.app);
	EXPECT_NE(CW_APP_HTTP, dpi_check_tcp(garbage)->state.app);
	EXPECT_NE(CW_APP_HTTP, dpi_check_tcp(no_target)->state.app);
	EXPECT_NE(CW_APP_HTTP, dpi_check_tcp(server_first)->state.app);

	EXPECT_EQ(CW_DPI_MORE, http_probe(true, "GE", 2));
	EXPECT_EQ(CW_DPI_MORE, http_probe(true, "GET http:/", 10));
	EXPECT_EQ(CW_DPI_NO, http_probe(true, "GET ftp://x/ HTTP/1.1\r\n", 23));
	EXPECT_EQ(CW_DPI_NO, http_probe(false, "GET / HTTP/1.1\r\n", 16));
}

/* Others' first bytes: HTTP must not claim them. */
TEST(not_http)
{
	/* RFC 2326 §10.1 and RFC 3261 §11 requests: RTSP's and SIP's OPTIONS. */
	static const char rtsp[] = "OPTIONS rtsp://media.example.com/movie RTSP/1.0\r\nCSeq: 1\r\n\r\n";
	static const char sip[] = "OPTIONS sip:carol@chicago.com SIP/2.0\r\n";
	/* HTTP/2's preface (curl 7.88.1 --http2-prior-knowledge). */
	static const char h2[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	/* redis-cli 7.0.15: SET greeting hello. */
	static const char redis[] = "*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n";
	/* The first 64 bytes of curl 7.88.1's TLS ClientHello. */
	static const char tls[] =
		"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xfc\x01\x98_9\xb5)\x92\xb7"
		"e\x02\xc7\x9b?\xc3\x91\xcdMQ\x91M\x19\xb1\xab\x97y\x15\x9b\x1f\xf7\xe7\xab"
		" \xabQ\xc5\xd8\xd7" "C\x99:1\x13)\x03\x13" "4\xc5\xd4-\x0c\xf8T";
	/* OpenSSH 9.2's banner. */
	static const char ssh[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
	static const struct msg rtsp_msgs[] = { C(rtsp) };
	static const struct msg sip_msgs[] = { C(sip) };

	EXPECT_EQ(CW_DPI_NO, http_probe(true, rtsp, sizeof(rtsp) - 1));
	EXPECT_EQ(CW_DPI_NO, http_probe(true, sip, sizeof(sip) - 1));
	EXPECT_EQ(CW_DPI_NO, http_probe(true, h2, sizeof(h2) - 1));
	EXPECT_EQ(CW_DPI_NO, http_probe(true, redis, sizeof(redis) - 1));
	EXPECT_EQ(CW_DPI_NO, http_probe(true, tls, sizeof(tls) - 1));
	EXPECT_EQ(CW_DPI_NO, http_probe(true, ssh, sizeof(ssh) - 1));
	EXPECT_NE(CW_APP_HTTP, dpi_check_tcp(rtsp_msgs)->state.app);
	EXPECT_NE(CW_APP_HTTP, dpi_check_tcp(sip_msgs)->state.app);
}

TEST_HARNESS_MAIN
