// SPDX-License-Identifier: GPL-2.0
/*
 * The SQL injection matcher alone: values as an HTTP check gives them
 * (decoded, one parameter each) and whole queries as a database client
 * sends them, fed whole and in pieces of every size.
 */

#include "threat/threat.h"
#include "threat/sql.h"
#include "kselftest_harness.h"

#include <stdio.h>

/* @text fed in pieces of @piece bytes (0: whole): did it match? */
static bool sql_cut(u8 mode, const char *text, unsigned int piece)
{
	unsigned int len = strlen(text), at = 0;
	struct cw_sql m;

	cw_sql_start(&m, mode);
	while (at < len) {
		unsigned int n = piece && piece < len - at ? piece : len - at;

		cw_sql_feed(&m, (const u8 *)text + at, n);
		at += n;
	}
	return cw_sql_end(&m);
}

/* 1: matched, 0: not, -1: the pieces changed the answer. */
static int sql(u8 mode, const char *text)
{
	bool whole = sql_cut(mode, text, 0);
	unsigned int piece;

	for (piece = 1; piece < strlen(text); piece++) {
		if (sql_cut(mode, text, piece) != whole) {
			fprintf(stderr, "\"%s\": %d whole, %d in pieces of %u\n", text, whole,
				!whole, piece);
			return -1;
		}
	}
	return whole;
}

static int check(struct __test_metadata *_metadata, u8 mode, const char *const *texts,
		 int expected)
{
	int wrong = 0;

	for (; *texts; texts++) {
		if (sql(mode, *texts) != expected) {
			TH_LOG("%s: \"%s\"", expected ? "missed" : "matched", *texts);
			wrong++;
		}
	}
	return wrong;
}

TEST(http_values_attacks)
{
	static const char *const texts[] = {
		"1' or '1'='1",
		"1 OR 1=1--",
		"1' union select null,version()--",
		"x' and sleep(5)--",
		"1;drop table users",
		"admin'--",
		"admin' #",
		"admin')/*",
		"1 and extractvalue(1,concat(0x7e,version()))",
		"1 and updatexml(1,concat(0x7e,user()),1)",
		"1 waitfor delay '0:0:5'",
		"' or ''='",
		"x' or 'x'='x",
		"1\" or \"a\"=\"a",
		"1 or true",
		"-1 union all select 1,2,3",
		"1) union select username from users",
		"1'; shutdown --",
		"1 and benchmark(10000000,md5(1))",
		"1; select pg_sleep(10)",
		"1' into outfile '/var/www/x.php",
		"x' and load_file('/etc/passwd')='",
		"1; exec xp_cmdshell 'dir'",
		"1/**/or/**/1=1",
		"1; delete from users",
		"1'; insert into users values ('x')",
		"1); update users set role='admin'",
		"1; truncate table logs",
		"1 OR 2 = 2",
		NULL,
	};

	EXPECT_EQ(0, check(_metadata, CW_SQL_HTTP, texts, 1));
}

TEST(http_values_benign)
{
	static const char *const texts[] = {
		"don't stop me now",
		"name",
		"desc",
		"select a union rep",
		"O'Reilly",
		"2",
		"/union/select/station",
		"rock 'n' roll",
		"it's 1=1, or so they say",
		"a or b",
		"black or white = white",
		"sleep well",
		"how much sleep (hours)",
		"1-2-3",
		"5/10",
		"into the wild",
		"email@example.com",
		"the union; select committee",
		"call me at 5; delete this later",
		"pick 2; select the best; drop it; update me; insert coin",
		"",
		NULL,
	};

	EXPECT_EQ(0, check(_metadata, CW_SQL_HTTP, texts, 0));
}

TEST(database_queries_attacks)
{
	static const char *const texts[] = {
		"SELECT * FROM users WHERE id = '1' OR '1'='1'",
		"SELECT * FROM users WHERE name = 'admin'-- ' AND password = 'x'",
		"SELECT * FROM users WHERE name = 'admin'/* ' AND password = 'x' */",
		"SELECT * FROM t WHERE id = 1 UNION SELECT table_name "
		"FROM information_schema.tables",
		"SELECT * FROM t WHERE id=1 UNION SELECT @@version",
		"SELECT * FROM t WHERE a='x' UNION ALL SELECT version()",
		"SELECT * FROM t WHERE a='' UNION SELECT user, password FROM mysql.user-- '",
		"select * from t where name = 'x'; drop table users; --'",
		"SELECT * FROM t WHERE id = 1 or 1=1",
		"SELECT * FROM t WHERE a = '' OR ''=''",
		"SELECT sleep(5)",
		"SELECT BENCHMARK(1000000, SHA1('x'))",
		"SELECT pg_sleep(10)",
		"SELECT load_file('/etc/passwd')",
		"SELECT * FROM t INTO OUTFILE '/tmp/t.csv'",
		"SELECT 1 INTO DUMPFILE '/tmp/x.so'",
		"SELECT extractvalue(1, concat(0x7e, user()))",
		NULL,
	};

	EXPECT_EQ(0, check(_metadata, CW_SQL_MYSQL, texts, 1));
	EXPECT_EQ(0, check(_metadata, CW_SQL_POSTGRESQL, texts, 1));
}

TEST(database_queries_benign)
{
	static const char *const texts[] = {
		"select @@version_comment limit 1",
		"SELECT n.nspname as \"Schema\", c.relname as \"Name\", CASE c.relkind "
		"WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' END as \"Type\", "
		"pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\" FROM pg_catalog.pg_class c "
		"LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
		"WHERE c.relkind IN ('r','p','v','m','S','f','') AND n.nspname <> 'pg_catalog' "
		"AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema' "
		"AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2;",
		"INSERT INTO t VALUES ('O''Brien', 'a--b')",
		"SELECT * FROM t WHERE a = 'x' OR b = 'y'",
		"CREATE TABLE t (id int primary key, name text)",
		"SELECT 1",
		"SET NAMES utf8mb4",
		"SELECT a FROM t1 UNION SELECT a FROM t2",
		"SELECT a FROM t1 UNION ALL SELECT a FROM t2 -- both tables\nORDER BY a",
		"SET search_path = 'public'; SELECT * FROM t",
		"BEGIN; UPDATE t SET a = 'it''s' WHERE id = 1; COMMIT",
		"SELECT * FROM t /* controller='index',action='show' */",
		"SELECT * FROM t WHERE status = 'active' -- only active\nAND id > 5",
		"SELECT version()",
		"SELECT `select`, `or` FROM `union`",
		NULL,
	};

	EXPECT_EQ(0, check(_metadata, CW_SQL_MYSQL, texts, 0));
	EXPECT_EQ(0, check(_metadata, CW_SQL_POSTGRESQL, texts, 0));
}

/* MySQL takes \' inside a string, PostgreSQL does not; # is a comment in MySQL only. */
TEST(dialects)
{
	EXPECT_EQ(0, sql(CW_SQL_MYSQL, "SELECT 'a\\' or 1=1'"));
	EXPECT_EQ(1, sql(CW_SQL_POSTGRESQL, "SELECT 'a\\' or 1=1"));
	EXPECT_EQ(1, sql(CW_SQL_MYSQL, "SELECT * FROM u WHERE n = 'admin'#' AND p = ''"));
	EXPECT_EQ(0, sql(CW_SQL_POSTGRESQL, "SELECT 5 # 3"));
}

/* Each keyword, in any case, and words that only look like one. */
TEST(keywords)
{
	static const char *const attacks[] = {
		"1; EXEC sp_x", "1; Execute sp_x", "1; declare @x int", "1; SHUTDOWN",
		"1; create database x", "1; alter user x", "1; drop schema x",
		"1; drop procedure x", "1; create function x", "1; DELETE FROM t",
		"1; insert into t", "1; update t set a=1", "1 or TRUE",
		"1 union distinct select 1", "1 UNION ALL SELECT 1", "sleep(1)",
		"PG_SLEEP(1)", "Load_File('x')", "1 into dumpfile 'x'", "xp_cmdshell",
		NULL,
	};
	static const char *const benign[] = {
		"1; executes sp_x", "1; exe sp_x", "1; dropped table x", "1; drop tables x",
		"1; delete fromage", "1; insert int t", "1; update t sets a=1", "1 ore true",
		"1 or truer", "1 unions select 1", "1 union al select 1", "sleeps(1)",
		"pg_sleeps(1)", "load_files('x')", "1 into dumpfiles 'x'", "xp_cmdshel",
		"updatexm(1)", "sleep (1)", "1 or 12345=12346", "1 or 'abc'='abd'",
		NULL,
	};

	EXPECT_EQ(0, check(_metadata, CW_SQL_HTTP, attacks, 1));
	EXPECT_EQ(0, check(_metadata, CW_SQL_HTTP, benign, 0));
	EXPECT_EQ(1, sql(CW_SQL_MYSQL, "SELECT 1 UNION SELECT 2 FROM INFORMATION_SCHEMA.x"));
	EXPECT_EQ(0, sql(CW_SQL_MYSQL, "SELECT 1 UNION SELECT 2 FROM information_schemas.x"));
	EXPECT_EQ(1, sql(CW_SQL_MYSQL, "SELECT 1 UNION SELECT @@VERSION"));
	EXPECT_EQ(0, sql(CW_SQL_MYSQL, "SELECT 1 UNION SELECT @@versions"));
	EXPECT_EQ(1, sql(CW_SQL_POSTGRESQL, "SELECT 1 UNION SELECT Version()"));
	EXPECT_EQ(0, sql(CW_SQL_POSTGRESQL, "SELECT 1 UNION SELECT versions()"));
}

/* One matcher, many values: a match does not leak into the next value. */
TEST(values_are_separate)
{
	struct cw_sql m;

	cw_sql_start(&m, CW_SQL_HTTP);
	/* The last literal is only known whole when the value ends. */
	EXPECT_FALSE(cw_sql_feed(&m, (const u8 *)"1' or '1'='1", 12));
	EXPECT_TRUE(cw_sql_end(&m));
	EXPECT_TRUE(cw_sql_feed(&m, (const u8 *)"1 or sleep(1)", 13));
	EXPECT_TRUE(cw_sql_end(&m));
	cw_sql_feed(&m, (const u8 *)"1", 1);
	EXPECT_FALSE(cw_sql_end(&m));
	/* A quote break is per value: the next value starts outside quotes. */
	cw_sql_feed(&m, (const u8 *)"it's", 4);
	EXPECT_FALSE(cw_sql_end(&m));
	cw_sql_feed(&m, (const u8 *)"x'--", 4);
	EXPECT_TRUE(cw_sql_end(&m));
}

TEST_HARNESS_MAIN
