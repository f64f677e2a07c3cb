// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/2 and gRPC, recorded with tcpdump over loopback (Debian 12):
 * curl 7.88.1 (nghttp2 1.52.0) --http2-prior-knowledge to nginx 1.22.1
 * ("listen ... http2" without TLS), and a python3-grpcio 1.51.1 client
 * and server (grpc-c 29.0.0). Hand-made frames, built from those, for
 * CONTINUATION, padding and hostile input.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"
#include "dpi/parsers.h"

static int h2_probe(bool client, const char *data, u32 len)
{
	struct cw_dpi d;

	cw_dpi_init(&d, IPPROTO_TCP);
	return cw_dpi_http2.probe(&d, client, (const u8 *)data, len);
}

/* The client preface and SETTINGS of curl 7.88.1, its first packet. */
#define CURL_PREFACE							\
	"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"				\
	"\x00\x00\x12\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00" "d\x00\x04\x02" \
	"\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x04\x08\x00\x00\x00\x00\x00" \
	"\x01\xff\x00\x01"

/* curl --http2-prior-knowledge "http://localhost:47082/api/items?x=1": Huffman-coded. */
TEST(curl_prior_knowledge)
{
	static const struct msg msgs[] = {
		C(CURL_PREFACE),
		C("\x00\x00+\x01\x05\x00\x00\x00\x01\x82\x04\x8b`u\x99\x83$\xb4\xa3\xfc\xf3"
		  "\x00\x7f\x86" "A\x8b\xa0\xe4\x1d\x13\x9d\x09\xb8\xd3\xa0x_z\x88%\xb6P\xc3"
		  "\xab\xbc\xf2\xe1S\x03*/*"),
		S("\x00\x00\x12\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x80\x00\x04\x00"
		  "\x01\x00\x00\x00\x05\x00\xff\xff\xff\x00\x00\x04\x08\x00\x00\x00\x00\x00"
		  "\x7f\xff\x00\x00\x00\x00\x00\x04\x01\x00\x00\x00\x00\x00\x00" "0\x01\x04"
		  "\x00\x00\x00\x01\x88v\x89\xaa" "cU\xe5\x80\xae!.\x1f" "a\x96\xddm_J\x09"
		  "\xf5" "4\x9f\xba\x82\x00\x9cP\x01\xb8'\xee\x05\xb5" "1h\xdf_\x87I|\xa5\x8a"
		  "\xe8\x19\xaa\\\x01" "6"),
		C("\x00\x00\x00\x04\x01\x00\x00\x00\x00"),
		S("\x00\x00\x06\x00\x01\x00\x00\x00\x01hello\n"),
	};
	/* curl --http2-prior-knowledge http://127.0.0.1:47082/ */
	static const struct msg root[] = {
		C(CURL_PREFACE),
		C("\x00\x00\x1f\x01\x05\x00\x00\x00\x01\x82\x84\x86" "A\x8b\x08\x9d\\\x0b\x81"
		  "p\xdci\xd0</z\x88%\xb6P\xc3\xab\xbc\xf2\xe1S\x03*/*"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("http2", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("localhost", r->info.name);
	EXPECT_STREQ("GET /api/items", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(root);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP2, r->state.app);
	EXPECT_STREQ("127.0.0.1", r->info.name);
	/* Indexed :method GET and :path "/" (static indexes 2 and 4). */
	EXPECT_STREQ("GET /", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/*
 * tests/dpi/pcap/http2.pcap, curl 7.88.1 (Debian 12) --http2-prior-knowledge
 * http://allowed.test:8080/index.html to nginx: :method GET and :path
 * "/index.html" both indexed (82 85), :authority Huffman-coded with its port.
 */
TEST(curl_indexed_method_and_path)
{
	static const struct msg msgs[] = {
		C(CURL_PREFACE),
		S("\x00\x00\x12\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x80\x00\x04\x00"
		  "\x01\x00\x00\x00\x05\x00\xff\xff\xff\x00\x00\x04\x08\x00\x00\x00\x00\x00"
		  "\x7f\xff\x00\x00\x00\x00\x00\x04\x01\x00\x00\x00\x00"),
		C("\x00\x00\x20\x01\x05\x00\x00\x00\x01\x82\x85\x86\x41\x8c\x1d\x14\x1f\xc1"
		  "\x64\x5d\x25\x42\x6e\x3c\x07\x81\x7a\x88\x25\xb6\x50\xc3\xab\xbc\xf2\xe1"
		  "\x53\x03*/*"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP2, r->state.app);
	EXPECT_STREQ("allowed.test", r->info.name);
	EXPECT_STREQ("GET /index.html", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/*
 * Hand-made: a literal :method (name index 3, "DELETE") after a path that
 * fills detail: the method goes first, the path's end is lost; a second
 * :method and :path change nothing.
 */
TEST(method_after_long_path)
{
	static const struct msg msgs[] = {
		C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
		  "\x00\x00\x2c\x01\x04\x00\x00\x00\x01"
		  "\x04\x20/0123456789abcdefghijklmnopqrstu"
		  "\x03\x06" "DELETE\x82\x84"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("DELETE /0123456789abcdefghijklm", r->info.detail);
	EXPECT_EQ(CW_DPI_DETAIL_LEN - 1, r->info.detail_len);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/*
 * python3-grpcio 1.51.1: the server sends its SETTINGS first, the client
 * plain literals (names too) with content-type application/grpc.
 */
TEST(grpc_python)
{
	static const struct msg msgs[] = {
		S("\x00\x00\x18\x04\x00\x00\x00\x00\x00\x00\x04\x00?\xff\xff\x00\x05\x00?\xff"
		  "\xff\x00\x06\x00\x00 \x00\xfe\x03\x00\x00\x00\x01\x00\x00\x04\x08\x00\x00"
		  "\x00\x00\x00\x00?\x00\x00"),
		C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
		  "\x00\x00$\x04\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x03\x00\x00"
		  "\x00\x00\x00\x04\x00?\xff\xff\x00\x05\x00?\xff\xff\x00\x06\x00\x00 \x00"
		  "\xfe\x03\x00\x00\x00\x01\x00\x00\x00\x04\x01\x00\x00\x00\x00\x00\x00\xed"
		  "\x01\x04\x00\x00\x00\x01@\x05:path\x1c/helloworld.Greeter/SayHello@\n"
		  ":authority\x0flocalhost:47051\x83\x86@\x0c" "content-type\x10" "applica"
		  "tion/grpc@\x02te\x08trailers@\x14grpc-accept-encoding\x17identity, defl"
		  "ate, gzip@\x0cgrpc-timeout\x05" "4980m@\n"
		  "user-agent0grpc-python/1.51.1 grpc-c/29.0.0 (linux; chttp2)\x00\x00\x04"
		  "\x08\x00\x00\x00\x00\x01\x00\x00\x00\x05\x00\x00\x0c\x00\x01\x00\x00\x00"
		  "\x01\x00\x00\x00\x00\x07\n"
		  "\x05world\x00\x00\x04\x08\x00\x00\x00\x00\x00\x00?\x00\x05"),
		S("\x00\x00\x00\x04\x01\x00\x00\x00\x00\x00\x00\x04\x08\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x0c\x00\x00\x08\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("grpc", cw_app_name(r->state.app));
	EXPECT_EQ(2u, r->packets_to_identify);
	EXPECT_STREQ("localhost", r->info.name);
	/* :path came first, then the indexed :method POST: the path is cut. */
	EXPECT_STREQ("POST /helloworld.Greeter/SayHel", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/*
 * curl -H "content-type: application/grpc" -H "te: trailers" --data-binary
 * ... http://grpc.example.test:47082/pkg.Svc/Call: the value Huffman-coded,
 * 1d 75 d0 62 0d 26 3d 4c 4d 65 64 (RFC 7541 Appendix B).
 */
TEST(grpc_huffman_content_type)
{
	static const struct msg msgs[] = {
		C(CURL_PREFACE),
		C("\x00\x00L\x01\x04\x00\x00\x00\x01\x83\x04\x8a" "b\xbe\xb3/\xbb\xb9\x18\xbc"
		  ":(\x86" "A\x91\x9a\xca\xc8\xb9|\x8e\x9a\xe8*\xe9*\x13q\xa7@\xf0\xbfz\x88"
		  "%\xb6P\xc3\xab\xbc\xf2\xe1S\x03*/*_\x8b\x1du\xd0" "b\r&=LMed@\x02te\x86"
		  "M\x83" "5\x05\xb1\x1f\x0f\r\x01" "0\x00\x00\x00\x00\x01\x00\x00\x00\x01"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_GRPC, r->state.app);
	EXPECT_EQ(1u, r->packets_to_identify);
	EXPECT_STREQ("grpc.example.test", r->info.name);
	EXPECT_STREQ("POST /pkg.Svc/Call", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

/* Hand-made from curl's HEADERS: a Huffman string cut by CONTINUATION; padding and priority. */
TEST(continuation_padding_priority)
{
	static const struct msg cont[] = {
		C(CURL_PREFACE),
		C("\x00\x00\x14\x01\x01\x00\x00\x00\x01\x82\x04\x8b`u\x99\x83$\xb4\xa3\xfc"
		  "\xf3\x00\x7f\x86" "A\x8b\xa0\xe4\x1d\x00\x00\x17\x09\x04\x00\x00\x00\x01"
		  "\x13\x9d\x09\xb8\xd3\xa0x_z\x88%\xb6P\xc3\xab\xbc\xf2\xe1S\x03*/*"),
	};
	static const struct msg padded[] = {
		C(CURL_PREFACE),
		C("\x00\x00" "4\x01-\x00\x00\x00\x01\x03\x00\x00\x00\x00\x0f\x82\x04\x8b`u"
		  "\x99\x83$\xb4\xa3\xfc\xf3\x00\x7f\x86" "A\x8b\xa0\xe4\x1d\x13\x9d\x09\xb8"
		  "\xd3\xa0x_z\x88%\xb6P\xc3\xab\xbc\xf2\xe1S\x03*/*\x00\x00\x00"),
	};
	/* "application/grpc+proto" and "application/grpc-web", as literals. */
	static const struct msg proto[] = {
		C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
		  "\x00\x00\x18\x01\x04\x00\x00\x00\x01\x5f\x16" "application/grpc+proto"),
	};
	static const struct msg web[] = {
		C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
		  "\x00\x00\x16\x01\x04\x00\x00\x00\x01\x5f\x14" "application/grpc-web"),
	};
	const struct dpi_result *r;

	r = dpi_check_tcp(cont);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("localhost", r->info.name);
	EXPECT_STREQ("GET /api/items", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(padded);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("localhost", r->info.name);
	EXPECT_STREQ("GET /api/items", r->info.detail);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	EXPECT_EQ(CW_APP_GRPC, dpi_check_tcp(proto)->state.app);
	EXPECT_EQ(CW_APP_HTTP2, dpi_check_tcp(web)->state.app);
}

TEST(truncated_and_hostile)
{
	/* Lengths that lie: a frame of 16 MiB, a string longer than its frame. */
	static const struct msg big[] = {
		C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\xff\xff\xff\x01\x04\x00\x00\x00\x01\x82\x04"),
	};
	static const struct msg str_lies[] = {
		C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x04\x01\x04\x00\x00\x00\x01\x04\x7f"
		  "\xff\xff\x00\x00\x00\x00\x00\x00"),
	};
	/* An integer of more than 28 bits; padding larger than the frame. */
	static const struct msg long_int[] = {
		C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x07\x01\x04\x00\x00\x00\x01\xff"
		  "\xff\xff\xff\xff\xff\x01"),
	};
	static const struct msg bad_pad[] = {
		C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x02\x01\x0c\x00\x00\x00\x01\x09\x82"),
	};
	/* Huffman EOS (30 ones) inside a string is an error (RFC 7541 §5.2). */
	static const struct msg eos[] = {
		C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x06\x01\x04\x00\x00\x00\x01\x41\x84"
		  "\xff\xff\xff\xff"),
	};
	static const struct msg short_preface[] = { C("PRI * HTTP/2") };
	static const struct msg wrong[] = { C("PRI * HTTP/2.1\r\n\r\nSM\r\n\r\n") };
	const struct dpi_result *r;

	r = dpi_check_tcp(big);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP2, r->state.app);
	EXPECT_EQ(CW_DPI_INSPECTING, r->state.status);

	r = dpi_check_tcp(str_lies);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_APP_HTTP2, r->state.app);
	EXPECT_STREQ("", r->info.detail);

	r = dpi_check_tcp(long_int);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(bad_pad);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);

	r = dpi_check_tcp(eos);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
	EXPECT_STREQ("", r->info.name);

	EXPECT_NE(CW_APP_HTTP2, dpi_check_tcp(short_preface)->state.app);
	EXPECT_NE(CW_APP_HTTP2, dpi_check_tcp(wrong)->state.app);

	EXPECT_EQ(CW_DPI_MORE, h2_probe(true, "PRI * HTTP/2", 12));
	EXPECT_EQ(CW_DPI_YES, h2_probe(true, "PRI * HTTP/2.0\r\n", 16));
	/* A server's SETTINGS first: maybe; anything else from it: no. */
	EXPECT_EQ(CW_DPI_MORE, h2_probe(false, "\x00\x00\x00\x04\x00\x00\x00\x00\x00", 9));
	EXPECT_EQ(CW_DPI_NO, h2_probe(false, "\x00\x00\x07\x04\x00\x00\x00\x00\x00", 9));
	EXPECT_EQ(CW_DPI_NO, h2_probe(false, "\x00\x00\x06\x04\x01\x00\x00\x00\x00", 9));
	EXPECT_EQ(CW_DPI_NO, h2_probe(false, "HTTP/1.1 200 OK\r\n", 17));
}

/* Others' first bytes: HTTP/2 must not claim them. */
TEST(not_http2)
{
	/* curl 7.88.1's request and the first 64 bytes of its TLS ClientHello. */
	static const char http[] = "GET /index.html?q=1 HTTP/1.1\r\nHost: WWW.Example.COM:47080\r\n";
	static const char tls[] =
		"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xfc\x01\x98_9\xb5)\x92\xb7"
		"e\x02\xc7\x9b?\xc3\x91\xcdMQ\x91M\x19\xb1\xab\x97y\x15\x9b\x1f\xf7\xe7\xab"
		" \xabQ\xc5\xd8\xd7" "C\x99:1\x13)\x03\x13" "4\xc5\xd4-\x0c\xf8T";
	/* redis-cli 7.0.15, and OpenSSH 9.2's banner from the server. */
	static const char redis[] = "*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n";
	static const char ssh[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
	static const struct msg msgs[] = { C(http) };

	EXPECT_EQ(CW_DPI_NO, h2_probe(true, http, sizeof(http) - 1));
	EXPECT_EQ(CW_DPI_NO, h2_probe(true, tls, sizeof(tls) - 1));
	EXPECT_EQ(CW_DPI_NO, h2_probe(true, redis, sizeof(redis) - 1));
	EXPECT_EQ(CW_DPI_NO, h2_probe(false, ssh, sizeof(ssh) - 1));
	EXPECT_NE(CW_APP_HTTP2, dpi_check_tcp(msgs)->state.app);
}

TEST_HARNESS_MAIN
