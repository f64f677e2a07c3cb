// SPDX-License-Identifier: GPL-2.0
/*
 * TLS: the handshakes of curl and openssl s_client with nginx recorded in
 * tls_samples.h, and hand-made ones: SPLIT is CURL13's ClientHello split in
 * two records; GREASE has RFC 8701 values in an extension type and
 * supported_versions.
 */

#include "dpi_test.h"
#include "tls_samples.h"
#include "kselftest_harness.h"
#include "dpi/parsers.h"

#define SPLIT_C \
	"\x16\x03\x01\x00\xc8\x01\x00\x01\xfc\x03\x03\xfc\x01\x98_9\xb5)\x92\xb7" \
	"e\x02\xc7\x9b?\xc3\x91\xcdMQ\x91M\x19\xb1\xab\x97y\x15\x9b\x1f\xf7\xe7\xab" \
	" \xabQ\xc5\xd8\xd7" "C\x99:1\x13)\x03\x13" "4\xc5\xd4-\x0c\xf8T^\xbb\x0f" \
	"\x16\x11\xf8s{l5Lq\x00>\x13\x02\x13\x03\x13\x01\xc0,\xc0" "0\x00\x9f\xcc" \
	"\xa9\xcc\xa8\xcc\xaa\xc0+\xc0/\x00\x9e\xc0$\xc0(\x00k\xc0#\xc0'\x00g\xc0" \
	"\n\xc0\x14\x00" "9\xc0\x09\xc0\x13\x00" "3\x00\x9d\x00\x9c\x00=\x00<\x00" \
	"5\x00/\x00\xff\x01\x00\x01u\x00\x00\x00\x15\x00\x13\x00\x00\x10www.exam" \
	"ple.test\x00\x0b\x00\x04\x03\x00\x01\x02\x00\n\x00\x16\x00\x14\x00\x1d\x00" \
	"\x17\x00\x1e\x00\x19\x00\x18\x01\x00\x01\x01\x01\x02\x01\x03\x01\x04\x00" \
	"\x10\x16\x03\x01\x01" "8\x00\x0e\x00\x0c\x02h2\x08http/1.1\x00\x16\x00\x00" \
	"\x00\x17\x00\x00\x00" "1\x00\x00\x00\r\x00*\x00(\x04\x03\x05\x03\x06\x03" \
	"\x08\x07\x08\x08\x08\x09\x08\n\x08\x0b\x08\x04\x08\x05\x08\x06\x04\x01\x05" \
	"\x01\x06\x01\x03\x03\x03\x01\x03\x02\x04\x02\x05\x02\x06\x02\x00+\x00\x09" \
	"\x08\x03\x04\x03\x03\x03\x02\x03\x01\x00-\x00\x02\x01\x01\x00" "3\x00&\x00" \
	"$\x00\x1d\x00 \x02\x1b\x8az\xd7\xa1~\x1d|\xf6\xb5#=\xd7\x13\xec\x83\xb5" \
	"\xc4\xdf\xfe\x0e\x08t\x16\xc5\xaa\xba\xcd\xfet\"\x00\x15\x00\xad\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00"

#define GREASE_C \
	"\x16\x03\x01\x00g\x01\x00\x00" "c\x03\x03\x00\x01\x02\x03\x04\x05\x06\x07" \
	"\x08\x09\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a" \
	"\x1b\x1c\x1d\x1e\x1f\x00\x00\x02\x13\x01\x01\x00\x00" "8\n\n\x00\x00\x00" \
	"+\x00\x07\x06zz\x03\x04\x03\x03\x00\x00\x00\x13\x00\x11\x00\x00\x0eGrea" \
	"se.Example\x00\x10\x00\x0e\x00\x0c\x02h3\x08http/1.1"

static int tls_probe(bool client, const char *data, u32 len)
{
	struct cw_dpi d;

	cw_dpi_init(&d, IPPROTO_TCP);
	return cw_dpi_tls.probe(&d, client, (const u8 *)data, len);
}

TEST(curl_tls13)
{
	static const struct msg msgs[] = { C(CURL13_C), S(CURL13_S) };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("tls", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("www.example.test", r->info.name);
	EXPECT_STREQ("h2,http/1.1", r->info.detail);
	EXPECT_EQ(0x0304, r->info.version);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(curl_tls12)
{
	static const struct msg msgs[] = { C(CURL12_C), S(CURL12_S) };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("api.example.test", r->info.name);
	EXPECT_STREQ("http/1.1", r->info.detail);
	EXPECT_EQ(0x0303, r->info.version);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(openssl_s_client)
{
	static const struct msg tls13[] = { C(OSSL13_C), S(OSSL13_S) };
	static const struct msg tls12[] = { C(OSSL12_C), S(OSSL12_S) };
	const struct dpi_result *r;

	r = dpi_check_tcp(tls13);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_STREQ("mail.example.test", r->info.name);
	EXPECT_STREQ("h2,http/1.1", r->info.detail);
	EXPECT_EQ(0x0304, r->info.version);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	/* No SNI, no ALPN, no supported_versions: legacy_version. */
	r = dpi_check_tcp(tls12);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("", r->info.detail);
	EXPECT_EQ(0x0303, r->info.version);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(hello_across_records_and_grease)
{
	static const struct msg split[] = { C(SPLIT_C), S(CURL13_S) };
	static const struct msg grease[] = { C(GREASE_C) };
	/* The server's side seen first: still TLS. */
	static const struct msg server_first[] = { S(CURL13_S) };
	const struct dpi_result *r;

	r = dpi_check_tcp(split);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_STREQ("www.example.test", r->info.name);
	EXPECT_STREQ("h2,http/1.1", r->info.detail);
	EXPECT_EQ(0x0304, r->info.version);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(grease);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("grease.example", r->info.name);
	EXPECT_STREQ("h3,http/1.1", r->info.detail);
	EXPECT_EQ(0x0304, r->info.version);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(server_first);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_hostile)
{
	/* OSSL13's hello cut in its SNI: identified, the name as far as it went. */
	static const char cut[] = OSSL13_C;
	static const struct msg truncated[] = { { true, cut, 80 } };
	/* A lying SNI length (0xffff), and extensions longer than the hello. */
	static const struct msg sni_lies[] = {
		C("\x16\x03\x01\x00\x3d\x01\x00\x00\x39\x03\x03\x00\x01\x02\x03\x04\x05\x06"
		  "\x07\x08\x09\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
		  "\x1a\x1b\x1c\x1d\x1e\x1f\x00\x00\x02\x13\x01\x01\x00\x00\x0e\x00\x00\x00"
		  "\x0a\x00\x08\x00\x00\xff\xff" "abcde"),
	};
	static const struct msg exts_lie[] = {
		C("\x16\x03\x01\x00\x2f\x01\x00\x00\x2b\x03\x03\x00\x01\x02\x03\x04\x05\x06"
		  "\x07\x08\x09\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
		  "\x1a\x1b\x1c\x1d\x1e\x1f\x00\x00\x02\x13\x01\x01\x00\xff\xff"),
	};
	/* A record of another type after the header of a hello that spans two. */
	static const struct msg alert[] = {
		C("\x16\x03\x01\x00\x09\x01\x00\x01\x00\x03\x03\x00\x01\x02"
		  "\x15\x03\x03\x00\x02\x02\x28"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(truncated);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_EQ(CW_DPI_INSPECTING, r->state.status);

	r = dpi_check_tcp(sni_lies);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(exts_lie);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(alert);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	EXPECT_EQ(CW_DPI_MORE, tls_probe(true, "\x16\x03\x01\x02", 4));
	EXPECT_EQ(CW_DPI_MORE, tls_probe(true, "\x16\x03\x01\x02\x00\x01\x00", 7));
	/* Version 3.5, a record of 0 or 20000 bytes, a hello too short. */
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x16\x03\x05\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x16\x03\x01\x00\x00\x01\x00\x01\xfc\x03\x03", 11));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x16\x03\x01\x4e\x20\x01\x00\x01\xfc\x03\x03", 11));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x16\x03\x01\x00\x20\x01\x00\x00\x1c\x03\x03", 11));
	/* A ServerHello from the client, a ClientHello from the server. */
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x16\x03\x03\x00z\x02\x00\x00v\x03\x03", 11));
	EXPECT_EQ(CW_DPI_NO, tls_probe(false, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
}

/*
 * SSL 2.0's CLIENT-HELLO, for the threat checks: SSL 2.0 itself, and the
 * compatible hello of old clients (OpenSSL 0.9.8's, offering TLS 1.0).
 */
TEST(ssl2_client_hello)
{
	static const struct msg v2[] = {
		C("\x80\x2e\x01\x00\x02\x00\x15\x00\x00\x00\x10"
		  "\x07\x00\xc0\x05\x00\x80\x03\x00\x80\x01\x00\x80\x06\x00\x40"
		  "\x04\x00\x80\x02\x00\x80"
		  "\x1f\x2e\x3d\x4c\x5b\x6a\x79\x88\x97\xa6\xb5\xc4\xd3\xe2\xf1\x00"),
	};
	static const struct msg compat[] = {
		C("\x80\x25\x01\x03\x01\x00\x0c\x00\x00\x00\x10"
		  "\x00\x00\x39\x00\x00\x38\x00\x00\x35\x00\x00\x2f"
		  "\x01\x12\x23\x34\x45\x56\x67\x78\x89\x9a\xab\xbc\xcd\xde\xef\xf0"),
		S("\x16\x03\x01\x00\x2a\x02\x00\x00\x26\x03\x01"),
	};
	/* Its lengths lie: still SSL 2.0, for the checks to flag. */
	static const struct msg lying[] = {
		C("\x80\x0b\x01\x00\x02\xff\xff\x00\x00\x00\x10\x07\x00"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(v2);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	r = dpi_check_tcp(compat);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	r = dpi_check_tcp(lying);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TLS, r->state.app);

	EXPECT_EQ(CW_DPI_MORE, tls_probe(true, "\x80", 1));
	EXPECT_EQ(CW_DPI_MORE, tls_probe(true, "\x80\x2e\x01\x00", 4));
	/* From the server; a record shorter than the hello's header; not a hello. */
	EXPECT_EQ(CW_DPI_NO, tls_probe(false, "\x80\x2e\x01\x00\x02\x00\x15", 7));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x80\x08\x01\x00\x02\x00\x15", 7));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x80\x2e\x02\x00\x02\x00\x15", 7));
	/* Versions 1.0, 0.3, 3.5 (memcached's binary magic is 0x80 too). */
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x80\x2e\x01\x01\x00\x00\x15", 7));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x80\x2e\x01\x00\x03\x00\x15", 7));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x80\x2e\x01\x03\x05\x00\x15", 7));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, "\x80\x00\x00\x05\x00\x00\x00\x00", 8));
}

/* Others' first bytes: TLS must not claim them. */
TEST(not_tls)
{
	/* curl 7.88.1 to nginx, redis-cli 7.0.15, OpenSSH 9.2, curl's HTTP/2 preface. */
	static const char http[] = "GET /index.html?q=1 HTTP/1.1\r\nHost: WWW.Example.COM:47080\r\n";
	static const char redis[] = "*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n";
	static const char ssh[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
	static const char h2[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	static const struct msg msgs[] = { C(http) };

	EXPECT_EQ(CW_DPI_NO, tls_probe(true, http, sizeof(http) - 1));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, redis, sizeof(redis) - 1));
	EXPECT_EQ(CW_DPI_NO, tls_probe(false, ssh, sizeof(ssh) - 1));
	EXPECT_EQ(CW_DPI_NO, tls_probe(true, h2, sizeof(h2) - 1));
	EXPECT_NE(CW_APP_TLS, dpi_check_tcp(msgs)->state.app);
}

TEST_HARNESS_MAIN
