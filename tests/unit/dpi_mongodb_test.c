// SPDX-License-Identifier: GPL-2.0
/*
 * MongoDB: the client's bytes recorded over loopback from pymongo 3.11.0
 * (python3-pymongo, Debian 12); mongod is not in Debian, so the server's
 * answers come from a small Python stand-in built with pymongo's bson
 * (ismaster: true, maxWireVersion 9). The OP_MSG "hello" and the hostile
 * cases are hand-made from the wire protocol's spec.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static bool unclaimed(const struct msg *msgs, unsigned int n)
{
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, msgs, n);

	return r && r->state.app != CW_APP_MONGODB;
}

/* pymongo's OP_MSG on a pooled connection: ping, $db "shop", $readPreference. */
static const char op_msg_ping[] =
	"c\x00\x00\x00^y\x1d\xb5\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00N"
	"\x00\x00\x00\x10ping\x00\x01\x00\x00\x00\x02$db\x00\x05\x00\x00\x00shop\x00"
	"\x03$readPreference\x00 \x00\x00\x00\x02mode\x00\x11\x00\x00\x00primaryPrefe"
	"rred\x00\x00\x00";

TEST(pymongo_handshake)
{
	/* MongoClient(...).shop.command("ping"): OP_QUERY isMaster on admin.$cmd */
	static const struct msg msgs[] = {
		C("\x10\x01\x00\x00\x9d\x91\xbdH\x00\x00\x00\x00\xd4\x07\x00\x00\x00\x00\x00"
		  "\x00" "admin.$cmd\x00\x00\x00\x00\x00\xff\xff\xff\xff\xe9\x00\x00\x00\x10ism"
		  "aster\x00\x01\x00\x00\x00\x03" "client\x00\xbc\x00\x00\x00\x03" "driver\x00+"
		  "\x00\x00\x00\x02name\x00\x08\x00\x00\x00PyMongo\x00\x02version\x00\x07\x00"
		  "\x00\x00" "3.11.0\x00\x00\x03os\x00[\x00\x00\x00\x02type\x00\x06\x00\x00\x00"
		  "Linux\x00\x02name\x00\x06\x00\x00\x00Linux\x00\x02" "architecture\x00\x07"
		  "\x00\x00\x00x86_64\x00\x02version\x00\x10\x00\x00\x00" "6.18.44-fc-v782\x00"
		  "\x00\x02platform\x00\x17\x00\x00\x00" "CPython 3.11.2.final.0\x00\x00\x04" "c"
		  "ompression\x00\x05\x00\x00\x00\x00\x00"),
		S("\xaf\x00\x00\x00\x01\x00\x00\x00\x9d\x91\xbdH\x01\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x8b\x00"
		  "\x00\x00\x08ismaster\x00\x01\x10maxWireVersion\x00\t\x00\x00\x00\x10minWireV"
		  "ersion\x00\x00\x00\x00\x00\x10maxBsonObjectSize\x00\x00\x00\x00\x01\x10maxMe"
		  "ssageSizeBytes\x00\x00l\xdc\x02\x10maxWriteBatchSize\x00\xa0\x86\x01\x00\x01"
		  "ok\x00\x00\x00\x00\x00\x00\x00\xf0\x3f\x00"),
		CB(op_msg_ping),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("mongodb", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("ismaster", r->info.detail);
	EXPECT_STREQ("admin", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(op_msg)
{
	/* pymongo's OP_MSG, as a newer driver opens with */
	static const struct msg ping[] = { { true, op_msg_ping, sizeof(op_msg_ping) - 1 } };
	/* hand-made: hello with a document, an array and a string before $db */
	static const struct msg hello[] = {
		C("\x9e\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00"
		  "\x00\x00\x89\x00\x00\x00\x10hello\x00\x01\x00\x00\x00\x08helloOk\x00\x01\x03"
		  "client\x00#\x00\x00\x00\x03" "application\x00\x11\x00\x00\x00\x02name\x00"
		  "\x02\x00\x00\x00x\x00\x00\x00\x04" "compression\x00\x05\x00\x00\x00\x00\x02"
		  "saslSupportedMechs\x00\x0b\x00\x00\x00shop.Alice\x00\x02$db\x00\x06\x00\x00"
		  "\x00" "Admin\x00\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(ping);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MONGODB, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("ping", r->info.detail);
	EXPECT_STREQ("shop", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
	r = dpi_check_tcp(hello);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MONGODB, r->state.app);
	EXPECT_STREQ("hello", r->info.detail);
	EXPECT_STREQ("admin", r->info.name);
}

TEST(truncated_and_lying)
{
	/* a value length past the document: stops, "$db" never reached */
	static const struct msg lying[] = {
		C("c\x00\x00\x00^y\x1d\xb5\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00N"
		  "\x00\x00\x00\x02ping\x00\xff\xff\xff\x7f\x02$db\x00\x05\x00\x00\x00shop\x00"),
	};
	/* a bad element type after the first */
	static const struct msg type[] = {
		C("c\x00\x00\x00^y\x1d\xb5\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00N"
		  "\x00\x00\x00\x10ping\x00\x01\x00\x00\x00\x55$db\x00\x05\x00\x00\x00shop\x00"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(lying);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MONGODB, r->state.app);
	EXPECT_STREQ("ping", r->info.detail);
	EXPECT_STREQ("", r->info.name);
	r = dpi_check_tcp(type);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MONGODB, r->state.app);
	EXPECT_STREQ("", r->info.name);
}

TEST(not_mongodb)
{
	/* responseTo set (a reply), OP_REPLY, unknown flag bits, a kind 2 section */
	static const struct msg reply[] = {
		S("\xaf\x00\x00\x00\x01\x00\x00\x00\x9d\x91\xbdH\x01\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x8b\x00"),
	};
	static const struct msg answer[] = {
		C("c\x00\x00\x00^y\x1d\xb5\x01\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00N"
		  "\x00\x00\x00\x10ping\x00\x01\x00\x00\x00"),
	};
	static const struct msg flags[] = {
		C("c\x00\x00\x00^y\x1d\xb5\x00\x00\x00\x00\xdd\x07\x00\x00\x04\x00\x00\x00\x00N"
		  "\x00\x00\x00\x10ping\x00\x01\x00\x00\x00"),
	};
	static const struct msg kind[] = {
		C("c\x00\x00\x00^y\x1d\xb5\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x02N"
		  "\x00\x00\x00\x10ping\x00\x01\x00\x00\x00"),
	};
	static const struct msg doclen[] = {
		C("c\x00\x00\x00^y\x1d\xb5\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00N"
		  "\x01\x00\x00\x10ping\x00\x01\x00\x00\x00"),
	};
	static const struct msg http[] = { C("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n") };
	static const struct msg redis[] = { C("*1\r\n$4\r\nping\r\n") };
	static const struct msg tls[] = {
		C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xef\xf2\x81\xd6!9\xcc" "0\xd1W3e"
		  "\x02I\xa8z\x0d\xa4n\x96lV\xdbu"),
	};

	EXPECT_TRUE(unclaimed(reply, 1));
	EXPECT_TRUE(unclaimed(answer, 1));
	EXPECT_TRUE(unclaimed(flags, 1));
	EXPECT_TRUE(unclaimed(kind, 1));
	EXPECT_TRUE(unclaimed(doclen, 1));
	EXPECT_TRUE(unclaimed(http, 1));
	EXPECT_TRUE(unclaimed(redis, 1));
	EXPECT_TRUE(unclaimed(tls, 1));
}

TEST_HARNESS_MAIN
