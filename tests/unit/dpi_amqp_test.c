// SPDX-License-Identifier: GPL-2.0
/*
 * AMQP: protocol headers recorded over loopback to a socat listener from
 * pika 1.2.0 (0-9-1) and Qpid Proton 0.37.0 (1.0, with and without SASL),
 * python3-pika and python3-qpid-proton of Debian 12.
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

TEST(pika_0_9_1)
{
	static const struct msg msgs[] = { C("AMQP\x00\x00\x09\x01") };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("amqp", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("0-9-1", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(proton_1_0_sasl)
{
	static const struct msg msgs[] = { C("AMQP\x03\x01\x00\x00") };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("amqp", cw_app_name(r->state.app));
	EXPECT_STREQ("1.0", r->info.detail);
}

/* Without SASL, Proton sends its Open frame with the header. */
TEST(proton_1_0_open)
{
	static const struct msg msgs[] = {
		C("AMQP\x00\x01\x00\x00\x00\x00\x00I\x02\x00\x00\x00\x00S\x10\xc0<\n"
		  "\xa1$ef7521b4-b66d-4dae-8583-625283c5094c\xa1\x09""127.0.0.1@`\x7f\xff@@@@@@"),
		S("\x00\x00\x00\x82\x02\x00\x00\x00\x00S\x18\xc0u\x01\x00S\x1d\xc0o\x03"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("amqp", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("1.0", r->info.detail);
}

TEST(older_versions)
{
	static const struct msg v09[] = { C("AMQP\x01\x01\x00\x09") };
	static const struct msg v08[] = { C("AMQP\x01\x01\x08\x00") };

	EXPECT_STREQ("0-9", dpi_check_tcp(v09)->info.detail);
	EXPECT_STREQ("0-8", dpi_check_tcp(v08)->info.detail);
}

TEST(not_amqp)
{
	static const struct msg version[] = { C("AMQP\x00\x00\x09\x02") };
	static const struct msg id[] = { C("AMQP\x04\x01\x00\x00") };
	static const struct msg magic[] = { C("AMQX\x00\x00\x09\x01") };
	static const struct msg short_header[] = { C("AMQP\x00") };
	static const struct msg server_first[] = { S("AMQP\x00\x00\x09\x01") };

	EXPECT_FALSE(CLAIMS(CW_APP_AMQP, version));
	EXPECT_FALSE(CLAIMS(CW_APP_AMQP, id));
	EXPECT_FALSE(CLAIMS(CW_APP_AMQP, magic));
	EXPECT_FALSE(CLAIMS(CW_APP_AMQP, short_header));
	EXPECT_FALSE(CLAIMS(CW_APP_AMQP, server_first));
	EXPECT_FALSE(CLAIMS(CW_APP_AMQP, http_get));
	EXPECT_FALSE(CLAIMS(CW_APP_AMQP, tls_hello));
	EXPECT_FALSE(CLAIMS(CW_APP_AMQP, redis_set));
}

TEST_HARNESS_MAIN
