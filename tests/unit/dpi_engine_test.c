// SPDX-License-Identifier: GPL-2.0
/*
 * The engine itself: the per-flow state's size, the byte budget
 * (net.cellwall.dpi_max_bytes), a start kept across short chunks, and
 * what ends identification.
 */

#include "dpi_test.h"
#include "kselftest_harness.h"

static const char request[] =
	"GET /index.html HTTP/1.1\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n"
	"Host: allowed.test\r\n\r\n";

/* The engine's answer, as the harness compares it. */
static int feed(struct cw_dpi *d, struct cw_dpi_info *info, const void *data, u32 len,
		u32 max_bytes)
{
	return cw_dpi_feed(d, info, true, data, len, max_bytes);
}

TEST(state_is_64_bytes)
{
	EXPECT_GE(64u, sizeof(struct cw_dpi));
}

/* The budget stops the parser before the Host header. */
TEST(stops_after_max_bytes)
{
	struct cw_dpi d;
	struct cw_dpi_info info = {};

	cw_dpi_init(&d, IPPROTO_TCP);
	EXPECT_EQ(CW_DPI_INSPECTING, feed(&d, &info, request, 40, 60));
	EXPECT_EQ(CW_APP_HTTP, d.app);
	EXPECT_EQ(CW_DPI_DONE, feed(&d, &info, request + 40, 40, 60));
	/* Done: nothing more is read. */
	EXPECT_EQ(CW_DPI_DONE, feed(&d, &info, request + 80,
					   sizeof(request) - 81, 60));
	/* Not a byte past the budget: the Host header starts at byte 64. */
	EXPECT_STREQ("", info.name);
	EXPECT_EQ(60, d.inspected[0]);
}

/* A first chunk of one byte is kept, and decided with what follows. */
TEST(short_start_kept)
{
	struct cw_dpi d;
	struct cw_dpi_info info = {};

	cw_dpi_init(&d, IPPROTO_TCP);
	EXPECT_EQ(CW_DPI_IDENTIFYING, feed(&d, &info, request, 1, 4096));
	EXPECT_EQ(1, d.head_len);
	EXPECT_EQ(0, d.inspected[0]);
	feed(&d, &info, request + 1, sizeof(request) - 2, 4096);
	EXPECT_EQ(CW_APP_HTTP, d.app);
	EXPECT_STREQ("allowed.test", info.name);
	EXPECT_EQ((int)sizeof(request) - 1, d.inspected[0]);
}

/* Nothing claims random bytes: every candidate says no, and it is done. */
TEST(unknown_is_done)
{
	static const u8 noise[48] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03 };
	struct cw_dpi d;
	struct cw_dpi_info info = {};

	cw_dpi_init(&d, IPPROTO_TCP);
	EXPECT_EQ(CW_DPI_DONE, feed(&d, &info, noise, sizeof(noise), 4096));
	EXPECT_EQ(CW_APP_UNKNOWN, d.app);
}

/* A datagram is a whole message: undecided means no. */
TEST(datagram_decides_alone)
{
	static const u8 dgram[] = "hello";
	struct cw_dpi d;
	struct cw_dpi_info info = {};

	cw_dpi_init(&d, IPPROTO_UDP);
	EXPECT_EQ(CW_DPI_DONE, feed(&d, &info, dgram, sizeof(dgram) - 1, 4096));
	EXPECT_EQ(CW_APP_UNKNOWN, d.app);
}

TEST(app_names)
{
	EXPECT_STREQ("mysql", cw_app_name(CW_APP_MYSQL));
	EXPECT_EQ((unsigned int)CW_APP_GRPC, cw_app_by_name("grpc"));
	EXPECT_EQ((unsigned int)CW_APP_UNKNOWN, cw_app_by_name("gopher"));
	EXPECT_EQ(NULL, cw_app_name(__CW_APP_LAST));
	/* Every application but unknown has a name, and it maps back. */
	for (unsigned int app = 1; app < __CW_APP_LAST; app++)
		EXPECT_EQ(app, cw_app_by_name(cw_app_name(app)));
}

TEST_HARNESS_MAIN
