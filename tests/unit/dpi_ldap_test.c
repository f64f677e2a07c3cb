// SPDX-License-Identifier: GPL-2.0
/*
 * LDAP: ldapsearch (ldap-utils 2.5.13, Debian 12) against slapd 2.5.13
 * (back_mdb, suffix dc=cellwall,dc=test) on 127.0.0.1, recorded with
 * tcpdump: a simple bind as cn=Admin then a search, and an anonymous one
 * that asks for StartTLS first (-Z; this slapd has no TLS and refuses).
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

TEST(simple_bind_and_search)
{
	static const struct msg msgs[] = {
		C("0.\x02\x01\x01`)\x02\x01\x03\x04\x1c" "cn=Admin,dc=cellwall,dc=test\x80\x06"
		  "secret"),
		S("0\x0c\x02\x01\x01" "a\x07\n\x01\x00\x04\x00\x04\x00"),
		C("08\x02\x01\x02" "c3\x04\x13" "dc=cellwall,dc=test\n\x01\x02\n"
		  "\x01\x00\x02\x01\x00\x02\x01\x00\x01\x01\x00\x87\x0bobjectClass0\x00"),
		S("0\x0c\x02\x01\x02" "e\x07\n\x01 \x04\x00\x04\x00"),
		C("0\x05\x02\x01\x03" "B\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("ldap", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("bind", r->info.detail);
	EXPECT_STREQ("cn=admin,dc=cellwall,dc=test", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(starttls)
{
	static const struct msg msgs[] = {
		C("0\x1d\x02\x01\x01w\x18\x80\x16" "1.3.6.1.4.1.1466.20037"),
		S("0*\x02\x01\x01x%\n\x01\x02\x04\x00\x04\x1e" "unsupported extended operation"),
		C("0\x0c\x02\x01\x02`\x07\x02\x01\x03\x04\x00\x80\x00"),
		S("0\x0c\x02\x01\x02" "a\x07\n\x01\x00\x04\x00\x04\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_LDAP, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("starttls", r->info.detail);
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* The anonymous bind of the same session, on its own. */
TEST(anonymous_bind)
{
	static const struct msg msgs[] = {
		C("0\x0c\x02\x01\x02`\x07\x02\x01\x03\x04\x00\x80\x00"),
		S("0\x0c\x02\x01\x02" "a\x07\n\x01\x00\x04\x00\x04\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_LDAP, r->state.app);
	EXPECT_STREQ("bind", r->info.detail);
	EXPECT_STREQ("", r->info.name);
}

/* Handmade: long-form lengths, another extended operation, a SASL bind. */
TEST(long_forms_whoami_sasl)
{
	static const struct msg whoami[] = {
		C("\x30\x84\x00\x00\x00\x22\x02\x01\x01\x77\x84\x00\x00\x00\x19\x80\x17"
		  "1.3.6.1.4.1.4203.1.11.3"),
	};
	static const struct msg sasl[] = {
		C("0\x1d\x02\x01\x01`\x18\x02\x01\x03\x04\x07" "cn=nobo\xa3\x0a\x04\x08"
		  "EXTERNAL"),
	};
	static const struct msg search[] = {
		C("\x30\x81\x27\x02\x02\x01\x00\x63\x81\x20\x04\x00\x0a\x01\x00\x0a\x01\x00"
		  "\x02\x01\x00\x02\x01\x00\x01\x01\x00\x87\x0bobjectClass0\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(whoami);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_LDAP, r->state.app);
	EXPECT_STREQ("extended", r->info.detail);
	r = dpi_check_tcp(sasl);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_LDAP, r->state.app);
	EXPECT_STREQ("bind", r->info.detail);
	EXPECT_STREQ("", r->info.name);
	r = dpi_check_tcp(search);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_LDAP, r->state.app);
	EXPECT_STREQ("search", r->info.detail);
}

TEST(truncated_and_hostile)
{
	/* The operation longer than its SEQUENCE, a negative messageID. */
	static const struct msg op_too_long[] = {
		C("0\x0c\x02\x01\x02`\x0a\x02\x01\x03\x04\x00\x80\x00"),
	};
	static const struct msg negative_id[] = {
		C("0\x0c\x02\x01\x82`\x07\x02\x01\x03\x04\x00\x80\x00"),
	};
	/* A response first, an unknown tag, a length of 5 length bytes. */
	static const struct msg response[] = {
		C("0\x0c\x02\x01\x01" "a\x07\n\x01\x00\x04\x00\x04\x00"),
	};
	static const struct msg unknown[] = {
		C("0\x0c\x02\x01\x02\x7f\x07\x02\x01\x03\x04\x00\x80\x00"),
	};
	static const struct msg len5[] = {
		C("\x30\x85\x00\x00\x00\x00\x0c\x02\x01\x02`\x07\x02\x01\x03\x04\x00\x80\x00"),
	};
	/* A DN whose length lies: claimed, but the walk stops at the end. */
	static const struct msg dn_lies[] = {
		C("0\x10\x02\x01\x01`\x0b\x02\x01\x03\x04\x7f" "cn=x\x80\x00"),
	};
	/* Cut short: waits, never claims. */
	static const struct msg cut[] = { C("0.\x02\x01") };
	const struct dpi_result *r;

	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(op_too_long)->state.app);
	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(negative_id)->state.app);
	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(response)->state.app);
	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(unknown)->state.app);
	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(len5)->state.app);
	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(cut)->state.app);
	r = dpi_check_tcp(dn_lies);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_LDAP, r->state.app);
	EXPECT_STREQ("cn=x??", r->info.name);
	EXPECT_EQ(CW_DPI_INSPECTING, r->state.status);
}

/* curl 7.88.1, redis-cli 7.0.15, openssl s_client 3.0.19 to a socat listener. */
TEST(other_protocols_are_not_ldap)
{
	static const struct msg http[] = {
		C("GET /index.html HTTP/1.1\r\n"
		  "Host: 127.0.0.1:28917\r\n"
		  "User-Agent: curl/7.88.1\r\n"
		  "Accept: */*\r\n"
		  "\r\n"),
	};
	static const struct msg redis[] = {
		C("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"),
	};
	static const struct msg tls[] = {
		C("\x16\x03\x01\x01" "8\x01\x00\x01" "4\x03\x03H\x1c\xaa\xbc\xdds\xfd\xfel\x3f"
		  "\x95" "8\xe9r\x88\x06\x1a\xcf\xa5\xc6{\xc7\xc7j`/+=\xe6\x16,\xbe \xdb\xe4"
		  "k\x95\xfd\xa9-\xa8" "E\xc7\x14.\x9f\xff\xc4\x7f\xd0\x83g\x22\x15 \xcfN\xec"
		  "\xbb\xfd<\x18\xa9\x93h\x00>\x13\x02\x13\x03\x13\x01\xc0,\xc0" "0\x00\x9f\xcc"
		  "\xa9\xcc\xa8\xcc\xaa\xc0+\xc0/\x00\x9e\xc0$\xc0(\x00k\xc0#\xc0'\x00g\xc0\n"
		  "\xc0\x14\x00" "9\xc0\x09\xc0\x13\x00" "3\x00\x9d\x00\x9c\x00=\x00<\x00" "5"
		  "\x00/\x00\xff\x01\x00\x00\xad\x00\x00\x00\x10\x00\x0e\x00\x00\x0b" "examp"
		  "le.com\x00\x0b\x00\x04\x03\x00\x01\x02\x00\n"
		  "\x00\x16\x00\x14\x00\x1d\x00\x17\x00\x1e\x00\x19\x00\x18\x01\x00\x01\x01\x01"
		  "\x02\x01\x03\x01\x04\x00#\x00\x00\x00\x16\x00\x00\x00\x17\x00\x00\x00\r\x00"
		  "*\x00(\x04\x03\x05\x03\x06\x03\x08\x07\x08\x08\x08\x09\x08\n"
		  "\x08\x0b\x08\x04\x08\x05\x08\x06\x04\x01\x05\x01\x06\x01\x03\x03\x03\x01\x03"
		  "\x02\x04\x02\x05\x02\x06\x02\x00+\x00\x09\x08\x03\x04\x03\x03\x03\x02\x03"
		  "\x01\x00-\x00\x02\x01\x01\x00" "3\x00&\x00$\x00\x1d\x00 \xf9=~\xcb\xc9;\xc7"
		  "\x8e\xf4" "F0\x1ak;\xa2{\x0eP\xeaZ\xcf\xf8" "EF;\xd9\xbb\xb1" "e~\x94r"),
	};
	/* smbclient 4.17.12's SMB1 negotiate (to a socat listener). */
	static const struct msg smb[] = {
		C("\x00\x00\x00T\xffSMBr\x00\x00\x00\x00\x18" "C\xc8\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\xfe\xff\x00\x00\x00\x00\x00" "1\x00\x02NT LA"
		  "NMAN 1.0\x00\x02NT LM 0.12\x00\x02SMB 2.002\x00\x02SMB 2.\x3f\x3f\x3f\x00"),
	};

	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(http)->state.app);
	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(redis)->state.app);
	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(tls)->state.app);
	EXPECT_NE(CW_APP_LDAP, dpi_check_tcp(smb)->state.app);
}

TEST_HARNESS_MAIN
