// SPDX-License-Identifier: GPL-2.0
/*
 * Every threat detection: its name, severity, default action and threshold.
 * Kernel and userland read the same table; the kernel's copy of the
 * actions and thresholds is what the user changes (CW_CMD_THREAT_SET).
 */

#include "threat.h"

#define DEF(id, nm, sev, act, thr, un, sum)				\
	[CW_THREAT_##id] = { .name = nm, .severity = CW_SEVERITY_##sev,	\
			     .action = CW_THREAT_ACTION_##act, .threshold = thr, \
			     .unit = un, .summary = sum }

const struct cw_threat_def cw_threat_defs[CW_THREAT_MAX + 1] = {
	/* Floods and scans: counted per destination workload or per source. */
	DEF(SYN_FLOOD, "syn_flood", HIGH, BLOCK, 2000, "SYNs per second to a workload",
	    "TCP connection attempts to one workload above the rate"),
	DEF(ICMP_FLOOD, "icmp_flood", MEDIUM, BLOCK, 500, "ICMP packets per second to a workload",
	    "ICMP packets to one workload above the rate"),
	DEF(UDP_FLOOD, "udp_flood", MEDIUM, BLOCK, 20000, "UDP packets per second to a workload",
	    "UDP datagrams to one workload above the rate"),
	DEF(DNS_FLOOD, "dns_flood", HIGH, BLOCK, 1000, "DNS queries per second to a workload",
	    "DNS queries to one workload above the rate"),
	DEF(PORT_SCAN, "port_scan", MEDIUM, BLOCK, 20, "ports per 10 seconds from a source",
	    "one source tries many ports of a workload"),
	DEF(SESSION_LIMIT, "session_limit", MEDIUM, BLOCK, 1000,
	    "open connections from a source to a workload",
	    "one source holds too many connections to a workload"),
	DEF(MYSQL_AUTH_FAILURES, "mysql_auth_failures", HIGH, BLOCK, 5,
	    "failed logins per minute from a source",
	    "repeated MySQL authentication failures (password guessing)"),
	/* IP and TCP headers. */
	DEF(IP_FRAG_OVERLAP, "ip_frag_overlap", HIGH, BLOCK, 0, NULL,
	    "IP fragments that overlap (teardrop)"),
	DEF(PING_OF_DEATH, "ping_of_death", HIGH, BLOCK, 0, NULL,
	    "IP fragments that reassemble past 65535 bytes"),
	DEF(TCP_SPLIT_HANDSHAKE, "tcp_split_handshake", MEDIUM, BLOCK, 0, NULL,
	    "the responder answers a SYN with a SYN of its own"),
	DEF(TCP_SYN_DATA, "tcp_syn_data", MEDIUM, BLOCK, 0, NULL,
	    "a SYN carries data without TCP Fast Open"),
	DEF(TCP_SYN_FIN, "tcp_syn_fin", MEDIUM, BLOCK, 0, NULL,
	    "SYN with FIN or RST"),
	DEF(TCP_NULL_FLAGS, "tcp_null_flags", MEDIUM, BLOCK, 0, NULL,
	    "a TCP segment with no flags (null scan)"),
	DEF(TCP_XMAS, "tcp_xmas", MEDIUM, BLOCK, 0, NULL,
	    "FIN, PSH and URG without ACK (Xmas scan)"),
	DEF(TCP_SMALL_WINDOW, "tcp_small_window", MEDIUM, BLOCK, 64, "bytes",
	    "a SYN offers a window below the threshold, or the handshake's ACK a zero window"),
	DEF(TCP_SMALL_MSS, "tcp_small_mss", HIGH, BLOCK, 536, "bytes",
	    "a SYN's MSS is below the threshold (SACK panic)"),
	DEF(TCP_NO_CLIENT_DATA, "tcp_no_client_data", LOW, BLOCK, 30, "seconds",
	    "the client of a connection sends nothing for this long while the server talks"),
	DEF(SMURF, "smurf", HIGH, BLOCK, 0, NULL,
	    "ICMP echo request to a broadcast or multicast address"),
	DEF(ICMP_TUNNEL, "icmp_tunnel", MEDIUM, BLOCK, 512, "bytes of echo data",
	    "ICMP echo messages carrying more data than the threshold"),
	DEF(MALFORMED_HEADER, "malformed_header", MEDIUM, BLOCK, 0, NULL,
	    "an IP, TCP, UDP or ICMP header that is truncated or inconsistent"),
	/* DNS. */
	DEF(DNS_ZONE_TRANSFER, "dns_zone_transfer", MEDIUM, BLOCK, 0, NULL,
	    "a zone transfer request (AXFR, IXFR)"),
	DEF(DNS_TUNNEL, "dns_tunnel", HIGH, BLOCK, 120, "bytes in a name",
	    "data carried in DNS names (long, encoded names)"),
	DEF(DNS_NULL_TYPE, "dns_null_type", MEDIUM, BLOCK, 0, NULL,
	    "a query for the NULL record type"),
	DEF(DNS_AMPLIFICATION, "dns_amplification", HIGH, BLOCK, 10, "times the query's size",
	    "an answer much larger than its query (amplification)"),
	DEF(DNS_POINTER_LOOP, "dns_pointer_loop", HIGH, BLOCK, 0, NULL,
	    "a DNS name whose compression pointers loop"),
	DEF(DNS_OVERSIZED_NAME, "dns_oversized_name", HIGH, BLOCK, 0, NULL,
	    "a DNS label over 63 bytes or a name over 255"),
	/* TLS and SSH. */
	DEF(TLS_HEARTBLEED, "tls_heartbleed", CRITICAL, BLOCK, 0, NULL,
	    "a TLS heartbeat whose length exceeds its record (CVE-2014-0160)"),
	DEF(SSL_V2, "ssl_v2", HIGH, BLOCK, 0, NULL,
	    "an SSL 2.0 handshake"),
	DEF(SSL_V3, "ssl_v3", HIGH, BLOCK, 0, NULL,
	    "an SSL 3.0 handshake"),
	DEF(TLS_OLD_VERSION, "tls_old_version", LOW, OFF, 0, NULL,
	    "TLS 1.0 or 1.1 negotiated"),
	DEF(SSL_V2_CIPHER_OVERFLOW, "ssl_v2_cipher_overflow", CRITICAL, BLOCK, 0, NULL,
	    "an SSL 2.0 hello whose lengths overflow its record"),
	DEF(SSH_V1, "ssh_v1", HIGH, BLOCK, 0, NULL,
	    "SSH protocol version 1"),
	/* HTTP. */
	DEF(HTTP_SMUGGLING_CL_TE, "http_smuggling_cl_te", HIGH, BLOCK, 0, NULL,
	    "a request with both Content-Length and Transfer-Encoding"),
	DEF(HTTP_SMUGGLING_CL_CL, "http_smuggling_cl_cl", HIGH, BLOCK, 0, NULL,
	    "a request with two different Content-Lengths"),
	DEF(HTTP_SMUGGLING_TE, "http_smuggling_te", HIGH, BLOCK, 0, NULL,
	    "an obfuscated Transfer-Encoding header"),
	DEF(HTTP_BAD_CONTENT_LENGTH, "http_bad_content_length", HIGH, BLOCK, 0, NULL,
	    "a negative, malformed or overflowing Content-Length"),
	DEF(HTTP_SLOWLORIS, "http_slowloris", MEDIUM, BLOCK, 20, "seconds to send a request's head",
	    "a request head sent so slowly that it holds the server (slowloris)"),
	DEF(HTTP_SQL_INJECTION, "http_sql_injection", CRITICAL, BLOCK, 0, NULL,
	    "SQL injection in an HTTP path, query or body"),
	DEF(HTTP_SHELLSHOCK, "http_shellshock", CRITICAL, BLOCK, 0, NULL,
	    "a bash function definition in a header (CVE-2014-6271)"),
	DEF(HTTP_LOG4SHELL, "http_log4shell", CRITICAL, BLOCK, 0, NULL,
	    "a JNDI lookup, plain or obfuscated (CVE-2021-44228)"),
	DEF(HTTP_STRUTS_OGNL, "http_struts_ognl", CRITICAL, BLOCK, 0, NULL,
	    "an OGNL expression for Apache Struts (CVE-2017-5638 and kin)"),
	DEF(HTTP_PATH_TRAVERSAL, "http_path_traversal", HIGH, BLOCK, 0, NULL,
	    "../ in a path or query, plain or encoded"),
	DEF(HTTP_SPRING4SHELL, "http_spring4shell", CRITICAL, BLOCK, 0, NULL,
	    "class.module.classLoader in a parameter (CVE-2022-22965)"),
	/* Databases. */
	DEF(MYSQL_SQL_INJECTION, "mysql_sql_injection", CRITICAL, BLOCK, 0, NULL,
	    "SQL injection in a MySQL query"),
	DEF(POSTGRESQL_SQL_INJECTION, "postgresql_sql_injection", CRITICAL, BLOCK, 0, NULL,
	    "SQL injection in a PostgreSQL query"),
};

const char *cw_threat_name(unsigned int id)
{
	return id && id <= CW_THREAT_MAX ? cw_threat_defs[id].name : NULL;
}

unsigned int cw_threat_by_name(const char *name)
{
	unsigned int i;

	for (i = 1; i <= CW_THREAT_MAX; i++)
		if (!strcmp(cw_threat_defs[i].name, name))
			return i;
	return CW_THREAT_NONE;
}

const char *cw_severity_name(unsigned int severity)
{
	switch (severity) {
	case CW_SEVERITY_LOW:
		return "low";
	case CW_SEVERITY_MEDIUM:
		return "medium";
	case CW_SEVERITY_HIGH:
		return "high";
	case CW_SEVERITY_CRITICAL:
		return "critical";
	default:
		return NULL;
	}
}
