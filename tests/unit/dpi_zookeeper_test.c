// SPDX-License-Identifier: GPL-2.0
/*
 * ZooKeeper: ConnectRequests recorded over loopback from kazoo 2.8.0
 * (python3-kazoo, Debian 12) to a socat listener; four-letter words as
 * kazoo's command() and "echo ruok | nc" send them, the answers of a
 * ZooKeeper 3.8 server hand-made from its Administrator's Guide.
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

#define KAZOO_CONNECT							\
	"\x00\x00\x00-\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07\xd0" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00"

TEST(kazoo_connect)
{
	static const struct msg msgs[] = { C(KAZOO_CONNECT "\x00") };
	static const struct msg read_only[] = { C(KAZOO_CONNECT "\x01") };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("zookeeper", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("connect", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
	r = dpi_check_tcp(read_only);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("zookeeper", cw_app_name(r->state.app));
	EXPECT_STREQ("connect", r->info.detail);
}

/* Hand-made: a pre-3.4 client (no readOnly), reconnecting to its session. */
TEST(old_client_reconnects)
{
	static const struct msg msgs[] = {
		C("\x00\x00\x00\x2c\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x2a\x00\x00\x75\x30"
		  "\x01\x00\x00\x1b\x2f\x4c\x00\x00\x00\x00\x00\x10\x5a\x11\x3c\x8e\x21\x07\x99\x12"
		  "\x3a\x51\xc0\x2d\x66\x0e\x4b\x90"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("zookeeper", cw_app_name(r->state.app));
	EXPECT_STREQ("connect", r->info.detail);
}

TEST(four_letter_word_with_newline)
{
	static const struct msg msgs[] = { C("ruok\n"), S("imok") };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("zookeeper", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("ruok", r->info.detail);
}

/* 4 bytes alone: the answer decides, and tells the word. */
TEST(four_letter_word_alone)
{
	static const struct msg ruok[] = { C("ruok"), S("imok") };
	static const struct msg mntr[] = {
		C("mntr"), S("zk_version\t3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c, built on "),
	};
	static const struct msg refused[] = {
		C("stat"), S("stat is not executed because it is not in the whitelist.\n"),
	};
	static const struct msg srvr[] = {
		C("srvr"), S("Zookeeper version: 3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(ruok);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("zookeeper", cw_app_name(r->state.app));
	EXPECT_EQ(2u, r->packets_to_identify);
	EXPECT_STREQ("ruok", r->info.detail);
	r = dpi_check_tcp(mntr);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("mntr", r->info.detail);
	r = dpi_check_tcp(refused);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("stat", r->info.detail);
	r = dpi_check_tcp(srvr);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("srvr", r->info.detail);
}

TEST(hostile)
{
	/* Lengths other than 44/45, a protocolVersion, a timeout of 0, passwd 17. */
	static const struct msg length[] = {
		C("\x00\x00\x00\x2e\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07\xd0"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00"),
	};
	static const struct msg version[] = {
		C("\x00\x00\x00-\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07\xd0"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00"),
	};
	static const struct msg timeout[] = {
		C("\x00\x00\x00-\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00"),
	};
	static const struct msg passwd[] = {
		C("\x00\x00\x00-\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07\xd0"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x11\x00"),
	};
	static const struct msg short_connect[] = { C("\x00\x00\x00-\x00\x00\x00\x00") };
	static const struct msg word_binary[] = { C("ruok"), S("\x00\x01") };
	static const struct msg not_word[] = { C("ruoK\n") };
	static const struct msg server_first[] = { S("ruok\n") };

	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, length));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, version));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, timeout));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, passwd));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, short_connect));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, word_binary));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, not_word));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, server_first));
}

TEST(not_zookeeper)
{
	/* memcached's "stats" and "dump..." start as words do. */
	static const struct msg stats[] = { C("stats\r\n"), S("STAT pid 1234\r\n") };
	static const struct msg kafka[] = {
		C("\x00\x00\x00\x14\x00\x12\x00\x00\x00\x00\x00\x01\x00\norders-svc"),
	};

	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, stats));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, kafka));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, http_get));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, tls_hello));
	EXPECT_FALSE(CLAIMS(CW_APP_ZOOKEEPER, redis_set));
}

TEST_HARNESS_MAIN
