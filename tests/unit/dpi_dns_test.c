// SPDX-License-Identifier: GPL-2.0
/*
 * DNS: dig's queries and dnsmasq's answers recorded in dns_samples.h, then
 * cw_dns_response() on those answers and on broken ones.
 */

#include "dpi_test.h"
#include "dns_samples.h"
#include "dpi/dns.h"
#include "kselftest_harness.h"

TEST(udp_a_query_and_answer)
{
	static const struct msg msgs[] = { C(query_a), S(answer_a) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("dns", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("www.cellwall.test", r->info.name);
	EXPECT_EQ(1, r->info.dns_type);
	EXPECT_EQ(0, r->info.dns_rcode);
	EXPECT_STREQ("A", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(udp_aaaa_query_and_answer)
{
	static const struct msg msgs[] = { C(query_aaaa), S(answer_aaaa) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_DNS, r->state.app);
	EXPECT_STREQ("www.cellwall.test", r->info.name);
	EXPECT_EQ(28, r->info.dns_type);
	EXPECT_EQ(0, r->info.dns_rcode);
	EXPECT_STREQ("AAAA", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(udp_nxdomain)
{
	static const struct msg msgs[] = { C(query_nx), S(answer_nx) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_DNS, r->state.app);
	EXPECT_STREQ("nope.cellwall.test", r->info.name);
	EXPECT_EQ(28, r->info.dns_type);
	EXPECT_EQ(3, r->info.dns_rcode);
	EXPECT_STREQ("AAAA NXDOMAIN", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* Not done before the response; a second query changes nothing. */
TEST(udp_waits_for_the_first_response)
{
	static const struct msg one[] = { C(query_nx) };
	static const struct msg two[] = { C(query_a), C(query_nx), S(answer_nx), S(answer_a) };
	const struct dpi_result *r = dpi_check_udp(one);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_DPI_INSPECTING, r->state.status);
	EXPECT_STREQ("nope.cellwall.test", r->info.name);
	EXPECT_STREQ("AAAA", r->info.detail);
	r = dpi_check_udp(two);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("www.cellwall.test", r->info.name);
	EXPECT_EQ(1, r->info.dns_type);
	EXPECT_EQ(3, r->info.dns_rcode);
	EXPECT_STREQ("A NXDOMAIN", r->info.detail);
}

/* Seen from the response on (a flow that began before us). */
TEST(udp_response_first)
{
	static const struct msg msgs[] = { S(answer_aaaa) };
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_DNS, r->state.app);
	EXPECT_STREQ("www.cellwall.test", r->info.name);
	EXPECT_EQ(28, r->info.dns_type);
	EXPECT_STREQ("AAAA", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(tcp_query_and_answer)
{
	static const struct msg msgs[] = { C(tcp_query), S(tcp_answer) };
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("dns", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("www.cellwall.test", r->info.name);
	EXPECT_EQ(1, r->info.dns_type);
	EXPECT_EQ(0, r->info.dns_rcode);
	EXPECT_STREQ("A", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* A name longer than info->name: truncated, still cut-proof over TCP. */
TEST(tcp_long_name)
{
	static const struct msg msgs[] = {
		C("\x00\x7a\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		  "\x28" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "\x3f" "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
		  "\x00\x00\x10\x00\x01"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_DNS, r->state.app);
	EXPECT_EQ(CW_DPI_NAME_LEN - 1, r->info.name_len);
	EXPECT_EQ(1, r->info.truncated);
	EXPECT_STREQ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
		     "bbbbbbbbbbbbbbbbbbbbbb", r->info.name);
	EXPECT_EQ(16, r->info.dns_type);
	EXPECT_STREQ("TXT", r->info.detail);
}

/* Handmade: MX refused over TCP; a type without a mnemonic; RCODE 12. */
TEST(detail_type_and_rcode)
{
	static const struct msg mx[] = {
		C("\x00\x18\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		  "\x01x\x04test\x00\x00\x0f\x00\x01"),
		S("\x00\x18\x12\x34\x81\x85\x00\x01\x00\x00\x00\x00\x00\x00"
		  "\x01x\x04test\x00\x00\x0f\x00\x01"),
	};
	static const struct msg unknown[] = {
		C("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		  "\x01x\x04test\x00\xff\xfe\x00\x01"),
		S("\x12\x34\x81\x82\x00\x01\x00\x00\x00\x00\x00\x00"
		  "\x01x\x04test\x00\xff\xfe\x00\x01"),
	};
	/* Over TCP the response is not probed: an RCODE header_ok() refuses. */
	static const struct msg rcode12[] = {
		C("\x00\x18\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		  "\x01x\x04test\x00\x00\x10\x00\x01"),
		S("\x00\x18\x12\x34\x81\x8c\x00\x01\x00\x00\x00\x00\x00\x00"
		  "\x01x\x04test\x00\x00\x10\x00\x01"),
	};
	const struct dpi_result *r = dpi_check_tcp(mx);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("x.test", r->info.name);
	EXPECT_STREQ("MX REFUSED", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
	r = dpi_check_udp(unknown);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(65534, r->info.dns_type);
	EXPECT_STREQ("TYPE65534 SERVFAIL", r->info.detail);
	r = dpi_check_tcp(rcode12);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("TXT RCODE12", r->info.detail);
}

TEST(truncated_and_lying_messages_are_not_dns)
{
	static char buf[sizeof(answer_a)];
	struct msg m = { true, buf, 0 };
	struct dpi_result r;

	/* Every shorter datagram: the counts or the question no longer fit. */
	memcpy(buf, answer_a, LEN(answer_a));
	for (m.len = 1; m.len < LEN(answer_a); m.len++) {
		dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
		EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	}
	memcpy(buf, query_a, LEN(query_a));
	for (m.len = 1; m.len < LEN(query_a); m.len++) {
		dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
		EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	}
	/* Counts that lie: QDCOUNT 2, ARCOUNT 2, ANCOUNT in a query. */
	m.len = LEN(query_a);
	buf[5] = 2;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[5] = 1;
	buf[11] = 2;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[11] = 1;
	buf[7] = 1;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[7] = 0;
	/* A label length past the name, a pointer in the question. */
	buf[12] = 40;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[12] = (char)0xc0;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_UNKNOWN, r.state.app);
	buf[12] = 3;
	dpi_run(IPPROTO_UDP, &m, 1, 0, 65535, &r);
	EXPECT_EQ(CW_APP_DNS, r.state.app);
}

TEST(tcp_lying_lengths_are_not_dns)
{
	/* The prefix says 4 bytes: shorter than a header and a question. */
	static const struct msg short_len[] = {
		C("\x00\x04\xd9T\x01 \x00\x01\x00\x00\x00\x00\x00\x01\x03www\x08" "cellwall"
		  "\x04test\x00\x00\x01\x00\x01"),
	};
	/* 3 bytes more than the question, and no record to hold them. */
	static const struct msg long_len[] = {
		C("\x00\x1d\xd9T\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x04test\x00"
		  "\x00\x01\x00\x01\x00\x00\x00"),
	};
	/* Garbage, and a lone prefix. */
	static const struct msg garbage[] = {
		C("\x00\x30\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
		  "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"),
	};
	static const struct msg prefix[] = { C("\x00\x3a") };

	EXPECT_NE(CW_APP_DNS, dpi_check_tcp(short_len)->state.app);
	EXPECT_NE(CW_APP_DNS, dpi_check_tcp(long_len)->state.app);
	EXPECT_NE(CW_APP_DNS, dpi_check_tcp(garbage)->state.app);
	EXPECT_NE(CW_APP_DNS, dpi_check_tcp(prefix)->state.app);
}

/* curl 7.88.1, redis-cli 7.0.15, openssl s_client 3.0.19 to a socat listener. */
TEST(other_protocols_are_not_dns)
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
	/* chrony 4.3's client request, turnutils_stunclient's binding request. */
	static const struct msg ntp[] = {
		C("\x23\x00\x06\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x30\x25\x9f\xf8\x6e\x74\x0a\x62"),
	};
	static const struct msg stun[] = {
		C("\x00\x01\x00\x00\x21\x12\xa4\x42\x40\xc1\xea\xee\x3f\xa2\xaa\x00\xed\xdd"
		  "\xe2\x20"),
	};
	/* tftp-hpa 5.2: RRQ. */
	static const struct msg tftp[] = { C("\x00\x01Hello.TXT\x00octet\x00") };

	EXPECT_NE(CW_APP_DNS, dpi_check_tcp(http)->state.app);
	EXPECT_NE(CW_APP_DNS, dpi_check_tcp(redis)->state.app);
	EXPECT_NE(CW_APP_DNS, dpi_check_tcp(tls)->state.app);
	EXPECT_NE(CW_APP_DNS, dpi_check_udp(ntp)->state.app);
	EXPECT_NE(CW_APP_DNS, dpi_check_udp(stun)->state.app);
	EXPECT_NE(CW_APP_DNS, dpi_check_udp(tftp)->state.app);
	EXPECT_NE(CW_APP_DNS, dpi_check_udp(http)->state.app);
}

/* @m (@len bytes) is DNS over UDP, and over TCP with its length prefix. */
static bool dns_both_ways(const char *m, unsigned int len)
{
	static char buf[2 + 512];
	struct msg udp = { true, m, len }, tcp = { true, buf, len + 2 };
	const struct dpi_result *r;

	buf[0] = len >> 8;
	buf[1] = len;
	memcpy(buf + 2, m, len);
	r = dpi_check(IPPROTO_UDP, &udp, 1);
	if (!r || r->state.app != CW_APP_DNS)
		return false;
	r = dpi_check(IPPROTO_TCP, &tcp, 1);
	return r && r->state.app == CW_APP_DNS;
}

/*
 * Attacks are DNS too, for the threat checks to see them: zone transfers,
 * NULL and ANY queries (as dig sends them), a question whose name points
 * back into itself, a label over 63 bytes (a type of no meaning).
 */
TEST(attacks_are_dns)
{
	/* dig cellwall.test AXFR; IXFR; NULL; ANY (EDNS). */
	static const char axfr[] =
		"\x5c\x11\x00\x20\x00\x01\x00\x00\x00\x00\x00\x01"
		"\x08" "cellwall\x04test\x00\x00\xfc\x00\x01"
		"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00";
	/* Serial 2024010101 in an SOA in its authority section (RFC 1995 §3). */
	static const char ixfr[] =
		"\x5c\x12\x00\x20\x00\x01\x00\x00\x00\x01\x00\x01"
		"\x08" "cellwall\x04test\x00\x00\xfb\x00\x01"
		"\xc0\x0c\x00\x06\x00\x01\x00\x00\x00\x00\x00\x16\x00\x00"
		"\x78\xa3\xf1\x75\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00";
	static const char null[] =
		"\x3b\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x04" "t0ab\x06tunnel\x04test\x00\x00\x0a\x00\x01";
	static const char any[] =
		"\x3b\x02\x01\x00\x00\x01\x00\x00\x00\x00\x00\x01"
		"\x03isc\x03org\x00\x00\xff\x00\x01"
		"\x00\x00\x29\x10\x00\x00\x00\x00\x00\x00\x00";
	/* "a" then a pointer to the name's start (12): a loop. */
	static const char loop[] =
		"\x3b\x03\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x01" "a\xc0\x0c\x00\x01\x00\x01";
	/* A label of 0x41 (65) bytes. */
	static const char long_label[] =
		"\x3b\x04\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x41" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"\x04test\x00\x00\x01\x00\x01";
	static const struct msg axfr_udp[] = { C(axfr) };

	EXPECT_TRUE(dns_both_ways(axfr, LEN(axfr)));
	EXPECT_STREQ("AXFR", dpi_check_udp(axfr_udp)->info.detail);
	EXPECT_TRUE(dns_both_ways(ixfr, LEN(ixfr)));
	EXPECT_TRUE(dns_both_ways(null, LEN(null)));
	EXPECT_TRUE(dns_both_ways(any, LEN(any)));
	EXPECT_TRUE(dns_both_ways(loop, LEN(loop)));
	EXPECT_TRUE(dns_both_ways(long_label, LEN(long_label)));
}

TEST(response_a_through_cnames)
{
	struct cw_dns_answer a[8];
	char name[64];

	ASSERT_EQ(2, cw_dns_response((const u8 *)answer_a, LEN(answer_a), name, sizeof(name),
				     a, 8));
	EXPECT_STREQ("www.cellwall.test", name);
	EXPECT_EQ(4, a[0].family);
	EXPECT_EQ(0, memcmp(a[0].addr, "\x0a\x01\x02\x04", 4));
	EXPECT_EQ(300u, a[0].ttl);
	EXPECT_EQ(4, a[1].family);
	EXPECT_EQ(0, memcmp(a[1].addr, "\x0a\x01\x02\x05", 4));
	EXPECT_EQ(300u, a[1].ttl);

	/* Room for one, or none. */
	EXPECT_EQ(1, cw_dns_response((const u8 *)answer_a, LEN(answer_a), name, sizeof(name),
				     a, 1));
	EXPECT_EQ(0, memcmp(a[0].addr, "\x0a\x01\x02\x04", 4));
	EXPECT_EQ(0, cw_dns_response((const u8 *)answer_a, LEN(answer_a), name, sizeof(name),
				     a, 0));
}

TEST(response_aaaa)
{
	struct cw_dns_answer a[4];
	char name[64];

	ASSERT_EQ(1, cw_dns_response((const u8 *)answer_aaaa, LEN(answer_aaaa), name,
				     sizeof(name), a, 4));
	EXPECT_STREQ("www.cellwall.test", name);
	EXPECT_EQ(6, a[0].family);
	EXPECT_EQ(0, memcmp(a[0].addr, "\xfd\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
				       "\x00\x00\x00\x04", 16));
	EXPECT_EQ(300u, a[0].ttl);
}

TEST(response_name_size)
{
	struct cw_dns_answer a[4];
	char name[18];

	/* "www.cellwall.test" is 17 chars: 18 bytes fit it, 17 do not. */
	EXPECT_EQ(2, cw_dns_response((const u8 *)answer_a, LEN(answer_a), name, 18, a, 4));
	EXPECT_STREQ("www.cellwall.test", name);
	EXPECT_EQ(-1, cw_dns_response((const u8 *)answer_a, LEN(answer_a), name, 17, a, 4));
	EXPECT_EQ(-1, cw_dns_response((const u8 *)answer_a, LEN(answer_a), name, 0, a, 4));
}

TEST(response_not_an_answer)
{
	struct cw_dns_answer a[4];
	char name[64];

	/* NXDOMAIN, a query, a TCP message (the prefix). */
	EXPECT_EQ(-1, cw_dns_response((const u8 *)answer_nx, LEN(answer_nx), name,
				      sizeof(name), a, 4));
	EXPECT_EQ(-1, cw_dns_response((const u8 *)query_a, LEN(query_a), name, sizeof(name),
				      a, 4));
	EXPECT_EQ(-1, cw_dns_response((const u8 *)tcp_answer, LEN(tcp_answer), name,
				      sizeof(name), a, 4));
}

TEST(response_truncated)
{
	struct cw_dns_answer a[4];
	char name[64];
	u32 len;

	/* Cut anywhere before the answer section's end: not well-formed. */
	for (len = 0; len < ANSWER_A_END; len++)
		EXPECT_EQ(-1, cw_dns_response((const u8 *)answer_a, len, name, sizeof(name),
					      a, 4));
	EXPECT_EQ(2, cw_dns_response((const u8 *)answer_a, ANSWER_A_END, name, sizeof(name),
				     a, 4));
}

TEST(response_hostile_pointers)
{
	struct cw_dns_answer a[4];
	char name[64];
	u8 buf[sizeof(answer_a)];

	/* The first answer's owner (at 35) points to itself: a loop. */
	memcpy(buf, answer_a, LEN(answer_a));
	ASSERT_EQ(0xc0, buf[35]);
	buf[36] = 35;
	EXPECT_EQ(-1, cw_dns_response(buf, LEN(answer_a), name, sizeof(name), a, 4));
	/* Forward, past the end, and to the header. */
	buf[36] = 200;
	EXPECT_EQ(-1, cw_dns_response(buf, LEN(answer_a), name, sizeof(name), a, 4));
	buf[35] = 0xff;
	EXPECT_EQ(-1, cw_dns_response(buf, LEN(answer_a), name, sizeof(name), a, 4));
	buf[35] = 0xc0;
	buf[36] = 2;
	EXPECT_EQ(-1, cw_dns_response(buf, LEN(answer_a), name, sizeof(name), a, 4));
	/* A pointer in the question (nothing before it to point to). */
	memcpy(buf, answer_a, LEN(answer_a));
	buf[12] = 0xc0;
	buf[13] = 12;
	EXPECT_EQ(-1, cw_dns_response(buf, LEN(answer_a), name, sizeof(name), a, 4));
}

/* A pointer back to the start of its own name, handmade. */
TEST(response_pointer_cycle)
{
	static const u8 msg[] = {
		0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x01, 'a', 0x00, 0x00, 0x01, 0x00, 0x01,	/* a. A IN */
		0x01, 'b', 0xc0, 0x13,				/* 19: b, then 19 again */
		0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x04, 1, 2, 3, 4,
	};
	static const u8 ok[] = {
		0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x01, 'A', 0x00, 0x00, 0x01, 0x00, 0x01,
		0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x80, 0, 0, 60, 0x00, 0x04, 1, 2, 3, 4,
	};
	struct cw_dns_answer a[4];
	char name[64];
	u8 bad_len[sizeof(ok)];

	EXPECT_EQ(-1, cw_dns_response(msg, sizeof(msg), name, sizeof(name), a, 4));
	ASSERT_EQ(1, cw_dns_response(ok, sizeof(ok), name, sizeof(name), a, 4));
	EXPECT_STREQ("a", name);
	EXPECT_EQ(0u, a[0].ttl);	/* the top bit set: 0 (RFC 2181 §8) */
	/* An A record of 3 bytes, an RDLENGTH past the end. */
	memcpy(bad_len, ok, sizeof(ok));
	bad_len[30] = 3;
	EXPECT_EQ(-1, cw_dns_response(bad_len, sizeof(ok), name, sizeof(name), a, 4));
	bad_len[30] = 5;
	EXPECT_EQ(-1, cw_dns_response(bad_len, sizeof(ok), name, sizeof(name), a, 4));
}

TEST_HARNESS_MAIN
