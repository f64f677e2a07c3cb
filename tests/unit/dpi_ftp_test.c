// SPDX-License-Identifier: GPL-2.0
/*
 * FTP: recorded over loopback from curl 7.88.1 to pyftpdlib 1.5.7
 * (python3-pyftpdlib, Debian 12), with its own banner and with the banner
 * set to "Service ready."; other greetings hand-made.
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

TEST(curl_to_pyftpdlib)
{
	static const struct msg msgs[] = {
		S("220 pyftpdlib 1.5.7 ready.\r\n"),
		C("USER carol\r\n"),
		S("331 Username ok, send password.\r\n"),
		C("PASS secret\r\n"),
		S("230 Login successful.\r\n"),
		C("PWD\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("ftp", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("carol", r->info.name);
	EXPECT_STREQ("USER", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* A banner that does not say FTP: found by smtp.c, then USER says FTP. */
TEST(plain_banner)
{
	static const struct msg msgs[] = {
		S("220 Service ready.\r\n"),
		C("USER anonymous\r\n"),
		S("331 Username ok, send password.\r\n"),
		C("PASS ftp@example.com\r\n"),
		S("230 Login successful.\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("ftp", cw_app_name(r->state.app));
	EXPECT_EQ(2u, r->packets_to_identify);
	EXPECT_STREQ("anonymous", r->info.name);
}

/* Pure-FTPd says FTP too late for the probe; lftp starts with FEAT. */
TEST(long_banner_then_feat)
{
	static const struct msg msgs[] = {
		S("220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n"
		  "220-You are user number 1 of 50 allowed.\r\n220 This is a private system\r\n"),
		C("FEAT\r\n"),
		S("211-Extensions supported:\r\n EPRT\r\n211 End.\r\n"),
		C("USER bob\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("ftp", cw_app_name(r->state.app));
	EXPECT_STREQ("FEAT", r->info.detail);
	EXPECT_STREQ("bob", r->info.name);
}

/* AUTH TLS (RFC 4217): the rest is encrypted. */
TEST(auth_tls)
{
	static const struct msg msgs[] = {
		S("220 (vsFTPd 3.0.3)\r\n"),
		C("AUTH TLS\r\n"),
		S("234 Proceed with negotiation.\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("ftp", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("AUTH", r->info.detail);
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(not_ftp)
{
	static const struct msg smtp[] = {
		S("220 localhost Python SMTP 1.4.3\r\n"),
		C("EHLO client.example.org\r\n"),
		S("250-localhost\r\n"),
		S("250-8BITMIME\r\n"),
		S("250 HELP\r\n"),
		C("MAIL FROM:<alice@example.org>\r\n"),
		S("250 OK\r\n"),
	};
	static const struct msg both[] = { S("220 ftp.example.net ESMTP\r\n"), C("EHLO x\r\n") };
	static const struct msg binary[] = { S("220 FTP\x01\r\n"), C("USER x\r\n") };
	static const struct msg client_first[] = { C("USER x\r\n"), S("220 FTP ready\r\n") };

	EXPECT_FALSE(CLAIMS(CW_APP_FTP, smtp));
	EXPECT_FALSE(CLAIMS(CW_APP_FTP, both));
	EXPECT_FALSE(CLAIMS(CW_APP_FTP, binary));
	EXPECT_FALSE(CLAIMS(CW_APP_FTP, client_first));
	EXPECT_FALSE(CLAIMS(CW_APP_FTP, http_get));
	EXPECT_FALSE(CLAIMS(CW_APP_FTP, tls_hello));
	EXPECT_FALSE(CLAIMS(CW_APP_FTP, redis_set));
}

TEST_HARNESS_MAIN
