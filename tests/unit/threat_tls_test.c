// SPDX-License-Identifier: GPL-2.0
/*
 * The TLS and SSH threat checks (kmod/threat/tls.c, ssh.c): attacks built
 * by hand from the protocols' formats, and real handshakes that must raise
 * nothing. Each conversation is fed whole, then cut in chunks of every
 * size, and must give the same threats each time.
 *
 * Real traffic: tls_samples.h's handshakes (CURL13, OSSL13, OSSL12), and
 *   CURL_PCAP: tests/dpi/pcap/tls.pcap's first flow, curl --http1.1 (TLS
 *     1.3 offered, 1.2 chosen): the client's and server's first five
 *     segments, from the ClientHello to the first application data.
 */

#include "threat_test.h"
#include "tls_samples.h"
#include "kselftest_harness.h"

#define CURL_PCAP_0 \
	"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\x16P1]\x82<\x80\xdaQ\xe2\xb9" \
	"-[\x09Y\x9b\xf3\x9d\x95\xf5\x16\x97.\x1d '\x0cU\x86\xa4\xc8\x1d ;\x96\xc8" \
	"#\xd6\xb3x9\x00" "f\xb7" "B\x22\x89\xac.\x1c" "2\xfe\x91\xb5" "2C\x1d\xf5" \
	"\xea\xe0\xf9\x92\xab\x04\x88\x00>\x13\x02\x13\x03\x13\x01\xc0,\xc0" "0\x00" \
	"\x9f\xcc\xa9\xcc\xa8\xcc\xaa\xc0+\xc0/\x00\x9e\xc0$\xc0(\x00k\xc0#\xc0'" \
	"\x00g\xc0\x0a\xc0\x14\x00" "9\xc0\x09\xc0\x13\x00" "3\x00\x9d\x00\x9c\x00" \
	"=\x00<\x00" "5\x00/\x00\xff\x01\x00\x01u\x00\x00\x00\x11\x00\x0f\x00\x00" \
	"\x0c" "allowed.test\x00\x0b\x00\x04\x03\x00\x01\x02\x00\x0a\x00\x16\x00" \
	"\x14\x00\x1d\x00\x17\x00\x1e\x00\x19\x00\x18\x01\x00\x01\x01\x01\x02\x01" \
	"\x03\x01\x04\x00\x10\x00\x0b\x00\x09\x08http/1.1\x00\x16\x00\x00\x00\x17" \
	"\x00\x00\x00" "1\x00\x00\x00\x0d\x00*\x00(\x04\x03\x05\x03\x06\x03\x08\x07" \
	"\x08\x08\x08\x09\x08\x0a\x08\x0b\x08\x04\x08\x05\x08\x06\x04\x01\x05\x01" \
	"\x06\x01\x03\x03\x03\x01\x03\x02\x04\x02\x05\x02\x06\x02\x00+\x00\x09\x08" \
	"\x03\x04\x03\x03\x03\x02\x03\x01\x00-\x00\x02\x01\x01\x00" "3\x00&\x00$" \
	"\x00\x1d\x00 \x22\xc3 \x02\xaa" "4\xa5\xc4\xd1\x95;\xd6\xe9" "6N\xc8\x94" \
	"\x06\x91\xffu\xc3\xd4" "A\x86;\x84Ot2\x05\x5c\x00\x15\x00\xb4\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

#define CURL_PCAP_1 \
	"\x16\x03\x03\x00p\x02\x00\x00l\x03\x03\x1a \xd0\x99@\xba" "b7\x90(a\xd4" \
	"\x10T\xa2\xda\x8a\xbb" "eH\x82\x5c\xe0\xeciC\xb7\x1a\x00q\x16\x83 \xa7{" \
	"@\xad#p\x09\xbe" "e6b\xc1 \x87\xc4\x9aR\xbe\xa8\xee\xb2\xbbr,k\xe8\xd8g" \
	"%<\xf9;\xc0,\x00\x00$\xff\x01\x00\x01\x00\x00\x00\x00\x00\x00\x0b\x00\x04" \
	"\x03\x00\x01\x02\x00\x10\x00\x0b\x00\x09\x08http/1.1\x00\x17\x00\x00\x16" \
	"\x03\x03\x01\xb8\x0b\x00\x01\xb4\x00\x01\xb1\x00\x01\xae" "0\x82\x01\xaa" \
	"0\x82\x01P\xa0\x03\x02\x01\x02\x02\x14S\xbc\x9c" "9\xd9\xeb[+\x93\x1e\x5c" \
	"\xff" "A\x9e<\xdc@\x0f\x09\xec" "0\x0a\x06\x08*\x86H\xce=\x04\x03\x02" "0" \
	"\x17" "1\x15" "0\x13\x06\x03U\x04\x03\x0c\x0c" "allowed.test0\x1e\x17\x0d" \
	"261129015314Z\x17\x0d" "361126015314Z0\x17" "1\x15" "0\x13\x06\x03U\x04" \
	"\x03\x0c\x0c" "allowed.test0Y0\x13\x06\x07*\x86H\xce=\x02\x01\x06\x08*\x86" \
	"H\xce=\x03\x01\x07\x03" "B\x00\x04\x11" "D\x08H\xb8Wi\x86\xf0\x1er\xc6\x12" \
	"\xdd'\xae\xc2\x0e=N\x1a\xa8\xdf\xba" "C\xbb\x0e\x95\x84" "E5\x1e\xc0W\xb5" \
	"\xf7\xb7Z\x94\xf6\x0b\xd0\x14\x0f" "C\x99" "F\x9e\x99" "5\xfc\xb6\x8e=g" \
	"\xf9$\x5c\xb5y<-\xb1\xd5\xa3z0x0\x1d\x06\x03U\x1d\x0e\x04\x16\x04\x14'M" \
	"\x91\xe6u9S\x8c" "b\xb3" "A\x7f\xdc\x09\xae\x90\xf6\x17\xbb\x7f" "0\x1f" \
	"\x06\x03U\x1d#\x04\x18" "0\x16\x80\x14'M\x91\xe6u9S\x8c" "b\xb3" "A\x7f" \
	"\xdc\x09\xae\x90\xf6\x17\xbb\x7f" "0\x0f\x06\x03U\x1d\x13\x01\x01\xff\x04" \
	"\x05" "0\x03\x01\x01\xff" "0%\x06\x03U\x1d\x11\x04\x1e" "0\x1c\x82\x0c" "a" \
	"llowed.test\x82\x0c" "blocked.test0\x0a\x06\x08*\x86H\xce=\x04\x03\x02\x03" \
	"H\x00" "0E\x02!\x00\xef\x1f\xf4w\xbb\xc5\x03\xafN\x8f\x17\xfd\x03\x00\x9e" \
	"+\xf5" "2\x9cm\x0b\xa3\xff\x98\x1cp\xd1\x1d\xc6\xd3+\xee\x02 ah%CfLa\xdc" \
	"F@.\x83\xfaX#*\x81\xae\x9fo\x0a\x9fp\x03\x04\xdb\xe2\x08\xe6" "Fd\x88\x16" \
	"\x03\x03\x00t\x0c\x00\x00p\x03\x00\x1d P\xf5\xb6\xa6Lj\xae\xa4" "5\xe2" "d" \
	"F\xa2" "a]\xc3\xac\x04" "B<\xcf" "1{%c\xd6\x09#X\x92\xfb" "d\x04\x03\x00" \
	"H0F\x02!\x00\xc0\xb3\xbd\xd2\xa3Z`\xeb\x9f\xb5t/\x83\xfa\x9a\x81" "bU\x1e" \
	"\xbe\xcd]\x22\xa8x\x94\xf0\xd4Y\xc3N\xbf\x02!\x00\x8c\x85\xad\x09\xea\xf6" \
	"\x1e\xcc\x0f\xc9\xfa\x81\xac\x0dp1\xc0\xa4\xcd\x02\xc5\x99\xf7\xeaj\xfd" \
	"l\xbf\x0c\x9e\xb2W\x16\x03\x03\x00\x04\x0e\x00\x00\x00"

#define CURL_PCAP_2 \
	"\x16\x03\x03\x00%\x10\x00\x00! \xdf\xd5\xae\xc0\x0b\xa1\x1cu\x9e\xe1\xb6" \
	"o\x87\xeaIO\x17\xb3\xe2\xf5\xa4\xcd\x0bk\x0d%Z\xcb\xcf',x\x14\x03\x03\x00" \
	"\x01\x01\x16\x03\x03\x00(\x83" "C\x83\xc8\x15\x1b\xd6\x5c" "e\xa8M\x07\xd2" \
	"\x17" "E\xe7\x07" "3\xe0\xf3,\x83\xf1\xc0\xbfO\xef\xc0\xf4\xde\x91\xaf\xae" \
	"\xcd\x8f\xe8\xd3\xc4\xf4\xb3"

#define CURL_PCAP_3 \
	"\x14\x03\x03\x00\x01\x01\x16\x03\x03\x00(3JJ\x3fh@\xfb\xa3\x01\x99\xde\xdd" \
	"\xa9\xb5{\xdf-\x8c\x1a\xfe\x0e\xed\x08P\x1d\x7fl\xe2\x98\xb4\xd7\xfa\xaa" \
	"\x0dJ\xec\xb7\x17" "C\x93"

#define CURL_PCAP_4 \
	"\x17\x03\x03\x00n\x83" "C\x83\xc8\x15\x1b\xd6] \xd3\xc7\x9f_n\xad}c\xcc" \
	"\xf2\x0cs\xa9\x3f\x9aj\xcc\xbfx\xf9\xf3s~\x14" "E\xbd@U\x9d>\xc8]\xeb" "D" \
	"\xccO9r\x01\x9b|z)\x93\xe8\xf9\xf3@\x99" "cn!\x9c\xb5\x9a~\x90\xc1*\xf7" \
	"\xc5\xa9\x1d\x83g\x9d\xc6\xca\xd3\xe7\x87\x18" "f1\xbe" "6D\xdf\x13~\x8f" \
	"#G\xd0\xdb$IY\xb1\xc7\xb8TVu\xe5\xcf\xbe\xb0\x0e\x8a" "6"

/* TLS 1.3 after the ServerHello: ChangeCipherSpec, then all encrypted. */
#define CCS "\x14\x03\x03\x00\x01\x01"
#define APP_DATA "\x17\x03\x03\x00\x05\x8e\x11\x2a\x47\x90"

#define RANDOM \
	"\x5e\x0b\x6f\x3c\x91\x22\xd4\x07\xa8\x4b\x19\xe6\x30\x7d\xc2\x58" \
	"\x0f\x93\x6a\xb1\x44\xee\x27\x85\x1c\xd9\x70\x3a\xbe\x05\x62\xf4"

/* A ClientHello of version @v (2 bytes), TLS_RSA_WITH_AES_128_CBC_SHA, no extensions. */
#define CLIENT_HELLO(v) \
	"\x16\x03\x00\x00\x2d\x01\x00\x00\x29" v RANDOM "\x00\x00\x02\x00\x2f\x01\x00"
/* The ServerHello that selects @v, no extensions. */
#define SERVER_HELLO(v) \
	"\x16\x03\x00\x00\x2a\x02\x00\x00\x26" v RANDOM "\x00\x00\x2f\x00"

/* A heartbeat request (RFC 6520 §4) in a record of @rec bytes claiming @claim. */
#define HEARTBEAT(rec, claim) "\x18\x03\x02\x00" rec "\x01\x00" claim

#define BIT(id) CW_THREAT_BIT(CW_THREAT_##id)

static struct cw_threat_limits limits;

#define SCAN(app, msgs, done) \
	threat_check(app, IPPROTO_TCP, &limits, msgs, sizeof(msgs) / sizeof(msgs[0]), done)
#define TLS(msgs) SCAN(CW_APP_TLS, msgs, NULL)
#define TLS_DONE(msgs, done) SCAN(CW_APP_TLS, msgs, done)
#define SSH(msgs, done) SCAN(CW_APP_SSH, msgs, done)

FIXTURE(threat) {};
FIXTURE_SETUP(threat)
{
	cw_threat_default_limits(&limits);
}
FIXTURE_TEARDOWN(threat) {}

TEST_F(threat, real_handshakes_raise_nothing)
{
	static const struct msg curl13[] = {
		C(CURL13_C), S(CURL13_S CCS APP_DATA), C(CCS APP_DATA),
	};
	static const struct msg ossl13[] = { C(OSSL13_C), S(OSSL13_S CCS APP_DATA), C(CCS) };
	static const struct msg ossl12[] = { C(OSSL12_C), S(OSSL12_S) };
	static const struct msg pcap[] = {
		C(CURL_PCAP_0), S(CURL_PCAP_1), C(CURL_PCAP_2), S(CURL_PCAP_3), C(CURL_PCAP_4),
	};
	bool done;

	EXPECT_EQ(0ull, TLS_DONE(curl13, &done));
	EXPECT_TRUE(done);
	EXPECT_EQ(0ull, TLS_DONE(ossl13, &done));
	EXPECT_TRUE(done);
	EXPECT_EQ(0ull, TLS_DONE(ossl12, &done));
	EXPECT_FALSE(done);
	EXPECT_EQ(0ull, TLS_DONE(pcap, &done));
	EXPECT_TRUE(done);
}

TEST_F(threat, heartbleed)
{
	/* Hello, then 16 KiB claimed in a record of 3 bytes: the exploit's. */
	static const struct msg exploit[] = {
		C(OSSL12_C), S(OSSL12_S), C(HEARTBEAT("\x03", "\x40\x00")),
	};
	/* Sent before the server answered; and by a server to its client. */
	static const struct msg early[] = { C(OSSL12_C), C(HEARTBEAT("\x03", "\xff\xff")) };
	static const struct msg to_client[] = { C(OSSL12_C), S(HEARTBEAT("\x03", "\x40\x00")) };
	/* 16 bytes of payload and 16 of padding: 35 bytes, honest. */
	static const struct msg honest[] = {
		C(OSSL12_C),
		C(HEARTBEAT("\x23", "\x10") "0123456789abcdef" "PPPPPPPPPPPPPPPP"),
	};
	/* One byte of padding short: the record holds less than it claims. */
	static const struct msg short_pad[] = {
		C(OSSL12_C),
		C(HEARTBEAT("\x22", "\x10") "0123456789abcdef" "PPPPPPPPPPPPPPP"),
	};
	/* After ChangeCipherSpec the records are encrypted: not read. */
	static const struct msg encrypted[] = {
		C(OSSL12_C), S(OSSL12_S), C(CCS HEARTBEAT("\x03", "\x40\x00")),
	};
	/* Too short to hold its length: malformed, not Heartbleed. */
	static const struct msg stub[] = { C(OSSL12_C "\x18\x03\x02\x00\x02\x01\x40") };

	EXPECT_EQ(BIT(TLS_HEARTBLEED), TLS(exploit));
	EXPECT_EQ(BIT(TLS_HEARTBLEED), TLS(early));
	EXPECT_EQ(BIT(TLS_HEARTBLEED), TLS(to_client));
	EXPECT_EQ(0ull, TLS(honest));
	EXPECT_EQ(BIT(TLS_HEARTBLEED), TLS(short_pad));
	EXPECT_EQ(0ull, TLS(encrypted));
	EXPECT_EQ(0ull, TLS(stub));
}

TEST_F(threat, versions)
{
	static const struct msg ssl3_client[] = { C(CLIENT_HELLO("\x03\x00")) };
	static const struct msg ssl3_server[] = {
		C(OSSL12_C), S(SERVER_HELLO("\x03\x00")),
	};
	static const struct msg tls10[] = { C(OSSL12_C), S(SERVER_HELLO("\x03\x01")) };
	static const struct msg tls11[] = { C(OSSL12_C), S(SERVER_HELLO("\x03\x02")) };
	static const struct msg tls12[] = {
		C(CLIENT_HELLO("\x03\x01")), S(SERVER_HELLO("\x03\x03")),
	};
	/* 3.0 as legacy_version, but supported_versions offers 1.3 and 1.2. */
	static const struct msg legacy_only[] = {
		C("\x16\x03\x01\x00\x36\x01\x00\x00\x32\x03\x00" RANDOM
		  "\x00\x00\x02\x13\x01\x01\x00\x00\x07\x00\x2b\x00\x03\x02\x03\x04"),
	};
	/* Only 3.0 and GREASE in supported_versions. */
	static const struct msg grease_ssl3[] = {
		C("\x16\x03\x01\x00\x38\x01\x00\x00\x34\x03\x00" RANDOM
		  "\x00\x00\x02\x13\x01\x01\x00\x00\x09\x00\x2b\x00\x05\x04\x3a\x3a\x03\x00"),
	};
	/* A ServerHello of 1.1 whose supported_versions selects 1.3, or 1.1. */
	static const struct msg sv_13[] = {
		S("\x16\x03\x03\x00\x32\x02\x00\x00\x2e\x03\x02" RANDOM
		  "\x00\x13\x01\x00\x00\x06\x00\x2b\x00\x02\x03\x04"),
	};
	static const struct msg sv_11[] = {
		S("\x16\x03\x03\x00\x32\x02\x00\x00\x2e\x03\x03" RANDOM
		  "\x00\x13\x01\x00\x00\x06\x00\x2b\x00\x02\x03\x02"),
	};

	EXPECT_EQ(BIT(SSL_V3), TLS(ssl3_client));
	EXPECT_EQ(BIT(SSL_V3), TLS(ssl3_server));
	EXPECT_EQ(BIT(TLS_OLD_VERSION), TLS(tls10));
	EXPECT_EQ(BIT(TLS_OLD_VERSION), TLS(tls11));
	EXPECT_EQ(0ull, TLS(tls12));
	EXPECT_EQ(0ull, TLS(legacy_only));
	EXPECT_EQ(BIT(SSL_V3), TLS(grease_ssl3));
	EXPECT_EQ(0ull, TLS(sv_13));
	EXPECT_EQ(BIT(TLS_OLD_VERSION), TLS(sv_11));
}

/* A hello whose lengths do not fit is not read for its version. */
TEST_F(threat, broken_hellos_raise_nothing)
{
	/* The session id's length (33) over 32; the extensions' past the hello. */
	static const struct msg sid[] = {
		S("\x16\x03\x00\x00\x2a\x02\x00\x00\x26\x03\x00" RANDOM "\x21\x00\x2f\x00"),
	};
	static const struct msg exts[] = {
		S("\x16\x03\x00\x00\x2c\x02\x00\x00\x28\x03\x00" RANDOM "\x00\x00\x2f\x00\x00\x09"),
	};
	/* Not TLS at all after the hello: the direction is left. */
	static const struct msg garbage[] = {
		C(CURL13_C "GET / HTTP/1.1\r\n" HEARTBEAT("\x03", "\x40\x00")),
	};

	EXPECT_EQ(0ull, TLS(sid));
	EXPECT_EQ(0ull, TLS(exts));
	EXPECT_EQ(0ull, TLS(garbage));
}

/* SSL 2.0 records: CLIENT-HELLO, its lengths, SERVER-HELLO, CLIENT-MASTER-KEY. */
#define V2_HELLO(rec, version, cipher_len, challenge_len) \
	"\x80" rec "\x01" version cipher_len "\x00\x00\x00" challenge_len
#define SPECS_21 \
	"\x07\x00\xc0\x05\x00\x80\x03\x00\x80\x01\x00\x80\x06\x00\x40\x04\x00\x80\x02\x00\x80"
#define CHALLENGE_16 "\x1f\x2e\x3d\x4c\x5b\x6a\x79\x88\x97\xa6\xb5\xc4\xd3\xe2\xf1\x00"

TEST_F(threat, ssl2)
{
	static const struct msg v2[] = { C(V2_HELLO("\x2e", "\x00\x02", "\x00\x15", "\x10")
					   SPECS_21 CHALLENGE_16) };
	/* Old clients' compatible hello: 3.0 is SSL 3.0, 3.1 is fine; TLS follows. */
	static const struct msg compat30[] = {
		C(V2_HELLO("\x2e", "\x03\x00", "\x00\x15", "\x10") SPECS_21 CHALLENGE_16),
	};
	static const struct msg compat31[] = {
		C(V2_HELLO("\x2e", "\x03\x01", "\x00\x15", "\x10") SPECS_21 CHALLENGE_16),
		S(SERVER_HELLO("\x03\x03")),
		C(HEARTBEAT("\x03", "\x40\x00")),
	};
	static const struct msg server[] = {
		C(V2_HELLO("\x2e", "\x00\x02", "\x00\x15", "\x10") SPECS_21 CHALLENGE_16),
		S("\x80\x0d\x04\x00\x01\x00\x02\x00\x00\x00\x03\x00\x10\x01\x00\x80"),
	};
	bool done;

	EXPECT_EQ(BIT(SSL_V2), TLS_DONE(v2, &done));
	EXPECT_FALSE(done);
	EXPECT_EQ(BIT(SSL_V3), TLS(compat30));
	EXPECT_EQ(BIT(TLS_HEARTBLEED), TLS(compat31));
	EXPECT_EQ(BIT(SSL_V2), TLS_DONE(server, &done));
	EXPECT_FALSE(done);
}

TEST_F(threat, ssl2_overflows)
{
	/* 768 bytes of cipher specs in a record of 46; 20 bytes (not specs of 3). */
	static const struct msg specs_long[] = {
		C(V2_HELLO("\x2e", "\x00\x02", "\x03\x00", "\x10") SPECS_21 CHALLENGE_16),
	};
	static const struct msg specs_odd[] = {
		C(V2_HELLO("\x2d", "\x03\x01", "\x00\x14", "\x10")
		  "\x07\x00\xc0\x05\x00\x80\x03\x00\x80\x01\x00\x80\x06\x00\x40\x04\x00\x80\x02\x00"
		  CHALLENGE_16),
	};
	/* A challenge of 8 and of 33 bytes. */
	static const struct msg challenge_short[] = {
		C(V2_HELLO("\x26", "\x03\x01", "\x00\x15", "\x08") SPECS_21
		  "\x01\x02\x03\x04\x05\x06\x07\x08"),
	};
	static const struct msg challenge_long[] = {
		C(V2_HELLO("\x3f", "\x03\x01", "\x00\x15", "\x21") SPECS_21
		  CHALLENGE_16 CHALLENGE_16 "\x00"),
	};
	/* CVE-2002-0656: KEY-ARG-LENGTH 64 in CLIENT-MASTER-KEY; 8 is the most. */
	static const struct msg master_key[] = {
		C(V2_HELLO("\x2e", "\x00\x02", "\x00\x15", "\x10") SPECS_21 CHALLENGE_16),
		C("\x80\x12\x02\x01\x00\x80\x00\x00\x00\x00\x00\x40" "AAAAAAAA"),
	};
	static const struct msg master_key_ok[] = {
		C(V2_HELLO("\x2e", "\x00\x02", "\x00\x15", "\x10") SPECS_21 CHALLENGE_16),
		C("\x80\x12\x02\x01\x00\x80\x00\x00\x00\x00\x00\x08" "AAAAAAAA"),
	};

	EXPECT_EQ(BIT(SSL_V2) | BIT(SSL_V2_CIPHER_OVERFLOW), TLS(specs_long));
	EXPECT_EQ(BIT(SSL_V2_CIPHER_OVERFLOW), TLS(specs_odd));
	EXPECT_EQ(BIT(SSL_V2_CIPHER_OVERFLOW), TLS(challenge_short));
	EXPECT_EQ(BIT(SSL_V2_CIPHER_OVERFLOW), TLS(challenge_long));
	EXPECT_EQ(BIT(SSL_V2) | BIT(SSL_V2_CIPHER_OVERFLOW), TLS(master_key));
	EXPECT_EQ(BIT(SSL_V2), TLS(master_key_ok));
}

TEST_F(threat, ssh_banners)
{
	static const struct msg openssh[] = {
		S("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"),
		C("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"),
		S("\x00\x00\x04\x4c\x0a\x14"),
	};
	static const struct msg v15[] = { S("SSH-1.5-1.2.27\n"), C("SSH-1.5-1.2.27\n") };
	static const struct msg v1_client[] = {
		S("SSH-2.0-OpenSSH_9.2p1\r\n"), C("SSH-1.5-OpenSSH_3.4p1\r\n"),
	};
	/* 1.99: 2.0 that speaks 1 too; 1 only if the other side wants it. */
	static const struct msg v199_2[] = {
		S("SSH-1.99-OpenSSH_3.9p1\r\n"), C("SSH-2.0-OpenSSH_9.2p1\r\n"),
	};
	static const struct msg v199_1[] = {
		S("SSH-1.99-OpenSSH_3.9p1\r\n"), C("SSH-1.5-PuTTY_Release_0.53\r\n"),
	};
	/* Lines before the server's banner (RFC 4253 §4.2). */
	static const struct msg lines[] = { S("Welcome\r\nto SSH-1.5\r\n\r\nSSH-1.3-x\r\n") };
	/* Not protocol 1: 12.0, a bare "1.", no banner at all. */
	static const struct msg others[] = {
		S("SSH-12.0-x\r\n"), C("SSH-1.-x\r\n"),
	};
	static const struct msg none[] = { C("GET / HTTP/1.1\r\n") };
	bool done;

	EXPECT_EQ(0ull, SSH(openssh, &done));
	EXPECT_TRUE(done);
	EXPECT_EQ(BIT(SSH_V1), SSH(v15, &done));
	EXPECT_TRUE(done);
	EXPECT_EQ(BIT(SSH_V1), SSH(v1_client, &done));
	EXPECT_EQ(0ull, SSH(v199_2, &done));
	EXPECT_TRUE(done);
	EXPECT_EQ(BIT(SSH_V1), SSH(v199_1, &done));
	EXPECT_EQ(BIT(SSH_V1), SSH(lines, &done));
	EXPECT_EQ(0ull, SSH(others, &done));
	EXPECT_TRUE(done);
	EXPECT_EQ(0ull, SSH(none, &done));
	EXPECT_FALSE(done);
}

TEST_HARNESS_MAIN
