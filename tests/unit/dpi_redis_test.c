// SPDX-License-Identifier: GPL-2.0
/*
 * Redis: recorded over loopback with redis-cli 7.0.15 against redis-server
 * 7.0.15 (Debian 12), the inline commands with socat; hand-made bytes for
 * HELLO with AUTH and the hostile cases.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static bool unclaimed(const struct msg *msgs, unsigned int n)
{
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, msgs, n);

	return r && r->state.app != CW_APP_REDIS;
}

TEST(redis_cli_ping)
{
	/* redis-cli ping */
	static const struct msg msgs[] = {
		C("*1\r\n$4\r\nping\r\n"),
		S("+PONG\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("redis", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("PING", r->info.detail);
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(redis_cli_auth_user)
{
	/* redis-cli --user default --pass secret set greeting hello */
	static const struct msg msgs[] = {
		C("*3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$6\r\nsecret\r\n"),
		S("+OK\r\n"),
		C("*3\r\n$3\r\nset\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n"),
		S("+OK\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_REDIS, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("AUTH", r->info.detail);
	EXPECT_STREQ("default", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(redis_cli_resp3)
{
	/* redis-cli -3 get greeting */
	static const struct msg msgs[] = {
		C("*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n"),
		S("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"),
		C("*2\r\n$3\r\nget\r\n$8\r\ngreeting\r\n"),
		S("$5\r\nhello\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_REDIS, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("HELLO", r->info.detail);
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(hello_auth_and_auth_password_only)
{
	/* hand-made: HELLO 3 AUTH alice pw; AUTH with a password only */
	static const struct msg hello[] = {
		C("*5\r\n$5\r\nhello\r\n$1\r\n3\r\n$4\r\nauth\r\n$5\r\nAlice\r\n$2\r\npw\r\n"),
	};
	static const struct msg auth[] = { C("*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n") };
	const struct dpi_result *r;

	r = dpi_check_tcp(hello);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_REDIS, r->state.app);
	EXPECT_STREQ("HELLO", r->info.detail);
	EXPECT_STREQ("alice", r->info.name);
	r = dpi_check_tcp(auth);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_REDIS, r->state.app);
	EXPECT_STREQ("AUTH", r->info.detail);
	EXPECT_STREQ("", r->info.name);
}

TEST(inline_commands)
{
	/* printf 'PING\r\nQUIT\r\n' | socat - TCP:127.0.0.1:port */
	static const struct msg msgs[] = {
		C("PING\r\nQUIT\r\n"),
		S("+PONG\r\n+OK\r\n"),
	};
	static const struct msg get[] = { C("GET greeting\r\n") };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_REDIS, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("PING", r->info.detail);
	r = dpi_check_tcp(get);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_REDIS, r->state.app);
	EXPECT_STREQ("GET", r->info.detail);
}

TEST(truncated_and_lying)
{
	/* a bulk length that lies, a count that never ends */
	static const struct msg lying[] = { C("*2\r\n$4\r\nAUTH\r\n$99999\r\nx\r\n") };
	static const struct msg cut[] = { C("*1\r\n$4\r\nPI") };
	const struct dpi_result *r;

	r = dpi_check_tcp(lying);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_REDIS, r->state.app);
	EXPECT_STREQ("", r->info.name);
	r = dpi_check_tcp(cut);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_UNKNOWN, r->state.app);
}

TEST(not_redis)
{
	/* framing without a known command; memcached's lowercase commands */
	static const struct msg unknown[] = { C("*1\r\n$5\r\nHELLX\r\n") };
	static const struct msg nodollar[] = { C("*1\r\n+PING\r\n") };
	static const struct msg zero[] = { C("*0\r\n$4\r\nPING\r\n") };
	static const struct msg mc_get[] = { C("get greeting\r\n") };
	static const struct msg mc_set[] = { C("set greeting 0 0 5\r\nhello\r\n") };
	static const struct msg http[] = { C("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n") };
	static const struct msg http_short[] = { C("GET /\r\n") };
	static const struct msg tls[] = {
		C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xef\xf2\x81\xd6!9\xcc" "0\xd1W3e"
		  "\x02I\xa8z\x0d\xa4n\x96lV\xdbu"),
	};
	static const struct msg pg[] = { C("\x00\x00\x00\x08\x04\xd2\x16/") };
	static const struct msg nats[] = {
		S("INFO {\"server_id\":\"x\",\"version\":\"2.9.20\"}\r\n"),
		C("PING\r\n"),
	};

	EXPECT_TRUE(unclaimed(unknown, 1));
	EXPECT_TRUE(unclaimed(nodollar, 1));
	EXPECT_TRUE(unclaimed(zero, 1));
	EXPECT_TRUE(unclaimed(mc_get, 1));
	EXPECT_TRUE(unclaimed(mc_set, 1));
	EXPECT_TRUE(unclaimed(http, 1));
	EXPECT_TRUE(unclaimed(http_short, 1));
	EXPECT_TRUE(unclaimed(tls, 1));
	EXPECT_TRUE(unclaimed(pg, 1));
	EXPECT_TRUE(unclaimed(nats, 2));
}

TEST_HARNESS_MAIN
