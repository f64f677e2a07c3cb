// SPDX-License-Identifier: GPL-2.0
/* SSH: banners as OpenSSH 9.2 (Debian 12) sends them. */

#include "dpi_test.h"
#include "kselftest_harness.h"

TEST(openssh_client_and_server)
{
	static const struct msg msgs[] = {
		S("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"),
		C("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"),
		S("\x00\x00\x04\x4c\x0a\x14"),
	};
	const struct dpi_result *r = dpi_check_tcp(msgs);

	ASSERT_NE(NULL, r);
	EXPECT_STREQ("ssh", cw_app_name(r->state.app));
	EXPECT_EQ(1u, r->packets_to_identify);
	/* The banner, cut to what info.detail holds. */
	EXPECT_STREQ("SSH-2.0-OpenSSH_9.2p1 Debian-2+", r->info.detail);
	EXPECT_EQ(2, r->info.version);
	EXPECT_EQ(CW_DPI_DONE, r->state.status);
}

TEST(protocol_1_99_is_2_and_1_5_is_1)
{
	static const struct msg v199[] = { S("SSH-1.99-old\r\n"), C("SSH-2.0-x\r\n") };
	static const struct msg v15[] = { C("SSH-1.5-ancient\n"), S("SSH-1.5-x\n") };

	EXPECT_EQ(2, dpi_check_tcp(v199)->info.version);
	EXPECT_EQ(1, dpi_check_tcp(v15)->info.version);
}

/* Protocol 1 is SSH too, for the threat checks: from either side first. */
TEST(protocol_1_is_ssh)
{
	static const struct msg server[] = { S("SSH-1.5-1.2.27\n"), C("SSH-1.5-1.2.27\n") };
	static const struct msg client[] = { C("SSH-1.5-OpenSSH_3.4p1\r\n") };

	EXPECT_EQ(CW_APP_SSH, dpi_check_tcp(server)->state.app);
	EXPECT_EQ(1u, dpi_check_tcp(server)->packets_to_identify);
	EXPECT_EQ(CW_APP_SSH, dpi_check_tcp(client)->state.app);
	EXPECT_EQ(1, dpi_check_tcp(client)->info.version);
}

TEST(not_ssh)
{
	static const struct msg msgs[] = { C("SSL-2.0\r\n") };

	EXPECT_NE(CW_APP_SSH, dpi_check_tcp(msgs)->state.app);
}

TEST_HARNESS_MAIN
