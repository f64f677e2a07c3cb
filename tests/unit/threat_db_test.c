// SPDX-License-Identifier: GPL-2.0
/*
 * The MySQL and PostgreSQL checks: conversations written from the wire
 * protocols (the MySQL greeting and handshake response as mariadb 10.11
 * sends them), fed whole and cut into chunks of every size, which must find
 * the same.
 */

#include "threat_test.h"
#include "kselftest_harness.h"

#define MYSQL_SQLI CW_THREAT_BIT(CW_THREAT_MYSQL_SQL_INJECTION)
#define MYSQL_AUTH CW_THREAT_BIT(CW_THREAT_MYSQL_AUTH_FAILURES)
#define PG_SQLI CW_THREAT_BIT(CW_THREAT_POSTGRESQL_SQL_INJECTION)

/* A conversation being written: messages, their bytes in buf. */
struct conv {
	struct msg msgs[32];
	unsigned int n;
	bool join;		/* the next bytes go on the last message */
	unsigned int used;
	u8 buf[32768];
};

static void add(struct conv *c, bool client, const void *data, unsigned int len)
{
	if (!c->join || !c->n || c->msgs[c->n - 1].client != client)
		c->msgs[c->n++] = (struct msg){ client, c->buf + c->used, 0 };
	memcpy(c->buf + c->used, data, len);
	c->used += len;
	c->msgs[c->n - 1].len += len;
}

/* The threats in @c whole and in every cut (~0 if a cut changed them), done in @done. */
static u64 threats(const struct conv *c, u8 app, bool *done)
{
	struct cw_threat_limits limits;

	cw_threat_default_limits(&limits);
	return threat_check(app, IPPROTO_TCP, &limits, c->msgs, c->n, done);
}

/* --- MySQL --- */

static void mysql_packet(struct conv *c, bool client, u8 seq, const void *payload,
			 unsigned int len)
{
	static u8 packet[8192];

	packet[0] = len;
	packet[1] = len >> 8;
	packet[2] = len >> 16;
	packet[3] = seq;
	memcpy(packet + 4, payload, len);
	add(c, client, packet, 4 + len);
}

/* mariadbd 10.11's greeting. */
static void mysql_greeting(struct conv *c)
{
	static const char greeting[] =
		"\x0a" "5.5.5-10.11.19-MariaDB-0+deb12u1\x00\x03\x00\x00\x00.t#L"
		"7l<'\x00\xfe\xff-\x02\x00\xff\x81\x15\x00\x00\x00\x00\x00\x00\x1d\x00\x00"
		"\x00L))0U;fr*v5F\x00mysql_native_password\x00";

	mysql_packet(c, false, 0, greeting, sizeof(greeting) - 1);
}

/* The greeting and the mariadb client's answer, without SSL. */
static void mysql_login(struct conv *c)
{
	static const char response[] =
		"\x8c\xa2\xbf\x00\x00\x00\x10\x00!\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x1d\x00\x00\x00" "Bob"
		"\x00\x14>b\xec\x9a/\x07\xe8#\xcd\xe9$\x8b\xd1" "6\xbe\x8f-i\xe2\xb5shop\x00m"
		"ysql_native_password\x00";

	mysql_greeting(c);
	mysql_packet(c, true, 1, response, sizeof(response) - 1);
}

static const u8 mysql_ok[] = { 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00 };

static void mysql_err(struct conv *c, u8 seq, u16 code, const char *text)
{
	u8 payload[128] = { 0xff, code, code >> 8 };
	unsigned int len = strlen(text);

	memcpy(payload + 3, text, len);
	mysql_packet(c, false, seq, payload, 3 + len);
}

static void mysql_command(struct conv *c, u8 cmd, const char *sql)
{
	u8 payload[8192] = { cmd };
	unsigned int len = strlen(sql);

	memcpy(payload + 1, sql, len);
	mysql_packet(c, true, 0, payload, 1 + len);
}

static const char *const benign[] = {
	"select @@version_comment limit 1",
	"SELECT n.nspname as \"Schema\", c.relname as \"Name\" FROM pg_catalog.pg_class c "
	"LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' "
	"AND n.nspname <> 'information_schema' ORDER BY 1,2;",
	"INSERT INTO t VALUES ('O''Brien', 'a--b')",
	"SELECT * FROM t WHERE a = 'x' OR b = 'y'",
	"CREATE TABLE t (id int primary key, name text)",
	"SELECT 1",
	"SET NAMES utf8mb4",
	"SELECT a FROM t1 UNION SELECT a FROM t2",
	NULL,
};

static const char *const attacks[] = {
	"SELECT * FROM users WHERE id = '1' OR '1'='1'",
	"SELECT * FROM users WHERE name = 'admin'-- ' AND password = 'x'",
	"SELECT * FROM t WHERE id = 1 UNION SELECT table_name FROM information_schema.tables",
	"SELECT * FROM t WHERE id = 1 UNION ALL SELECT @@version",
	"SELECT * FROM t WHERE name = 'x'; DROP TABLE users; -- '",
	"SELECT * FROM t WHERE id = 1 OR 1=1",
	"SELECT * FROM t WHERE id = 1 AND SLEEP(5)",
	"SELECT * FROM t WHERE id = 1 AND BENCHMARK(5000000, MD5(1))",
	"SELECT '<?php system($_GET[1]); ?>' INTO OUTFILE '/var/www/html/x.php'",
	NULL,
};

TEST(mysql_benign_session)
{
	static struct conv c;
	bool done;

	mysql_login(&c);
	mysql_packet(&c, false, 2, mysql_ok, sizeof(mysql_ok));
	for (const char *const *q = benign; *q; q++) {
		mysql_command(&c, 0x03, *q);
		mysql_packet(&c, false, 1, mysql_ok, sizeof(mysql_ok));
	}
	/* Prepared, then several packets in one chunk (ping, init db, query). */
	mysql_command(&c, 0x16, "SELECT name FROM t WHERE id = ? OR parent = ?");
	c.join = true;
	mysql_command(&c, 0x0e, "");
	mysql_command(&c, 0x02, "shop");
	mysql_command(&c, 0x03, "SELECT 1");
	EXPECT_EQ(0ull, threats(&c, CW_APP_MYSQL, &done));
	EXPECT_FALSE(done);
}

TEST(mysql_injection)
{
	for (const char *const *q = attacks; *q; q++) {
		static struct conv c;
		bool done;

		memset(&c, 0, sizeof(c));
		mysql_login(&c);
		mysql_packet(&c, false, 2, mysql_ok, sizeof(mysql_ok));
		mysql_command(&c, 0x03, "SELECT 1");
		mysql_command(&c, *q == attacks[0] ? 0x16 : 0x03, *q);
		mysql_command(&c, 0x03, "SELECT 2");
		if (threats(&c, CW_APP_MYSQL, &done) != MYSQL_SQLI)
			TH_LOG("missed: %s", *q);
		EXPECT_EQ(MYSQL_SQLI, threats(&c, CW_APP_MYSQL, &done));
	}
}

/* A 4 KiB query, the injection at its end: the matcher streams over it. */
TEST(mysql_long_query)
{
	static struct conv c;
	static char sql[4200];
	unsigned int len;
	bool done;

	len = snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE id IN (");
	while (len < 4096)
		len += snprintf(sql + len, sizeof(sql) - len, "%u,", len);
	snprintf(sql + len, sizeof(sql) - len, "0) OR 7=7");
	mysql_login(&c);
	mysql_packet(&c, false, 2, mysql_ok, sizeof(mysql_ok));
	mysql_command(&c, 0x03, sql);
	EXPECT_EQ(MYSQL_SQLI, threats(&c, CW_APP_MYSQL, &done));
}

/*
 * Long strings: quotes inside them ('' and \') do not end them, and two
 * long literals compare by all of their text.
 */
TEST(mysql_long_literals)
{
	static const char piece[] = "ab'' or ''=''\\' -- ";
	static struct conv benign, attack, near;
	static char text[2100], sql[4500];
	unsigned int i;
	bool done;

	for (i = 0; i < 2000; i += sizeof(piece) - 1)
		memcpy(text + i, piece, sizeof(piece) - 1);
	text[i] = 0;
	snprintf(sql, sizeof(sql), "INSERT INTO t VALUES ('%s''x')", text);
	mysql_login(&benign);
	mysql_packet(&benign, false, 2, mysql_ok, sizeof(mysql_ok));
	mysql_command(&benign, 0x03, sql);
	EXPECT_EQ(0ull, threats(&benign, CW_APP_MYSQL, &done));

	for (i = 0; i < 2000; i++)
		text[i] = 'a' + i % 26;
	text[i] = 0;
	snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE a = 'x' OR '%s'='%s'", text, text);
	mysql_login(&attack);
	mysql_packet(&attack, false, 2, mysql_ok, sizeof(mysql_ok));
	mysql_command(&attack, 0x03, sql);
	EXPECT_EQ(MYSQL_SQLI, threats(&attack, CW_APP_MYSQL, &done));

	/* The same length, one byte apart. */
	i = strlen(sql);
	sql[i - 1000] ^= 1;
	mysql_login(&near);
	mysql_packet(&near, false, 2, mysql_ok, sizeof(mysql_ok));
	mysql_command(&near, 0x03, sql);
	EXPECT_EQ(0ull, threats(&near, CW_APP_MYSQL, &done));
}

TEST(mysql_access_denied)
{
	static struct conv c, other, queries_before_login;
	bool done;

	mysql_login(&c);
	mysql_err(&c, 2, 1045,
		  "#28000Access denied for user 'Bob'@'localhost' (using password: YES)");
	EXPECT_EQ(MYSQL_AUTH, threats(&c, CW_APP_MYSQL, &done));

	/* Another error (unknown database) is no failed login. */
	mysql_login(&other);
	mysql_err(&other, 2, 1049, "#42000Unknown database 'shop'");
	EXPECT_EQ(0ull, threats(&other, CW_APP_MYSQL, &done));

	/* Nothing the client sends before the server's OK is a query. */
	mysql_login(&queries_before_login);
	mysql_command(&queries_before_login, 0x03, "SELECT sleep(5)");
	EXPECT_EQ(0ull, threats(&queries_before_login, CW_APP_MYSQL, &done));
}

/* The server switches to another plugin; the login fails, or succeeds. */
TEST(mysql_auth_switch)
{
	static const char sw[] = "\xfe" "mysql_native_password\x00" "abcdefghij0123456789";
	static const char scramble[] = "\x11\x22\x33\x44\x55\x66\x77\x88\x99\x00"
				       "\x11\x22\x33\x44\x55\x66\x77\x88\x99\x00";
	static struct conv failed, ok;
	bool done;

	mysql_login(&failed);
	mysql_packet(&failed, false, 2, sw, sizeof(sw) - 1);
	mysql_packet(&failed, true, 3, scramble, sizeof(scramble) - 1);
	mysql_err(&failed, 4, 1045, "#28000Access denied for user 'Bob'@'10.0.0.7'");
	EXPECT_EQ(MYSQL_AUTH, threats(&failed, CW_APP_MYSQL, &done));

	mysql_login(&ok);
	mysql_packet(&ok, false, 2, sw, sizeof(sw) - 1);
	/* An auth response that happens to start with COM_QUERY's byte. */
	mysql_packet(&ok, true, 3, "\x03" "x' or sleep(1)", 15);
	mysql_packet(&ok, false, 4, "\x01\x03", 2);
	mysql_packet(&ok, false, 5, mysql_ok, sizeof(mysql_ok));
	mysql_command(&ok, 0x03, "SELECT * FROM t WHERE id = 1 OR 1=1");
	EXPECT_EQ(MYSQL_SQLI, threats(&ok, CW_APP_MYSQL, &done));
}

TEST(mysql_ssl)
{
	static const char ssl_request[] =
		"\x8c\xaa\xbf\x00\x00\x00\x00\x01!\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
	static const char client_hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"
					   "SELECT sleep(5) OR 1=1";
	static struct conv c;
	bool done;

	mysql_greeting(&c);
	mysql_packet(&c, true, 1, ssl_request, sizeof(ssl_request) - 1);
	add(&c, true, client_hello, sizeof(client_hello) - 1);
	EXPECT_EQ(0ull, threats(&c, CW_APP_MYSQL, &done));
	EXPECT_TRUE(done);
}

/* CLIENT_COMPRESS: the commands come compressed, nothing to read. */
TEST(mysql_compressed)
{
	static const char response[] =
		"\xac\xa2\xbf\x00\x00\x00\x00\x01!\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" "Bob\x00\x00";
	static struct conv c;
	bool done;

	mysql_greeting(&c);
	mysql_packet(&c, true, 1, response, sizeof(response) - 1);
	mysql_packet(&c, false, 2, mysql_ok, sizeof(mysql_ok));
	EXPECT_EQ(0ull, threats(&c, CW_APP_MYSQL, &done));
	EXPECT_TRUE(done);
}

/* --- PostgreSQL --- */

static void pg_message(struct conv *c, u8 type, const void *body, unsigned int len)
{
	static u8 message[8192];

	message[0] = type;
	message[1] = (len + 4) >> 24;
	message[2] = (len + 4) >> 16;
	message[3] = (len + 4) >> 8;
	message[4] = len + 4;
	memcpy(message + 5, body, len);
	add(c, true, message, 5 + len);
}

static void pg_startup(struct conv *c)
{
	static const char startup[] = "\x00\x00\x00\x38\x00\x03\x00\x00user\x00" "alice\x00"
				      "database\x00shop\x00" "application_name\x00psql\x00\x00";
	static const char ok[] = "R\x00\x00\x00\x08\x00\x00\x00\x00Z\x00\x00\x00\x05I";

	add(c, true, startup, sizeof(startup) - 1);
	add(c, false, ok, sizeof(ok) - 1);
}

static void pg_query(struct conv *c, const char *sql)
{
	pg_message(c, 'Q', sql, strlen(sql) + 1);
}

/* Parse (name, query, no parameter types), Bind, Execute, Sync in one chunk. */
static void pg_extended(struct conv *c, const char *name, const char *sql)
{
	static const char bind[] = "\x00\x00\x00\x00\x00\x00\x00\x00";
	static const char execute[] = "\x00\x00\x00\x00\x00";
	u8 body[8192];
	unsigned int n = strlen(name) + 1, m = strlen(sql) + 1;

	memcpy(body, name, n);
	memcpy(body + n, sql, m);
	memset(body + n + m, 0, 2);
	c->join = true;
	pg_message(c, 'P', body, n + m + 2);
	pg_message(c, 'B', bind, sizeof(bind) - 1);
	pg_message(c, 'E', execute, sizeof(execute) - 1);
	pg_message(c, 'S', "", 0);
	c->join = false;
}

TEST(postgresql_benign_session)
{
	static struct conv c;
	bool done;

	pg_startup(&c);
	for (const char *const *q = benign; *q; q++)
		pg_query(&c, *q);
	pg_extended(&c, "", "SELECT name FROM t WHERE id = $1 OR parent = $2");
	pg_extended(&c, "s1", "UPDATE t SET note = 'it''s -- fine' WHERE id = $1");
	EXPECT_EQ(0ull, threats(&c, CW_APP_POSTGRESQL, &done));
	EXPECT_FALSE(done);
}

TEST(postgresql_injection)
{
	for (const char *const *q = attacks; *q; q++) {
		static struct conv simple, extended;
		bool done;

		memset(&simple, 0, sizeof(simple));
		pg_startup(&simple);
		pg_query(&simple, "SELECT 1");
		pg_query(&simple, *q);
		pg_query(&simple, "SELECT 2");
		if (threats(&simple, CW_APP_POSTGRESQL, &done) != PG_SQLI)
			TH_LOG("missed in Q: %s", *q);
		EXPECT_EQ(PG_SQLI, threats(&simple, CW_APP_POSTGRESQL, &done));

		memset(&extended, 0, sizeof(extended));
		pg_startup(&extended);
		pg_extended(&extended, "stmt", *q);
		if (threats(&extended, CW_APP_POSTGRESQL, &done) != PG_SQLI)
			TH_LOG("missed in P: %s", *q);
		EXPECT_EQ(PG_SQLI, threats(&extended, CW_APP_POSTGRESQL, &done));
	}
	{
		static struct conv sleep;
		bool done;

		pg_startup(&sleep);
		pg_query(&sleep, "SELECT pg_sleep(10)");
		EXPECT_EQ(PG_SQLI, threats(&sleep, CW_APP_POSTGRESQL, &done));
	}
}

static const char ssl_request[] = "\x00\x00\x00\x08\x04\xd2\x16\x2f";
static const char gss_request[] = "\x00\x00\x00\x08\x04\xd2\x16\x30";

TEST(postgresql_encryption)
{
	static struct conv ssl, gss, refused, direct;
	bool done;

	/* Accepted: what follows is TLS. */
	add(&ssl, true, ssl_request, 8);
	add(&ssl, false, "S", 1);
	add(&ssl, true, "\x16\x03\x01\x02\x00 OR 1=1", 13);
	EXPECT_EQ(0ull, threats(&ssl, CW_APP_POSTGRESQL, &done));
	EXPECT_TRUE(done);

	add(&gss, true, gss_request, 8);
	add(&gss, false, "G", 1);
	EXPECT_EQ(0ull, threats(&gss, CW_APP_POSTGRESQL, &done));
	EXPECT_TRUE(done);

	/* GSS refused, SSL refused, then a plain startup and queries. */
	add(&refused, true, gss_request, 8);
	add(&refused, false, "N", 1);
	add(&refused, true, ssl_request, 8);
	add(&refused, false, "N", 1);
	pg_startup(&refused);
	pg_query(&refused, "SELECT * FROM t WHERE id = 1 OR 1=1");
	EXPECT_EQ(PG_SQLI, threats(&refused, CW_APP_POSTGRESQL, &done));
	EXPECT_FALSE(done);

	/* sslnegotiation=direct: TLS from the first byte. */
	add(&direct, true, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
	EXPECT_EQ(0ull, threats(&direct, CW_APP_POSTGRESQL, &done));
	EXPECT_TRUE(done);
}

TEST_HARNESS_MAIN
