// SPDX-License-Identifier: GPL-2.0
/*
 * POP3: recorded over loopback from Python 3.11's poplib and from curl
 * 7.88.1 to Dovecot 2.3.19.1 (dovecot-pop3d, Debian 12).
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

TEST(poplib_to_dovecot)
{
	static const struct msg msgs[] = {
		S("+OK Dovecot (Debian) ready.\r\n"),
		C("USER Dave\r\n"),
		S("+OK\r\n"),
		C("PASS secret\r\n"),
		S("+OK Logged in.\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("pop3", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("dave", r->info.name);
	EXPECT_STREQ("USER", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* curl asks CAPA, then logs in with SASL PLAIN: no USER to read. */
TEST(curl_to_dovecot)
{
	static const struct msg msgs[] = {
		S("+OK Dovecot (Debian) ready.\r\n"),
		C("CAPA\r\n"),
		S("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\n"
		  "SASL PLAIN LOGIN\r\n.\r\n"),
		C("AUTH PLAIN\r\n"),
		S("+ \r\n"),
		C("AGRhdmUAc2VjcmV0\r\n"),
		S("+OK Logged in.\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("pop3", cw_app_name(r->state.app));
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("CAPA", r->info.detail);
}

/* Hand-made: APOP (RFC 1939 §7), and a bare "+OK" greeting. */
TEST(apop)
{
	static const struct msg msgs[] = {
		S("+OK\r\n"),
		C("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("pop3", cw_app_name(r->state.app));
	EXPECT_STREQ("mrose", r->info.name);
	EXPECT_STREQ("APOP", r->info.detail);
}

TEST(not_pop3)
{
	/* Redis answers "+OK" to a client that spoke first. */
	static const struct msg redis[] = {
		C("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"), S("+OK\r\n"),
	};
	static const struct msg okay[] = { S("+OKAY\r\n") };
	static const struct msg binary[] = { S("+OK \x01\x02\r\n") };
	static const struct msg err[] = { S("-ERR go away\r\n") };

	EXPECT_FALSE(CLAIMS(CW_APP_POP3, redis));
	EXPECT_FALSE(CLAIMS(CW_APP_POP3, okay));
	EXPECT_FALSE(CLAIMS(CW_APP_POP3, binary));
	EXPECT_FALSE(CLAIMS(CW_APP_POP3, err));
	EXPECT_FALSE(CLAIMS(CW_APP_POP3, http_get));
	EXPECT_FALSE(CLAIMS(CW_APP_POP3, tls_hello));
	EXPECT_FALSE(CLAIMS(CW_APP_POP3, redis_set));
}

TEST_HARNESS_MAIN
