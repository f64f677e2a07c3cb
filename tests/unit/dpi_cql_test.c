// SPDX-License-Identifier: GPL-2.0
/*
 * Cassandra CQL: the client's bytes recorded over loopback from the
 * DataStax Python driver 3.25.0 (python3-cassandra, Debian 12); Cassandra
 * is not in Debian, so the server's answers come from a small Python
 * stand-in written from native_protocol_v5.spec (ERROR for the DSE
 * versions, SUPPORTED, READY). Hostile cases are hand-made.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static bool unclaimed(const struct msg *msgs, unsigned int n)
{
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, msgs, n);

	return r && r->state.app != CW_APP_CQL;
}

TEST(python_driver_v5)
{
	/* Cluster(["127.0.0.1"]).connect(), its connection at v5 */
	static const struct msg msgs[] = {
		C("\x05\x00\x00\x00\x05\x00\x00\x00\x00"),
		S("\x85\x00\x00\x00\x06\x00\x00\x00'\x00\x02\x00\x0b" "CQL_VERSION\x00\x01\x00"
		  "\x05" "3.4.5\x00\x0b" "COMPRESSION\x00\x00"),
		C("\x05\x00\x00\x01\x01\x00\x00\x00S\x00\x03\x00\x0b" "DRIVER_NAME\x00\x16" "Da"
		  "taStax Python Driver\x00\x0e" "DRIVER_VERSION\x00\x06" "3.25.0\x00\x0b" "CQL"
		  "_VERSION\x00\x05" "3.4.5"),
		S("\x85\x00\x00\x01\x02\x00\x00\x00\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("cql", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("CQL_VERSION=3.4.5", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(python_driver_dse_version_refused)
{
	/* its first connection: OPTIONS at DSE v2 (0x42), refused */
	static const struct msg msgs[] = {
		C("B\x00\x00\x00\x05\x00\x00\x00\x00"),
		S("\x84\x00\x00\x00\x00\x00\x00\x00]\x00\x00\x00\n\x00WInvalid or unsupported p"
		  "rotocol version (66); supported versions are (3/v3, 4/v4, 5/v5)"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_CQL, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("", r->info.detail);
}

TEST(startup_first)
{
	/* hand-made: STARTUP at v4 without OPTIONS, CQL_VERSION first */
	static const struct msg msgs[] = {
		C("\x04\x00\x00\x01\x01\x00\x00\x00\x16\x00\x01\x00\x0b" "CQL_VERSION\x00\x05"
		  "3.0.0"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_CQL, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("CQL_VERSION=3.0.0", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_lying)
{
	/* a string length past the body; a map count that lies */
	static const struct msg lying[] = {
		C("\x04\x00\x00\x01\x01\x00\x00\x00\x16\x00\x01\x00\x0b" "CQL_VERSION\xff\xff"
		  "3.0.0"),
	};
	static const struct msg count[] = {
		C("\x04\x00\x00\x01\x01\x00\x00\x00\x10\x00\x09\x00\x0b" "CQL_VERSION"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(lying);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_CQL, r->state.app);
	r = dpi_check_tcp(count);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_CQL, r->state.app);
	EXPECT_STREQ("", r->info.detail);
}

TEST(not_cql)
{
	/* OPTIONS with a body, version 2, a response, QUERY first, a lowercase key */
	static const struct msg body[] = {
		C("\x04\x00\x00\x00\x05\x00\x00\x00\x04\x00\x00\x00\x00"),
	};
	static const struct msg v2[] = { C("\x02\x00\x00\x00\x05\x00\x00\x00\x00") };
	static const struct msg resp[] = { C("\x84\x00\x00\x00\x05\x00\x00\x00\x00") };
	static const struct msg query[] = {
		C("\x04\x00\x00\x00\x07\x00\x00\x00\x04\x00\x00\x00\x00"),
	};
	static const struct msg key[] = {
		C("\x04\x00\x00\x01\x01\x00\x00\x00\x16\x00\x01\x00\x0b" "cql_version\x00\x05"
		  "3.0.0"),
	};
	static const struct msg http[] = { C("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n") };
	static const struct msg redis[] = { C("*1\r\n$4\r\nping\r\n") };
	static const struct msg tls[] = {
		C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xef\xf2\x81\xd6!9\xcc" "0\xd1W3e"
		  "\x02I\xa8z\x0d\xa4n\x96lV\xdbu"),
	};

	EXPECT_TRUE(unclaimed(body, 1));
	EXPECT_TRUE(unclaimed(v2, 1));
	EXPECT_TRUE(unclaimed(resp, 1));
	EXPECT_TRUE(unclaimed(query, 1));
	EXPECT_TRUE(unclaimed(key, 1));
	EXPECT_TRUE(unclaimed(http, 1));
	EXPECT_TRUE(unclaimed(redis, 1));
	EXPECT_TRUE(unclaimed(tls, 1));
}

TEST_HARNESS_MAIN
