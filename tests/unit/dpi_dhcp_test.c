// SPDX-License-Identifier: GPL-2.0
/*
 * DHCP: busybox 1.35.0's udhcpc (-x hostname:Cellwall-Box) getting a lease
 * from dnsmasq 2.90's DHCP server over a veth pair between two network
 * namespaces, recorded with tcpdump on the server's side. The zeros of
 * chaddr's padding, sname and file are written as Z10 Z192.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

#define Z10 "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
#define Z64 Z10 Z10 Z10 Z10 Z10 Z10 "\x00\x00\x00\x00"
#define Z192 Z64 Z64 Z64

static const char discover[] =
	"\x01\x01\x06\x00\x42\xc5\x65\x46\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x9e\x4a\xc3\x74\x2d\x26"
	Z10 Z192	/* chaddr's padding, sname, file */
	"\x63\x82\x53\x63\x35\x01\x01\x39\x02\x02\x40\x37\x07\x01\x03\x06\x0c"
	"\x0f\x1c\x2a\x0c\x0c\x43\x65\x6c\x6c\x77\x61\x6c\x6c\x2d\x42\x6f\x78"
	"\x3c\x0c\x75\x64\x68\x63\x70\x20\x31\x2e\x33\x35\x2e\x30\x3d\x07\x01"
	"\x9e\x4a\xc3\x74\x2d\x26\xff"
	"\x00\x00\x00\x00\x00\x00";

static const char discover2[] =
	"\x01\x01\x06\x00\x42\xc5\x65\x46\x00\x03\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x9e\x4a\xc3\x74\x2d\x26"
	Z10 Z192	/* chaddr's padding, sname, file */
	"\x63\x82\x53\x63\x35\x01\x01\x39\x02\x02\x40\x37\x07\x01\x03\x06\x0c"
	"\x0f\x1c\x2a\x0c\x0c\x43\x65\x6c\x6c\x77\x61\x6c\x6c\x2d\x42\x6f\x78"
	"\x3c\x0c\x75\x64\x68\x63\x70\x20\x31\x2e\x33\x35\x2e\x30\x3d\x07\x01"
	"\x9e\x4a\xc3\x74\x2d\x26\xff"
	"\x00\x00\x00\x00\x00\x00";

/* The server's answer. */
static const char offer[] =
	"\x02\x01\x06\x00\x42\xc5\x65\x46\x00\x00\x00\x00\x00\x00\x00\x00\xc0"
	"\xa8\x4d\x3c\xc0\xa8\x4d\x01\x00\x00\x00\x00\x9e\x4a\xc3\x74\x2d\x26"
	Z10 Z192	/* chaddr's padding, sname, file */
	"\x63\x82\x53\x63\x35\x01\x02\x36\x04\xc0\xa8\x4d\x01\x33\x04\x00\x00"
	"\x0e\x10\x3a\x04\x00\x00\x07\x08\x3b\x04\x00\x00\x0c\x4e\x01\x04\xff"
	"\xff\xff\x00\x1c\x04\xc0\xa8\x4d\xff\x03\x04\xc0\xa8\x4d\x01\xff"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";

/* The server's answer. */
static const char offer2[] =
	"\x02\x01\x06\x00\x42\xc5\x65\x46\x00\x03\x00\x00\x00\x00\x00\x00\xc0"
	"\xa8\x4d\x3c\xc0\xa8\x4d\x01\x00\x00\x00\x00\x9e\x4a\xc3\x74\x2d\x26"
	Z10 Z192	/* chaddr's padding, sname, file */
	"\x63\x82\x53\x63\x35\x01\x02\x36\x04\xc0\xa8\x4d\x01\x33\x04\x00\x00"
	"\x0e\x10\x3a\x04\x00\x00\x07\x08\x3b\x04\x00\x00\x0c\x4e\x01\x04\xff"
	"\xff\xff\x00\x1c\x04\xc0\xa8\x4d\xff\x03\x04\xc0\xa8\x4d\x01\xff"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";


static const char request[] =
	"\x01\x01\x06\x00\x42\xc5\x65\x46\x00\x03\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x9e\x4a\xc3\x74\x2d\x26"
	Z10 Z192	/* chaddr's padding, sname, file */
	"\x63\x82\x53\x63\x35\x01\x03\x32\x04\xc0\xa8\x4d\x3c\x36\x04\xc0\xa8"
	"\x4d\x01\x39\x02\x02\x40\x37\x07\x01\x03\x06\x0c\x0f\x1c\x2a\x0c\x0c"
	"\x43\x65\x6c\x6c\x77\x61\x6c\x6c\x2d\x42\x6f\x78\x3c\x0c\x75\x64\x68"
	"\x63\x70\x20\x31\x2e\x33\x35\x2e\x30\x3d\x07\x01\x9e\x4a\xc3\x74\x2d"
	"\x26\xff"
	"";

/* The server's answer. */
static const char ack[] =
	"\x02\x01\x06\x00\x42\xc5\x65\x46\x00\x03\x00\x00\x00\x00\x00\x00\xc0"
	"\xa8\x4d\x3c\xc0\xa8\x4d\x01\x00\x00\x00\x00\x9e\x4a\xc3\x74\x2d\x26"
	Z10 Z192	/* chaddr's padding, sname, file */
	"\x63\x82\x53\x63\x35\x01\x05\x36\x04\xc0\xa8\x4d\x01\x33\x04\x00\x00"
	"\x0e\x10\x3a\x04\x00\x00\x07\x08\x3b\x04\x00\x00\x0c\x4e\x01\x04\xff"
	"\xff\xff\x00\x1c\x04\xc0\xa8\x4d\xff\x03\x04\xc0\xa8\x4d\x01\x0c\x0c"
	"\x43\x65\x6c\x6c\x77\x61\x6c\x6c\x2d\x42\x6f\x78\xff"
	"";

#define LEN(a) (sizeof(a) - 1)

TEST(udhcpc_and_dnsmasq)
{
	static const struct msg msgs[] = { C(discover), S(offer), C(request), S(ack) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("dhcp", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("DISCOVER", r->info.detail);
	EXPECT_STREQ("cellwall-box", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* The server's answers, broadcast: a flow of their own. */
TEST(server_answers)
{
	static const struct msg msgs[] = { C(offer), C(offer2), C(ack) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_DHCP, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("OFFER", r->info.detail);
	/* dnsmasq repeats the host name in its ACK. */
	EXPECT_STREQ("cellwall-box", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* No host name in the DISCOVER: taken from the REQUEST. */
TEST(host_name_later)
{
	static char buf[sizeof(discover)];
	struct msg msgs[] = {
		{ true, buf, LEN(discover) }, S(offer), CB(request), S(ack), C(discover2),
	};
	const struct dpi_result *r;

	memcpy(buf, discover, LEN(discover));
	ASSERT_EQ(12, buf[256]);	/* option 12, the host name */
	buf[256] = 15;	/* now a domain name */
	msgs[2].len = LEN(request);
	r = dpi_check_udp(msgs);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_DHCP, r->state.app);
	EXPECT_STREQ("DISCOVER", r->info.detail);
	EXPECT_STREQ("cellwall-box", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	/* None anywhere: done after 4 datagrams all the same. */
	memcpy(buf, discover, LEN(discover));
	buf[256] = 15;
	msgs[1] = msgs[0];
	msgs[2] = msgs[0];
	msgs[3] = msgs[0];
	r = dpi_check_udp(msgs);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("", r->info.name);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_hostile)
{
	static char buf[sizeof(discover)];
	struct msg m = { true, buf, LEN(discover) };
	struct dpi_result r;

	/* Cut before the END option: not DHCP. */
	memcpy(buf, discover, LEN(discover));
	for (m.len = 1; m.len < LEN(discover) - 6; m.len++) {
		dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
		EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	}
	m.len = LEN(discover);
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_DHCP, r.state.app);

	/* The host name's length runs past the end. */
	buf[257] = (char)0xff;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[257] = 12;
	/* Unknown message types, a type of 2 bytes. */
	buf[242] = 0;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[242] = 19;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[242] = 1;
	buf[241] = 2;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[241] = 1;
	/* BOOTP fields: op 3, a hardware address of 17 bytes, flags, the cookie. */
	buf[0] = 3;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[0] = 1;
	buf[2] = 17;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[2] = 6;
	buf[11] = 1;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[11] = 0;
	buf[239] = 0x64;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[239] = 0x63;
	/* Plain BOOTP: no message type. */
	buf[240] = 0;
	buf[241] = 0;
	buf[242] = 0;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	/* Garbage. */
	memset(buf, 0xff, sizeof(buf));
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
}

/*
 * dig 9.18's query, chrony 4.3's client request, turnutils_stunclient's
 * binding request (coturn 4.6.1), tftp-hpa 5.2's RRQ, curl's HTTP request.
 */
TEST(other_protocols_are_not_dhcp)
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
	static const struct msg tftp[] = { C("\x00\x01Hello.TXT\x00octet\x00") };
	static const struct msg http[] = {
		C("GET /index.html HTTP/1.1\r\n"
		  "Host: 127.0.0.1:28917\r\n"
		  "User-Agent: curl/7.88.1\r\n"
		  "Accept: */*\r\n"
		  "\r\n"),
	};

	EXPECT_NE(CW_APP_DHCP, dpi_check_udp(dns)->state.app);
	EXPECT_NE(CW_APP_DHCP, dpi_check_udp(ntp)->state.app);
	EXPECT_NE(CW_APP_DHCP, dpi_check_udp(stun)->state.app);
	EXPECT_NE(CW_APP_DHCP, dpi_check_udp(tftp)->state.app);
	EXPECT_NE(CW_APP_DHCP, dpi_check_udp(http)->state.app);
}

TEST_HARNESS_MAIN
