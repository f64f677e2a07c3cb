// SPDX-License-Identifier: GPL-2.0
/*
 * MySQL: recorded over loopback with the mariadb client (libmariadb 3.3.20,
 * MariaDB 10.11.19, Debian 12) against mariadbd 10.11.19 run by hand with
 * --skip-grant-tables; hand-made bytes for the hostile cases.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

/* mariadbd's greeting: protocol 10, "5.5.5-10.11.19-MariaDB-0+deb12u1". */
static const char greeting[] =
	"d\x00\x00\x00\x0a" "5.5.5-10.11.19-MariaDB-0+deb12u1\x00\x03\x00\x00\x00.t#L"
	"7l<'\x00\xfe\xff-\x02\x00\xff\x81\x15\x00\x00\x00\x00\x00\x00\x1d\x00\x00"
	"\x00L))0U;fr*v5F\x00mysql_native_password\x00";

/* Not claimed as MySQL, and nothing crashed. */
static bool unclaimed(const struct msg *msgs, unsigned int n)
{
	const struct dpi_result *r = dpi_check(IPPROTO_TCP, msgs, n);

	return r && r->state.app != CW_APP_MYSQL;
}

TEST(mariadb_login_with_password_and_database)
{
	/* mariadb -h 127.0.0.1 -u Bob -psecret --skip-ssl -D shop */
	static const struct msg msgs[] = {
		SB(greeting),
		C("\xd4\x00\x00\x01\x8c\xa2\xbf\x00\x00\x00\x10\x00!\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x1d\x00\x00\x00" "Bob"
		  "\x00\x14>b\xec\x9a/\x07\xe8#\xcd\xe9$\x8b\xd1" "6\xbe\x8f-i\xe2\xb5shop\x00m"
		  "ysql_native_password\x00\x7f\x03_os\x05Linux\x0c_client_name\x0alibmariadb"
		  "\x04_pid\x05" "30740\x0f_client_version\x06" "3.3.20\x09_platform\x06x86_64"
		  "\x0cprogram_name\x05mysql\x0c_server_host\x09" "127.0.0.1"),
		S(" \x00\x00\x02\xff\x19\x04#42000Unknown database 'shop'"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("mysql", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("bob", r->info.name);
	EXPECT_STREQ("db=shop", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(mariadb_login_without_password)
{
	/* mariadb -u alice --skip-ssl -D mysql: an empty auth response */
	static const struct msg msgs[] = {
		S("d\x00\x00\x00\x0a" "5.5.5-10.11.19-MariaDB-0+deb12u1\x00\x04\x00\x00\x00/rto"
		  "Q%cG\x00\xfe\xf7-\x02\x00\xff\x81\x15\x00\x00\x00\x00\x00\x00\x1d\x00\x00"
		  "\x00wA~w[@m'wB%2\x00mysql_native_password\x00"),
		C("\xc3\x00\x00\x01\x8c\xa2\xbf\x00\x00\x00\x10\x00!\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x1d\x00\x00\x00" "alice"
		  "\x00\x00mysql\x00mysql_native_password\x00\x7f\x03_os\x05Linux\x0c_client_na"
		  "me\x0alibmariadb\x04_pid\x05" "29713\x0f_client_version\x06" "3.3.20\x09_pla"
		  "tform\x06x86_64\x0cprogram_name\x05mysql\x0c_server_host\x09" "127.0.0.1"),
		S("\x11\x00\x00\x02\x00\x00\x00\x02@\x00\x00\x00\x08\x01\x06\x05mysql"),
		C("\x09\x00\x00\x00\x03select 1"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MYSQL, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("alice", r->info.name);
	EXPECT_STREQ("db=mysql", r->info.detail);
}

TEST(no_database)
{
	/* The login above without CLIENT_CONNECT_WITH_DB (0x08) nor a database. */
	static const struct msg msgs[] = {
		SB(greeting),
		C("\x30\x00\x00\x01\x84\xa2\x0f\x00\x00\x00\x10\x00!\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x1d\x00\x00\x00" "alice"
		  "\x00\x00mysql_native_password\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MYSQL, r->state.app);
	EXPECT_STREQ("alice", r->info.name);
	EXPECT_STREQ("", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(ssl_request)
{
	/* mariadb -u carol --ssl: SSLRequest, then TLS (its first bytes here) */
	static const struct msg msgs[] = {
		S("d\x00\x00\x00\x0a" "5.5.5-10.11.19-MariaDB-0+deb12u1\x00\x04\x00\x00\x00\x3f"
		  "e^*R>\x22,\x00\xfe\xff-\x02\x00\xff\x81\x15\x00\x00\x00\x00\x00\x00\x1d\x00"
		  "\x00\x00VOi@F}cWl8rX\x00mysql_native_password\x00"),
		C(" \x00\x00\x01\x84\xaa\xbf\x00\x00\x00\x00\x10\x00!\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x1d\x00\x00\x00"),
		C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MYSQL, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("ssl", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_lying)
{
	/* a greeting cut short, a response whose lengths lie */
	static const struct msg cut[] = { S("d\x00\x00\x00\x0a" "5.5") };
	static const struct msg lying[] = {
		SB(greeting),
		C("\x30\x00\x00\x01\x0f\xa2\x2f\x00\x00\x00\x10\x00!\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x1d\x00\x00\x00" "eve"
		  "\x00\xfe\xff\xff\xff\xff"),
		C("\x05\x00\x00\x01\xff\xff"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(cut);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_UNKNOWN, r->state.app);
	r = dpi_check_tcp(lying);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_MYSQL, r->state.app);
	EXPECT_STREQ("eve", r->info.name);
}

TEST(not_mysql)
{
	/* a greeting's length too short or too long, another protocol version, no version */
	static const struct msg small[] = {
		S("\x10\x00\x00\x00\x0a" "5.5.5-10.11.19-MariaDB\x00"),
	};
	static const struct msg huge[] = { S("\x00\x10\x00\x00\x0a" "8.0.36\x00\x01\x02\x03\x04") };
	static const struct msg v9[] = {
		S("d\x00\x00\x00\x09" "5.5.5-10.11.19-MariaDB-0+deb12u1\x00"),
	};
	static const struct msg garbage[] = { S("d\x00\x00\x00\x0a\x01\x02\x03\x04\x05\x06\x07\x08"
						"\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13") };
	static const struct msg ssh[] = { S("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n") };
	static const struct msg smtp[] = {
		S("220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n"),
	};
	static const struct msg http[] = { C("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n") };
	static const struct msg redis[] = { C("*1\r\n$4\r\nping\r\n") };
	static const struct msg tls[] = {
		C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xef\xf2\x81\xd6!9\xcc" "0\xd1W3e"
		  "\x02I\xa8z\x0d\xa4n\x96lV\xdbu"),
	};

	EXPECT_TRUE(unclaimed(small, 1));
	EXPECT_TRUE(unclaimed(huge, 1));
	EXPECT_TRUE(unclaimed(v9, 1));
	EXPECT_TRUE(unclaimed(garbage, 1));
	EXPECT_TRUE(unclaimed(ssh, 1));
	EXPECT_TRUE(unclaimed(smtp, 1));
	EXPECT_TRUE(unclaimed(http, 1));
	EXPECT_TRUE(unclaimed(redis, 1));
	EXPECT_TRUE(unclaimed(tls, 1));
}

TEST_HARNESS_MAIN
