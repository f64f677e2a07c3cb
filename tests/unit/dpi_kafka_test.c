// SPDX-License-Identifier: GPL-2.0
/*
 * Kafka: requests recorded over loopback from kafka-python 2.0.2
 * (python3-kafka, Debian 12) to a socat listener (no broker is packaged);
 * the ApiVersions v3 of the Java client is hand-made per KIP-511.
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

TEST(kafka_python_api_versions)
{
	static const struct msg msgs[] = {
		C("\x00\x00\x00\x14\x00\x12\x00\x00\x00\x00\x00\x01\x00\norders-svc"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("kafka", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("orders-svc", r->info.name);
	EXPECT_STREQ("ApiVersions", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* With api_version given, kafka-python starts with Metadata v0, all topics. */
TEST(kafka_python_metadata)
{
	static const struct msg msgs[] = {
		C("\x00\x00\x00\x18\x00\x03\x00\x00\x00\x00\x00\x02\x00\norders-svc"
		  "\x00\x00\x00\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("kafka", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("orders-svc", r->info.name);
	EXPECT_STREQ("Metadata", r->info.detail);
}

/* Header v2 (flexible), compact software name and version, tagged fields. */
TEST(java_api_versions_v3)
{
	static const struct msg msgs[] = {
		C("\x00\x00\x00\x2e\x00\x12\x00\x03\x00\x00\x00\x00\x00\x0aproducer-1\x00"
		  "\x12""apache-kafka-java\x06""3.7.0\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("kafka", cw_app_name(r->state.app));
	EXPECT_STREQ("producer-1", r->info.name);
	EXPECT_STREQ("ApiVersions", r->info.detail);
}

TEST(null_client_id)
{
	static const struct msg msgs[] = {
		C("\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x01\xff\xff"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("kafka", cw_app_name(r->state.app));
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("ApiVersions", r->info.detail);
}

TEST(hostile)
{
	static const struct msg size[] = {
		C("\x00\x00\x00\x05\x00\x12\x00\x00"
		  "\x00\x00\x00\x01\x00\x01x"),
	};
	static const struct msg huge[] = {
		C("\x7f\x00\x00\x14\x00\x12\x00\x00"
		  "\x00\x00\x00\x01\x00\x01x"),
	};
	static const struct msg key[] = {
		C("\x00\x00\x00\x14\x00\xc8\x00\x00\x00\x00\x00\x01\x00\x01x"),
	};
	static const struct msg version[] = {
		C("\x00\x00\x00\x14\x00\x12\x00\x63"
		  "\x00\x00\x00\x01\x00\x01x"),
	};
	static const struct msg correlation[] = {
		C("\x00\x00\x00\x14\x00\x12\x00\x00"
		  "\x80\x00\x00\x01\x00\x01x"),
	};
	/* A client_id longer than the request, one with a control byte. */
	static const struct msg id_len[] = {
		C("\x00\x00\x00\x14\x00\x12\x00\x00"
		  "\x00\x00\x00\x01\x00\x40x"),
	};
	static const struct msg id_bytes[] = {
		C("\x00\x00\x00\x14\x00\x12\x00\x00"
		  "\x00\x00\x00\x01\x00\x03a\x01""b"),
	};
	static const struct msg header_only[] = { C("\x00\x00\x00\x14\x00\x12\x00") };
	static const struct msg server_first[] = {
		S("\x00\x00\x00\x14\x00\x12\x00\x00\x00\x00\x00\x01\x00\norders-svc"),
	};

	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, size));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, huge));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, key));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, version));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, correlation));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, id_len));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, id_bytes));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, header_only));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, server_first));
}

TEST(not_kafka)
{
	/* kazoo 2.8.0's ConnectRequest: reads as a Produce v0. */
	static const struct msg zookeeper[] = {
		C("\x00\x00\x00-\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07\xd0"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
	};
	static const struct msg amqp[] = { C("AMQP\x00\x00\x09\x01") };

	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, zookeeper));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, amqp));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, http_get));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, tls_hello));
	EXPECT_FALSE(CLAIMS(CW_APP_KAFKA, redis_set));
}

TEST_HARNESS_MAIN
