// SPDX-License-Identifier: GPL-2.0
/*
 * RTSP: recorded with tcpdump over loopback (Debian 12) between
 * gst-launch-1.0 rtspsrc (GStreamer 1.22.0) or curl 7.88.1 and a GStreamer
 * 1.22.0 RTSP server (gir1.2-gst-rtsp-server-1.0 from python3-gi, serving
 * audiotestsrc at /test). Hand-made bytes, after RFC 2326, for edge cases.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"
#include "dpi/parsers.h"

static int rtsp_probe(bool client, const char *data, u32 len)
{
	struct cw_dpi d;

	cw_dpi_init(&d, IPPROTO_TCP);
	return cw_dpi_rtsp.probe(&d, client, (const u8 *)data, len);
}

/* gst-launch-1.0 rtspsrc location=rtsp://127.0.0.1:47554/test protocols=tcp */
TEST(gstreamer)
{
	static const struct msg msgs[] = {
		C("OPTIONS rtsp://127.0.0.1:47554/test RTSP/1.0\r\n"
		  "CSeq: 1\r\n"
		  "User-Agent: GStreamer/1.22.0\r\n"
		  "Date: Sun, 29 Nov 2026 01:36:58 GMT\r\n"
		  "\r\n"),
		S("RTSP/1.0 200 OK\r\n"
		  "CSeq: 1\r\n"
		  "Public: OPTIONS, DESCRIBE, ANNOUNCE, GET_PARAMETER, PAUSE, PLAY, RECORD"
		  ", SETUP, SET_PARAMETER, TEARDOWN\r\n"
		  "Server: GStreamer RTSP server\r\n"
		  "Date: Sun, 29 Nov 2026 01:36:58 GMT\r\n"
		  "\r\n"),
		C("DESCRIBE rtsp://127.0.0.1:47554/test RTSP/1.0\r\n"
		  "CSeq: 2\r\n"
		  "User-Agent: GStreamer/1.22.0\r\n"
		  "Accept: application/sdp\r\n"
		  "Date: Sun, 29 Nov 2026 01:36:58 GMT\r\n"
		  "\r\n"),
		S("RTSP/1.0 200 OK\r\n"
		  "CSeq: 2\r\n"
		  "Content-Type: application/sdp\r\n"
		  "Content-Base: rtsp://127.0.0.1:47554/test/\r\n"
		  "Server: GStreamer RTSP server\r\n"
		  "Date: Sun, 29 Nov 2026 01:36:58 GMT\r\n"
		  "Content-Length: 349\r\n"
		  "\r\n"
		  "v=0\r\n"
		  "o=- 10770441546515486045 1 IN IP4 127.0.0.1\r\n"
		  "s=Session streamed with GStreamer\r\n"
		  "i=rtsp-server\r\n"
		  "t=0 0\r\n"
		  "a=tool:GStreamer\r\n"
		  "a=type:broadcast\r\n"
		  "a=control:*\r\n"
		  "a=range:npt=0-\r\n"
		  "m=audio 0 RTP/AVP 96\r\n"
		  "c=IN IP4 0.0.0.0\r\n"
		  "a=rtpmap:96 L16/44100/1\r\n"
		  "a=control:stream=0\r\n"
		  "a=ts-refclk:local\r\n"
		  "a=mediaclk:sender\r\n"
		  "a=ssrc:1205112529 cname:user1655305063@host-3b66e151\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("rtsp", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("127.0.0.1", r->info.name);
	EXPECT_STREQ("OPTIONS", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* curl rtsp://localhost:47554/test: "OPTIONS *", which HTTP must not take. */
TEST(curl_options_asterisk)
{
	static const struct msg msgs[] = {
		C("OPTIONS * RTSP/1.0\r\n"
		  "CSeq: 1\r\n"
		  "User-Agent: curl/7.88.1\r\n"
		  "\r\n"),
		S("RTSP/1.0 200 OK\r\n"
		  "CSeq: 1\r\n"
		  "Public: OPTIONS, DESCRIBE, ANNOUNCE, GET_PARAMETER, PAUSE, PLAY, RECORD"
		  ", SETUP, SET_PARAMETER, TEARDOWN\r\n"
		  "Server: GStreamer RTSP server\r\n"
		  "Date: Sun, 29 Nov 2026 01:37:04 GMT\r\n"
		  "\r\n"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_RTSP, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("", r->info.name);
	EXPECT_STREQ("OPTIONS", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* Hand-made after RFC 2326 §14: userinfo, IPv6, rtsps, the server seen first. */
TEST(other_forms)
{
	static const struct msg userinfo[] = {
		C("DESCRIBE rtsp://admin:s3cr3t@Cam1.Example.COM:554/live.sdp RTSP/1.0\r\n"
		  "CSeq: 1\r\n\r\n"),
	};
	static const struct msg v6[] = {
		C("SETUP rtsps://[2001:db8::7]:322/foo/bar/baz.rm RTSP/2.0\r\nCSeq: 302\r\n\r\n"),
	};
	static const struct msg server_first[] = {
		S("RTSP/1.0 200 OK\r\nCSeq: 312\r\n\r\n"),
		C("PLAY rtsp://audio.example.com/twister.en RTSP/1.0\r\nCSeq: 833\r\n\r\n"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(userinfo);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_RTSP, r->state.app);
	EXPECT_STREQ("cam1.example.com", r->info.name);
	EXPECT_STREQ("DESCRIBE", r->info.detail);

	r = dpi_check_tcp(v6);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_RTSP, r->state.app);
	EXPECT_STREQ("2001:db8::7", r->info.name);
	EXPECT_STREQ("SETUP", r->info.detail);

	r = dpi_check_tcp(server_first);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_RTSP, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(truncated_and_hostile)
{
	static const struct msg cut[] = { C("DESCRIBE rtsp://media.exa") };
	static const struct msg no_url[] = { C("DESCRIBE /movie RTSP/1.0\r\n\r\n") };
	static const struct msg garbage[] = { C("PLAY rtsp\x00\xff://x RTSP/1.0\r\n\r\n") };
	static const struct msg bad_status[] = { S("RTSP/1.0 999 Nope\r\n\r\n") };
	const struct dpi_result *r;

	r = dpi_check_tcp(cut);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_RTSP, r->state.app);
	EXPECT_STREQ("DESCRIBE", r->info.detail);
	EXPECT_EQ(CW_DPI_INSPECTING, r->state.status);

	EXPECT_NE(CW_APP_RTSP, dpi_check_tcp(no_url)->state.app);
	EXPECT_NE(CW_APP_RTSP, dpi_check_tcp(garbage)->state.app);
	EXPECT_NE(CW_APP_RTSP, dpi_check_tcp(bad_status)->state.app);

	EXPECT_EQ(CW_DPI_MORE, rtsp_probe(true, "DESCR", 5));
	EXPECT_EQ(CW_DPI_MORE, rtsp_probe(true, "PLAY rtsp", 9));
	EXPECT_EQ(CW_DPI_MORE, rtsp_probe(false, "RTSP/1.0", 8));
	EXPECT_EQ(CW_DPI_NO, rtsp_probe(false, "RTSP/3.0 200 OK\r\n", 17));
	EXPECT_EQ(CW_DPI_NO, rtsp_probe(false, "DESCRIBE rtsp://a/ RTSP/1.0\r\n", 29));
	EXPECT_EQ(CW_DPI_NO, rtsp_probe(true, "RTSP/1.0 200 OK\r\n", 17));
}

/* Others' first bytes: RTSP must not claim them. */
TEST(not_rtsp)
{
	/* curl 7.88.1 to nginx 1.22.1: HTTP, HTTP/2; redis-cli 7.0.15; sipsak 0.9.8.1. */
	static const char http[] = "GET /index.html?q=1 HTTP/1.1\r\nHost: WWW.Example.COM:47080\r\n";
	static const char http_options[] = "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char h2[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	static const char redis[] = "*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n";
	static const char sip[] = "OPTIONS sip:Service@LocalHost:4706 SIP/2.0\r\n";
	static const char http_status[] = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n";
	/* The first 32 bytes of curl 7.88.1's TLS ClientHello. */
	static const char tls[] =
		"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xfc\x01\x98_9\xb5)\x92\xb7"
		"e\x02\xc7\x9b?\xc3\x91\xcdMQ\x91M";
	static const struct msg msgs[] = { C(http_options) };

	EXPECT_EQ(CW_DPI_NO, rtsp_probe(true, http, sizeof(http) - 1));
	EXPECT_EQ(CW_DPI_NO, rtsp_probe(true, http_options, sizeof(http_options) - 1));
	EXPECT_EQ(CW_DPI_NO, rtsp_probe(true, h2, sizeof(h2) - 1));
	EXPECT_EQ(CW_DPI_NO, rtsp_probe(true, redis, sizeof(redis) - 1));
	EXPECT_EQ(CW_DPI_NO, rtsp_probe(true, sip, sizeof(sip) - 1));
	EXPECT_EQ(CW_DPI_NO, rtsp_probe(false, http_status, sizeof(http_status) - 1));
	EXPECT_EQ(CW_DPI_NO, rtsp_probe(true, tls, sizeof(tls) - 1));
	EXPECT_EQ(CW_APP_HTTP, dpi_check_tcp(msgs)->state.app);
}

TEST_HARNESS_MAIN
