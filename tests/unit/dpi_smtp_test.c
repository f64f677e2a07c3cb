// SPDX-License-Identifier: GPL-2.0
/*
 * SMTP: recorded over loopback from curl 7.88.1 to aiosmtpd 1.4.3
 * (python3-aiosmtpd, Debian 12); plain "220" greetings hand-made, and FTP
 * from curl to pyftpdlib 1.5.7 to tell the two apart.
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

TEST(curl_to_aiosmtpd)
{
	static const struct msg msgs[] = {
		S("220 localhost Python SMTP 1.4.3\r\n"),
		C("EHLO client.example.org\r\n"),
		S("250-localhost\r\n"),
		S("250-8BITMIME\r\n"),
		S("250 HELP\r\n"),
		C("MAIL FROM:<alice@example.org>\r\n"),
		S("250 OK\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("smtp", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("client.example.org", r->info.name);
	EXPECT_STREQ("EHLO", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* Greetings that do not say SMTP: the client's first command does. */
TEST(plain_greeting_then_helo)
{
	static const struct msg msgs[] = {
		S("220 mx1.example.net ready\r\n"),
		C("HELO Relay.Example.ORG\r\n"),
		S("250 mx1.example.net\r\n"),
	};
	static const struct msg multiline[] = {
		S("220-mail.a-rather-long-host-name.example.net\r\n220 ESMTP ready\r\n"),
		C("EHLO laptop\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("smtp", cw_app_name(r->state.app));
	EXPECT_EQ(2u, r->packets_to_identify);
	EXPECT_STREQ("relay.example.org", r->info.name);
	EXPECT_STREQ("HELO", r->info.detail);
	r = dpi_check_tcp(multiline);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("smtp", cw_app_name(r->state.app));
	EXPECT_STREQ("laptop", r->info.name);
}

/* STARTTLS first: what follows is TLS, nothing more to read. */
TEST(starttls)
{
	static const struct msg msgs[] = {
		S("220 mx.example.net ESMTP Postfix (Debian/GNU)\r\n"),
		C("STARTTLS\r\n"),
		S("220 2.0.0 Ready to start TLS\r\n"),
		C("\x16\x03\x01\x00\xce\x01\x00\x00\xca\x03\x03"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("smtp", cw_app_name(r->state.app));
	EXPECT_STREQ("STARTTLS", r->info.detail);
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* pyftpdlib with its banner set to "Service ready.": USER makes it FTP. */
TEST(plain_greeting_then_user_is_ftp)
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
	EXPECT_STREQ("USER", r->info.detail);
}

TEST(hostile)
{
	static const struct msg binary[] = { S("220 \x01\x02\x03\x04\r\n"), C("EHLO x\r\n") };
	static const struct msg code[] = { S("2200 ready\r\n"), C("EHLO x\r\n") };
	static const struct msg other_code[] = { S("221 bye\r\n"), C("EHLO x\r\n") };
	static const struct msg client_first[] = { C("EHLO x\r\n"), S("220 x ESMTP\r\n") };
	static const struct msg binary_answer[] = { S("220 x ready\r\n"), C("\x16\x03\x01") };
	/* An endless argument: the name is truncated, nothing overflows. */
	static char long_helo[600];
	struct msg msgs[] = { S("220 x ESMTP\r\n"), { true, long_helo, sizeof(long_helo) } };
	struct dpi_result r;

	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, binary));
	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, code));
	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, other_code));
	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, client_first));
	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, binary_answer));
	memset(long_helo, 'a', sizeof(long_helo));
	memcpy(long_helo, "EHLO ", 5);
	dpi_run(IPPROTO_TCP, msgs, 2, 7, 65535, &r);
	EXPECT_EQ(CW_APP_SMTP, r.state.app);
	EXPECT_EQ(CW_DPI_NAME_LEN - 1, r.info.name_len);
	EXPECT_EQ(1, r.info.truncated);
}

TEST(not_smtp)
{
	static const struct msg ftp[] = {
		S("220 pyftpdlib 1.5.7 ready.\r\n"),
		C("USER carol\r\n"),
		S("331 Username ok, send password.\r\n"),
		C("PASS secret\r\n"),
		S("230 Login successful.\r\n"),
		C("PWD\r\n"),
	};
	static const struct msg pop3[] = {
		S("+OK Dovecot (Debian) ready.\r\n"),
		C("USER Dave\r\n"),
		S("+OK\r\n"),
		C("PASS secret\r\n"),
		S("+OK Logged in.\r\n"),
	};

	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, ftp));
	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, pop3));
	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, http_get));
	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, tls_hello));
	EXPECT_FALSE(CLAIMS(CW_APP_SMTP, redis_set));
}

TEST_HARNESS_MAIN
