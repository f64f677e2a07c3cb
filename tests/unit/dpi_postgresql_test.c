// SPDX-License-Identifier: GPL-2.0
/*
 * PostgreSQL: recorded over loopback with psql 15.18 against postgres
 * 15.18 (Debian 12), run by hand with initdb and pg_ctl; hand-made bytes
 * for the cancel request and the hostile cases.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static bool unclaimed(const struct msg *msgs, unsigned int n)
{
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, msgs, n);

	return r && r->state.app != CW_APP_POSTGRESQL;
}

TEST(psql_startup)
{
	/* psql "host=127.0.0.1 user=postgres dbname=postgres sslmode=disable" */
	static const struct msg msgs[] = {
		C("\x00\x00\x00\x3f\x00\x03\x00\x00user\x00postgres\x00" "database\x00postgres"
		  "\x00" "application_name\x00psql\x00\x00"),
		S("R\x00\x00\x00\x08\x00\x00\x00\x00S\x00\x00\x00\x1a" "application_name\x00psq"
		  "l\x00S\x00\x00\x00\x19" "client_encoding\x00UTF8\x00"),
		C("Q\x00\x00\x00\x0dselect 1\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("postgresql", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("postgres", r->info.name);
	EXPECT_STREQ("db=postgres", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(ssl_refused_then_startup)
{
	/* psql "user=dave dbname=shop" (sslmode=prefer) to a server with ssl=off */
	static const struct msg msgs[] = {
		C("\x00\x00\x00\x08\x04\xd2\x16/"),
		S("N"),
		C("\x00\x00\x00" "7\x00\x03\x00\x00user\x00" "dave\x00" "database\x00shop\x00" "a"
		  "pplication_name\x00psql\x00\x00"),
		S("R\x00\x00\x00\x08\x00\x00\x00\x00S\x00\x00\x00\x1a" "application_name\x00psq"
		  "l\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_POSTGRESQL, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("dave", r->info.name);
	EXPECT_STREQ("db=shop", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(ssl_accepted)
{
	/* psql sslmode=require to a server with ssl=on: 'S', then TLS */
	static const struct msg msgs[] = {
		C("\x00\x00\x00\x08\x04\xd2\x16/"),
		S("S"),
		C("\x16\x03\x01\x01 \x01\x00\x01\x1c\x03\x03" "F\xfd\xe2\x83\x91\xef_\xc2\x81"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_POSTGRESQL, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("ssl", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(gssenc_and_cancel)
{
	/* hand-made: GSSENCRequest refused, and a CancelRequest (pid, key) */
	static const struct msg gss[] = {
		C("\x00\x00\x00\x08\x04\xd2\x16\x30"),
		S("N"),
		C("\x00\x00\x00\x15\x00\x03\x00\x00user\x00" "bob\x00\x00"),
	};
	static const struct msg cancel[] = {
		C("\x00\x00\x00\x10\x04\xd2\x16\x2e\x00\x00\x7a\x85\x08\xfe\x98\xef"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(gss);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_POSTGRESQL, r->state.app);
	EXPECT_STREQ("bob", r->info.name);
	EXPECT_STREQ("", r->info.detail);
	r = dpi_check_tcp(cancel);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_POSTGRESQL, r->state.app);
	EXPECT_STREQ("cancel", r->info.detail);
}

TEST(truncated_and_lying)
{
	/* a length shorter than the pairs: stops there */
	static const struct msg lying[] = {
		C("\x00\x00\x00\x0e\x00\x03\x00\x00user\x00postgres\x00" "database\x00x\x00\x00"),
	};
	/* no terminator anywhere */
	static const struct msg unended[] = {
		C("\x00\x00\x00\x40\x00\x03\x00\x00user"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(lying);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_POSTGRESQL, r->state.app);
	EXPECT_STREQ("", r->info.detail);
	r = dpi_check_tcp(unended);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_POSTGRESQL, r->state.app);
	EXPECT_STREQ("", r->info.name);
}

TEST(not_postgresql)
{
	/* SSLRequest with a wrong length, protocol 2.0 / 4.0, a huge length, garbage key */
	static const struct msg ssl_len[] = { C("\x00\x00\x00\x0c\x04\xd2\x16/\x00\x00\x00\x00") };
	static const struct msg v2[] = {
		C("\x00\x00\x01\x28\x00\x02\x00\x00" "template1\x00\x00"),
	};
	static const struct msg v4[] = {
		C("\x00\x00\x00\x3f\x00\x04\x00\x00user\x00postgres\x00"),
	};
	static const struct msg huge[] = {
		C("\x00\x01\x00\x00\x00\x03\x00\x00user\x00postgres\x00"),
	};
	static const struct msg key[] = {
		C("\x00\x00\x00\x3f\x00\x03\x00\x00\x01\x02\x03\x04\x00"),
	};
	static const struct msg http[] = { C("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n") };
	static const struct msg redis[] = { C("*1\r\n$4\r\nping\r\n") };
	static const struct msg tls[] = {
		C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xef\xf2\x81\xd6!9\xcc" "0\xd1W3e"
		  "\x02I\xa8z\x0d\xa4n\x96lV\xdbu"),
	};
	/* a MongoDB OP_MSG starts with a small LE length too */
	static const struct msg mongo[] = {
		C("c\x00\x00\x00^y\x1d\xb5\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00N"
		  "\x00\x00\x00\x10ping\x00\x01\x00\x00\x00"),
	};

	EXPECT_TRUE(unclaimed(ssl_len, 1));
	EXPECT_TRUE(unclaimed(v2, 1));
	EXPECT_TRUE(unclaimed(v4, 1));
	EXPECT_TRUE(unclaimed(huge, 1));
	EXPECT_TRUE(unclaimed(key, 1));
	EXPECT_TRUE(unclaimed(http, 1));
	EXPECT_TRUE(unclaimed(redis, 1));
	EXPECT_TRUE(unclaimed(tls, 1));
	EXPECT_TRUE(unclaimed(mongo, 1));
}

TEST_HARNESS_MAIN
