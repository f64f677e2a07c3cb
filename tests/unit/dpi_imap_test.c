// SPDX-License-Identifier: GPL-2.0
/*
 * IMAP: recorded over loopback from Python 3.11's imaplib and from curl
 * 7.88.1 to Dovecot 2.3.19.1 (dovecot-imapd, Debian 12).
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

TEST(imaplib_to_dovecot)
{
	static const struct msg msgs[] = {
		S("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
		  "AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.\r\n"),
		C("OBDN0 CAPABILITY\r\n"),
		S("* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN "
		  "AUTH=LOGIN\r\nOBDN0 OK Pre-login capabilities listed, post-login capabilities "
		  "have more.\r\n"),
		C("OBDN1 LOGIN erin \"secret\"\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("imap", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("erin", r->info.name);
	EXPECT_STREQ("CAPABILITY", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* curl logs in with AUTHENTICATE (SASL-IR): no LOGIN to read. */
TEST(curl_to_dovecot)
{
	static const struct msg msgs[] = {
		S("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
		  "AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.\r\n"),
		C("A001 CAPABILITY\r\n"),
		S("* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN "
		  "AUTH=LOGIN\r\nA001 OK Pre-login capabilities listed, post-login capabilities "
		  "have more.\r\n"),
		C("A002 AUTHENTICATE LOGIN ZXJpbg==\r\n"),
		S("+ UGFzc3dvcmQ6\r\n"),
		C("c2VjcmV0\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("imap", cw_app_name(r->state.app));
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("CAPABILITY", r->info.detail);
}

/* Hand-made: PREAUTH, a quoted user with escapes, a literal. */
TEST(preauth_quoted_literal)
{
	static const struct msg quoted[] = {
		S("* PREAUTH IMAP4rev1 server logged in as Smith\r\n"),
		C("a1 LOGIN \"Jo \\\"x\\\"\" pw\r\n"),
	};
	static const struct msg literal[] = {
		S("* OK IMAP4rev1 Service Ready\r\n"),
		C("a1 LOGIN {4}\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(quoted);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("imap", cw_app_name(r->state.app));
	EXPECT_STREQ("jo \"x\"", r->info.name);
	EXPECT_STREQ("LOGIN", r->info.detail);
	r = dpi_check_tcp(literal);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("imap", cw_app_name(r->state.app));
	EXPECT_STREQ("", r->info.name);
}

TEST(not_imap)
{
	static const struct msg pop3[] = {
		S("+OK Dovecot (Debian) ready.\r\n"),
		C("USER Dave\r\n"),
		S("+OK\r\n"),
		C("PASS secret\r\n"),
		S("+OK Logged in.\r\n"),
	};
	static const struct msg client_first[] = { C("* OK hello\r\n") };
	static const struct msg no_space[] = { S("* OKAY\r\n") };
	static const struct msg binary[] = { S("* OK \x01\x02\r\n") };
	static const struct msg bye[] = { S("* BYE too many connections\r\n") };

	EXPECT_FALSE(CLAIMS(CW_APP_IMAP, pop3));
	EXPECT_FALSE(CLAIMS(CW_APP_IMAP, client_first));
	EXPECT_FALSE(CLAIMS(CW_APP_IMAP, no_space));
	EXPECT_FALSE(CLAIMS(CW_APP_IMAP, binary));
	EXPECT_FALSE(CLAIMS(CW_APP_IMAP, bye));
	EXPECT_FALSE(CLAIMS(CW_APP_IMAP, http_get));
	EXPECT_FALSE(CLAIMS(CW_APP_IMAP, tls_hello));
	EXPECT_FALSE(CLAIMS(CW_APP_IMAP, redis_set));
}

TEST_HARNESS_MAIN
