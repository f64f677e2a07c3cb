// SPDX-License-Identifier: GPL-2.0
/*
 * NTP: chronyd 4.3 -Q (a client that measures once) asking chronyd 4.3
 * (local stratum 10) on 127.0.0.1, recorded with tcpdump. chrony's
 * requests hide everything but the transmit timestamp.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static const char request[] =
	"\x23\x00\x06\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x30\x25\x9f\xf8\x6e\x74\x0a\x62";
static const char response[] =
	"\x24\x0a\x06\xe6\x00\x00\x00\x00\x00\x00\x00\x00\x7f\x7f\x01\x01\xee\xb5"
	"\xfd\xf2\x96\x0a\x4f\xed\x30\x25\x9f\xf8\x6e\x74\x0a\x62\xee\xb5\xfd\xf3"
	"\x9b\xe7\xd5\xc7\xee\xb5\xfd\xf3\x9c\x0d\x1e\x8e";

#define LEN(a) (sizeof(a) - 1)

TEST(chrony_client_and_server)
{
	static const struct msg msgs[] = { C(request), S(response) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("ntp", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_EQ(4, r->info.version);
	EXPECT_STREQ("client", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(server_side)
{
	static const struct msg msgs[] = { C(response) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_NTP, r->state.app);
	EXPECT_EQ(4, r->info.version);
	EXPECT_STREQ("server", r->info.detail);
}

/* NTPv3, symmetric active, with a MAC (key ID and MD5 digest): handmade. */
TEST(version_3_with_mac)
{
	static const struct msg msgs[] = {
		C("\x19\x02\x0a\xec\x00\x00\x00\x00\x00\x00\x00\x00\x7f\x7f\x01\x01\xee\xb5"
		  "\xfd\xf2\x96\x0a\x4f\xed\x30\x25\x9f\xf8\x6e\x74\x0a\x62\xee\xb5\xfd\xf3"
		  "\x9b\xe7\xd5\xc7\xee\xb5\xfd\xf3\x9c\x0d\x1e\x8e"
		  "\x00\x00\x00\x01\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e"
		  "\x0f\x10"),
	};
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_NTP, r->state.app);
	EXPECT_EQ(3, r->info.version);
	EXPECT_STREQ("symmetric active", r->info.detail);
}

TEST(truncated_and_hostile)
{
	static char buf[LEN(response) + 4];
	struct msg m = { true, buf, LEN(response) };
	struct dpi_result r;
	static const u8 bad_first[] = {
		0x04,	/* VN 0 */
		0x2c,	/* VN 5 */
		0x20,	/* mode 0 */
		0x26,	/* mode 6, control */
		0x27,	/* mode 7, private */
	};
	unsigned int i;

	memcpy(buf, response, LEN(response));
	for (m.len = 1; m.len < LEN(response); m.len++) {
		dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
		EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	}
	/* A length that is not whole words. */
	m.len = LEN(response) + 3;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	m.len = LEN(response) + 4;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_NTP, r.state.app);
	m.len = LEN(response);

	for (i = 0; i < sizeof(bad_first); i++) {
		buf[0] = bad_first[i];
		dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
		EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	}
	buf[0] = 0x24;
	buf[1] = 17;	/* stratum */
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[1] = 10;
	buf[2] = 18;	/* poll */
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[2] = 6;
	buf[3] = 'A';	/* precision 65 */
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	/* 48 bytes of text. */
	memcpy(buf, "GET / HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n", 48);
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
}

/*
 * dig 9.18's query, turnutils_stunclient's binding request (coturn 4.6.1),
 * tftp-hpa 5.2's RRQ, curl's HTTP request.
 */
TEST(other_protocols_are_not_ntp)
{
	static const struct msg dns[] = {
		C("\x9a\xd9\x01 \x00\x01\x00\x00\x00\x00\x00\x01\x03WWW\x08" "Cellwall\x04te"
		  "st\x00\x00\x01\x00\x01\x00\x00)\x04\xd0\x00\x00\x00\x00\x00\x0c\x00\n"
		  "\x00\x08\x19" "6\x14=*yH\x11"),
	};
	static const struct msg stun[] = {
		C("\x00\x01\x00\x00\x21\x12\xa4\x42\x40\xc1\xea\xee\x3f\xa2\xaa\x00\xed\xdd"
		  "\xe2\x20"),
	};
	static const struct msg tftp[] = { C("\x00\x01Hello.TXT\x00octet\x00") };
	static const struct msg http[] = {
		C("GET /index.html HTTP/1.1\r\n"
		  "Host: 127.0.0.1:28917\r\n"
		  "User-Agent: curl/7.88.1\r\n"
		  "Accept: */*\r\n"
		  "\r\n"),
	};

	EXPECT_NE(CW_APP_NTP, dpi_check_udp(dns)->state.app);
	EXPECT_NE(CW_APP_NTP, dpi_check_udp(stun)->state.app);
	EXPECT_NE(CW_APP_NTP, dpi_check_udp(tftp)->state.app);
	EXPECT_NE(CW_APP_NTP, dpi_check_udp(http)->state.app);
}

TEST_HARNESS_MAIN
