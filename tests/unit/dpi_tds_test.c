// SPDX-License-Identifier: GPL-2.0
/*
 * TDS: the client's bytes recorded over loopback from FreeTDS 1.3.17's tsql
 * (freetds-bin, Debian 12, TDSVER=7.4); SQL Server is not in Debian, so the
 * server's PRELOGIN answer (encryption not supported) comes from a small
 * Python stand-in written from [MS-TDS]. Hostile cases are hand-made.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static bool unclaimed(const struct msg *msgs, unsigned int n)
{
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, msgs, n);

	return r && r->state.app != CW_APP_TDS;
}

static const char prelogin[] =
	"\x12\x01\x00:\x00\x00\x00\x00\x00\x00\x1a\x00\x06\x01\x00 \x00\x01\x02\x00!"
	"\x00\x0c\x03\x00-\x00\x04\x04\x00" "1\x00\x01\xff\t\x00\x00\x00\x00\x00\x00M"
	"SSQLServer\x00\xd7\x02\x00\x00\x00";

static const char prelogin_answer[] =
	"\x04\x01\x00+\x00\x00\x01\x00\x00\x00\x1a\x00\x06\x01\x00 \x00\x01\x02\x00!"
	"\x00\x01\x03\x00\x22\x00\x00\x04\x00\x22\x00\x01\xff\x0f\x00\x07\xd0\x00\x00"
	"\x02\x00\x00";

/* LOGIN7: user "Alice", app "TSQL", server "127.0.0.1", database "shop" */
static const char login7[] =
	"\x10\x01\x00\xd7\x00\x00\x00\x00\xcf\x00\x00\x00\x04\x00\x00t\x00\x10\x00"
	"\x00\x06\x83\xf2\xf8\xd7\x02\x00\x00\x00\x00\x00\x00\xe0\x03\x00\x18\x88\xff"
	"\xff\xff" "6\x04\x00\x00^\x00\x02\x00" "b\x00\x05\x00l\x00\x06\x00x\x00\x04"
	"\x00\x80\x00\t\x00\x92\x00\x04\x00\x96\x00\x0b\x00\xac\x00\n\x00\xc0\x00\x04"
	"\x00\x02\xfc\x00\x00\x00\x01\xc8\x00\x00\x00\xc8\x00\x00\x00\xc8\x00\x00\x00"
	"\x00\x00\x00\x00v\x00m\x00" "A\x00l\x00i\x00" "c\x00" "e\x00\x92\xa5\xf3\xa5"
	"\x93\xa5\x82\xa5\xf3\xa5\xe2\xa5T\x00S\x00Q\x00L\x00" "1\x00" "2\x00" "7\x00"
	".\x00" "0\x00.\x00" "0\x00.\x00" "1\x00\xc8\x00\x00\x00T\x00" "D\x00S\x00-"
	"\x00L\x00i\x00" "b\x00r\x00" "a\x00r\x00y\x00u\x00s\x00_\x00" "e\x00n\x00g"
	"\x00l\x00i\x00s\x00h\x00s\x00h\x00o\x00p\x00\n\x01\x00\x00\x00\x01\xff";

TEST(tsql_prelogin_and_login7)
{
	/* TDSVER=7.4 tsql -H 127.0.0.1 -U Alice -P secret -D shop */
	struct msg flow[] = {
		{ true, prelogin, sizeof(prelogin) - 1 },
		{ false, prelogin_answer, sizeof(prelogin_answer) - 1 },
		{ true, login7, sizeof(login7) - 1 },
	};
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, flow, 3);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("tds", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("alice", r->info.name);
	EXPECT_STREQ("db=shop", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(login7_first)
{
	/* an old client without PRELOGIN: LOGIN7 alone */
	struct msg flow[] = { { true, login7, sizeof(login7) - 1 } };
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, flow, 1);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TDS, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("alice", r->info.name);
	EXPECT_STREQ("db=shop", r->info.detail);
}

TEST(tls_after_prelogin)
{
	/* hand-made: encryption on, the TLS ClientHello inside PRELOGIN packets */
	struct msg flow[] = {
		{ true, prelogin, sizeof(prelogin) - 1 },
		{ false, prelogin_answer, sizeof(prelogin_answer) - 1 },
		C("\x12\x01\x00\x14\x00\x00\x00\x00\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"
		  "\xef"),
	};
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, flow, 3);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TDS, r->state.app);
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("ssl", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_lying)
{
	/* LOGIN7 whose user offset points into the fixed part, then past the end */
	static char bad[sizeof(login7)];
	struct msg flow[] = { { true, bad, sizeof(login7) - 1 } };
	const struct dpi_result *r;

	memcpy(bad, login7, sizeof(login7));
	bad[8 + 40] = 0x10;	/* ibUserName inside the fixed part */
	bad[8 + 68] = 0xf0;	/* ibDatabase past the message */
	bad[8 + 69] = 0xff;
	r = dpi_check(IPPROTO_TCP, flow, 1);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TDS, r->state.app);
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("", r->info.detail);
}

TEST(not_tds)
{
	/* a SPID, a PRELOGIN without VERSION first, offsets past the packet, a reply */
	static const struct msg spid[] = {
		C("\x12\x01\x00:\x00\x35\x00\x00\x00\x00\x1a\x00\x06\x01\x00 \x00\x01\x02\x00!"
		  "\x00\x0c\x03\x00-\x00\x04\x04\x00" "1\x00\x01\xff"),
	};
	static const struct msg order[] = {
		C("\x12\x01\x00:\x00\x00\x00\x00\x01\x00\x1a\x00\x06\x00\x00 \x00\x01\x02\x00!"
		  "\x00\x0c\x03\x00-\x00\x04\x04\x00" "1\x00\x01\xff"),
	};
	static const struct msg past[] = {
		C("\x12\x01\x00:\x00\x00\x00\x00\x00\x01\x1a\x00\x06\x01\x00 \x00\x01\x02\x00!"
		  "\x00\x0c\x03\x00-\x00\x04\x04\x00" "1\x00\x01\xff"),
	};
	static const struct msg reply[] = { SB(prelogin_answer) };
	static const struct msg version[] = {
		C("\x10\x01\x00\xd7\x00\x00\x00\x00\xcf\x00\x00\x00\x04\x00\x00\x99\x00\x10\x00"
		  "\x00\x06\x83\xf2\xf8\xd7\x02\x00\x00\x00\x00\x00\x00\xe0\x03\x00\x18\x88\xff"),
	};
	static const struct msg http[] = { C("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n") };
	static const struct msg redis[] = { C("*1\r\n$4\r\nping\r\n") };
	static const struct msg tls[] = {
		C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xef\xf2\x81\xd6!9\xcc" "0\xd1W3e"
		  "\x02I\xa8z\x0d\xa4n\x96lV\xdbu"),
	};

	EXPECT_TRUE(unclaimed(spid, 1));
	EXPECT_TRUE(unclaimed(order, 1));
	EXPECT_TRUE(unclaimed(past, 1));
	EXPECT_TRUE(unclaimed(reply, 1));
	EXPECT_TRUE(unclaimed(version, 1));
	EXPECT_TRUE(unclaimed(http, 1));
	EXPECT_TRUE(unclaimed(redis, 1));
	EXPECT_TRUE(unclaimed(tls, 1));
}

TEST_HARNESS_MAIN
