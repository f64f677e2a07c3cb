// SPDX-License-Identifier: GPL-2.0
/*
 * STUN: coturn 4.6.1's turnserver on 127.0.0.1, recorded with tcpdump:
 * turnutils_stunclient's binding request over UDP (--stun-only), and
 * turnutils_uclient -t's TURN allocation and refresh over TCP (--no-auth).
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static const char binding_request[] =
	"\x00\x01\x00\x00\x21\x12\xa4\x42\x40\xc1\xea\xee\x3f\xa2\xaa\x00\xed\xdd\xe2\x20";
static const char binding_response[] =
	"\x01\x01\x00\x3c\x21\x12\xa4\x42\x40\xc1\xea\xee\x3f\xa2\xaa\x00\xed\xdd\xe2\x20"
	"\x00\x20\x00\x08\x00\x01\xe4\x07\x5e\x12\xa4\x43\x00\x01\x00\x08\x00\x01\xc5\x15"
	"\x7f\x00\x00\x01\x80\x2b\x00\x08\x00\x01\x34\xa6\x7f\x00\x00\x01\x80\x22\x00\x14"
	"Coturn-4.6.1 'Gorst'";

#define LEN(a) (sizeof(a) - 1)

TEST(binding_over_udp)
{
	static const struct msg msgs[] = { C(binding_request), S(binding_response) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("stun", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("binding request", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(binding_response_alone)
{
	static const struct msg msgs[] = { S(binding_response) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_STUN, r->state.app);
	EXPECT_STREQ("binding response", r->info.detail);
}

TEST(turn_allocate_over_tcp)
{
	static const struct msg msgs[] = {
		C("\x00\x03\x00\x20\x21\x12\xa4\x42\xa5\xe5\x92\x29\xa9\xeb\x52\x31\x59\xc4\x29"
		  "\x97\x00\x19\x00\x04\x11\x00\x00\x00\x00\x0d\x00\x04\x00\x00\x03\x09\x00\x18"
		  "\x00\x01\x80\x00\x00\x00\x80\x28\x00\x04\x45\x54\xb8\x56"),
		S("\x01\x03\x00\x4c\x21\x12\xa4\x42\xa5\xe5\x92\x29\xa9\xeb\x52\x31\x59\xc4\x29"
		  "\x97\x00\x16\x00\x08\x00\x01\xea\x26\x5e\x12\xa4\x43\x00\x20\x00\x08\x00\x01"
		  "\x80\x96\x5e\x12\xa4\x43\x00\x22\x00\x08\x7b\x90\x50\x46\x00\x00\xdd\x9a\x00"
		  "\x0d\x00\x04\x00\x00\x03\x09\x80\x22\x00\x14\x43\x6f\x74\x75\x72\x6e\x2d\x34"
		  "\x2e\x36\x2e\x31\x20\x27\x47\x6f\x72\x73\x74\x27\x80\x28\x00\x04\x64\x68\x35"
		  "\x09"),
		C("\x00\x04\x00\x10\x21\x12\xa4\x42\x59\xa4\xd9\xf8\x84\xc5\x11\xd1\x78\xf3\x41"
		  "\xef\x00\x0d\x00\x04\x00\x00\x03\x09\x80\x28\x00\x04\xa0\x48\x0b\xe7"),
		S("\x01\x04\x00\x28\x21\x12\xa4\x42\x59\xa4\xd9\xf8\x84\xc5\x11\xd1\x78\xf3\x41"
		  "\xef\x00\x0d\x00\x04\x00\x00\x03\x09\x80\x22\x00\x14\x43\x6f\x74\x75\x72\x6e"
		  "\x2d\x34\x2e\x36\x2e\x31\x20\x27\x47\x6f\x72\x73\x74\x27\x80\x28\x00\x04\xe5"
		  "\xe6\x94\x13"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_STUN, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("allocate request", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_hostile)
{
	static char buf[sizeof(binding_response)];
	struct msg m = { true, buf, LEN(binding_response) };
	struct dpi_result r;

	/* UDP: every shorter datagram, and lengths that lie. */
	memcpy(buf, binding_response, LEN(binding_response));
	for (m.len = 1; m.len < LEN(binding_response); m.len++) {
		dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
		EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	}
	m.len = LEN(binding_response);
	buf[3] = 0x40;		/* 4 more bytes than there are */
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[3] = 0x3d;		/* not a multiple of 4 */
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[3] = 0x3c;
	buf[23] = 0x40;		/* an attribute past the end */
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[23] = 0x08;
	buf[7] = 0x43;		/* the cookie */
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[7] = 0x42;
	buf[0] = 0x41;		/* top bits: TURN ChannelData, not STUN */
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[0] = 0x01;
	buf[1] = 0x02;		/* method 2, unassigned since RFC 5389 */
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[1] = 0x01;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_STUN, r.state.app);

	/* TCP: a stream that ends inside the header, a wrong cookie. */
	m.len = 12;
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[6] = 0;
	m.len = LEN(binding_response);
	dpi_run(IPPROTO_TCP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
}

/* curl 7.88.1, redis-cli 7.0.15, openssl s_client 3.0.19 to a socat listener. */
TEST(other_protocols_are_not_stun)
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
	/* chrony 4.3's client request, dig 9.18's query. */
	static const struct msg ntp[] = {
		C("\x23\x00\x06\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x30\x25\x9f\xf8\x6e\x74\x0a\x62"),
	};
	static const struct msg dns[] = {
		C("\x9a\xd9\x01 \x00\x01\x00\x00\x00\x00\x00\x01\x03WWW\x08" "Cellwall\x04te"
		  "st\x00\x00\x01\x00\x01\x00\x00)\x04\xd0\x00\x00\x00\x00\x00\x0c\x00\n"
		  "\x00\x08\x19" "6\x14=*yH\x11"),
	};
	/* tftp-hpa 5.2: RRQ. */
	static const struct msg tftp[] = { C("\x00\x01Hello.TXT\x00octet\x00") };

	EXPECT_NE(CW_APP_STUN, dpi_check_tcp(http)->state.app);
	EXPECT_NE(CW_APP_STUN, dpi_check_tcp(redis)->state.app);
	EXPECT_NE(CW_APP_STUN, dpi_check_tcp(tls)->state.app);
	EXPECT_NE(CW_APP_STUN, dpi_check_udp(ntp)->state.app);
	EXPECT_NE(CW_APP_STUN, dpi_check_udp(dns)->state.app);
	EXPECT_NE(CW_APP_STUN, dpi_check_udp(tftp)->state.app);
	EXPECT_NE(CW_APP_STUN, dpi_check_udp(http)->state.app);
}

TEST_HARNESS_MAIN
