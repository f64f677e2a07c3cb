// SPDX-License-Identifier: GPL-2.0
/*
 * TFTP: requests to tftpd-hpa 5.2 (in.tftpd) on 127.0.0.1, recorded with
 * tcpdump: tftp-hpa 5.2's "get" (octet) and "put" (-m ascii), busybox
 * 1.35.0's tftp -g -b 1024 (options blksize and tsize). The server answers
 * from another port, a flow of its own.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static const char rrq[] = "\x00\x01Hello.TXT\x00octet\x00";
static const char data1[] = "\x00\x03\x00\x01hello from cellwall\n";
static const char ack1[] = "\x00\x04\x00\x01";
static const char rrq_options[] =
	"\x00\x01Hello.TXT\x00octet\x00" "blksize\x00" "1024\x00tsize\x00" "0\x00";
static const char wrq[] = "\x00\x02Upload.txt\x00netascii\x00";

#define LEN(a) (sizeof(a) - 1)
#define B(s) { s, LEN(s) }

TEST(tftp_hpa_get)
{
	static const struct msg msgs[] = { C(rrq) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("tftp", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("RRQ octet Hello.TXT", r->info.detail);
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(busybox_get_with_options)
{
	static const struct msg msgs[] = { C(rrq_options) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TFTP, r->state.app);
	EXPECT_STREQ("RRQ octet Hello.TXT", r->info.detail);
}

TEST(tftp_hpa_put)
{
	static const struct msg msgs[] = { C(wrq) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TFTP, r->state.app);
	EXPECT_STREQ("WRQ netascii Upload.txt", r->info.detail);
}

/* Modes are case-insensitive (RFC 1350 §5): handmade. */
TEST(mode_case)
{
	static const struct msg msgs[] = { C("\x00\x01/srv/Boot.img\x00OcTeT\x00") };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_TFTP, r->state.app);
	EXPECT_STREQ("RRQ octet /srv/Boot.img", r->info.detail);
}

/* The transfer's own flow (DATA, ACK) is not a request. */
TEST(transfer_is_not_claimed)
{
	static const struct msg msgs[] = { S(data1), C(ack1) };

	EXPECT_NE(CW_APP_TFTP, dpi_check_udp(msgs)->state.app);
}

TEST(truncated_and_hostile)
{
	static char buf[sizeof(rrq_options)], big[600];
	struct msg m = { true, buf, 0 };
	struct dpi_result r;
	static const struct { const char *data; unsigned int len; } bad[] = {
		B("\x00\x03Hello.TXT\x00octet\x00"),	/* DATA */
		B("\x01\x01Hello.TXT\x00octet\x00"),
		B("\x00\x01\x00octet\x00"),		/* no file name */
		B("\x00\x01Hello.TXT\x00" "binary\x00"),	/* no such mode */
		B("\x00\x01Hello.TXT\x00octets\x00"),
		B("\x00\x01Hello.TXT\x00octet"),		/* no NUL */
		B("\x00\x01Hello.TXT\x00octet\x00x"),	/* an option without NUL */
		B("\x00\x01Hello.TXT\x00octet\x00\x00" "1\x00"),	/* an empty option name */
		B("\x00\x01Hel\x01lo.TXT\x00octet\x00"),	/* a control byte */
	};
	unsigned int i;

	/* Every cut of a request with options but those at a pair's end. */
	memcpy(buf, rrq_options, LEN(rrq_options));
	for (m.len = 1; m.len < LEN(rrq_options); m.len++) {
		dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
		EXPECT_EQ(m.len == 18 || m.len == 31 ? CW_APP_TFTP : CW_APP_UNKNOWN,
			  r.state.app) TH_LOG("cut at %u", m.len);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.data = bad[i].data;
		m.len = bad[i].len;
		dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
		EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	}
	/* More than 512 bytes, then 106. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "\x00\x01", 2);
	memcpy(big + sizeof(big) - 6, "\x00mail\x00", 6);
	m.data = big;
	m.len = sizeof(big);
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	memmove(big + 100, big + sizeof(big) - 6, 6);
	m.len = 106;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_TFTP, r.state.app);
}

/*
 * dig 9.18's query, chrony 4.3's client request, turnutils_stunclient's
 * binding request (coturn 4.6.1), curl's HTTP request.
 */
TEST(other_protocols_are_not_tftp)
{
	static const struct msg dns[] = {
		C("\x9a\xd9\x01 \x00\x01\x00\x00\x00\x00\x00\x01\x03WWW\x08" "Cellwall\x04te"
		  "st\x00\x00\x01\x00\x01\x00\x00)\x04\xd0\x00\x00\x00\x00\x00\x0c\x00\n"
		  "\x00\x08\x19" "6\x14=*yH\x11"),
	};
	static const struct msg ntp[] = {
		C("\x23\x00\x06\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x30\x25\x9f\xf8\x6e\x74\x0a\x62"),
	};
	static const struct msg stun[] = {
		C("\x00\x01\x00\x00\x21\x12\xa4\x42\x40\xc1\xea\xee\x3f\xa2\xaa\x00\xed\xdd"
		  "\xe2\x20"),
	};
	static const struct msg http[] = {
		C("GET /index.html HTTP/1.1\r\n"
		  "Host: 127.0.0.1:28917\r\n"
		  "User-Agent: curl/7.88.1\r\n"
		  "Accept: */*\r\n"
		  "\r\n"),
	};

	EXPECT_NE(CW_APP_TFTP, dpi_check_udp(dns)->state.app);
	EXPECT_NE(CW_APP_TFTP, dpi_check_udp(ntp)->state.app);
	EXPECT_NE(CW_APP_TFTP, dpi_check_udp(stun)->state.app);
	EXPECT_NE(CW_APP_TFTP, dpi_check_udp(http)->state.app);
}

TEST_HARNESS_MAIN
