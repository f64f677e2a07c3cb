// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS threat checks (kmod/threat/dns.c). Real traffic: dns_samples.h's
 * queries of dig answered by dnsmasq, over UDP and TCP. Attacks are built
 * by hand from RFC 1035's format, or by dns_msg() below. TCP conversations
 * are fed whole and cut in chunks of every size; UDP ones a datagram a call.
 */

#include "threat_test.h"
#include "dns_samples.h"
#include "kselftest_harness.h"

#define BIT(id) CW_THREAT_BIT(CW_THREAT_##id)

static struct cw_threat_limits limits;

/* The threats in a conversation over @l4: over TCP, ~0 if a cut changed them. */
static u64 dns(u8 l4, const struct msg *msgs, unsigned int n)
{
	return threat_check(CW_APP_DNS, l4, &limits, msgs, n, NULL);
}

/* The threats in a conversation fed once, cut in chunks of @chunk bytes (0: whole). */
static u64 dns_cut(u8 l4, const struct msg *msgs, unsigned int n, unsigned int chunk)
{
	return threat_run(CW_APP_DNS, l4, &limits, msgs, n, chunk).found;
}

#define UDP(msgs) dns(IPPROTO_UDP, msgs, sizeof(msgs) / sizeof(msgs[0]))
#define TCP(msgs) dns(IPPROTO_TCP, msgs, sizeof(msgs) / sizeof(msgs[0]))

/* Appends @dotted as a name: its labels, then the root. */
static unsigned int put_name(u8 *p, const char *dotted)
{
	unsigned int n = 0;

	while (*dotted) {
		const char *dot = strchr(dotted, '.');
		unsigned int len = dot ? (unsigned int)(dot - dotted) : strlen(dotted);

		p[n++] = len;
		memcpy(p + n, dotted, len);
		n += len;
		dotted += len + !!dot;
	}
	p[n++] = 0;
	return n;
}

/*
 * A message into @buf: a query (or a response when @response) for @name of
 * @type, with @answers A records for it (an 8-byte EDNS OPT record when 0),
 * length-prefixed if @tcp. Returns its size.
 */
static unsigned int dns_msg(u8 *buf, bool tcp, bool response, const char *name, u16 type,
			    unsigned int answers)
{
	u8 *m = buf + (tcp ? 2 : 0);
	unsigned int n = 12, i;

	memset(m, 0, 12);
	m[0] = 0x4a;
	m[1] = 0x7e;
	m[2] = response ? 0x81 : 0x01;
	m[3] = response ? 0x80 : 0x20;
	m[5] = 1;
	m[6] = answers >> 8;
	m[7] = answers;
	m[11] = !answers;
	n += put_name(m + n, name);
	m[n++] = type >> 8;
	m[n++] = type;
	m[n++] = 0;
	m[n++] = 1;
	for (i = 0; i < answers; i++) {
		static const u8 a[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2 };

		memcpy(m + n, a, sizeof(a));
		n += sizeof(a);
		m[n++] = i;
	}
	if (!answers) {
		static const u8 opt[] = { 0, 0, 0x29, 0x04, 0xd0, 0, 0, 0, 0, 0, 0 };

		memcpy(m + n, opt, sizeof(opt));
		n += sizeof(opt);
	}
	if (tcp) {
		buf[0] = n >> 8;
		buf[1] = n;
		n += 2;
	}
	return n;
}

/* The threats of a query for @name of @type, over UDP; over TCP they must match. */
static u64 query_threats(const char *name, u16 type)
{
	static u8 udp[600], tcp[602];
	struct msg u = { true, udp, dns_msg(udp, false, false, name, type, 0) };
	struct msg t = { true, tcp, dns_msg(tcp, true, false, name, type, 0) };
	u64 found = dns(IPPROTO_UDP, &u, 1);

	return dns(IPPROTO_TCP, &t, 1) == found ? found : ~0ull;
}

FIXTURE(threat) {};
FIXTURE_SETUP(threat)
{
	cw_threat_default_limits(&limits);
}
FIXTURE_TEARDOWN(threat) {}

TEST_F(threat, real_traffic_raises_nothing)
{
	static const struct msg a[] = { C(query_a), S(answer_a) };
	static const struct msg nx[] = { C(query_nx), S(answer_nx) };
	static const struct msg aaaa[] = { C(query_aaaa), S(answer_aaaa) };
	static const struct msg tcp[] = { C(tcp_query), S(tcp_answer) };
	/* Two messages in a segment. */
	static u8 two_q[2 * LEN(tcp_query)], two_a[2 * LEN(tcp_answer)];
	struct msg tcp_packed[] = { CB(two_q), SB(two_a) };

	memcpy(two_q, tcp_query, LEN(tcp_query));
	memcpy(two_q + LEN(tcp_query), tcp_query, LEN(tcp_query));
	memcpy(two_a, tcp_answer, LEN(tcp_answer));
	memcpy(two_a + LEN(tcp_answer), tcp_answer, LEN(tcp_answer));
	EXPECT_EQ(0ull, UDP(a));
	EXPECT_EQ(0ull, UDP(nx));
	EXPECT_EQ(0ull, UDP(aaaa));
	EXPECT_EQ(0ull, TCP(tcp));
	EXPECT_EQ(0ull, TCP(tcp_packed));
}

/* Long names in daily use are no tunnel. */
TEST_F(threat, ordinary_names)
{
	EXPECT_EQ(0ull, query_threats("a1b2c3d4.cdn.cloudflare.net", 1));
	EXPECT_EQ(0ull, query_threats("internal-my-service-1234567890.us-east-1.elb.amazonaws.com",
				      1));
	EXPECT_EQ(0ull, query_threats("_dmarc.example.com", 16));
	EXPECT_EQ(0ull, query_threats("1.0.0.127.in-addr.arpa", 12));
	EXPECT_EQ(0ull, query_threats("selector1-contoso-com01b._domainkey.contoso.onmicrosoft.com",
				      16));
	/* 53 bytes of words and hyphens: no digit, not encoded data. */
	EXPECT_EQ(0ull, query_threats("my-very-long-service-name-for-the-production-cluster.svc"
				      ".cluster.local", 1));
	/* A long label of hex with a dot in the middle: two short ones. */
	EXPECT_EQ(0ull, query_threats("3f786850e387550fdab836ed7e6dc881de23001b.b"
				      ".example.com", 1));
}

TEST_F(threat, zone_transfer_and_null)
{
	static u8 resp[600];
	struct msg axfr_answer = {
		false, resp, dns_msg(resp, false, true, "cellwall.test", 252, 2),
	};

	EXPECT_EQ(BIT(DNS_ZONE_TRANSFER), query_threats("cellwall.test", 252));
	EXPECT_EQ(BIT(DNS_ZONE_TRANSFER), query_threats("cellwall.test", 251));
	EXPECT_EQ(BIT(DNS_NULL_TYPE), query_threats("t0ab.tunnel.test", 10));
	EXPECT_EQ(0ull, query_threats("cellwall.test", 255));
	EXPECT_EQ(0ull, query_threats("cellwall.test", 6));
	/* The server's answer to one is not a request. */
	EXPECT_EQ(0ull, dns(IPPROTO_UDP, &axfr_answer, 1));
}

TEST_F(threat, tunnel)
{
	/* iodine: base32 upstream data in 57-byte labels, NULL records down. */
	EXPECT_EQ(BIT(DNS_TUNNEL) | BIT(DNS_NULL_TYPE),
		  query_threats("paaaaj4ahqeq7ikfzkq2rm4lgedqw6ezy3gjicocfmtqoehfs2lqe1a"
				".t.example.com", 10));
	/* dnscat2: hex, 54 bytes in a label. */
	EXPECT_EQ(BIT(DNS_TUNNEL),
		  query_threats("0b2e01c1d5a0000000a3e5f41d2b6f0d9c8e7a6b5c4d3e2f1a0b9c8d7e6f"
				".dnscat.example.com", 16));
	/* base64 with '+' and '/'. */
	EXPECT_EQ(BIT(DNS_TUNNEL),
		  query_threats("SGVsbG8+V29ybGQ/dGhpcyBpcyBhIHR1bm5lbGVkIHBheWxvYWQ9PQ1"
				".x.example.com", 1));
	/* Exactly the threshold's length (120) and one short of it. */
	EXPECT_EQ(BIT(DNS_TUNNEL),
		  query_threats("abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcdefghij."
				"abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcdefghij."
				"abcdefghij", 1));
	EXPECT_EQ(0ull,
		  query_threats("abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcdefghij."
				"abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcdefghij."
				"abcdefghi", 1));
}

TEST_F(threat, tunnel_threshold)
{
	static const char *elb = "internal-my-service-1234567890.us-east-1.elb.amazonaws.com";

	/* 58 bytes. */
	limits.threshold[CW_THREAT_DNS_TUNNEL] = 58;
	EXPECT_EQ(BIT(DNS_TUNNEL), query_threats(elb, 1));
	limits.threshold[CW_THREAT_DNS_TUNNEL] = 59;
	EXPECT_EQ(0ull, query_threats(elb, 1));
	/* Responses are not checked for it. */
	limits.threshold[CW_THREAT_DNS_TUNNEL] = 10;
	{
		static u8 resp[600];
		struct msg m = { false, resp, dns_msg(resp, false, true, elb, 1, 1) };

		EXPECT_EQ(0ull, dns(IPPROTO_UDP, &m, 1));
	}
}

TEST_F(threat, amplification)
{
	static u8 q[600], r[1200], r_small[600];
	/* A query of 36 bytes; 40 A records: 25 + 40 * 16 = 665 bytes. */
	struct msg query = { true, q, dns_msg(q, false, false, "isc.org", 255, 0) };
	struct msg big = { false, r, dns_msg(r, false, true, "isc.org", 255, 40) };
	/* 30 records: 505 bytes, under 512. */
	struct msg small = { false, r_small, dns_msg(r_small, false, true, "isc.org", 255, 30) };
	struct msg flow[] = { query, big };
	struct msg flow_small[] = { query, small };
	struct msg response_only[] = { big };
	static u8 r_a[1200];
	struct msg a_only[] = { { false, r_a, dns_msg(r_a, false, true, "isc.org", 1, 40) } };
	struct msg tcp_flow[2];
	static u8 tq[602], tr[1202];

	ASSERT_EQ(36u, query.len);
	ASSERT_EQ(665u, big.len);
	ASSERT_EQ(505u, small.len);
	EXPECT_EQ(BIT(DNS_AMPLIFICATION), UDP(flow));
	EXPECT_EQ(0ull, UDP(flow_small));
	/* No query seen: its ANY question is enough; an A one is not. */
	EXPECT_EQ(BIT(DNS_AMPLIFICATION), UDP(response_only));
	EXPECT_EQ(0ull, UDP(a_only));
	/* 665 < 19 * 36; 665 >= 18 * 36. */
	limits.threshold[CW_THREAT_DNS_AMPLIFICATION] = 19;
	EXPECT_EQ(0ull, UDP(flow));
	limits.threshold[CW_THREAT_DNS_AMPLIFICATION] = 18;
	EXPECT_EQ(BIT(DNS_AMPLIFICATION), UDP(flow));
	/* TCP amplifies nothing. */
	tcp_flow[0] = (struct msg){ true, tq, dns_msg(tq, true, false, "isc.org", 255, 0) };
	tcp_flow[1] = (struct msg){ false, tr, dns_msg(tr, true, true, "isc.org", 255, 40) };
	EXPECT_EQ(0ull, dns(IPPROTO_TCP, tcp_flow, 2));
}

TEST_F(threat, pointer_loops)
{
	/* "a", then a pointer to the name's start: in the question. */
	static const char loop_q[] =
		"\x3b\x03\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x01" "a\xc0\x0c\x00\x01\x00\x01";
	static const char loop_q_tcp[] =
		"\x00\x15\x3b\x03\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x01" "a\xc0\x0c\x00\x01\x00\x01";
	/* A pointer forward, past the message. */
	static const char forward_tcp[] =
		"\x00\x15\x3b\x03\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x01" "a\xc0\xff\x00\x01\x00\x01";
	static const struct msg q_udp[] = { C(loop_q) };
	static const struct msg q_tcp[] = { C(loop_q_tcp) };
	static const struct msg fwd_tcp[] = { C(forward_tcp) };
	u8 buf[sizeof(answer_a)];
	struct msg m[] = { { false, buf, LEN(answer_a) } };

	EXPECT_EQ(BIT(DNS_POINTER_LOOP), UDP(q_udp));
	EXPECT_EQ(BIT(DNS_POINTER_LOOP), TCP(q_tcp));
	EXPECT_EQ(BIT(DNS_POINTER_LOOP), TCP(fwd_tcp));

	/* The first answer's owner (at 35) points to itself, forward, to the header. */
	memcpy(buf, answer_a, LEN(answer_a));
	ASSERT_EQ(0xc0, buf[35]);
	buf[36] = 35;
	EXPECT_EQ(BIT(DNS_POINTER_LOOP), UDP(m));
	buf[36] = 200;
	EXPECT_EQ(BIT(DNS_POINTER_LOOP), UDP(m));
	buf[36] = 2;
	EXPECT_EQ(0ull, UDP(m));
	/* The CNAME's data (at 47) points into itself: "cdn" then back to 47. */
	memcpy(buf, answer_a, LEN(answer_a));
	ASSERT_EQ(8, buf[51]);
	buf[51] = 0xc0;
	buf[52] = 47;
	EXPECT_EQ(BIT(DNS_POINTER_LOOP), UDP(m));
}

/* Over TCP a message whole in a chunk has its answers walked too. */
TEST_F(threat, pointer_loop_in_tcp_answers)
{
	u8 buf[sizeof(tcp_answer)];
	struct msg m[] = { { false, buf, LEN(tcp_answer) } };

	memcpy(buf, tcp_answer, LEN(tcp_answer));
	ASSERT_EQ(0xc0, buf[37]);
	buf[38] = 35;
	EXPECT_EQ(BIT(DNS_POINTER_LOOP), dns_cut(IPPROTO_TCP, m, 1, 0));
	/* Cut, only its question is checked (documented in dns.c). */
	EXPECT_EQ(0ull, dns_cut(IPPROTO_TCP, m, 1, 20));
}

/* Pointers each back before the last: 32 jumps are allowed, 33 are not. */
TEST_F(threat, pointer_chain)
{
	static u8 buf[1024];
	struct msg m = { false, buf, 0 };
	unsigned int n, i, prev;

	for (unsigned int depth = 32; depth <= 33; depth++) {
		n = dns_msg(buf, false, true, "x", 1, 0);
		n -= 11;		/* no OPT record */
		buf[11] = 0;
		buf[7] = depth;
		prev = 12;
		for (i = 0; i < depth; i++) {
			/* A CNAME whose data is "a" and a pointer to the last name. */
			static const u8 rr[] = {
				0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 'a',
			};

			memcpy(buf + n, rr, sizeof(rr));
			n += sizeof(rr);
			buf[n++] = 0xc0 | prev >> 8;
			buf[n++] = prev;
			prev = n - 4;
		}
		m.len = n;
		EXPECT_EQ(depth > 32 ? BIT(DNS_POINTER_LOOP) : 0ull, dns(IPPROTO_UDP, &m, 1));
	}
}

TEST_F(threat, oversized_names)
{
	static const char *l63 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	/* A label of 0x41 (65) bytes, and one of the reserved type 01 (0x40). */
	static const char long_label[] =
		"\x00\x59\x3b\x04\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x41" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"\x04test\x00\x00\x01\x00\x01";
	static const struct msg label_tcp[] = { C(long_label) };
	static const struct msg label_udp[] = { { true, long_label + 2, LEN(long_label) - 2 } };
	static u8 buf[600];
	struct msg m = { false, buf, 0 };
	char name[300];

	EXPECT_EQ(BIT(DNS_OVERSIZED_NAME), TCP(label_tcp));
	EXPECT_EQ(BIT(DNS_OVERSIZED_NAME), UDP(label_udp));
	/* Names of 255 wire bytes, then 256, in responses (no tunnel check). */
	snprintf(name, sizeof(name), "%s.%s.%s.%.61s", l63, l63, l63, l63);
	m.len = dns_msg(buf, false, true, name, 1, 1);
	EXPECT_EQ(0ull, dns(IPPROTO_UDP, &m, 1));
	snprintf(name, sizeof(name), "%s.%s.%s.%.62s", l63, l63, l63, l63);
	m.len = dns_msg(buf, false, true, name, 1, 1);
	EXPECT_EQ(BIT(DNS_OVERSIZED_NAME), dns(IPPROTO_UDP, &m, 1));
	/* In a query it is long enough for a tunnel too. */
	EXPECT_EQ(BIT(DNS_OVERSIZED_NAME) | BIT(DNS_TUNNEL), query_threats(name, 1));
	/* Through a pointer: the answer's owner is the question's 255 bytes and 2 more. */
	snprintf(name, sizeof(name), "%s.%s.%s.%.61s", l63, l63, l63, l63);
	m.len = dns_msg(buf, false, true, name, 1, 1);
	memmove(buf + 12 + 255 + 4 + 2, buf + 12 + 255 + 4, 16);
	buf[12 + 255 + 4] = 1;
	buf[12 + 255 + 5] = 'b';
	buf[12 + 255 + 6] = 0xc0;
	buf[12 + 255 + 7] = 12;
	m.len += 2;
	EXPECT_EQ(BIT(DNS_OVERSIZED_NAME), dns(IPPROTO_UDP, &m, 1));
}

/* Cut short anywhere, real messages show no threat; nor do their bytes at random. */
TEST_F(threat, truncated_and_garbage)
{
	static const char *const all[] = { query_a, answer_a, query_nx, answer_nx, answer_aaaa };
	static const unsigned int lens[] = {
		LEN(query_a), LEN(answer_a), LEN(query_nx), LEN(answer_nx), LEN(answer_aaaa),
	};
	u8 buf[600], tcp[602];

	for (unsigned int k = 0; k < 5; k++) {
		for (unsigned int len = 1; len <= lens[k]; len++) {
			struct msg u = { true, all[k], len };
			struct msg t = { true, tcp, len + 2 };

			tcp[0] = 0;
			tcp[1] = lens[k];
			memcpy(tcp + 2, all[k], len);
			EXPECT_EQ(0ull, dns(IPPROTO_UDP, &u, 1));
			EXPECT_EQ(0ull, dns(IPPROTO_TCP, &t, 1));
		}
	}
	/* A fixed pseudo-random stream: no crash, whatever it finds. */
	srand(1);
	for (unsigned int round = 0; round < 2000; round++) {
		struct msg u = { round & 1, buf, 1 + rand() % sizeof(buf) };

		for (unsigned int i = 0; i < u.len; i++)
			buf[i] = rand();
		dns_cut(IPPROTO_UDP, &u, 1, 0);
		dns_cut(IPPROTO_TCP, &u, 1, 0);
		dns_cut(IPPROTO_TCP, &u, 1, 7);
	}
}

TEST_HARNESS_MAIN
