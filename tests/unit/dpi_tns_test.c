// SPDX-License-Identifier: GPL-2.0
/*
 * Oracle TNS: the client's bytes recorded over loopback from
 * python-oracledb 1.2.1 in thin mode (python3-oracledb, Debian 12) against
 * a socat listener (Oracle's server is not in Debian); hand-made bytes for
 * the hostile cases.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static bool unclaimed(const struct msg *msgs, unsigned int n)
{
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, msgs, n);

	return r && r->state.app != CW_APP_TNS;
}

TEST(oracledb_connect_data_apart)
{
	/*
	 * oracledb.connect(user="Scott", dsn="127.0.0.1:port/orclpdb1",
	 * tcp_connect_timeout=3): 235 bytes of connect data, so in a DATA packet
	 */
	static const struct msg msgs[] = {
		C("\x00J\x00\x00\x01\x00\x00\x00\x01>\x01,\x0c\x01 \x00\xff\xffO\x98\x00\x00"
		  "\x00\x01\x00\xeb\x00J\x00\x00\x00\x00\x80\x80\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  " \x00\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00\x00\x01"),
		C("\x00\xf5\x00\x00\x06\x00\x00\x00\x00\x00(DESCRIPTION=(TRANSPORT_CONNECT_TIME"
		  "OUT=3)(ADDRESS_LIST=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT=15212)))(CO"
		  "NNECT_DATA=(SERVICE_NAME=orclpdb1)(CID=(PROGRAM=/usr/bin/python3)(HOST=vm)(U"
		  "SER=root)))(SECURITY=(SSL_SERVER_DN_MATCH=ON)))"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("tns", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("root", r->info.name);
	EXPECT_STREQ("service=orclpdb1", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(oracledb_connect_data_inline)
{
	/* dsn="(DESCRIPTION=(ADDRESS=...)(CONNECT_DATA=(SID=XE)))": 191 bytes, inline */
	static const struct msg msgs[] = {
		C("\x01\t\x00\x00\x01\x00\x00\x00\x01>\x01,\x0c\x01 \x00\xff\xffO\x98\x00\x00"
		  "\x00\x01\x00\xbf\x00J\x00\x00\x00\x00\x80\x80\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  " \x00\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00\x00\x01(DESCRIPTION=(ADDRESS_L"
		  "IST=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT=15212)))(CONNECT_DATA=(SID="
		  "XE)(CID=(PROGRAM=/usr/bin/python3)(HOST=vm)(USER=root)))(SECURITY=(SSL_SERVE"
		  "R_DN_MATCH=ON)))"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TNS, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("root", r->info.name);
	EXPECT_STREQ("sid=XE", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_lying)
{
	/* the data's length stops inside SERVICE_NAME's value; no USER at all */
	static const struct msg msgs[] = {
		C("\x00\x6a\x00\x00\x01\x00\x00\x00\x01>\x01,\x0c\x01 \x00\xff\xffO\x98\x00\x00"
		  "\x00\x01\x00\x1c\x00J\x00\x00\x00\x00\x80\x80\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  " \x00\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00\x00\x01(CONNECT_DATA=(SERVICE_"
		  "NAME=orcl"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TNS, r->state.app);
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("", r->info.detail);
}

TEST(not_tns)
{
	/* a checksum, type 2 ACCEPT, version 200, data offset past the packet */
	static const struct msg sum[] = {
		C("\x00J\x12\x34\x01\x00\x00\x00\x01>\x01,\x0c\x01 \x00\xff\xffO\x98\x00\x00"
		  "\x00\x01\x00\xeb\x00J\x00\x00\x00\x00"),
	};
	static const struct msg accept[] = {
		C("\x00J\x00\x00\x02\x00\x00\x00\x01>\x01,\x0c\x01 \x00\xff\xffO\x98\x00\x00"
		  "\x00\x01\x00\xeb\x00J\x00\x00\x00\x00"),
	};
	static const struct msg old[] = {
		C("\x00J\x00\x00\x01\x00\x00\x00\x00\xc8\x00\xc8\x0c\x01 \x00\xff\xffO\x98\x00"
		  "\x00\x00\x01\x00\xeb\x00J\x00\x00\x00\x00"),
	};
	static const struct msg offset[] = {
		C("\x00J\x00\x00\x01\x00\x00\x00\x01>\x01,\x0c\x01 \x00\xff\xffO\x98\x00\x00"
		  "\x00\x01\x00\xeb\x01J\x00\x00\x00\x00"),
	};
	static const struct msg http[] = { C("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n") };
	static const struct msg redis[] = { C("*1\r\n$4\r\nping\r\n") };
	static const struct msg tls[] = {
		C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xef\xf2\x81\xd6!9\xcc" "0\xd1W3e"
		  "\x02I\xa8z\x0d\xa4n\x96lV\xdbu"),
	};
	static const struct msg pg[] = {
		C("\x00\x00\x00\x3f\x00\x03\x00\x00user\x00postgres\x00" "database\x00postgres"
		  "\x00"),
	};

	EXPECT_TRUE(unclaimed(sum, 1));
	EXPECT_TRUE(unclaimed(accept, 1));
	EXPECT_TRUE(unclaimed(old, 1));
	EXPECT_TRUE(unclaimed(offset, 1));
	EXPECT_TRUE(unclaimed(http, 1));
	EXPECT_TRUE(unclaimed(redis, 1));
	EXPECT_TRUE(unclaimed(tls, 1));
	EXPECT_TRUE(unclaimed(pg, 1));
}

TEST_HARNESS_MAIN
