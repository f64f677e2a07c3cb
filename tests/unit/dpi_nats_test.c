// SPDX-License-Identifier: GPL-2.0
/*
 * NATS: the INFO of nats-server 2.9.10 (Debian 12) recorded over loopback;
 * no NATS client is packaged, so the CONNECT is hand-made as nats.go
 * sends it (NATS client protocol docs) and sent with socat.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

/*
 * The first payloads of other protocols, from the clients of Debian 12:
 * curl 7.88.1 (HTTP), openssl s_client 3.0.19 (TLS 1.2 ClientHello),
 * redis-cli 7.0.15.
 */
static const struct msg http_get[] = {
	C("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:18080\r\nUser-Agent: curl/7.88.1\r\n"
	  "Accept: */*\r\n\r\n"),
};
static const struct msg tls_hello[] = {
	C("\x16\x03\x01\x00\xce\x01\x00\x00\xca\x03\x03\x0el\xf2""Cs\xe3"
	  "9u_\x00#\x17""6\xb7,\\'\xf0\x08\x0en\x07X\xe1\xb9\x0c\xe5\xa9\x8eg.\xfb\x00"
	  "\x00""8\xc0,\xc0""0\x00\x9f\xcc\xa9\xcc\xa8\xcc\xaa\xc0+\xc0/\x00\x9e\xc0$"
	  "\xc0(\x00k\xc0#\xc0'\x00g\xc0\n\xc0\x14\x00""9\xc0\x09\xc0\x13\x00"
	  "3\x00\x9d\x00\x9c\x00=\x00<\x00""5\x00/\x00\xff\x01\x00\x00i\x00\x00\x00\x13"
	  "\x00\x11\x00\x00\x0e""db.example.org\x00\x0b\x00\x04\x03\x00\x01\x02\x00\n"
	  "\x00\x0c\x00\n\x00\x1d\x00\x17\x00\x1e\x00\x19\x00\x18\x00#\x00\x00\x00\x16"
	  "\x00\x00\x00\x17\x00\x00\x00\r\x00*\x00(\x04\x03\x05\x03\x06\x03\x08\x07\x08"
	  "\x08\x08\x09\x08\n\x08\x0b\x08\x04\x08\x05\x08\x06\x04\x01\x05\x01\x06\x01"
	  "\x03\x03\x03\x01\x03\x02\x04\x02\x05\x02\x06\x02"),
};
static const struct msg redis_set[] = {
	C("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"),
};

TEST(nats_server_and_client)
{
	static const struct msg msgs[] = {
		S("INFO {\"server_id\":\"NDW5Q3UBJNJAJQSV6NFLIYLJSZR4RJRZ2PSWNYIOTE2RHYPZD3HZAFU6\","
		  "\"server_name\":\"NDW5Q3UBJNJAJQSV6NFLIYLJSZR4RJRZ2PSWNYIOTE2RHYPZD3HZAFU6\","
		  "\"version\":\"2.9.10\",\"proto\":1,\"go\":\"go1.19.8\",\"host\":\"127.0.0.1\","
		  "\"port\":14222,\"headers\":true,\"max_payload\":1048576,\"client_id\":4,"
		  "\"client_ip\":\"127.0.0.1\"} \r\n"),
		C("CONNECT {\"verbose\":false,\"pedantic\":false,\"tls_required\":false,"
		  "\"name\":\"cw-test\",\"lang\":\"go\",\"version\":\"1.28.0\",\"protocol\":1,"
		  "\"echo\":true,\"headers\":true,\"no_responders\":true}\r\nPING\r\n"),
		S("PONG\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("nats", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("2.9.10", r->info.detail);
	EXPECT_STREQ("cw-test", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* A flow whose INFO was not seen: the client's CONNECT, no name. */
TEST(connect_alone)
{
	static const struct msg msgs[] = {
		C("CONNECT {\"verbose\":false,\"lang\":\"go\",\"version\":\"1.28.0\"}\r\n"),
		S("+OK\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("nats", cw_app_name(r->state.app));
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("", r->info.detail);
}

TEST(not_nats)
{
	static const struct msg http_connect[] = {
		C("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n"),
	};
	static const struct msg no_brace[] = { S("INFO server ready\r\n") };
	static const struct msg no_space[] = { S("INFO{\"version\":\"2.9.10\"}\r\n") };
	static const struct msg short_info[] = { S("INFO ") };
	static const struct msg info_second[] = { C("PING\r\n"), S("INFO {}\r\n") };

	EXPECT_FALSE(CLAIMS(CW_APP_NATS, http_connect));
	EXPECT_FALSE(CLAIMS(CW_APP_NATS, no_brace));
	EXPECT_FALSE(CLAIMS(CW_APP_NATS, no_space));
	EXPECT_FALSE(CLAIMS(CW_APP_NATS, short_info));
	EXPECT_FALSE(CLAIMS(CW_APP_NATS, info_second));
	EXPECT_FALSE(CLAIMS(CW_APP_NATS, http_get));
	EXPECT_FALSE(CLAIMS(CW_APP_NATS, tls_hello));
	EXPECT_FALSE(CLAIMS(CW_APP_NATS, redis_set));
}

TEST_HARNESS_MAIN
