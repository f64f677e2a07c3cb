// SPDX-License-Identifier: GPL-2.0
/*
 * SIP: recorded with tcpdump over loopback (Debian 12): sipsak 0.9.8.1
 * (OPTIONS; its port in the URI cut to "4706" is its own doing) and SIPp
 * 3.6.1 (sip-tester, "-sn uac" to "-sn uas") over UDP and TCP. Hand-made
 * bytes, after RFC 3261 §24, for edge cases.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"
#include "dpi/parsers.h"

static int sip_probe(bool client, const char *data, u32 len)
{
	struct cw_dpi d;

	cw_dpi_init(&d, IPPROTO_UDP);
	return cw_dpi_sip.probe(&d, client, (const u8 *)data, len);
}

/* sipsak -s sip:Service@LocalHost:47060, over UDP (no answer: SIPp's uas takes INVITEs only). */
TEST(sipsak_options_udp)
{
	static const struct msg msgs[] = {
		C("OPTIONS sip:Service@LocalHost:4706 SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 127.0.0.1:45094;branch=z9hG4bK.2e9648cb;rport;alias\r\n"
		  "From: sip:sipsak@127.0.0.1:45094;tag=6bff42e3\r\n"
		  "To: sip:Service@LocalHost:4706\r\n"
		  "Call-ID: 1811890915@127.0.0.1\r\n"
		  "CSeq: 1 OPTIONS\r\n"
		  "Contact: sip:sipsak@127.0.0.1:45094\r\n"
		  "Content-Length: 0\r\n"
		  "Max-Forwards: 70\r\n"
		  "User-Agent: sipsak 0.9.8.1\r\n"
		  "Accept: text/plain\r\n"
		  "\r\n"),
	};
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("sip", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("localhost", r->info.name);
	EXPECT_STREQ("OPTIONS", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* sipp -sn uac -s alice 127.0.0.1:47060 (UDP): INVITE and 180 Ringing. */
TEST(sipp_invite_udp)
{
	static const struct msg msgs[] = {
		C("INVITE sip:alice@127.0.0.1:47060 SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 127.0.0.1:47062;branch=z9hG4bK-25989-1-0\r\n"
		  "From: sipp <sip:sipp@127.0.0.1:47062>;tag=25989SIPpTag001\r\n"
		  "To: alice <sip:alice@127.0.0.1:47060>\r\n"
		  "Call-ID: 1-25989@127.0.0.1\r\n"
		  "CSeq: 1 INVITE\r\n"
		  "Contact: sip:sipp@127.0.0.1:47062\r\n"
		  "Max-Forwards: 70\r\n"
		  "Subject: Performance Test\r\n"
		  "Content-Type: application/sdp\r\n"
		  "Content-Length:   129\r\n"
		  "\r\n"
		  "v=0\r\n"
		  "o=user1 53655765 2353687637 IN IP4 127.0.0.1\r\n"
		  "s=-\r\n"
		  "c=IN IP4 127.0.0.1\r\n"
		  "t=0 0\r\n"
		  "m=audio 6004 RTP/AVP 0\r\n"
		  "a=rtpmap:0 PCMU/8000\r\n"),
		S("SIP/2.0 180 Ringing\r\n"
		  "Via: SIP/2.0/UDP 127.0.0.1:47062;branch=z9hG4bK-25989-1-0\r\n"
		  "From: sipp <sip:sipp@127.0.0.1:47062>;tag=25989SIPpTag001\r\n"
		  "To: alice <sip:alice@127.0.0.1:47060>;tag=25813SIPpTag012\r\n"
		  "Call-ID: 1-25989@127.0.0.1\r\n"
		  "CSeq: 1 INVITE\r\n"
		  "Contact: <sip:127.0.0.1:47060;transport=UDP>\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n"),
	};
	const struct dpi_result *r = dpi_check_udp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_SIP, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("127.0.0.1", r->info.name);
	EXPECT_STREQ("INVITE", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* sipp -sn uac -t t1 -s bob 127.0.0.1:47064 (TCP): INVITE, 180 Ringing. */
TEST(sipp_invite_tcp)
{
	static const struct msg msgs[] = {
		C("INVITE sip:bob@127.0.0.1:47064 SIP/2.0\r\n"
		  "Via: SIP/2.0/TCP 127.0.0.1:47066;branch=z9hG4bK-26508-1-0\r\n"
		  "From: sipp <sip:sipp@127.0.0.1:47066>;tag=26508SIPpTag001\r\n"
		  "To: bob <sip:bob@127.0.0.1:47064>\r\n"
		  "Call-ID: 1-26508@127.0.0.1\r\n"
		  "CSeq: 1 INVITE\r\n"
		  "Contact: sip:sipp@127.0.0.1:47066\r\n"
		  "Max-Forwards: 70\r\n"
		  "Subject: Performance Test\r\n"
		  "Content-Type: application/sdp\r\n"
		  "Content-Length:   129\r\n"
		  "\r\n"
		  "v=0\r\n"
		  "o=user1 53655765 2353687637 IN IP4 127.0.0.1\r\n"
		  "s=-\r\n"
		  "c=IN IP4 127.0.0.1\r\n"
		  "t=0 0\r\n"
		  "m=audio 6008 RTP/AVP 0\r\n"
		  "a=rtpmap:0 PCMU/8000\r\n"),
		S("SIP/2.0 180 Ringing\r\n"
		  "Via: SIP/2.0/TCP 127.0.0.1:47066;branch=z9hG4bK-26508-1-0\r\n"
		  "From: sipp <sip:sipp@127.0.0.1:47066>;tag=26508SIPpTag001\r\n"
		  "To: bob <sip:bob@127.0.0.1:47064>;tag=26413SIPpTag011\r\n"
		  "Call-ID: 1-26508@127.0.0.1\r\n"
		  "CSeq: 1 INVITE\r\n"
		  "Contact: <sip:127.0.0.1:47064;transport=TCP>\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_SIP, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("127.0.0.1", r->info.name);
	EXPECT_STREQ("INVITE", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* Hand-made after RFC 3261 §19.1.3 and §24: URI forms, a response first. */
TEST(other_forms)
{
	static const struct msg reg[] = {
		C("REGISTER sips:Registrar.Biloxi.COM SIP/2.0\r\nVia: SIP/2.0/TLS x\r\n\r\n"),
	};
	static const struct msg params[] = {
		C("INVITE sip:alice;day=tuesday@atlanta.com;transport=tcp SIP/2.0\r\n\r\n"),
	};
	static const struct msg password[] = {
		C("MESSAGE sip:alice:secretword@Gateway.Example:5061;maddr=x SIP/2.0\r\n\r\n"),
	};
	static const struct msg v6[] = { C("BYE sip:[2001:db8::10]:5070 SIP/2.0\r\n\r\n") };
	static const struct msg response_first[] = {
		S("SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\n\r\n"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(reg);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_SIP, r->state.app);
	EXPECT_STREQ("registrar.biloxi.com", r->info.name);
	EXPECT_STREQ("REGISTER", r->info.detail);

	r = dpi_check_udp(params);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("atlanta.com", r->info.name);
	EXPECT_STREQ("INVITE", r->info.detail);

	r = dpi_check_tcp(password);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("gateway.example", r->info.name);
	EXPECT_STREQ("MESSAGE", r->info.detail);

	r = dpi_check_udp(v6);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("2001:db8::10", r->info.name);

	r = dpi_check_udp(response_first);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_SIP, r->state.app);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_hostile)
{
	static const struct msg cut[] = { C("INVITE sip:bob@bilo") };
	static const struct msg short_dgram[] = {
		C("INVI"),
		C("TE sip:bob@biloxi.com SIP/2.0\r\n"),
	};
	static const struct msg no_uri[] = { C("INVITE bob@biloxi.com SIP/2.0\r\n\r\n") };
	static const struct msg bad_status[] = { S("SIP/2.0 900 Nope\r\n\r\n") };
	static const struct msg garbage[] = { C("\x00\x01SIP/2.0 200 OK\r\n\r\n") };
	const struct dpi_result *r;

	r = dpi_check_tcp(cut);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_SIP, r->state.app);
	EXPECT_STREQ("bilo", r->info.name);
	EXPECT_EQ(CW_DPI_INSPECTING, r->state.status);

	/* Datagrams are whole: a cut request is no SIP. */
	EXPECT_NE(CW_APP_SIP, dpi_check_udp(short_dgram)->state.app);
	EXPECT_NE(CW_APP_SIP, dpi_check_udp(no_uri)->state.app);
	EXPECT_NE(CW_APP_SIP, dpi_check_udp(bad_status)->state.app);
	EXPECT_NE(CW_APP_SIP, dpi_check_udp(garbage)->state.app);
	EXPECT_NE(CW_APP_SIP, dpi_check_tcp(no_uri)->state.app);

	EXPECT_EQ(CW_DPI_MORE, sip_probe(true, "REGIS", 5));
	EXPECT_EQ(CW_DPI_MORE, sip_probe(true, "BYE si", 6));
	EXPECT_EQ(CW_DPI_MORE, sip_probe(false, "SIP/2.0 ", 8));
	EXPECT_EQ(CW_DPI_NO, sip_probe(false, "SIP/1.0 200 OK\r\n", 16));
	EXPECT_EQ(CW_DPI_NO, sip_probe(true, "INVITE tel:+15551234 SIP/2.0\r\n", 30));
}

/* Others' first bytes: SIP must not claim them. */
TEST(not_sip)
{
	/* curl 7.88.1 to nginx 1.22.1; GStreamer 1.22.0 rtspsrc; redis-cli 7.0.15. */
	static const char http[] = "GET /index.html?q=1 HTTP/1.1\r\nHost: WWW.Example.COM:47080\r\n";
	static const char http_status[] = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n";
	static const char rtsp[] = "OPTIONS rtsp://127.0.0.1:47554/test RTSP/1.0\r\nCSeq: 1\r\n";
	static const char rtsp_status[] = "RTSP/1.0 200 OK\r\nCSeq: 1\r\n";
	static const char redis[] = "*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n";
	/* The first 32 bytes of curl 7.88.1's TLS ClientHello. */
	static const char tls[] =
		"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xfc\x01\x98_9\xb5)\x92\xb7"
		"e\x02\xc7\x9b?\xc3\x91\xcdMQ\x91M";
	static const struct msg msgs[] = { C(http) };

	EXPECT_EQ(CW_DPI_NO, sip_probe(true, http, sizeof(http) - 1));
	EXPECT_EQ(CW_DPI_NO, sip_probe(false, http_status, sizeof(http_status) - 1));
	EXPECT_EQ(CW_DPI_NO, sip_probe(true, rtsp, sizeof(rtsp) - 1));
	EXPECT_EQ(CW_DPI_NO, sip_probe(false, rtsp_status, sizeof(rtsp_status) - 1));
	EXPECT_EQ(CW_DPI_NO, sip_probe(true, redis, sizeof(redis) - 1));
	EXPECT_EQ(CW_DPI_NO, sip_probe(true, tls, sizeof(tls) - 1));
	EXPECT_NE(CW_APP_SIP, dpi_check_tcp(msgs)->state.app);
}

TEST_HARNESS_MAIN
