// SPDX-License-Identifier: GPL-2.0
/*
 * memcached: recorded over loopback against memcached 1.6.18 (Debian 12)
 * with libmemcached-tools 1.1.4 (memcstat; memccp and memccat --binary) and
 * a raw text session (printf | socat); hand-made bytes for the hostile cases.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static bool unclaimed(const struct msg *msgs, unsigned int n)
{
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, msgs, n);

	return r && r->state.app != CW_APP_MEMCACHED;
}

TEST(text_session)
{
	/* printf 'set greeting 0 0 5\r\nhello\r\n' ... | socat */
	static const struct msg msgs[] = {
		C("set greeting 0 0 5\r\nhello\r\n"),
		S("STORED\r\n"),
		C("get greeting\r\n"),
		S("VALUE greeting 0 5\r\nhello\r\nEND\r\n"),
		C("mg greeting v\r\n"),
		S("VA 5\r\nhello\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("memcached", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("set", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(memcstat)
{
	/* memcstat --servers=127.0.0.1:port */
	static const struct msg msgs[] = {
		C("version\r\n"),
		S("VERSION 1.6.18\r\n"),
		C("stats \r\n"),
		S("STAT pid 309\r\nSTAT uptime 135\r\n"),
	};
	static const struct msg stats[] = { C("stats \r\n"), S("STAT pid 309\r\n") };
	static const struct msg meta[] = { C("mg greeting v\r\n"), S("VA 5\r\nhello\r\n") };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MEMCACHED, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("version", r->info.detail);
	r = dpi_check_tcp(stats);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MEMCACHED, r->state.app);
	EXPECT_STREQ("stats", r->info.detail);
	r = dpi_check_tcp(meta);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MEMCACHED, r->state.app);
	EXPECT_STREQ("mg", r->info.detail);
}

TEST(binary)
{
	/* memccp --binary: set "greeting"; memccat --binary: getk */
	static const struct msg set[] = {
		C("\x80\x01\x00\x08\x08\x00\x00\x00\x00\x00\x00\x16\x00\x01\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00greetinghello\n"),
		S("\x81\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x02"),
		C("\x80\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00"),
	};
	static const struct msg getk[] = {
		C("\x80\x0c\x00\x08\x00\x00\x00\x00\x00\x00\x00\x08\x00\x01\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00greeting"),
		S("\x81\x0c\x00\x08\x04\x00\x00\x00\x00\x00\x00\x12\x00\x01\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x02\x00\x00\x00\x00greetinghello\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(set);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MEMCACHED, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("binary set", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
	r = dpi_check_tcp(getk);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MEMCACHED, r->state.app);
	EXPECT_STREQ("binary getk", r->info.detail);
}

TEST(truncated_and_lying)
{
	/* binary: key longer than the body, set without extras, a datatype */
	static const struct msg keylen[] = {
		C("\x80\x00\x00\x40\x00\x00\x00\x00\x00\x00\x00\x08\x00\x01\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00greeting"),
	};
	static const struct msg extras[] = {
		C("\x80\x01\x00\x08\x00\x00\x00\x00\x00\x00\x00\x0e\x00\x01\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00greetinghello\n"),
	};
	static const struct msg dtype[] = {
		C("\x80\x00\x00\x08\x00\x01\x00\x00\x00\x00\x00\x08\x00\x01\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00greeting"),
	};
	static const struct msg cut[] = { C("\x80\x00\x00\x08\x00") };
	/* text: a number that is not, a missing argument, no key */
	static const struct msg flags[] = { C("set greeting x 0 5\r\nhello\r\n") };
	static const struct msg missing[] = { C("set greeting 0 0\r\nhello\r\n") };
	static const struct msg nokey[] = { C("get \r\n") };
	static const struct msg version[] = { C("version 2\r\n") };

	EXPECT_TRUE(unclaimed(keylen, 1));
	EXPECT_TRUE(unclaimed(extras, 1));
	EXPECT_TRUE(unclaimed(dtype, 1));
	EXPECT_TRUE(unclaimed(cut, 1));
	EXPECT_TRUE(unclaimed(flags, 1));
	EXPECT_TRUE(unclaimed(missing, 1));
	EXPECT_TRUE(unclaimed(nokey, 1));
	EXPECT_TRUE(unclaimed(version, 1));
}

TEST(not_memcached)
{
	static const struct msg http[] = { C("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n") };
	static const struct msg redis[] = {
		C("*3\r\n$3\r\nset\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n"),
	};
	static const struct msg redis_inline[] = { C("GET greeting\r\n") };
	static const struct msg tls[] = {
		C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xef\xf2\x81\xd6!9\xcc" "0\xd1W3e"
		  "\x02I\xa8z\x0d\xa4n\x96lV\xdbu"),
	};
	static const struct msg smtp[] = { S("220 mail.example.org ESMTP\r\n"), C("quit\r\n") };
	static const struct msg words[] = { C("gettext is a tool\r\n") };

	EXPECT_TRUE(unclaimed(http, 1));
	EXPECT_TRUE(unclaimed(redis, 1));
	EXPECT_TRUE(unclaimed(redis_inline, 1));
	EXPECT_TRUE(unclaimed(tls, 1));
	EXPECT_TRUE(unclaimed(smtp, 2));
	EXPECT_TRUE(unclaimed(words, 1));
}

TEST_HARNESS_MAIN
