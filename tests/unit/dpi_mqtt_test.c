// SPDX-License-Identifier: GPL-2.0
/*
 * MQTT: CONNECTs recorded over loopback from mosquitto_pub/mosquitto_sub
 * 2.0.11 to mosquitto 2.0.11 (Debian 12), in v3.1.1, v5 and v3.1.
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

TEST(mosquitto_v311_user)
{
	static const struct msg msgs[] = {
		C("\x10$\x00\x04MQTT\x04\xc2\x00<\x00\x09sensor-42\x00\x05""alice\x00\x06secret"),
		S(" \x02\x00\x00"),
		C("0\x07\x00\x03""a/bhi"),
		C("\xe0\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("mqtt", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("sensor-42", r->info.name);
	EXPECT_STREQ("user=alice", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* v5: properties (session expiry, receive maximum) before the payload. */
TEST(mosquitto_v5_properties)
{
	static const struct msg msgs[] = {
		C("\x10$\x00\x04MQTT\x05\xc2\x00<\x08\x11\x00\x00\x00<!\x00\x14\x00\x06pub-v5"
		  "\x00\x03""bob\x00\x02pw"),
		S(" \x09\x00\x00\x06\"\x00\n!\x00\x14"),
		C("0\x08\x00\x03""a/b\x00hi"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("mqtt", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("pub-v5", r->info.name);
	EXPECT_STREQ("user=bob", r->info.detail);
}

TEST(mosquitto_v31_mqisdp_no_user)
{
	static const struct msg msgs[] = {
		C("\x10\x15\x00\x06MQIsdp\x03\x02\x00<\x00\x07old-sub"),
		S(" \x02\x00\x00"),
		C("\x82\x08\x00\x01\x00\x03""a/b\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("mqtt", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("old-sub", r->info.name);
	EXPECT_STREQ("", r->info.detail);
}

/* mosquitto_pub without -i: an empty client id, the broker assigns one. */
TEST(mosquitto_empty_client_id)
{
	static const struct msg msgs[] = {
		C("\x10\x0c\x00\x04MQTT\x04\x02\x00<\x00\x00"),
		S(" \x02\x00\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("mqtt", cw_app_name(r->state.app));
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* Hand-made: a will (topic, message) between the client id and the user. */
TEST(will_skipped)
{
	static const struct msg v3[] = {
		C("\x10\x1d\x00\x04MQTT\x04\xc6\x00\x3c\x00\x02w1\x00\x03t/w\x00\x03""bye"
		  "\x00\x02u1\x00\x01p"),
	};
	static const struct msg v5[] = {
		C("\x10\x20\x00\x04MQTT\x05\xc6\x00\x3c\x00\x00\x02w1\x02\x01\x01\x00\x03t/w"
		  "\x00\x03""bye\x00\x02u1\x00\x01p"),
	};
	const struct dpi_result *r = dpi_check_tcp(v3);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("w1", r->info.name);
	EXPECT_STREQ("user=u1", r->info.detail);
	r = dpi_check_tcp(v5);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("mqtt", cw_app_name(r->state.app));
	EXPECT_STREQ("w1", r->info.name);
	EXPECT_STREQ("user=u1", r->info.detail);
}

TEST(lengths_that_lie)
{
	/* A client id longer than the CONNECT: identified, nothing read. */
	static const struct msg id[] = { C("\x10\x0c\x00\x04MQTT\x04\x02\x00<\x00\x30""abc") };
	/* A remaining length of 5 bytes, and one too short for the header. */
	static const struct msg varint[] = { C("\x10\xff\xff\xff\xff\x01\x00\x04MQTT\x04\x02") };
	static const struct msg remaining[] = { C("\x10\x05\x00\x04MQTT\x04\x02\x00<\x00\x00") };
	/* A user name running past the end. */
	static const struct msg user[] = {
		C("\x10\x10\x00\x04MQTT\x04\x82\x00<\x00\x02id\x00\x40us"),
	};
	const struct dpi_result *r = dpi_check_tcp(id);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("mqtt", cw_app_name(r->state.app));
	EXPECT_STREQ("", r->info.name);
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, varint));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, remaining));
	r = dpi_check_tcp(user);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("id", r->info.name);
	EXPECT_STREQ("user=", r->info.detail);
}

TEST(not_mqtt)
{
	static const struct msg name[] = { C("\x10\x0c\x00\x04MQTX\x04\x02\x00<\x00\x00") };
	static const struct msg level[] = { C("\x10\x0c\x00\x04MQTT\x06\x02\x00<\x00\x00") };
	static const struct msg v31_level[] = { C("\x10\x0e\x00\x06MQIsdp\x04\x02\x00<\x00\x00") };
	static const struct msg reserved[] = { C("\x10\x0c\x00\x04MQTT\x04\x03\x00<\x00\x00") };
	static const struct msg will_qos[] = { C("\x10\x0c\x00\x04MQTT\x04\x0a\x00<\x00\x00") };
	static const struct msg pass_only[] = { C("\x10\x0c\x00\x04MQTT\x04\x42\x00<\x00\x00") };
	static const struct msg publish[] = { C("0\x07\x00\x03""a/bhi") };
	static const struct msg server_first[] = {
		S("\x10\x0c\x00\x04MQTT\x04\x02\x00<\x00\x00"),
	};
	static const struct msg short_connect[] = { C("\x10\x0c\x00\x04MQ") };

	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, name));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, level));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, v31_level));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, reserved));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, will_qos));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, pass_only));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, publish));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, server_first));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, short_connect));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, http_get));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, tls_hello));
	EXPECT_FALSE(CLAIMS(CW_APP_MQTT, redis_set));
}

TEST_HARNESS_MAIN
