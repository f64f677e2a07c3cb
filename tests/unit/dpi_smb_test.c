// SPDX-License-Identifier: GPL-2.0
/*
 * SMB: smbclient 4.17.12 (Debian 12) -L //127.0.0.1 -p 14445 to a socat
 * listener (client bytes only), recorded with tcpdump: its SMB2 NEGOTIATE
 * (the default, client min protocol SMB2_02) and its SMB1 NEGOTIATE that
 * offers SMB2 dialects (client min protocol = NT1).
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static const char smb2_negotiate[] =
	"\x00\x00\x00\xe2\xfe\x53\x4d\x42\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x1f\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x24\x00\x05\x00\x01\x00\x00\x00\x7f\x00\x00\x00\xda\xce\x21\x7a\x42\xa5\xef\x4f"
	"\x8a\x4f\x82\x62\x2b\x44\x8b\xb9\x70\x00\x00\x00\x04\x00\x00\x00\x02\x02\x10\x02\x00\x03"
	"\x02\x03\x11\x03\x00\x00\x01\x00\x26\x00\x00\x00\x00\x00\x01\x00\x20\x00\x01\x00\x12\x17"
	"\x35\xc8\x83\xe3\xf6\x90\x62\x34\xd8\x1f\xda\x0a\x4a\x49\xee\x07\x12\x06\xb6\x65\xd8\x97"
	"\x15\xf1\x57\x5f\x46\xed\x99\xb7\x00\x00\x02\x00\x0a\x00\x00\x00\x00\x00\x04\x00\x02\x00"
	"\x01\x00\x04\x00\x03\x00\x00\x00\x00\x00\x00\x00\x08\x00\x08\x00\x00\x00\x00\x00\x03\x00"
	"\x02\x00\x01\x00\x00\x00\x05\x00\x12\x00\x00\x00\x00\x00\x31\x00\x32\x00\x37\x00\x2e\x00"
	"\x30\x00\x2e\x00\x30\x00\x2e\x00\x31\x00";

static const char smb1_negotiate[] =
	"\x00\x00\x00T\xffSMBr\x00\x00\x00\x00\x18" "C\xc8\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\xfe\xff\x00\x00\x00\x00\x00" "1\x00\x02NT LA"
	"NMAN 1.0\x00\x02NT LM 0.12\x00\x02SMB 2.002\x00\x02SMB 2.\x3f\x3f\x3f\x00";

#define LEN(a) (sizeof(a) - 1)

TEST(smbclient_smb2)
{
	static const struct msg msgs[] = { C(smb2_negotiate) };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("smb", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("smb2", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(smbclient_smb1)
{
	static const struct msg msgs[] = { C(smb1_negotiate) };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_SMB, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("smb1", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_hostile)
{
	static char buf[sizeof(smb2_negotiate)];
	struct msg m = { true, buf, LEN(smb2_negotiate) };
	struct dpi_result r;

	memcpy(buf, smb2_negotiate, LEN(smb2_negotiate));
	/* Cut inside the header: never decided. */
	for (m.len = 1; m.len < 18; m.len++) {
		dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
		EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	}
	m.len = LEN(smb2_negotiate);
	buf[0] = (char)0x85;	/* a NetBIOS keepalive, not a message */
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[0] = 0;
	buf[3] = 0x40;		/* shorter than an SMB2 header */
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[3] = (char)0xe2;
	buf[8] = 0x41;		/* StructureSize */
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[8] = 0x40;
	buf[16] = 1;		/* SESSION_SETUP first */
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[16] = 0;
	buf[4] = (char)0xfd;	/* a transform header first */
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[4] = (char)0xfe;
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_SMB, r.state.app);

	memcpy(buf, smb1_negotiate, LEN(smb1_negotiate));
	m.len = LEN(smb1_negotiate);
	buf[8] = 0x73;		/* SESSION_SETUP_ANDX first */
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[8] = 0x72;
	buf[3] = 0x20;		/* shorter than an SMB1 header */
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
}

/* curl 7.88.1, redis-cli 7.0.15, openssl s_client 3.0.19 to a socat listener. */
TEST(other_protocols_are_not_smb)
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
	/* dig 9.18's query over TCP to dnsmasq 2.90. */
	static const struct msg dns[] = {
		C("\x00:\xd9T\x01 \x00\x01\x00\x00\x00\x00\x00\x01\x03www\x08" "cellwall\x04"
		  "test\x00\x00\x01\x00\x01\x00\x00)\x04\xd0\x00\x00\x00\x00\x00\x0c\x00\n"
		  "\x00\x08" "ac\x11y\x7f" "0l\x81"),
	};

	EXPECT_NE(CW_APP_SMB, dpi_check_tcp(http)->state.app);
	EXPECT_NE(CW_APP_SMB, dpi_check_tcp(redis)->state.app);
	EXPECT_NE(CW_APP_SMB, dpi_check_tcp(tls)->state.app);
	EXPECT_NE(CW_APP_SMB, dpi_check_tcp(dns)->state.app);
}

TEST_HARNESS_MAIN
